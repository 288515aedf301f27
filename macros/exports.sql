{#- Activation: who may be emailed, and text made safe for spreadsheets, for the exports (models/exports) and the
    catalogue's `reachable_count`. -#}

{#- A member may be emailed (a valid address, not suppressed, a lawful basis): the one place that says so. -#}
{% macro emailable_predicate(relation_alias) -%}
    {{ relation_alias }}.email is not null and {{ relation_alias }}.email_consent = 'opt_in'
{%- endmacro %}
