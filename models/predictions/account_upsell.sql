{#- Up-sell as of the reference date: for every customer account (at least one completed order), the product
    categories it lacks although its peers have them. An account has a category when it bought it (a line of a
    completed order) or has equipment of it installed. Peers are the customer accounts of the same sector (NAF
    section) and size category, the account itself left out; a category's peer share is smoothed toward the sector's
    share, itself smoothed toward all customer accounts' (m = `peer_prior_accounts`, as the prospect potential). A
    category is missing when its peer share is at least `upsell_min_peer_share` and the account lacks it.
    `upsell_score` is the part (0-100) of the account's peer basket (the categories that reach that share, weighted by
    their share) that it lacks. -#}
with

customers as (

    select
        companies.company_id,
        coalesce(companies.naf_section, 'unknown') as sector,
        companies.size_category
    from {{ ref('int_companies_classified') }} as companies
    inner join {{ ref('int_company_behaviour') }} as behaviour
        on companies.company_id = behaviour.company_id
    where behaviour.lifetime_orders > 0

),

products as (

    select
        product_id,
        category
    from {{ ref('stg_crm__products') }}
    where category is not null

),

bought as (

    select
        orders.company_id,
        products.category
    from {{ ref('fct_order_lines') }} as order_lines
    inner join {{ ref('fct_orders') }} as orders
        on order_lines.order_id = orders.order_id
    inner join products
        on order_lines.product_id = products.product_id
    where
        orders.is_completed
        and orders.company_id is not null
        and orders.order_date <= {{ reference_date() }}

),

installed as (

    select
        equipment.company_id,
        products.category
    from {{ ref('stg_crm__equipment') }} as equipment
    inner join products
        on equipment.product_id = products.product_id
    where equipment.installed_date is null or equipment.installed_date <= {{ reference_date() }}

),

holdings as (

    select
        customers.company_id,
        customers.sector,
        customers.size_category,
        held.category
    from (
        select
            company_id,
            category
        from bought
        union
        select
            company_id,
            category
        from installed
    ) as held
    inner join customers
        on held.company_id = customers.company_id

),

categories as (

    select distinct category from products

),

-- every (account, category) pair, with whether the account has it
pairs as (

    select
        customers.company_id,
        customers.sector,
        customers.size_category,
        categories.category,
        case when holdings.company_id is null then 0 else 1 end as has_category
    from customers
    cross join categories
    left join holdings
        on customers.company_id = holdings.company_id and categories.category = holdings.category

),

all_shares as (

    select
        category,
        count(*) as account_count,
        sum(has_category) as holder_count
    from pairs
    group by category

),

sector_shares as (

    select
        sector,
        category,
        count(*) as account_count,
        sum(has_category) as holder_count
    from pairs
    group by sector, category

),

peer_shares as (

    select
        sector,
        size_category,
        category,
        count(*) as account_count,
        sum(has_category) as holder_count
    from pairs
    group by sector, size_category, category

),

-- each level without the account itself, smoothed toward the level above
all_smoothed as (

    select
        pairs.*,
        sector_shares.holder_count - pairs.has_category as sector_holders,
        sector_shares.account_count - 1 as sector_accounts,
        peer_shares.holder_count - pairs.has_category as peer_holders,
        peer_shares.account_count - 1 as peer_accounts,
        cast(all_shares.holder_count - pairs.has_category as {{ dbt.type_float() }})
        / nullif(all_shares.account_count - 1, 0) as all_share
    from pairs
    inner join all_shares
        on pairs.category = all_shares.category
    inner join sector_shares
        on pairs.sector = sector_shares.sector and pairs.category = sector_shares.category
    inner join peer_shares
        on
            pairs.sector = peer_shares.sector
            and pairs.size_category = peer_shares.size_category
            and pairs.category = peer_shares.category

),

sector_smoothed as (

    select
        *,
        {{ smoothed_rate('sector_holders', 'sector_accounts', 'coalesce(all_share, 0)') }} as sector_share
    from all_smoothed

),

peer_smoothed as (

    select
        *,
        {{ smoothed_rate('peer_holders', 'peer_accounts', 'sector_share') }} as peer_share
    from sector_smoothed

),

basket as (

    select
        *,
        peer_share >= {{ var('upsell_min_peer_share') }} as is_peer_typical,
        peer_share >= {{ var('upsell_min_peer_share') }} and has_category = 0 as is_missing
    from peer_smoothed

),

missing_lists as (

    select
        company_id,
        {{ dbt.listagg('category', "'|'", 'order by peer_share desc, category') }} as missing_products
    from basket
    where is_missing
    group by company_id

),

scores as (

    select
        company_id,
        count(case when is_missing then 1 end) as missing_product_count,
        sum(case when is_missing then peer_share else 0 end) as missing_share,
        sum(case when is_peer_typical then peer_share else 0 end) as typical_share
    from basket
    group by company_id

),

final as (

    select
        -- ids
        scores.company_id,
        -- strings
        missing_lists.missing_products,
        -- numerics
        scores.missing_product_count,
        coalesce(
            cast(
                round(cast(100 * scores.missing_share / nullif(scores.typical_share, 0) as {{ dbt.type_numeric() }}), 0)
                as {{ dbt.type_int() }}
            ),
            0
        ) as upsell_score
    from scores
    left join missing_lists
        on scores.company_id = missing_lists.company_id

)

select * from final
