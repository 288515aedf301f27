{{ config(materialized='table') }}

{#- Email engagement of every person as of the reference date, from one pass over the email events. An event is the
    person's through its contact id (`contact_identity_map`, merged records included) or, when it has no contact id,
    through its address when exactly one person has it. Deliveries, opens and clicks over the 90 days ending on the
    reference date, last delivery, open and click, days since the last open or click, and the engagement level:
    engaged (a click or at least 2 opens in the 90 days), occasional (else an open or click in the last 180 days),
    dormant (opened or clicked before, not in 180 days), never (no open or click up to the reference date). Events
    after the reference date are ignored. `contact_engagement_as_of` reads its reference-date rows from here. -#}
with

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

resolved as (

    {{ person_email_events(['delivered', 'open', 'click']) | indent(4) }}

),

event_totals as (

    select
        contact_id,
        count(case when event_type = 'delivered' and days_ago < 90 then 1 end) as emails_delivered_90d,
        count(case when event_type = 'open' and days_ago < 90 then 1 end) as opens_90d,
        count(case when event_type = 'click' and days_ago < 90 then 1 end) as clicks_90d,
        min(case when event_type in ('open', 'click') then days_ago end) as days_since_last_engagement,
        max(case when event_type = 'open' then occurred_at end) as last_open_at,
        max(case when event_type = 'click' then occurred_at end) as last_click_at,
        max(case when event_type = 'delivered' then occurred_at end) as last_delivered_at
    from resolved
    where contact_id is not null
    group by contact_id

),

final as (

    select
        -- ids
        contacts.contact_id,
        contacts.company_id,
        -- strings
        {{ engagement_level(
            'event_totals.clicks_90d', 'event_totals.opens_90d', 'event_totals.days_since_last_engagement'
        ) }} as engagement_level,
        -- numerics
        coalesce(event_totals.emails_delivered_90d, 0) as emails_delivered_90d,
        coalesce(event_totals.opens_90d, 0) as opens_90d,
        coalesce(event_totals.clicks_90d, 0) as clicks_90d,
        event_totals.days_since_last_engagement,
        -- dates
        event_totals.last_open_at,
        event_totals.last_click_at,
        event_totals.last_delivered_at
    from contacts
    left join event_totals
        on contacts.contact_id = event_totals.contact_id

)

select * from final
