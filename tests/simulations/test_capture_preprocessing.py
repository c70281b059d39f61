"""capture-preprocessing: only a pre-processing script flattens, drops the sentinel and samples."""

from __future__ import annotations

import json
import math

import pytest

from simulations.params import ParameterError
from simulations.registry import for_question_result, run_simulation, run_world
from simulations.result import SimulationResult

NAME = "capture-preprocessing"


@pytest.fixture(scope="module")
def default():
    return run_simulation(NAME, seed=0)



def test_same_seed_same_result_and_different_seed_different_numbers(default):
    assert run_simulation(NAME, seed=0).to_dict() == default.to_dict()
    other = run_simulation(NAME, seed=1)
    assert other.key_numbers["true_mean_days"] != default.key_numbers["true_mean_days"]
    assert other.key_numbers["b_share_analysed"] != default.key_numbers["b_share_analysed"]


def test_json_round_trip(default):
    back = SimulationResult.from_dict(json.loads(default.to_json()))
    assert back.to_dict() == default.to_dict()
    assert back.correct_letters == ["B"]


def test_only_b_works_on_the_numbers(default):
    assert default.question_id == "preprocess-flatten-predictions"
    assert [o.letter for o in default.outcomes] == ["A", "B", "C", "D"]
    assert default.correct_letters == ["B"]
    a, b, c, d = (default.outcome(k).evidence for k in "ABCD")
    assert abs(b["share_analysed"] - 0.10) < 0.03 and b["records_dropped_by_script"] > 8 * b["rows_analysed"]
    assert b["optional_min"] >= 0 and abs(b["mean_error"]) <= b["mean_tolerance"]
    assert b["prediction_columns"] == 3 and b["values_excluded"] > 0
    assert max(abs(x - y) for x, y in zip(b["prediction_means"], b["true_prediction_means"])) < 0.05
    assert abs(b["optional_completeness"] - (1 - b["true_missing_share"])) < 0.08  # missing values stay missing
    for e in (a, c, d):
        assert e["prediction_columns"] == 0 and e["optional_min"] == -1
        assert e["optional_mean"] < e["true_mean"] - e["mean_tolerance"]  # the sentinel drags the mean down
        assert e["optional_completeness"] == 1.0  # ... and hides the missing values
    assert a["share_analysed"] == c["share_analysed"] == 1.0
    assert abs(d["share_analysed"] - 0.10) < 0.03 and d["sampled"] and not default.outcome("D").works


def test_a_sees_spark_column_names_and_the_engine_refuses_an_unflattened_array(default):
    a = default.outcome("A").evidence
    assert a["columns"] == ["_c0", "_c1", "_c2"]
    assert "flatten it" in a["unflattened_array_error"]
    assert "flatten it" in default.artifact_text("monitoring/option-a/unflattened-array-error.txt")


def test_c_postprocessing_runs_after_the_analysis_and_changes_nothing(default):
    c = default.outcome("C").evidence
    assert c["call_order"] == ["analysis", "postprocess"]
    assert c["postprocess_ran"] is True and c["same_statistics_as_a"] is True


def test_artifacts(default):
    capture = next(a for a in default.artifacts if a.path.startswith("data-capture/segment-endpoint/AllTraffic/2025/03/03/"))
    record = json.loads(capture.content.splitlines()[0])
    output = record["captureData"]["endpointOutput"]
    assert output["observedContentType"] == "application/json" and output["encoding"] == "JSON"
    assert isinstance(json.loads(output["data"]), list) and len(json.loads(output["data"])) == 3
    assert record["captureData"]["endpointInput"]["encoding"] == "CSV"
    assert "def preprocess_handler(inference_record, logger)" in default.artifact_text("scripts/preprocessing.py")
    assert "def postprocess_handler()" in default.artifact_text("scripts/postprocessing.py")
    stats_b = json.loads(default.artifact_text("monitoring/option-b/statistics.json"))
    names = [f["name"] for f in stats_b["features"]]
    assert names == ["age", "income", "days_since_last_order", "prediction0", "prediction1", "prediction2"]
    days = next(f for f in stats_b["features"] if f["name"] == "days_since_last_order")["numerical_statistics"]
    assert days["min"] >= 0 and days["common"]["num_missing"] > 0
    stats_a = json.loads(default.artifact_text("monitoring/option-a/statistics.json"))
    assert next(f for f in stats_a["features"] if f["name"] == "_c2")["numerical_statistics"]["min"] == -1
    head = default.artifact_text("monitoring/option-b/preprocessed-head.csv").splitlines()
    assert head[0] == "age,income,days_since_last_order,prediction0,prediction1,prediction2" and len(head) == 21


