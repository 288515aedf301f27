"""BG/NBD and Gamma-Gamma customer-base models: maximum-likelihood fits and per-customer predictions.

numpy and scipy only (no `lifetimes`, no PyMC at run time). References:

- [BG/NBD] Fader, Hardie & Lee (2005a), "'Counting Your Customers' the Easy Way: An Alternative to the Pareto/NBD
  Model", Marketing Science 24(2), 275-284. Equations (6) likelihood of one customer, (7) log-likelihood of a sample,
  (9) unconditional expectation E[X(t)], (10) conditional expectation E[Y(t) | x, t_x, T].
- [GG] Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (note 025), after Fader, Hardie & Lee
  (2005b), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", JMR 42(4), 415-430. Equation (1a)
  marginal density of a customer's average spend, (5) conditional expectation of the average spend.

Data, as in the papers: a customer's first purchase starts their clock; `x` is the number of *repeat* purchases in
the calibration period, where a purchase is a distinct purchase day (orders of the same day are one purchase); `t_x`
is the time of the last purchase and `T` the time of the calibration end, both from the first purchase. `zbar` is
the average value of the repeat purchase days (the first purchase is left out). The time unit is the caller's (the
CDNOW benchmark uses weeks, the warehouse days); every time (`t_x`, `T`, `t`) and the scale `alpha` are in it.

Numerics: log-likelihoods are written with `gammaln`/`betaln` and the log-sum-exp of the two terms of (6) (Fader &
Hardie's note on the BG/NBD "#NUM!" error), with analytic gradients; the Gauss hypergeometric function of (9) and
(10) is evaluated after Euler's transformation 2F1(A, B; C; z) = (1 - z)^(C - A - B) 2F1(C - A, C - B; C; z), which
turns 2F1(r + x, b + x; a + b + x - 1; z) into 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z): small parameters and a
fast series for customers with hundreds of purchases, where the direct form overflows. Customers with identical
(x, t_x, T) are grouped (`group_rows`), so a fit on a million customers evaluates one term per distinct history.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

FloatArray = NDArray[np.float64]

# log-parameters are searched within exp(-LOG_BOUND)..exp(LOG_BOUND)
LOG_BOUND = 20.0


# -- summaries ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """Calibration summary of each customer (one row per distinct customer key, keys sorted)."""

    keys: NDArray
    x: FloatArray  # repeat purchase days
    t_x: FloatArray  # time of the last purchase day, from the first
    T: FloatArray  # time of the calibration end, from the first purchase day
    zbar: FloatArray  # average value of the repeat purchase days; nan without repeat purchase


def summarise(
    keys: ArrayLike,
    dates: ArrayLike,
    amounts: ArrayLike,
    calibration_end: np.datetime64 | str,
    days_per_unit: float = 1.0,
) -> Summary:
    """x, t_x, T and zbar of each customer from their transactions (`dates` as datetime64 or ISO strings).

    Transactions after `calibration_end` are ignored; transactions of one customer on the same day are one purchase
    whose value is their sum. Times are in days divided by `days_per_unit` (7 for weeks)."""
    end = np.datetime64(calibration_end, "D")
    keys = np.asarray(keys)
    days = np.asarray(dates, dtype="datetime64[D]")
    amounts = np.asarray(amounts, dtype=float)
    keep = days <= end
    keys, days, amounts = keys[keep], days[keep], amounts[keep]
    # one row per (customer, day), in customer then day order
    customer_index = np.unique(keys, return_inverse=True)
    unique_keys, inverse = customer_index
    day_numbers = days.astype(np.int64)
    pairs, pair_inverse = np.unique(np.stack([inverse, day_numbers], axis=1), axis=0, return_inverse=True)
    pair_amounts = np.bincount(pair_inverse.ravel(), weights=amounts, minlength=len(pairs))
    customer, day = pairs[:, 0], pairs[:, 1]
    n_customers = len(unique_keys)
    purchase_days = np.bincount(customer, minlength=n_customers)
    first_row = np.concatenate([[0], np.cumsum(purchase_days)[:-1]])
    first_day = day[first_row]
    last_day = day[first_row + purchase_days - 1]
    is_repeat = np.ones(len(pairs), dtype=bool)
    is_repeat[first_row] = False
    repeat_amounts = np.bincount(customer[is_repeat], weights=pair_amounts[is_repeat], minlength=n_customers)
    x = (purchase_days - 1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        zbar = np.where(x > 0, repeat_amounts / x, np.nan)
    end_number = end.astype(np.int64)
    return Summary(
        keys=unique_keys,
        x=x,
        t_x=(last_day - first_day) / days_per_unit,
        T=(end_number - first_day) / days_per_unit,
        zbar=zbar,
    )


def group_rows(*columns: ArrayLike) -> tuple[list[FloatArray], FloatArray, NDArray[np.int64]]:
    """Distinct rows of the given columns, their counts (likelihood weights) and, for each input row, the index of
    its distinct row (to spread per-row results back: `result[inverse]`)."""
    arrays = [np.asarray(column, dtype=float) for column in columns]
    order = np.lexsort(arrays[::-1])  # a sort on several float keys (np.unique(axis=0) is ~20 times slower)
    starts = np.ones(len(order), dtype=bool)
    if len(order):
        starts[1:] = np.any([np.diff(array[order]) != 0 for array in arrays], axis=0)
    group_of_sorted = np.cumsum(starts) - 1
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = group_of_sorted
    counts = np.bincount(group_of_sorted, minlength=int(starts.sum()))
    return [array[order][starts] for array in arrays], counts.astype(float), inverse


def _check_history(x: FloatArray, t_x: FloatArray, T: FloatArray) -> None:
    if np.any(x < 0) or np.any(np.floor(x) != x):
        raise ValueError("x (repeat purchases) must be whole numbers >= 0")
    if np.any(t_x < 0) or np.any(t_x > T + 1e-9) or np.any((x == 0) & (t_x != 0)):
        raise ValueError("need 0 <= t_x <= T, and t_x = 0 when x = 0")


# -- fitting ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BgNbdParameters:
    """Purchase rates ~ Gamma(shape r, rate alpha); drop-out probability after each purchase ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class GammaGammaParameters:
    """Spend per purchase ~ Gamma(shape p, rate nu) for each customer; nu ~ Gamma(shape q, rate gamma)."""

    p: float
    q: float
    gamma: float


