"""Model quality: metrics against scikit-learn, invariants, suggested constraints and the check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as sk

from simulations.monitoring import (
    binary_classification_metrics,
    check_model_quality,
    model_quality_statistics,
    multiclass_classification_metrics,
    regression_metrics,
    suggest_model_quality_constraints,
)


def test_regression_metrics_match_scikit_learn():
    rng = np.random.default_rng(0)
    truth = rng.normal(100, 20, 2_000)
    predicted = truth + rng.normal(3, 10, 2_000)
    got = regression_metrics(truth, predicted)
    assert got["mae"] == pytest.approx(sk.mean_absolute_error(truth, predicted), rel=1e-12)
    assert got["mse"] == pytest.approx(sk.mean_squared_error(truth, predicted), rel=1e-12)
    assert got["rmse"] == pytest.approx(np.sqrt(sk.mean_squared_error(truth, predicted)), rel=1e-12)
    assert got["r2"] == pytest.approx(sk.r2_score(truth, predicted), rel=1e-12)
    constant = np.full(5, 3.0)
    assert regression_metrics(constant, constant)["r2"] == sk.r2_score(constant, constant) == 1.0
    assert regression_metrics(constant, constant + 1)["r2"] == sk.r2_score(constant, constant + 1) == 0.0


def binary_case(seed: int, n: int = 3_000):
    rng = np.random.default_rng(seed)
    truth = (rng.random(n) < 0.3).astype(int)
    score = np.clip(0.35 * truth + rng.normal(0.35, 0.2, n), 0, 1).round(2)  # rounded: many tied scores
    return truth, (score >= 0.5).astype(int), score


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_binary_metrics_match_scikit_learn(seed):
    truth, predicted, score = binary_case(seed)
    got = binary_classification_metrics(truth, predicted, score)
    assert got["accuracy"] == pytest.approx(sk.accuracy_score(truth, predicted))
    assert got["precision"] == pytest.approx(sk.precision_score(truth, predicted))
    assert got["recall"] == pytest.approx(sk.recall_score(truth, predicted))
    assert got["f1"] == pytest.approx(sk.f1_score(truth, predicted))
    assert got["f0_5"] == pytest.approx(sk.fbeta_score(truth, predicted, beta=0.5))
    assert got["f2"] == pytest.approx(sk.fbeta_score(truth, predicted, beta=2))
    assert got["auc"] == pytest.approx(sk.roc_auc_score(truth, score), rel=1e-12)
    tn, fp, fn, tp = sk.confusion_matrix(truth, predicted).ravel()
    assert got["true_positive_rate"] == pytest.approx(tp / (tp + fn))
    assert got["true_negative_rate"] == pytest.approx(tn / (tn + fp))
    assert got["false_positive_rate"] == pytest.approx(fp / (fp + tn))
    assert got["false_negative_rate"] == pytest.approx(fn / (fn + tp))
    assert binary_classification_metrics(truth, predicted)["auc"] == pytest.approx(sk.roc_auc_score(truth, predicted))


def test_binary_string_labels_need_the_positive_label():
    truth = np.array(["yes", "no", "yes", "no", "yes"])
    predicted = np.array(["yes", "yes", "no", "no", "yes"])
    got = binary_classification_metrics(truth, predicted, positive_label="yes")
    assert got["precision"] == pytest.approx(sk.precision_score(truth, predicted, pos_label="yes"))
    with pytest.raises(ValueError, match="positive_label 1 is not among the labels"):
        binary_classification_metrics(truth, predicted)
    with pytest.raises(ValueError, match="positive_label 1 is not among the labels"):
        binary_classification_metrics(["no", "no"], ["no", "no"])  # text labels, numeric positive label
    with pytest.raises(ValueError, match="positive_label 'yes' is not among the labels"):
        binary_classification_metrics(["a", "b"], ["a", "a"], positive_label="yes")
    only_negatives = binary_classification_metrics([0, 0, 0], [0, 0, 1])  # a window without positives
    assert only_negatives["false_positive_rate"] == pytest.approx(1 / 3) and np.isnan(only_negatives["auc"])


def test_multiclass_metrics_match_scikit_learn():
    rng = np.random.default_rng(4)
    truth = rng.choice(["cat", "dog", "bird"], 2_000, p=[0.5, 0.3, 0.2])
    predicted = np.where(rng.random(2_000) < 0.7, truth, rng.choice(["cat", "dog", "bird", "fish"], 2_000))
    got = multiclass_classification_metrics(truth, predicted)  # "fish" is only ever predicted
    assert got["accuracy"] == pytest.approx(sk.accuracy_score(truth, predicted))
    assert got["weighted_precision"] == pytest.approx(sk.precision_score(truth, predicted, average="weighted", zero_division=0))
    assert got["weighted_recall"] == pytest.approx(sk.recall_score(truth, predicted, average="weighted", zero_division=0))
    assert got["weighted_f1"] == pytest.approx(sk.f1_score(truth, predicted, average="weighted", zero_division=0))
    assert got["weighted_f0_5"] == pytest.approx(sk.fbeta_score(truth, predicted, beta=0.5, average="weighted", zero_division=0))
    assert got["weighted_f2"] == pytest.approx(sk.fbeta_score(truth, predicted, beta=2, average="weighted", zero_division=0))


def test_statistics_documents_have_the_reference_shape():
    truth, predicted, score = binary_case(5)
    stats = model_quality_statistics("BinaryClassification", truth, predicted, y_score=score)
    assert stats["version"] == 0.0 and stats["dataset"] == {"item_count": len(truth)}
    metrics = stats["binary_classification_metrics"]
    assert set(metrics["recall"]) == {"value", "standard_deviation"}
    assert isinstance(metrics["recall"]["standard_deviation"], float) and metrics["recall"]["standard_deviation"] > 0
    tn, fp, fn, tp = sk.confusion_matrix(truth, predicted).ravel()
    assert metrics["confusion_matrix"] == {"0": {"0": tn, "1": fp}, "1": {"0": fn, "1": tp}}  # [actual][predicted]
    for name in ("accuracy", "precision", "recall", "f0_5", "f1", "f2", "auc", "true_positive_rate",
                 "true_negative_rate", "false_positive_rate", "false_negative_rate",
                 "accuracy_best_constant_classifier", "f1_best_constant_classifier"):
        assert name in metrics
    share = truth.mean()
    assert metrics["accuracy_best_constant_classifier"]["value"] == pytest.approx(max(share, 1 - share))
    assert metrics["f1_best_constant_classifier"]["value"] == pytest.approx(sk.f1_score(truth, np.ones_like(truth)))
    roc = metrics["receiver_operating_characteristic_curve"]
    assert roc["false_positive_rates"][0] == 0.0 and roc["true_positive_rates"][-1] == 1.0
    assert np.all(np.diff(roc["false_positive_rates"]) >= 0) and len(roc["false_positive_rates"]) <= 101
    fpr, tpr, _ = sk.roc_curve(truth, score, drop_intermediate=False)
    assert np.trapezoid(roc["true_positive_rates"], roc["false_positive_rates"]) == pytest.approx(
        np.trapezoid(tpr, fpr), abs=0.01)

    regression = model_quality_statistics("Regression", [1.0, 2.0, 3.0], [1.5, 2.0, 2.0])
    assert regression["regression_metrics"]["mae"] == {"value": 0.5, "standard_deviation": "NaN"}  # < 200 rows
    multi = model_quality_statistics("MulticlassClassification", ["a", "b", "c", "a"], ["a", "c", "c", "b"])
    assert multi["multiclass_classification_metrics"]["confusion_matrix"] == {
        "a": {"a": 1, "b": 1, "c": 0}, "b": {"a": 0, "b": 0, "c": 1}, "c": {"a": 0, "b": 0, "c": 1}}


def test_standard_deviation_is_seeded_and_deterministic():
    truth, predicted, score = binary_case(6)
    first = model_quality_statistics("BinaryClassification", truth, predicted, y_score=score, seed=1)
    assert first == model_quality_statistics("BinaryClassification", truth, predicted, y_score=score, seed=1)
    other = model_quality_statistics("BinaryClassification", truth, predicted, y_score=score, seed=2)
    assert first["binary_classification_metrics"]["f1"]["standard_deviation"] != \
        other["binary_classification_metrics"]["f1"]["standard_deviation"]


def test_single_class_auc_is_nan_and_is_not_checked():
    stats = model_quality_statistics("BinaryClassification", [1, 1, 1], [1, 0, 1])
    assert stats["binary_classification_metrics"]["auc"]["value"] == "NaN"
    constraints = {"binary_classification_constraints": {"auc": {"threshold": 0.9, "comparison_operator": "LessThanThreshold"}}}
    assert check_model_quality(stats, constraints) == {"violations": []}
    assert "auc" not in suggest_model_quality_constraints(stats)["binary_classification_constraints"]


def test_suggested_constraints_use_the_baseline_values_and_operators():
    truth, predicted, score = binary_case(7)
    stats = model_quality_statistics("BinaryClassification", truth, predicted, y_score=score)
    constraints = suggest_model_quality_constraints(stats)["binary_classification_constraints"]
    metrics = stats["binary_classification_metrics"]
    assert constraints["recall"] == {"threshold": metrics["recall"]["value"], "comparison_operator": "LessThanThreshold"}
    assert constraints["false_positive_rate"]["comparison_operator"] == "GreaterThanThreshold"
    assert check_model_quality(stats, {"binary_classification_constraints": constraints}) == {"violations": []}
    loose = suggest_model_quality_constraints(stats, tolerance=0.05)["binary_classification_constraints"]
    assert loose["recall"]["threshold"] == pytest.approx(metrics["recall"]["value"] - 0.05)
    assert loose["false_positive_rate"]["threshold"] == pytest.approx(metrics["false_positive_rate"]["value"] + 0.05)
    regression = suggest_model_quality_constraints(model_quality_statistics("Regression", [1.0, 2.0], [1.0, 3.0]))
    assert regression["regression_constraints"]["mae"] == {"threshold": 0.5, "comparison_operator": "GreaterThanThreshold"}
    assert regression["regression_constraints"]["r2"]["comparison_operator"] == "LessThanThreshold"


def test_recall_below_its_threshold_is_the_documented_violation():
    stats = {"binary_classification_metrics": {"recall": {"value": 0.52, "standard_deviation": "NaN"},
                                               "precision": {"value": 1.0, "standard_deviation": "NaN"}}}
    constraints = {"version": 0.0, "binary_classification_constraints": {
        "recall": {"threshold": 0.571, "comparison_operator": "LessThanThreshold"},
        "precision": {"threshold": 1.0, "comparison_operator": "LessThanThreshold"}}}
    assert check_model_quality(stats, constraints) == {"violations": [{
        "metric_name": "recall", "constraint_check_type": "LessThanThreshold",
        "description": "Metric recall with 0.52 was LessThanThreshold 0.571"}]}


@pytest.mark.parametrize("operator, value, violated", [
    ("LessThanThreshold", 0.5, False), ("LessThanThreshold", 0.49, True),
    ("LessThanOrEqualToThreshold", 0.5, True), ("LessThanOrEqualToThreshold", 0.51, False),
    ("GreaterThanThreshold", 0.5, False), ("GreaterThanThreshold", 0.51, True),
    ("GreaterThanOrEqualToThreshold", 0.5, True), ("GreaterThanOrEqualToThreshold", 0.49, False),
])
def test_comparison_operators(operator, value, violated):
    stats = {"regression_metrics": {"mae": {"value": value, "standard_deviation": "NaN"}}}
    constraints = {"regression_constraints": {"mae": {"threshold": 0.5, "comparison_operator": operator}}}
    assert bool(check_model_quality(stats, constraints)["violations"]) == violated


def test_close_numbers_are_shown_distinctly():
    stats = {"regression_metrics": {"mae": {"value": 0.57104, "standard_deviation": "NaN"}}}
    constraints = {"regression_constraints": {"mae": {"threshold": 0.571, "comparison_operator": "GreaterThanThreshold"}}}
    (violation,) = check_model_quality(stats, constraints)["violations"]
    assert violation["description"] == "Metric mae with 0.57104 was GreaterThanThreshold 0.571"


@pytest.mark.parametrize("call, message", [
    (lambda: regression_metrics([1.0, np.nan], [1.0, 2.0]), "y_true has 1 missing"),
    (lambda: regression_metrics([1.0, 2.0], [1.0]), "y_true has 2 values but y_pred has 1"),
    (lambda: regression_metrics([], []), "empty"),
    (lambda: regression_metrics(["a"], ["b"]), "numbers"),
    (lambda: binary_classification_metrics([0, 1, 2], [0, 1, 1]), "at most two labels"),
    (lambda: model_quality_statistics("Ranking", [1], [1]), "problem_type must be one of"),
    (lambda: check_model_quality({"regression_metrics": {}}, {"binary_classification_constraints": {}}), "are regression but constraints"),
    (lambda: check_model_quality({"regression_metrics": {}}, {"regression_constraints": {"mae": {"threshold": 1, "comparison_operator": "Above"}}}), "comparison_operator must be one of"),
    (lambda: check_model_quality({"regression_metrics": {}}, {"regression_constraints": {"mae": {"threshold": 1, "comparison_operator": "LessThanThreshold"}}}), "no such metric"),
])
def test_bad_inputs_are_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


labels = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 20)), min_size=1, max_size=80)


@settings(max_examples=80, deadline=None)
@given(labels)
def test_binary_metric_invariants(rows):
    truth, predicted, score = (np.array(c) for c in zip(*rows))
    got = binary_classification_metrics(truth, predicted, score / 20)
    for name, value in got.items():
        assert np.isnan(value) if name == "auc" and len(set(truth)) < 2 else 0.0 <= value <= 1.0, name
    assert got["true_positive_rate"] + got["false_negative_rate"] == pytest.approx(1.0 if truth.any() else 0.0)
    assert got["true_negative_rate"] + got["false_positive_rate"] == pytest.approx(1.0 if not truth.all() else 0.0)
    if len(set(truth)) == 2:
        assert got["auc"] == pytest.approx(sk.roc_auc_score(truth, score))
        flipped = binary_classification_metrics(truth, predicted, -score)["auc"]
        assert flipped == pytest.approx(1.0 - got["auc"])
        squashed = binary_classification_metrics(truth, predicted, np.exp(score / 5))["auc"]  # monotone transform
        assert squashed == pytest.approx(got["auc"])
    assert binary_classification_metrics(truth, truth)["accuracy"] == 1.0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=1, max_size=60))
def test_regression_metric_invariants(pairs):
    truth, predicted = (np.array(c) for c in zip(*pairs))
    got = regression_metrics(truth, predicted)
    assert got["mae"] >= 0 and got["mse"] >= got["mae"] ** 2 - 1e-9  # Jensen
    assert got["rmse"] == pytest.approx(np.sqrt(got["mse"]))
    assert got["r2"] <= 1.0 + 1e-12
    perfect = regression_metrics(truth, truth)
    assert perfect["mae"] == perfect["mse"] == 0.0 and perfect["r2"] == 1.0
    assert got["mae"] == pytest.approx(regression_metrics(predicted, truth)["mae"])  # symmetric


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from("abcde")), min_size=1, max_size=60))
def test_multiclass_metric_invariants(pairs):
    truth, predicted = (np.array(c) for c in zip(*pairs))
    got = multiclass_classification_metrics(truth, predicted)
    assert all(0.0 <= v <= 1.0 + 1e-12 for v in got.values())
    assert got["weighted_recall"] == pytest.approx(got["accuracy"])  # support-weighted recall is accuracy
    assert got["weighted_f1"] == pytest.approx(sk.f1_score(truth, predicted, average="weighted", zero_division=0))
    assert multiclass_classification_metrics(truth, truth)["weighted_f1"] == pytest.approx(1.0)
