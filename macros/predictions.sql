{#- Helpers of the prediction models (models/predictions, docs/DESIGN.md "Predictions: churn, potential, up-sell and
    backtests"). -#}

{#- churn_risk band of a churn probability: high from `churn_risk_high_min_probability`, medium from
    `churn_risk_medium_min_probability`, low below; null without probability. -#}
{% macro churn_risk(probability) -%}
    case
        when {{ probability }} >= {{ var('churn_risk_high_min_probability') }} then 'high'
        when {{ probability }} >= {{ var('churn_risk_medium_min_probability') }} then 'medium'
        when {{ probability }} is not null then 'low'
    end
{%- endmacro %}

{#- The body of a CTE with the churn probability (4 places) of every member of `population` (consumer: contact_id,
    account: company_id) as of the reference date, from the Python model `churn_scores`. Python models run on DuckDB only: on
    other targets the CTE is empty, so the probabilities and risks built on it are null. -#}
{% macro current_churn_scores(population, key) -%}
    {%- if target.type == 'duckdb' %}
    select
        customer_id as {{ key }},
        cast(round(cast(churn_probability as {{ dbt.type_numeric() }}), 4) as {{ decimal_places(4) }})
            as churn_probability
    from {{ ref('churn_scores') }}
    where population = '{{ population }}' and cutoff_index = 0
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as {{ key }},
        cast(null as {{ decimal_places(4) }}) as churn_probability
    where 1 = 0
    {%- endif %}
{%- endmacro %}
