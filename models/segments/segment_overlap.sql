{#- Overlap between every two segments: members in both, as a share of the first, and Jaccard index. One self-join
    of segment_membership on the contact, each pair of a person's segments counted once (segment_a < segment_b),
    then both orientations and the pairs that share nobody. -#}
with

membership as (

    select * from {{ ref('segment_membership') }}

),

catalog as (

    select * from {{ ref('segment_catalog') }}

),

pairs as (

    select
        first_segment.segment_name as segment_a,
        second_segment.segment_name as segment_b,
        count(*) as shared_count
    from membership as first_segment
    inner join membership as second_segment
        on
            first_segment.contact_id = second_segment.contact_id
            and first_segment.segment_name < second_segment.segment_name
    group by first_segment.segment_name, second_segment.segment_name

),

shared as (

    select
        segment_a,
        segment_b,
        shared_count
    from pairs

    union all

    select
        segment_b as segment_a,
        segment_a as segment_b,
        shared_count
    from pairs

),

final as (

    select
        catalog_a.segment_name as segment_a,
        catalog_b.segment_name as segment_b,
        catalog_a.member_count as member_count_a,
        catalog_b.member_count as member_count_b,
        coalesce(shared.shared_count, 0) as shared_count,
        cast(coalesce(shared.shared_count, 0) as {{ dbt.type_float() }})
        / nullif(catalog_a.member_count, 0) as share_of_a,
        cast(coalesce(shared.shared_count, 0) as {{ dbt.type_float() }})
        / nullif(catalog_a.member_count + catalog_b.member_count - coalesce(shared.shared_count, 0), 0) as jaccard
    from catalog as catalog_a
    inner join catalog as catalog_b
        on catalog_a.segment_name <> catalog_b.segment_name
    left join shared
        on
            catalog_a.segment_name = shared.segment_a
            and catalog_b.segment_name = shared.segment_b

)

select * from final
