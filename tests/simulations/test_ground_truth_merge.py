"""ground-truth-merge: only -P3D/-P1D waits for the late labels and measures the true accuracy."""

from __future__ import annotations

import json

import pytest

from simulations.params import ParameterError
from simulations.registry import run_simulation
from simulations.result import SimulationResult

NAME = "ground-truth-merge"


@pytest.fixture(scope="module")
def default():
    return run_simulation(NAME, seed=0)


def artifact(result, prefix):
    return next(a for a in result.artifacts if a.path.startswith(prefix))


def test_same_seed_same_result_and_different_seed_different_numbers(default):
    assert run_simulation(NAME, seed=0).to_dict() == default.to_dict()
    other = run_simulation(NAME, seed=1)
    assert other.key_numbers["b_accuracy"] != default.key_numbers["b_accuracy"] or \
        other.key_numbers["records_without_inference_id"] != default.key_numbers["records_without_inference_id"]
    assert other.tables["options"]["matched"].tolist() != default.tables["options"]["matched"].tolist()


def test_json_round_trip(default):
    back = SimulationResult.from_dict(json.loads(default.to_json()))
    assert back.to_dict() == default.to_dict()
    assert back.correct_letters == ["B"]


def test_only_b_works_on_the_numbers(default):
    assert default.question_id == "ground-truth-window-offsets"
    assert [o.letter for o in default.outcomes] == ["A", "B", "C", "D"]
    assert default.correct_letters == ["B"]
    a, b, c, d = (default.outcome(k).evidence for k in "ABCD")
    assert b["status"] in ("Completed", "CompletedWithViolations") and b["match_rate"] > 0.9
    assert abs(b["error_vs_true"]) <= 0.02 and b["in_window"] > 2000
    assert a["status"] == "Failed" and a["matched"] == 0 and "no ground truth" in a["failure_reason"]
    assert c["status"] == "rejected" and c["matched"] == 0 and "must be earlier than its end" in c["error"]
    assert d["match_rate"] < 0.1  # the labels of the last day have not arrived
    assert d["fraud_share_evaluated"] > 0.9 > 0.2 > d["fraud_share_window"]  # the few that did are disputes
    assert abs(d["error_vs_true"]) > 0.2 and d["violations"]  # a biased sample, a false alarm


def test_b_window_is_three_to_one_days_before_the_run(default):
    b = default.outcome("B").evidence
    assert b["window"] == "2025-03-04T00:00:00Z to 2025-03-06T00:00:00Z"
    assert b["scheduled_time"] == "2025-03-07T00:00:00Z"
    assert b["matched_via_event_id"] > 0  # requests without an InferenceId are joined by eventId
    row = default.tables["options"].set_index("option").loc["B"]
    assert row["records_in_window"] == b["in_window"] and row["match_rate"] == b["match_rate"]


def test_hourly_variant_and_key_numbers(default):
    kn = default.key_numbers
    assert kn["hourly_pt6h_pt1h_status"] in ("Completed", "CompletedWithViolations")
    assert kn["hourly_pt6h_pt1h_match_rate"] > 0.9
    assert kn["hourly_pt1h_pt0h_status"] == "Failed" and kn["hourly_pt1h_pt0h_match_rate"] == 0
    assert kn["recommended_offsets"] == "-P3D / -P1D"
    assert kn["labels_written"] < kn["records_captured"]


def test_artifacts_hold_engine_files(default):
    capture = artifact(default, "data-capture/fraud-endpoint/AllTraffic/2025/03/03/00/")
    records = [json.loads(line) for line in capture.content.splitlines()]
    assert records and all(r["eventVersion"] == "0" for r in records)
    truth = [a for a in default.artifacts if a.path.startswith("ground-truth/")]
    assert len(truth) == 2
    for a in truth:
        line = json.loads(a.content.splitlines()[0])
        assert set(line) == {"groundTruthData", "eventMetadata", "eventVersion"}
    assert truth[0].path.startswith("ground-truth/2025/03/03/")  # filed under the label date ...
    assert {json.loads(x)["groundTruthData"]["data"] for x in truth[0].content.splitlines()} == {"1"}  # ... early disputes
    assert truth[1].path.startswith("ground-truth/2025/03/04/")  # day 1's labels collected on day 2
    head = artifact(default, "merge/option-b-merged-head.csv").content.splitlines()
    assert head[0].split(",")[-2:] == ["label", "label_time"] and len(head) == 21
    executions = json.loads(artifact(default, "monitoring/executions.json").content)
    assert executions["C"] == [] and executions["A"][-1]["MonitoringExecutionStatus"] == "Failed"
    assert executions["B"][0]["FailureReason"].startswith("no captured data")  # the first run's window predates capture


def test_longer_label_delay_needs_longer_offsets():
    slow = run_simulation(NAME, {"label_delay_days": 2, "days": 5}, seed=3)
    assert slow.correct_letters == []  # -P3D/-P1D now ends before the labels are in
    assert 0.3 < slow.outcome("B").evidence["match_rate"] < 0.7
    assert slow.key_numbers["recommended_offsets"] == "-P4D / -P2D"
    assert slow.key_numbers["recommended_match_rate"] > 0.9


def test_without_early_labels_the_default_window_fails():
    result = run_simulation(NAME, {"early_label_share": 0.0, "requests_per_hour": 20}, seed=4)
    d = result.outcome("D").evidence
    assert d["status"] == "Failed" and d["matched"] == 0
    assert result.correct_letters == ["B"]


