{#- The body of a `base_crm__<file>` model: one row per raw row of the export, every contract column parsed into
    its type, and the first row rule it breaks (`quarantine_rule`, `quarantine_column`, null when the row is fine).

    Rules are checked in this order, first failure wins (names in docs/DESIGN.md):
      missing_required_value  a contract-required column is empty
      duplicate_key           the file's key (source meta `key`) appeared on an earlier row
      unparseable_<type>      text present that does not parse as the contract type
      custom `rules`          [{rule, column, when}] in the order given, `when` a condition on the parsed columns
      unknown_reference       `references` [{column, to, field}]: a non-empty id absent from the rows of the base
                              model `to` that passed (`quarantine_rule is null`: the rows its staging view keeps)

    Categorical columns listed in the seed `ref_accepted_labels` are mapped to their canonical value (French and
    English labels, case and accents folded), and a `value_not_allowed` rule follows the `malformed_*` rules.
    `expressions` replaces the default parsing of a column ({column: sql on the raw text columns}).
    Contract columns missing from the file are typed nulls; extra columns are ignored but kept in `raw_record`.

    References name the referenced export's base model, not its staging view: a staging view waits for the Great
    Expectations guard (`guard_gate`), a base model does not, so the exports are parsed while the guard validates
    them (the guard still stops staging and everything published when it fails).

    Base models are materialised incrementally, keyed on `_row_number` (see `base_incremental_config`). An
    incremental run parses only the rows after the last one already based, plus the rows quarantined as
    unknown_reference (the row they point at may have arrived since) and the rows whose reference has gone since,
    and a key already seen on an earlier row is a duplicate_key. Every row is parsed again when the export was
    landed in full since the last run (a re-export, an edit: see `based_watermark`); rows past the end of a shorter
    file are deleted (post-hook). -#}
{% macro guarded_base(table_name, rules=[], references=[], expressions={}) -%}
    {%- set source_relation = source('crm', table_name) -%}
    {%- set labels = accepted_labels(table_name) -%}
    {%- if not execute -%}
        select 1 as _row_number
    {%- else -%}
    {%- set contract = crm_contract_columns(table_name) -%}
    {%- set key = crm_source_node(table_name).meta.key -%}
    {%- set incremental = false -%}
    {%- set expressions = expressions.copy() -%}
    {%- set ordered_rules = [] -%}
    {%- for rule in rules if rule.rule.startswith('malformed') -%}{%- do ordered_rules.append(rule) -%}{%- endfor -%}
    {%- for column, mapping in labels.items() -%}
        {%- do expressions.update({column: canonical_label(column, mapping)}) -%}
        {%- do ordered_rules.append(rule_value_in(column, mapping.values() | unique | sort)) -%}
    {%- endfor -%}
    {%- for rule in rules if not rule.rule.startswith('malformed') -%}{%- do ordered_rules.append(rule) -%}{%- endfor -%}
    {%- set column_expression = {} -%}
    {%- for column in contract -%}
        {%- do column_expression.update({column.name: expressions[column.name] if column.name in expressions
            else parse_as(column.name, column.cast_to)}) -%}
    {%- endfor -%}
    {%- if is_incremental() -%}
        {%- set last_row_number = based_watermark(table_name, source_relation, key, column_expression) -%}
        {%- set incremental = last_row_number > 0 -%}
    {%- endif -%}
    {%- if incremental -%}
        {%- set retried = retried_rows(references) -%}
    {%- endif -%}
    {%- set present = [] -%}
    {%- for column in adapter.get_columns_in_relation(source_relation) if column.name | lower != '_row_number' -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}

with

source as (

    select
        *
        {%- for column in contract if column.name not in present %},
        cast(null as {{ dbt.type_string() }}) as {{ column.name }}
        {%- endfor %}
    from {{ source_relation }}
    {%- if incremental %}
    -- append: the rows after the last one already based, and the rows to retry (macro `retried_rows`)
    where _row_number > {{ last_row_number }}
        {%- if retried.rows %}
        or _row_number in ({{ retried.rows | join(', ') }})
        {%- elif retried.query %}
        or _row_number in ({{ retried.query }})
        {%- endif %}
    {%- endif %}

),

parsed as (

    select
        _row_number,
        -- contract columns, parsed
        {%- for column in contract %}
        {{ column_expression[column.name] }} as {{ column.name }},
        {%- endfor %}
        -- raw text, kept for the rules and the quarantine record
        {%- for name in present %}
        {{ adapter.quote(name) }} as {{ adapter.quote('_raw__' ~ name) }}{{ "," if not loop.last }}
        {%- endfor %}
    from source

),

{#- Repeated keys. A full build aggregates the raw keys of the whole file (`repeated_keys`). An incremental run parses
    only the rows after the watermark and the retried ones (see `source`), and checks their keys against each other
    and against the rows already based: on the bench tier that costs 20 s, the whole-file aggregation 34 s. -#}

{%- if not incremental %}

repeated_keys as (

    -- Keys carried by more than one row, with the first row carrying each: one narrow aggregation over the raw
    -- keys. (A window partitioned by key over the parsed rows sorts every wide row: minutes at 20 million rows.)
    select
        {%- for column in key %}
        {{ column_expression[column] }} as {{ column }},
        {%- endfor %}
        min(_row_number) as first_row_number
    from {{ source_relation }}
    group by {% for column in key %}{{ column_expression[column] }}{{ ", " if not loop.last }}{% endfor %}
    having count(*) > 1

),
{%- endif %}

keyed as (

    select
        rows_to_check.*,
        {%- if incremental %}
        -- a key already seen on an earlier row of this run, or on a row based before
        row_number() over (
            partition by {% for column in key %}rows_to_check.{{ column }}{{ ", " if not loop.last }}{% endfor %}
            order by rows_to_check._row_number
        ) > 1
        or exists (
            select 1 from {{ this }} as based
            where based._row_number < rows_to_check._row_number
                {%- for column in key %}
                and based.{{ column }} = rows_to_check.{{ column }}
                {%- endfor %}
        ) as _is_repeated_key
        {%- else %}
        coalesce(rows_to_check._row_number > repeated_keys.first_row_number, false) as _is_repeated_key
        {%- endif %}
    from parsed as rows_to_check
    {%- if not incremental %}
    left join repeated_keys
        on {% for column in key %}rows_to_check.{{ column }} = repeated_keys.{{ column }}{{ " and " if not loop.last }}{% endfor %}
    {%- endif %}

),

checked as (

    select
        *,
        case
            {%- for column in contract if column.required %}
            when {{ clean_text('_raw__' ~ column.name) ~ ' is null' if column.name in present else 'true' }}
                then 'missing_required_value|{{ column.name }}'
            {%- endfor %}
            when _is_repeated_key then 'duplicate_key|{{ key[0] }}'
            {%- for column in contract if column.cast_to != 'varchar' and column.name in present %}
            when {{ clean_text('_raw__' ~ column.name) }} is not null and {{ column.name }} is null
                then 'unparseable_{{ column.cast_to }}|{{ column.name }}'
            {%- endfor %}
            {%- for rule in ordered_rules %}
            when {{ rule.when }} then '{{ rule.rule }}|{{ rule.column }}'
            {%- endfor %}
            {%- for reference in references %}
            when {{ reference.column }} is not null and not exists (
                select 1 from {{ reference.to }} as referenced
                where referenced.{{ reference.field | default(reference.column) }} = keyed.{{ reference.column }}
                    and referenced.quarantine_rule is null
            ) then 'unknown_reference|{{ reference.column }}'
            {%- endfor %}
        end as _failure
    from keyed

)

select
    _row_number,
    {%- for column in contract %}
    {{ column.name }},
    {%- endfor %}
    {{ dbt.split_part('_failure', "'|'", 1) }} as quarantine_rule,
    {{ dbt.split_part('_failure', "'|'", 2) }} as quarantine_column,
    case when _failure is not null then
        {%- set pairs = [] -%}
        {%- for name in present -%}{%- do pairs.append([name, adapter.quote('_raw__' ~ name)]) -%}{%- endfor %}
        {{ json_object_text(pairs) }}
    end as raw_record,
    -- the build that parsed the row: the key tests check the latest one's rows (macros/key_tests.sql)
    {{ build_started_at() }} as _loaded_at
from checked
    {%- endif -%}
{%- endmacro %}

{#- The rows an incremental run of a base model (`this`) parses again although they were based before: the rows
    waiting for the row they point at (quarantined as unknown_reference) and the rows whose reference has gone since
    they were based. Found before the model's SQL runs, and written in it as a list of literals when there are at
    most 1,000 (the usual case: none), so that DuckDB scans only the row groups that hold them, as it does for the
    watermark; a subquery in the filter made every run scan the whole landed copy (1.6 s for the 20 million email
    events of the bench tier). Returns {rows: [_row_number...], query: the subquery, when there are more}. -#}
{% macro retried_rows(references) -%}
    {%- set inline_limit = 1000 -%}
    {%- set query -%}
        select based._row_number from {{ this }} as based
        where based.quarantine_rule = 'unknown_reference'
        {%- for reference in references %}
            or (based.{{ reference.column }} is not null and not exists (
                select 1 from {{ reference.to }} as referenced
                where referenced.{{ reference.field | default(reference.column) }} = based.{{ reference.column }}
                    and referenced.quarantine_rule is null
            ))
        {%- endfor %}
    {%- endset -%}
    {%- set found = run_query(query ~ ' order by 1 limit ' ~ (inline_limit + 1)).columns[0].values() -%}
    {%- if found | length > inline_limit -%}
        {{ return({'rows': [], 'query': query}) }}
    {%- endif -%}
    {%- set rows = [] -%}
    {%- for row_number in found -%}{%- do rows.append(row_number | int) -%}{%- endfor -%}
    {{ return({'rows': rows, 'query': none}) }}
{%- endmacro %}

{#- Configuration of a base model: incremental on `_row_number` (see `guarded_base`), a post-hook that deletes the
    rows past the end of the export when it has become shorter, one that deletes the rows erased from the export
    since they were parsed (GDPR erasure, macros/guard/erasure.sql), and one that records the landing epoch parsed. -#}
{% macro base_incremental_config(table_name) -%}
    {{ config(
        materialized='incremental',
        unique_key='_row_number',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where _row_number > (select coalesce(max(_row_number), 0) from "
            ~ "{{ source('crm', '" ~ table_name ~ "') }})",
            "{{ delete_erased_rows('" ~ table_name ~ "') }}",
            "{{ record_based_epoch('" ~ table_name ~ "') }}",
        ],
    ) }}
{%- endmacro %}

{#- The landing epoch of the export that the base model has just parsed. DuckDB: a full landing starts a new one
    (`land_raw_exports`), and so does an erasure that blanks rows already landed; PostgreSQL: the loader, which
    replaces every raw table, starts one when it erases rows an earlier load already had (segwarehouse.load). -#}
{% macro record_based_epoch(table_name) -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set file = crm_source_node(table_name).meta.file -%}
    delete from {{ var('raw_schema') }}.based_exports where file_name = '{{ file }}';
    insert into {{ var('raw_schema') }}.based_exports
    select file_name, epoch from {{ var('raw_schema') }}.landed_exports where file_name = '{{ file }}'
{%- endmacro %}

{#- The last `_row_number` already in the incremental base model `this`, or 0 when every row must be parsed again:
    - the export was landed again since the model last parsed it (its epoch in `raw.based_exports` differs from
      the landing's in `raw.landed_exports`): on DuckDB a re-export, an edit, `--full-refresh`, and on both
      targets a GDPR erasure of rows already parsed;
    - other targets, where every load replaces the raw tables: always, unless the export is append-only;
    - and, for every export, when the keys at the first and last based positions changed (reordered rows).
    Run before the model's SQL, so that its filter is a literal DuckDB pushes below the parsing. -#}
{% macro based_watermark(table_name, source_relation, key, column_expression) -%}
    {%- set node = crm_source_node(table_name) -%}
    {%- if target.type != 'duckdb' and not node.meta.append_only -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set epochs = run_query(
        "select (select epoch from " ~ var('raw_schema') ~ ".landed_exports where file_name = '" ~ node.meta.file
        ~ "') = (select epoch from " ~ var('raw_schema') ~ ".based_exports where file_name = '" ~ node.meta.file
        ~ "')").columns[0].values()[0] -%}
    {%- if not epochs -%}{{ return(0) }}{%- endif -%}
    {%- set query -%}
        with based as (
            select
                _row_number,
                {%- for column in key %}
                {{ column }}{{ "," if not loop.last }}
                {%- endfor %}
            from {{ this }}
            where _row_number in ((select min(_row_number) from {{ this }}), (select max(_row_number) from {{ this }}))
        ),

        raw_row as (
            select
                _row_number,
                {%- for column in key %}
                {{ column_expression[column] }} as {{ column }}{{ "," if not loop.last }}
                {%- endfor %}
            from {{ source_relation }}
            where _row_number in (select _row_number from based)
        )

        select
            case when count(raw_row._row_number) = count(*) then coalesce(max(based._row_number), 0) else 0 end
        from based
        left join raw_row
            on based._row_number = raw_row._row_number
            {%- for column in key %}
            and based.{{ column }} is not distinct from raw_row.{{ column }}
            {%- endfor %}
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0] | int) }}
{%- endmacro %}
