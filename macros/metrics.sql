{#- Helpers of the behaviour metrics (docs/DESIGN.md, "Behaviour metrics"): windows relative to the reference date,
    rounded ratios, and the order rollup shared by people and accounts. -#}

{#- Whole days from a date to the reference date: 0 on the reference date, 364 on the first day of the "12m" window
    (the 365 days ending on the reference date), 89 on the first day of the "90d" window. Negative after it. -#}
{% macro days_before_reference(date_column) -%}
    {{ dbt.datediff(date_column, reference_date(), 'day') }}
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
    the `order_totals()` aggregates of its completed and refunded orders placed up to the reference date. -#}
{% macro order_totals_by(grain) -%}
    select
        {{ grain }},
        {{ order_totals() | indent(8) }}
    from (
        select
            {{ grain }},
            net_revenue,
            lines_amount,
            services_amount,
            is_completed,
            order_date,
            {{ days_before_reference('order_date') }} as days_ago
        from {{ ref('fct_orders') }}
        where
            {{ grain }} is not null
            and status in ('completed', 'refunded')
            and order_date <= {{ reference_date() }}
    ) as orders
    group by {{ grain }}
{%- endmacro %}

{#- The body of a `ticket_totals` CTE: one row per `grain` (contact_id or company_id) with its tickets opened in the
    12 months, tickets still open, and the average satisfaction score of the 12 months' tickets. -#}
{% macro ticket_totals_by(grain) -%}
    select
        {{ grain }},
        count(case when days_ago < 365 then 1 end) as tickets_12m,
        count(case when is_open then 1 end) as open_tickets,
        {{ rounded_ratio(
            'sum(case when days_ago < 365 then satisfaction_score end)',
            'count(case when days_ago < 365 then satisfaction_score end)',
            2
        ) }} as avg_csat
    from (
        select
            {{ grain }},
            satisfaction_score,
            is_open,
            {{ days_before_reference('opened_date') }} as days_ago
        from {{ ref('fct_support_tickets') }}
        where
            {{ grain }} is not null
            and opened_date <= {{ reference_date() }}
    ) as tickets
    group by {{ grain }}
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
    customer without orders gets 0 counts and amounts, null averages and dates). -#}
{% macro order_metrics(totals) -%}
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
    {{ days_before_reference(totals ~ '.first_order_date') }} as tenure_days,
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
    (`contact_id`, null when nobody): through the event's contact id (`contact_identity_map`, merged records
    included) or, without one, through its address when exactly one person has it. Columns: contact_id, event_type,
    occurred_at, days_ago (`days_before_reference` of the event date). -#}
{% macro person_email_events(event_types) -%}
    select
        coalesce(identity.surviving_contact_id, email_owners.contact_id) as contact_id,
        events.event_type,
        events.occurred_at,
        {{ days_before_reference('events.event_date') }} as days_ago
    from {{ ref('fct_email_events') }} as events
    left join {{ ref('contact_identity_map') }} as identity
        on events.contact_id = identity.contact_id
    left join (
        -- an address held by exactly one person identifies them
        select
            email,
            min(contact_id) as contact_id
        from {{ ref('int_contacts_deduplicated') }}
        where is_survivor and email is not null
        group by email
        having count(*) = 1
    ) as email_owners
        on events.contact_id is null and events.email = email_owners.email
    where
        events.event_type in ('{{ event_types | join("', '") }}')
        and events.event_date <= {{ reference_date() }}
{%- endmacro %}
