{#- Text helpers shared by staging models. Every export column arrives as text. -#}

{#- Trimmed text, empty string as null (the contract: "Empty string = null"). -#}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- Lower-cased text with French accents folded, for keyword matching and label mapping. -#}
{% macro fold_text(column) -%}
    {{ return(adapter.dispatch('fold_text', 'segments')(column)) }}
{%- endmacro %}

{#- DuckDB: lower() is Unicode-aware and strip_accents() folds every accent. translate() with a long mapping costs
    about 6 µs a value there (30 s per 5 million labels), strip_accents() under 1 µs. -#}
{% macro duckdb__fold_text(column) -%}
    strip_accents(replace(replace(replace(lower(trim({{ column }})), '’', ''''), 'œ', 'oe'), 'æ', 'ae'))
{%- endmacro %}

{#- Elsewhere: capitals are folded explicitly (lower() leaves `É` alone under a C locale on PostgreSQL), and
    translate() exists everywhere. -#}
{% macro default__fold_text(column) -%}
    replace(replace(replace(replace(translate(lower(trim({{ column }})),
        'àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ’',
        'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy'''),
        'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')
{%- endmacro %}

{#- True when the text matches a regular expression (RE2 on DuckDB, POSIX ARE on PostgreSQL). -#}
{% macro regex_match(column, pattern) -%}
    {{ return(adapter.dispatch('regex_match', 'segments')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_match(column, pattern) -%}
    regexp_matches({{ column }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_match(column, pattern) -%}
    ({{ column }} ~ '{{ pattern }}')
{%- endmacro %}

{#- JSON text of (key, sql expression) pairs, e.g. the raw values of a row for the quarantine table. -#}
{% macro json_object_text(pairs) -%}
    {{ return(adapter.dispatch('json_object_text', 'segments')(pairs)) }}
{%- endmacro %}

{% macro default__json_object_text(pairs) -%}
    cast(json_object(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ "," if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__json_object_text(pairs) -%}
    cast(json_build_object(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ "," if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}
