{#- One row per segment and member, generated from every `seg_` model's declaration (see macros/segments.sql). -#}
{%- set segments = segment_definitions() %}
with

contacts as (

    select * from {{ ref('dim_contacts') }}

),

members as (

    {%- for segment in segments %}

    select
        cast({{ sql_string(segment.name) }} as {{ dbt.type_string() }}) as segment_name,
        contact_id,
        company_id,
        {{ segment.priority }} as segment_priority,
        cast({{ sql_string(segment.criteria) }} as {{ dbt.type_string() }}) as reason
    from contacts
    where {{ segment.filter }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        cast(null as {{ dbt.type_string() }}) as company_id,
        cast(null as integer) as segment_priority,
        cast(null as {{ dbt.type_string() }}) as reason
    where 1 = 0
    {%- endfor %}

)

select * from members