def test_every_request_without_inference_id_still_merges_by_event_id():
    result = run_simulation(NAME, {"no_inference_id_share": 1.0, "requests_per_hour": 20}, seed=5)
    b = result.outcome("B").evidence
    assert b["matched_via_event_id"] == b["matched"] > 0.9 * b["in_window"]


@pytest.mark.parametrize(("params", "name"), [
    ({"days": 3}, "days"),
    ({"label_delay_days": 4}, "label_delay_days"),
    ({"early_label_share": 1.5}, "early_label_share"),
    ({"requests_per_hour": 0}, "requests_per_hour"),
    ({"days": 5, "label_delay_days": 3}, "days"),  # a window that waits for the labels would predate the capture
])
def test_out_of_range_parameters_are_rejected(params, name):
    with pytest.raises(ParameterError, match=f"parameter '{name}'"):
        run_simulation(NAME, params)


def test_with_labels_on_time_the_short_windows_work_too_and_the_story_says_so():
    on_time = run_simulation(NAME, preset="labels-on-time", seed=1)
    assert on_time.correct_letters == ["A", "B", "D"]  # C is refused whatever the labels do
    assert "no label arrives late in this world" in on_time.narrative
    assert "review team labels" not in on_time.narrative
    assert on_time.outcome("C").failed[0].says.startswith("the schedule runs and its last execution completes: the schedule was refused")


def test_labels_missing_at_random_do_not_fail_a_window_that_waits():
    half = run_simulation(NAME, preset="half-never-labelled", seed=0)
    b = half.outcome("B")
    assert b.works
    assert b.evidence["match_rate"] < 0.6 <= 0.9 <= b.evidence["labelled_match_rate"]


def test_labels_three_days_late_make_the_offered_pair_too_early():
    late = run_simulation(NAME, preset="labels-three-days-late", seed=0)
    assert late.correct_letters == []
    assert late.key_numbers["recommended_offsets"] == "-P5D / -P3D" and late.key_numbers["recommended_match_rate"] >= 0.9
    assert "No offered window waits long enough" in late.narrative


# -- offsets-two-day-labels: a second labelling stream, at most 48 hours late -------------------------
TWO_DAY = "offsets-two-day-labels"


def test_lagged_uploads_are_on_the_hour_and_never_later_than_the_bound():
    import numpy as np
    import pandas as pd

    from simulations import ground_truth_merge as sim

    times = pd.DatetimeIndex(pd.Timestamp("2025-03-03", tz="UTC") + pd.to_timedelta(np.arange(0, 86_400, 37), unit="s"))
    for hours in (1, 24, 48, 72):
        up = sim.lagged_uploads(times, hours, np.random.default_rng(7))
        lag = (up - times).total_seconds() / 3600
        assert (up == up.floor("h")).all() and lag.min() >= 0 and lag.max() <= hours
        assert lag.max() > hours - 1.1  # the spread reaches the bound
    now = sim.lagged_uploads(times, 0, np.random.default_rng(7))
    assert (now == times.ceil("h")).all()


def test_only_minus_3d_minus_2d_gives_a_full_day_with_every_label_in():
    result = run_simulation(NAME, seed=0, question=TWO_DAY)
    assert [o.letter for o in result.outcomes] == ["A", "B", "C", "D"] and result.correct_letters == ["A"]
    a, b, c, d = (result.outcome(k).evidence for k in "ABCD")
    assert (a["pending"], a["matched"], a["labelled"], a["window_hours"]) == (0, 2448, 2448, 24.0)
    assert a["last_window"] == "2025-03-04T00:00:00Z to 2025-03-05T00:00:00Z"  # the 00:00 run of 7 March
    # labels spread evenly over 0-47 h: a record a hours old has its label with chance about a/47, so a day
    # 0-24 h old has about 12/47 = 26% of its labels, and the day 24-48 h old about 36/47 = 77%
    assert (b["pending"], b["matched"], b["labelled"]) == (1713, 568, 2281) and 0.2 < b["labelled_match_rate"] < 0.3
    assert (d["pending"], d["labelled_match_rate"], d["window_hours"]) == (592, 0.8783, 48.0)
    assert 0.5 * (1 + 36 / 47) - 0.04 < d["labelled_match_rate"] < 0.5 * (1 + 36 / 47) + 0.04
    assert "must be earlier than its end" in c["rejected"] and c["executions"] == 0
    assert result.key_numbers["lag_window_pending"] == {"-P3D/-P2D": 0, "-P1D/-PT0H": 1713, "-P2D/-P3D": 0, "-P3D/-P1D": 592}
    table = result.tables["two_day_labels"]
    assert table.loc[table["offsets"] == "-P3D/-P2D", "scheduled_time"].tolist() == ["2025-03-06T00:00:00Z", "2025-03-07T00:00:00Z"]


def test_two_day_labels_verdicts_follow_the_label_lag():
    on_time = run_simulation(NAME, preset="labels-on-time", seed=0, question=TWO_DAY)
    assert on_time.correct_letters == ["A", "B"]  # no late labels: yesterday is complete too
    late = run_simulation(NAME, preset="labels-three-days-late", seed=0, question=TWO_DAY)
    assert late.correct_letters == [] and late.outcome("A").evidence["pending"] > 0
    day = run_simulation(NAME, {"max_label_lag_hours": 24}, seed=0, question=TWO_DAY)
    assert day.correct_letters == ["A"] and day.outcome("D").evidence["pending"] == 0  # D still spans two days
    assert "None of these offset pairs" in late.narrative and "One full, fully labelled day per run: -P3D/-P2D." in day.narrative
