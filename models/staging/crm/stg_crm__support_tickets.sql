{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__support_tickets') }}
    where quarantine_rule is null

),

final as (

    select
        -- ids
        ticket_id,
        contact_id,
        company_id,
        -- strings
        channel,
        category,
        priority,
        -- numerics
        satisfaction_score,
        -- dates
        opened_at,
        closed_at
    from base

)

select * from final
