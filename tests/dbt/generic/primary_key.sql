{#- The columns form a primary key: never empty, never repeated. One scan and one aggregation for both checks
    (a separate `unique` and `not_null` would read a large raw export twice). Returns each offending key. -#}
{% test primary_key(model, columns) %}

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
