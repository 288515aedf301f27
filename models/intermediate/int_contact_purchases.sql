{{ config(materialized='table') }}

{#- Purchasing mode of every person (surviving contact) as of the reference date: revenue and orders over 12 months
    and lifetime, average order value and spacing, first and last order, share of services, favourite category and
    the lifestyles read from the categories bought. Only completed orders count as orders, a refund subtracts its
    total, a cancelled order counts nothing; orders after the reference date are ignored. -#}
with

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

order_totals as (

    {{ order_totals_by('contact_id') }}

),

category_spend as (

    select
        contact_id,
        category,
        category_amount,
        row_number() over (partition by contact_id order by category_amount desc, category asc) as category_rank,
        category_amount / nullif(sum(category_amount) over (partition by contact_id), 0) as category_share
    from {{ ref('int_contact_category_spend') }}

),

favourite_categories as (

    select
        contact_id,
        category as favourite_category
    from category_spend
    where category_rank = 1 and category_amount > 0

),

-- the lifestyles of each category bought, matched on the folded text once per category (folding it on every
-- person's category row cost 8 s of CPU at a million people)
categories as (

    select distinct category
    from {{ ref('int_contact_category_spend') }}

),

category_lifestyles as (

    select distinct
        categories.category,
        lifestyles.lifestyle
    from categories
    inner join {{ ref('ref_category_lifestyles') }} as lifestyles
        on {{ fold_text('categories.category') }} = {{ fold_text('lifestyles.category') }}

),

lifestyle_shares as (

    select
        category_spend.contact_id,
        category_lifestyles.lifestyle,
        sum(category_spend.category_share) as lifestyle_share
    from category_spend
    inner join category_lifestyles
        on category_spend.category = category_lifestyles.category
    group by category_spend.contact_id, category_lifestyles.lifestyle

),

lifestyles as (

    select
        contact_id,
        {{ dbt.listagg('lifestyle', "'|'", 'order by lifestyle') }} as lifestyle_affinities
    from lifestyle_shares
    where lifestyle_share >= {{ var('lifestyle_min_share') }}
    group by contact_id

),

final as (

    select
        -- ids
        contacts.contact_id,
        contacts.company_id,
        -- strings
        favourite_categories.favourite_category,
        lifestyles.lifestyle_affinities,
        -- numerics and dates
        {{ order_metrics('order_totals') }}
    from contacts
    left join order_totals
        on contacts.contact_id = order_totals.contact_id
    left join favourite_categories
        on contacts.contact_id = favourite_categories.contact_id
    left join lifestyles
        on contacts.contact_id = lifestyles.contact_id

)

select * from final