@dataclass(frozen=True)
class Fit:
    parameters: BgNbdParameters | GammaGammaParameters
    log_likelihood: float
    n_customers: int
    converged: bool


def _best_of_starts(
    objective: Callable[[FloatArray], tuple[float, FloatArray]], starts: Sequence[Sequence[float]]
) -> optimize.OptimizeResult:
    """L-BFGS-B on log-parameters from several starts; the best optimum (Nelder-Mead polishes a start that
    L-BFGS-B could not take to a converged point)."""
    best: optimize.OptimizeResult | None = None
    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(starts[0])
    for start in starts:
        result = optimize.minimize(objective, np.asarray(start, dtype=float), jac=True, method="L-BFGS-B",
                                   bounds=bounds, options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-8})
        if not result.success or not np.isfinite(result.fun):
            polished = optimize.minimize(lambda theta: objective(theta)[0], result.x, method="Nelder-Mead",
                                         options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-10})
            if np.isfinite(polished.fun) and (not np.isfinite(result.fun) or polished.fun <= result.fun):
                result = polished
        if np.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    if best is None:
        raise RuntimeError("the likelihood could not be evaluated from any start")
    return best


def bgnbd_log_likelihood_terms(
    parameters: BgNbdParameters, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """ln L(r, alpha, a, b | x, t_x, T) of each customer, equation (6) of [BG/NBD]."""
    value, _ = _bgnbd_terms_and_gradient(
        np.log([parameters.r, parameters.alpha, parameters.a, parameters.b]),
        np.asarray(x, dtype=float), np.asarray(t_x, dtype=float), np.asarray(T, dtype=float), gradient=False)
    return value


def _bgnbd_terms_and_gradient(
    log_parameters: FloatArray, x: FloatArray, t_x: FloatArray, T: FloatArray, gradient: bool = True
) -> tuple[FloatArray, FloatArray | None]:
    """Equation (6), as ln[B(a, b + x) / B(a, b)] + ln[Gamma(r + x) alpha^r / Gamma(r)] + ln(A + d B) with
    A = (alpha + T)^-(r + x), B = a / (b + x - 1) (alpha + t_x)^-(r + x) and d = 1 when x > 0
    (B(a + 1, b + x - 1) = B(a, b + x) a / (b + x - 1)); and its gradient in the log-parameters."""
    r, alpha, a, b = np.exp(log_parameters)
    repeat = x > 0
    log_a_term = -(r + x) * np.log(alpha + T)
    log_b_term = np.where(
        repeat, np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0)) - (r + x) * np.log(alpha + t_x), -np.inf)
    log_sum = np.logaddexp(log_a_term, log_b_term)
    value = (special.betaln(a, b + x) - special.betaln(a, b) + special.gammaln(r + x) - special.gammaln(r)
             + r * np.log(alpha) + log_sum)
    if not gradient:
        return value, None
    share_b = np.exp(log_b_term - log_sum)  # weight of the "dropped out after the last purchase" term
    share_a = 1.0 - share_b
    d_r = (special.digamma(r + x) - special.digamma(r) + np.log(alpha)
           - share_a * np.log(alpha + T) - share_b * np.log(alpha + t_x))
    d_alpha = r / alpha - share_a * (r + x) / (alpha + T) - share_b * (r + x) / (alpha + t_x)
    common = special.digamma(a + b) - special.digamma(a + b + x)
    d_a = common + share_b / a
    d_b = (common + special.digamma(b + x) - special.digamma(b)
           - share_b / np.where(repeat, b + x - 1, 1.0))
    # chain rule for log-parameters: d/d ln(theta) = theta d/d theta
    jacobian = np.stack([d_r * r, d_alpha * alpha, d_a * a, d_b * b], axis=1)
    return value, jacobian


