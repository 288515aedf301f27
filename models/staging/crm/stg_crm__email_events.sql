{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__email_events') }}
    where quarantine_rule is null

),

final as (

    select
        -- ids
        event_id,
        contact_id,
        campaign_id,
        -- strings
        email,
        event_type,
        -- dates
        occurred_at,
        -- the build that parsed the row (base model)
        _loaded_at
    from base

)

select * from final
