{#- Net Promoter Score category of a 0-10 answer: promoter (9-10), passive (7-8), detractor (0-6). -#}
{% macro nps_category(score) -%}
    case
        when {{ score }} >= 9 then 'promoter'
        when {{ score }} >= 7 then 'passive'
        when {{ score }} >= 0 then 'detractor'
    end
{%- endmacro %}

{#- Email engagement level from a person's counts over the 90 days and days since their last open or click (null:
    never): engaged (a click or at least 2 opens in the 90 days), occasional (else an open or click in the last 180
    days), dormant (opened or clicked before, not in 180 days), never. -#}
{% macro engagement_level(clicks_90d, opens_90d, days_since_last_engagement) -%}
    case
        when {{ clicks_90d }} > 0 or {{ opens_90d }} >= 2 then 'engaged'
        when {{ days_since_last_engagement }} < 180 then 'occasional'
        when {{ days_since_last_engagement }} is not null then 'dormant'
        else 'never'
    end
{%- endmacro %}

{#- Email events resolved to the person (surviving contact): through the event's contact id (`contact_identity_map`,
    merged records included) or, without contact id, through its address when exactly one person has it (else the
    contact_id is null), with the address the event was sent to (`event_email`). `event_filter` is a predicate on the
    events (alias `events`). -#}
{% macro resolved_email_events(event_filter) -%}
    {#- Two branches rather than one join on `contact_id is null and email = ...`: that join probes the address of
        every event (11 million at bench scale) to keep the few without contact id. -#}
    select
        identity.surviving_contact_id as contact_id,
        events.event_type,
        events.event_date,
        events.occurred_at,
        events.email as event_email
    from {{ ref('fct_email_events') }} as events
    left join {{ ref('contact_identity_map') }} as identity
        on events.contact_id = identity.contact_id
    where events.contact_id is not null and ({{ event_filter }})

    union all

    select
        email_owners.contact_id,
        events.event_type,
        events.event_date,
        events.occurred_at,
        events.email as event_email
    from {{ ref('fct_email_events') }} as events
    left join (
        -- an address held by exactly one person identifies them
        select
            email,
            min(contact_id) as contact_id
        from {{ ref('int_contacts_deduplicated') }}
        where is_survivor and email is not null
        group by email
        having count(*) = 1
    ) as email_owners
        on events.email = email_owners.email
    where events.contact_id is null and ({{ event_filter }})
{%- endmacro %}

{#- The customers of the relation `customers` (columns days_since_last_order, lifetime_orders, lifetime_revenue and
    the `partition` ones) with their RFM scores (`rfm_score`, ranked within `partition`) and the frequency-monetary
    score: the average of the frequency and monetary scores, rounded up. -#}
{% macro rfm_scored(customers, partition='customer_type') -%}
    select
        scores.*,
        cast(floor((scores.frequency_score + scores.monetary_score + 1) / 2) as {{ dbt.type_int() }})
            as frequency_monetary_score
    from (
        select
            *,
            {{ rfm_score('days_since_last_order', 'days_since_last_order desc', partition) }} as recency_score,
            {{ rfm_score('lifetime_orders', 'lifetime_orders asc', partition) }} as frequency_score,
            {{ rfm_score('lifetime_revenue', 'lifetime_revenue asc', partition) }} as monetary_score
        from {{ customers }}
    ) as scores
{%- endmacro %}
