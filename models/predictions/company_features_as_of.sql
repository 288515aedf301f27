{#- The churn features of every account that is a customer (at least one completed order) as of each cutoff of
    `prediction_cutoffs`, with the rules of `int_company_behaviour` (`purchases_as_of`, `ticket_totals_by`, people's
    engagement and NPS rolled up) but windows ending on the cutoff; equipment installed by the cutoff; and the label:
    no completed order in the horizon after the cutoff (null while that window is not over). Seat activity and last
    use are left out: the export only holds their current values, unknown as of a past cutoff. -#}
{{ as_of_incremental_config() }}
with

cutoffs as (

    {{ as_of_cutoffs() | indent(4) }}

),

companies as (

    select
        company_id,
        employee_count
    from {{ ref('int_companies_classified') }}

),

purchases as (

    {{ purchases_as_of('company_id', 'cutoffs') | indent(4) }}

),

order_windows as (

    {{ order_windows_by('company_id', 'cutoffs', count_buyers=true) | indent(4) }}

),

engagement as (

    select
        cutoff_date,
        company_id,
        count(case when engagement_level = 'engaged' then 1 end) as engaged_contact_count,
        sum(emails_delivered_90d) as emails_delivered_90d,
        sum(opens_90d) as opens_90d,
        sum(clicks_90d) as clicks_90d,
        min(days_since_last_engagement) as days_since_last_engagement
    from {{ ref('contact_engagement_as_of') }}
    where company_id is not null and cutoff_date in (select cutoffs.cutoff_date from cutoffs)
    group by cutoff_date, company_id

),

ticket_totals as (

    {{ ticket_totals_by('company_id', 'cutoffs') | indent(4) }}

),

last_answers as (

    {{ last_nps_answers('cutoffs') | indent(4) }}

),

-- people's latest answers as of each cutoff, rolled up to their account like `int_company_behaviour`
nps as (

    select
        last_answers.cutoff_date,
        contacts.company_id,
        {{ rounded_ratio(
            "100 * sum(case " ~ nps_category('last_answers.nps_score') ~ " when 'promoter' then 1 when 'detractor' then -1 else 0 end)",
            'count(*)',
            1
        ) }} as net_promoter_score
    from last_answers
    inner join {{ ref('int_contacts_deduplicated') }} as contacts
        on last_answers.contact_id = contacts.contact_id
    where contacts.company_id is not null
    group by last_answers.cutoff_date, contacts.company_id

),

equipment as (

    select
        cutoffs.cutoff_date,
        equipment.company_id,
        count(*) as equipped_product_count,
        sum(equipment.seats_purchased) as seats_purchased,
        {{ rounded_ratio('sum(equipment.technology_points)', 'count(equipment.technology_points)', 4) }}
            as technology_score,
        min({{ days_before_reference('equipment.installed_date', 'cutoffs.cutoff_date') }})
            as days_since_last_installation
    from (
        select
            installed.company_id,
            installed.seats_purchased,
            installed.installed_date,
            case products.technology_level when 'basic' then 1 when 'standard' then 2 when 'advanced' then 3 end
                as technology_points
        from {{ ref('stg_crm__equipment') }} as installed
        left join {{ ref('stg_crm__products') }} as products
            on installed.product_id = products.product_id
    ) as equipment
    -- as `int_company_behaviour`, equipment without installation date counts as installed
    inner join cutoffs
        on equipment.installed_date is null or equipment.installed_date <= cutoffs.cutoff_date
    group by cutoffs.cutoff_date, equipment.company_id

),

final as (

    select
        -- ids
        purchases.company_id,
        -- numerics
        cutoffs.cutoff_index,
        companies.employee_count,
        purchases.revenue_12m,
        purchases.orders_12m,
        purchases.lifetime_revenue,
        purchases.lifetime_orders,
        purchases.avg_order_value,
        purchases.avg_days_between_orders,
        purchases.share_services,
        purchases.tenure_days,
        {{ days_before_reference('purchases.last_order_date', 'purchases.cutoff_date') }}
            as days_since_last_order,
        {{ rounded_ratio(
            days_before_reference('purchases.last_order_date', 'purchases.cutoff_date'),
            'purchases.avg_days_between_orders',
            4
        ) }} as order_gap_ratio,
        coalesce(order_windows.orders_same_window_last_year, 0) as orders_same_window_last_year,
        coalesce(order_windows.unhappy_orders_12m, 0) as unhappy_orders_12m,
        coalesce(order_windows.buying_contacts_12m, 0) as buying_contacts_12m,
        coalesce(engagement.engaged_contact_count, 0) as engaged_contact_count,
        cast(coalesce(engagement.emails_delivered_90d, 0) as {{ dbt.type_bigint() }}) as emails_delivered_90d,
        cast(coalesce(engagement.opens_90d, 0) as {{ dbt.type_bigint() }}) as opens_90d,
        cast(coalesce(engagement.clicks_90d, 0) as {{ dbt.type_bigint() }}) as clicks_90d,
        engagement.days_since_last_engagement,
        coalesce(ticket_totals.tickets_12m, 0) as tickets_12m,
        coalesce(ticket_totals.open_tickets, 0) as open_tickets,
        ticket_totals.avg_csat,
        nps.net_promoter_score,
        coalesce(equipment.equipped_product_count, 0) as equipped_product_count,
        cast(coalesce(equipment.seats_purchased, 0) as {{ dbt.type_bigint() }}) as seats_purchased,
        -- as `equipment_rate`: seats per employee capped at 1, 0 without equipment, null without headcount
        cast(case
            when companies.employee_count > 0
                then
                    least(
                        1,
                        {{ rounded_ratio('coalesce(equipment.seats_purchased, 0)', 'companies.employee_count', 4) }}
                    )
        end as {{ decimal_places(4) }}) as equipment_rate,
        equipment.technology_score,
        equipment.days_since_last_installation,
        -- booleans
        case when cutoffs.has_label then coalesce(order_windows.orders_next_horizon, 0) = 0 end as is_churned,
        -- dates
        cutoffs.cutoff_date,
        purchases.first_order_date,
        purchases.last_order_date,
        {{ reference_date() }} as computed_as_of
    from purchases
    inner join cutoffs
        on purchases.cutoff_date = cutoffs.cutoff_date
    inner join companies
        on purchases.company_id = companies.company_id
    left join order_windows
        on purchases.cutoff_date = order_windows.cutoff_date and purchases.company_id = order_windows.company_id
    left join engagement
        on purchases.cutoff_date = engagement.cutoff_date and purchases.company_id = engagement.company_id
    left join ticket_totals
        on purchases.cutoff_date = ticket_totals.cutoff_date and purchases.company_id = ticket_totals.company_id
    left join nps
        on purchases.cutoff_date = nps.cutoff_date and purchases.company_id = nps.company_id
    left join equipment
        on purchases.cutoff_date = equipment.cutoff_date and purchases.company_id = equipment.company_id

)

select * from final
