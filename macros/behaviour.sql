{#- Net Promoter Score category of a 0-10 answer: promoter (9-10), passive (7-8), detractor (0-6). -#}
{% macro nps_category(score) -%}
    case
        when {{ score }} >= 9 then 'promoter'
        when {{ score }} >= 7 then 'passive'
        when {{ score }} >= 0 then 'detractor'
    end
{%- endmacro %}
