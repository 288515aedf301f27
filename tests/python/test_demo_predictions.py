"""The predictions on the demo build (docs/DESIGN.md, "Predictions: churn, potential, up-sell and backtests"): the
backtest table is populated and the churn models rank well (AUC >= 0.75) without seeing the future: the features
as of the backtest cutoff are recomputed here from the facts dated up to it, the labels from the facts after it,
and the AUC by counting pairs in SQL, independently of the models' code."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pytest

from conftest import DEMO_DIR, DEMO_REFERENCE_DATE, Warehouse, dbt_vars, run_dbt, warehouse_path

HORIZON = 180  # var churn_horizon_days
RETRAIN_DAYS = 7  # var prediction_retrain_days: a grid of every 7 days from Monday 2000-01-03
_days_since_epoch = (date.fromisoformat(DEMO_REFERENCE_DATE) - date(2000, 1, 3)).days
ANCHOR_DATE = date.fromisoformat(DEMO_REFERENCE_DATE) - timedelta(days=_days_since_epoch % RETRAIN_DAYS)  # 2026-10-26
ANCHOR = f"date '{ANCHOR_DATE}'"
BACKTEST_CUTOFF = f"({ANCHOR} - {HORIZON})"  # 2026-04-29

PREDICTION_SEGMENTS = ["seg_churn_risk_consumers", "seg_churn_risk_accounts", "seg_high_potential_prospects",
                       "seg_upsell_targets", "seg_slipping_champions"]


def backtest(warehouse: Warehouse) -> dict[str, tuple]:
    rows = warehouse.query("select model, reference_date, cutoff_date, horizon_days, n, auc, lift_top_decile, brier "
                           "from predictions.prediction_backtest")
    return {row[0]: row[1:] for row in rows}


def test_backtest_table_is_populated(demo_warehouse: Warehouse) -> None:
    results = backtest(demo_warehouse)
    assert set(results) == {"churn_consumers", "churn_accounts", "prospect_conversion"}
    for model, (reference_date, cutoff_date, horizon_days, n, auc, lift, brier) in results.items():
        assert str(reference_date) == DEMO_REFERENCE_DATE and horizon_days == HORIZON, model
        assert cutoff_date == ANCHOR_DATE - timedelta(days=HORIZON), model
        assert n > 500, model
        assert 0 <= auc <= 1 and lift >= 0 and 0 <= brier <= 1, model


@pytest.mark.parametrize("model", ["churn_consumers", "churn_accounts"])
def test_churn_models_rank_well_on_the_backtest(demo_warehouse: Warehouse, model: str) -> None:
    _, _, _, n, auc, lift, brier = backtest(demo_warehouse)[model]
    assert auc >= 0.75, (model, auc)
    assert lift > 1.3, (model, lift)
    assert brier < 0.2, (model, brier)  # a constant at the base rate scores 0.19 to 0.24 here


def test_backtest_auc_recomputed_by_counting_pairs(demo_warehouse: Warehouse) -> None:
    """AUC = share of (churned, retained) pairs where the churned customer has the higher probability, ties one half,
    counted in SQL from the scores at the backtest cutoff; n is the number of customers scored there."""
    recomputed = dict(demo_warehouse.query("""
        with scores as (
            select population, churn_probability as p, is_churned from predictions.churn_scores where cutoff_index = 1
        )
        select
            case churned.population when 'consumer' then 'churn_consumers' else 'churn_accounts' end,
            avg(case when churned.p > retained.p then 1.0 when churned.p = retained.p then 0.5 else 0.0 end)
        from scores as churned
        inner join scores as retained
            on churned.population = retained.population and churned.is_churned and not retained.is_churned
        group by churned.population"""))
    results = backtest(demo_warehouse)
    for model, auc in recomputed.items():
        assert results[model][4] == pytest.approx(auc, abs=1e-4), model
    counts = dict(demo_warehouse.query(f"""
        select 'churn_consumers', count(distinct orders.contact_id)
        from marts.fct_orders as orders inner join marts.dim_contacts as people on orders.contact_id = people.contact_id
        where people.customer_type = 'b2c' and orders.is_completed and orders.order_date <= {BACKTEST_CUTOFF}
        union all
        select 'churn_accounts', count(distinct company_id) from marts.fct_orders
        where company_id is not null and is_completed and order_date <= {BACKTEST_CUTOFF}"""))
    assert {model: results[model][3] for model in counts} == counts


def test_backtest_labels_are_what_happened_after_the_cutoff(demo_warehouse: Warehouse) -> None:
    """A consumer scored at the backtest cutoff churned when no completed order of theirs is dated in the 180 days
    after it (up to the training anchor, on or before the reference date), recomputed from fct_orders."""
    [(mismatches, scored)] = demo_warehouse.query(f"""
        with later as (
            select distinct contact_id from marts.fct_orders
            where is_completed and order_date > {BACKTEST_CUTOFF} and order_date <= {ANCHOR}
        )
        select
            count(case when scores.is_churned <> (later.contact_id is null) then 1 end),
            count(*)
        from predictions.churn_scores as scores
        left join later on scores.customer_id = later.contact_id
        where scores.population = 'consumer' and scores.cutoff_index = 1""")
    assert scored > 500 and mismatches == 0


def test_backtest_features_see_nothing_after_the_cutoff(demo_warehouse: Warehouse) -> None:
    """The features at the backtest cutoff equal the same metrics recomputed from the facts dated up to it: orders
    (count, last date), email opens in the 90 days ending on it, tickets opened in its 12 months."""
    [(rows, mismatches)] = demo_warehouse.query(f"""
        with orders as (
            select contact_id, count(*) as lifetime_orders, max(order_date) as last_order_date
            from marts.fct_orders
            where is_completed and contact_id is not null and order_date <= {BACKTEST_CUTOFF}
            group by contact_id
        ),
        opens as (
            select identity.surviving_contact_id as contact_id, count(*) as opens_90d
            from marts.fct_email_events as events
            inner join marts.contact_identity_map as identity on events.contact_id = identity.contact_id
            where events.event_type = 'open'
                and events.event_date between {BACKTEST_CUTOFF} - 89 and {BACKTEST_CUTOFF}
            group by identity.surviving_contact_id
        ),
        tickets as (
            select contact_id, count(*) as tickets_12m from marts.fct_support_tickets
            where contact_id is not null and opened_date between {BACKTEST_CUTOFF} - 364 and {BACKTEST_CUTOFF}
            group by contact_id
        )
        select
            count(*),
            count(case when features.lifetime_orders <> orders.lifetime_orders
                or features.days_since_last_order <> {BACKTEST_CUTOFF} - orders.last_order_date
                or features.opens_90d < coalesce(opens.opens_90d, 0)
                or features.tickets_12m <> coalesce(tickets.tickets_12m, 0) then 1 end)
        from predictions.contact_features_as_of as features
        inner join orders on features.contact_id = orders.contact_id
        left join opens on features.contact_id = opens.contact_id
        left join tickets on features.contact_id = tickets.contact_id
        where features.cutoff_index = 1""")
    # opens: events resolved by address only are the features' too, hence >= on that column
    assert rows > 4000 and mismatches == 0
    [(population,)] = demo_warehouse.query(f"""
        select count(*) from predictions.contact_features_as_of
        where cutoff_index = 1 and (last_order_date > {BACKTEST_CUTOFF} or first_order_date > {BACKTEST_CUTOFF})""")
    assert population == 0


def test_features_at_the_reference_date_equal_the_published_metrics(demo_warehouse: Warehouse) -> None:
    """The as-of macros at cutoff 0 reproduce dim_contacts and dim_companies, column for column."""
    [(people, differences)] = demo_warehouse.query("""
        select count(*), count(case when
            features.revenue_12m <> people.revenue_12m or features.lifetime_orders <> people.lifetime_orders
            or features.tenure_days <> people.tenure_days or features.rfm_segment <> people.rfm_segment
            or features.engagement_level <> people.engagement_level or features.clicks_90d <> people.clicks_90d
            or features.tickets_12m <> people.tickets_12m or features.open_tickets <> people.open_tickets
            or features.avg_csat is distinct from people.avg_csat
            or features.nps_score_last is distinct from people.nps_score_last
            or features.store_visits_90d <> people.store_visits_90d then 1 end)
        from predictions.contact_features_as_of as features
        inner join marts.dim_contacts as people on features.contact_id = people.contact_id
        where features.cutoff_index = 0""")
    assert people == demo_warehouse.query("select count(*) from marts.dim_contacts where lifetime_orders > 0")[0][0]
    assert differences == 0
    [(accounts, differences)] = demo_warehouse.query("""
        select count(*), count(case when
            features.revenue_12m <> accounts.revenue_12m or features.orders_12m <> accounts.orders_12m
            or features.opens_90d <> accounts.opens_90d or features.engaged_contact_count <> accounts.engaged_contact_count
            or features.net_promoter_score is distinct from accounts.net_promoter_score
            or features.seats_purchased <> accounts.seats_purchased
            or features.equipment_rate is distinct from accounts.equipment_rate then 1 end)
        from predictions.company_features_as_of as features
        inner join marts.dim_companies as accounts on features.company_id = accounts.company_id
        where features.cutoff_index = 0""")
    assert accounts == demo_warehouse.query("select count(*) from marts.dim_companies where lifetime_orders > 0")[0][0]
    assert differences == 0


def test_churn_risk_follows_the_probability_thresholds(demo_warehouse: Warehouse) -> None:
    rows = demo_warehouse.query("""
        select churn_risk, min(churn_probability), max(churn_probability), count(*) from marts.dim_contacts
        where customer_type = 'b2c' and lifetime_orders > 0 group by churn_risk""")
    bands = {risk: (low, high, n) for risk, low, high, n in rows}
    assert set(bands) == {"low", "medium", "high"}
    # probabilities are decimals (4 places), compared with the thresholds as decimals: the float 0.4 is above 0.4000
    high, medium = Decimal("0.7"), Decimal("0.4")
    assert bands["high"][0] >= high and bands["medium"][0] >= medium and bands["medium"][1] < high
    assert bands["low"][1] < medium
    # every consumer customer, and only them, has a probability
    [(without, non_customers_with)] = demo_warehouse.query("""
        select count(case when lifetime_orders > 0 and churn_probability is null then 1 end),
               count(case when lifetime_orders = 0 and churn_probability is not null then 1 end)
        from marts.dim_contacts where customer_type = 'b2c'""")
    assert without == 0 and non_customers_with == 0


def test_missing_products_are_neither_bought_nor_installed(demo_warehouse: Warehouse) -> None:
    """Each category listed in an account's missing_products is one it has no completed line of and no equipment of."""
    [(listed, held)] = demo_warehouse.query("""
        with missing as (
            select company_id, unnest(string_split(missing_products, '|')) as category
            from marts.dim_companies where missing_products is not null
        ),
        held as (
            select orders.company_id, products.category
            from marts.fct_order_lines as lines
            inner join marts.fct_orders as orders on lines.order_id = orders.order_id
            inner join staging.stg_crm__products as products on lines.product_id = products.product_id
            where orders.is_completed
            union
            select equipment.company_id, products.category
            from staging.stg_crm__equipment as equipment
            inner join staging.stg_crm__products as products on equipment.product_id = products.product_id
        )
        select count(*), count(held.company_id)
        from missing left join held on missing.company_id = held.company_id and missing.category = held.category""")
    assert listed > 100 and held == 0


