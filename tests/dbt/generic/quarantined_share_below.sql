{#- Attached to a `base_crm__<file>` model: fails when more than `max_share` (var `max_quarantine_share`, default
    5%) of the file's rows break a row rule. It reads only the base model, so dbt runs it right after that model
    and skips the staging model and everything downstream when it fails: the build stops before publishing. -#}
{% test quarantined_share_below(model, max_share=none, source_table=none) %}
{%- set threshold = max_share if max_share is not none else var('max_quarantine_share') %}

with

counts as (

    select
        count(*) as rows_read,
        sum(case when quarantine_rule is not null then 1 else 0 end) as rows_quarantined
    from {{ model }}

)

select
    rows_read,
    rows_quarantined,
    cast(rows_quarantined as {{ dbt.type_float() }}) / rows_read as quarantined_share
from counts
where rows_read > 0
    and cast(rows_quarantined as {{ dbt.type_float() }}) / rows_read > {{ threshold }}

{% endtest %}
