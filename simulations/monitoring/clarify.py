"""SageMaker Clarify's arithmetic: bias metrics, exact Kernel SHAP, and the nDCG attribution-drift check.

Bias metrics follow the Clarify documentation (facet ``a`` = advantaged, ``d`` = the facet value the
bias config names; positive = the label values declared positive):

- pre-training (dataset only): CI = (n_a - n_d) / (n_a + n_d); DPL = q_a - q_d, q = share of positive labels;
- post-training (needs predicted labels): DPPL = q^_a - q^_d, DI = q^_d / q^_a, AD = acc_a - acc_d,
  RD = recall_a - recall_d, DCA = c_a - c_d with c = observed positives / predicted positives.

SHAP: with few features the Shapley values are computed exactly, every coalition enumerated (what Kernel
SHAP converges to as ``num_samples`` reaches 2^M), each missing feature filled from every row of the
baseline (background) dataset. Global SHAP values use ``mean_abs`` aggregation.

Attribution drift (Clarify documentation): features ranked by baseline attribution F = (f_1..f_m) and by
current attribution F' = (f'_1..f'_m); with a(f) the *baseline* attribution of f,
nDCG = DCG / iDCG, DCG = sum_i a(f'_i) / log2(i + 1), iDCG = sum_i a(f_i) / log2(i + 1).
A score below 0.9 logs a ``feature_attribution_drift_check`` violation for the label (no feature field).
"""

from __future__ import annotations

from itertools import combinations
from math import factorial
from typing import Callable

import numpy as np

NDCG_THRESHOLD = 0.9
PRE_TRAINING = ("CI", "DPL")
POST_TRAINING = ("DPPL", "DI", "AD", "RD", "DCA")
# the columns each metric reads: facet, label (observed), prediction (a model's predicted label), model (to explain)
METRIC_INPUTS = {
    "CI": ("facet",), "DPL": ("facet", "label"),
    "DPPL": ("facet", "prediction"), "DI": ("facet", "prediction"),
    "AD": ("facet", "label", "prediction"), "RD": ("facet", "label", "prediction"), "DCA": ("facet", "label", "prediction"),
    "SHAP-nDCG": ("model",),
}


class MissingInputError(ValueError):
    """A metric needs a column (or a model) the job was not given."""


def _rate(mask: np.ndarray, within: np.ndarray) -> float:
    n = int(within.sum())
    return float((mask & within).sum() / n) if n else float("nan")


def bias_metrics(facet_d: np.ndarray, *, label: np.ndarray | None = None, prediction: np.ndarray | None = None,
                 methods: tuple[str, ...] = PRE_TRAINING + POST_TRAINING) -> dict[str, float]:
    """The requested metrics from boolean arrays (``label``/``prediction``: True = positive outcome).

    Raises MissingInputError naming the metric and the input it lacks (e.g. DPPL without predictions).
    """
    given = {"facet": facet_d, "label": label, "prediction": prediction, "model": None}
    d = np.asarray(facet_d, dtype=bool)
    a = ~d
    if not d.any() or not a.any():
        raise MissingInputError(f"facet selection is empty: {int(d.sum())} records in facet d, {int(a.sum())} in facet a")
    out: dict[str, float] = {}
    for name in methods:
        missing = [c for c in METRIC_INPUTS[name] if given[c] is None]
        if missing:
            raise MissingInputError(f"{name} needs {' and '.join(missing)}, which this job does not have")
        y = None if label is None else np.asarray(label, dtype=bool)
        p = None if prediction is None else np.asarray(prediction, dtype=bool)
        if name == "CI":
            out[name] = float((a.sum() - d.sum()) / len(d))
        elif name == "DPL":
            out[name] = _rate(y, a) - _rate(y, d)
        elif name == "DPPL":
            out[name] = _rate(p, a) - _rate(p, d)
        elif name == "DI":
            out[name] = _rate(p, d) / _rate(p, a) if _rate(p, a) > 0 else float("inf")
        elif name == "AD":
            out[name] = _rate(p == y, a) - _rate(p == y, d)
        elif name == "RD":
            out[name] = _rate(p, a & y) - _rate(p, d & y)
        elif name == "DCA":
            c_a = (y & a).sum() / (p & a).sum() if (p & a).any() else float("inf")
            c_d = (y & d).sum() / (p & d).sum() if (p & d).any() else float("inf")
            out[name] = float(c_a - c_d)
    return out


def shapley_values(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Exact Shapley values of ``predict`` for each row of ``x`` against the ``background`` rows.

    v(S) = mean over background rows b of predict(x_S, b_notS); phi_j = sum_S w(|S|) (v(S + j) - v(S)).
    Vectorized over rows and background (one predict call per coalition). Returns an (n, m) array whose
    rows sum to predict(x) - mean(predict(background)).
    """
    x = np.asarray(x, dtype=np.float64)
    background = np.asarray(background, dtype=np.float64)
    n, m = x.shape
    k = len(background)
    value: dict[frozenset, np.ndarray] = {}
    for size in range(m + 1):
        for subset in combinations(range(m), size):
            mask = np.zeros(m, dtype=bool)
            mask[list(subset)] = True
            mixed = np.where(mask, x[:, None, :], background[None, :, :]).reshape(n * k, m)
            value[frozenset(subset)] = predict(mixed).reshape(n, k).mean(axis=1)
    phi = np.zeros((n, m))
    for j in range(m):
        others = [i for i in range(m) if i != j]
        for size in range(m):
            weight = factorial(size) * factorial(m - size - 1) / factorial(m)
            for subset in combinations(others, size):
                s = frozenset(subset)
                phi[:, j] += weight * (value[s | {j}] - value[s])
    return phi


def global_shap(phi: np.ndarray, features: list[str]) -> dict[str, float]:
    """``mean_abs`` aggregation: the mean absolute SHAP value per feature."""
    return {f: float(v) for f, v in zip(features, np.abs(phi).mean(axis=0))}


def ndcg(baseline: dict[str, float], current: dict[str, float]) -> float:
    """Clarify's nDCG between the baseline and current global attributions (gains = baseline values)."""
    features = list(baseline)
    gains = np.array([baseline[f] for f in features])
    discount = 1.0 / np.log2(np.arange(2, len(features) + 2))
    ideal = np.sort(gains)[::-1] @ discount
    order = np.argsort([-current[f] for f in features], kind="stable")
    return float(gains[order] @ discount / ideal) if ideal > 0 else 1.0


def ranking(attributions: dict[str, float]) -> list[str]:
    return sorted(attributions, key=lambda f: -attributions[f])


def attribution_drift_violations(baseline: dict[str, float], current: dict[str, float], label: str = "label0",
                                 threshold: float = NDCG_THRESHOLD) -> dict:
    """The ``constraint_violations.json`` document of one explainability execution."""
    score = ndcg(baseline, current)
    violations = []
    if score < threshold:
        violations.append({
            "label": label, "metric_name": "shap", "constraint_check_type": "feature_attribution_drift_check",
            "description": f"nDCG score {score:.4f} of the global SHAP ranking is below the threshold {threshold}",
        })
    return {"version": "1.0", "violations": violations}
