{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__equipment') }}
    where quarantine_rule is null

),

final as (

    select
        -- ids
        company_id,
        product_id,
        -- numerics
        seats_purchased,
        seats_active,
        -- dates
        installed_date,
        last_used_at
    from base

)

select * from final
