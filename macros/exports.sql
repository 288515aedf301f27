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
    a field quoted only when it holds the delimiter, a quote or a line break. Only the files whose content changed
    are written: each file's fingerprint is its segment's rows (count and sum of the row hashes of the written
    columns) and how they are written (format, columns and headers, order, delimiter); the folder's manifest
    (segwarehouse/activation.py) says which files are on disk as written with which fingerprint. DuckDB only: on
    PostgreSQL the export models are tables and no file is written (docs/POSTGRES.md). -#}
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
        {%- endfor -%}
        {%- set order_by = export.get('order_by', (export.columns.keys() | list)[0]) -%}
        {%- set delimiter = export.get('delimiter', ',') -%}
        {%- set layout = selected | join(', ') ~ ' | order by ' ~ order_by ~ ' | delimiter ' ~ delimiter -%}
        {%- set contents = {} -%}
        {%- for row in run_query(
            "select segment_name, cast(count(*) as varchar) || ':' || cast(sum(hash("
            ~ (export.columns.keys() | join(', ')) ~ ")) as varchar) from " ~ this ~ " group by segment_name") -%}
            {%- do contents.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- set wanted = {} -%}
        {%- for segment in segment_definitions() | sort(attribute='name') -%}
            {%- for format in export.get('formats', ['csv']) -%}
                {%- do wanted.update({segment.name ~ '.' ~ format: local_md5(
                    format ~ ' | ' ~ layout ~ ' | ' ~ contents.get(segment.name, '0:')) }) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set wanted_json = tojson(wanted) | replace("'", "''") -%}
        {%- set quoted_folder = folder | replace("'", "''") -%}
        {%- set to_write = fromjson(run_query(
            "select seg_export_files_to_write('" ~ quoted_folder ~ "', '" ~ wanted_json ~ "')"
        ).columns[0].values()[0]) -%}
        {{- log(this.identifier ~ ": " ~ to_write | length ~ " of " ~ wanted | length ~ " segment files changed, written to "
            ~ folder, info=true) -}}
        {%- for file in to_write %}
            {%- set segment_name, format = file.rsplit('.', 1) %}
copy (
    select {{ selected | join(', ') }}
    from {{ this }}
    where segment_name = '{{ segment_name }}'
    order by {{ order_by }}
) to '{{ quoted_folder }}/{{ file }}' (
    {%- if format == 'csv' %}format csv, header true, delimiter '{{ delimiter }}'
    {%- else %}format parquet
    {%- endif %});
        {%- endfor %}
select seg_record_export_files('{{ quoted_folder }}', '{{ wanted_json }}');
    {%- endif -%}
{%- endmacro %}
