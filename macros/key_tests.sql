{#- Key tests of the big incremental tables, scoped to the latest load (docs/DESIGN.md, "Keys and mandatory
    columns"). A table that stamps each row with the build that wrote it (`loaded_at`, the column `_loaded_at`) has
    its keys checked for the rows of the latest load only, each against the whole table: an incremental run writes a
    day of rows into 20 million, and grouping the 20 million keys took 5 to 9 s per test on the bench tier. The rows
    loaded before were checked by the build that loaded them. The whole table is checked when it holds a single
    load (a first build, a full refresh) or when the setting `full_key_tests` is true (var, or environment variable
    SEGMENTS_FULL_KEY_TESTS=true: for a schedule that runs `dbt run` without the tests, now and then). -#}
{% macro latest_load_only(model, loaded_at) -%}
    {%- if loaded_at is none or not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if (setting('full_key_tests') | string | lower) in ['true', '1', 'yes'] -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set loads = run_query(
        'select case when min(' ~ loaded_at ~ ') < max(' ~ loaded_at ~ ') then 1 else 0 end from ' ~ model) -%}
    {{ return(loads.columns[0].values()[0] == 1) }}
{%- endmacro %}

{#- The CTE `latest_keys`: the key columns of the rows of the latest load. -#}
{% macro latest_load_keys(model, columns, loaded_at) -%}
with latest_keys as (

    select {{ columns | join(', ') }}
    from {{ model }}
    where {{ loaded_at }} = (select max({{ loaded_at }}) from {{ model }})

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
