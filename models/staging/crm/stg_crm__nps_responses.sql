{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__nps_responses') }}
    where quarantine_rule is null

),

final as (

    select
        -- ids
        response_id,
        contact_id,
        -- numerics
        nps_score,
        -- dates
        responded_at
    from base

)

select * from final
