{#- Every listed column is filled. One scan and one dbt node for all of a model's mandatory columns, in place of a
    `not_null` test per column (a query and a node each: 483 of them made most of a build's tests). Returns one row
    per column that has empty values, with their number; the test fails with the number of empty values. -#}
{% test not_null_columns(model, columns) %}
{{ config(fail_calc='coalesce(sum(null_rows), 0)') }}

with null_counts as (

    select
        {%- for column in columns %}
        count(*) - count({{ column }}) as null_rows_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

)
{% for column in columns %}
select
    '{{ column }}' as column_name,
    null_rows_{{ loop.index }} as null_rows
from null_counts
where null_rows_{{ loop.index }} > 0
{% if not loop.last %}union all{% endif %}
{% endfor %}

{% endtest %}
