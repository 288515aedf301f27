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

{#- The body of a `purchases` CTE: one row per cutoff and customer (`grain`: contact_id or company_id with at least
    one completed order by the cutoff) with the purchasing-mode columns of `order_metrics` as of the cutoff. -#}
{% macro purchases_as_of(grain, cutoffs) -%}
    select
        order_totals.cutoff_date,
        order_totals.{{ grain }},
        {{ order_metrics('order_totals', 'order_totals.cutoff_date') | indent(8) }}
    from (
        {{ order_totals_by(grain, cutoffs) | indent(8) }}
    ) as order_totals
    where order_totals.lifetime_orders > 0
{%- endmacro %}

{#- The body of an `order_windows` CTE: per cutoff and `grain`, the orders around the cutoff that are not in
    `order_totals`: completed orders in the label window after it (`orders_next_horizon`), completed orders in the same
    window a year earlier, cancelled and refunded orders of the 12 months ending on it and, with `count_buyers`, the
    people who placed a completed order in those 12 months. Orders after the reference date are never seen. -#}
{% macro order_windows_by(grain, cutoffs, count_buyers=false) -%}
    select
        cutoffs.cutoff_date,
        facts.{{ grain }},
        count(case when facts.is_completed and facts.order_date > cutoffs.cutoff_date then 1 end)
            as orders_next_horizon,
        count(case when facts.is_completed and facts.order_date <= cutoffs.last_year_end_date then 1 end)
            as orders_same_window_last_year,
        count(case when not facts.is_completed and facts.order_date <= cutoffs.cutoff_date then 1 end)
            as unhappy_orders_12m
        {%- if count_buyers %},
        count(
            distinct case when facts.is_completed and facts.order_date <= cutoffs.cutoff_date then facts.contact_id end
        ) as buying_contacts_12m
        {%- endif %}
    from {{ ref('fct_orders') }} as facts
    inner join {{ cutoffs }} as cutoffs
        on
            facts.order_date > cutoffs.last_year_start_date
            and facts.order_date <= cutoffs.label_end_date
    where
        facts.{{ grain }} is not null
        and facts.order_date <= {{ reference_date() }}
    group by cutoffs.cutoff_date, facts.{{ grain }}
{%- endmacro %}

{#- A rate smoothed toward its parent level's (additive smoothing, empirical Bayes): (successes + m x parent rate) /
    (trials + m), m = `peer_prior_accounts` pseudo-accounts. A group of m accounts lands halfway between its own
    rate and its parent's; an empty group takes its parent's. -#}
{% macro smoothed_rate(successes, trials, parent_rate) -%}
    {%- set prior = var('peer_prior_accounts') -%}
    ({{ successes }} + {{ prior }} * {{ parent_rate }}) / ({{ trials }} + {{ prior }})
{%- endmacro %}
