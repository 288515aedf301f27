{{ config(
    materialized='incremental',
    unique_key='event_id',
    incremental_strategy='delete+insert',
    post_hook=["{{ erase_subjects('contact_id') }}", "{{ erase_subjects('email') }}"],
) }}

{#- One row per emailing event (sent, delivered, open, click, bounce, unsubscribe, complaint). Incremental: a run
    reprocesses the last `incremental_lookback_days` days of events and replaces them by `event_id`. The contact id
    is the one of the export; `contact_identity_map` resolves it to the person. The post-hooks delete the events of
    people erased since they were loaded (GDPR erasure, macro `erase_subjects`). -#}
with

events as (

    select * from {{ ref('stg_crm__email_events') }}

),

final as (

    select
        -- ids
        event_id,
        contact_id,
        campaign_id,
        -- strings
        email,
        event_type,
        -- dates
        cast(occurred_at as date) as event_date,
        occurred_at,
        -- the build that wrote the row: the key test checks the latest one's rows (macros/key_tests.sql)
        {{ build_started_at() }} as _loaded_at
    from events
    {{ incremental_window('occurred_at') }}

)

select * from final
