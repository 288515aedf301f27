{#- The email engagement of the reference date (cutoff 0) computed from the events, exactly as for a training cutoff
    (`engagement_totals_as_of`). `contact_engagement_as_of` reads its cutoff-0 rows from `int_contact_engagement`;
    `tests/python/test_demo_predictions.py` compiles this analysis and checks that both give the same rows. One row
    per person with an event up to the reference date. -#}
with

cutoffs as (

    select
        cutoff_index,
        cutoff_date
    from {{ ref('prediction_cutoffs') }}
    where cutoff_index = 0

),

contacts as (

    select contact_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

engagement as (

    {{ engagement_totals_as_of('cutoffs') | indent(4) }}

),

final as (

    select
        engagement.contact_id,
        {{ engagement_level(
            'engagement.clicks_90d', 'engagement.opens_90d', 'engagement.days_since_last_engagement'
        ) }} as engagement_level,
        engagement.emails_delivered_90d,
        engagement.opens_90d,
        engagement.clicks_90d,
        engagement.days_since_last_engagement
    from engagement
    inner join contacts
        on engagement.contact_id = contacts.contact_id

)

select * from final
