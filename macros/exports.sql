{#- Activation: who may be emailed, text made safe for spreadsheets, and the segment files of the export models
    (models/exports; docs/DESIGN.md, "Activation"). -#}

{#- A member may be emailed: `dim_contacts.is_emailable` (an address, not suppressed, a lawful basis; see
    int_contact_consent). The one place the exports and the catalogue's `reachable_count` read it from. -#}
{% macro emailable_predicate(relation_alias) -%}
    coalesce({{ relation_alias }}.is_emailable, false)
{%- endmacro %}

{#- A text value a spreadsheet will not run as a formula (CSV injection, OWASP): a value starting with `=`, `+`,
    `-`, `@`, a tab or a carriage return gets a single quote `'` in front. Used on every text column of every export. -#}
{% macro spreadsheet_safe(column) -%}
    case
        when substr({{ column }}, 1, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || {{ column }}
        else {{ column }}
    end
{%- endmacro %}

{#- Post-hook of an export model: one file per segment of the project (an empty segment gets a header-only file),
    as the model's `meta.export` says:
      directory: folder under the var `exports_dir` (default `exports`, relative to where dbt runs)
      formats: [csv] and/or [parquet]
      delimiter: the CSV delimiter (default `,`)
      order_by: the column rows are sorted on (files that do not change when the data does not)
      columns: {model column: header in the file}, in file order
    Files are `<exports_dir>/<directory>/<segment_name>.<format>`, UTF-8, header line first, null as an empty field,
    a field quoted only when it holds the delimiter, a quote or a line break. DuckDB only: on PostgreSQL the export
    models are tables and no file is written (docs/POSTGRES.md). -#}
{% macro export_segment_files() -%}
    {{ return(adapter.dispatch('export_segment_files', 'segments')()) }}
{%- endmacro %}

{% macro default__export_segment_files() -%}
{%- endmacro %}

{% macro duckdb__export_segment_files() -%}
    {%- if execute -%}
        {%- set export = (model.config.meta or {}).get('export') -%}
        {%- if not export or not export.get('columns') or not export.get('directory') -%}
            {{ exceptions.raise_compiler_error(
                "Export model " ~ this.identifier ~ " needs meta.export.directory and meta.export.columns") }}
        {%- endif -%}
        {%- set folder = setting('exports_dir').rstrip('/') ~ '/' ~ export.directory -%}
        {%- set selected = [] -%}
        {%- for column, header in export.columns.items() -%}
            {%- do selected.append(column ~ ' as "' ~ header ~ '"') -%}
        {%- endfor %}
select seg_prepare_export_dir('{{ folder }}');
        {%- for segment in segment_definitions() | sort(attribute='name') %}
            {%- for format in export.get('formats', ['csv']) %}
copy (
    select {{ selected | join(', ') }}
    from {{ this }}
    where segment_name = '{{ segment.name }}'
    order by {{ export.get('order_by', (export.columns.keys() | list)[0]) }}
) to '{{ folder }}/{{ segment.name }}.{{ format }}' (
    {%- if format == 'csv' %}format csv, header true, delimiter '{{ export.get('delimiter', ',') }}'
    {%- else %}format parquet
    {%- endif %});
            {%- endfor %}
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}
