{#- The column, or the combination of `columns`, is a primary key: never empty, never repeated. One scan and one
    aggregation for both checks (`unique` plus `not_null` read a 20-million-row table twice). Returns each offending
    key with its number of rows. Column-level (`data_tests: [primary_key]`) or table-level (`columns: [...]`). -#}
{% test primary_key(model, column_name=none, columns=none) %}
{%- set columns = columns or [column_name] %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having
    count(*) > 1
    {%- for column in columns %}
    or {{ column }} is null
    {%- endfor %}

{% endtest %}
