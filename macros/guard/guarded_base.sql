{#- The body of a `base_crm__<file>` model: one row per raw row of the export, every contract column parsed into
    its type, and the first row rule it breaks (`quarantine_rule`, `quarantine_column`, null when the row is fine).

    Rules are checked in this order, first failure wins (names in docs/DESIGN.md):
      missing_required_value  a contract-required column is empty
      duplicate_key           the file's key (source meta `key`) appeared on an earlier row
      unparseable_<type>      text present that does not parse as the contract type
      custom `rules`          [{rule, column, when}] in the order given, `when` a condition on the parsed columns
      unknown_reference       `references` [{column, to, field}]: a non-empty id absent from the model `to`

    Categorical columns listed in the seed `ref_accepted_labels` are mapped to their canonical value (French and
    English labels, case and accents folded), and a `value_not_allowed` rule follows the `malformed_*` rules.
    `expressions` replaces the default parsing of a column ({column: sql on the raw text columns}).
    Contract columns missing from the file are typed nulls; extra columns are ignored but kept in `raw_record`. -#}
{% macro guarded_base(table_name, rules=[], references=[], expressions={}) -%}
    {%- set source_relation = source('crm', table_name) -%}
    {%- set labels = accepted_labels(table_name) -%}
    {%- if not execute -%}
        select 1 as _row_number
    {%- else -%}
    {%- set contract = crm_contract_columns(table_name) -%}
    {%- set key = crm_source_node(table_name).meta.key -%}
    {%- set expressions = expressions.copy() -%}
    {%- set ordered_rules = [] -%}
    {%- for rule in rules if rule.rule.startswith('malformed') -%}{%- do ordered_rules.append(rule) -%}{%- endfor -%}
    {%- for column, mapping in labels.items() -%}
        {%- do expressions.update({column: canonical_label(column, mapping)}) -%}
        {%- do ordered_rules.append(rule_value_in(column, mapping.values() | unique | sort)) -%}
    {%- endfor -%}
    {%- for rule in rules if not rule.rule.startswith('malformed') -%}{%- do ordered_rules.append(rule) -%}{%- endfor -%}
    {%- set present = [] -%}
    {%- for column in adapter.get_columns_in_relation(source_relation) if column.name | lower != '_row_number' -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}

with

source as (

    select
        *
        {%- for column in contract if column.name not in present %},
        cast(null as {{ dbt.type_string() }}) as {{ column.name }}
        {%- endfor %}
    from {{ source_relation }}

),

parsed as (

    select
        _row_number,
        -- contract columns, parsed
        {%- for column in contract %}
        {{ expressions[column.name] if column.name in expressions else parse_as(column.name, column.cast_to) }} as {{ column.name }},
        {%- endfor %}
        -- raw text, kept for the rules and the quarantine record
        {%- for name in present %}
        {{ adapter.quote(name) }} as {{ adapter.quote('_raw__' ~ name) }}{{ "," if not loop.last }}
        {%- endfor %}
    from source

),

keyed as (

    select
        *,
        row_number() over (partition by {{ key | join(', ') }} order by _row_number) as _key_occurrence
    from parsed

),

checked as (

    select
        *,
        case
            {%- for column in contract if column.required %}
            when {{ clean_text('_raw__' ~ column.name) ~ ' is null' if column.name in present else 'true' }}
                then 'missing_required_value|{{ column.name }}'
            {%- endfor %}
            when _key_occurrence > 1 then 'duplicate_key|{{ key[0] }}'
            {%- for column in contract if column.cast_to != 'varchar' and column.name in present %}
            when {{ clean_text('_raw__' ~ column.name) }} is not null and {{ column.name }} is null
                then 'unparseable_{{ column.cast_to }}|{{ column.name }}'
            {%- endfor %}
            {%- for rule in ordered_rules %}
            when {{ rule.when }} then '{{ rule.rule }}|{{ rule.column }}'
            {%- endfor %}
            {%- for reference in references %}
            when {{ reference.column }} is not null and not exists (
                select 1 from {{ reference.to }} as referenced
                where referenced.{{ reference.field | default(reference.column) }} = keyed.{{ reference.column }}
            ) then 'unknown_reference|{{ reference.column }}'
            {%- endfor %}
        end as _failure
    from keyed

)

select
    _row_number,
    {%- for column in contract %}
    {{ column.name }},
    {%- endfor %}
    {{ dbt.split_part('_failure', "'|'", 1) }} as quarantine_rule,
    {{ dbt.split_part('_failure', "'|'", 2) }} as quarantine_column,
    case when _failure is not null then
        {%- set pairs = [] -%}
        {%- for name in present -%}{%- do pairs.append([name, adapter.quote('_raw__' ~ name)]) -%}{%- endfor %}
        {{ json_object_text(pairs) }}
    end as raw_record
from checked
    {%- endif -%}
{%- endmacro %}
