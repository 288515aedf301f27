"""Churn probabilities of consumers and of accounts (DuckDB only: dbt-postgres cannot run Python models).

For each population, a ridge-penalised logistic regression (segwarehouse.predict) on the features "as of" each
cutoff of `prediction_cutoffs` (`contact_features_as_of` for consumers, `company_features_as_of` for accounts):
- backtest: fitted on the cutoffs 2 .. churn_training_cutoffs + 1 (labels known by cutoff 1), it scores cutoff 1
  (the training anchor minus a horizon), whose outcome is known at the anchor (`prediction_backtest` reads these rows);
- score: refitted on the cutoffs 1 .. churn_training_cutoffs, it scores everybody at the reference date (cutoff 0).
The training cutoffs hang from the training anchor, which moves every `prediction_retrain_days` days (docs/DESIGN.md).
A fit uses at most `prediction_max_training_rows` rows, a deterministic sample (by md5 of the key) above it; rows are
scored in slices of at most that many, so that memory stays bounded whatever the number of customers.
"""
import pandas as pd

from segwarehouse.predict import Feature, fit_churn_model

# Behaviour (orders), engagement (emails, stores), service (tickets, NPS). Durations and counts on a log scale.
ORDER_FEATURES = (
    Feature("days_since_last_order"),
    Feature("order_gap_ratio"),
    Feature("lifetime_orders"),
    Feature("orders_12m"),
    Feature("orders_same_window_last_year"),
    Feature("unhappy_orders_12m"),
    Feature("lifetime_revenue", "signed_log"),
    Feature("revenue_12m", "signed_log"),
    Feature("avg_order_value", "signed_log"),
    Feature("avg_days_between_orders"),
    Feature("tenure_days"),
    Feature("share_services", "linear"),
)
ENGAGEMENT_FEATURES = (
    Feature("emails_delivered_90d"),
    Feature("opens_90d"),
    Feature("clicks_90d"),
    Feature("days_since_last_engagement"),
)
SERVICE_FEATURES = (
    Feature("tickets_12m"),
    Feature("open_tickets"),
    Feature("avg_csat", "linear"),
)
POPULATIONS = {
    "consumer": (
        "contact_id",
        ORDER_FEATURES + ENGAGEMENT_FEATURES + SERVICE_FEATURES + (
            Feature("nps_score_last", "linear"),
            Feature("store_visits_90d"),
        ),
    ),
    "account": (
        "company_id",
        ORDER_FEATURES + ENGAGEMENT_FEATURES + SERVICE_FEATURES + (
            Feature("net_promoter_score", "linear"),
            Feature("buying_contacts_12m"),
            Feature("engaged_contact_count"),
            # usage: equipment installed by the cutoff
            Feature("equipped_product_count"),
            Feature("seats_purchased"),
            Feature("equipment_rate", "linear"),
            Feature("technology_score", "linear"),
            Feature("days_since_last_installation"),
            Feature("employee_count"),
        ),
    ),
}


def _rows(relation, key: str, columns: list[str], first: int, last: int, max_rows: int) -> pd.DataFrame:
    """Feature rows of the cutoffs first..last; at most max_rows of them, the same ones on every build."""
    selected = relation.filter(f"cutoff_index between {first} and {last}")
    selected = selected.order(f"md5(cast({key} as varchar) || cast(cutoff_date as varchar))").limit(max_rows)
    return selected.project(", ".join(columns)).df()


def _scored_slices(population: str, relation, key: str, columns: list[str], cutoff_index: int, model,
                   max_rows: int) -> list[pd.DataFrame]:
    """Every row of one cutoff scored by `model`, in slices of about max_rows rows (buckets of a hash of the key)."""
    selected = relation.filter(f"cutoff_index = {cutoff_index}")
    rows = int(selected.aggregate("count(*)").fetchall()[0][0])
    slices = max(1, -(-rows // max_rows))
    scored = []
    for bucket in range(slices):
        frame = selected.filter(
            f"hash({key}) % {slices} = {bucket}").project(", ".join(columns)).df()
        scored.append(_scored(population, key, frame, model.predict(frame)))
    return scored


def _scored(population: str, key: str, frame: pd.DataFrame, probabilities) -> pd.DataFrame:
    return pd.DataFrame({
        "population": population,
        "customer_id": frame[key].astype(str),
        "cutoff_index": frame["cutoff_index"].astype("int64"),
        "cutoff_date": pd.to_datetime(frame["cutoff_date"]).dt.date,  # a DATE column, not a timestamp
        "churn_probability": probabilities.round(6),
        "is_churned": frame["is_churned"].astype("boolean"),
    })


def model(dbt, session):
    dbt.config(materialized="table")
    training_cutoffs = int(dbt.config.get("churn_training_cutoffs"))
    max_rows = int(dbt.config.get("prediction_max_training_rows"))
    l2 = float(dbt.config.get("churn_l2_penalty"))
    relations = {
        "consumer": dbt.ref("contact_features_as_of").filter("customer_type = 'b2c'"),
        "account": dbt.ref("company_features_as_of"),
    }
    scored = []
    for population, (key, features) in POPULATIONS.items():
        relation = relations[population]
        # features as doubles: DuckDB hands decimals to pandas as Python objects, slow to convert
        columns = [key, "cutoff_index", "cutoff_date", "is_churned",
                   *(f"cast({feature.column} as double) as {feature.column}" for feature in features)]
        # backtest: labels up to cutoff 1 (a horizon before the training anchor), scored on the horizon ending on it
        training = _rows(relation, key, columns, 2, training_cutoffs + 1, max_rows)
        backtest = fit_churn_model(training, "is_churned", features, l2=l2)
        scored += _scored_slices(population, relation, key, columns, 1, backtest, max_rows)
        # score: refitted with the labels up to the training anchor, everybody as of the reference date
        training = _rows(relation, key, columns, 1, training_cutoffs, max_rows)
        final = fit_churn_model(training, "is_churned", features, l2=l2)
        scored += _scored_slices(population, relation, key, columns, 0, final, max_rows)
    return pd.concat(scored, ignore_index=True)
