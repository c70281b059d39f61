"""Model quality: metrics of predictions against ground truth, suggested constraints, the check (§5).

Statistics follow the model-quality ``statistics.json`` shape::

    {"version": 0.0, "dataset": {"item_count": 500},
     "binary_classification_metrics": {"recall": {"value": 0.52, "standard_deviation": 0.01}, ...}}

- ``Regression``: ``mae``, ``mse``, ``rmse``, ``r2``.
- ``BinaryClassification``: ``confusion_matrix``, ``accuracy``, ``precision``, ``recall``,
  ``f0_5``, ``f1``, ``f2``, ``auc``, the four rates, ``*_best_constant_classifier``, and (with
  both classes present) ``receiver_operating_characteristic_curve`` and ``precision_recall_curve``
  (at most 101 points each).
- ``MulticlassClassification``: ``confusion_matrix``, ``accuracy``, ``weighted_precision``,
  ``weighted_recall``, ``weighted_f0_5``, ``weighted_f1``, ``weighted_f2`` (per-class values
  weighted by support, as scikit-learn's ``average="weighted"``), ``*_best_constant_classifier``.

Conventions (where AWS is silent): a ratio with a zero denominator is 0.0 (scikit-learn's
``zero_division=0``); AUC with only one class present is undefined and written ``"NaN"``;
``confusion_matrix[actual][predicted]``; ``standard_deviation`` is the population standard
deviation of the metric over 5 seeded random 80 % subsamples when there are at least 200 rows,
else ``"NaN"``. Suggested thresholds equal the baseline value (``tolerance`` loosens them);
metrics where higher is better get ``LessThanThreshold``, error metrics ``GreaterThanThreshold``.
A violation means ``value <operator> threshold`` holds. All metrics are array operations; AUC
comes from average ranks (Mann-Whitney), not a loop over thresholds.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import numpy as np
import pandas as pd

from simulations.monitoring.formatting import distinct_numbers

REGRESSION = "Regression"
BINARY_CLASSIFICATION = "BinaryClassification"
MULTICLASS_CLASSIFICATION = "MulticlassClassification"
PROBLEM_TYPES = (REGRESSION, BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION)
_SECTION = {REGRESSION: "regression", BINARY_CLASSIFICATION: "binary_classification",
            MULTICLASS_CLASSIFICATION: "multiclass_classification"}

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "GreaterThanThreshold": operator.gt,
    "GreaterThanOrEqualToThreshold": operator.ge,
    "LessThanThreshold": operator.lt,
    "LessThanOrEqualToThreshold": operator.le,
}
LOWER_IS_BETTER = frozenset({"mae", "mse", "rmse", "false_positive_rate", "false_negative_rate"})
UNBOUNDED = frozenset({"mae", "mse", "rmse", "r2"})  # every other metric lies in [0, 1]
CONSTRAINED_METRICS = {
    REGRESSION: ("mae", "mse", "rmse", "r2"),
    BINARY_CLASSIFICATION: ("accuracy", "precision", "recall", "f0_5", "f1", "f2", "auc", "true_positive_rate",
                            "true_negative_rate", "false_positive_rate", "false_negative_rate"),
    MULTICLASS_CLASSIFICATION: ("accuracy", "weighted_precision", "weighted_recall", "weighted_f0_5",
                                "weighted_f1", "weighted_f2"),
}
STD_MIN_SAMPLES = 200
STD_SUBSAMPLES = 5
STD_FRACTION = 0.8
CURVE_POINTS = 101
_BETAS = (("f0_5", 0.5), ("f1", 1.0), ("f2", 2.0))


# -- inputs ------------------------------------------------------------------------------------
def _array(values, argument: str) -> np.ndarray:
    array = np.asarray(values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else values)
    if array.ndim != 1:
        raise ValueError(f"{argument} must be one-dimensional, got shape {array.shape}")
    if len(array) == 0:
        raise ValueError(f"{argument} is empty: model quality needs at least one labelled prediction")
    missing = int(pd.isna(array).sum())
    if missing:
        raise ValueError(f"{argument} has {missing} missing value(s)")
    return array


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    truth, predicted = _array(y_true, "y_true"), _array(y_pred, "y_pred")
    if len(truth) != len(predicted):
        raise ValueError(f"y_true has {len(truth)} values but y_pred has {len(predicted)}")
    return truth, predicted


def _numbers(array: np.ndarray, argument: str) -> np.ndarray:
    try:
        numbers = array.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{argument} must hold numbers") from None
    if not np.isfinite(numbers).all():
        raise ValueError(f"{argument} must hold finite numbers")
    return numbers


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0


# -- metrics -----------------------------------------------------------------------------------
def regression_metrics(y_true, y_pred) -> dict[str, float]:
    """``mae``, ``mse``, ``rmse``, ``r2`` (r2 of a constant target: 1.0 if perfect, else 0.0)."""
    truth, predicted = _pair(y_true, y_pred)
    truth, predicted = _numbers(truth, "y_true"), _numbers(predicted, "y_pred")
    error = truth - predicted
    mse = float(np.mean(np.square(error)))  # not np.dot: threaded BLAS stalls under CPU contention
    total = float(np.sum(np.square(truth - truth.mean())))
    residual = mse * len(error)
    r2 = 1.0 - residual / total if total else (1.0 if residual == 0 else 0.0)
    return {"mae": float(np.mean(np.abs(error))), "mse": mse, "rmse": float(np.sqrt(mse)), "r2": r2}


def _binary_labels(truth: np.ndarray, predicted: np.ndarray, positive_label) -> list:
    labels = pd.unique(np.concatenate([truth, predicted]))
    if len(labels) > 2:
        raise ValueError(f"binary classification needs at most two labels, got {len(labels)}: {sorted(map(str, labels))[:10]}")
    # A window may hold negatives only; but two labels without the positive one, or labels of another
    # kind (text vs numbers), mean positive_label is wrong, and every metric would silently be 0.
    textual = isinstance(positive_label, str)
    if (len(labels) == 2 and not any(label == positive_label for label in labels)) or any(
            isinstance(label, str) != textual for label in labels):
        raise ValueError(f"positive_label {positive_label!r} is not among the labels {sorted(map(str, labels))}; pass positive_label=")
    return sorted(labels.tolist(), key=str)


def binary_classification_metrics(y_true, y_pred, y_score=None, *, positive_label=1) -> dict[str, float]:
    """Scalar binary metrics; ``y_score`` (probability of the positive class) feeds ``auc``,
    which otherwise uses the predicted labels as scores."""
    _, _, actual, guessed, score, _ = _binary_inputs(y_true, y_pred, y_score, positive_label)
    return _binary_scalars(actual, guessed, score)


def _binary_inputs(y_true, y_pred, y_score, positive_label):
    """(truth, predicted, actual positive, predicted positive, score, sorted labels), validated."""
    truth, predicted = _pair(y_true, y_pred)
    labels = _binary_labels(truth, predicted, positive_label)
    actual, guessed = truth == positive_label, predicted == positive_label
    if y_score is None:
        return truth, predicted, actual, guessed, guessed.astype(np.float64), labels
    score = _numbers(_array(y_score, "y_score"), "y_score")
    if len(score) != len(truth):
        raise ValueError(f"y_score has {len(score)} values but y_true has {len(truth)}")
    return truth, predicted, actual, guessed, score, labels


def _binary_scalars(actual: np.ndarray, guessed: np.ndarray, score: np.ndarray) -> dict[str, float]:
    n = len(actual)
    positives = int(np.count_nonzero(actual))
    negatives = n - positives
    tp = int(np.count_nonzero(actual & guessed))
    fp = int(np.count_nonzero(guessed)) - tp
    fn, tn = positives - tp, negatives - (int(np.count_nonzero(guessed)) - tp)
    metrics = {
        "accuracy": (tp + tn) / n,
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, positives),
    }
    for name, beta in _BETAS:
        b2 = beta * beta
        metrics[name] = _ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp)
    metrics["auc"] = _auc(actual, score)
    metrics.update({
        "true_positive_rate": _ratio(tp, positives),
        "true_negative_rate": _ratio(tn, negatives),
        "false_positive_rate": _ratio(fp, negatives),
        "false_negative_rate": _ratio(fn, positives),
    })
    share = positives / n  # a constant classifier: all positive (best for precision, recall, F) or majority
    metrics["accuracy_best_constant_classifier"] = max(share, 1 - share)
    metrics["precision_best_constant_classifier"] = share
    metrics["recall_best_constant_classifier"] = 1.0 if positives else 0.0
    for name, beta in _BETAS:
        b2 = beta * beta
        metrics[f"{name}_best_constant_classifier"] = _ratio((1 + b2) * share, b2 * share + 1) if positives else 0.0
    return metrics


def _average_ranks(score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order, tie group of each sorted position, 1-based average rank of each group)."""
    order = np.argsort(score, kind="stable")
    ordered = score[order]
    starts = np.flatnonzero(np.append(True, ordered[1:] != ordered[:-1]))
    group = np.cumsum(np.append(True, ordered[1:] != ordered[:-1])) - 1
    ends = np.append(starts[1:], len(score))
    return order, group, (starts + 1 + ends) / 2.0


