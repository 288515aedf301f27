"""BG/NBD and Gamma-Gamma fitted inside `dbt build` (DuckDB), one population at a time (consumers, B2B accounts).

Reads the calibration summaries (`int_clv_summaries`, time unit: days), fits on a deterministic sample of at most
`clv_fit_max_customers` customers per population (those with the smallest md5 of their id: the same sample for the
same customers, build after build, and not tied to when they arrived), and writes one row per parameter. The
per-customer predictions (`clv_predictions`) read these parameters. A population without any repeat purchase has
nothing to fit (no row); one whose repeat purchases are all of value 0 gets no Gamma-Gamma row.
"""
from datetime import datetime, timezone

import pandas as pd

from segwarehouse import clv

COLUMNS = ["population", "model", "parameter", "value", "log_likelihood", "n_customers", "calibration_end",
           "fitted_at"]


def model(dbt, session):
    dbt.config(materialized="table")
    max_customers = int(dbt.config.get("clv_fit_max_customers"))
    summaries = dbt.ref("int_clv_summaries")
    fitted_at = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = []
    for population in ("consumer", "account"):
        sample = (
            summaries.filter(f"population = '{population}'")
            .order("md5(customer_id)")
            .limit(max_customers)
            .project("frequency, recency_days, age_days, monetary_value, calibration_end")
            .df()
        )
        if not (sample["frequency"] > 0).any():
            continue
        x = sample["frequency"].to_numpy(dtype=float)
        t_x = sample["recency_days"].to_numpy(dtype=float)
        T = sample["age_days"].to_numpy(dtype=float)
        zbar = sample["monetary_value"].to_numpy(dtype=float, na_value=float("nan"))
        calibration_end = sample["calibration_end"].iloc[0]
        fits = {"bg_nbd": clv.fit_bgnbd(x, t_x, T)}
        if ((x > 0) & (zbar > 0)).any():
            fits["gamma_gamma"] = clv.fit_gamma_gamma(x, zbar)
        for name, fit in fits.items():
            for parameter, value in vars(fit.parameters).items():
                rows.append([population, name, parameter, value, fit.log_likelihood, fit.n_customers,
                             calibration_end, fitted_at])
    frame = pd.DataFrame(rows, columns=COLUMNS).astype(
        {"value": "float64", "log_likelihood": "float64", "n_customers": "int64", "calibration_end": "datetime64[s]",
         "fitted_at": "datetime64[us]"})
    return session.from_df(frame).project("""
        cast(population as varchar) as population,
        cast(model as varchar) as model,
        cast(parameter as varchar) as parameter,
        value,
        log_likelihood,
        n_customers,
        cast(calibration_end as date) as calibration_end,
        fitted_at
    """)
