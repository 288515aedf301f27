{#- The var `default_opening_hours` (the hours of accounts without usable ones) parses and opens at least once a
    week; otherwise the row says why. -#}
select
    opening_hours_status,
    opening_hours_error
from ({{ default_opening_hours_slots() }}) as default_slots
where opening_hours_status <> 'parsed'
