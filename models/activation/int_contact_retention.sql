{#- One row per person: the CNIL clock of their data. Prospect data may be kept `retention_years` (3) years from its
    collection or from the last contact coming from the person; a customer's, from the end of the commercial
    relationship (their last order; for an account's contact, the account's last order). What restarts the clock:
    the creation of the person's record (of the latest, when duplicates were merged: a new record is a new collection), a click (an open does not), an opt-in, a ticket, an NPS
    answer, a store visit or an order, up to the reference date. A table. -#}
{{ config(materialized='table') }}
with

people as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_classified') }}

),

identities as (

    select
        contact_id,
        surviving_contact_id
    from {{ ref('contact_identity_map') }}

),

account_orders as (

    select
        company_id,
        max(last_order_date) as last_order_date
    from {{ ref('int_contact_purchases') }}
    where company_id is not null and last_order_date is not null
    group by company_id

),

-- each kind of contact coming from the person: (contact_id, clock_event, happened_on), up to the reference date
clock_events as (

    select
        identities.surviving_contact_id as contact_id,
        'collected' as clock_event,
        max(cast(records.created_at as date)) as happened_on
    from {{ ref('stg_crm__contacts') }} as records
    inner join identities
        on records.contact_id = identities.contact_id
    group by identities.surviving_contact_id

    union all

    select
        identities.surviving_contact_id as contact_id,
        'opt_in' as clock_event,
        max(cast(records.consent_updated_at as date)) as happened_on
    from {{ ref('stg_crm__contacts') }} as records
    inner join identities
        on records.contact_id = identities.contact_id
    where
        records.email_consent = 'opt_in'
        and cast(records.consent_updated_at as date) <= {{ reference_date() }}
    group by identities.surviving_contact_id

    union all

    select
        contact_id,
        'click' as clock_event,
        cast(last_click_at as date) as happened_on
    from {{ ref('int_contact_engagement') }}
    where last_click_at is not null

    union all

    select
        contact_id,
        'ticket' as clock_event,
        max(opened_date) as happened_on
    from {{ ref('fct_support_tickets') }}
    where contact_id is not null and opened_date <= {{ reference_date() }}
    group by contact_id

    union all

    select
        contact_id,
        'nps_answer' as clock_event,
        max(response_date) as happened_on
    from {{ ref('fct_nps_responses') }}
    where contact_id is not null and response_date <= {{ reference_date() }}
    group by contact_id

    union all

    select
        identities.surviving_contact_id as contact_id,
        'store_visit' as clock_event,
        max(visits.visit_date) as happened_on
    from {{ ref('fct_store_visits') }} as visits
    inner join identities
        on visits.contact_id = identities.contact_id
    where visits.visit_date <= {{ reference_date() }}
    group by identities.surviving_contact_id

    union all

    select
        contact_id,
        'order' as clock_event,
        last_order_date as happened_on
    from {{ ref('int_contact_purchases') }}
    where last_order_date is not null

    union all

    -- an account's order keeps the relationship of each of its people alive
    select
        people.contact_id,
        'account_order' as clock_event,
        account_orders.last_order_date as happened_on
    from people
    inner join account_orders
        on people.company_id = account_orders.company_id

),

-- the day each person's clock last started: one aggregation, so that only the events of that day are ranked (a
-- window over every event sorted 3.5 million rows at bench scale)
last_days as (

    select
        contact_id,
        max(happened_on) as happened_on
    from clock_events
    group by contact_id

),

latest as (

    select
        clock_events.contact_id,
        clock_events.clock_event,
        clock_events.happened_on,
        row_number() over (
            -- on the same day, the person's own contact names the clock rather than their account's order
            partition by clock_events.contact_id
            order by
                case when clock_events.clock_event = 'account_order' then 1 else 0 end asc,
                clock_events.clock_event asc
        ) as event_rank
    from clock_events
    inner join last_days
        on
            clock_events.contact_id = last_days.contact_id
            and clock_events.happened_on = last_days.happened_on

),

final as (

    select
        -- ids
        people.contact_id,
        -- strings
        latest.clock_event as retention_clock_event,
        -- booleans
        {{ retention_expiry('latest.happened_on') }} <= {{ reference_date() }} as is_retention_expired,
        {{ retention_expiry('latest.happened_on') }}
        <= {{ dbt.dateadd('day', var('retention_notice_days'), reference_date()) }} as is_retention_due,
        -- dates
        latest.happened_on as retention_clock_started_on,
        {{ retention_expiry('latest.happened_on') }} as retention_expires_on
    from people
    left join latest
        on people.contact_id = latest.contact_id and latest.event_rank = 1

)

select * from final
