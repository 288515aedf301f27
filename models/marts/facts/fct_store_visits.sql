{{ config(
    materialized='incremental',
    unique_key='visit_id',
    incremental_strategy='delete+insert',
    post_hook=["{{ erase_subjects('contact_id') }}"],
) }}

{#- One row per visit to a physical store. Incremental: a run reprocesses the last `incremental_lookback_days` days
    of visits and replaces them by `visit_id`. The post-hook deletes the visits of people erased since they were
    loaded (GDPR erasure, macro `erase_subjects`). -#}
with

visits as (

    select * from {{ ref('stg_crm__store_visits') }}

),

final as (

    select
        -- ids
        visit_id,
        contact_id,
        store_id,
        -- dates
        cast(visited_at as date) as visit_date,
        visited_at
    from visits
    {{ incremental_window('visited_at') }}

)

select * from final
