{#- Custom schemas are used as they are (`marts`, `segments`...), not prefixed with the target schema, so BI users
    find `segments.seg_...` whatever the profile's default schema is. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
