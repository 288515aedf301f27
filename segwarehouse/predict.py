"""Statistics of the prediction models (docs/DESIGN.md, "Predictions: churn, potential, up-sell and backtests"):
a ridge-penalised logistic regression fitted by Newton's method (iteratively reweighted least squares), the
feature preparation it needs (transforms, missing values, standardisation), and the backtest metrics: ROC AUC,
lift in the top decile and Brier score. numpy and scipy only; the dbt Python models call these, pytest tests them."""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import solve
from scipy.special import expit, log_expit
from scipy.stats import rankdata

TRANSFORMS = ("log", "signed_log", "linear")


@dataclass(frozen=True)
class Feature:
    """A numeric column of a feature table and how it enters the model: `log` is ln(1 + max(x, 0)) for counts,
    amounts and durations (their effect flattens), `signed_log` is sign(x) ln(1 + |x|) for amounts that can be
    negative (refunds), `linear` is the value itself (rates, scores)."""

    column: str
    transform: str = "log"

    def __post_init__(self) -> None:
        if self.transform not in TRANSFORMS:
            raise ValueError(f"{self.column}: transform {self.transform!r} is not one of {TRANSFORMS}")

    def apply(self, values: np.ndarray) -> np.ndarray:
        if self.transform == "log":
            return np.log1p(np.maximum(values, 0.0))
        if self.transform == "signed_log":
            return np.sign(values) * np.log1p(np.abs(values))
        return values


@dataclass(frozen=True)
class LogisticFit:
    """Intercept and coefficients of a logistic regression on a design matrix, and how the fit went."""

    intercept: float
    coef: np.ndarray
    iterations: int
    converged: bool

    def predict(self, design: np.ndarray) -> np.ndarray:
        return expit(self.intercept + design @ self.coef)


def fit_logistic_regression(design: np.ndarray, labels: np.ndarray, l2: float = 1.0, max_iter: int = 100,
                            tol: float = 1e-8) -> LogisticFit:
    """Maximise sum[y log p + (1 - y) log(1 - p)] - l2 / 2 * |coef|^2 (intercept not penalised) by Newton-Raphson:
    each step solves (X'WX + l2 I) d = X'(y - p) - l2 coef, W = p (1 - p). The penalty makes the problem strictly
    concave when l2 > 0, so it converges also on separable data; with l2 = 0 it is the maximum-likelihood fit."""
    x = np.asarray(design, dtype=float)
    y = np.asarray(labels, dtype=float)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(f"design {x.shape} and labels {y.shape} do not match")
    if x.shape[0] == 0:
        raise ValueError("no rows to fit")
    z = np.column_stack([np.ones(x.shape[0]), x])
    penalty = np.full(z.shape[1], float(l2))
    penalty[0] = 0.0
    mean = y.mean()
    beta = np.zeros(z.shape[1])
    beta[0] = math.log(mean / (1 - mean)) if 0 < mean < 1 else 0.0
    for iteration in range(1, max_iter + 1):
        p = expit(z @ beta)
        gradient = z.T @ (y - p) - penalty * beta
        weights = np.maximum(p * (1 - p), 1e-12)
        hessian = (z * weights[:, None]).T @ z + np.diag(penalty)
        step = solve(hessian, gradient, assume_a="pos")
        beta += step
        if np.max(np.abs(step)) < tol:
            return LogisticFit(float(beta[0]), beta[1:].copy(), iteration, True)
    return LogisticFit(float(beta[0]), beta[1:].copy(), max_iter, False)


def log_loss(labels: np.ndarray, logits: np.ndarray) -> float:
    """Mean negative log-likelihood of labels under p = expit(logits), computed stably."""
    y = np.asarray(labels, dtype=float)
    return float(-np.mean(y * log_expit(logits) + (1 - y) * log_expit(-logits)))


