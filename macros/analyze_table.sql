{#- Project-wide post-hook. PostgreSQL: a table built by `create table as` has no planner statistics until
    autovacuum gets to it, so the models built right after it are planned on guesses (dim_contacts took minutes
    instead of a second). Collect them as soon as each table exists. Nothing to do elsewhere. -#}
{% macro analyze_table() -%}
    {{ return(adapter.dispatch('analyze_table', 'segments')()) }}
{%- endmacro %}

{% macro default__analyze_table() -%}
{%- endmacro %}

{% macro postgres__analyze_table() -%}
    {%- if model.config.materialized in ('table', 'incremental') -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