@pytest.mark.parametrize("segment", PREDICTION_SEGMENTS)
def test_prediction_segment_is_populated_and_selective(demo_warehouse: Warehouse, segment: str) -> None:
    [(member_count, audience)] = demo_warehouse.query(
        f"select member_count, audience from segments.segment_catalog where segment_name = '{segment}'")
    base = demo_warehouse.query("select count(*) from marts.dim_contacts"
                                + ("" if audience == "all" else f" where customer_type = '{audience}'"))[0][0]
    assert 50 <= member_count <= base // 2, (segment, member_count, base)


def test_churn_risk_consumers_recomputed_from_the_scores(demo_warehouse: Warehouse) -> None:
    expected = {row[0] for row in demo_warehouse.query("""
        select customer_id from predictions.churn_scores
        where population = 'consumer' and cutoff_index = 0 and round(churn_probability, 4) >= 0.7""")}
    members = {row[0] for row in demo_warehouse.query("select contact_id from segments.seg_churn_risk_consumers")}
    assert expected and members == expected


# The reference date's features, from the facts as for a training cutoff (analyses/), and the table they are compared
# with: contact_features_as_of and contact_engagement_as_of read that date's metrics from the behaviour models.
REFERENCE_ANALYSES = {"reference_features_from_facts": "contact_features_as_of",
                      "reference_engagement_from_events": "contact_engagement_as_of"}


