{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__products') }}
    where quarantine_rule is null

),

final as (

    select
        -- ids
        product_id,
        -- strings
        product_name,
        category,
        coalesce(product_type, 'product') as product_type,
        technology_level,
        -- numerics
        list_price,
        -- the build that parsed the row (base model)
        _loaded_at
    from base

)

select * from final
