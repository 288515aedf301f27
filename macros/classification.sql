{#- Classification helpers used by the intermediate models. -#}

{#- SIREN checksum: Luhn over the 9 digits. La Poste's exception (its SIRETs, 356000000xxxxx, break Luhn and
    are valid when the sum of their digits is a multiple of 5) concerns establishment numbers: the SIREN 356000000
    itself passes Luhn. Null when there is no SIREN. -#}
{% macro siren_is_valid(siren) -%}
    case
        when {{ siren }} is null then null
        when not {{ regex_match(siren, '^\d{9}$') }} then false
        else mod(
            {%- for position in range(1, 10) %}
            {%- set digit = "cast(substr(" ~ siren ~ ", " ~ position ~ ", 1) as integer)" %}
            {%- if position is even %}
            (case when {{ digit }} * 2 > 9 then {{ digit }} * 2 - 9 else {{ digit }} * 2 end)
            {%- else %}
            {{ digit }}
            {%- endif %}{{ " +" if not loop.last }}
            {%- endfor %}, 10) = 0
    end
{%- endmacro %}

{#- Text reduced to space-separated lower-case words without accents, padded with spaces, so that a keyword
    `k` matches as a whole word or phrase with `like '% k %'`. -#}
{% macro word_text(column) -%}
    ' ' || trim(regexp_replace({{ fold_text(column) }}, '[^a-z0-9]+', ' ', 'g')) || ' '
{%- endmacro %}

{% macro matches_keyword(text_words, keyword_words) -%}
    {{ text_words }} like '%' || {{ keyword_words }} || '%'
{%- endmacro %}

{#- Whole years between two dates (an age on a reference date), portable. -#}
{% macro years_between(start_date, end_date) -%}
    cast(floor((
        (extract(year from {{ end_date }}) * 10000 + extract(month from {{ end_date }}) * 100 + extract(day from {{ end_date }}))
        - (extract(year from {{ start_date }}) * 10000 + extract(month from {{ start_date }}) * 100 + extract(day from {{ start_date }}))
    ) / 10000.0) as integer)
{%- endmacro %}
