{#- One row per segment: who it is for, what it means, how big it is and whether it is worth a campaign
    (Datacook: measurable, reachable, large enough). Generated from the project graph. -#}
{%- set segments = segment_definitions() %}
with

definitions as (

    {%- for segment in segments %}

    select
        cast({{ sql_string(segment.name) }} as {{ dbt.type_string() }}) as segment_name,
        cast({{ sql_string(segment.audience) }} as {{ dbt.type_string() }}) as audience,
        cast({{ sql_string(segment.description) }} as {{ dbt.type_string() }}) as description,
        cast({{ sql_string(segment.criteria) }} as {{ dbt.type_string() }}) as criteria
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as audience,
        cast(null as {{ dbt.type_string() }}) as description,
        cast(null as {{ dbt.type_string() }}) as criteria
    where 1 = 0
    {%- endfor %}

),

sizes as (

    select
        segment_name,
        count(*) as member_count,
        count(distinct company_id) as company_count
    from {{ ref('segment_membership') }}
    group by segment_name

),

bases as (

    select
        count(*) as all_contacts,
        sum(case when customer_type = 'b2b' then 1 else 0 end) as b2b_contacts,
        sum(case when customer_type = 'b2c' then 1 else 0 end) as b2c_contacts
    from {{ ref('dim_contacts') }}

),

final as (

    select
        definitions.segment_name,
        definitions.audience,
        definitions.description,
        definitions.criteria,
        coalesce(sizes.member_count, 0) as member_count,
        coalesce(sizes.company_count, 0) as company_count,
        cast(coalesce(sizes.member_count, 0) as {{ dbt.type_float() }}) / nullif(
            case definitions.audience
                when 'b2b' then bases.b2b_contacts
                when 'b2c' then bases.b2c_contacts
                else bases.all_contacts
            end, 0) as share_of_base,
        coalesce(sizes.member_count, 0) < {{ var('min_segment_size') }} as is_too_small,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as built_at
    from definitions
    cross join bases
    left join sizes
        on definitions.segment_name = sizes.segment_name

)

select * from final
