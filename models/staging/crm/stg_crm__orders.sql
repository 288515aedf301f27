{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__orders') }}
    where quarantine_rule is null

),

final as (

    select
        -- ids
        order_id,
        contact_id,
        company_id,
        store_id,
        -- strings
        channel,
        coalesce(status, 'completed') as status,
        currency,
        -- numerics
        total_amount,
        -- dates
        ordered_at,
        -- the build that parsed the row (base model)
        _loaded_at
    from base

)

select * from final
