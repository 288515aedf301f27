{#- The priority waterfall: each member in the one segment of highest priority they belong to (lower
    `segment_priority` first, ties broken by segment name in code-point order), for campaigns that must not mail a
    person twice. -#}
with

membership as (

    select * from {{ ref('segment_membership') }}

),

ranked as (

    select
        contact_id,
        company_id,
        segment_name,
        segment_priority,
        count(*) over (partition by contact_id) as candidate_segment_count,
        row_number() over (
            partition by contact_id
            order by segment_priority, {{ code_point_order('segment_name') }}
        ) as rank_for_contact
    from membership

),

final as (

    select
        contact_id,
        company_id,
        segment_name,
        segment_priority,
        candidate_segment_count
    from ranked
    where rank_for_contact = 1

)

select * from final
