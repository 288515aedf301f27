{#- Every raw row that broke a rule, from every export file: nothing is dropped silently. Built from the project
    graph: every `base_crm__*` model contributes its failing rows. -#}
{%- set bases = crm_contract_files() if execute else [] %}
-- depends_on: {{ ref('base_crm__companies') }}
-- depends_on: {{ ref('base_crm__contacts') }}
-- depends_on: {{ ref('base_crm__orders') }}
-- depends_on: {{ ref('base_crm__order_lines') }}
-- depends_on: {{ ref('base_crm__products') }}
-- depends_on: {{ ref('base_crm__equipment') }}
-- depends_on: {{ ref('base_crm__email_events') }}
-- depends_on: {{ ref('base_crm__support_tickets') }}
-- depends_on: {{ ref('base_crm__store_visits') }}
-- depends_on: {{ ref('base_crm__nps_responses') }}
{%- if bases | length == 0 %}
select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as {{ dbt.type_bigint() }}) as row_number,
    cast(null as {{ dbt.type_string() }}) as rule,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_string() }}) as raw_record
{%- else %}
    {%- for file in bases %}
        select
            cast('{{ file.file }}' as {{ dbt.type_string() }}) as source_file,
            cast(_row_number as {{ dbt.type_bigint() }}) as row_number,  -- noqa: RF04
            quarantine_rule as rule,  -- noqa: RF04
            quarantine_column as column_name,
            raw_record
        from {{ ref('base_crm__' ~ file.name) }}
        where quarantine_rule is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endif %}
