{#- Building blocks for the row rules of the base models (see guarded_base). -#}

{#- The accepted labels of the categorical columns of one export file, from the seed `ref_accepted_labels`:
    {column_name: {folded label: canonical value}}. Read at execution time (the seed is built before the models). -#}
{% macro accepted_labels(table_name) -%}
    {%- set seed = ref('ref_accepted_labels') -%}
    {%- set labels = {} -%}
    {%- if execute -%}
        {%- set rows = run_query(
            "select column_name, label, canonical_value from " ~ seed
            ~ " where source_table = '" ~ table_name ~ "' order by column_name, label") -%}
        {%- for row in rows -%}
            {%- do labels.setdefault(row[0], {}).update({row[1]: row[2]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(labels) }}
{%- endmacro %}

{#- A categorical text mapped to its canonical value: folded (case, accents, spaces), then looked up in `mapping`;
    an unmapped value stays folded so that the value rule can report it. -#}
{% macro canonical_label(column, mapping) -%}
    {%- set folded = fold_text(clean_text(column)) -%}
    case {{ folded }}
        {%- for label, value in mapping.items() %}
        when '{{ label }}' then '{{ value }}'
        {%- endfor %}
        else {{ folded }}
    end
{%- endmacro %}

{#- An email as it is compared everywhere: spaces removed, lower-cased, empty as null. -#}
{% macro normalize_email(column) -%}
    nullif(lower(regexp_replace({{ column }}, '\s', '', 'g')), '')
{%- endmacro %}

{#- Rule: a categorical value outside its allowed set. -#}
{% macro rule_value_in(column, values) -%}
    {{ return({
        'rule': 'value_not_allowed',
        'column': column,
        'when': column ~ " is not null and " ~ column ~ " not in ('" ~ values | join("', '") ~ "')"
    }) }}
{%- endmacro %}

{#- Rule: an amount, price, quantity or count below zero. -#}
{% macro rule_not_negative(column) -%}
    {{ return({'rule': 'negative_amount', 'column': column, 'when': column ~ ' < 0'}) }}
{%- endmacro %}

{#- Rule: a score outside [low, high]. -#}
{% macro rule_between(column, low, high) -%}
    {{ return({
        'rule': 'out_of_range',
        'column': column,
        'when': column ~ ' not between ' ~ low ~ ' and ' ~ high
    }) }}
{%- endmacro %}

{#- Rule: a non-empty email that is not local@domain.tld once normalised. -#}
{% macro rule_email(column) -%}
    {{ return({
        'rule': 'malformed_email',
        'column': column,
        'when': column ~ " is not null and not " ~ regex_match(column, '^[^@]+@[a-z0-9]([a-z0-9.-]*[a-z0-9])?\\.[a-z]{2,}$')
    }) }}
{%- endmacro %}
