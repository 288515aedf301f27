{#- One row per segment and build: members after the build, and how many entered, left or stayed since the previous
    build (read from segment_membership_history once this build has updated it). Appended at every build, never
    rebuilt from scratch (`full_refresh: false`). Counts only: erasing a person from the membership history leaves
    the past counts as they were. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail'
) }}

with

history as (

    select * from {{ ref('segment_membership_history') }}

),

catalog as (

    select * from {{ ref('segment_catalog') }}

),

changes as (

    select
        segment_name,
        cast(sum(case when valid_to is null then 1 else 0 end) as {{ dbt.type_bigint() }}) as member_count,
        cast(
            sum(case when entered_build_id = {{ build_id() }} then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as entered_count,
        cast(sum(case when left_build_id = {{ build_id() }} then 1 else 0 end) as {{ dbt.type_bigint() }}) as left_count
    from history
    where valid_to is null or left_build_id = {{ build_id() }}
    group by segment_name

),

segments as (

    -- the catalogue's segments, even empty, and a segment removed from the project in the build its members left
    select segment_name from catalog

    union

    select segment_name from changes

),

final as (

    select
        segments.segment_name,
        {{ build_id() }} as build_id,
        {{ build_started_at() }} as built_at,
        {{ reference_date() }} as reference_date,
        coalesce(changes.member_count, 0) as member_count,
        coalesce(changes.entered_count, 0) as entered_count,
        coalesce(changes.left_count, 0) as left_count,
        coalesce(changes.member_count, 0) - coalesce(changes.entered_count, 0) as stayed_count
    from segments
    left join changes
        on segments.segment_name = changes.segment_name

)

select * from final