def test_f21_and_f24_key_numbers(default):
    kn = default.key_numbers
    assert kn["f21_added_latency_ms"] == 0.0
    assert kn["f21_latency_p50_ms_with_capture"] == kn["f21_latency_p50_ms_without_capture"] > 0
    assert "modelled" in kn["f21_latency_note"]
    assert kn["f24_capture_stopped_at"] is None and kn["f24_invocations_not_captured"] == 0
    assert kn["records_captured"] == kn["invocations"]


def test_high_disk_usage_stops_capture():
    half = run_simulation(NAME, {"disk_usage_percent": 65.0}, seed=2)
    kn = half.key_numbers
    assert kn["f24_capture_stopped_at"].startswith("2025-03-03T1")  # 65 % + 20 points x hours/24 hits 75 % at noon
    assert 0.4 * kn["invocations"] < kn["f24_invocations_not_captured"] < 0.6 * kn["invocations"]
    assert kn["records_captured"] == kn["invocations"] - kn["f24_invocations_not_captured"]
    full = run_simulation(NAME, {"disk_usage_percent": 80.0}, seed=2)
    assert full.key_numbers["records_captured"] == 0 and full.correct_letters == []
    assert "nothing to analyse" in full.narrative


def test_other_sample_sizes_and_array_lengths():
    result = run_simulation(NAME, {"sample_percent": 25, "classes": 5, "invocations": 2000}, seed=3)
    b = result.outcome("B").evidence
    assert abs(b["share_analysed"] - 0.25) < 0.04 and b["prediction_columns"] == 5
    assert result.correct_letters == ["B"]
    clean = run_simulation(NAME, {"missing_share": 0.0, "invocations": 1000}, seed=3)
    assert clean.outcome("A").evidence["optional_min"] >= 0  # no sentinel to corrupt anything ...
    assert clean.outcome("A").evidence["sentinel_excluded"] is True
    assert clean.correct_letters == ["B"]  # ... but the array is still not flattened


@pytest.mark.parametrize(("params", "name"), [
    ({"sample_percent": 0}, "sample_percent"),
    ({"classes": 1}, "classes"),
    ({"missing_share": 0.95}, "missing_share"),
    ({"disk_usage_percent": 101}, "disk_usage_percent"),
    ({"invocations": 10}, "invocations"),
])
def test_out_of_range_parameters_are_rejected(params, name):
    with pytest.raises(ParameterError, match=f"parameter '{name}'"):
        run_simulation(NAME, params)


def test_the_no_sentinel_control_changes_what_the_script_has_to_do():
    control = run_simulation(NAME, preset="no-sentinel-no-sampling", seed=0)
    a, b, d = (control.outcome(x) for x in "ABD")
    sentinel = lambda o: next(c for c in o.criteria if c.name == "the -1 sentinel kept out of the statistics")  # noqa: E731
    assert sentinel(a).passed and sentinel(d).passed  # nothing to exclude when nobody sends -1
    assert not a.works and a.failed[0].name == "class probabilities analysed as columns"  # the array still needs flattening
    assert b.works and b.evidence["values_excluded"] == 0 and b.evidence["records_dropped_by_script"] == 0
    assert "keeps every record" in control.narrative and "sentinel does no harm" in control.narrative


# -- capture-sampling-volume: 60,000 requests per hour, InitialSamplingPercentage 20, hourly schedule --------------
VOLUME = "capture-sampling-volume"


@pytest.fixture(scope="module")
def volume_worlds():
    return {preset: run_world(NAME, seed=0, preset=preset) for preset in ("default", "capture-everything", "capture-80-percent")}


def lettered_volume(world):
    return for_question_result(world, VOLUME)


def test_volume_only_b_works_and_each_execution_analyses_the_captured_hour(volume_worlds):
    result = lettered_volume(volume_worlds["default"])
    assert result.question_id == VOLUME and [o.letter for o in result.outcomes] == ["A", "B", "C", "D"]
    assert result.correct_letters == ["B"]
    kn = result.key_numbers
    assert kn["volume_requests_served_per_hour"] == [60_000]
    sd = math.sqrt(60_000 * 0.2 * 0.8)  # binomial: about 98
    assert abs(kn["volume_records_captured_per_hour"][0] - 12_000) <= 4 * sd
    # the job analyses every record of its hour's capture prefix: no second sampling
    assert kn["volume_records_analysed_per_execution"] == kn["volume_records_captured_per_hour"]
    assert kn["volume_analysed_of_captured"] == 1.0
    assert abs(kn["volume_captured_share"] - 0.2) < 0.01 and abs(kn["volume_excluded_share"] - 0.8) < 0.01
    table = result.tables["hourly_executions"]
    assert table["scheduled"].tolist() == ["2025-03-04T01:00:00Z"] and table["prefix"].tolist() == ["2025/03/04/00"]
    assert set(table["status"]) <= {"Completed", "CompletedWithViolations"}
    assert "B's claimed count is within 10% of the records analysed and its reason holds" in result.narrative


