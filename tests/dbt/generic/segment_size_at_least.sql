{#- Segment quality (Datacook: large enough, reachable): the segments of the catalogue whose `column_name` (members,
    emailable members) is below `minimum` (default: the var `min_segment_size`). Attached with severity warn: the
    build lists them, a small segment is not an error. -#}
{% test segment_size_at_least(model, column_name, minimum=none) %}
{%- set threshold = minimum if minimum is not none else var('min_segment_size') %}

select
    segment_name,
    {{ column_name }} as segment_size
from {{ model }}
where {{ column_name }} < {{ threshold }}

{% endtest %}