def fit_bgnbd(x: ArrayLike, t_x: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None) -> Fit:
    """Maximum-likelihood BG/NBD parameters, maximising (7) of [BG/NBD] (the sum of the customers' (6)).

    `weights` counts customers per row (see `group_rows`); without them rows are grouped here. Searched on
    log-parameters with L-BFGS-B and the analytic gradient, from several starts scaled to the data."""
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    _check_history(x, t_x, T)
    if weights is None:
        (x, t_x, T), weights, _ = group_rows(x, t_x, T)
    weights = np.asarray(weights, dtype=float)
    total = weights.sum()

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        with np.errstate(all="ignore"):
            value, jacobian = _bgnbd_terms_and_gradient(theta, x, t_x, T)
        loss = -float(weights @ value) / total
        if not np.isfinite(loss):
            return np.inf, np.zeros(4)
        return loss, -(weights @ jacobian) / total

    # the purchase rate is about r / alpha: scale alpha to the observed repeat rate
    rate = max(float(weights @ x) / max(float(weights @ T), 1e-12), 1e-6)
    starts = [np.log([r, r / rate, a, b]) for r, a, b in ((1.0, 1.0, 1.0), (0.3, 0.8, 2.5), (2.0, 0.5, 5.0))]
    best = _best_of_starts(objective, starts)
    r, alpha, a, b = np.exp(best.x)
    return Fit(BgNbdParameters(float(r), float(alpha), float(a), float(b)), -float(best.fun) * total,
               int(round(total)), bool(best.success))


def gamma_gamma_log_likelihood_terms(parameters: GammaGammaParameters, x: ArrayLike, zbar: ArrayLike) -> FloatArray:
    """ln f(zbar | p, q, gamma; x) of each repeat customer, equation (1a) of [GG]."""
    value, _ = _gamma_gamma_terms_and_gradient(
        np.log([parameters.p, parameters.q, parameters.gamma]), np.asarray(x, dtype=float),
        np.asarray(zbar, dtype=float), gradient=False)
    return value


