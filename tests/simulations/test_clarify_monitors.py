"""clarify-monitors: Clarify's metrics checked against independent computations (sklearn nDCG, hand formulas)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import ndcg_score

from simulations.monitoring.clarify import MissingInputError, attribution_drift_violations, bias_metrics, ndcg, shapley_values
from simulations.registry import run_simulation, run_world

NAME = "clarify-monitors"


@pytest.fixture(scope="module")
def default():
    return run_world(NAME, seed=0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 10), min_size=2, max_size=8), st.randoms(use_true_random=False))
def test_ndcg_is_sklearn_ndcg_with_baseline_attributions_as_gains(values, rnd):
    features = [f"f{i}" for i in range(len(values))]
    baseline = dict(zip(features, values))
    scores = [0.5 + i for i in range(len(values))]  # distinct current values (sklearn averages ties)
    rnd.shuffle(scores)
    current = dict(zip(features, scores))
    expected = ndcg_score([values], [[current[f] for f in features]])
    assert ndcg(baseline, current) == pytest.approx(expected, abs=1e-9)


def test_ndcg_by_hand_and_the_violation_document():
    baseline = {"tenure": 0.5, "monthly_charges": 0.25, "support_calls": 0.15, "age": 0.1}
    halved = {f: v / 2 for f, v in baseline.items()}
    assert ndcg(baseline, halved) == 1.0 and attribution_drift_violations(baseline, halved)["violations"] == []
    moved = dict(baseline, support_calls=0.6)  # support_calls first, the rest keep their order
    dcg = 0.15 + 0.5 / np.log2(3) + 0.25 / 2 + 0.1 / np.log2(5)
    idcg = 0.5 + 0.25 / np.log2(3) + 0.15 / 2 + 0.1 / np.log2(5)
    assert ndcg(baseline, moved) == pytest.approx(dcg / idcg)
    (v,) = attribution_drift_violations(baseline, moved)["violations"]
    assert v["constraint_check_type"] == "feature_attribution_drift_check" and "feature_name" not in v


def test_bias_metrics_by_hand_and_missing_inputs():
    facet = np.r_[np.zeros(500, bool), np.ones(300, bool)]
    predicted = np.r_[np.arange(500) < 300, np.arange(300) < 90]
    label = np.r_[np.arange(500) < 250, np.arange(300) < 60]
    m = bias_metrics(facet, label=label, prediction=predicted)
    assert m["CI"] == pytest.approx((500 - 300) / 800)
    assert m["DPL"] == pytest.approx(0.5 - 0.2)
    assert m["DPPL"] == pytest.approx(0.6 - 0.3) and m["DI"] == pytest.approx(0.5)
    acc_a = ((predicted == label) & ~facet).sum() / 500
    acc_d = ((predicted == label) & facet).sum() / 300
    assert m["AD"] == pytest.approx(acc_a - acc_d)
    assert m["RD"] == pytest.approx((predicted & label & ~facet).sum() / 250 - (predicted & label & facet).sum() / 60)
    assert m["DCA"] == pytest.approx(250 / 300 - 60 / 90)  # observed over predicted positives, a minus d
    with pytest.raises(MissingInputError, match="DPPL needs prediction"):
        bias_metrics(facet, label=label, methods=("DPPL",))


def test_exact_shapley_values_of_a_linear_model_and_efficiency():
    rng = np.random.default_rng(0)
    w = np.array([2.0, -1.0, 0.5])
    x, background = rng.normal(size=(20, 3)), rng.normal(size=(15, 3))
    phi = shapley_values(lambda z: z @ w, x, background)
    assert np.allclose(phi, (x - background.mean(axis=0)) * w)
    f = lambda z: 1 / (1 + np.exp(-(z @ w) + z[:, 0] * z[:, 1]))  # noqa: E731 - with an interaction
    phi = shapley_values(f, x, background)
    assert np.allclose(phi.sum(axis=1), f(x) - f(background).mean())


def test_the_world_behind_the_attribution_question(default):
    k = default.key_numbers
    assert k["baseline_ranking"] == ["tenure", "monthly_charges", "support_calls", "age"]
    assert k["monday_ndcg"] == 1.0 and k["monday_attribution_scale"] < 0.75
    assert k["tuesday_ranking"][0] == "support_calls" and k["tuesday_ndcg"] < 0.9
    shap = default.tables["global_shap"].set_index("feature")
    recomputed = ndcg_score([shap["baseline"].tolist()], [shap["Tuesday"].tolist()])
    assert k["tuesday_ndcg"] == pytest.approx(recomputed, abs=1e-3)


def test_verdicts_for_each_question():
    expect = {"attribution-drift-ndcg-threshold": ["B"], "clarify-pre-vs-post-metrics": ["B"],
              "clarify-disparate-impact-math": ["C"], "monitors-without-labels": ["B", "E"],
              "bias-monitor-needs-labels": ["C"], "four-monitoring-types": ["D"], "clarify-label-values-wrong": ["A"],
              "clarify-monitor-types": ["B", "D"], "bias-drift-mortgage": ["A"]}
    for qid, letters in expect.items():
        assert run_simulation(NAME, seed=1, question=qid).correct_letters == letters, qid


def test_control_and_label_presets_change_the_verdicts():
    control = run_simulation(NAME, seed=0, preset="no-attribution-drift")
    assert control.correct_letters == [] and control.key_numbers["tuesday_ndcg"] >= 0.9
    assert "no attribution drift" in control.narrative
    on_time = run_simulation(NAME, seed=0, preset="labels-on-time", question="monitors-without-labels")
    assert on_time.correct_letters == ["B", "C", "E"]  # the bias monitor now has labels; model quality on the baseline still not


def test_pre_training_metrics_match_the_dataset(default):
    ci_dpl = next(o for o in default.outcomes if o.key == "metrics-ci-dpl")
    assert ci_dpl.evidence["computed"]["CI"] == pytest.approx(default.key_numbers["ci"], abs=1e-4)
    assert default.key_numbers["ci"] > 0.5  # applicants over 60 are about 12 % of the data
    dppl = next(o for o in default.outcomes if o.key == "metrics-dppl-di")
    assert dppl.evidence["computed"] == {} and "needs prediction" in dppl.evidence["errors"][0]


def test_monitors_without_labels_report_what_full_information_gives(default):
    daily = default.tables["daily_monitors"]
    assert (daily["labelled_by_run"] == 0).all()  # outcomes arrive after 90 days
    assert daily["model-bias:reported"].isna().all() and daily["mq-validation-baseline:reported"].isna().all()
    assert (daily["mq-predictions-as-labels:reported"] == 1.0).all()
    assert (daily["mq-predictions-as-labels:full"] < 0.9).all()  # the true accuracy the fake labels hide
    assert (daily["data-quality:reported"] == daily["data-quality:full"]).all()


def test_label_values_decide_the_sign_of_dpl(default):
    k = default.key_numbers
    assert k["insurer_audit_paid_gap"] > 0.1  # urban claims are paid more often
    assert k["insurer_dpl_with_label_0"] == pytest.approx(-k["insurer_audit_paid_gap"], abs=1e-4)  # denials counted as positive


def test_monitor_types_judged_from_their_output_documents():
    result = run_simulation(NAME, seed=0, question="clarify-monitor-types")
    b, e = result.outcome("B"), result.outcome("E")
    assert {"DPPL", "DI"} <= set(b.evidence["fields"])
    assert e.criteria[0].measured == 0  # a training-time report produces nothing after deployment
    assert "accuracy" in result.outcome("C").evidence["fields"] and "DPPL" not in result.outcome("C").evidence["fields"]


def test_mortgage_skew_only_retraining_on_current_data_removes():
    result = run_simulation(NAME, seed=0, question="bias-drift-mortgage")
    a, d = result.outcome("A"), result.outcome("D")
    assert a.evidence["alerts"] >= 1 and abs(a.evidence["skew_after"]) <= 0.03
    assert abs(d.evidence["skew_after"]) > 0.1  # regularizing on 3 % data keeps the old relationship
    assert result.outcome("C").evidence["alerts"] >= 1 and not result.outcome("C").works  # drift seen, no group metric