def test_volume_several_hours_each_execution_reads_its_own_hour():
    result = run_simulation(NAME, {"requests_per_hour": 5000, "monitored_hours": 3, "invocations": 1000}, seed=4, question=VOLUME)
    table = result.tables["hourly_executions"]
    assert table["scheduled"].tolist() == ["2025-03-04T01:00:00Z", "2025-03-04T02:00:00Z", "2025-03-04T03:00:00Z"]
    assert table["prefix"].tolist() == ["2025/03/04/00", "2025/03/04/01", "2025/03/04/02"]
    assert table["requests_served"].tolist() == [5000] * 3
    assert table["records_analysed"].tolist() == table["records_captured"].tolist()
    for captured in table["records_captured"]:
        assert abs(captured - 1000) <= 4 * math.sqrt(5000 * 0.2 * 0.8)
    assert result.correct_letters == []  # ~1,000 per execution: no option's count (60,000 / 12,000 / 2,400 / 48,000) fits


def test_volume_probe_shows_the_setting_decides_what_is_captured(volume_worlds):
    kn = volume_worlds["default"].key_numbers
    assert kn["volume_probe_requests"] == 6000 and kn["volume_probe_setting_percent"] == 100
    assert kn["volume_probe_captured_at_probe_setting"] == 6000
    assert abs(kn["volume_probe_captured_at_setting"] - 1200) <= 4 * math.sqrt(6000 * 0.2 * 0.8)
    a = lettered_volume(volume_worlds["default"]).outcome("A")
    assert [c.passed for c in a.criteria] == [False, False] and a.criteria[1].measured > 3  # 6000 vs ~1200


def test_volume_each_wrong_option_fails_on_count_and_on_its_mechanism(volume_worlds):
    result = lettered_volume(volume_worlds["default"])
    c, d = result.outcome("C"), result.outcome("D")
    assert c.criteria[0].measured > 3  # ~12,000 analysed vs 2,400 claimed
    assert abs(c.criteria[1].measured - 0.8) < 0.01  # analysed share 1.0, not 0.2 again
    assert abs(d.criteria[0].measured - 0.75) < 0.01  # ~12,000 vs 48,000
    assert abs(d.criteria[1].measured - 0.6) < 0.01  # 80 % left out, not 20 %


def test_volume_statistics_and_capture_artifacts(volume_worlds):
    world = volume_worlds["default"]
    stats = json.loads(world.artifact_text("recommendation/monitoring/first-execution/statistics.json"))
    assert stats["dataset"]["item_count"] == world.key_numbers["volume_records_analysed_per_execution"][0]
    assert [f["name"] for f in stats["features"]] == ["user_age", "items_viewed", "session_minutes"]
    capture = next(a for a in world.artifacts if a.path.startswith("recommendation/recommendation-endpoint/AllTraffic/2025/03/04/00/"))
    record = json.loads(capture.content.splitlines()[0])
    assert set(record["captureData"]) == {"endpointInput", "endpointOutput"}  # input and output captured


def test_capture_everything_makes_a_count_right_but_not_its_reason(volume_worlds):
    result = lettered_volume(volume_worlds["capture-everything"])
    kn = result.key_numbers
    assert kn["volume_records_analysed_per_execution"] == [60_000] == kn["volume_records_captured_per_hour"]
    assert kn["volume_probe_setting_percent"] == 50
    assert result.correct_letters == []
    a, b = result.outcome("A"), result.outcome("B")
    assert a.criteria[0].passed and not a.criteria[1].passed  # 60,000 is right; "retention only" is not
    assert [c.passed for c in b.criteria] == [False, True, True]  # mechanism holds, 12,000 does not
    assert "A's claimed count is within 10% of the records analysed, but its reason fails, so no option works here" in result.narrative
    assert for_question_result(volume_worlds["capture-everything"], None).correct_letters == ["B"]  # the other question


def test_capture_80_percent_makes_d_count_right_but_not_its_reason(volume_worlds):
    result = lettered_volume(volume_worlds["capture-80-percent"])
    d = result.outcome("D")
    assert d.criteria[0].passed and not d.criteria[1].passed  # ~48,000, but 20 % left out, not 80 %
    assert result.correct_letters == []
    for analysed in result.key_numbers["volume_records_analysed_per_execution"]:
        assert abs(analysed - 48_000) <= 4 * math.sqrt(60_000 * 0.8 * 0.2)


def test_volume_parameters_are_validated():
    for params, name in (({"initial_sampling_percentage": 0}, "initial_sampling_percentage"),
                         ({"requests_per_hour": 10}, "requests_per_hour"), ({"monitored_hours": 7}, "monitored_hours")):
        with pytest.raises(ParameterError, match=f"parameter '{name}'"):
            run_simulation(NAME, params)
