{{ config(materialized='table') }}

{#- Behaviour of every account as of the reference date: the account's own orders (`fct_orders.company_id`, whoever
    placed them) with the same purchasing-mode rules as people, rollups of its people (buyers, email engagement,
    store visits, NPS), its tickets (`fct_support_tickets.company_id`) and its equipment: technology level, equipment
    rate (seats per employee) and seat usage. Events after the reference date are ignored. -#}
with

companies as (

    select
        company_id,
        employee_count
    from {{ ref('int_companies_classified') }}

),

order_totals as (

    {{ order_totals_by('company_id') }}

),

buyers as (

    select
        company_id,
        count(case when lifetime_orders > 0 then 1 end) as buying_contact_count
    from {{ ref('int_contact_purchases') }}
    where company_id is not null
    group by company_id

),

engagement as (

    select
        company_id,
        count(case when engagement_level = 'engaged' then 1 end) as engaged_contact_count,
        cast(sum(emails_delivered_90d) as {{ dbt.type_bigint() }}) as emails_delivered_90d,
        cast(sum(opens_90d) as {{ dbt.type_bigint() }}) as opens_90d,
        cast(sum(clicks_90d) as {{ dbt.type_bigint() }}) as clicks_90d,
        min({{ engagement_level_rank('engagement_level') }}) as engagement_level_rank,
        max(last_open_at) as last_open_at,
        max(last_click_at) as last_click_at
    from {{ ref('int_contact_engagement') }}
    where company_id is not null
    group by company_id

),

store_visits as (

    select
        company_id,
        cast(sum(store_visits_90d) as {{ dbt.type_bigint() }}) as store_visits_90d
    from {{ ref('int_contact_store_visits') }}
    where company_id is not null
    group by company_id

),

nps as (

    select
        company_id,
        count(nps_score_last) as nps_respondent_count,
        {{ rounded_ratio(
            "100 * sum(case nps_category when 'promoter' then 1 when 'detractor' then -1 else 0 end)",
            'count(nps_score_last)',
            1
        ) }} as net_promoter_score
    from {{ ref('int_contact_service') }}
    where company_id is not null
    group by company_id

),

ticket_totals as (

    {{ ticket_totals_by('company_id') }}

),

products as (

    select
        product_id,
        technology_level
    from {{ ref('stg_crm__products') }}

),

equipment as (

    select
        equipment.company_id,
        equipment.seats_purchased,
        equipment.seats_active,
        case products.technology_level when 'basic' then 1 when 'standard' then 2 when 'advanced' then 3 end
            as technology_points
    from {{ ref('stg_crm__equipment') }} as equipment
    left join products
        on equipment.product_id = products.product_id
    where equipment.installed_date is null or equipment.installed_date <= {{ reference_date() }}

),

equipment_totals as (

    select
        company_id,
        count(*) as equipped_product_count,
        cast(coalesce(sum(seats_purchased), 0) as {{ dbt.type_bigint() }}) as seats_purchased,
        cast(coalesce(sum(seats_active), 0) as {{ dbt.type_bigint() }}) as seats_active,
        sum(case when seats_active is not null and seats_purchased > 0 then seats_active end) as used_seats_active,
        sum(case when seats_active is not null and seats_purchased > 0 then seats_purchased end)
            as used_seats_purchased,
        avg(cast(technology_points as {{ dbt.type_numeric() }})) as technology_score
    from equipment
    group by company_id

),

final as (

    select
        -- ids
        companies.company_id,
        -- strings
        case
            when engagement.engagement_level_rank = 1 then 'engaged'
            when engagement.engagement_level_rank = 2 then 'occasional'
            when engagement.engagement_level_rank = 3 then 'dormant'
            else 'never'
        end as engagement_level,
        case
            when equipment_totals.technology_score >= 2.5 then 'high'
            when equipment_totals.technology_score >= 1.5 then 'medium'
            when equipment_totals.technology_score is not null then 'low'
        end as tech_level,
        -- purchasing mode: numerics and dates
        {{ order_metrics('order_totals') }},
        -- people
        coalesce(buyers.buying_contact_count, 0) as buying_contact_count,
        coalesce(engagement.engaged_contact_count, 0) as engaged_contact_count,
        coalesce(engagement.emails_delivered_90d, 0) as emails_delivered_90d,
        coalesce(engagement.opens_90d, 0) as opens_90d,
        coalesce(engagement.clicks_90d, 0) as clicks_90d,
        coalesce(store_visits.store_visits_90d, 0) as store_visits_90d,
        engagement.last_open_at,
        engagement.last_click_at,
        -- customer service and satisfaction
        coalesce(ticket_totals.tickets_12m, 0) as tickets_12m,
        coalesce(ticket_totals.open_tickets, 0) as open_tickets,
        ticket_totals.avg_csat,
        coalesce(nps.nps_respondent_count, 0) as nps_respondent_count,
        nps.net_promoter_score,
        -- equipment
        coalesce(equipment_totals.equipped_product_count, 0) as equipped_product_count,
        coalesce(equipment_totals.seats_purchased, 0) as seats_purchased,
        coalesce(equipment_totals.seats_active, 0) as seats_active,
        -- least() skips nulls: without a headcount the rate must stay null, not become 1
        cast(case
            when companies.employee_count > 0 and equipment_totals.company_id is null then 0
            when companies.employee_count > 0
                then
                    least(
                        1,
                        {{ rounded_ratio('equipment_totals.seats_purchased', 'companies.employee_count', 4) }}
                    )
        end as {{ decimal_places(4) }}) as equipment_rate,
        {{ rounded_ratio('equipment_totals.used_seats_active', 'equipment_totals.used_seats_purchased', 4) }}
            as seat_usage_rate
    from companies
    left join order_totals
        on companies.company_id = order_totals.company_id
    left join buyers
        on companies.company_id = buyers.company_id
    left join engagement
        on companies.company_id = engagement.company_id
    left join store_visits
        on companies.company_id = store_visits.company_id
    left join nps
        on companies.company_id = nps.company_id
    left join ticket_totals
        on companies.company_id = ticket_totals.company_id
    left join equipment_totals
        on companies.company_id = equipment_totals.company_id

)

select * from final
