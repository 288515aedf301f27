{#- The overlap matrix holds every ordered pair of different segments once; (a, b) and (b, a) share the same people
    and Jaccard index; nobody is shared beyond the smaller segment. Returns the pairs that break this. -#}
with

overlap as (

    select * from {{ ref('segment_overlap') }}

),

catalog as (

    select count(*) as segment_count from {{ ref('segment_catalog') }}

),

pair_count as (

    select count(*) as pairs from overlap

)

select
    overlap.segment_a,
    overlap.segment_b,
    overlap.shared_count,
    reverse_pair.shared_count as reverse_shared_count
from overlap
left join overlap as reverse_pair
    on
        overlap.segment_a = reverse_pair.segment_b
        and overlap.segment_b = reverse_pair.segment_a
where
    reverse_pair.segment_a is null
    or overlap.shared_count <> reverse_pair.shared_count
    or abs(coalesce(overlap.jaccard, 0) - coalesce(reverse_pair.jaccard, 0)) > 1e-9
    or overlap.shared_count > overlap.member_count_a
    or overlap.shared_count > overlap.member_count_b

union all

select
    'pair count' as segment_a,
    cast(catalog.segment_count as {{ dbt.type_string() }}) as segment_b,
    pair_count.pairs as shared_count,
    catalog.segment_count * (catalog.segment_count - 1) as reverse_shared_count
from catalog
cross join pair_count
where pair_count.pairs <> catalog.segment_count * (catalog.segment_count - 1)
