{#- The churn features of the reference date (cutoff 0) computed from the facts, exactly as for a training cutoff
    (`purchases_as_of`, `rfm_scored` within cutoff and audience, `engagement_totals_as_of`, `store_visits_as_of`).
    `contact_features_as_of` reads these metrics at cutoff 0 from the behaviour models (`int_contact_purchases`,
    `int_contact_rfm`, `int_contact_engagement`, `int_contact_store_visits`); a model scored on other features than
    the ones it was trained on is wrong without failing. `tests/python/test_demo_predictions.py` compiles this
    analysis and checks that both give the same rows. One row per customer. -#}
with

cutoffs as (

    select
        cutoff_index,
        cutoff_date
    from {{ ref('prediction_cutoffs') }}
    where cutoff_index = 0

),

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

purchases as (

    {{ purchases_as_of('contact_id', 'cutoffs') | indent(4) }}

),

customers as (

    {{ customers_as_of('purchases', 'contacts') | indent(4) }}

),

rfm as (

    {{ rfm_scored('customers', 'cutoff_date, customer_type') | indent(4) }}

),

engagement as (

    {{ engagement_totals_as_of('cutoffs') | indent(4) }}

),

store_visits as (

    {{ store_visits_as_of('cutoffs') | indent(4) }}

),

final as (

    select
        rfm.contact_id,
        rfm.customer_type,
        {{ engagement_level(
            'engagement.clicks_90d', 'engagement.opens_90d', 'engagement.days_since_last_engagement'
        ) }} as engagement_level,
        purchases.revenue_12m,
        purchases.orders_12m,
        purchases.lifetime_revenue,
        purchases.lifetime_orders,
        purchases.avg_order_value,
        purchases.avg_days_between_orders,
        purchases.share_services,
        purchases.tenure_days,
        rfm.days_since_last_order,
        rfm.recency_score,
        rfm.frequency_score,
        rfm.monetary_score,
        rfm.frequency_monetary_score,
        coalesce(engagement.emails_delivered_90d, 0) as emails_delivered_90d,
        coalesce(engagement.opens_90d, 0) as opens_90d,
        coalesce(engagement.clicks_90d, 0) as clicks_90d,
        engagement.days_since_last_engagement,
        coalesce(store_visits.store_visits_90d, 0) as store_visits_90d,
        purchases.first_order_date,
        purchases.last_order_date
    from rfm
    inner join purchases
        on rfm.contact_id = purchases.contact_id
    left join engagement
        on rfm.contact_id = engagement.contact_id
    left join store_visits
        on rfm.contact_id = store_visits.contact_id

)

select * from final
