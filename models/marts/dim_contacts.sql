{#- One row per person (duplicates merged) with every B2B and B2C profile criterion of segmentation_criteria.md,
    and, for a B2B contact, the main criteria of the account. -#}
with

contacts as (

    select * from {{ ref('int_contacts_classified') }}

),

merged as (

    select
        surviving_contact_id as contact_id,
        count(*) as merged_record_count
    from {{ ref('int_contacts_deduplicated') }}
    group by surviving_contact_id

),

companies as (

    select * from {{ ref('int_companies_classified') }}

),

purchases as (

    select * from {{ ref('int_contact_purchases') }}

),

rfm as (

    select * from {{ ref('int_contact_rfm') }}

),

engagement as (

    select * from {{ ref('int_contact_engagement') }}

),

service as (

    select * from {{ ref('int_contact_service') }}

),

store_visits as (

    select * from {{ ref('int_contact_store_visits') }}

),

company_behaviour as (

    select * from {{ ref('int_company_behaviour') }}

),

clv as (

    {{ clv_predictions() }}

),

send_windows as (

    select * from {{ ref('int_contact_send_windows') }}

),

consent as (

    select * from {{ ref('int_contact_consent') }}

),

retention as (

    select * from {{ ref('int_contact_retention') }}

),

predictions as (

    select * from {{ ref('contact_predictions') }}

),

final as (

    select
        -- ids
        contacts.contact_id,
        contacts.company_id,
        -- identity
        contacts.customer_type,
        contacts.email,
        contacts.email_domain,
        contacts.first_name,
        contacts.last_name,
        contacts.phone,
        -- professional profile (B2B)
        contacts.job_title,
        contacts.job_function,
        contacts.seniority,
        companies.company_name,
        companies.org_type as company_org_type,
        companies.size_category as company_size_category,
        companies.naf_code as company_naf_code,
        companies.naf_section as company_naf_section,
        companies.relationship_type as company_relationship_type,
        -- socio-demographics (B2C)
        contacts.gender,
        contacts.birth_date,
        contacts.age,
        contacts.age_band,
        contacts.household_income_eur,
        contacts.income_band,
        contacts.housing_type,
        contacts.occupation,
        contacts.occupation_group,
        contacts.education_level_group as education_level,
        contacts.education_level as education_level_declared,
        contacts.interests,
        purchases.lifestyle_affinities,
        -- location
        contacts.street,
        contacts.postal_code,
        contacts.city,
        contacts.country_code,
        contacts.department_code,
        contacts.region,
        contacts.mountain_massif,
        contacts.climate_zone,
        -- consent and suppression (lawful emailing)
        consent.email_consent,
        consent.email_legal_basis,
        consent.email_legal_basis_reason,
        consent.suppression_reason,
        consent.consecutive_soft_bounces,
        retention.retention_clock_event,
        contacts.lead_source,
        -- counts
        merged.merged_record_count,
        -- purchasing mode
        purchases.revenue_12m,
        purchases.orders_12m,
        purchases.lifetime_revenue,
        purchases.lifetime_orders,
        purchases.avg_order_value,
        purchases.avg_days_between_orders,
        purchases.share_services,
        purchases.favourite_category,
        purchases.tenure_days,
        -- RFM
        rfm.days_since_last_order,
        rfm.recency_score,
        rfm.frequency_score,
        rfm.monetary_score,
        rfm.rfm_segment,
        -- email engagement
        engagement.emails_delivered_90d,
        engagement.opens_90d,
        engagement.clicks_90d,
        engagement.engagement_level,
        -- send window
        send_windows.usual_open_hour,
        send_windows.send_timezone,
        send_windows.send_window_basis,
        send_windows.next_send_at,
        -- customer service and satisfaction
        service.tickets_12m,
        service.open_tickets,
        service.avg_csat,
        service.nps_score_last,
        service.nps_category,
        -- stores
        store_visits.store_visits_90d,
        -- the account's behaviour (B2B; null for a consumer)
        company_behaviour.revenue_12m as company_revenue_12m,
        company_behaviour.orders_12m as company_orders_12m,
        company_behaviour.tech_level as company_tech_level,
        company_behaviour.equipment_rate as company_equipment_rate,
        company_behaviour.seat_usage_rate as company_seat_usage_rate,
        -- predictions (BG/NBD and Gamma-Gamma): a consumer's own, and a B2B contact's account's
        clv.p_alive,
        clv.expected_orders_90d,
        clv.days_until_next_order,
        clv.predicted_clv_12m,
        clv.predicted_clv_percentile,
        company_clv.p_alive as company_p_alive,
        company_clv.expected_orders_90d as company_expected_orders_90d,
        company_clv.days_until_next_order as company_days_until_next_order,
        company_clv.predicted_clv_12m as company_predicted_clv_12m,
        company_clv.predicted_clv_percentile as company_predicted_clv_percentile,
        -- predictions (models/predictions; churn on DuckDB only)
        predictions.churn_probability,
        predictions.churn_risk,
        predictions.rfm_segment_horizon_ago,
        predictions.company_churn_risk,
        predictions.company_prospect_score,
        predictions.company_potential_band,
        predictions.company_upsell_score,
        predictions.company_missing_products,
        predictions.is_slipping_champion,
        -- booleans
        consent.is_suppressed,
        consent.is_emailable,
        retention.is_retention_expired,
        retention.is_retention_due,
        contacts.is_generic_email,
        contacts.is_free_webmail,
        contacts.seniority in ('c_level', 'director') as is_decision_maker,
        contacts.is_coastal,
        contacts.is_mountain,
        coalesce(companies.is_public_sector, false) as is_company_public_sector,
        coalesce(companies.is_group_member, false) as is_company_group_member,
        store_visits.is_store_regular,
        -- dates
        purchases.first_order_date,
        purchases.last_order_date,
        purchases.customer_since,
        clv.predicted_next_order_date,
        company_clv.predicted_next_order_date as company_predicted_next_order_date,
        engagement.last_open_at,
        engagement.last_click_at,
        consent.consent_updated_at,
        consent.last_unsubscribe_at,
        consent.last_complaint_at,
        consent.last_hard_bounce_at,
        retention.retention_clock_started_on,
        retention.retention_expires_on,
        contacts.created_at,
        contacts.updated_at
    from contacts
    inner join merged
        on contacts.contact_id = merged.contact_id
    left join companies
        on contacts.company_id = companies.company_id
    left join purchases
        on contacts.contact_id = purchases.contact_id
    left join rfm
        on contacts.contact_id = rfm.contact_id
    left join engagement
        on contacts.contact_id = engagement.contact_id
    left join service
        on contacts.contact_id = service.contact_id
    left join store_visits
        on contacts.contact_id = store_visits.contact_id
    left join company_behaviour
        on contacts.company_id = company_behaviour.company_id
    left join clv
        on contacts.contact_id = clv.customer_id and clv.population = 'consumer'
    left join clv as company_clv
        on contacts.company_id = company_clv.customer_id and company_clv.population = 'account'
    inner join consent
        on contacts.contact_id = consent.contact_id
    inner join retention
        on contacts.contact_id = retention.contact_id
    left join send_windows
        on contacts.contact_id = send_windows.contact_id
    left join predictions
        on contacts.contact_id = predictions.contact_id

)

select * from final
