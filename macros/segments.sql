{#- Segments are predicates over `dim_contacts`, declared once in each segment's YAML:
      meta:
        audience: b2b | b2c | all
        criteria: the rule in words, shown to marketers (and as `reason` in segment_membership)
        filter: the SQL predicate on dim_contacts columns
    A threshold that is a business choice is a var: dbt renders `{{ var('name') }}` in the YAML (filter and criteria)
    when it parses the project, so the view, `segment_membership` and `segment_catalog` all see the value (project
    macros such as reference_date() are not available there: use columns relative to the reference date instead,
    e.g. tenure_days, days_since_last_order).
    The `seg_` view, `segment_membership` and `segment_catalog` are all generated from that declaration, so adding
    a segment is a YAML entry and a one-line SQL file (`{{ segment_view() }}`). -#}

{% macro segment_member_columns() -%}
    contact_id,
    company_id,
    customer_type,
    email,
    first_name,
    last_name,
    company_name,
    job_title,
    city,
    region
{%- endmacro %}

{#- The body of a `seg_` model. -#}
{% macro segment_view() -%}
    {%- set meta = config.get('meta') or {} -%}
    {%- if execute and not meta.get('filter') -%}
        {{ exceptions.raise_compiler_error("Segment " ~ this.identifier ~ " has no meta.filter in its YAML") }}
    {%- endif %}
select
    {{ segment_member_columns() | indent(4) }}
from {{ ref('dim_contacts') }}
where {{ meta.get('filter', 'true') }}
{%- endmacro %}

{#- Every segment of the project: [{name, audience, criteria, filter, description}], from the graph. -#}
{% macro segment_definitions() -%}
    {%- set segments = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.name.startswith('seg_') and node.config.enabled -%}
            {%- set meta = node.config.meta or {} -%}
            {%- do segments.append({
                'name': node.name,
                'audience': meta.get('audience', 'all'),
                'criteria': meta.get('criteria', ''),
                'filter': meta.get('filter', 'false'),
                'description': node.description | default('', true)
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(segments | sort(attribute='name')) }}
{%- endmacro %}

{#- A text as a SQL string literal. -#}
{% macro sql_string(text) -%}
    '{{ text | replace("'", "''") | replace("\n", " ") | trim }}'
{%- endmacro %}
