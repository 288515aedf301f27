{#- After a build, the open spells of the membership history are exactly the segment membership, and the latest
    build's rows of segment_size_history count them. Returns the segments where that is not so. -#}
with

membership as (

    select * from {{ ref('segment_membership') }}

),

history as (

    select * from {{ ref('segment_membership_history') }}

),

size_history as (

    select * from {{ ref('segment_size_history') }}

),

sizes as (

    select current_build.*
    from size_history as current_build
    where current_build.built_at = (select max(latest.built_at) from size_history as latest)

),

catalog as (

    select * from {{ ref('segment_catalog') }}

),

open_spells as (

    select
        segment_name,
        contact_id
    from history
    where valid_to is null

),

mismatches as (

    select
        coalesce(membership.segment_name, open_spells.segment_name) as segment_name,
        count(*) as mismatched_members
    from membership
    full outer join open_spells
        on
            membership.segment_name = open_spells.segment_name
            and membership.contact_id = open_spells.contact_id
    where membership.contact_id is null or open_spells.contact_id is null
    group by coalesce(membership.segment_name, open_spells.segment_name)

)

select
    segment_name,
    mismatched_members,
    cast(null as integer) as catalog_count,
    cast(null as integer) as history_count
from mismatches

union all

select
    catalog.segment_name,
    0 as mismatched_members,
    catalog.member_count as catalog_count,
    sizes.member_count as history_count
from catalog
left join sizes
    on catalog.segment_name = sizes.segment_name
where sizes.member_count is null or sizes.member_count <> catalog.member_count
