{#- Who was in which segment, when: one row per spell of a contact in a segment, from the build they entered it
    (`valid_from`) to the build they left it (`valid_to`, null while they are still in it). Each build inserts the
    spells of the members who entered since the previous build and closes those of the members who left; a member
    who stayed costs nothing. Never rebuilt from scratch (`full_refresh: false`): the history is kept without a time
    limit, and the post-hook deletes the spells of people erased under the GDPR (macro `erase_subjects`: every
    record id of an erased person is in the register, so the surviving id is too). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['segment_name', 'contact_id', 'valid_from'],
    full_refresh=false,
    on_schema_change='fail',
    post_hook=["{{ erase_subjects('contact_id') }}"]
) }}

with

membership as (

    select * from {{ ref('segment_membership') }}

),

open_spells as (

    {% if is_incremental() %}
        select * from {{ this }}
        where valid_to is null
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as segment_name,
            cast(null as {{ dbt.type_string() }}) as contact_id,
            cast(null as {{ dbt.type_string() }}) as company_id,
            cast(null as {{ dbt.type_timestamp() }}) as valid_from,
            cast(null as {{ dbt.type_timestamp() }}) as valid_to,
            cast(null as {{ dbt.type_string() }}) as entered_build_id,
            cast(null as {{ dbt.type_string() }}) as left_build_id
        where 1 = 0
    {% endif %}

),

entered as (

    select
        membership.segment_name,
        membership.contact_id,
        membership.company_id,
        {{ build_started_at() }} as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to,
        {{ build_id() }} as entered_build_id,
        cast(null as {{ dbt.type_string() }}) as left_build_id
    from membership
    left join open_spells
        on
            membership.segment_name = open_spells.segment_name
            and membership.contact_id = open_spells.contact_id
    where open_spells.contact_id is null

),

exited as (

    select
        open_spells.segment_name,
        open_spells.contact_id,
        open_spells.company_id,
        open_spells.valid_from,
        {{ build_started_at() }} as valid_to,
        open_spells.entered_build_id,
        {{ build_id() }} as left_build_id
    from open_spells
    left join membership
        on
            open_spells.segment_name = membership.segment_name
            and open_spells.contact_id = membership.contact_id
    where membership.contact_id is null

),

final as (

    select * from entered

    union all

    select * from exited

)

select * from final
