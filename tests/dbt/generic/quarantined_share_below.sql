{#- The build stops (this test fails, so everything downstream of the staging model is skipped) when more than
    `max_share` (var `max_quarantine_share`, default 5%) of an export's rows were quarantined. -#}
{% test quarantined_share_below(model, source_table, max_share=none) %}
{%- set export = crm_source_node(source_table) if execute else {'meta': {'file': ''}} %}
{%- set threshold = max_share if max_share is not none else var('max_quarantine_share') %}

with

counts as (

    select
        '{{ export.meta.file }}' as source_file,
        (select count(*) from {{ source('crm', source_table) }}) as rows_read,
        (
            select count(*) from {{ ref('quarantine') }}
            where source_file = '{{ export.meta.file }}'
        ) as rows_quarantined

)

select
    *,
    cast(rows_quarantined as {{ dbt.type_float() }}) / rows_read as quarantined_share
from counts
where rows_read > 0
    and cast(rows_quarantined as {{ dbt.type_float() }}) / rows_read > {{ threshold }}

{% endtest %}
