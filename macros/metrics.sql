{#- Helpers of the behaviour metrics (docs/DESIGN.md, "Behaviour metrics"): windows relative to the reference date,
    rounded ratios, and the order rollup shared by people and accounts.
    The rollups also compute "as of" several past dates at once (the predictions' features, docs/DESIGN.md,
    "Predictions"): `cutoffs` names a relation with a `cutoff_date` column, every fact row is joined to the cutoffs
    it precedes, windows end on the cutoff instead of the reference date, and `cutoff_date` leads the grain. -#}

{#- Whole days from a date to the reference date (or to the date expression `as_of`): 0 on the reference date, 364 on
    the first day of the "12m" window (the 365 days ending on the reference date), 89 on the first day of the "90d"
    window. Negative after it. -#}
{% macro days_before_reference(date_column, as_of=none) -%}
    {{ dbt.datediff(date_column, as_of or reference_date(), 'day') }}
{%- endmacro %}

{#- The date the windows end on: the cutoff of the row when rolling up as of `cutoffs`, else the reference date. -#}
{% macro as_of_date(cutoffs=none) -%}
    {{ 'cutoffs.cutoff_date' if cutoffs else reference_date() }}
{%- endmacro %}

{#- `cutoff_date, ` before the grain when rolling up as of `cutoffs` (select list and group by). -#}
{% macro cutoff_grain(cutoffs=none, prefix='') -%}
    {{ prefix ~ 'cutoff_date, ' if cutoffs else '' }}
{%- endmacro %}

{#- Joins a fact aliased `facts` to the cutoffs on or after its `date_column` (nothing without `cutoffs`). -#}
{% macro join_cutoffs(cutoffs, date_column) -%}
    {%- if cutoffs %}
        inner join {{ cutoffs }} as cutoffs
            on {{ date_column }} <= cutoffs.cutoff_date
    {%- endif %}
{%- endmacro %}

{#- numerator / denominator as a decimal rounded to `scale` places, half away from zero; null when the denominator is
    0 or null. The result has a fixed scale on every target (`decimal_places`): 15 is 15.00 everywhere. -#}
{% macro rounded_ratio(numerator, denominator, scale) -%}
    {{ return(adapter.dispatch('rounded_ratio', 'segments')(numerator, denominator, scale)) }}
{%- endmacro %}

{#- PostgreSQL divides numerics exactly (and has no round(double precision, int)). -#}
{% macro default__rounded_ratio(numerator, denominator, scale) -%}
    cast(
        round(cast({{ numerator }} as {{ dbt.type_numeric() }}) / nullif({{ denominator }}, 0), {{ scale }})
        as {{ decimal_places(scale) }}
    )
{%- endmacro %}

{#- DuckDB divides decimals in double precision: 1946.775 / 3 is 648.92499999999995 there. The quotient is snapped to 8
    places first, so that an exact half (648.925) rounds like PostgreSQL's exact division does (648.93). -#}
{% macro duckdb__rounded_ratio(numerator, denominator, scale) -%}
    cast(
        round(
            cast(cast({{ numerator }} as {{ dbt.type_numeric() }}) / nullif({{ denominator }}, 0) as {{ decimal_places(8) }}),
            {{ scale }}
        )
        as {{ decimal_places(scale) }}
    )
{%- endmacro %}

{#- A decimal type with `scale` places (28 digits in all). -#}
{% macro decimal_places(scale) -%}
    {{ api.Column.numeric_type('numeric', 28, scale) }}
{%- endmacro %}

{#- The body of an `order_totals` CTE: one row per `grain` (contact_id for a person, company_id for an account) with
    the `order_totals()` aggregates of its completed and refunded orders placed up to the reference date (with
    `cutoffs`: one row per cutoff_date and grain, orders up to each cutoff). -#}
{% macro order_totals_by(grain, cutoffs=none) -%}
    select
        {{ cutoff_grain(cutoffs) }}{{ grain }},
        {{ order_totals() | indent(8) }}
    from (
        select
            {{ cutoff_grain(cutoffs, 'cutoffs.') }}facts.{{ grain }},
            facts.net_revenue,
            facts.lines_amount,
            facts.services_amount,
            facts.is_completed,
            facts.order_date,
            {{ days_before_reference('facts.order_date', as_of_date(cutoffs)) }} as days_ago
        from {{ ref('fct_orders') }} as facts
        {{- join_cutoffs(cutoffs, 'facts.order_date') }}
        where
            facts.{{ grain }} is not null
            and facts.status in ('completed', 'refunded')
            and facts.order_date <= {{ as_of_date(cutoffs) }}
    ) as orders
    group by {{ cutoff_grain(cutoffs) }}{{ grain }}
{%- endmacro %}

{#- The body of a `ticket_totals` CTE: one row per `grain` (contact_id or company_id) with its tickets opened in the
    12 months, tickets still open, and the average satisfaction score of the 12 months' tickets. With `cutoffs`: one
    row per cutoff_date and grain, as of each cutoff: a ticket is open until the day it is closed (`closed_at`), and
    its score counts once it is closed by the cutoff (a score given later was not known then). -#}
{% macro ticket_totals_by(grain, cutoffs=none) -%}
    select
        {{ cutoff_grain(cutoffs) }}{{ grain }},
        count(case when days_ago < 365 then 1 end) as tickets_12m,
        count(case when is_open then 1 end) as open_tickets,
        {{ rounded_ratio(
            'sum(case when days_ago < 365 then satisfaction_score end)',
            'count(case when days_ago < 365 then satisfaction_score end)',
            2
        ) }} as avg_csat
    from (
        select
            {{ cutoff_grain(cutoffs, 'cutoffs.') }}facts.{{ grain }},
            {%- if cutoffs %}
            case when cast(facts.closed_at as date) <= cutoffs.cutoff_date then facts.satisfaction_score end
                as satisfaction_score,
            facts.closed_at is null or cast(facts.closed_at as date) > cutoffs.cutoff_date as is_open,
            {%- else %}
            facts.satisfaction_score,
            facts.is_open,
            {%- endif %}
            {{ days_before_reference('facts.opened_date', as_of_date(cutoffs)) }} as days_ago
        from {{ ref('fct_support_tickets') }} as facts
        {{- join_cutoffs(cutoffs, 'facts.opened_date') }}
        where
            facts.{{ grain }} is not null
            and facts.opened_date <= {{ as_of_date(cutoffs) }}
    ) as tickets
    group by {{ cutoff_grain(cutoffs) }}{{ grain }}
{%- endmacro %}

{#- Aggregates of `fct_orders` rows (completed and refunded orders placed up to the reference date, with their
    `days_ago` from `days_before_reference`) for one customer: a person or an account. Only completed orders count as
    orders; revenue is `net_revenue` (a refund subtracts). -#}
{% macro order_totals() -%}
    sum(case when days_ago < 365 then net_revenue else 0 end) as revenue_12m,
    count(case when is_completed and days_ago < 365 then 1 end) as orders_12m,
    sum(net_revenue) as lifetime_revenue,
    count(case when is_completed then 1 end) as lifetime_orders,
    sum(case when is_completed then lines_amount else 0 end) as completed_lines_amount,
    sum(case when is_completed then services_amount else 0 end) as completed_services_amount,
    min(case when is_completed then order_date end) as first_order_date,
    max(case when is_completed then order_date end) as last_order_date
{%- endmacro %}

{#- The purchasing-mode columns of a customer from the `order_totals` of the relation `totals` (left-joined: a
    customer without orders gets 0 counts and amounts, null averages and dates); tenure is counted to `as_of` (a date
    expression, default the reference date). -#}
{% macro order_metrics(totals, as_of=none) -%}
    coalesce({{ totals }}.revenue_12m, 0) as revenue_12m,
    coalesce({{ totals }}.orders_12m, 0) as orders_12m,
    coalesce({{ totals }}.lifetime_revenue, 0) as lifetime_revenue,
    coalesce({{ totals }}.lifetime_orders, 0) as lifetime_orders,
    {{ rounded_ratio(totals ~ '.lifetime_revenue', totals ~ '.lifetime_orders', 2) }} as avg_order_value,
    {#- null with one order (0 gaps) and without order (no dates) -#}
    {{ rounded_ratio(
        dbt.datediff(totals ~ '.first_order_date', totals ~ '.last_order_date', 'day'),
        totals ~ '.lifetime_orders - 1',
        1
    ) }} as avg_days_between_orders,
    {{ rounded_ratio(totals ~ '.completed_services_amount', totals ~ '.completed_lines_amount', 4) }}
        as share_services,
    {{ days_before_reference(totals ~ '.first_order_date', as_of) }} as tenure_days,
    {{ totals }}.first_order_date,
    {{ totals }}.last_order_date,
    {{ totals }}.first_order_date as customer_since
{%- endmacro %}

{#- Rank of an engagement level, best first, and back: an account takes the best level of its people. -#}
{% macro engagement_level_rank(level) -%}
    case {{ level }} when 'engaged' then 1 when 'occasional' then 2 when 'dormant' then 3 else 4 end
{%- endmacro %}

{#- RFM score 1-5 of one measure within the customer's audience: p = (customers with a strictly worse value + half
    of those with the same value) / customers (the mid-rank percentile), score = 1 + floor(5 p). Ties share a score;
    p < 1, so the score never exceeds 5. `worse_first` orders the values from the worst to the best. -#}
{% macro rfm_score(value, worse_first, partition='customer_type') -%}
    cast(1 + floor(
        (
            10 * (rank() over (partition by {{ partition }} order by {{ worse_first }}) - 1)
            + 5 * count(*) over (partition by {{ partition }}, {{ value }})
        )
        / (2.0 * count(*) over (partition by {{ partition }}))
    ) as {{ dbt.type_int() }})
{%- endmacro %}

{#- Email events of type `event_types` (a list) up to the reference date, each with the person it belongs to
    (`resolved_email_events`). Columns: contact_id, event_type, occurred_at, days_ago (`days_before_reference` of the
    event date). -#}
{% macro person_email_events(event_types) -%}
    select
        contact_id,
        event_type,
        occurred_at,
        {{ days_before_reference('event_date') }} as days_ago
    from (
        {{ resolved_email_events(
            "events.event_type in ('" ~ event_types | join("', '") ~ "') and events.event_date <= " ~ reference_date()
        ) | indent(8) }}
    ) as events
{%- endmacro %}

{#- The body of a `last_answers` CTE: each person's latest NPS answer (responded_at, then response_id) up to the
    reference date (with `cutoffs`: up to each cutoff, one row per cutoff_date and person). -#}
{% macro last_nps_answers(cutoffs=none) -%}
    select
        {{ cutoff_grain(cutoffs) }}contact_id,
        nps_score
    from (
        select
            {{ cutoff_grain(cutoffs, 'cutoffs.') }}facts.contact_id,
            facts.nps_score,
            row_number() over (
                partition by {{ cutoff_grain(cutoffs, 'cutoffs.') }}facts.contact_id
                order by facts.responded_at desc, facts.response_id desc
            ) as answer_rank
        from {{ ref('fct_nps_responses') }} as facts
        {{- join_cutoffs(cutoffs, 'facts.response_date') }}
        where
            facts.contact_id is not null
            and facts.response_date <= {{ as_of_date(cutoffs) }}
    ) as answers
    where answer_rank = 1
{%- endmacro %}