def _auc(actual: np.ndarray, score: np.ndarray) -> float:
    positives = int(np.count_nonzero(actual))
    negatives = len(actual) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order, group, rank = _average_ranks(score)
    rank_sum = float(rank[group][actual[order]].sum())
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def _curves(actual: np.ndarray, score: np.ndarray) -> dict:
    positives = int(np.count_nonzero(actual))
    negatives = len(actual) - positives
    if positives == 0 or negatives == 0:
        return {}
    order, group, _ = _average_ranks(score)
    hits = np.bincount(group, weights=actual[order])[::-1]  # from the highest score down
    sizes = np.bincount(group)[::-1]
    tps, fps = np.cumsum(hits), np.cumsum(sizes - hits)
    fpr, tpr = np.append(0.0, fps / negatives), np.append(0.0, tps / positives)
    precision, recall = tps / (tps + fps), tps / positives
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(CURVE_POINTS, len(fpr))).round().astype(int))
    keep_pr = np.unique(np.linspace(0, len(precision) - 1, min(CURVE_POINTS, len(precision))).round().astype(int))
    return {
        "receiver_operating_characteristic_curve": {
            "false_positive_rates": fpr[keep].tolist(), "true_positive_rates": tpr[keep].tolist()},
        "precision_recall_curve": {"precisions": precision[keep_pr].tolist(), "recalls": recall[keep_pr].tolist()},
    }


