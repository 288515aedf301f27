{#- Key tests of the big incremental tables, scoped to the latest load (docs/DESIGN.md, "Keys and mandatory
    columns"). A table that stamps each row with the build that wrote it (`loaded_at`, the column `_loaded_at`) has
    its keys checked for the rows of the latest load only, each against the whole table: an incremental run writes a
    day of rows into 20 million, and grouping the 20 million keys took 5 to 9 s per test on the bench tier. The rows
    loaded before were checked by the build that loaded them. The whole table is checked when it holds a single
    load (a first build, a full refresh) or when the setting `full_key_tests` is true (var, or environment variable
    SEGMENTS_FULL_KEY_TESTS=true: for a schedule that runs `dbt run` without the tests, now and then). -#}
{% macro full_key_tests() -%}
    {{ return((setting('full_key_tests') | string | lower) in ['true', '1', 'yes']) }}
{%- endmacro %}

{% macro latest_load_only(model, loaded_at) -%}
    {%- if loaded_at is none or not execute or full_key_tests() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set loads = run_query(
        'select case when min(' ~ loaded_at ~ ') < max(' ~ loaded_at ~ ') then 1 else 0 end from ' ~ model) -%}
    {{ return(loads.columns[0].values()[0] == 1) }}
{%- endmacro %}

{#- The rows landed before the latest landing of a raw export (a relation of the `raw` schema named like an export
    of the contract), for its key tests (`primary_key`); none for any other relation. The raw exports have no load
    stamp: on DuckDB the landing hook records, per file, the rows its copy held before the latest landing
    (`raw.landed_exports.rows_before_landing`: 0 after a full landing). Their key tests check the rows after it
    (`_row_number` greater) against the whole copy: a day appended to 20 million email events is checked in a
    second, not by grouping the 20 million keys (7 s on the bench tier). None (check every row) after a full
    landing, on a warehouse landed before this column existed, when `full_key_tests` is set, and on PostgreSQL,
    whose loader copies every file again. -#}
{% macro landed_rows_before(model) -%}
    {{ return(adapter.dispatch('landed_rows_before', 'segments')(model)) }}
{%- endmacro %}

{% macro default__landed_rows_before(model) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__landed_rows_before(model) -%}
    {%- if not execute or model.schema != var('raw_schema') or full_key_tests() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set files = crm_contract_files() | selectattr('name', 'equalto', model.identifier) | list -%}
    {%- if not files -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        "select rows_before_landing from " ~ var('raw_schema') ~ ".landed_exports where file_name = '"
        ~ files[0].file ~ "' and last_mode = 'append'") -%}
    {%- set rows_before = found.columns[0].values()[0] if found.rows | length == 1 else none -%}
    {{ return(rows_before if rows_before is not none and rows_before > 0 else none) }}
{%- endmacro %}

{#- The CTE `latest_keys`: the key columns of the rows of the latest load, or of the rows landed after row
    `rows_before` of a raw export. -#}
{% macro latest_load_keys(model, columns, loaded_at, rows_before=none) -%}
with latest_keys as (

    select {{ columns | join(', ') }}
    from {{ model }}
    {%- if rows_before is not none %}
    where _row_number > {{ rows_before }}
    {%- else %}
    where {{ loaded_at }} = (select max({{ loaded_at }}) from {{ model }})
    {%- endif %}

)

{% endmacro %}

{#- Keys of the latest load carried by more than one row of the whole table, with their number of rows. -#}
{% macro repeated_latest_keys(model, columns) -%}
select
    {%- for column in columns %}
    keyed.{{ column }},
    {%- endfor %}
    count(*) as occurrences
from {{ model }} as keyed
where exists (
    select 1 from latest_keys
    where {% for column in columns %}latest_keys.{{ column }} = keyed.{{ column }}{{ ' and ' if not loop.last }}{% endfor %}
)
group by {% for column in columns %}keyed.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
having count(*) > 1
{%- endmacro %}
