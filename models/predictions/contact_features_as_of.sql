{#- The churn features of every person who is a customer (at least one completed order) as of each cutoff of
    `prediction_cutoffs`, computed with the rules of the behaviour metrics (`purchases_as_of`, `rfm_scored`,
    `ticket_totals_by`, `last_nps_answers`, `contact_engagement_as_of`) but with their windows ending on the cutoff,
    so that nothing after the cutoff is seen; and the label: no completed order in the horizon after the cutoff (null
    while that window is not over). Consumers are the consumer churn model's population; B2B contacts are here for
    their RFM group as of each cutoff (`is_slipping_champion`). -#}
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

purchases as (

    {{ purchases_as_of('contact_id', 'cutoffs') | indent(4) }}

),

customers as (

    select
        purchases.cutoff_date,
        purchases.contact_id,
        case when contacts.company_id is null then 'b2c' else 'b2b' end as customer_type,
        {{ days_before_reference('purchases.last_order_date', 'purchases.cutoff_date') }}
            as days_since_last_order,
        purchases.lifetime_orders,
        purchases.lifetime_revenue
    from purchases
    inner join contacts
        on purchases.contact_id = contacts.contact_id

),

rfm as (

    {{ rfm_scored('customers', 'cutoff_date, customer_type') | indent(4) }}

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

    select
        cutoffs.cutoff_date,
        identities.surviving_contact_id as contact_id,
        count(*) as store_visits_90d
    from {{ ref('fct_store_visits') }} as visits
    inner join {{ ref('contact_identity_map') }} as identities
        on visits.contact_id = identities.contact_id
    inner join cutoffs
        on
            visits.visit_date <= cutoffs.cutoff_date
            and {{ days_before_reference('visits.visit_date', 'cutoffs.cutoff_date') }}
            < 90
    group by cutoffs.cutoff_date, identities.surviving_contact_id

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
