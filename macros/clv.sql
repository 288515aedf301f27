{#- The BG/NBD and Gamma-Gamma predictions (`clv_predictions`: population, customer_id and the prediction columns)
    for dim_contacts and dim_companies. They are fitted by dbt Python models, which run on DuckDB only: on PostgreSQL
    this is an empty relation of the same columns, so the prediction columns are null there (docs/POSTGRES.md). -#}
{% macro clv_predictions() -%}
    {%- if target.type == 'duckdb' -%}
    select * from {{ ref('clv_predictions') }}
    {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as population,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ decimal_places(4) }}) as p_alive,
        cast(null as {{ decimal_places(4) }}) as expected_orders_90d,
        cast(null as date) as predicted_next_order_date,
        cast(null as {{ dbt.type_int() }}) as days_until_next_order,
        cast(null as {{ decimal_places(2) }}) as predicted_clv_12m,
        cast(null as {{ decimal_places(4) }}) as predicted_clv_percentile
    where 1 = 0
    {%- endif -%}
{%- endmacro %}
