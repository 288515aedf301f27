"""The statistics of the prediction models (segwarehouse.predict): the logistic regression recovers the coefficients
of data simulated from them and minimises its penalised objective; the feature preparation fills, flags and
standardises as documented; AUC, lift in the top decile and Brier score on small cases computed by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from scipy.special import expit

from segwarehouse.predict import (
    Feature, brier_score, evaluate, fit_churn_model, fit_logistic_regression, lift_top_decile, log_loss, roc_auc,
)


def simulate(n: int, intercept: float, coef: list[float], seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(coef)))
    y = (rng.random(n) < expit(intercept + x @ np.array(coef))).astype(float)
    return x, y


def test_logistic_regression_recovers_the_simulated_coefficients() -> None:
    """40,000 rows from intercept -0.5 and coefficients (1, -2, 0): the maximum-likelihood fit (l2 = 0) is within
    4 standard errors (about 0.02-0.03 at this size) of each."""
    x, y = simulate(40_000, -0.5, [1.0, -2.0, 0.0], seed=7)
    fit = fit_logistic_regression(x, y, l2=0.0)
    assert fit.converged and fit.iterations < 15
    assert fit.intercept == pytest.approx(-0.5, abs=0.06)
    assert fit.coef == pytest.approx([1.0, -2.0, 0.0], abs=0.1)


def test_penalised_fit_is_the_minimum_of_its_objective() -> None:
    """The Newton solution equals a general-purpose minimiser's on the same penalised negative log-likelihood, and
    the penalty shrinks the coefficients (not the intercept) toward 0."""
    x, y = simulate(500, 0.3, [1.5, -1.0], seed=11)
    l2 = 25.0

    def objective(beta: np.ndarray) -> float:
        logits = beta[0] + x @ beta[1:]
        return len(y) * log_loss(y, logits) + l2 / 2 * float(beta[1:] @ beta[1:])

    reference = minimize(objective, np.zeros(3), method="BFGS", options={"gtol": 1e-9}).x
    fit = fit_logistic_regression(x, y, l2=l2)
    assert [fit.intercept, *fit.coef] == pytest.approx(list(reference), abs=1e-5)
    unpenalised = fit_logistic_regression(x, y, l2=0.0)
    assert np.all(np.abs(fit.coef) < np.abs(unpenalised.coef))


def test_penalty_keeps_separable_data_finite() -> None:
    x = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0.0, 0.0, 1.0, 1.0])  # perfectly separated: the maximum-likelihood slope is infinite
    fit = fit_logistic_regression(x, y, l2=1.0)
    assert fit.converged
    assert 0 < fit.coef[0] < 10
    assert fit.predict(x) == pytest.approx([1 - p for p in fit.predict(-x)])  # symmetric data, intercept 0


def test_churn_model_fills_flags_and_standardises() -> None:
    """gap (log) has a null: it is filled with the median of ln(1 + x) over the known rows, ln(1 + 3) (the values
    are 0, 3, 8 -> ln 1, ln 4, ln 9), and gets a missing column; rate (linear) has none and gets no flag."""
    frame = pd.DataFrame({
        "gap": [0.0, 3.0, None, 8.0],
        "rate": [0.5, 0.1, 0.9, 0.3],
        "churned": [False, True, False, True],
    })
    model = fit_churn_model(frame, "churned", [Feature("gap"), Feature("rate", "linear")], l2=1.0)
    assert model.columns == ["gap", "rate", "gap_missing"]
    assert model.fill == pytest.approx([math.log(4), 0.4])  # rate: median of 0.1, 0.3, 0.5, 0.9 (unused: no null)
    design = model.design(frame)
    unscaled = np.array([[0.0, 0.5, 0], [math.log(4), 0.1, 0], [math.log(4), 0.9, 1], [math.log(9), 0.3, 0]])
    assert design == pytest.approx((unscaled - unscaled.mean(axis=0)) / unscaled.std(axis=0))
    assert design.mean(axis=0) == pytest.approx([0, 0, 0])
    # a new row with a null is filled and flagged the same way
    new = model.design(pd.DataFrame({"gap": [None], "rate": [0.9]}))
    assert new == pytest.approx(design[2:3])
    assert set(model.coefficients()) == {"intercept", "gap", "rate", "gap_missing"}


def test_churn_model_json_round_trip_predicts_the_same() -> None:
    """A model written as JSON (churn_models.model_json) and read back predicts exactly what the fitted one does:
    fills, flags, standardisation, coefficients and transforms are kept to the last bit."""
    from segwarehouse.predict import ChurnModel

    rng = np.random.default_rng(5)
    frame = pd.DataFrame({
        "gap": np.where(rng.random(500) < 0.1, np.nan, rng.exponential(30.0, 500)),
        "amount": rng.normal(0.0, 100.0, 500),
        "rate": rng.random(500),
    })
    frame["churned"] = rng.random(500) < expit(0.02 * frame["gap"].fillna(30.0) - 1.0)
    features = [Feature("gap"), Feature("amount", "signed_log"), Feature("rate", "linear")]
    model = fit_churn_model(frame, "churned", features, l2=1.0)
    restored = ChurnModel.from_json(model.to_json())
    assert restored.features == model.features and restored.indicators == model.indicators == (True, False, False)
    assert np.array_equal(restored.predict(frame), model.predict(frame))
    assert restored.to_json() == model.to_json()
    assert (restored.fit.iterations, restored.fit.converged) == (model.fit.iterations, model.fit.converged)


def test_feature_transforms() -> None:
    values = np.array([-3.0, 0.0, math.e - 1])
    assert Feature("x").apply(values) == pytest.approx([0.0, 0.0, 1.0])  # negatives floored at 0
    assert Feature("x", "signed_log").apply(values) == pytest.approx([-math.log(4), 0.0, 1.0])
    assert Feature("x", "linear").apply(values) == pytest.approx(values)
    with pytest.raises(ValueError):
        Feature("x", "square")


def test_auc_by_hand() -> None:
    # positives 0.9 and 0.4, negatives 0.8 and 0.1: 0.9 beats both, 0.4 beats 0.1 only -> 3 of 4 pairs
    assert roc_auc([1, 0, 1, 0], [0.9, 0.8, 0.4, 0.1]) == pytest.approx(0.75)
    # ties count one half: positives 0.5, 0.5; negatives 0.5, 0.1 -> (0.5 + 1 + 0.5 + 1) / 4
    assert roc_auc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.1]) == pytest.approx(0.75)
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert roc_auc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4]) == 0.0
    assert math.isnan(roc_auc([1, 1], [0.1, 0.2]))


def test_lift_top_decile_by_hand() -> None:
    # 20 rows, 4 positives (rate 0.2); the top decile is the 2 highest scores, both positive -> 1 / 0.2 = 5
    scores = np.linspace(1, 0, 20)
    labels = np.zeros(20)
    labels[[0, 1, 7, 12]] = 1
    assert lift_top_decile(labels, scores) == pytest.approx(5.0)
    # 10 rows, 2 positives (0.2): the single top place is shared by two rows scored 0.9, one positive -> 0.5 / 0.2
    scores = [0.9, 0.9, 0.5, 0.4, 0.4, 0.3, 0.2, 0.2, 0.1, 0.0]
    labels = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert lift_top_decile(labels, scores) == pytest.approx(2.5)
    assert lift_top_decile(labels[::-1], scores[::-1]) == pytest.approx(2.5)  # row order does not matter
    # 11 rows: the top decile holds ceil(1.1) = 2 rows
    assert lift_top_decile([1, 1] + [0] * 9, list(range(11, 0, -1))) == pytest.approx((2 / 2) / (2 / 11))
    assert math.isnan(lift_top_decile([0, 0], [0.2, 0.1]))


def test_brier_score_by_hand() -> None:
    # ((1 - 0.8)^2 + (0 - 0.3)^2) / 2 = (0.04 + 0.09) / 2
    assert brier_score([1, 0], [0.8, 0.3]) == pytest.approx(0.065)
    assert brier_score([1, 0, 1], [1.0, 0.0, 1.0]) == 0.0


def test_evaluate_ranks_by_the_given_score() -> None:
    result = evaluate([1, 0, 1, 0], [0.6, 0.6, 0.6, 0.6], ranking=[0.9, 0.8, 0.4, 0.1])
    assert (result.n, result.auc, result.brier) == (4, pytest.approx(0.75), pytest.approx(0.26))
