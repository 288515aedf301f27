{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='delete+insert',
    post_hook=["{{ erase_subjects('order_id') }}"],
) }}

{#- One row per order with its customer resolved to the person (`dim_contacts`) and the account, its signed revenue
    and the split of its lines between products and services. Revenue rule (docs `net_revenue`): a completed order
    counts its total, a refunded order subtracts its total, a cancelled order counts nothing.
    Incremental (delete+insert on `order_id`): a run recomputes the orders that changed since the table's last load
    (`_loaded_at`), and only those: orders staged since, orders whose lines `fct_order_lines` wrote since, and orders
    whose person or account in `contact_identity_map` is no longer the one stored (contacts merged, moved to another
    account). A product staged since (the catalogue re-exported) recomputes every order: product types and technology
    levels split the lines. The post-hook deletes the orders erased since they were loaded (GDPR erasure). -#}
with

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

{% if is_incremental() %}

    last_load as (

        -- an empty table (no order in the first build's exports) takes every order
        select coalesce(max(loaded_orders._loaded_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as loaded_at
        from {{ this }} as loaded_orders

    ),

    changed_orders as (

        -- orders staged since the table's last load
        select staged.order_id
        from {{ ref('stg_crm__orders') }} as staged
        where staged._loaded_at > (select last_load.loaded_at from last_load)

        union

        -- orders whose lines were written since
        select order_lines.order_id
        from {{ ref('fct_order_lines') }} as order_lines
        where order_lines._loaded_at > (select last_load.loaded_at from last_load)

        union

        -- orders whose loaded person or account is no longer the one the identity map resolves (an order without
        -- a contact keeps its own account, which does not depend on the map)
        select loaded_orders.order_id
        from {{ this }} as loaded_orders
        left join identity
            on loaded_orders.source_contact_id = identity.contact_id
        where
            loaded_orders.source_contact_id is not null
            and (
                loaded_orders.contact_id is distinct from identity.surviving_contact_id
                or loaded_orders.company_id is distinct from identity.company_id
            )

        union

        -- every order when a product was staged since
        select staged.order_id
        from {{ ref('stg_crm__orders') }} as staged
        where (select max(products._loaded_at) from products) > (select last_load.loaded_at from last_load)

    ),

{% endif %}

orders as (

    select staged.* from {{ ref('stg_crm__orders') }} as staged
    {% if is_incremental() %}
        where staged.order_id in (select changed.order_id from changed_orders as changed)
    {% endif %}

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
    {% if is_incremental() %}
        where fct_order_lines.order_id in (select orders.order_id from orders)
    {% endif %}
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
        orders.ordered_at,
        -- the build that wrote the row: the next run recomputes what changed after it
        {{ build_started_at() }} as _loaded_at
    from orders
    left join identity
        on orders.contact_id = identity.contact_id
    left join lines
        on orders.order_id = lines.order_id

)

select * from final