def _gamma_gamma_terms_and_gradient(
    log_parameters: FloatArray, x: FloatArray, zbar: FloatArray, gradient: bool = True
) -> tuple[FloatArray, FloatArray | None]:
    """f(zbar) = Gamma(px + q) / (Gamma(px) Gamma(q)) gamma^q x^(px) zbar^(px - 1) / (gamma + x zbar)^(px + q)."""
    p, q, gamma = np.exp(log_parameters)
    px = p * x
    log_total = np.log(gamma + x * zbar)
    value = (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(gamma)
             + (px - 1) * np.log(zbar) + px * np.log(x) - (px + q) * log_total)
    if not gradient:
        return value, None
    d_p = x * (special.digamma(px + q) - special.digamma(px) + np.log(zbar) + np.log(x) - log_total)
    d_q = special.digamma(px + q) - special.digamma(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (px + q) / (gamma + x * zbar)
    return value, np.stack([d_p * p, d_q * q, d_gamma * gamma], axis=1)


def fit_gamma_gamma(x: ArrayLike, zbar: ArrayLike, weights: ArrayLike | None = None) -> Fit:
    """Maximum-likelihood Gamma-Gamma parameters on repeat customers (x > 0, zbar > 0: others are left out, as in
    [GG], where the average spend is that of the x repeat purchases)."""
    x, zbar = np.asarray(x, dtype=float), np.asarray(zbar, dtype=float)
    weights = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    keep = (x > 0) & np.isfinite(zbar) & (zbar > 0)
    x, zbar, weights = x[keep], zbar[keep], weights[keep]
    if not len(x):
        raise ValueError("no repeat customer with a positive average spend")
    total = weights.sum()

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        with np.errstate(all="ignore"):
            value, jacobian = _gamma_gamma_terms_and_gradient(theta, x, zbar)
        loss = -float(weights @ value) / total
        if not np.isfinite(loss):
            return np.inf, np.zeros(3)
        return loss, -(weights @ jacobian) / total

    mean_spend = float(weights @ zbar) / total
    # E[zbar] = p gamma / (q - 1): starts with that mean for a few shapes
    starts = [np.log([p, q, mean_spend * (q - 1) / p]) for p, q in ((1.0, 2.0), (5.0, 4.0), (0.5, 10.0))]
    best = _best_of_starts(objective, starts)
    p, q, gamma = np.exp(best.x)
    return Fit(GammaGammaParameters(float(p), float(q), float(gamma)), -float(best.fun) * total,
               int(round(total)), bool(best.success))


# -- predictions --------------------------------------------------------------------------------------------------
def _bracket(a: float, b: float, r: float, x: FloatArray, z: FloatArray) -> FloatArray:
    """(a + b + x - 1) / (a - 1) * [1 - (1 - z)^(r + x) 2F1(r + x, b + x; a + b + x - 1; z)], after Euler's
    transformation (module docstring). a = 1 exactly is a removable singularity: nudged to 1 + 1e-7."""
    if abs(a - 1.0) < 1e-7:
        a = 1.0 + 1e-7
    c = a + b + x - 1
    hyper = special.hyp2f1(a + b - 1 - r, a - 1, c, z)
    return c / (a - 1) * (1.0 - np.power(1.0 - z, a - 1) * hyper)


def expected_purchases(parameters: BgNbdParameters, t: ArrayLike) -> FloatArray:
    """E[X(t)]: repeat purchases expected in (0, t] from a new customer, equation (9) of [BG/NBD]."""
    t = np.asarray(t, dtype=float)
    r, alpha, a, b = parameters.r, parameters.alpha, parameters.a, parameters.b
    return _bracket(a, b, r, np.zeros_like(t), t / (alpha + t))


def p_alive(parameters: BgNbdParameters, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> FloatArray:
    """P(still active at T | x, t_x, T) = 1 / (1 + d a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)), d = 1
    when x > 0: the denominator of (10) of [BG/NBD] (Fader, Hardie & Lee, "Computing P(alive) using the BG/NBD
    model"). Always 1 without repeat purchase: the model's customers can only drop out right after a purchase."""
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    r, alpha, a, b = parameters.r, parameters.alpha, parameters.a, parameters.b
    repeat = x > 0
    with np.errstate(divide="ignore"):
        log_odds = (np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0))
                    + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)))
    return np.where(repeat, special.expit(-log_odds), 1.0)


def conditional_expected_purchases(
    parameters: BgNbdParameters, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """E[Y(t) | x, t_x, T]: repeat purchases expected in (T, T + t], equation (10) of [BG/NBD]:
    (a + b + x - 1) / (a - 1) [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1;
    t / (alpha + T + t))] * P(alive)."""
    t, x, t_x, T = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (t, x, t_x, T)))
    r, alpha, a, b = parameters.r, parameters.alpha, parameters.a, parameters.b
    z = t / (alpha + T + t)
    return _bracket(a, b, r, x, z) * p_alive(parameters, x, t_x, T)


def time_to_expected_purchases(
    parameters: BgNbdParameters, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, horizon: int, target: float = 1.0
) -> FloatArray:
    """Smallest whole number of time units t in 1..horizon with E[Y(t) | x, t_x, T] >= target; nan when it is not
    reached by `horizon` (E[Y(t)] grows with t, so a bisection on whole units finds it; about log2(horizon) steps).
    With days as unit and target 1: the day by which one more purchase day is expected."""
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    low = np.zeros(x.shape, dtype=np.int64)  # E[Y(low)] < target (E[Y(0)] = 0)
    high = np.full(x.shape, horizon, dtype=np.int64)  # candidate: E[Y(high)] >= target, checked below
    reached = conditional_expected_purchases(parameters, high, x, t_x, T) >= target
    while True:
        open_ = reached & (high - low > 1)
        if not open_.any():
            break
        middle = (low + high) // 2
        above = conditional_expected_purchases(parameters, middle[open_], x[open_], t_x[open_], T[open_]) >= target
        high[open_] = np.where(above, middle[open_], high[open_])
        low[open_] = np.where(above, low[open_], middle[open_])
    return np.where(reached, high.astype(float), np.nan)


