{#- One row per account with every B2B profile criterion of segmentation_criteria.md. -#}
with

companies as (

    select * from {{ ref('int_companies_classified') }}

),

behaviour as (

    select * from {{ ref('int_company_behaviour') }}

),

clv as (

    {{ clv_predictions() }}

),

predictions as (

    select * from {{ ref('company_predictions') }}

),

contact_counts as (

    select
        company_id,
        count(*) as contact_count
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor and company_id is not null
    group by company_id

),

final as (

    select
        -- ids
        companies.company_id,
        companies.parent_company_id,
        companies.siren,
        companies.siret,
        -- organisation
        companies.company_name,
        companies.org_type,
        companies.size_category,
        companies.legal_form_code,
        companies.legal_form_label,
        companies.employee_count,
        companies.employee_band,
        companies.annual_revenue_eur,
        -- sector
        companies.naf_code,
        companies.naf_section,
        companies.naf_section_label,
        companies.naf_division,
        companies.naf_division_label,
        -- relationship and health
        companies.relationship_type,
        companies.financial_score,
        companies.financial_health_band,
        -- location
        companies.street,
        companies.postal_code,
        companies.city,
        companies.country_code,
        companies.department_code,
        companies.department_name,
        companies.region,
        companies.opening_hours,
        companies.timezone,
        companies.website,
        -- counts
        coalesce(contact_counts.contact_count, 0) as contact_count,
        -- purchasing mode
        behaviour.revenue_12m,
        behaviour.orders_12m,
        behaviour.lifetime_revenue,
        behaviour.lifetime_orders,
        behaviour.avg_order_value,
        behaviour.avg_days_between_orders,
        behaviour.share_services,
        behaviour.tenure_days,
        -- people: purchases, email engagement, stores
        behaviour.buying_contact_count,
        behaviour.engaged_contact_count,
        behaviour.emails_delivered_90d,
        behaviour.opens_90d,
        behaviour.clicks_90d,
        behaviour.engagement_level,
        behaviour.store_visits_90d,
        -- customer service and satisfaction
        behaviour.tickets_12m,
        behaviour.open_tickets,
        behaviour.avg_csat,
        behaviour.nps_respondent_count,
        behaviour.net_promoter_score,
        -- technology
        behaviour.tech_level,
        behaviour.equipped_product_count,
        behaviour.seats_purchased,
        behaviour.seats_active,
        behaviour.equipment_rate,
        behaviour.seat_usage_rate,
        -- predictions (BG/NBD and Gamma-Gamma)
        clv.p_alive,
        clv.expected_orders_90d,
        clv.days_until_next_order,
        clv.predicted_clv_12m,
        clv.predicted_clv_percentile,
        -- predictions (models/predictions; churn on DuckDB only)
        predictions.churn_probability,
        predictions.churn_risk,
        predictions.prospect_score,
        predictions.potential_band,
        predictions.upsell_score,
        predictions.missing_products,
        -- booleans
        companies.is_public_sector,
        companies.is_siren_valid,
        companies.is_group_member,
        -- dates
        companies.founded_date,
        behaviour.first_order_date,
        behaviour.last_order_date,
        behaviour.customer_since,
        clv.predicted_next_order_date,
        behaviour.last_open_at,
        behaviour.last_click_at,
        companies.created_at,
        companies.updated_at
    from companies
    left join contact_counts
        on companies.company_id = contact_counts.company_id
    left join behaviour
        on companies.company_id = behaviour.company_id
    left join clv
        on companies.company_id = clv.customer_id and clv.population = 'account'
    left join predictions
        on companies.company_id = predictions.company_id

)

select * from final
