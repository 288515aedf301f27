"""segwarehouse.clv: the BG/NBD and Gamma-Gamma fits reproduce the published CDNOW benchmark, recover known
parameters from simulated customers, and the predictions match hand-computed values and independent derivations.

The CDNOW data are the files shipped in the `lifetimes` wheel (a test-only dependency, requirements.txt). The wheel
is located without importing it: none of its code runs here.
"""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, special, stats

from segwarehouse import clv

CALIBRATION_END = "1997-09-30"  # week 39 of the paper; the holdout is the next 39 weeks
HOLDOUT_END = "1998-06-30"


def lifetimes_datasets() -> Path:
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("the test dependency `lifetimes` is not installed (requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "datasets"


@pytest.fixture(scope="module")
def cdnow() -> dict[str, np.ndarray]:
    """The 2,357-customer CDNOW sample: customer id, purchase date, dollar value (one row per transaction)."""
    ids, dates, values = [], [], []
    for line in (lifetimes_datasets() / "CDNOW_sample.txt").read_text().splitlines():
        _, customer, day, _, value = line.split()
        ids.append(int(customer))
        dates.append(f"{day[:4]}-{day[4:6]}-{day[6:]}")
        values.append(float(value))
    return {"id": np.array(ids), "date": np.array(dates, dtype="datetime64[D]"), "value": np.array(values)}


@pytest.fixture(scope="module")
def cdnow_summary(cdnow: dict[str, np.ndarray]) -> clv.Summary:
    return clv.summarise(cdnow["id"], cdnow["date"], cdnow["value"], CALIBRATION_END, days_per_unit=7)


@pytest.fixture(scope="module")
def cdnow_bgnbd(cdnow_summary: clv.Summary) -> clv.Fit:
    return clv.fit_bgnbd(cdnow_summary.x, cdnow_summary.t_x, cdnow_summary.T)


# -- the published benchmark --------------------------------------------------------------------------------------
def test_cdnow_summary_matches_the_summary_published_with_the_data(cdnow_summary: clv.Summary) -> None:
    """Our x, t_x, T (weeks) and zbar from the transactions (same-day purchases merged) equal the summary file
    distributed with the data (rounded to 2 decimals)."""
    published = np.loadtxt(lifetimes_datasets() / "cdnow_customers_summary_with_transactions.csv",
                           delimiter=",", skiprows=1)
    assert len(cdnow_summary.keys) == len(published) == 2357
    assert np.array_equal(cdnow_summary.keys, published[:, 0])
    assert np.array_equal(cdnow_summary.x, published[:, 1])
    assert cdnow_summary.x.sum() == 2457
    assert np.abs(cdnow_summary.t_x - published[:, 2]).max() < 0.005
    assert np.abs(cdnow_summary.T - published[:, 3]).max() < 0.005
    assert np.abs(np.nan_to_num(cdnow_summary.zbar) - published[:, 4]).max() < 0.005 + 1e-9


def test_bgnbd_reproduces_fader_hardie_lee_2005(cdnow_bgnbd: clv.Fit) -> None:
    """Marketing Science 24(2): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 (weeks)."""
    fitted = cdnow_bgnbd.parameters
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert getattr(fitted, name) == pytest.approx(value, rel=0.01), name
    assert cdnow_bgnbd.log_likelihood == pytest.approx(-9582.4, abs=0.5)
    assert cdnow_bgnbd.n_customers == 2357 and cdnow_bgnbd.converged


def test_bgnbd_holdout_forecast_correlates_like_the_paper(
        cdnow: dict[str, np.ndarray], cdnow_summary: clv.Summary, cdnow_bgnbd: clv.Fit) -> None:
    """Conditional expectation (10) over the 39-week holdout against each customer's actual repeat purchase days
    in it: correlation 0.626 in the paper."""
    in_holdout = (cdnow["date"] > np.datetime64(CALIBRATION_END)) & (cdnow["date"] <= np.datetime64(HOLDOUT_END))
    purchase_days = np.unique(np.stack([cdnow["id"][in_holdout], cdnow["date"][in_holdout].astype(np.int64)]), axis=1)
    actual = np.zeros(len(cdnow_summary.keys))
    np.add.at(actual, np.searchsorted(cdnow_summary.keys, purchase_days[0]), 1)
    assert actual.sum() == 1882
    predicted = clv.conditional_expected_purchases(
        cdnow_bgnbd.parameters, 39, cdnow_summary.x, cdnow_summary.t_x, cdnow_summary.T)
    assert np.corrcoef(predicted, actual)[0, 1] == pytest.approx(0.626, abs=0.005)


def test_gamma_gamma_reproduces_the_published_spend_model(cdnow_summary: clv.Summary) -> None:
    """Fader & Hardie's Gamma-Gamma note on the same data: p = 6.25, q = 3.74, gamma = 15.44, fitted on the 946
    customers with repeat purchases, zbar the average value of their repeat purchase days."""
    fit = clv.fit_gamma_gamma(cdnow_summary.x, cdnow_summary.zbar)
    assert fit.n_customers == 946 and fit.converged
    for name, value in {"p": 6.25, "q": 3.74, "gamma": 15.44}.items():
        assert getattr(fit.parameters, name) == pytest.approx(value, rel=0.01), name


def test_time_unit_only_rescales_alpha(cdnow_summary: clv.Summary, cdnow_bgnbd: clv.Fit) -> None:
    """The same customers in days: r, a, b unchanged, alpha 7 times larger, and the log-likelihood lower by
    sum(x) ln 7 (the density of the x purchase times is per day instead of per week)."""
    in_days = clv.fit_bgnbd(cdnow_summary.x, cdnow_summary.t_x * 7, cdnow_summary.T * 7)
    weeks, days = cdnow_bgnbd.parameters, in_days.parameters
    assert (days.r, days.a, days.b) == pytest.approx((weeks.r, weeks.a, weeks.b), rel=1e-4)
    assert days.alpha == pytest.approx(7 * weeks.alpha, rel=1e-4)
    assert in_days.log_likelihood == pytest.approx(
        cdnow_bgnbd.log_likelihood - cdnow_summary.x.sum() * math.log(7), abs=1e-3)


# -- simulated customers ------------------------------------------------------------------------------------------
SIMULATED_BGNBD = clv.BgNbdParameters(r=2.0, alpha=60.0, a=0.5, b=1.5)  # days: a purchase a month on average
SIMULATED_SPEND = clv.GammaGammaParameters(p=3.0, q=6.0, gamma=100.0)  # 60 per purchase on average


@pytest.fixture(scope="module")
def simulated() -> dict[str, np.ndarray]:
    """20,000 customers drawn from known parameters, first purchases spread over two years before the calibration
    end (T 365-1095 days), then a 90-day holdout. Over 20 seeds the fits' errors have standard deviations of about
    1.5% (r, alpha), 2% (a), 3% (b); 1.7%, 1.3%, 2.5% (p, q, gamma): the 5% bound is 2-3 of them for b and gamma,
    as the sample size allows (even with every drop-out observed, b's error is about 2% at 20,000 customers)."""
    rng = np.random.default_rng(0)
    T = np.floor(rng.uniform(365, 1095, 20_000))
    x, t_x, holdout = clv.simulate_bgnbd(SIMULATED_BGNBD, T, rng, holdout=90)
    zbar = clv.simulate_gamma_gamma(SIMULATED_SPEND, x, rng)
    return {"x": x, "t_x": t_x, "T": T, "holdout": holdout, "zbar": zbar}


def test_bgnbd_fit_recovers_simulated_parameters(simulated: dict[str, np.ndarray]) -> None:
    fit = clv.fit_bgnbd(simulated["x"], simulated["t_x"], simulated["T"])
    assert fit.n_customers == 20_000 and fit.converged
    for name in ("r", "alpha", "a", "b"):
        assert getattr(fit.parameters, name) == pytest.approx(getattr(SIMULATED_BGNBD, name), rel=0.05), name
    # the optimiser found the maximum: the true parameters are no more likely than the fitted ones
    at_truth = clv.bgnbd_log_likelihood_terms(SIMULATED_BGNBD, simulated["x"], simulated["t_x"], simulated["T"])
    assert fit.log_likelihood >= at_truth.sum()


def test_gamma_gamma_fit_recovers_simulated_parameters(simulated: dict[str, np.ndarray]) -> None:
    fit = clv.fit_gamma_gamma(simulated["x"], simulated["zbar"])
    assert fit.n_customers == int((simulated["x"] > 0).sum())
    for name in ("p", "q", "gamma"):
        assert getattr(fit.parameters, name) == pytest.approx(getattr(SIMULATED_SPEND, name), rel=0.05), name
    repeat = simulated["x"] > 0
    at_truth = clv.gamma_gamma_log_likelihood_terms(SIMULATED_SPEND, simulated["x"][repeat],
                                                    simulated["zbar"][repeat])
    assert fit.log_likelihood >= at_truth.sum()


def test_predictions_match_simulated_futures(simulated: dict[str, np.ndarray]) -> None:
    """With the true parameters, the customers' conditional expectations (10) over the 90-day holdout add up to the
    purchases they actually made in it (within 3 standard errors), and so does E[X(t)] (9) for new customers."""
    expected = clv.conditional_expected_purchases(SIMULATED_BGNBD, 90, simulated["x"], simulated["t_x"],
                                                  simulated["T"])
    error = simulated["holdout"] - expected
    assert abs(error.mean()) < 3 * error.std() / math.sqrt(len(error))
    rng = np.random.default_rng(1)
    horizon = np.full(20_000, 180.0)
    x, _, _ = clv.simulate_bgnbd(SIMULATED_BGNBD, horizon, rng)
    assert abs(x.mean() - clv.expected_purchases(SIMULATED_BGNBD, 180.0)) < 3 * x.std() / math.sqrt(len(x))


# -- hand-checkable cases -----------------------------------------------------------------------------------------
# With a = 2 and r = b + 1 the hypergeometric function of (9) and (10) is 1 after Euler's transformation, so
# E[X(t)] = (b + 1) t / (alpha + t) and E[Y(t) | x, t_x, T] = (b + x + 1) t / (alpha + T + t) P(alive).
HAND = clv.BgNbdParameters(r=2.0, alpha=10.0, a=2.0, b=1.0)


def test_p_alive_by_hand() -> None:
    # without repeat purchase the model's customers are alive: drop-out only happens right after a purchase
    assert clv.p_alive(HAND, [0, 0], [0, 0], [5, 500]).tolist() == [1.0, 1.0]
    # x = 2, t_x = 6, T = 10: a / (b + x - 1) = 1, ((10 + 10) / (10 + 6))^(2 + 2) = 1.25^4 = 2.44140625
    assert clv.p_alive(HAND, [2], [6], [10])[0] == pytest.approx(1 / 3.44140625, rel=1e-12)
    # bought on the calibration end day: 1 / (1 + a / (b + x - 1)) = 1 / (1 + 2 / 2)
    assert clv.p_alive(HAND, [2], [10], [10])[0] == pytest.approx(0.5, rel=1e-12)
    # a long silence after many purchases
    assert clv.p_alive(HAND, [300], [100], [1000])[0] < 1e-100


def test_expectations_by_hand() -> None:
    assert clv.expected_purchases(HAND, [10.0, 30.0]) == pytest.approx([2 * 10 / 20, 2 * 30 / 40], rel=1e-12)
    # x = 0: E[Y(20) | T = 10] = 2 * 20 / 40 = 1 exactly
    assert clv.conditional_expected_purchases(HAND, 20, 0, 0, 10) == pytest.approx(1.0, rel=1e-12)
    # x = 2, t_x = 6, T = 10: (1 + 2 + 1) * 20 / 40 * P(alive) = 2 / 3.44140625
    assert clv.conditional_expected_purchases(HAND, 20, 2, 6, 10) == pytest.approx(2 / 3.44140625, rel=1e-12)


@pytest.mark.parametrize("x, t_x, T, t", [(0, 0, 38.86, 39), (2, 30.43, 38.86, 39), (7, 20, 38, 10),
                                          (60, 300, 310, 52), (600, 3600, 3650, 365)])
def test_conditional_expectation_equals_an_integral_over_the_posterior(x, t_x, T, t) -> None:
    """Independent derivation: alive at T, lambda | data ~ Gamma(r + x, alpha + T) and p | data ~ Beta(a, b + x),
    and a customer with (lambda, p) makes (1 - exp(-lambda p t)) / p purchases on average in t; the integral over
    lambda is closed, the one over p numerical. Also the direct (untransformed) 2F1 of (10) for moderate x."""
    params = clv.BgNbdParameters(r=0.243, alpha=4.414, a=0.793, b=2.426)
    alive = float(clv.p_alive(params, x, t_x, T))

    def per_p(p: float) -> float:
        return ((1 - ((params.alpha + T) / (params.alpha + T + p * t)) ** (params.r + x)) / p
                * stats.beta.pdf(p, params.a, params.b + x))

    integral = alive * integrate.quad(per_p, 0, 1, limit=200, epsabs=1e-12)[0]
    ours = clv.conditional_expected_purchases(params, t, x, t_x, T)
    assert ours == pytest.approx(integral, rel=1e-8)
    if x < 100:
        r, alpha, a, b = params.r, params.alpha, params.a, params.b
        z = t / (alpha + T + t)
        direct = ((a + b + x - 1) / (a - 1) * (1 - (1 - z) ** (r + x) * special.hyp2f1(r + x, b + x, a + b + x - 1, z))
                  * alive)
        assert ours == pytest.approx(direct, rel=1e-10)


def test_time_to_next_expected_purchase_by_hand() -> None:
    # x = 0, T = 10.5: E[Y(t)] = 2 t / (20.5 + t) reaches 1 at t = 20.5, so on whole day 21
    assert clv.time_to_expected_purchases(HAND, [0.0], [0.0], [10.5], horizon=365).tolist() == [21.0]
    assert np.isnan(clv.time_to_expected_purchases(HAND, [0.0], [0.0], [10.5], horizon=20)).all()
    # x = 2, t_x = 6, T = 10: 4 t / (20 + t) / 3.44140625 >= 1 from t = 20 * 3.44140625 / (4 - 3.44140625) = 123.2
    assert clv.time_to_expected_purchases(HAND, [2.0], [6.0], [10.0], horizon=365).tolist() == [124.0]
    # a customer who is most likely gone never gets to one expected purchase
    assert np.isnan(clv.time_to_expected_purchases(HAND, [300.0], [100.0], [1000.0], horizon=10_000)).all()


def test_expected_spend_and_lifetime_value_by_hand() -> None:
    spend = clv.GammaGammaParameters(p=2.0, q=3.0, gamma=10.0)
    # population mean p gamma / (q - 1) = 10 without repeat purchase; x = 2, zbar = 20: 2 (10 + 40) / (4 + 2)
    assert clv.conditional_expected_spend(spend, [0, 2], [np.nan, 20.0]) == pytest.approx([10.0, 100 / 6], rel=1e-12)
    # x = 0, T = 10: E[Y(t)] = 2 t / (20 + t): 2 periods of 20: 1 then 4/3 - 1 purchases, at 10 each, 10% discount
    value = clv.customer_lifetime_value(HAND, spend, [0], [0], [10], [np.nan], horizon=40, periods=2,
                                       period_discount_rate=0.1)
    assert value[0] == pytest.approx(10 * (1 / 1.1 + (4 / 3 - 1) / 1.1**2), rel=1e-12)
    undiscounted = clv.customer_lifetime_value(HAND, spend, [0], [0], [10], [np.nan], horizon=40, periods=2)
    assert undiscounted[0] == pytest.approx(10 * 4 / 3, rel=1e-12)


def test_summarise_merges_same_day_orders_and_ignores_later_ones() -> None:
    summary = clv.summarise(
        keys=["A", "A", "A", "A", "B", "B", "C"],
        dates=["2024-01-01", "2024-01-01", "2024-01-05", "2024-01-10", "2024-01-03", "2024-02-01", "2024-01-04"],
        amounts=[10.0, 5.0, 20.0, 30.0, 7.0, 99.0, 0.0],
        calibration_end="2024-01-10",
    )
    assert summary.keys.tolist() == ["A", "B", "C"]
    assert summary.x.tolist() == [2, 0, 0]  # A: 3 purchase days; B's second order is after the end
    assert summary.t_x.tolist() == [9, 0, 0]
    assert summary.T.tolist() == [9, 7, 6]
    assert summary.zbar[0] == 25.0 and np.isnan(summary.zbar[1:]).all()  # (20 + 30) / 2: the first day left out


def test_group_rows_weights_and_inverse() -> None:
    x, t_x, T = [1, 0, 1, 1, 0], [5, 0, 5, 6, 0], [9, 9, 9, 9, 8]
    (ux, utx, uT), weights, inverse = clv.group_rows(x, t_x, T)
    assert list(zip(ux, utx, uT)) == [(0, 0, 8), (0, 0, 9), (1, 5, 9), (1, 6, 9)]
    assert weights.tolist() == [1, 1, 2, 1]
    assert [(ux[i], utx[i], uT[i]) for i in inverse] == list(zip(x, t_x, T))
    # the grouped likelihood is the customers' likelihood
    grouped = clv.fit_bgnbd(ux, utx, uT, weights)
    assert grouped.log_likelihood == pytest.approx(clv.fit_bgnbd(x, t_x, T).log_likelihood, abs=1e-6)


def test_invalid_histories_are_refused() -> None:
    with pytest.raises(ValueError):
        clv.fit_bgnbd([1], [5], [4])  # last purchase after the calibration end
    with pytest.raises(ValueError):
        clv.fit_bgnbd([0], [2], [4])  # no repeat purchase but a recency
    with pytest.raises(ValueError):
        clv.conditional_expected_spend(clv.GammaGammaParameters(1.0, 0.9, 1.0), [1], [1.0])
