{#- The combination of columns is unique (a composite primary key). `loaded_at`: the key test of a table stamped by
    load, macros/key_tests.sql. -#}
{% test unique_combination(model, columns, loaded_at=none) %}
{%- if latest_load_only(model, loaded_at) %}

{{ latest_load_keys(model, columns, loaded_at) }}
{{ repeated_latest_keys(model, columns) }}

{%- else %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{%- endif %}

{% endtest %}
