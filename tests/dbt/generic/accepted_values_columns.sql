{#- Every listed column holds only its accepted values; empty values pass, as with dbt's `accepted_values`. One dbt
    node for all of a model's categorical columns (`columns`: {column: [values]}), in place of an `accepted_values`
    test per column: a test node costs about 0.1 s of compiling and bookkeeping before its query, and the 148
    `accepted_values` tests were a third of a build's tests. Text values are compared quoted, numbers and booleans
    as they are. Returns one row per column and value outside its set, with the number of rows holding it; the test
    fails with the number of such values. -#}
{% test accepted_values_columns(model, columns) %}

{%- for column, values in columns.items() %}
select
    '{{ column }}' as column_name,
    cast({{ column }} as {{ dbt.type_string() }}) as value_found,
    count(*) as n_records
from {{ model }}
where
    {{ column }} is not null
    and {{ column }} not in (
        {%- for value in values -%}
            {%- if value is sameas true or value is sameas false -%}{{ value | lower }}
            {%- elif value is number -%}{{ value }}
            {%- else -%}'{{ value | replace("'", "''") }}'
            {%- endif -%}{{ ', ' if not loop.last }}
        {%- endfor -%}
    )
group by {{ column }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}

{% endtest %}
