{#- The var `default_opening_hours` (the hours of accounts without usable ones) parses and opens at least once a
    week; otherwise the row says why. -#}
with

default_hours as (

    select
        'default' as hours_key,
        '{{ var("default_opening_hours") }}' as opening_hours

),

parsed as (

    {{ opening_hours_slots('default_hours', 'hours_key', 'opening_hours') | indent(4) }}

)

select
    opening_hours_status,
    opening_hours_error
from parsed
where opening_hours_status <> 'parsed'
