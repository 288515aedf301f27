{{ config(
    materialized='incremental',
    unique_key=['order_id', 'line_number'],
    incremental_strategy='delete+insert',
    post_hook=["{{ erase_subjects('order_id') }}"],
) }}

{#- One row per order line with its amount and when its order was placed. Incremental: a run reprocesses the lines
    of orders placed in the last `incremental_lookback_days` days and replaces them by (order_id, line_number).
    Product attributes and the order's status are not copied here (they change): `fct_orders` joins them. The
    post-hook deletes the lines of orders erased since they were loaded (a consumer's orders, GDPR erasure). -#}
with

lines as (

    select * from {{ ref('stg_crm__order_lines') }}

),

orders as (

    select
        order_id,
        ordered_at
    from {{ ref('stg_crm__orders') }}

),

final as (

    select
        -- ids
        lines.order_id,
        lines.line_number,
        lines.product_id,
        -- numerics
        lines.quantity,
        lines.unit_price,
        lines.discount_amount,
        lines.quantity * lines.unit_price - lines.discount_amount as line_amount,
        -- dates
        orders.ordered_at,
        -- the build that wrote the row: the key test checks the latest one's rows (macros/key_tests.sql)
        {{ build_started_at() }} as _loaded_at
    from lines
    inner join orders
        on lines.order_id = orders.order_id
    {{ incremental_window('ordered_at', 'orders') }}

)

select * from final
