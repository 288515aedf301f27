{#- One row per order with its customer resolved to the person (`dim_contacts`) and the account, its signed revenue
    and the split of its lines between products and services. Revenue rule (docs `net_revenue`): a completed order
    counts its total, a refunded order subtracts its total, a cancelled order counts nothing. -#}
with

orders as (

    select * from {{ ref('stg_crm__orders') }}

),

identity as (

    select
        contact_id,
        surviving_contact_id,
        company_id
    from {{ ref('contact_identity_map') }}

),

products as (

    select * from {{ ref('stg_crm__products') }}

),

lines as (

    select
        fct_order_lines.order_id,
        count(*) as line_count,
        sum(fct_order_lines.quantity) as item_quantity,
        sum(fct_order_lines.line_amount) as lines_amount,
        sum(
            case when products.product_type in ('service', 'subscription') then fct_order_lines.line_amount else 0 end
        ) as services_amount,
        sum(case when products.technology_level = 'advanced' then fct_order_lines.line_amount else 0 end)
            as advanced_technology_amount
    from {{ ref('fct_order_lines') }} as fct_order_lines
    left join products
        on fct_order_lines.product_id = products.product_id
    group by fct_order_lines.order_id

),

final as (

    select
        -- ids
        orders.order_id,
        identity.surviving_contact_id as contact_id,
        orders.contact_id as source_contact_id,
        coalesce(orders.company_id, identity.company_id) as company_id,
        orders.store_id,
        -- strings
        orders.channel,
        orders.status,
        orders.currency,
        case when coalesce(orders.company_id, identity.company_id) is null then 'b2c' else 'b2b' end
            as customer_type,
        -- numerics
        orders.total_amount,
        case orders.status
            when 'completed' then orders.total_amount
            when 'refunded' then -orders.total_amount
            else 0
        end as net_revenue,
        coalesce(lines.line_count, 0) as line_count,
        coalesce(lines.item_quantity, 0) as item_quantity,
        coalesce(lines.lines_amount, 0) as lines_amount,
        coalesce(lines.services_amount, 0) as services_amount,
        coalesce(lines.advanced_technology_amount, 0) as advanced_technology_amount,
        -- booleans
        orders.status = 'completed' as is_completed,
        orders.status = 'refunded' as is_refunded,
        -- dates
        cast(orders.ordered_at as date) as order_date,
        orders.ordered_at
    from orders
    left join identity
        on orders.contact_id = identity.contact_id
    left join lines
        on orders.order_id = lines.order_id

)

select * from final
