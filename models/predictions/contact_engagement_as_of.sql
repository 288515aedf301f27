{#- Email engagement of every person as of each cutoff of `prediction_cutoffs`, with the rules of
    `int_contact_engagement` (same event resolution, same windows, ending on the cutoff instead of the reference
    date): deliveries, opens and clicks of the 90 days, days since the last open or click, engagement level. One row
    per cutoff and person with an event up to the cutoff (others: no delivery, level never). Only opens and clicks
    are joined to every later cutoff (for the last engagement); deliveries only to the cutoff whose 90 days they fall
    in. -#}
{{ as_of_incremental_config() }}
with

cutoffs as (

    select
        cutoff_index,
        cutoff_date
    from (
        {{ as_of_cutoffs() | indent(8) }}
    ) as computed_cutoffs

),

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

events as (

    select
        contact_id,
        event_date,
        count(case when event_type = 'delivered' then 1 end) as deliveries,
        count(case when event_type = 'open' then 1 end) as opens,
        count(case when event_type = 'click' then 1 end) as clicks
    from (
        {{ resolved_email_events(
            "events.event_type in ('delivered', 'open', 'click') and events.event_date <= " ~ reference_date()
        ) | indent(8) }}
    ) as resolved
    where contact_id is not null
    group by contact_id, event_date

),

dated as (

    select
        cutoffs.cutoff_index,
        cutoffs.cutoff_date,
        events.contact_id,
        events.deliveries,
        events.opens,
        events.clicks,
        {{ days_before_reference('events.event_date', 'cutoffs.cutoff_date') }}
            as days_ago
    from events
    inner join cutoffs
        on
            events.event_date <= cutoffs.cutoff_date
            and (
                events.opens + events.clicks > 0
                or {{ days_before_reference('events.event_date', 'cutoffs.cutoff_date') }}
                < 90
            )

),

event_totals as (

    select
        cutoff_index,
        cutoff_date,
        contact_id,
        sum(case when days_ago < 90 then deliveries else 0 end) as emails_delivered_90d,
        sum(case when days_ago < 90 then opens else 0 end) as opens_90d,
        sum(case when days_ago < 90 then clicks else 0 end) as clicks_90d,
        min(case when opens + clicks > 0 then days_ago end) as days_since_last_engagement
    from dated
    group by cutoff_index, cutoff_date, contact_id

),

final as (

    select
        -- ids
        event_totals.contact_id,
        contacts.company_id,
        -- strings
        {{ engagement_level(
            'event_totals.clicks_90d', 'event_totals.opens_90d', 'event_totals.days_since_last_engagement'
        ) }} as engagement_level,
        -- numerics
        event_totals.cutoff_index,
        cast(event_totals.emails_delivered_90d as {{ dbt.type_bigint() }}) as emails_delivered_90d,
        cast(event_totals.opens_90d as {{ dbt.type_bigint() }}) as opens_90d,
        cast(event_totals.clicks_90d as {{ dbt.type_bigint() }}) as clicks_90d,
        event_totals.days_since_last_engagement,
        -- dates
        event_totals.cutoff_date,
        {{ reference_date() }} as computed_as_of
    from event_totals
    inner join contacts
        on event_totals.contact_id = contacts.contact_id

)

select * from final
