{#- The late-arrival look-back of an incremental fact: on an incremental run, only rows whose `column` is at most
    `incremental_lookback_days` (a var) before the newest row already loaded are (re)processed, and rows with the
    same unique key are replaced. A full refresh (or the first build) processes everything. -#}
{% macro incremental_window(column, relation_alias=none) -%}
    {%- if is_incremental() -%}
        {%- set qualified = (relation_alias ~ '.' ~ column) if relation_alias else column %}
        where {{ qualified }} >= (
            select {{ dbt.dateadd('day', -1 * (var('incremental_lookback_days') | int), 'max(' ~ column ~ ')') }}
            from {{ this }}
        )
    {%- endif -%}
{%- endmacro %}
