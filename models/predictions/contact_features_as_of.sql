{#- The churn features of every person who is a customer (at least one completed order) as of each cutoff of
    `prediction_cutoffs`, computed with the rules of the behaviour metrics (`purchases_as_of`, `rfm_scored`,
    `ticket_totals_by`, `last_nps_answers`, `contact_engagement_as_of`) but with their windows ending on the cutoff,
    so that nothing after the cutoff is seen; and the label: no completed order in the horizon after the cutoff (null
    while that window is not over). Consumers are the consumer churn model's population; B2B contacts are here for
    their RFM group as of each cutoff (`is_slipping_champion`). The reference date (cutoff 0) is the one the behaviour
    metrics were computed on: its purchases, RFM scores and store visits are read from `int_contact_purchases`,
    `int_contact_rfm` and `int_contact_store_visits` (engagement: `contact_engagement_as_of`, which reads
    `int_contact_engagement`), not computed twice; `analyses/reference_features_from_facts.sql` computes them from
    the facts as for a training cutoff, and a test checks both agree. -#}
{{ as_of_incremental_config() }}
with

cutoffs as (

    {{ as_of_cutoffs() | indent(4) }}

),

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

rfm_segments as (

    select * from {{ ref('ref_rfm_segments') }}

),

training_cutoffs as (

    {{ as_of_training_cutoffs('cutoffs') | indent(4) }}

),

training_purchases as (

    {{ purchases_as_of('contact_id', 'training_cutoffs') | indent(4) }}

),

training_customers as (

    {{ customers_as_of('training_purchases', 'contacts') | indent(4) }}

),

training_rfm as (

    {{ rfm_scored('training_customers', 'cutoff_date, customer_type') | indent(4) }}

),

-- the reference date: the customers (a completed order) of the behaviour metrics, scored among their audience
reference_purchases as (

    select
        cutoffs.cutoff_date,
        purchases.*
    from {{ ref('int_contact_purchases') }} as purchases
    inner join cutoffs
        on cutoffs.cutoff_index = 0
    where purchases.lifetime_orders > 0

),

purchases as (

    {%- set columns = ['cutoff_date', 'contact_id', 'revenue_12m', 'orders_12m', 'lifetime_revenue', 'lifetime_orders',
        'avg_order_value', 'avg_days_between_orders', 'share_services', 'tenure_days', 'first_order_date',
        'last_order_date'] %}
    select {{ columns | join(', ') }} from training_purchases
    union all
    select {{ columns | join(', ') }} from reference_purchases

),

rfm as (

    select
        cutoff_date,
        contact_id,
        customer_type,
        days_since_last_order,
        recency_score,
        frequency_score,
        monetary_score,
        frequency_monetary_score
    from training_rfm
    union all
    select
        reference_purchases.cutoff_date,
        reference_purchases.contact_id,
        case when reference_purchases.company_id is null then 'b2c' else 'b2b' end as customer_type,
        scores.days_since_last_order,
        scores.recency_score,
        scores.frequency_score,
        scores.monetary_score,
        scores.frequency_monetary_score
    from reference_purchases
    inner join {{ ref('int_contact_rfm') }} as scores
        on reference_purchases.contact_id = scores.contact_id

),

order_windows as (

    {{ order_windows_by('contact_id', 'cutoffs') | indent(4) }}

),

ticket_totals as (

    {{ ticket_totals_by('contact_id', 'cutoffs') | indent(4) }}

),

last_answers as (

    {{ last_nps_answers('cutoffs') | indent(4) }}

),

engagement as (

    select * from {{ ref('contact_engagement_as_of') }}
    where cutoff_date in (select cutoffs.cutoff_date from cutoffs)

),

-- store visits of the 90 days ending on each cutoff, the visit's contact id resolved to the person
store_visits as (

    {{ store_visits_as_of('training_cutoffs') | indent(4) }}
    union all
    select
        cutoffs.cutoff_date,
        visits.contact_id,
        visits.store_visits_90d
    from {{ ref('int_contact_store_visits') }} as visits
    inner join cutoffs
        on cutoffs.cutoff_index = 0
    where visits.store_visits_90d > 0

),

final as (

    select
        -- ids
        rfm.contact_id,
        contacts.company_id,
        -- strings
        rfm.customer_type,
        coalesce(rfm_segments.rfm_segment, 'no_purchase') as rfm_segment,
        coalesce(engagement.engagement_level, 'never') as engagement_level,
        -- numerics
        cutoffs.cutoff_index,
        purchases.revenue_12m,
        purchases.orders_12m,
        purchases.lifetime_revenue,
        purchases.lifetime_orders,
        purchases.avg_order_value,
        purchases.avg_days_between_orders,
        purchases.share_services,
        purchases.tenure_days,
        rfm.days_since_last_order,
        {{ rounded_ratio('rfm.days_since_last_order', 'purchases.avg_days_between_orders', 4) }} as order_gap_ratio,
        rfm.recency_score,
        rfm.frequency_score,
        rfm.monetary_score,
        rfm.frequency_monetary_score,
        coalesce(order_windows.orders_same_window_last_year, 0) as orders_same_window_last_year,
        coalesce(order_windows.unhappy_orders_12m, 0) as unhappy_orders_12m,
        coalesce(engagement.emails_delivered_90d, 0) as emails_delivered_90d,
        coalesce(engagement.opens_90d, 0) as opens_90d,
        coalesce(engagement.clicks_90d, 0) as clicks_90d,
        engagement.days_since_last_engagement,
        coalesce(ticket_totals.tickets_12m, 0) as tickets_12m,
        coalesce(ticket_totals.open_tickets, 0) as open_tickets,
        ticket_totals.avg_csat,
        last_answers.nps_score as nps_score_last,
        coalesce(store_visits.store_visits_90d, 0) as store_visits_90d,
        -- booleans
        case when cutoffs.has_label then coalesce(order_windows.orders_next_horizon, 0) = 0 end as is_churned,
        -- dates
        cutoffs.cutoff_date,
        purchases.first_order_date,
        purchases.last_order_date,
        {{ reference_date() }} as computed_as_of
    from rfm
    inner join cutoffs
        on rfm.cutoff_date = cutoffs.cutoff_date
    inner join contacts
        on rfm.contact_id = contacts.contact_id
    inner join purchases
        on rfm.cutoff_date = purchases.cutoff_date and rfm.contact_id = purchases.contact_id
    left join rfm_segments
        on
            rfm.recency_score = rfm_segments.recency_score
            and rfm.frequency_monetary_score = rfm_segments.frequency_monetary_score
    left join order_windows
        on rfm.cutoff_date = order_windows.cutoff_date and rfm.contact_id = order_windows.contact_id
    left join ticket_totals
        on rfm.cutoff_date = ticket_totals.cutoff_date and rfm.contact_id = ticket_totals.contact_id
    left join last_answers
        on rfm.cutoff_date = last_answers.cutoff_date and rfm.contact_id = last_answers.contact_id
    left join engagement
        on rfm.cutoff_date = engagement.cutoff_date and rfm.contact_id = engagement.contact_id
    left join store_visits
        on rfm.cutoff_date = store_visits.cutoff_date and rfm.contact_id = store_visits.contact_id

)

select * from final