def multiclass_classification_metrics(y_true, y_pred) -> dict[str, float]:
    """Accuracy and support-weighted precision/recall/F-scores over every label seen."""
    truth, predicted = _pair(y_true, y_pred)
    actual, guessed, labels = _label_codes(truth, predicted)
    return _multiclass_scalars(_confusion(actual, guessed, len(labels)))


def _label_codes(truth: np.ndarray, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Both label arrays as codes into one shared list of labels (as strings)."""
    codes, labels = pd.factorize(np.concatenate([truth.astype(object), predicted.astype(object)]))
    return codes[: len(truth)], codes[len(truth):], [str(label) for label in labels]


def _confusion(actual: np.ndarray, guessed: np.ndarray, k: int) -> np.ndarray:
    """``matrix[actual code, predicted code]`` counts."""
    return np.bincount(actual * k + guessed, minlength=k * k).reshape(k, k)


def _multiclass_scalars(matrix: np.ndarray) -> dict[str, float]:
    n = matrix.sum()
    hits = np.diag(matrix).astype(np.float64)
    support, called = matrix.sum(axis=1), matrix.sum(axis=0)
    weight = support / n

    def per_class(numerator, denominator):
        return np.divide(numerator, denominator, out=np.zeros(len(hits)), where=denominator > 0)

    metrics = {
        "accuracy": float(hits.sum() / n),
        "weighted_precision": float(np.sum(weight * per_class(hits, called))),
        "weighted_recall": float(np.sum(weight * per_class(hits, support))),
    }
    for name, beta in _BETAS:
        b2 = beta * beta
        denominator = (1 + b2) * hits + b2 * (support - hits) + (called - hits)
        metrics[f"weighted_{name}"] = float(np.sum(weight * per_class((1 + b2) * hits, denominator)))
    share = float(support.max() / n)  # always predicting the most frequent class
    metrics["accuracy_best_constant_classifier"] = share
    metrics["weighted_precision_best_constant_classifier"] = share * share
    metrics["weighted_recall_best_constant_classifier"] = share
    for name, beta in _BETAS:
        b2 = beta * beta
        metrics[f"weighted_{name}_best_constant_classifier"] = share * (1 + b2) * share / (b2 * share + 1)
    return metrics


# -- statistics.json -----------------------------------------------------------------------------
def model_quality_statistics(problem_type: str, y_true, y_pred, *, y_score=None, positive_label=1,
                             seed: int = 0) -> dict:
    """The model-quality ``statistics.json`` for ``problem_type`` (see the module docstring)."""
    if problem_type not in PROBLEM_TYPES:
        raise ValueError(f"problem_type must be one of {', '.join(PROBLEM_TYPES)}, got {problem_type!r}")
    matrix: dict = {}  # listed first, as in AWS examples
    curves: dict = {}
    if problem_type == REGRESSION:
        truth, predicted = _pair(y_true, y_pred)
        columns = (_numbers(truth, "y_true"), _numbers(predicted, "y_pred"))
        scalars = regression_metrics
    elif problem_type == BINARY_CLASSIFICATION:
        truth, predicted, actual, guessed, score, labels = _binary_inputs(y_true, y_pred, y_score, positive_label)
        columns = (actual, guessed, score)
        scalars = _binary_scalars
        codes_true, codes_pred, found = _label_codes(truth, predicted)
        matrix = _matrix_json(_confusion(codes_true, codes_pred, len(found)), found, labels)
        curves = _curves(actual, score)
    else:
        truth, predicted = _pair(y_true, y_pred)
        codes_true, codes_pred, found = _label_codes(truth, predicted)
        k = len(found)
        columns = (codes_true, codes_pred)
        matrix = _matrix_json(_confusion(codes_true, codes_pred, k), found, sorted(found))

        def scalars(t, p):
            return _multiclass_scalars(_confusion(t, p, k))
    values = scalars(*columns)
    spread = _subsample_std(scalars, columns, seed)
    metrics = {"confusion_matrix": matrix} if matrix else {}
    for name, value in values.items():
        metrics[name] = {"value": _json_number(value), "standard_deviation": _json_number(spread.get(name, np.nan))}
    metrics.update(curves)
    return {"version": 0.0, "dataset": {"item_count": len(columns[0])}, f"{_SECTION[problem_type]}_metrics": metrics}


def _subsample_std(scalars, columns: tuple[np.ndarray, ...], seed: int) -> dict[str, float]:
    n = len(columns[0])
    if n < STD_MIN_SAMPLES:
        return {}
    rng = np.random.default_rng(seed)
    size = int(n * STD_FRACTION)
    runs = []
    for _ in range(STD_SUBSAMPLES):
        rows = rng.choice(n, size=size, replace=False)
        runs.append(scalars(*(c[rows] for c in columns)))
    return {name: float(np.std([run[name] for run in runs])) for name in runs[0]}


def _matrix_json(matrix: np.ndarray, found: list[str], labels: list) -> dict:
    index = {label: i for i, label in enumerate(found)}
    keys = [str(label) for label in labels if str(label) in index]
    return {a: {p: int(matrix[index[a], index[p]]) for p in keys} for a in keys}


def _json_number(value: float):
    return "NaN" if value != value else float(value)


# -- constraints and the check -------------------------------------------------------------------
def _section_of(document: dict, suffix: str, what: str) -> tuple[str, dict]:
    sections = [key for key in document if key.endswith(suffix)]
    if len(sections) != 1:
        raise ValueError(f"{what} must hold exactly one *{suffix} section, found {sections or 'none'}")
    return sections[0][: -len(suffix)], document[sections[0]]


def suggest_model_quality_constraints(statistics: dict, *, tolerance: float = 0.0) -> dict:
    """Constraints from baseline statistics: threshold = baseline value, moved by ``tolerance``
    in the forgiving direction (clipped to [0, 1] for bounded metrics)."""
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    section, metrics = _section_of(statistics, "_metrics", "model-quality statistics")
    problem_type = next(p for p, s in _SECTION.items() if s == section)
    constraints = {}
    for name in CONSTRAINED_METRICS[problem_type]:
        value = metrics.get(name, {}).get("value", "NaN")
        if value == "NaN":
            continue
        lower_better = name in LOWER_IS_BETTER
        threshold = value + tolerance if lower_better else value - tolerance
        if name not in UNBOUNDED:
            threshold = min(1.0, max(0.0, threshold))
        constraints[name] = {"threshold": threshold,
                             "comparison_operator": "GreaterThanThreshold" if lower_better else "LessThanThreshold"}
    return {"version": 0.0, f"{section}_constraints": constraints}


def check_model_quality(statistics: dict, constraints: dict) -> dict:
    """``{"violations": [{"metric_name", "constraint_check_type", "description"}, ...]}``.

    A metric whose value is ``"NaN"`` (undefined, e.g. AUC with one class) cannot be compared
    and is skipped; a constraint on a metric the statistics lack raises ``ValueError``.
    """
    section, metrics = _section_of(statistics, "_metrics", "model-quality statistics")
    constraint_section, rules = _section_of(constraints, "_constraints", "model-quality constraints")
    if section != constraint_section:
        raise ValueError(f"statistics are {section} but constraints are {constraint_section}")
    violations = []
    for name, rule in rules.items():
        op = rule.get("comparison_operator")
        if op not in OPERATORS:
            raise ValueError(f"metric {name!r}: comparison_operator must be one of {', '.join(OPERATORS)}, got {op!r}")
        threshold = rule.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise ValueError(f"metric {name!r}: threshold must be a number, got {threshold!r}")
        if name not in metrics or not isinstance(metrics[name], dict) or "value" not in metrics[name]:
            raise ValueError(f"constraint on metric {name!r}, but the statistics have no such metric")
        value = metrics[name]["value"]
        if value == "NaN":
            continue
        if OPERATORS[op](value, threshold):
            shown, limit = distinct_numbers(value, threshold)
            violations.append({"metric_name": name, "constraint_check_type": op,
                               "description": f"Metric {name} with {shown} was {op} {limit}"})
    return {"violations": violations}
