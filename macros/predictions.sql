{#- Helpers of the prediction models (models/predictions, docs/DESIGN.md "Predictions: churn, potential, up-sell and
    backtests"). -#}

{#- churn_risk band of a churn probability: high from `churn_risk_high_min_probability`, medium from
    `churn_risk_medium_min_probability`, low below; null without probability. -#}
{% macro churn_risk(probability) -%}
    case
        when {{ probability }} >= {{ var('churn_risk_high_min_probability') }} then 'high'
        when {{ probability }} >= {{ var('churn_risk_medium_min_probability') }} then 'medium'
        when {{ probability }} is not null then 'low'
    end
{%- endmacro %}

{#- The body of a CTE with the churn probability (4 places) of every member of `population` (consumer: contact_id,
    account: company_id) as of the reference date, from the Python model `churn_scores`. Python models run on DuckDB only: on
    other targets the CTE is empty, so the probabilities and risks built on it are null. -#}
{% macro current_churn_scores(population, key) -%}
    {%- if target.type == 'duckdb' %}
    select
        customer_id as {{ key }},
        cast(round(cast(churn_probability as {{ dbt.type_numeric() }}), 4) as {{ decimal_places(4) }})
            as churn_probability
    from {{ ref('churn_scores') }}
    where population = '{{ population }}' and cutoff_index = 0
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as {{ key }},
        cast(null as {{ decimal_places(4) }}) as churn_probability
    where 1 = 0
    {%- endif %}
{%- endmacro %}

{#- The body of a `purchases` CTE: one row per cutoff and customer (`grain`: contact_id or company_id with at least
    one completed order by the cutoff) with the purchasing-mode columns of `order_metrics` as of the cutoff. -#}
{% macro purchases_as_of(grain, cutoffs) -%}
    select
        order_totals.cutoff_date,
        order_totals.{{ grain }},
        {{ order_metrics('order_totals', 'order_totals.cutoff_date') | indent(8) }}
    from (
        {{ order_totals_by(grain, cutoffs) | indent(8) }}
    ) as order_totals
    where order_totals.lifetime_orders > 0
{%- endmacro %}

{#- The body of an `order_windows` CTE: per cutoff and `grain`, the orders around the cutoff that are not in
    `order_totals`: completed orders in the label window after it (`orders_next_horizon`), completed orders in the same
    window a year earlier, cancelled and refunded orders of the 12 months ending on it and, with `count_buyers`, the
    people who placed a completed order in those 12 months. Orders after the reference date are never seen. -#}
{% macro order_windows_by(grain, cutoffs, count_buyers=false) -%}
    select
        cutoffs.cutoff_date,
        facts.{{ grain }},
        count(case when facts.is_completed and facts.order_date > cutoffs.cutoff_date then 1 end)
            as orders_next_horizon,
        count(case when facts.is_completed and facts.order_date <= cutoffs.last_year_end_date then 1 end)
            as orders_same_window_last_year,
        count(case when not facts.is_completed and facts.order_date <= cutoffs.cutoff_date then 1 end)
            as unhappy_orders_12m
        {%- if count_buyers %},
        count(
            distinct case when facts.is_completed and facts.order_date <= cutoffs.cutoff_date then facts.contact_id end
        ) as buying_contacts_12m
        {%- endif %}
    from {{ ref('fct_orders') }} as facts
    inner join {{ cutoffs }} as cutoffs
        on
            facts.order_date > cutoffs.last_year_start_date
            and facts.order_date <= cutoffs.label_end_date
    where
        facts.{{ grain }} is not null
        and facts.order_date <= {{ reference_date() }}
    group by cutoffs.cutoff_date, facts.{{ grain }}
{%- endmacro %}

{#- A rate smoothed toward its parent level's (additive smoothing, empirical Bayes): (successes + m x parent rate) /
    (trials + m), m = `peer_prior_accounts` pseudo-accounts. A group of m accounts lands halfway between its own
    rate and its parent's; an empty group takes its parent's. -#}
{% macro smoothed_rate(successes, trials, parent_rate) -%}
    {%- set prior = var('peer_prior_accounts') -%}
    ({{ successes }} + {{ prior }} * {{ parent_rate }}) / ({{ trials }} + {{ prior }})
{%- endmacro %}

{#- Incremental `*_as_of` models (docs/DESIGN.md, "Incremental builds and scale"). A full build computes every cutoff
    of `prediction_cutoffs`; an incremental run computes cutoff 0 (the reference date) and only those training
    cutoffs whose rows in the table are not settled, and replaces the rows of every cutoff it computes
    (delete+insert on `cutoff_date`). The rows of a training cutoff are settled once they were computed on a reference
    date (`computed_as_of`) on or after its `settled_on_date` (label end + `incremental_lookback_days`): no fact
    that late arrivals can still bring in is dated in their windows. The post-hooks delete every row that is
    neither computed by this run nor settled for a current cutoff (the cutoffs the anchor left), and record how many
    GDPR erasure subjects the rows have seen. A column added to the model stops the incremental run
    (`on_schema_change: fail`): run `dbt build --full-refresh`. -#}
{% macro as_of_incremental_config() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='cutoff_date',
        on_schema_change='fail',
        post_hook=["{{ delete_unsettled_as_of_rows() }}", "{{ record_as_of_erasure_subjects() }}"],
    ) }}
{%- endmacro %}

{#- The body of the `cutoffs` CTE of an `*_as_of` model: every cutoff of `prediction_cutoffs` on a full build; on an
    incremental run the reference date's and the training cutoffs without settled rows in the table. A GDPR erasure
    subject added to the register since the table was computed makes every cutoff computed again: the people erased
    leave every aggregate (ranks, account roll-ups), not only their own rows. -#}
{% macro as_of_cutoffs() -%}
    select * from {{ ref('prediction_cutoffs') }} as cutoffs
    {%- if is_incremental() and not as_of_erasure_pending() %}
    where
        cutoffs.cutoff_index = 0
        or not exists (
            select 1 from {{ this }} as computed
            where
                computed.cutoff_date = cutoffs.cutoff_date
                and computed.cutoff_index = cutoffs.cutoff_index
                and computed.computed_as_of >= cutoffs.settled_on_date
        )
    {%- endif %}
{%- endmacro %}

{#- Whether this run computes any training cutoff (cutoff_index >= 1) of an `*_as_of` model: always on a full
    build; on an incremental run, when `as_of_cutoffs` still lists one (not settled, a moved anchor, a GDPR erasure).
    Known when the SQL is compiled, so that a run with nothing to train on does not even plan the scans of the facts
    (DuckDB runs a join's probe side even when its cutoffs side is empty: 5 s over the email events at bench scale). -#}
{% macro as_of_training_pending() -%}
    {%- if not execute or not is_incremental() -%}{{ return(true) }}{%- endif -%}
    {%- set pending = run_query(
        "select count(*) from (" ~ as_of_cutoffs() ~ ") as cutoffs where cutoffs.cutoff_index >= 1"
    ).columns[0].values()[0] -%}
    {{ return(pending | int > 0) }}
{%- endmacro %}

{#- The body of the `training_cutoffs` CTE of an `*_as_of` model: the training cutoffs of the relation `cutoffs` (its
    `as_of_cutoffs`) this run computes, none when every one is settled: then a constant false filter, and the database
    plans no scan of the facts for them. -#}
{% macro as_of_training_cutoffs(cutoffs) -%}
    select * from {{ cutoffs }}
    where cutoff_index >= 1 and {{ 'true' if as_of_training_pending() else 'false' }}
{%- endmacro %}

{#- Post-hook of an `*_as_of` model: delete the rows that are neither computed as of this reference date nor settled
    rows of a current cutoff (same date, same index). -#}
{% macro delete_unsettled_as_of_rows() -%}
    delete from {{ this }} as computed
    where not exists (
        select 1 from {{ ref('prediction_cutoffs') }} as cutoffs
        where
            cutoffs.cutoff_date = computed.cutoff_date
            and cutoffs.cutoff_index = computed.cutoff_index
            and (
                computed.computed_as_of = {{ reference_date() }}
                or computed.computed_as_of >= cutoffs.settled_on_date
            )
    )
{%- endmacro %}

{#- Subjects of the GDPR erasure register (every kind) and the count the `*_as_of` model recorded when it last
    computed every cutoff (-1 when the register's tables do not exist: nothing to do). -#}
{% macro as_of_erasure_counts() -%}
    {%- set raw_schema = var('raw_schema') -%}
    {%- set ready = run_query("select count(*) from information_schema.tables where table_schema = '" ~ raw_schema
        ~ "' and table_name in ('erasure_register', 'erasure_applied')").columns[0].values()[0] -%}
    {%- if ready | int < 2 -%}{{ return([-1, -1]) }}{%- endif -%}
    {%- set subjects = erasure_register_counts().values() | sum -%}
    {%- set recorded = run_query("select coalesce(max(subjects_applied), 0) from " ~ raw_schema
        ~ ".erasure_applied where relation_name = '" ~ this.schema ~ "." ~ this.identifier
        ~ "' and column_name = 'as_of_rows'").columns[0].values()[0] | int -%}
    {{ return([subjects, recorded]) }}
{%- endmacro %}

{% macro as_of_erasure_pending() -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set counts = as_of_erasure_counts() -%}
    {{ return(counts[0] > counts[1]) }}
{%- endmacro %}

{#- Post-hook of an `*_as_of` model: after a run that computed every cutoff with the register's current subjects
    (a full build, or an incremental one that a new subject made compute everything), record their number. -#}
{% macro record_as_of_erasure_subjects() -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set counts = as_of_erasure_counts() -%}
    {%- if counts[0] <= counts[1] -%}{{ return('select 1') }}{%- endif -%}
    {%- set name = this.schema ~ '.' ~ this.identifier -%}
    delete from {{ var('raw_schema') }}.erasure_applied
    where relation_name = '{{ name }}' and column_name = 'as_of_rows';
    insert into {{ var('raw_schema') }}.erasure_applied
    values ('{{ name }}', 'as_of_rows', {{ counts[0] }}, current_timestamp)
{%- endmacro %}

{#- The body of an engagement CTE as of each cutoff of the relation `cutoffs` (cutoff_index, cutoff_date): per cutoff
    and person with an event up to it, deliveries, opens and clicks of the 90 days ending on it and days since the last
    open or click (events resolved to the person as in `int_contact_engagement`). Only opens and clicks are joined to
    every later cutoff (for the last engagement); deliveries only to the cutoff whose 90 days they fall in. -#}
{% macro engagement_totals_as_of(cutoffs) -%}
    select
        cutoff_index,
        cutoff_date,
        contact_id,
        sum(case when days_ago < 90 then deliveries else 0 end) as emails_delivered_90d,
        sum(case when days_ago < 90 then opens else 0 end) as opens_90d,
        sum(case when days_ago < 90 then clicks else 0 end) as clicks_90d,
        min(case when opens + clicks > 0 then days_ago end) as days_since_last_engagement
    from (
        select
            cutoffs.cutoff_index,
            cutoffs.cutoff_date,
            events.contact_id,
            events.deliveries,
            events.opens,
            events.clicks,
            {{ days_before_reference('events.event_date', 'cutoffs.cutoff_date') }} as days_ago
        from (
            select
                contact_id,
                event_date,
                count(case when event_type = 'delivered' then 1 end) as deliveries,
                count(case when event_type = 'open' then 1 end) as opens,
                count(case when event_type = 'click' then 1 end) as clicks
            from (
                {{ resolved_email_events(
                    "events.event_type in ('delivered', 'open', 'click') and events.event_date <= " ~ reference_date()
                ) | indent(16) }}
            ) as resolved
            where contact_id is not null
            group by contact_id, event_date
        ) as events
        inner join {{ cutoffs }} as cutoffs
            on
                events.event_date <= cutoffs.cutoff_date
                and (
                    events.opens + events.clicks > 0
                    or {{ days_before_reference('events.event_date', 'cutoffs.cutoff_date') }} < 90
                )
    ) as dated
    group by cutoff_index, cutoff_date, contact_id
{%- endmacro %}

{#- The body of a store visits CTE as of each cutoff of the relation `cutoffs`: per cutoff and person, the visits of
    the 90 days ending on it, the visit's contact id resolved to the person (`contact_identity_map`). -#}
{% macro store_visits_as_of(cutoffs) -%}
    select
        cutoffs.cutoff_date,
        identities.surviving_contact_id as contact_id,
        count(*) as store_visits_90d
    from {{ ref('fct_store_visits') }} as visits
    inner join {{ ref('contact_identity_map') }} as identities
        on visits.contact_id = identities.contact_id
    inner join {{ cutoffs }} as cutoffs
        on
            visits.visit_date <= cutoffs.cutoff_date
            and {{ days_before_reference('visits.visit_date', 'cutoffs.cutoff_date') }} < 90
    group by cutoffs.cutoff_date, identities.surviving_contact_id
{%- endmacro %}

{#- The body of a `customers` CTE: the customers of `purchases` (a `purchases_as_of` relation) who are people of
    `contacts` (contact_id, company_id), with their audience (`customer_type`: b2b with a company) and the columns
    `rfm_scored` ranks, as of each cutoff. -#}
{% macro customers_as_of(purchases, contacts) -%}
    select
        purchases.cutoff_date,
        purchases.contact_id,
        case when contacts.company_id is null then 'b2c' else 'b2b' end as customer_type,
        {{ days_before_reference('purchases.last_order_date', 'purchases.cutoff_date') }} as days_since_last_order,
        purchases.lifetime_orders,
        purchases.lifetime_revenue
    from {{ purchases }} as purchases
    inner join {{ contacts }} as contacts
        on purchases.contact_id = contacts.contact_id
{%- endmacro %}
