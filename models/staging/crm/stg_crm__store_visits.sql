{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__store_visits') }}
    where quarantine_rule is null

),

final as (

    select
        -- ids
        visit_id,
        contact_id,
        store_id,
        -- dates
        visited_at
    from base

)

select * from final
