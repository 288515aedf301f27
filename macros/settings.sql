{#- A run setting that names a place or the business date (`raw_dir`, `landing_cache_dir`, `exports_dir`,
    `gx_data_docs_dir`, `reference_date`): the var `name` when given (`--vars`), else the environment variable
    SEGMENTS_<NAME> (SEGMENTS_RAW_DIR...), else `default`. Their vars are null in dbt_project.yml, so that the
    environment can set them. A scheduler (or a test suite) running dbt again and again should use the environment
    variables: dbt parses the whole project again (about 20 s here) whenever `--vars` change, but when an environment
    variable changes, only the files that read it. -#}
{% macro setting(name, default) -%}
    {{ return(var(name, none) or env_var('SEGMENTS_' ~ name | upper, '') or default) }}
{%- endmacro %}
