{{ config(materialized='table') }}

{#- Store visits of every person over the 90 days ending on the reference date (visits after it ignored), the visit's
    contact id resolved to the person through `contact_identity_map`, and whether they are a store regular (at least
    `store_regular_min_visits` visits, default 3: about one a month). -#}
with

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

identity as (

    select
        contact_id,
        surviving_contact_id
    from {{ ref('contact_identity_map') }}

),

visits as (

    select contact_id
    from {{ ref('fct_store_visits') }}
    where
        visit_date <= {{ reference_date() }}
        and {{ days_before_reference('visit_date') }} < 90

),

visit_totals as (

    select
        identity.surviving_contact_id as contact_id,
        count(*) as store_visits_90d
    from visits
    inner join identity
        on visits.contact_id = identity.contact_id
    group by identity.surviving_contact_id

),

final as (

    select
        -- ids
        contacts.contact_id,
        contacts.company_id,
        -- numerics
        coalesce(visit_totals.store_visits_90d, 0) as store_visits_90d,
        -- booleans
        coalesce(visit_totals.store_visits_90d, 0) >= {{ var('store_regular_min_visits') }} as is_store_regular
    from contacts
    left join visit_totals
        on contacts.contact_id = visit_totals.contact_id

)

select * from final