@dataclass(frozen=True)
class ChurnModel:
    """A logistic regression on transformed, standardised features. Missing values are replaced by the training
    median of the transformed feature, and a 0/1 "missing" column is added for each feature that had any missing
    value in training; every design column is standardised with the training mean and standard deviation."""

    features: tuple[Feature, ...]
    fill: np.ndarray
    indicators: tuple[bool, ...]
    mean: np.ndarray
    scale: np.ndarray
    fit: LogisticFit

    @property
    def columns(self) -> list[str]:
        names = [feature.column for feature in self.features]
        return names + [f"{feature.column}_missing" for feature, flag in zip(self.features, self.indicators) if flag]

    def design(self, frame: pd.DataFrame) -> np.ndarray:
        raw = _transformed(frame, self.features)
        missing = np.isnan(raw)
        filled = np.where(missing, self.fill[None, :], raw)
        flags = missing[:, list(self.indicators)].astype(float)
        return (np.column_stack([filled, flags]) - self.mean) / self.scale

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return self.fit.predict(self.design(frame))

    def coefficients(self) -> dict[str, float]:
        """Effect on the log-odds of one standard deviation of each design column, and the intercept."""
        return {"intercept": self.fit.intercept, **dict(zip(self.columns, map(float, self.fit.coef)))}

    def to_json(self) -> str:
        """Everything `predict` needs, as JSON text (floats written exactly: `from_json` predicts the same)."""
        return json.dumps({
            "features": [[feature.column, feature.transform] for feature in self.features],
            "fill": self.fill.tolist(),
            "indicators": list(self.indicators),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "intercept": self.fit.intercept,
            "coef": self.fit.coef.tolist(),
            "iterations": self.fit.iterations,
            "converged": self.fit.converged,
        })

    @classmethod
    def from_json(cls, text: str) -> ChurnModel:
        data = json.loads(text)
        return cls(
            features=tuple(Feature(column, transform) for column, transform in data["features"]),
            fill=np.array(data["fill"], dtype=float),
            indicators=tuple(bool(flag) for flag in data["indicators"]),
            mean=np.array(data["mean"], dtype=float),
            scale=np.array(data["scale"], dtype=float),
            fit=LogisticFit(float(data["intercept"]), np.array(data["coef"], dtype=float), int(data["iterations"]),
                            bool(data["converged"])),
        )


def _transformed(frame: pd.DataFrame, features: Sequence[Feature]) -> np.ndarray:
    columns = [feature.apply(pd.to_numeric(frame[feature.column], errors="coerce").to_numpy(dtype=float,
                                                                                            na_value=np.nan))
               for feature in features]
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))


def fit_churn_model(frame: pd.DataFrame, label: str, features: Iterable[Feature], l2: float = 1.0) -> ChurnModel:
    """Fit a ChurnModel on the rows of `frame`, whose boolean column `label` is the outcome."""
    features = tuple(features)
    labels = frame[label].astype(float).to_numpy()
    raw = _transformed(frame, features)
    missing = np.isnan(raw)
    fill = np.array([np.median(column[~gaps]) if (~gaps).any() else 0.0 for column, gaps in zip(raw.T, missing.T)])
    indicators = tuple(bool(gaps.any()) for gaps in missing.T)
    filled = np.where(missing, fill[None, :], raw)
    unscaled = np.column_stack([filled, missing[:, list(indicators)].astype(float)])
    mean = unscaled.mean(axis=0)
    scale = unscaled.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    fit = fit_logistic_regression((unscaled - mean) / scale, labels, l2=l2)
    return ChurnModel(features, fill, indicators, mean, scale, fit)


# -- backtest metrics ----------------------------------------------------------------------------------------------
def roc_auc(labels: Sequence[float], scores: Sequence[float]) -> float:
    """Probability that a random positive scores above a random negative, ties counting one half (the Mann-Whitney
    U statistic over n1 n0, with average ranks). NaN when either class is absent."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=float)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        return math.nan
    ranks = rankdata(s)  # average ranks: tied scores share their mean rank
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def lift_top_decile(labels: Sequence[float], scores: Sequence[float]) -> float:
    """Positive rate among the ceil(n / 10) highest scores over the positive rate of all rows. Rows tied at the
    decile's boundary share its remaining places: each contributes the mean label of the tied group (the expected
    value of a random tie break), so the result does not depend on row order. NaN without positives."""
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    n = y.size
    if n == 0 or y.sum() == 0:
        return math.nan
    top = math.ceil(n / 10)
    boundary = np.sort(s)[::-1][top - 1]
    above = s > boundary
    tied = s == boundary
    positives = y[above].sum() + (top - above.sum()) * y[tied].mean()
    return float((positives / top) / y.mean())


def brier_score(labels: Sequence[float], probabilities: Sequence[float]) -> float:
    """Mean squared difference between the predicted probability and the 0/1 outcome (0 is perfect)."""
    y = np.asarray(labels, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    return float(np.mean((p - y) ** 2)) if y.size else math.nan


@dataclass(frozen=True)
class Backtest:
    n: int
    auc: float
    lift_top_decile: float
    brier: float


def evaluate(labels: Sequence[float], probabilities: Sequence[float], ranking: Sequence[float] | None = None
             ) -> Backtest:
    """The backtest metrics of predicted probabilities against outcomes. AUC and lift rank the rows by `ranking`
    when given (a score that is not itself a probability), else by the probabilities; Brier uses the
    probabilities."""
    order = probabilities if ranking is None else ranking
    return Backtest(n=len(labels), auc=roc_auc(labels, order), lift_top_decile=lift_top_decile(labels, order),
                    brier=brier_score(labels, probabilities))
