{{ config(materialized='table') }}

{#- What each person spent per product category: the line amounts of their completed orders placed up to the
    reference date, one pass over the order lines. Feeds `favourite_category` and `lifestyle_affinities`. Lines of a
    product without category (or missing from the catalogue) are left out. -#}
with

orders as (

    select
        order_id,
        contact_id
    from {{ ref('fct_orders') }}
    where
        is_completed
        and contact_id is not null
        and order_date <= {{ reference_date() }}

),

lines as (

    select
        order_id,
        product_id,
        line_amount
    from {{ ref('fct_order_lines') }}

),

products as (

    select
        product_id,
        category
    from {{ ref('stg_crm__products') }}
    where category is not null

),

final as (

    select
        -- ids
        orders.contact_id,
        -- strings
        products.category,
        -- numerics
        sum(lines.line_amount) as category_amount,
        count(*) as category_line_count
    from lines
    inner join orders
        on lines.order_id = orders.order_id
    inner join products
        on lines.product_id = products.product_id
    group by orders.contact_id, products.category

)

select * from final
