{#- One row per segment: who it is for, what it means, how big it is, how many members can be emailed, what they are
    worth, and whether it is worth a campaign (Datacook: measurable, reachable, large enough). Generated from the
    project graph. -#}
with

definitions as (

    {{- segment_definition_rows() | indent(4) }}

),

membership as (

    select * from {{ ref('segment_membership') }}

),

contacts as (

    select * from {{ ref('dim_contacts') }}

),

waterfall as (

    select * from {{ ref('segment_waterfall') }}

),

members as (

    select
        membership.segment_name,
        membership.company_id,
        contacts.customer_type,
        contacts.revenue_12m,
        contacts.predicted_clv_12m,
        contacts.company_revenue_12m,
        contacts.company_predicted_clv_12m,
        case when {{ emailable_predicate('contacts') }} then 1 else 0 end as is_reachable
    from membership
    inner join contacts
        on membership.contact_id = contacts.contact_id

),

sizes as (

    select
        segment_name,
        count(*) as member_count,
        count(distinct company_id) as company_count,
        cast(sum(is_reachable) as {{ dbt.type_bigint() }}) as reachable_count,
        -- a consumer's own value; a B2B contact's is their account's, counted once per account (accounts below)
        sum(case when customer_type = 'b2c' then revenue_12m end) as consumer_revenue_12m,
        sum(case when customer_type = 'b2c' then predicted_clv_12m end) as consumer_predicted_value
    from members
    group by segment_name

),

member_accounts as (

    select distinct
        segment_name,
        company_id,
        company_revenue_12m,
        company_predicted_clv_12m
    from members
    where company_id is not null

),

accounts as (

    select
        segment_name,
        sum(company_revenue_12m) as account_revenue_12m,
        sum(company_predicted_clv_12m) as account_predicted_value
    from member_accounts
    group by segment_name

),

waterfall_sizes as (

    select
        segment_name,
        count(*) as waterfall_count
    from waterfall
    group by segment_name

),

bases as (

    select
        count(*) as all_contacts,
        sum(case when customer_type = 'b2b' then 1 else 0 end) as b2b_contacts,
        sum(case when customer_type = 'b2c' then 1 else 0 end) as b2c_contacts
    from contacts

),

final as (

    select
        definitions.segment_name,
        definitions.audience,
        definitions.priority,
        definitions.description,
        definitions.criteria,
        coalesce(sizes.member_count, 0) as member_count,
        coalesce(sizes.company_count, 0) as company_count,
        coalesce(sizes.reachable_count, 0) as reachable_count,
        coalesce(waterfall_sizes.waterfall_count, 0) as waterfall_count,
        cast(coalesce(sizes.member_count, 0) as {{ dbt.type_float() }})
        / nullif(
            case definitions.audience
                when 'b2b' then bases.b2b_contacts
                when 'b2c' then bases.b2c_contacts
                else bases.all_contacts
            end,
            0
        ) as share_of_base,
        coalesce(sizes.consumer_revenue_12m, 0) + coalesce(accounts.account_revenue_12m, 0) as revenue_12m,
        case
            when sizes.consumer_predicted_value is not null or accounts.account_predicted_value is not null
                then coalesce(sizes.consumer_predicted_value, 0) + coalesce(accounts.account_predicted_value, 0)
        end as predicted_value,
        coalesce(sizes.member_count, 0) < {{ var('min_segment_size') }} as is_too_small,
        {{ build_started_at() }} as built_at
    from definitions
    cross join bases
    left join sizes
        on definitions.segment_name = sizes.segment_name
    left join accounts
        on definitions.segment_name = accounts.segment_name
    left join waterfall_sizes
        on definitions.segment_name = waterfall_sizes.segment_name

)

select * from final
