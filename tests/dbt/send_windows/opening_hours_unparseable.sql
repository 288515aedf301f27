{{ config(severity='warn') }}

{#- Counts, as a warning at each build, the accounts whose `opening_hours` do not parse (sent to within the default
    opening hours meanwhile), with the reason: fix them in the CRM. -#}
select
    company_id,
    opening_hours,
    opening_hours_error
from {{ ref('int_account_opening_hours') }}
where opening_hours_status = 'unparseable'
