{#- A run setting that names a place or the business date (`raw_dir`, `landing_cache_dir`, `exports_dir`,
    `gx_data_docs_dir`, `reference_date`), or a switch (`full_key_tests`, macros/key_tests.sql): the var `name` when
    given (`--vars`), else the environment variable SEGMENTS_<NAME> (SEGMENTS_RAW_DIR...), else `default`, else the
    default below. Their vars are null in dbt_project.yml, so that the environment can set them. A scheduler (or a
    test suite) running dbt again and again should use the environment variables: dbt parses the whole project again
    (about 20 s here) whenever `--vars` change, but when an environment variable changes, only the files that read
    it. The guard's Data Docs folder is read in models/guard/_guard__models.yml, where project macros cannot be
    called: it repeats this rule. -#}
{% macro setting(name, default=none) -%}
    {%- set defaults = {
        'raw_dir': 'data/demo',
        'landing_cache_dir': 'target/landed',
        'exports_dir': 'exports',
        'gx_data_docs_dir': 'target/gx_data_docs',
        'full_key_tests': 'false',
    } -%}
    {{ return(var(name, none) or env_var('SEGMENTS_' ~ name | upper, '') or default or defaults.get(name)) }}
{%- endmacro %}
