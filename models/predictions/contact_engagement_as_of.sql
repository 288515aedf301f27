{#- Email engagement of every person as of each cutoff of `prediction_cutoffs`, with the rules of
    `int_contact_engagement` (same event resolution, same windows, ending on the cutoff instead of the reference
    date): deliveries, opens and clicks of the 90 days, days since the last open or click, engagement level. One row
    per cutoff and person with an event up to the cutoff (others: no delivery, level never). Training cutoffs are
    computed from the events (`engagement_totals_as_of`). The reference date (cutoff 0) is the one
    `int_contact_engagement` computed for the same people: its rows are read from there, not computed twice, and a
    daily run whose training cutoffs are all settled reads nothing else. -#}
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

training_cutoffs as (

    {{ as_of_training_cutoffs('cutoffs') | indent(4) }}

),

training_totals as (

    {{ engagement_totals_as_of('training_cutoffs') | indent(4) }}

),

-- the reference date: the people with an event up to it (a delivery in the 90 days, or an open or click ever)
reference_totals as (

    select
        cutoffs.cutoff_index,
        cutoffs.cutoff_date,
        engagement.contact_id,
        engagement.emails_delivered_90d,
        engagement.opens_90d,
        engagement.clicks_90d,
        engagement.days_since_last_engagement
    from {{ ref('int_contact_engagement') }} as engagement
    inner join cutoffs
        on cutoffs.cutoff_index = 0
    where
        engagement.emails_delivered_90d + engagement.opens_90d + engagement.clicks_90d > 0
        or engagement.days_since_last_engagement is not null

),

event_totals as (

    select * from training_totals
    union all
    select * from reference_totals

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
