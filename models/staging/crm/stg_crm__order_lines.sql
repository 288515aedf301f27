{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__order_lines') }}
    where quarantine_rule is null

),

final as (

    select
        -- ids
        order_id,
        line_number,
        product_id,
        -- numerics
        coalesce(quantity, 1) as quantity,
        unit_price,
        coalesce(discount_amount, 0) as discount_amount,
        -- the build that parsed the row (base model)
        _loaded_at
    from base

)

select * from final
