"""Churn probabilities of consumers and of accounts (DuckDB only: dbt-postgres cannot run Python models).

Scores with the models of `churn_models` (segwarehouse/churn.py): each population's backtest model scores cutoff 1
(the training anchor minus a horizon, whose outcome is known at the anchor: `prediction_backtest` reads these rows),
its score model scores everybody at the reference date (cutoff 0). Rows are scored in slices of at most
`prediction_max_training_rows`, so that memory stays bounded whatever the number of customers.
"""
import pandas as pd

from segwarehouse.churn import FITS, POPULATIONS, fit_cutoffs, scored_slices
from segwarehouse.predict import ChurnModel


def model(dbt, session):
    dbt.config(materialized="table")
    training_cutoffs = int(dbt.config.get("churn_training_cutoffs"))
    max_rows = int(dbt.config.get("prediction_max_training_rows"))
    features = {"consumer": dbt.ref("contact_features_as_of"), "account": dbt.ref("company_features_as_of")}
    relations = {population.name: population.rows(features[population.name]) for population in POPULATIONS}
    models = {(population, fit): ChurnModel.from_json(model_json) for population, fit, model_json in
              dbt.ref("churn_models").project("population, fit, model_json").fetchall()}
    scored = []
    for population in POPULATIONS:
        for fit in FITS:
            _, _, cutoff_index = fit_cutoffs(fit, training_cutoffs)
            scored += scored_slices(population, relations[population.name], cutoff_index,
                                    models[(population.name, fit)], max_rows)
    return pd.concat(scored, ignore_index=True)
