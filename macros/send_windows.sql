{#- Send windows (docs/DESIGN.md, "Send windows"): opening hours in OpenStreetMap syntax parsed in SQL, local clocks
    and the reference instant from which the next send is planned. -#}

{#- Split `text` (a column of `relation`) on `delimiter` into one row per part: the relation's `keep` columns, the
    part's 1-based `item_no` and the part itself as `item`. `spine` is a relation of numbers `n` from 1, at least as
    many as the parts (longer texts must be rejected before). -#}
{% macro _oh_split(relation, keep, text, delimiter, spine) -%}
    select
        {%- for column in keep %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        {{ spine }}.n as item_no,
        {#- split_part itself: dbt.split_part on PostgreSQL wants a literal part number -#}
        split_part({{ relation }}.{{ text }}, '{{ delimiter }}', {{ spine }}.n) as item
    from {{ relation }}
    inner join {{ spine }}
        on {{ spine }}.n <= {{ _oh_part_count(relation ~ '.' ~ text, delimiter) }}
    where {{ relation }}.{{ text }} is not null
{%- endmacro %}

{#- How many parts `text` has when split on a one-character `delimiter`. -#}
{% macro _oh_part_count(text, delimiter) -%}
    (1 + length({{ text }}) - length(replace({{ text }}, '{{ delimiter }}', '')))
{%- endmacro %}

{#- The integer written by the digits of `text` (at most four; 0 without any). Total: never fails to cast, so it is
    safe whatever order the engine evaluates filters and projections in. -#}
{% macro _oh_int(text) -%}
    cast('0' || substr(regexp_replace({{ text }}, '[^0-9]', '', 'g'), 1, 4) as {{ dbt.type_int() }})
{%- endmacro %}

{#- ISO day number (1 Monday ... 7 Sunday) of a lower-case two-letter OSM day: the days in order, two letters each. -#}
{% macro _oh_day_number(day) -%}
    cast((strpos('motuwethfrsasu', {{ day }}) + 1) / 2 as {{ dbt.type_int() }})
{%- endmacro %}

{#- The weekly open slots of OpenStreetMap `opening_hours` texts: a query with one row per open slot of every
    `key_column` of `relation` whose text parses, and one row with null slot columns for the others:
    `oh_key`, `opening_hours_status` (parsed, missing, unparseable, never_open), `opening_hours_error` (why an
    unparseable text does not parse: its first error), `day_of_week` (ISO, 1 Monday ... 7 Sunday),
    `opens_at_minute` (0-1439 after local midnight) and `closes_at_minute` (after it, up to 2880: a slot past midnight
    ends the next day).

    The grammar (case-insensitive; spaces around `,` `-` `;` ignored): `rule; rule; ...`, a rule being
    `[days] hours` or `[days] off|closed` or `days` alone (open all day); days a list of `Mo`...`Su`, ranges (`Mo-Fr`,
    `Fr-Mo` wraps the week) and `PH`; hours a list of `HH:MM-HH:MM` (an end before the start is the next day) or
    `24/7`. A later rule replaces the earlier ones for the days it names (`Mo-Sa 10:00-19:00; We off`), the hours an
    earlier rule ran past midnight into them included; a rule without days names every day; days no rule names are
    closed. `PH` rules are accepted and have no effect: sends skip public holidays whatever the text says. Anything
    else (months, weeks, dates, `sunrise`, `+`, comments, `||`, `,` between rules) makes the text unparseable. The CTEs
    read several times are `materialized` (DuckDB and PostgreSQL): inlined, they made the parse 3 times slower. -#}
{% macro opening_hours_slots(relation, key_column, text_column, max_parts=32) -%}
    with

    oh_spine as (

        -- an integer: dbt's generate_series computes it with power() (a double) on PostgreSQL
        select cast(generated_number as {{ dbt.type_int() }}) as n
        from ({{ dbt.generate_series(max_parts) }}) as numbers

    ),

    oh_values as materialized (

        select
            oh_key,
            hours_text,
            {{ _oh_part_count('hours_text', ';') }} as rule_count
        from (
            select
                {{ key_column }} as oh_key,
                regexp_replace(
                    regexp_replace(replace({{ clean_text(text_column) }}, '–', '-'), '\s+', ' ', 'g'),
                    ' ?([,;-]) ?', '\1', 'g'
                ) as hours_text
            from {{ relation }}
        ) as normalised

    ),

    oh_rules as (

        select
            oh_key,
            item_no as rule_no,
            item as rule_text,
            {{ _oh_part_count('item', ' ') }} as token_count,
            lower(item) in ('off', 'closed', '24/7') or {{ regex_match('item', '^[0-9]') }} as is_hours_only
        from ({{ _oh_split('oh_values', ['oh_key'], 'hours_text', ';', 'oh_spine') }}) as rules
        -- not `item <> ''`: when every opening_hours is null (an export without the column), DuckDB 2.0's statistics
        -- propagation folds that comparison on the null-only split and then fails to bind the query
        -- ("BindBuiltinScalarFunction did not return a BoundFunctionExpression"); tests/fixtures/clean has no column
        where length(item) > 0

    ),

    oh_rule_parts as materialized (

        select
            oh_key,
            rule_no,
            rule_text,
            token_count,
            case
                when token_count = 2 then split_part(rule_text, ' ', 1)
                when token_count = 1 and not is_hours_only then rule_text
            end as days_text,
            case
                when token_count = 2 then split_part(rule_text, ' ', 2)
                when token_count = 1 and is_hours_only then rule_text
            end as times_text
        from oh_rules

    ),

    oh_day_items as materialized (

        select
            oh_key,
            rule_no,
            rule_text,
            item_no,
            item,
            lower(item) = 'ph' as is_holiday_item,
            {{ regex_match('lower(item)', '^(mo|tu|we|th|fr|sa|su)(-(mo|tu|we|th|fr|sa|su))?$') }} as is_weekday_item,
            {{ _oh_day_number('lower(substr(item, 1, 2))') }} as first_day,
            {{ _oh_day_number('lower(substr(item, length(item) - 1, 2))') }} as last_day
        from ({{ _oh_split('oh_rule_parts', ['oh_key', 'rule_no', 'rule_text'], 'days_text', ',', 'oh_spine') }})
            as day_items

    ),

    -- the days each rule names; a rule without days names all seven
    oh_rule_days as (

        select
            oh_day_items.oh_key,
            oh_day_items.rule_no,
            oh_spine.n as day_of_week
        from oh_day_items
        inner join oh_spine
            on
                oh_spine.n <= 7
                and (
                    oh_spine.n between oh_day_items.first_day and oh_day_items.last_day
                    or (
                        oh_day_items.first_day > oh_day_items.last_day
                        and (oh_spine.n >= oh_day_items.first_day or oh_spine.n <= oh_day_items.last_day)
                    )
                )
        where oh_day_items.is_weekday_item
        union all
        select
            oh_rule_parts.oh_key,
            oh_rule_parts.rule_no,
            oh_spine.n as day_of_week
        from oh_rule_parts
        inner join oh_spine
            on oh_spine.n <= 7
        where oh_rule_parts.days_text is null and oh_rule_parts.token_count = 1

    ),

    oh_time_items as materialized (

        select
            oh_key,
            rule_no,
            rule_text,
            item_no,
            item,
            lower(item) in ('off', 'closed') as is_off,
            lower(item) = '24/7' or {{ regex_match('item', '^[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}$') }} as is_span,
            case
                when lower(item) <> '24/7'
                    then 60 * {{ _oh_int("split_part(split_part(item, '-', 1), ':', 1)") }}
                    + {{ _oh_int("split_part(split_part(item, '-', 1), ':', 2)") }}
            end as opens_at_minute,
            case
                when lower(item) <> '24/7'
                    then 60 * {{ _oh_int("split_part(split_part(item, '-', 2), ':', 1)") }}
                    + {{ _oh_int("split_part(split_part(item, '-', 2), ':', 2)") }}
            end as closes_written_minute,
            {{ _oh_int("split_part(split_part(item, '-', 1), ':', 2)") }} < 60
            and {{ _oh_int("split_part(split_part(item, '-', 2), ':', 2)") }} < 60 as has_valid_minutes,
            {{ _oh_part_count('times_text', ',') }} as rule_item_count
        from ({{ _oh_split('oh_rule_parts', ['oh_key', 'rule_no', 'rule_text', 'times_text'], 'times_text', ',', 'oh_spine') }})
            as time_items

    ),

    oh_spans as (

        select
            oh_key,
            rule_no,
            case when lower(item) = '24/7' then 0 else opens_at_minute end as opens_at_minute,
            case
                when lower(item) = '24/7' then 1440
                -- an end before the start is on the next day (`10:00-01:00`)
                when closes_written_minute < opens_at_minute then closes_written_minute + 1440
                else closes_written_minute
            end as closes_at_minute
        from oh_time_items
        where is_span
        union all
        -- days without hours: open all day
        select
            oh_key,
            rule_no,
            0 as opens_at_minute,
            1440 as closes_at_minute
        from oh_rule_parts
        where days_text is not null and times_text is null and token_count = 1

    ),

    oh_errors as (

        select
            oh_key,
            0 as rule_no,
            0 as item_no,
            'more than {{ max_parts }} rules' as message
        from oh_values
        where rule_count > {{ max_parts }}
        union all
        select
            oh_key,
            rule_no,
            0 as item_no,
            case
                when token_count > 2
                    then 'rule ' || cast(rule_no as {{ dbt.type_string() }}) || ' "' || rule_text
                    || '" is not "days hours" (months, weeks, dates, comments and "," between rules are not supported)'
                else 'rule ' || cast(rule_no as {{ dbt.type_string() }}) || ' "' || rule_text
                    || '" has more than {{ max_parts }} days or hours'
            end as message
        from oh_rule_parts
        where
            token_count > 2
            or {{ _oh_part_count("coalesce(days_text, '')", ',') }} > {{ max_parts }}
            or {{ _oh_part_count("coalesce(times_text, '')", ',') }} > {{ max_parts }}
        union all
        select
            oh_key,
            rule_no,
            item_no,
            'rule ' || cast(rule_no as {{ dbt.type_string() }}) || ' "' || rule_text || '": "' || item
            || '" is not a day (Mo, Tu, We, Th, Fr, Sa, Su, a range like Mo-Fr, or PH)' as message
        from oh_day_items
        where not (is_weekday_item or is_holiday_item)
        union all
        select
            oh_key,
            rule_no,
            item_no,
            'rule ' || cast(rule_no as {{ dbt.type_string() }}) || ' "' || rule_text || '": "' || item || '" '
            || case
                when is_off then 'cannot be combined with hours'
                when not is_span then 'is not hours HH:MM-HH:MM, off or 24/7'
                when not has_valid_minutes or opens_at_minute >= 1440 or closes_written_minute > 2880
                    then 'is not a valid time range (00:00 to 24:00, an end up to 48:00)'
                else 'is an empty time range'
            end as message
        from oh_time_items
        where
            (is_off and rule_item_count > 1)
            or (not is_off and not is_span)
            or (
                is_span and lower(item) <> '24/7'
                and (
                    not has_valid_minutes or opens_at_minute >= 1440 or closes_written_minute > 2880
                    or opens_at_minute = closes_written_minute
                )
            )

    ),

    oh_first_errors as (

        select
            oh_key,
            message
        from (
            select
                oh_key,
                message,
                row_number() over (partition by oh_key order by rule_no, item_no) as error_rank
            from oh_errors
        ) as ranked
        where error_rank = 1

    ),

    -- the last rule naming a day decides it
    oh_deciding_rules as (

        select
            oh_key,
            day_of_week,
            max(rule_no) as rule_no
        from oh_rule_days
        group by oh_key, day_of_week

    ),

    -- a slot past midnight runs into the next day unless a later rule names that day (it replaces the whole day)
    oh_slots as (

        select distinct
            oh_deciding_rules.oh_key,
            oh_deciding_rules.day_of_week,
            oh_spans.opens_at_minute,
            case
                when oh_spans.closes_at_minute > 1440 and next_days.rule_no > oh_deciding_rules.rule_no then 1440
                else oh_spans.closes_at_minute
            end as closes_at_minute
        from oh_deciding_rules
        inner join oh_spans
            on
                oh_deciding_rules.oh_key = oh_spans.oh_key
                and oh_deciding_rules.rule_no = oh_spans.rule_no
        left join oh_deciding_rules as next_days
            on
                oh_deciding_rules.oh_key = next_days.oh_key
                and next_days.day_of_week = 1 + mod(oh_deciding_rules.day_of_week, 7)

    )

    select
        oh_values.oh_key,
        case
            when oh_values.hours_text is null then 'missing'
            when oh_first_errors.message is not null then 'unparseable'
            when oh_slots.oh_key is null then 'never_open'
            else 'parsed'
        end as opening_hours_status,
        oh_first_errors.message as opening_hours_error,
        oh_slots.day_of_week,
        oh_slots.opens_at_minute,
        oh_slots.closes_at_minute
    from oh_values
    left join oh_first_errors
        on oh_values.oh_key = oh_first_errors.oh_key
    left join oh_slots
        on oh_values.oh_key = oh_slots.oh_key and oh_first_errors.oh_key is null
{%- endmacro %}

{#- The weekly open slots of the var `default_opening_hours` (key `default`): the hours of an account without usable
    ones of its own. -#}
{% macro default_opening_hours_slots() -%}
    {%- set hours = var('default_opening_hours') | string | replace("'", "''") -%}
    {{ opening_hours_slots("(select 'default' as hours_key, '" ~ hours ~ "' as opening_hours) as default_hours",
        'hours_key', 'opening_hours') }}
{%- endmacro %}

{#- Time zone of a person without an account, from their département: the overseas départements have their own,
    everyone else the var `source_timezone` (Europe/Paris). -#}
{% macro department_timezone(department_code) -%}
    case {{ department_code }}
        when '971' then 'America/Guadeloupe'
        when '972' then 'America/Martinique'
        when '973' then 'America/Cayenne'
        when '974' then 'Indian/Reunion'
        when '976' then 'Indian/Mayotte'
        else '{{ var("source_timezone") }}'
    end
{%- endmacro %}

{#- A local wall-clock timestamp of time zone `timezone` (an expression) as naive UTC, and back. -#}
{% macro local_to_utc(local_timestamp, timezone) -%}
    cast(timezone('UTC', timezone({{ timezone }}, {{ local_timestamp }})) as timestamp)
{%- endmacro %}

{% macro utc_to_local(utc_timestamp, timezone) -%}
    cast(timezone({{ timezone }}, timezone('UTC', {{ utc_timestamp }})) as timestamp)
{%- endmacro %}

{#- The instant from which sends are planned, naive UTC: the reference date at `send_reference_time` (HH:MM, a var)
    on the clock of `source_timezone`. -#}
{% macro send_reference_at() -%}
    {%- set written = var('send_reference_time') | string -%}
    {%- set parts = written.split(':') -%}
    {%- if parts | length != 2 or not parts[0].isdigit() or not parts[1].isdigit()
        or parts[0] | int > 23 or parts[1] | int > 59 -%}
        {{ exceptions.raise_compiler_error("var send_reference_time must be HH:MM (00:00 to 23:59), got '" ~ written ~ "'") }}
    {%- endif -%}
    {%- set local = dbt.dateadd('minute', parts[0] | int * 60 + parts[1] | int, 'cast(' ~ reference_date() ~ ' as timestamp)') -%}
    {{ local_to_utc(local, "'" ~ var('source_timezone') ~ "'") }}
{%- endmacro %}

{#- The IANA time zone names the engine knows (one column `name`). -#}
{% macro known_timezones() -%}
    {{ return(adapter.dispatch('known_timezones', 'segments')()) }}
{%- endmacro %}

{% macro default__known_timezones() -%}
    select distinct name from pg_timezone_names
{%- endmacro %}

{% macro duckdb__known_timezones() -%}
    select distinct name from pg_timezone_names()
{%- endmacro %}
