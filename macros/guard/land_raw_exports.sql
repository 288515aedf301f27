{#- on-run-start hook: expose every export file of the contract as a relation of the `raw` schema, every column as
    text plus `_row_number` (the 1-based data row of the file, header excluded).

    DuckDB copies the files into tables (`read_csv`): delimiter `,` or `;` (the more frequent in the header line),
    quoting fixed to RFC 4180 (`"`, doubled to escape) so that a quoted field deep in the file is read right, header
    names normalised (case, surrounding spaces), UTF-8 with or without BOM; a Windows-1252/Latin-1 file is read from a
    UTF-8 copy in the var `landing_cache_dir` (UDF `seg_readable_csv`, segwarehouse/exports.py: a file the previous
    build landed as UTF-8 is checked from the bytes appended since), and a file that is not text stops the run
    naming it.
    Each file is copied into the table `raw.<name>__landed`; `raw.<name>` is a view over it adding `_row_number`.
    A full landing starts a new `epoch` of the file (an append keeps it): the base models record the epoch they
    parsed (`raw.based_exports`) and parse every row again when it has changed (macro `based_watermark`).
    Landing is incremental: `raw.landed_exports` remembers the bytes and rows landed from each file, a
    fingerprint of them and the rows the copy held before the latest landing (0 after a full one: the source key
    tests check the rows after them, macro `landed_rows_before`); a file that only grew is landed by reading its
    new bytes alone, an unchanged file is not read, anything else (or any file under `--full-refresh`) is landed
    again in full (UDF `seg_land_plan`, segwarehouse/landing.py). Every later read of an export (guard, source
    tests, base models) is a table scan, not a CSV parse.
    A missing required file stops the run naming it; a missing optional file becomes an empty relation with the
    contract's columns, and one notice says so.
    Then the GDPR erasure register is applied to the copies (macro `apply_erasure_register`, macros/guard/erasure.sql):
    the rows of erased people are blanked in place (`_erased`), and the views leave them out.

    On PostgreSQL the loader (`python -m segwarehouse.load`) has already copied the files into `raw`; the hook only
    creates the parsing functions the staging macros call there. -#}
{% macro land_raw_exports() -%}
    {{ return(adapter.dispatch('land_raw_exports', 'segments')()) }}
{%- endmacro %}

{% macro default__land_raw_exports() -%}
    select 1
{%- endmacro %}

{% macro raw_file_path(file_name) -%}
    {{ return(setting('raw_dir').rstrip('/') ~ '/' ~ file_name) }}
{%- endmacro %}

{% macro duckdb__land_raw_exports() -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set raw_schema = var('raw_schema') -%}
    {%- set cache_dir = setting('landing_cache_dir') -%}
    {%- set state = raw_schema ~ '.landed_exports' -%}
    {%- call statement('land_raw_schema', auto_begin=true) -%}
        create schema if not exists {{ raw_schema }};
        create table if not exists {{ state }} (
            file_name varchar primary key,
            file_path varchar,
            landed_bytes bigint,
            landed_rows bigint,
            fingerprint varchar,
            last_mode varchar,
            landed_at timestamp,
            epoch varchar,
            erased_rows bigint,
            rows_before_landing bigint
        );
        -- warehouses landed before the GDPR erasure, before the source key tests were scoped to the latest landing
        alter table {{ state }} add column if not exists erased_rows bigint;
        alter table {{ state }} add column if not exists rows_before_landing bigint;
        create table if not exists {{ raw_schema }}.based_exports (
            file_name varchar primary key,
            epoch varchar
        )
    {%- endcall -%}
    {%- set landed = {} -%}
    {%- for row in run_query(
        "select file_name, landed_bytes, fingerprint, epoch, landed_rows, file_path from " ~ state) -%}
        {%- do landed.update({row[0]: {
            'bytes': row[1], 'fingerprint': row[2], 'epoch': row[3], 'rows': row[4], 'path': row[5]}}) -%}
    {%- endfor -%}
    {#- how each file was landed, for the erasure: mode and rows of the copy landed by earlier builds -#}
    {%- set landings = {} -%}
    {%- set tables = run_query(
        "select table_name from information_schema.tables where table_schema = '" ~ raw_schema
        ~ "' and table_type = 'BASE TABLE'").columns[0].values() -%}
    {%- for export in crm_contract_files() -%}
        {%- set path = raw_file_path(export.file) -%}
        {%- set relation = raw_schema ~ '.' ~ export.name -%}
        {%- set copy = raw_schema ~ '.' ~ export.name ~ '__landed' -%}
        {%- set found = run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] -%}
        {%- if found == 0 and export.required_file -%}
            {{ exceptions.raise_compiler_error(
                "Export file " ~ path ~ " is missing: " ~ export.file ~ " is required by the contract (raw_dir = '"
                ~ setting('raw_dir') ~ "', var or SEGMENTS_RAW_DIR).") }}
        {%- elif found == 0 -%}
            {{ log("NOTICE optional export " ~ path ~ " is absent: source crm." ~ export.name ~ " is empty for this build.", info=true) }}
            {%- set columns = crm_contract_columns(export.name) -%}
            {%- call statement('land_' ~ export.name, auto_begin=true) -%}
                create or replace table {{ copy }} as
                select
                    {%- for column in columns %}
                    cast(null as varchar) as {{ column.name }},
                    {%- endfor %}
                    cast(null as boolean) as _erased
                where false;
                {{ raw_view(relation, copy) }};
                delete from {{ state }} where file_name = '{{ export.file }}'
            {%- endcall -%}
        {%- else -%}
            {#- `--full-refresh`, or a warehouse without the landed copy, lands the file again in full -#}
            {%- set nothing = {'bytes': none, 'fingerprint': none, 'epoch': none, 'rows': none, 'path': none} -%}
            {%- set before = nothing if flags.FULL_REFRESH or (export.name ~ '__landed') not in tables
                else landed.get(export.file, nothing) -%}
            {#- what the previous build landed, as the last arguments of both UDFs: bytes, fingerprint, append-only -#}
            {%- set landed_arguments = (before['bytes'] if before['bytes'] is not none else 'null') ~ ", "
                ~ ("'" ~ before['fingerprint'] ~ "'" if before['fingerprint'] else 'null') ~ ", "
                ~ ('true' if export.append_only else 'false') -%}
            {#- the file to read; one the previous build landed as UTF-8 is checked from its appended bytes -#}
            {%- set readable = run_query(
                "select seg_readable_csv('" ~ path ~ "', '" ~ cache_dir ~ "', "
                ~ ("'" ~ before['path'] ~ "'" if before['path'] else 'null') ~ ", " ~ landed_arguments ~ ")"
            ).columns[0].values()[0] -%}
            {%- set plan = fromjson(run_query(
                "select seg_land_plan('" ~ readable ~ "', '" ~ cache_dir ~ "', " ~ landed_arguments ~ ")"
            ).columns[0].values()[0]) -%}
            {%- do landings.update({export.file: {
                'mode': plan.mode, 'rows_before': (before['rows'] or 0) if plan.mode != 'full' else 0}}) -%}
            {%- if plan.mode != 'unchanged' -%}
                {%- call statement('land_' ~ export.name, auto_begin=true) -%}
                    {%- if plan.mode == 'append' %}
                    insert into {{ copy }} by name
                    select * from {{ raw_csv_reader(plan.tail, plan.delimiter) }};
                    select seg_discard_file('{{ plan.tail }}');
                    {%- else %}
                    create or replace table {{ copy }} as
                    select
                        *,
                        cast(null as boolean) as _erased
                    from {{ raw_csv_reader(readable, plan.delimiter) }};
                    {%- endif %}
                    delete from {{ state }} where file_name = '{{ export.file }}';
                    insert into {{ state }} (
                        file_name, file_path, landed_bytes, landed_rows, fingerprint, last_mode, landed_at, epoch,
                        rows_before_landing
                    )
                    select
                        '{{ export.file }}', '{{ readable }}', {{ plan.bytes }}, count(*), '{{ plan.fingerprint }}',
                        '{{ plan.mode }}', current_timestamp::timestamp,
                        '{{ before['epoch'] if plan.mode == 'append' else plan.fingerprint }}',
                        {{ landings[export.file]['rows_before'] }}
                    from {{ copy }}
                {%- endcall -%}
            {%- endif -%}
            {%- call statement('view_' ~ export.name, auto_begin=true) -%}
                -- copies landed before the GDPR erasure have no `_erased` column yet
                alter table {{ copy }} add column if not exists _erased boolean;
                {{ raw_view(relation, copy) }}
            {%- endcall -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do apply_erasure_register(landings) -%}
    {%- do adapter.commit() -%}
    {{ return('select 1') }}
{%- endmacro %}

{#- The relation the sources read: the landed copy with `_row_number`, the 1-based data row of the file. Rows are
    only ever appended to the copy (a new landing replaces the table), in file order, so their `rowid` is their
    position; numbering them in a window while landing would double the landing time. The rows of erased people are
    blanked in place (an UPDATE keeps every `rowid`) and left out here, with the `_erased` flag. -#}
{% macro raw_view(relation, copy) -%}
    create or replace view {{ relation }} as
    select
        rowid + 1 as _row_number,
        * exclude (_erased)
    from {{ copy }}
    where _erased is not true
{%- endmacro %}

{#- `read_csv` of an export as the landing reads it: every column as text, header names normalised, RFC 4180
    quoting, the delimiter found in the header line (the same for the whole file and for an appended tail). -#}
{% macro raw_csv_reader(path, delimiter) -%}
    read_csv(
        '{{ path }}',
        header = true,
        all_varchar = true,
        normalize_names = true,
        delim = '{{ delimiter }}',
        quote = '"',
        escape = '"'
    )
{%- endmacro %}

{% macro postgres__land_raw_exports() -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- call statement('segments_create_schema') -%}
        create schema if not exists {{ target.schema }}
    {%- endcall -%}
    {%- call statement('segments_parse_functions') -%}
        create or replace function {{ target.schema }}.seg_try_date(value text) returns date
        language plpgsql immutable as $fn$
        begin
            if value !~ '^\d{4}-\d{2}-\d{2}$' then return null; end if;
            return value::date;
        exception when others then return null;
        end
        $fn$;

        create or replace function {{ target.schema }}.seg_try_timestamp(value text, zone text) returns timestamp
        language plpgsql immutable as $fn$
        begin
            -- seconds 00-59: PostgreSQL would roll `23:59:60` over to the next minute, DuckDB refuses it
            if value ~ '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$' then
                return value::timestamptz at time zone 'UTC';
            elsif value ~ '^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:[0-5]\d(\.\d+)?)?)?$' then
                return (value::timestamp at time zone zone) at time zone 'UTC';
            end if;
            return null;
        exception when others then return null;
        end
        $fn$;
    {%- endcall -%}
    {{ return('select 1') }}
{%- endmacro %}
