{#- French postal code to département code: Corsica 2A (200xx-201xx) / 2B (202xx-206xx), overseas 971-976 on
    three digits, mainland on two; null outside France or for a code that is not five digits. A four-digit code
    (leading zero lost in a spreadsheet) is padded first. -#}
{% macro normalize_postal_code(postal_code) -%}
    case
        when {{ regex_match(clean_text(postal_code), '^\d{4}$') }} then '0' || {{ clean_text(postal_code) }}
        else {{ clean_text(postal_code) }}
    end
{%- endmacro %}

{% macro postal_code_to_department(postal_code, country_code) -%}
    case
        when coalesce({{ country_code }}, 'FR') <> 'FR' or not {{ regex_match(postal_code, '^\d{5}$') }} then null
        when {{ postal_code }} like '20%' and {{ postal_code }} < '20200' then '2A'
        when {{ postal_code }} like '20%' then '2B'
        when {{ postal_code }} like '97%' then substr({{ postal_code }}, 1, 3)
        when {{ postal_code }} like '98%' then null
        else substr({{ postal_code }}, 1, 2)
    end
{%- endmacro %}

{#- NAF rév. 2 code in its dotted form `NN.NNX` (`6201Z`, `62.01z`, ` 62 01 Z` -> `62.01Z`). -#}
{% macro normalize_naf_code(naf_code) -%}
    {%- set compact = "upper(regexp_replace(" ~ clean_text(naf_code) ~ ", '[\\s.]', '', 'g'))" -%}
    case
        when {{ regex_match(compact, '^\d{4}[A-Z]$') }}
            then substr({{ compact }}, 1, 2) || '.' || {{ dbt.right(compact, 3) }}
    end
{%- endmacro %}
