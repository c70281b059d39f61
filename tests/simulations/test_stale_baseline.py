"""stale-baseline: only a new baseline from the new training set stops the violations."""

from __future__ import annotations

import json

import pytest

from simulations.params import ParameterError
from simulations.registry import run_simulation
from simulations.result import SimulationResult

NAME = "stale-baseline"


@pytest.fixture(scope="module")
def default():
    return run_simulation(NAME, seed=0)



def test_same_seed_same_result_and_different_seed_different_numbers(default):
    assert run_simulation(NAME, seed=0).to_dict() == default.to_dict()
    other = run_simulation(NAME, seed=1)
    assert other.key_numbers["mean_age_production"] != default.key_numbers["mean_age_production"]
    assert other.tables["drift_by_feature"]["distance_vs_a"].tolist() != default.tables["drift_by_feature"]["distance_vs_a"].tolist()


def test_json_round_trip(default):
    data = json.loads(default.to_json())
    back = SimulationResult.from_dict(data)
    assert back.to_dict() == default.to_dict()
    assert back.correct_letters == ["B"]


def test_the_first_job_after_retraining_still_violates(default):
    assert default.question_id == "stale-baseline-after-retraining"
    kn = default.key_numbers
    assert kn["first_job_after_retrain_violations"] > 0
    assert {"age", "channel"} <= set(kn["first_job_after_retrain_features"])
    assert kn["mean_age_training_a"] < 32 < 43 < kn["mean_age_production"]
    assert abs(kn["mean_age_training_b"] - kn["mean_age_production"]) < 1.0


def test_only_b_works_on_the_numbers(default):
    assert [o.letter for o in default.outcomes] == ["A", "B", "C", "D"]
    assert default.correct_letters == ["B"]
    b = default.outcome("B").evidence
    assert b["executions_after"] == default.params["days_after"]
    assert b["violations_after"] == 0 and b["executions_with_violations"] == 0
    assert b["violations_same_traffic_vs_a"] > 0
    assert all(b["distances_vs_b"][f] <= 0.1 for f in b["distances_vs_b"])
    assert b["distances_vs_a"]["age"] > 0.5  # the age drift is real, measured against A
    for letter in "ACD":
        ev = default.outcome(letter).evidence
        assert ev["executions_with_violations"] == ev["executions_after"] == default.params["days_after"]
        assert ev["violations_after"] > 0


def test_a_manual_rerun_reproduces_the_scheduled_run(default):
    a = default.outcome("A").evidence
    assert a["manual_equals_scheduled"] is True
    assert a["manual_run_violations"] == a["scheduled_run_violations"] > 0
    summaries = json.loads(default.artifact_text("monitoring/executions.json"))
    assert summaries[-1]["MonitoringScheduleName"] == "churn-data-quality-manual"
    assert summaries[-1]["MonitoringExecutionStatus"] == "CompletedWithViolations"
    assert [s["MonitoringExecutionStatus"] for s in summaries[:3]] == ["Completed", "CompletedWithViolations", "CompletedWithViolations"]


def test_c_deleting_the_endpoint_is_refused_while_the_schedule_is_attached(default):
    c = default.outcome("C").evidence
    assert c["delete_refused"] is True
    assert "delete the monitoring schedule first" in c["refusal_message"]
    assert "delete the monitoring schedule first" in default.artifact_text("monitoring/option-c-delete-endpoint-error.txt")


def test_d_changes_the_model_but_not_the_baseline(default):
    d = default.outcome("D").evidence
    assert d["max_coefficient_change"] > 0.01
    assert d["mean_churn_probability_model_b"] != d["mean_churn_probability_model_d"]
    assert d["combined_baseline_violations"] > 0 and d["combined_baseline_age_distance"] > 0.1


def test_f37_loosened_constraints_silence_a_real_drift(default):
    kn = default.key_numbers
    assert kn["f37_loosened_violations"] == 0
    assert kn["f37_age_distance_hidden"] > 0.1  # above the default threshold: drift really there
    edited = json.loads(default.artifact_text("baseline-a-loosened/constraints.json"))
    assert edited["monitoring_config"]["distribution_constraints"]["comparison_threshold"] == 0.8
    row = default.tables["options"].set_index("option").loc["F37 loosened"]
    assert row["violations"] == 0 and row["executions"] == default.params["days_after"]


