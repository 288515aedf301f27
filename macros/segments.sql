{#- Segments are predicates over `dim_contacts`, declared once in each segment's YAML:
      meta:
        audience: b2b | b2c | all
        priority: an integer, lower = sent first (the priority waterfall, `segment_waterfall`); required
        criteria: the rule in words, shown to marketers (and as `reason` in segment_membership)
        filter: the SQL predicate on dim_contacts columns
    A threshold that is a business choice is a var: dbt renders `{{ var('name') }}` in the YAML (filter and criteria)
    when it parses the project, so the view, `segment_membership` and `segment_catalog` all see the value (project
    macros such as reference_date() are not available there: use columns relative to the reference date instead,
    e.g. tenure_days, days_since_last_order).
    The `seg_` view, `segment_membership`, `segment_catalog` and `segment_waterfall` are all generated from that
    declaration, so adding a segment is a YAML entry and a one-line SQL file (`{{ segment_view() }}`).

    Priority scale (docs/DESIGN.md, "Activation"): 10-19 law, care and permission (retention due, dissatisfied,
    dormant subscribers), 20-29 retention and churn risk, 30-39 lifecycle and value, 40-49 commercial opportunities,
    50-59 B2B roles and relationship, 60-79 B2B firmographics (sector 60, legal form 65, size 70), 80-89 B2C
    demographics, 90-99 B2C geography. Ties are broken by segment name. A segment without an integer priority is a compile error. -#}

{#- The columns of a segment's members (all text), as a list: the `seg_` views and the exports select them. -#}
{% macro segment_member_column_names() -%}
    {{ return(['contact_id', 'company_id', 'customer_type', 'email', 'first_name', 'last_name', 'company_name',
               'job_title', 'city', 'region']) }}
{%- endmacro %}

{% macro segment_member_columns() -%}
    {{ segment_member_column_names() | join(',\n') }}
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

{#- Every segment of the project: [{name, audience, priority, criteria, filter, description}], from the graph, in
    waterfall order (priority, then name). -#}
{% macro segment_definitions() -%}
    {%- set segments = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.name.startswith('seg_') and node.config.enabled -%}
            {%- set meta = node.config.meta or {} -%}
            {%- set priority = meta.get('priority') -%}
            {%- if priority is not integer or priority is sameas true or priority is sameas false -%}
                {{ exceptions.raise_compiler_error(
                    "Segment " ~ node.name ~ " has no integer meta.priority in its YAML (got " ~ priority
                    ~ "): lower is sent first, scale in macros/segments.sql") }}
            {%- endif -%}
            {%- do segments.append({
                'name': node.name,
                'audience': meta.get('audience', 'all'),
                'priority': priority,
                'criteria': meta.get('criteria', ''),
                'filter': meta.get('filter', 'false'),
                'description': node.description | default('', true)
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(segments | sort(attribute='name') | sort(attribute='priority')) }}
{%- endmacro %}

{#- One row per segment (segment_name, audience, priority, description, criteria): the body of a `definitions` CTE. -#}
{% macro segment_definition_rows() -%}
    {%- for segment in segment_definitions() %}
    select
        cast({{ sql_string(segment.name) }} as {{ dbt.type_string() }}) as segment_name,
        cast({{ sql_string(segment.audience) }} as {{ dbt.type_string() }}) as audience,
        {{ segment.priority }} as priority,
        cast({{ sql_string(segment.description) }} as {{ dbt.type_string() }}) as description,
        cast({{ sql_string(segment.criteria) }} as {{ dbt.type_string() }}) as criteria
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as audience,
        cast(null as integer) as priority,
        cast(null as {{ dbt.type_string() }}) as description,
        cast(null as {{ dbt.type_string() }}) as criteria
    where 1 = 0
    {%- endfor %}
{%- endmacro %}

{#- Membership history and size history: the build is identified by dbt's `invocation_id` and started at
    `run_started_at` (UTC). Macros, so unit tests can pin them (`overrides: macros:`). -#}
{% macro build_id() -%}
    cast('{{ invocation_id }}' as {{ dbt.type_string() }})
{%- endmacro %}

{% macro build_started_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- A text column compared in code-point order (as Python sorts), whatever the database's collation: ties of the
    waterfall are broken by segment name the same way on every engine (an ICU or glibc collation may ignore `_`). -#}
{% macro code_point_order(expression) -%}
    {{ return(adapter.dispatch('code_point_order', 'segments')(expression)) }}
{%- endmacro %}

{% macro default__code_point_order(expression) -%}
    {{ expression }}
{%- endmacro %}

{% macro postgres__code_point_order(expression) -%}
    {{ expression }} collate "C"
{%- endmacro %}

{#- A text as a SQL string literal. -#}
{% macro sql_string(text) -%}
    '{{ text | replace("'", "''") | replace("\n", " ") | trim }}'
{%- endmacro %}
