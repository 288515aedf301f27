{#- Parsing of export text into typed values, as the contract allows it. Every parser returns null when the text
    does not parse; the guard turns "text present but parsed null" into an `unparseable_<type>` quarantine row. -#}

{#- `DD/MM/YYYY...` rewritten as `YYYY-MM-DD...`, other text left as it is. -#}
{% macro _iso_date_text(column) -%}
    regexp_replace({{ clean_text(column) }}, '^(\d{2})/(\d{2})/(\d{4})', '\3-\2-\1')
{%- endmacro %}

{% macro parse_date(column) -%}
    {{ return(adapter.dispatch('parse_date', 'segments')(column)) }}
{%- endmacro %}

{% macro default__parse_date(column) -%}
    case when {{ regex_match(_iso_date_text(column), '^\d{4}-\d{2}-\d{2}$') }}
        then try_cast({{ _iso_date_text(column) }} as date) end
{%- endmacro %}

{% macro postgres__parse_date(column) -%}
    {{ target.schema }}.seg_try_date({{ _iso_date_text(column) }})
{%- endmacro %}

{#- Timestamps become naive UTC. Text with an offset (`Z`, `+02:00`) is converted from it; naive text (ISO or
    `DD/MM/YYYY HH:MM[:SS]`, or a bare date) is read in the var `source_timezone` (default Europe/Paris). -#}
{% macro parse_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'segments')(column)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column) -%}
    {%- set text = "replace(" ~ _iso_date_text(column) ~ ", 'T', ' ')" -%}
    case
        when {{ regex_match(text, '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$') }}
            then cast(timezone('UTC', try_cast({{ text }} as timestamptz)) as timestamp)
        when {{ regex_match(text, '^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$') }}
            then cast(timezone('UTC', timezone('{{ var("source_timezone") }}', try_cast({{ text }} as timestamp))) as timestamp)
    end
{%- endmacro %}

{% macro postgres__parse_timestamp(column) -%}
    {{ target.schema }}.seg_try_timestamp(replace({{ _iso_date_text(column) }}, 'T', ' '), '{{ var("source_timezone") }}')
{%- endmacro %}

{#- Decimal text with `.` or `,` (`1234,50`, `1 234,50`, `1.234,50`). -#}
{% macro _decimal_text(column) -%}
    {%- set compact = "regexp_replace(" ~ clean_text(column) ~ ", '[ \u00a0\u202f]', '', 'g')" -%}
    case when {{ compact }} like '%,%' then replace(replace({{ compact }}, '.', ''), ',', '.') else {{ compact }} end
{%- endmacro %}

{% macro parse_decimal(column) -%}
    case when {{ regex_match(_decimal_text(column), '^[+-]?(\d+(\.\d*)?|\.\d+)$') }}
        then cast({{ _decimal_text(column) }} as {{ dbt.type_numeric() }}) end
{%- endmacro %}

{% macro parse_integer(column) -%}
    {%- set compact = "regexp_replace(" ~ clean_text(column) ~ ", '[ \u00a0\u202f]', '', 'g')" -%}
    case when {{ regex_match(compact, '^[+-]?\d{1,15}$') }} then cast({{ compact }} as {{ dbt.type_bigint() }}) end
{%- endmacro %}

{#- Parse a text column into a contract type (`varchar`, `date`, `timestamp`, `integer`, `decimal`). -#}
{% macro parse_as(column, cast_to) -%}
    {%- if cast_to == 'date' -%}{{ parse_date(column) }}
    {%- elif cast_to == 'timestamp' -%}{{ parse_timestamp(column) }}
    {%- elif cast_to == 'integer' -%}{{ parse_integer(column) }}
    {%- elif cast_to == 'decimal' -%}{{ parse_decimal(column) }}
    {%- else -%}{{ clean_text(column) }}
    {%- endif -%}
{%- endmacro %}

{#- The build's "today", as a SQL date: var `reference_date`, else the environment variable
    SEGMENTS_REFERENCE_DATE, else the date the run started (macro `setting`). A scheduler passing each day's business
    date should use the environment variable: dbt re-parses the whole project when `--vars` change (about 20 s here),
    but only the files that read an environment variable when its value changes. -#}
{% macro reference_date() -%}
    {%- set value = setting('reference_date', run_started_at.strftime('%Y-%m-%d')) -%}
    cast('{{ value }}' as date)
{%- endmacro %}