def conditional_expected_spend(parameters: GammaGammaParameters, x: ArrayLike, zbar: ArrayLike) -> FloatArray:
    """E[M | x, zbar], the expected spend per purchase, equation (5) of [GG]: a weighted mean of the population mean
    p gamma / (q - 1) and the customer's own average: (p (gamma + x zbar)) / (p x + q - 1). Without repeat purchase
    (x = 0, zbar ignored) it is the population mean. Needs q > 1."""
    x = np.asarray(x, dtype=float)
    zbar = np.where(x > 0, np.nan_to_num(np.asarray(zbar, dtype=float)), 0.0)
    p, q, gamma = parameters.p, parameters.q, parameters.gamma
    if q <= 1:
        raise ValueError(f"the Gamma-Gamma mean spend is infinite for q <= 1 (q = {q})")
    return p * (gamma + x * zbar) / (p * x + q - 1)


def discounted_expected_purchases(
    parameters: BgNbdParameters,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    horizon: float,
    periods: int = 12,
    period_discount_rate: float = 0.0,
) -> FloatArray:
    """Purchases expected over (T, T + horizon], discounted: the horizon cut in `periods` equal periods of length
    h = horizon / periods, the purchases expected in period k (differences of (10)) discounted by
    (1 + period_discount_rate)^k (counted at the end of their period): sum_k (E[Y(k h)] - E[Y((k - 1) h)]) / (1 + d)^k.
    """
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    step = horizon / periods
    value = np.zeros(x.shape)
    previous = np.zeros(x.shape)
    for k in range(1, periods + 1):
        expected = conditional_expected_purchases(parameters, k * step, x, t_x, T)
        value += (expected - previous) / (1.0 + period_discount_rate) ** k
        previous = expected
    return value


def customer_lifetime_value(
    bgnbd: BgNbdParameters,
    gamma_gamma: GammaGammaParameters,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    zbar: ArrayLike,
    horizon: float,
    periods: int = 12,
    period_discount_rate: float = 0.0,
) -> FloatArray:
    """Expected discounted spend over (T, T + horizon]: `discounted_expected_purchases` times the expected spend per
    purchase (5) (the BG/NBD and Gamma-Gamma models take purchase counts and spend per purchase as independent)."""
    return (discounted_expected_purchases(bgnbd, x, t_x, T, horizon, periods, period_discount_rate)
            * conditional_expected_spend(gamma_gamma, x, zbar))


# -- simulation (tests, benchmarks) -------------------------------------------------------------------------------
def simulate_bgnbd(
    parameters: BgNbdParameters, T: ArrayLike, rng: np.random.Generator, holdout: float = 0.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Draw customers from the BG/NBD story: lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b); purchases form a
    Poisson process of rate lambda after the first (at time 0) and the customer drops out after each purchase
    with probability p. Returns (x, t_x, holdout purchases) with the calibration ending at each customer's T and
    the holdout period (T, T + holdout]."""
    T = np.asarray(T, dtype=float)
    n = len(T)
    rate = rng.gamma(parameters.r, 1.0 / parameters.alpha, n)
    drop = rng.beta(parameters.a, parameters.b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    future = np.zeros(n)
    now = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        index = np.flatnonzero(active)
        now[index] += rng.exponential(1.0 / rate[index])
        in_calibration = now[index] <= T[index]
        in_holdout = ~in_calibration & (now[index] <= T[index] + holdout)
        x[index[in_calibration]] += 1
        t_x[index[in_calibration]] = now[index[in_calibration]]
        future[index[in_holdout]] += 1
        # a customer stops being simulated once past the holdout end, or when dropping out after this purchase
        dropped = rng.random(len(index)) < drop[index]
        active[index[~(in_calibration | in_holdout) | dropped]] = False
    return x, t_x, future


def simulate_gamma_gamma(
    parameters: GammaGammaParameters, x: ArrayLike, rng: np.random.Generator
) -> FloatArray:
    """Average of x spends per customer: nu ~ Gamma(q, rate gamma), each spend ~ Gamma(p, rate nu), so the sum of x
    spends ~ Gamma(p x, rate nu); nan when x = 0."""
    x = np.asarray(x, dtype=float)
    nu = rng.gamma(parameters.q, 1.0 / parameters.gamma, len(x))
    with np.errstate(invalid="ignore", divide="ignore"):
        totals = np.where(x > 0, rng.gamma(np.where(x > 0, parameters.p * x, 1.0), 1.0 / nu), np.nan)
        return totals / x
