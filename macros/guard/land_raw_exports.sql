{#- on-run-start hook: expose every export file of the contract as a relation of the `raw` schema, every column as
    text plus `_row_number` (the 1-based data row of the file, header excluded).

    DuckDB reads the files where they are (views over `read_csv`): delimiter sniffed (`,` or `;`) on a sample,
    quoting fixed to RFC 4180 (`"`, doubled to escape) so that a quoted field deep in the file is read right, header
    names normalised (case, surrounding spaces), UTF-8 with or without BOM; a Windows-1252/Latin-1 file is read from a
    UTF-8 copy in the var `landing_cache_dir` (UDF `seg_readable_csv`, segwarehouse/exports.py), and a file that
    is not text stops the run naming it.
    A missing required file stops the run naming it; a missing optional file becomes an empty relation with the
    contract's columns, and one notice says so.

    On PostgreSQL the loader (`python -m segwarehouse.load`) has already copied the files into `raw`; the hook only
    creates the parsing functions the staging macros call there. -#}
{% macro land_raw_exports() -%}
    {{ return(adapter.dispatch('land_raw_exports', 'segments')()) }}
{%- endmacro %}

{% macro default__land_raw_exports() -%}
    select 1
{%- endmacro %}

{% macro raw_file_path(file_name) -%}
    {{ return(var('raw_dir').rstrip('/') ~ '/' ~ file_name) }}
{%- endmacro %}

{% macro duckdb__land_raw_exports() -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set raw_schema = var('raw_schema') -%}
    {%- call statement('land_raw_schema', auto_begin=true) -%}
        create schema if not exists {{ raw_schema }}
    {%- endcall -%}
    {%- for export in crm_contract_files() -%}
        {%- set path = raw_file_path(export.file) -%}
        {%- set found = run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] -%}
        {%- if found == 0 and export.required_file -%}
            {{ exceptions.raise_compiler_error(
                "Export file " ~ path ~ " is missing: " ~ export.file ~ " is required by the contract (var raw_dir = '"
                ~ var('raw_dir') ~ "').") }}
        {%- elif found == 0 -%}
            {{ log("NOTICE optional export " ~ path ~ " is absent: source crm." ~ export.name ~ " is empty for this build.", info=true) }}
            {%- set columns = crm_contract_columns(export.name) -%}
            {%- call statement('land_' ~ export.name, auto_begin=true) -%}
                create or replace view {{ raw_schema }}.{{ export.name }} as
                select
                    cast(null as bigint) as _row_number
                    {%- for column in columns %},
                    cast(null as varchar) as {{ column.name }}
                    {%- endfor %}
                where false
            {%- endcall -%}
        {%- else -%}
            {%- set readable = run_query(
                "select seg_readable_csv('" ~ path ~ "', '" ~ var('landing_cache_dir') ~ "')").columns[0].values()[0] -%}
            {%- call statement('land_' ~ export.name, auto_begin=true) -%}
                create or replace view {{ raw_schema }}.{{ export.name }} as
                select
                    row_number() over () as _row_number,
                    *
                from read_csv(
                    '{{ readable }}',
                    header = true,
                    all_varchar = true,
                    normalize_names = true,
                    quote = '"',
                    escape = '"'
                )
            {%- endcall -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do adapter.commit() -%}
    {{ return('select 1') }}
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