def test_f09_crafted_batch_shows_the_violation_kinds(default):
    kinds = set(default.key_numbers["f09_crafted_batch_kinds"])
    assert kinds == {"data_type_check", "completeness_check", "categorical_values_check"}
    report = json.loads(default.artifact_text("monitoring/crafted-bad-batch/constraint_violations.json"))
    assert {v["constraint_check_type"] for v in report["violations"]} == kinds
    assert len(default.outcome("B").evidence["crafted_batch_kinds"]) == 3


def test_artifacts_are_real_engine_files(default):
    capture = next(a for a in default.artifacts if a.path.startswith("data-capture/"))
    assert capture.path.startswith("data-capture/churn-endpoint/AllTraffic/2025/03/04/")
    lines = capture.content.splitlines()
    assert 0 < len(lines) <= 50
    record = json.loads(lines[0])
    assert record["captureData"]["endpointInput"]["encoding"] == "CSV"
    assert len(record["captureData"]["endpointInput"]["data"].split(",")) == 4
    stats = json.loads(default.artifact_text("baseline-a/statistics.json"))
    assert [f["name"] for f in stats["features"]] == ["age", "income", "tenure_months", "channel", "churn_probability"]
    first = json.loads(default.artifact_text("monitoring/day4-first-job-after-retrain/constraint_violations.json"))
    assert any(v["constraint_check_type"] == "baseline_drift_check" for v in first["violations"])
    assert json.loads(default.artifact_text("monitoring/option-b-rebaselined/constraint_violations.json")) == {"violations": []}


def test_without_drift_there_is_nothing_to_fix():
    calm = run_simulation(NAME, {"age_shift": 0, "channel_shift": 0}, seed=2)
    assert calm.key_numbers["first_job_after_retrain_violations"] == 0
    assert calm.correct_letters == ["A", "B", "C", "D"]
    assert "nothing for the options to fix" in calm.narrative


def test_more_days_after_and_a_smaller_drift():
    result = run_simulation(NAME, {"days_after": 3, "age_shift": 6.0, "channel_shift": 0.0, "requests_per_day": 2000}, seed=5)
    assert result.outcome("B").evidence["executions_after"] == 3
    assert result.correct_letters == ["B"]
    assert "age" in result.outcome("A").evidence["violating_features"]
    assert "channel" not in result.outcome("A").evidence["violating_features"]


@pytest.mark.parametrize(("params", "name"), [
    ({"age_shift": 31}, "age_shift"),
    ({"requests_per_day": 10}, "requests_per_day"),
    ({"days_after": 0}, "days_after"),
    ({"loosened_threshold": 1.5}, "loosened_threshold"),
])
def test_out_of_range_parameters_are_rejected(params, name):
    with pytest.raises(ParameterError, match=f"parameter '{name}'"):
        run_simulation(NAME, params)


def test_the_no_drift_control_tells_its_own_story_from_the_numbers():
    calm = run_simulation(NAME, preset="no-drift", seed=0)
    assert calm.preset == "no-drift"
    assert "there is no drift in this world" in calm.narrative
    assert "hiding" not in calm.narrative and "violations continue" not in calm.narrative
    stale = run_simulation(NAME, seed=0).outcome("A")
    quiet = calm.outcome("A")
    assert not stale.works and quiet.works
    assert "executions not completing cleanly in the 2 days after: 0, at most 0" in quiet.result
    assert quiet.why.startswith("Works") and stale.why.startswith("Does not work: 1 of 2 criteria failed")


def test_every_option_is_judged_by_the_same_two_measured_tests(default):
    for outcome in default.outcomes:
        names = [c.name for c in outcome.criteria]
        assert names == ["executions not completing cleanly in the 2 days after", "violations on a crafted bad batch"]
        assert outcome.criteria[0].measured == outcome.evidence["executions_with_violations"]
