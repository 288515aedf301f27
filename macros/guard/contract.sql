{#- The export contract, read from the `crm` sources (models/staging/crm/_crm__sources.yml). -#}

{#- The source node of one export file. -#}
{% macro crm_source_node(table_name) -%}
    {%- for node in graph.sources.values() if node.source_name == 'crm' and node.name == table_name -%}
        {{ return(node) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("No crm source named '" ~ table_name ~ "' in _crm__sources.yml") }}
{%- endmacro %}

{#- The contract's columns of one file: a list of {name, cast_to, required}. -#}
{% macro crm_contract_columns(table_name) -%}
    {%- set columns = [] -%}
    {%- for column in crm_source_node(table_name).columns.values() -%}
        {%- do columns.append({
            'name': column.name,
            'cast_to': column.meta.get('cast_to', 'varchar'),
            'required': column.meta.get('required', false)
        }) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- Every export file of the contract: a list of {name, file, key, required_file, append_only, erasure}. -#}
{% macro crm_contract_files() -%}
    {%- set files = [] -%}
    {%- for node in graph.sources.values() if node.source_name == 'crm' -%}
        {%- do files.append({
            'name': node.name,
            'file': node.meta.file,
            'key': node.meta.key,
            'required_file': node.meta.required_file,
            'append_only': node.meta.append_only | default(false),
            'erasure': node.meta.erasure | default({})
        }) -%}
    {%- endfor -%}
    {{ return(files | sort(attribute='name')) }}
{%- endmacro %}
