{#- Nothing is lost: rows read from the export = rows staged + rows quarantined. Returns a row when they differ. -#}
{% test rows_reconcile(model, source_table) %}
{%- set export = crm_source_node(source_table) if execute else {'meta': {'file': ''}} %}

with

counts as (

    select
        (select count(*) from {{ source('crm', source_table) }}) as rows_read,
        (select count(*) from {{ model }}) as rows_staged,
        (
            select count(*) from {{ ref('quarantine') }}
            where source_file = '{{ export.meta.file }}'
        ) as rows_quarantined

)

select * from counts
where rows_read <> rows_staged + rows_quarantined

{% endtest %}
