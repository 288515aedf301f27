"""The churn models of the dbt Python models `churn_models` (fits) and `churn_scores` (scores), DuckDB only.

For each population, a ridge-penalised logistic regression (segwarehouse.predict) on the features "as of" each cutoff
of `prediction_cutoffs` (`contact_features_as_of` for consumers, `company_features_as_of` for accounts), fitted twice:
- backtest: on the cutoffs 2 .. churn_training_cutoffs + 1 (labels known by cutoff 1); it scores cutoff 1 (the training
  anchor minus a horizon), whose outcome is known at the anchor (`prediction_backtest` reads these rows);
- score: refitted on the cutoffs 1 .. churn_training_cutoffs; it scores everybody at the reference date (cutoff 0).
A fit uses at most `prediction_max_training_rows` rows, a deterministic sample (by md5 of the key and cutoff) above it.

The training cutoffs hang from the training anchor, which moves every `prediction_retrain_days` days, and their rows
settle (docs/DESIGN.md): between two anchors a fit sees the same rows build after build. `training_fingerprint` hashes
the rows it samples from (count and XOR of a hash of every row: key, cutoff, label and features) with the features,
the sample size, the penalty and `FIT_VERSION`; `churn_models` reuses the previous build's fit when the fingerprint is the same (the fit is
deterministic: refitting would give the same model), and fits again otherwise.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd

from segwarehouse.predict import ChurnModel, Feature

# Bump when the fitting code changes in a way that changes the fitted models: every fit is then computed again.
FIT_VERSION = 1

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


@dataclass(frozen=True)
class Population:
    """A churn population: its key, its features, and which rows of its features model (`members`, a predicate;
    none: every row) it is made of. The fits and the scores read the population through `rows`."""
    name: str
    key: str
    features: tuple[Feature, ...]
    members: str | None = None

    def rows(self, relation):
        """The population's rows of its features model (a DuckDB relation)."""
        return relation.filter(self.members) if self.members else relation

    @property
    def values(self) -> list[tuple[str, str]]:
        """(name, expression) of what a fit and a score read; features as doubles (DuckDB hands decimals to pandas
        as Python objects, slow to convert)."""
        return [(column, column) for column in (self.key, "cutoff_index", "cutoff_date", "is_churned")] + [
            (feature.column, f"cast({feature.column} as double)") for feature in self.features]

    @property
    def columns(self) -> list[str]:
        """`values` as a select list."""
        return [expression if expression == name else f"{expression} as {name}" for name, expression in self.values]


POPULATIONS = (
    Population("consumer", "contact_id", ORDER_FEATURES + ENGAGEMENT_FEATURES + SERVICE_FEATURES + (
        Feature("nps_score_last", "linear"),
        Feature("store_visits_90d"),
    ), members="customer_type = 'b2c'"),
    Population("account", "company_id", ORDER_FEATURES + ENGAGEMENT_FEATURES + SERVICE_FEATURES + (
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
    )),
)


def fit_cutoffs(fit: str, training_cutoffs: int) -> tuple[int, int, int]:
    """(first, last) training cutoff index of a fit, and the cutoff it scores."""
    if fit == "backtest":
        return 2, training_cutoffs + 1, 1
    if fit == "score":
        return 1, training_cutoffs, 0
    raise ValueError(f"unknown fit {fit!r}")


FITS = ("backtest", "score")


def training_candidates(relation, first: int, last: int):
    """The feature rows of the cutoffs first..last: the rows a fit samples from."""
    return relation.filter(f"cutoff_index between {first} and {last}")


def training_rows(candidates, population: Population, max_rows: int):
    """The rows a fit uses: at most max_rows of the candidates, the same ones on every build (smallest md5 of key and
    cutoff date)."""
    selected = candidates.order(f"md5(cast({population.key} as varchar) || cast(cutoff_date as varchar))")
    return selected.limit(max_rows).project(", ".join(population.columns))


def training_fingerprint(candidates, population: Population, max_rows: int, l2: float) -> str:
    """A hash of everything a fit depends on: its candidate rows (their number and the XOR of a hash of each one's
    key, cutoff, label and features: the sample of `training_rows` is a function of them and `max_rows`), the
    features and their transforms, `max_rows`, the penalty and `FIT_VERSION`. One aggregate over the candidates, not
    the sample's sort."""
    expressions = ", ".join(expression for _, expression in population.values)
    count, row_hash = candidates.aggregate(f"count(*), coalesce(bit_xor(hash({expressions})), 0)").fetchall()[0]
    setup = {"rows": int(count), "hash": int(row_hash), "max_rows": int(max_rows), "l2": float(l2),
             "version": FIT_VERSION, "features": [[feature.column, feature.transform] for feature in population.features]}
    return hashlib.sha256(json.dumps(setup, sort_keys=True).encode()).hexdigest()[:16]


def scored_slices(population: Population, relation, cutoff_index: int, model: ChurnModel,
                  max_rows: int) -> list[pd.DataFrame]:
    """Every row of one cutoff scored by `model`, in slices of about max_rows rows (buckets of a hash of the key), so
    that memory stays bounded whatever the number of customers."""
    selected = relation.filter(f"cutoff_index = {cutoff_index}")
    rows = int(selected.aggregate("count(*)").fetchall()[0][0])
    slices = max(1, -(-rows // max_rows))
    scored = []
    for bucket in range(slices):
        frame = selected.filter(f"hash({population.key}) % {slices} = {bucket}").project(
            ", ".join(population.columns)).df()
        scored.append(pd.DataFrame({
            "population": population.name,
            "customer_id": frame[population.key].astype(str),
            "cutoff_index": frame["cutoff_index"].astype("int64"),
            "cutoff_date": pd.to_datetime(frame["cutoff_date"]).dt.date,  # a DATE column, not a timestamp
            "churn_probability": model.predict(frame).round(6),
            "is_churned": frame["is_churned"].astype("boolean"),
        }))
    return scored
