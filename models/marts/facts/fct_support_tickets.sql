{#- One row per customer-service ticket, its contact resolved to the person and its account, whether it is still
    open at the reference date and how long it took to close. -#}
with

tickets as (

    select * from {{ ref('stg_crm__support_tickets') }}

),

identity as (

    select
        contact_id,
        surviving_contact_id,
        company_id
    from {{ ref('contact_identity_map') }}

),

final as (

    select
        -- ids
        tickets.ticket_id,
        identity.surviving_contact_id as contact_id,
        tickets.contact_id as source_contact_id,
        coalesce(tickets.company_id, identity.company_id) as company_id,
        -- strings
        tickets.channel,
        tickets.category,
        tickets.priority,
        -- numerics
        tickets.satisfaction_score,
        -- null while closed_at is null
        {{ dbt.datediff('tickets.opened_at', 'tickets.closed_at', 'minute') }}
        / 60.0 as resolution_hours,
        -- booleans
        tickets.closed_at is null or cast(tickets.closed_at as date) > {{ reference_date() }} as is_open,
        -- dates
        cast(tickets.opened_at as date) as opened_date,
        tickets.opened_at,
        tickets.closed_at
    from tickets
    left join identity
        on tickets.contact_id = identity.contact_id

)

select * from final
