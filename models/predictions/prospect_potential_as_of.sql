{#- Prospect and company potential as of each cutoff of `prediction_cutoffs`: for every account existing at the cutoff
    (created on or before it), the share of look-alike accounts (same sector x size x region) that are customers
    (at least one completed order by the cutoff), the account itself left out. Small cells are smoothed toward their
    parent level, level by level (empirical Bayes, additive): rate = (customers + m x parent rate) / (accounts + m),
    m = `peer_prior_accounts`, from all accounts through sector, sector x size, to sector x size x region.
    `prospect_score` is that rate in percent; `potential_band` compares it with all accounts' rate. The label of an
    account that is not a customer at the cutoff: its first completed order falls in the horizon after the cutoff
    (null while that window is not over). -#}
{{ as_of_incremental_config() }}
with

cutoffs as (

    {{ as_of_cutoffs() | indent(4) }}

),

companies as (

    select
        company_id,
        coalesce(naf_section, 'unknown') as sector,
        size_category,
        coalesce(region, 'unknown') as region,
        cast(created_at as date) as created_date
    from {{ ref('int_companies_classified') }}

),

first_orders as (

    select
        company_id,
        min(order_date) as first_order_date
    from {{ ref('fct_orders') }}
    where
        is_completed
        and company_id is not null
        and order_date <= {{ reference_date() }}
    group by company_id

),

accounts as (

    select
        cutoffs.cutoff_index,
        cutoffs.cutoff_date,
        cutoffs.has_label,
        companies.company_id,
        companies.sector,
        companies.size_category,
        companies.region,
        first_orders.first_order_date,
        case when first_orders.first_order_date <= cutoffs.cutoff_date then 1 else 0 end as is_customer,
        case
            when first_orders.first_order_date > cutoffs.cutoff_date
                and first_orders.first_order_date <= cutoffs.label_end_date then 1
            else 0
        end as converts
    from companies
    cross join cutoffs
    left join first_orders
        on companies.company_id = first_orders.company_id
    where companies.created_date is null or companies.created_date <= cutoffs.cutoff_date

),

all_totals as (

    select
        cutoff_date,
        count(*) as account_count,
        sum(is_customer) as customer_count
    from accounts
    group by cutoff_date

),

sectors as (

    select
        cutoff_date,
        sector,
        count(*) as account_count,
        sum(is_customer) as customer_count
    from accounts
    group by cutoff_date, sector

),

sector_sizes as (

    select
        cutoff_date,
        sector,
        size_category,
        count(*) as account_count,
        sum(is_customer) as customer_count
    from accounts
    group by cutoff_date, sector, size_category

),

cells as (

    select
        cutoff_date,
        sector,
        size_category,
        region,
        count(*) as account_count,
        sum(is_customer) as customer_count
    from accounts
    group by cutoff_date, sector, size_category, region

),

-- every level without the account itself, then smoothed toward the level above
others as (

    select
        accounts.*,
        all_totals.customer_count - accounts.is_customer as all_customers,
        all_totals.account_count - 1 as all_accounts,
        sectors.customer_count - accounts.is_customer as sector_customers,
        sectors.account_count - 1 as sector_accounts,
        sector_sizes.customer_count - accounts.is_customer as sector_size_customers,
        sector_sizes.account_count - 1 as sector_size_accounts,
        cells.customer_count - accounts.is_customer as cell_customers,
        cells.account_count - 1 as cell_accounts
    from accounts
    inner join all_totals
        on accounts.cutoff_date = all_totals.cutoff_date
    inner join sectors
        on accounts.cutoff_date = sectors.cutoff_date and accounts.sector = sectors.sector
    inner join sector_sizes
        on
            accounts.cutoff_date = sector_sizes.cutoff_date
            and accounts.sector = sector_sizes.sector
            and accounts.size_category = sector_sizes.size_category
    inner join cells
        on
            accounts.cutoff_date = cells.cutoff_date
            and accounts.sector = cells.sector
            and accounts.size_category = cells.size_category
            and accounts.region = cells.region

),

all_rates as (

    select
        *,
        cast(all_customers as {{ dbt.type_float() }}) / nullif(all_accounts, 0) as all_rate
    from others

),

sector_rates as (

    select
        *,
        {{ smoothed_rate('sector_customers', 'sector_accounts', 'all_rate') }} as sector_rate
    from all_rates

),

sector_size_rates as (

    select
        *,
        {{ smoothed_rate('sector_size_customers', 'sector_size_accounts', 'sector_rate') }} as sector_size_rate
    from sector_rates

),

cell_rates as (

    select
        *,
        {{ smoothed_rate('cell_customers', 'cell_accounts', 'sector_size_rate') }} as cell_rate
    from sector_size_rates

),

final as (

    select
        -- ids
        company_id,
        -- strings
        sector,
        size_category,
        region,
        case
            when cell_rate >= {{ var('potential_high_min_lift') }} * all_rate then 'high'
            when cell_rate < {{ var('potential_low_max_lift') }} * all_rate then 'low'
            else 'medium'
        end as potential_band,
        -- numerics
        cutoff_index,
        cast(cell_accounts as {{ dbt.type_bigint() }}) as look_alike_accounts,
        cast(cell_customers as {{ dbt.type_bigint() }}) as look_alike_customers,
        cast(round(cast(cell_rate as {{ dbt.type_numeric() }}), 4) as {{ decimal_places(4) }}) as potential_rate,
        cast(round(cast(all_rate as {{ dbt.type_numeric() }}), 4) as {{ decimal_places(4) }}) as all_accounts_rate,
        cast(round(cast(100 * cell_rate as {{ dbt.type_numeric() }}), 0) as {{ dbt.type_int() }}) as prospect_score,
        -- booleans
        is_customer = 1 as is_customer,
        case when has_label and is_customer = 0 then converts = 1 end as is_converted,
        -- dates
        cutoff_date,
        {{ reference_date() }} as computed_as_of
    from cell_rates

)

select * from final
