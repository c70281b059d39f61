"""retraining-strategies: only original + new data on a detected change keeps the model accurate."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from simulations.params import ParameterError
from simulations.registry import run_simulation
from simulations.result import SimulationResult
from simulations.retraining_strategies import Batch, Logistic, NaiveBayes

NAME = "retraining-strategies"


@pytest.fixture(scope="module")
def by_drift():
    return {kind: run_simulation(NAME, {"drift": kind}, seed=0) for kind in ("covariate", "concept", "both")}



def test_same_seed_same_result_and_different_seed_different_numbers():
    first, second = run_simulation(NAME, seed=3), run_simulation(NAME, seed=3)
    assert first.to_dict() == second.to_dict()
    other = run_simulation(NAME, seed=4)
    assert other.key_numbers["accuracy_after_drift_D"] != first.key_numbers["accuracy_after_drift_D"]


@pytest.mark.parametrize("kind", ["covariate", "concept", "both"])
def test_d_is_best_after_the_drift_and_on_returning_patterns(by_drift, kind):
    result = by_drift[kind]
    assert result.question_id == "recommendation-drift-retraining"
    assert [o.letter for o in result.outcomes] == ["A", "B", "C", "D"]
    kn = result.key_numbers
    post = {x: kn[f"accuracy_after_drift_{x}"] for x in "ABCD"}
    holiday = {x: kn[f"accuracy_holiday_buyers_{x}"] for x in "ABCD"}
    assert post["D"] == max(post.values())
    assert holiday["D"] > holiday["C"] + 0.1  # C forgot the holiday buyers; D kept the original data
    assert post["D"] > post["A"] + 0.1 and post["D"] > post["B"] + 0.05  # old data alone cannot learn the change
    assert result.correct_letters == ["D"]


@pytest.mark.parametrize("kind", ["covariate", "concept", "both"])
def test_verdicts_follow_the_margin_rule(by_drift, kind):
    for outcome in by_drift[kind].outcomes:
        ev = outcome.evidence
        within = (ev["accuracy_after_drift"] >= ev["best_accuracy_after_drift"] - ev["margin_after_drift"] - 1e-4
                  and ev["accuracy_on_returning_holiday_buyers"] >= ev["best_accuracy_on_returning_holiday_buyers"] - ev["margin_holiday_buyers"] - 1e-4)
        assert outcome.works == within, outcome.letter


def test_drift_hurts_every_model_that_never_sees_new_data(by_drift):
    for kind, result in by_drift.items():
        a = result.outcome("A").evidence
        assert a["accuracy_after_drift"] < a["accuracy_before_drift"] - 0.15, kind


def test_b_tuning_gains_little(by_drift):
    for result in by_drift.values():
        kn = result.key_numbers
        gain = kn["accuracy_after_drift_B"] - kn["accuracy_after_drift_A"]
        assert gain < kn["accuracy_after_drift_D"] - kn["accuracy_after_drift_B"]


def test_data_drift_is_seen_by_the_input_check_concept_drift_by_the_accuracy_check(by_drift):
    """F12: covariate drift moves the inputs; concept drift shows only in accuracy."""
    first = {}
    for kind in ("covariate", "concept"):
        result = by_drift[kind]
        start = result.params["drift_start"]
        weeks = json.loads(result.artifact_text("d-monitoring/violations_by_week.json"))
        first[kind] = next(w for w in weeks if w["week"] >= start)
        assert start <= first[kind]["week"] <= start + 2
        assert result.key_numbers["d_retrains_before_drift"] == 0
    kinds = {v["constraint_check_type"] for v in first["covariate"]["violations"]}
    assert "baseline_drift_check" in kinds
    concept = first["concept"]["violations"]
    assert [v["metric_name"] for v in concept] == ["accuracy"]
    assert all("feature_name" not in v for v in concept)
    monitor = pd.read_csv(io.StringIO(by_drift["concept"].artifact_text("d-monitoring/weekly_monitoring.csv")))
    before_return = monitor[monitor["week"] < by_drift["concept"].params["return_week"]]
    assert not before_return["data_drift"].any()  # the inputs never moved


def test_cost_figures(by_drift):
    result = by_drift["both"]
    kn = result.key_numbers
    log = json.loads(result.artifact_text("retraining_log.json"))
    for x in "ABCD":
        assert kn[f"rows_trained_{x}"] == sum(entry["rows"] for entry in log[x])
        assert kn[f"retrains_{x}"] == sum(1 for entry in log[x] if entry["week"] > 0)
    weeks, every = result.params["weeks"], result.params["retrain_every"]
    assert kn["retrains_A"] == kn["retrains_B"] == kn["retrains_C"] == (weeks - 1) // every
    assert kn["rows_trained_B"] > kn["rows_trained_A"]  # tuning fits several candidates each round


def test_series_and_tables(by_drift):
    result = by_drift["both"]
    lines = [s for s in result.series if s.chart == "Weekly accuracy per strategy"]
    assert len(lines) == 4 and all(len(s.y) == result.params["weeks"] for s in lines)
    table = result.tables["strategies"]
    assert table.loc[table["works"], "option"].tolist() == ["D"]


@pytest.mark.parametrize(
    "params",
    [
        {"retrain_every": 1},
        {"retrain_every": 13},
        {"window_weeks": 2},
        {"customers_per_week": 300},
        {"weeks": 40, "drift_start": 12, "return_week": 30},
        {"drift": "concept", "drift_start": 10, "return_week": 40},
    ],
)
def test_variations_keep_d_the_answer(params):
    result = run_simulation(NAME, params, seed=1)
    assert result.correct_letters == ["D"]
    kn = result.key_numbers
    assert kn["accuracy_holiday_buyers_D"] > kn["accuracy_holiday_buyers_C"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"drift": "sudden"}, "drift"),
        ({"weeks": 20}, "weeks"),
        ({"drift_start": 45}, "drift_start"),  # no time left to see it
        ({"return_week": 27}, "return_week"),  # inside the drift ramp
        ({"return_week": 52}, "return_week"),
        ({"retrain_every": 0}, "retrain_every"),
        ({"drift_threshold": 0.0}, "drift_threshold"),
    ],
)
def test_bad_parameters_are_rejected_by_name(params, name):
    with pytest.raises(ParameterError, match=f"'{name}'"):
        run_simulation(NAME, params)


def test_json_round_trip(by_drift):
    result = by_drift["covariate"]
    again = SimulationResult.from_dict(json.loads(result.to_json()))
    assert again.to_dict() == result.to_dict()


def _toy(n, rng, flip=False):
    df = pd.DataFrame({"age": rng.normal(40, 12, n).round(), "sessions": rng.gamma(5, 1.0, n).round(1),
                       "discount_pct": rng.integers(0, 51, n).astype(float), "segment": "loyal"})
    s = (df["sessions"] - 5) / 2.5
    df["purchased"] = ((-2 if flip else 2) * s + rng.normal(0, 0.5, n) > 0).astype(int)
    return Batch.of(df)


def test_the_numpy_models_learn_a_simple_rule():
    rng = np.random.default_rng(0)
    train, test = _toy(2000, rng), _toy(1000, rng)
    for model in (Logistic().fit(train), NaiveBayes().fit(train)):
        assert np.mean(model.predict(test) == test.y) > 0.85
    flipped = _toy(1000, rng, flip=True)
    assert np.mean(Logistic().fit(train).predict(flipped) == flipped.y) < 0.2  # a changed concept breaks it