def test_reference_date_features_are_the_ones_training_cutoffs_get(demo_warehouse: Warehouse, tmp_path) -> None:
    """The churn models are trained on features computed from the facts as of each training cutoff and score the
    reference date's features, which are read from the behaviour models (int_contact_purchases, int_contact_rfm,
    int_contact_engagement, int_contact_store_visits): computed from the facts as of the reference date the same way
    (the analyses), they are the same rows, column for column."""
    copy = demo_warehouse.copy_to(warehouse_path(tmp_path / "compile"))
    run_dbt(["compile", "--select", *REFERENCE_ANALYSES, "--vars", dbt_vars(DEMO_DIR),
             "--target-path", str(tmp_path / "target")], env={"SEGMENTS_DUCKDB_PATH": str(copy)})
    for analysis, table in REFERENCE_ANALYSES.items():
        sql = (tmp_path / "target" / "compiled" / "segments" / "analyses" / f"{analysis}.sql").read_text()
        columns = ", ".join(row[0] for row in demo_warehouse.query(f"describe {sql}"))
        stored = f"select {columns} from predictions.{table} where cutoff_index = 0"
        computed = f"select {columns} from ({sql}) as computed"
        rows = demo_warehouse.query(f"select count(*) from ({computed}) as computed")[0][0]
        assert rows > 1000, analysis
        for left, right in ((stored, computed), (computed, stored)):
            extra = demo_warehouse.query(f"select count(*) from ({left} except all {right}) as difference")[0][0]
            assert extra == 0, f"{table}: {extra} rows differ from {analysis}"


