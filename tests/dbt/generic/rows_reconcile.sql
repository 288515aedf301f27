{#- Nothing is lost: rows of the export = rows staged + rows quarantined + rows erased (GDPR erasure). The rows of
    the export and the rows erased are those the landing (DuckDB) or the loader (PostgreSQL) counted in
    `raw.landed_exports`; the raw relation holds the rows not erased. Returns a row when they differ. -#}
{% test rows_reconcile(model, source_table) %}
{%- set export = crm_source_node(source_table) if execute else {'meta': {'file': ''}} %}

with

landed as (

    select
        landed_rows,
        erased_rows
    from {{ var('raw_schema') }}.landed_exports
    where file_name = '{{ export.meta.file }}'

),

counts as (

    select
        coalesce(
            (select max(landed_rows) from landed), (select count(*) from {{ source('crm', source_table) }})
        ) as rows_read,
        (select count(*) from {{ source('crm', source_table) }}) as rows_not_erased,
        (select count(*) from {{ model }}) as rows_staged,
        (
            select count(*) from {{ ref('quarantine') }}
            where source_file = '{{ export.meta.file }}'
        ) as rows_quarantined,
        coalesce((select max(erased_rows) from landed), 0) as rows_erased

)

select * from counts
where rows_read <> rows_staged + rows_quarantined + rows_erased
    or rows_not_erased <> rows_staged + rows_quarantined

{% endtest %}
