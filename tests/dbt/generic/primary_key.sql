{#- The column, or the combination of `columns`, is a primary key: never empty, never repeated. One scan and one
    aggregation for both checks (`unique` plus `not_null` read a 20-million-row table twice). Returns each offending
    key with its number of rows. Column-level (`data_tests: [primary_key]`) or table-level (`columns: [...]`).
    `loaded_at`: the key test of a table stamped by load; on a raw export (a source), the test is scoped to the
    rows of its latest landing (macros/key_tests.sql). -#}
{% test primary_key(model, column_name=none, columns=none, loaded_at=none) %}
{%- set columns = columns or [column_name] %}
{%- set rows_before = landed_rows_before(model) %}
{%- if rows_before is not none or latest_load_only(model, loaded_at) %}

{{ latest_load_keys(model, columns, loaded_at, rows_before) }}
select
    {{ columns | join(', ') }},
    count(*) as occurrences
from latest_keys
where {% for column in columns %}{{ column }} is null{{ ' or ' if not loop.last }}{% endfor %}
group by {{ columns | join(', ') }}

union all

{{ repeated_latest_keys(model, columns) }}

{%- else %}

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
{%- endif %}

{% endtest %}