def test_a_run_with_settled_training_cutoffs_reads_the_reference_date_from_the_behaviour_models(
        demo_warehouse: Warehouse, tmp_path) -> None:
    """Built again as of the same date, every training cutoff of the demo is settled: the `*_as_of` models compute
    cutoff 0 only, and contact_engagement_as_of and contact_features_as_of do it without a scan of the events or the
    visits (their training cutoffs are filtered out by a constant, and the query plan has none); the tables hold the
    same rows as before."""
    models = ["contact_engagement_as_of", "contact_features_as_of"]
    before = {model: demo_warehouse.query(f"select * from predictions.{model} order by all") for model in models}
    copy = demo_warehouse.copy_to(warehouse_path(tmp_path / "rerun"))
    run_dbt(["run", "--select", *models, "--vars", dbt_vars(DEMO_DIR), "--target-path", str(tmp_path / "target")],
            env={"SEGMENTS_DUCKDB_PATH": str(copy)})
    compiled = tmp_path / "target" / "compiled" / "segments" / "models" / "predictions"
    for model in models:
        sql = (compiled / f"{model}.sql").read_text()
        assert '"predictions"."' + model + '"' in sql, model  # the incremental branch
        assert "cutoff_index >= 1 and false" in sql, model
        with duckdb.connect(str(copy), read_only=True) as connection:
            plan = "\n".join(row[1] for row in connection.execute(f"explain {sql}").fetchall())
            assert {"contact_engagement_as_of": "int_contact_engagement",
                    "contact_features_as_of": "int_contact_purchases"}[model] in plan, model
            for fact in ("fct_email_events", "fct_store_visits"):
                assert fact not in plan, (model, fact)
            assert connection.execute(f"select * from predictions.{model} order by all").fetchall() == before[model]
