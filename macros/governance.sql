{#- The date a person's data reaches the end of its CNIL retention period: `retention_years` (3) years after the
    date its clock (re)started (`int_contact_retention`). -#}
{% macro retention_expiry(clock_started_on) -%}
    cast({{ dbt.dateadd('year', var('retention_years'), clock_started_on) }} as date)
{%- endmacro %}
