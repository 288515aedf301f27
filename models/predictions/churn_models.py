"""The churn models: one logistic regression per population and fit (DuckDB only: dbt-postgres cannot run Python
models). See segwarehouse/churn.py: the backtest fit (cutoffs 2 .. churn_training_cutoffs + 1) and the score fit
(cutoffs 1 .. churn_training_cutoffs) of consumers and of accounts, each on at most `prediction_max_training_rows`
rows. A fit whose training fingerprint (its rows, features, penalty and fitting code) is the previous build's is
reused from this table, `fitted_at` included; any other is fitted again. `churn_scores` scores with these models.
"""
import json
from datetime import datetime, timezone

import pandas as pd

from segwarehouse.churn import FITS, POPULATIONS, fit_cutoffs, training_candidates, training_fingerprint, training_rows
from segwarehouse.predict import fit_churn_model
from segwarehouse.previous_build import previous_columns

COLUMNS = ["population", "fit", "first_cutoff_index", "last_cutoff_index", "training_rows", "churned_rows",
           "training_fingerprint", "coefficients", "iterations", "converged", "model_json", "fitted_at"]


def previous_fits(session, this) -> dict[tuple[str, str], dict]:
    """The previous build's fits by (population, fit); none on a first build."""
    if not set(COLUMNS) <= previous_columns(session, this):  # first build, or a table of an older version
        return {}
    frame = session.execute(f"select * from {this}").df()
    return {(row["population"], row["fit"]): row for row in frame.to_dict("records")}


def model(dbt, session):
    dbt.config(materialized="table")
    training_cutoffs = int(dbt.config.get("churn_training_cutoffs"))
    max_rows = int(dbt.config.get("prediction_max_training_rows"))
    l2 = float(dbt.config.get("churn_l2_penalty"))
    features = {"consumer": dbt.ref("contact_features_as_of"), "account": dbt.ref("company_features_as_of")}
    relations = {population.name: population.rows(features[population.name]) for population in POPULATIONS}
    previous = previous_fits(session, dbt.this)
    fitted_at = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = []
    for population in POPULATIONS:
        for fit in FITS:
            first, last, _ = fit_cutoffs(fit, training_cutoffs)
            candidates = training_candidates(relations[population.name], first, last)
            fingerprint = training_fingerprint(candidates, population, max_rows, l2)
            earlier = previous.get((population.name, fit))
            if earlier is not None and earlier["training_fingerprint"] == fingerprint:
                rows.append(earlier)
                continue
            training = training_rows(candidates, population, max_rows).df()
            churn_model = fit_churn_model(training, "is_churned", population.features, l2=l2)
            rows.append({
                "population": population.name,
                "fit": fit,
                "first_cutoff_index": first,
                "last_cutoff_index": last,
                "training_rows": len(training),
                "churned_rows": int(training["is_churned"].sum()),
                "training_fingerprint": fingerprint,
                "coefficients": json.dumps({name: round(value, 6) for name, value in churn_model.coefficients().items()}),
                "iterations": churn_model.fit.iterations,
                "converged": churn_model.fit.converged,
                "model_json": churn_model.to_json(),
                "fitted_at": fitted_at,
            })
    frame = pd.DataFrame(rows, columns=COLUMNS).astype(
        {"first_cutoff_index": "int64", "last_cutoff_index": "int64", "training_rows": "int64",
         "churned_rows": "int64", "iterations": "int64", "converged": "bool", "fitted_at": "datetime64[us]"})
    return frame

