"""Per-customer BG/NBD and Gamma-Gamma predictions (DuckDB), with the parameters of `predictive_model_parameters`.

Every customer of `int_clv_summaries` is scored (the fit used a sample): P(alive), repeat purchase days expected in
the next 90 days, the predicted next order date (the first day by which one more purchase day is expected; null
beyond `clv_next_order_horizon_days`), the 12-month CLV (12 monthly steps of the expected purchases, discounted at
`clv_annual_discount_rate` a year, times the expected spend per purchase) and its percentile among the customers of
the same population. Customers with the same (x, t_x, T) share one evaluation. Without a usable spend model (no
Gamma-Gamma row, or q <= 1: an infinite mean spend) the CLV and its percentile are null.
"""
import numpy as np
import pandas as pd
from scipy import stats

from segwarehouse import clv

DAYS_PER_YEAR = 365
EMPTY = {"population": "str", "customer_id": "str", "p_alive": "float64", "expected_orders_90d": "float64",
         "days_until_next_order": "Int64", "predicted_clv_12m": "Float64", "predicted_clv_percentile": "Float64",
         "calibration_end": "datetime64[s]"}


def score(customers: pd.DataFrame, bgnbd: clv.BgNbdParameters, spend: clv.GammaGammaParameters | None,
          horizon: int, monthly_discount: float) -> pd.DataFrame:
    """The predictions of one population's customers; CLV null when the spend model is missing or has an infinite
    mean (q <= 1)."""
    x = customers["frequency"].to_numpy(dtype=float)
    zbar = customers["monetary_value"].to_numpy(dtype=float, na_value=np.nan)
    (gx, gt_x, gT), _, inverse = clv.group_rows(
        x, customers["recency_days"].to_numpy(dtype=float), customers["age_days"].to_numpy(dtype=float))
    purchases = clv.discounted_expected_purchases(
        bgnbd, gx, gt_x, gT, horizon=DAYS_PER_YEAR, periods=12, period_discount_rate=monthly_discount)[inverse]
    if spend is None or spend.q <= 1:
        value = np.full(len(x), np.nan)
    else:
        value = purchases * clv.conditional_expected_spend(spend, x, zbar)
    # mid-rank percentile: (customers with a lower value + half of those with the same value) / customers
    scored = max(int(np.isfinite(value).sum()), 1)
    percentile = (stats.rankdata(value, nan_policy="omit") - 0.5) / scored
    return pd.DataFrame({
        "population": customers["population"],
        "customer_id": customers["customer_id"],
        "p_alive": clv.p_alive(bgnbd, gx, gt_x, gT)[inverse],
        "expected_orders_90d": clv.conditional_expected_purchases(bgnbd, 90, gx, gt_x, gT)[inverse],
        "days_until_next_order": pd.array(  # nullable: not within the horizon
            clv.time_to_expected_purchases(bgnbd, gx, gt_x, gT, horizon=horizon)[inverse], dtype="Int64"),
        "predicted_clv_12m": pd.array(value, dtype="Float64"),  # nan -> null
        "predicted_clv_percentile": pd.array(percentile, dtype="Float64"),
        "calibration_end": customers["calibration_end"],
    })


def model(dbt, session):
    dbt.config(materialized="table")
    horizon = int(dbt.config.get("clv_next_order_horizon_days"))
    monthly_discount = (1.0 + float(dbt.config.get("clv_annual_discount_rate"))) ** (1.0 / 12) - 1.0
    parameters = dbt.ref("predictive_model_parameters").df()
    summaries = dbt.ref("int_clv_summaries")
    frames = [pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in EMPTY.items()})]
    for population in ("consumer", "account"):
        fitted = parameters[parameters["population"] == population]
        if fitted.empty:
            continue
        values = {(row.model, row.parameter): row.value for row in fitted.itertuples()}
        bgnbd = clv.BgNbdParameters(*(values["bg_nbd", name] for name in ("r", "alpha", "a", "b")))
        spend = (clv.GammaGammaParameters(*(values["gamma_gamma", name] for name in ("p", "q", "gamma")))
                 if ("gamma_gamma", "q") in values else None)
        customers = (
            summaries.filter(f"population = '{population}'")
            .project("population, customer_id, frequency, recency_days, age_days, monetary_value, calibration_end")
            .df()
        )
        frames.append(score(customers, bgnbd, spend, horizon, monthly_discount))
    predictions = pd.concat(frames, ignore_index=True)
    # SQL types: dates, whole days, rounded probabilities and amounts
    return session.from_df(predictions).project("""
        cast(population as varchar) as population,
        cast(customer_id as varchar) as customer_id,
        cast(round(p_alive, 4) as decimal(5, 4)) as p_alive,
        cast(round(expected_orders_90d, 4) as decimal(18, 4)) as expected_orders_90d,
        cast(cast(calibration_end as date) + cast(days_until_next_order as integer) as date)
            as predicted_next_order_date,
        cast(days_until_next_order as integer) as days_until_next_order,
        cast(round(predicted_clv_12m, 2) as decimal(18, 2)) as predicted_clv_12m,
        cast(round(predicted_clv_percentile, 4) as decimal(5, 4)) as predicted_clv_percentile
    """)
