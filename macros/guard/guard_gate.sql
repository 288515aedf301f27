{#- Makes a staging model wait for the Great Expectations guard (DuckDB, where the guard is a dbt Python model):
    when the guard fails, staging and everything downstream is skipped. On PostgreSQL the loader ran the guard
    before dbt. -#}
{% macro guard_gate() -%}
    {%- if target.type == 'duckdb' -%}
        -- depends_on: {{ ref('guard_file_checks') }}
    {%- endif -%}
{%- endmacro %}
