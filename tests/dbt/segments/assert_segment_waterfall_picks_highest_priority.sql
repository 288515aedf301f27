{#- Every member of a segment is in the waterfall once, in a segment they belong to whose priority is the lowest of
    theirs. Returns the contacts for which that is not so. -#}
with

membership as (

    select * from {{ ref('segment_membership') }}

),

catalog as (

    select * from {{ ref('segment_catalog') }}

),

waterfall as (

    select * from {{ ref('segment_waterfall') }}

),

best as (

    select
        membership.contact_id,
        min(catalog.priority) as best_priority
    from membership
    inner join catalog
        on membership.segment_name = catalog.segment_name
    group by membership.contact_id

)

select
    best.contact_id,
    best.best_priority,
    waterfall.segment_name,
    waterfall.segment_priority
from best
left join waterfall
    on best.contact_id = waterfall.contact_id
left join membership
    on
        waterfall.contact_id = membership.contact_id
        and waterfall.segment_name = membership.segment_name
where
    waterfall.contact_id is null
    or membership.contact_id is null
    or waterfall.segment_priority <> best.best_priority
