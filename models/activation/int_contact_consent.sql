{#- One row per person: on what legal basis they may be emailed (CNIL, CPCE art. L.34-5), whether they are
    suppressed and why, and whether they are emailable, as of the reference date (later events and consent changes
    are ignored). The rules, in order, are in docs/DESIGN.md ("Consent and suppression"). A table. -#}
{{ config(materialized='table') }}
with

people as (

    select
        contact_id,
        customer_type,
        email,
        is_free_webmail
    from {{ ref('int_contacts_classified') }}

),

-- the person's consent is the latest decision recorded on any of their merged records (an opt-out wins a tie)
consent_records as (

    select
        identities.surviving_contact_id as contact_id,
        records.email_consent,
        records.consent_updated_at,
        row_number() over (
            partition by identities.surviving_contact_id
            order by
                case when records.consent_updated_at is null then 1 else 0 end,
                records.consent_updated_at desc,
                case when records.email_consent = 'opt_out' then 0 else 1 end
        ) as decision_rank
    from {{ ref('stg_crm__contacts') }} as records
    inner join {{ ref('contact_identity_map') }} as identities
        on records.contact_id = identities.contact_id
    where
        records.email_consent in ('opt_in', 'opt_out')
        and (records.consent_updated_at is null or cast(records.consent_updated_at as date) <= {{ reference_date() }})

),

consents as (

    select
        contact_id,
        email_consent,
        consent_updated_at
    from consent_records
    where decision_rank = 1

),

purchases as (

    select
        contact_id,
        lifetime_orders
    from {{ ref('int_contact_purchases') }}

),

engagement as (

    select
        contact_id,
        last_delivered_at,
        last_open_at,
        last_click_at
    from {{ ref('int_contact_engagement') }}

),

-- the few events that suppress an address, resolved to the person
suppression_events as (

    {{ resolved_email_events(
        "events.event_type in ('unsubscribe', 'complaint', 'hard_bounce', 'soft_bounce') and events.event_date <= "
        ~ reference_date()
    ) | indent(4) }}

),

suppression_totals as (

    select
        suppression_events.contact_id,
        max(case when suppression_events.event_type = 'unsubscribe' then suppression_events.occurred_at end)
            as last_unsubscribe_at,
        max(case when suppression_events.event_type = 'complaint' then suppression_events.occurred_at end)
            as last_complaint_at,
        -- a hard bounce suppresses the address that bounced, not a newer one
        max(
            case
                when
                    suppression_events.event_type = 'hard_bounce'
                    and (
                        suppression_events.event_email is null
                        or lower(suppression_events.event_email) = lower(people.email)
                    )
                    then suppression_events.occurred_at
            end
        ) as last_hard_bounce_at,
        -- the current run of soft bounces: those after the latest delivery, open or click
        count(
            case
                when
                    suppression_events.event_type = 'soft_bounce'
                    and (
                        engagement.last_delivered_at is null
                        or suppression_events.occurred_at > engagement.last_delivered_at
                    )
                    and (engagement.last_open_at is null or suppression_events.occurred_at > engagement.last_open_at)
                    and (engagement.last_click_at is null or suppression_events.occurred_at > engagement.last_click_at)
                    then 1
            end
        ) as consecutive_soft_bounces
    from suppression_events
    inner join people
        on suppression_events.contact_id = people.contact_id
    left join engagement
        on suppression_events.contact_id = engagement.contact_id
    group by suppression_events.contact_id

),

joined as (

    select
        people.contact_id,
        people.customer_type,
        people.email,
        people.is_free_webmail,
        coalesce(consents.email_consent, 'unknown') as email_consent,
        consents.consent_updated_at,
        coalesce(purchases.lifetime_orders, 0) as lifetime_orders,
        suppression_totals.last_unsubscribe_at,
        suppression_totals.last_complaint_at,
        suppression_totals.last_hard_bounce_at,
        coalesce(suppression_totals.consecutive_soft_bounces, 0) as consecutive_soft_bounces,
        -- an unsubscribe stands unless the person opted in again afterwards
        suppression_totals.last_unsubscribe_at is not null
        and not (
            coalesce(consents.email_consent, 'unknown') = 'opt_in'
            and consents.consent_updated_at > suppression_totals.last_unsubscribe_at
        ) as is_unsubscribed
    from people
    left join consents
        on people.contact_id = consents.contact_id
    left join purchases
        on people.contact_id = purchases.contact_id
    left join suppression_totals
        on people.contact_id = suppression_totals.contact_id

),

decided as (

    select
        *,
        case
            when email is null then 'none'
            when email_consent = 'opt_in' then 'consent'
            when email_consent = 'opt_out' then 'none'
            when customer_type = 'b2b' and not coalesce(is_free_webmail, false) then 'b2b_legitimate_interest'
            when customer_type = 'b2c' and lifetime_orders > 0 then 'soft_opt_in'
            else 'none'
        end as email_legal_basis,
        case
            when email is null then 'no email address'
            when email_consent = 'opt_in' then 'opted in'
            when email_consent = 'opt_out' then 'objected: consent opt_out'
            when customer_type = 'b2b' and not coalesce(is_free_webmail, false)
                then 'work address of an account contact, about their job; they can object'
            when customer_type = 'b2b' then 'personal (webmail) address of an account contact without consent'
            when lifetime_orders > 0 then 'existing customer: offers of products similar to what they bought only'
            else 'consumer without consent who never bought'
        end as email_legal_basis_reason,
        case
            when email is null then null
            when last_complaint_at is not null then 'spam_complaint'
            when is_unsubscribed then 'unsubscribed'
            when email_consent = 'opt_out' then 'opted_out'
            when last_hard_bounce_at is not null then 'hard_bounce'
            when consecutive_soft_bounces >= {{ var('suppression_soft_bounces') }} then 'repeated_soft_bounces'
        end as suppression_reason
    from joined

),

final as (

    select
        -- ids
        contact_id,
        -- strings
        email_consent,
        email_legal_basis,
        email_legal_basis_reason,
        suppression_reason,
        -- numerics
        consecutive_soft_bounces,
        -- booleans
        suppression_reason is not null as is_suppressed,
        email is not null and suppression_reason is null and email_legal_basis <> 'none' as is_emailable,
        -- dates
        consent_updated_at,
        last_unsubscribe_at,
        last_complaint_at,
        last_hard_bounce_at
    from decided

)

select * from final
