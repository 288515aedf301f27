{{ config(materialized='table') }}

{#- Calibration summary of every customer for the BG/NBD and Gamma-Gamma models (docs/DESIGN.md, "Predictions:
    BG/NBD and Gamma-Gamma"): one row per consumer (a b2c person, `fct_orders.contact_id`) and per B2B account
    (`fct_orders.company_id`) with at least one completed order up to the reference date, the calibration end.
    A purchase is a distinct purchase day (completed orders of the same day are one purchase, of their summed
    total); times are whole days from the first purchase day. -#}
with

orders as (

    select
        contact_id,
        company_id,
        customer_type,
        order_date,
        total_amount
    from {{ ref('fct_orders') }}
    where is_completed and order_date <= {{ reference_date() }}

),

purchase_days as (

    select
        cast('consumer' as {{ dbt.type_string() }}) as population,
        contact_id as customer_id,
        order_date,
        sum(total_amount) as day_amount
    from orders
    where customer_type = 'b2c' and contact_id is not null
    group by contact_id, order_date

    union all

    select
        cast('account' as {{ dbt.type_string() }}) as population,
        company_id as customer_id,
        order_date,
        sum(total_amount) as day_amount
    from orders
    where company_id is not null
    group by company_id, order_date

),

-- first and last purchase day of each customer by aggregation: a window partitioned by customer sorted every
-- purchase day (4.6 million at bench scale, 13 s of CPU) only to know which day came first
spans as (

    select
        population,
        customer_id,
        min(order_date) as first_day,
        max(order_date) as last_day,
        count(*) - 1 as frequency,
        sum(day_amount) as total_amount
    from purchase_days
    group by population, customer_id

),

summaries as (

    select
        spans.population,
        spans.customer_id,
        spans.first_day,
        spans.last_day,
        spans.frequency,
        -- the repeat purchase days: every day but the first (null without any)
        case when spans.frequency > 0 then spans.total_amount - first_days.day_amount end as repeat_amount
    from spans
    inner join purchase_days as first_days
        on
            spans.population = first_days.population
            and spans.customer_id = first_days.customer_id
            and spans.first_day = first_days.order_date

),

final as (

    select
        -- ids
        population,
        customer_id,
        -- numerics: the model's x, t_x and T (days), and the average value of the repeat purchase days
        cast(frequency as {{ dbt.type_int() }}) as frequency,
        {{ dbt.datediff('first_day', 'last_day', 'day') }}
            as recency_days,
        {{ days_before_reference('first_day') }}
            as age_days,
        {{ rounded_ratio('repeat_amount', 'frequency', 2) }} as monetary_value,
        -- dates
        first_day as first_purchase_date,
        last_day as last_purchase_date,
        {{ reference_date() }} as calibration_end
    from summaries

)

select * from final
