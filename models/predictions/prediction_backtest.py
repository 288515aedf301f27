"""Backtest of every classifier of models/predictions (DuckDB only: dbt-postgres cannot run Python models).

Each classifier was refitted on data up to the backtest cutoff (cutoff 1 of `prediction_cutoffs`: the training anchor
minus the horizon) and scored as of it; this table compares those scores with what happened in the horizon after it,
which ends on the training anchor and is known at the reference date. One row per classifier:
- churn_consumers, churn_accounts: `churn_scores` at cutoff 1 against `is_churned` (no completed order in the
  horizon), the logistic regressions having been fitted on the cutoffs before;
- prospect_conversion: the prospect score as of cutoff 1 (the look-alike rate of `prospect_potential_as_of`, from
  data up to that cutoff) of the accounts that were not customers then, against their first completed order in the
  horizon. The look-alike rate is a share of customers, not a probability of converting within the horizon: for
  the Brier score it is calibrated (Platt scaling: a logistic regression on its log-odds) on the conversions of the
  horizon before (cutoff 2 to cutoff 1); AUC and lift rank by the score itself.
"""
import numpy as np
import pandas as pd
from scipy.special import logit

from segwarehouse.predict import evaluate, fit_logistic_regression


def _row(model: str, dates: dict, horizon_days: int, labels, probabilities, ranking=None) -> dict:
    result = evaluate(np.asarray(labels, dtype=float), np.asarray(probabilities, dtype=float), ranking)
    return {"model": model, **dates, "horizon_days": horizon_days, "n": result.n,
            "auc": result.auc, "lift_top_decile": result.lift_top_decile, "brier": result.brier}


def _look_alike_log_odds(rates: pd.Series) -> np.ndarray:
    return logit(np.clip(rates.astype(float).to_numpy(), 1e-6, 1 - 1e-6))[:, None]


def model(dbt, session):
    dbt.config(materialized="table")
    cutoffs = dbt.ref("prediction_cutoffs").project("cutoff_index, cutoff_date, horizon_days").df()
    cutoff_dates = {int(index): pd.to_datetime(date).date() for index, date in zip(cutoffs.cutoff_index,
                                                                                 cutoffs.cutoff_date)}
    # the build's reference date (cutoff 0), then the backtest cutoff (cutoff 1)
    dates = {"reference_date": cutoff_dates[0], "cutoff_date": cutoff_dates[1]}
    horizon_days = int(cutoffs.horizon_days.iloc[0])

    rows = []
    scores = dbt.ref("churn_scores").filter("cutoff_index = 1").project(
        "population, churn_probability, is_churned").df()
    for population, model_name in (("consumer", "churn_consumers"), ("account", "churn_accounts")):
        tested = scores[scores.population == population]
        rows.append(_row(model_name, dates, horizon_days, tested.is_churned, tested.churn_probability))

    prospects = dbt.ref("prospect_potential_as_of").filter(
        "cutoff_index in (1, 2) and not is_customer").project("cutoff_index, potential_rate, is_converted").df()
    training = prospects[prospects.cutoff_index == 2]
    tested = prospects[prospects.cutoff_index == 1]
    # a tiny penalty keeps the two-parameter fit finite when the training horizon has no conversion
    platt = fit_logistic_regression(_look_alike_log_odds(training.potential_rate), training.is_converted.astype(float),
                                    l2=1e-3)
    rows.append(_row("prospect_conversion", dates, horizon_days, tested.is_converted,
                     platt.predict(_look_alike_log_odds(tested.potential_rate)), tested.potential_rate.astype(float)))
    frame = pd.DataFrame(rows)
    frame["n"] = frame["n"].astype("int64")
    for column in ("auc", "lift_top_decile", "brier"):
        frame[column] = frame[column].round(4)
    return frame
