"""Ground-truth records, label-date partitions and the merge (reference §2 and §5, F25-F27, F39)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest

from simulations.monitoring.durations import monitoring_window
from simulations.monitoring.ground_truth import (
    GroundTruthFormatError,
    ground_truth_lines,
    join_keys,
    merge_ground_truth,
    read_ground_truth,
    write_ground_truth,
)

UTC = timezone.utc


def t(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def captured_frame(rows) -> pd.DataFrame:
    """The shape part 1's read_captured returns: event_id, inference_id (None when absent), inference_time, ..."""
    frame = pd.DataFrame(rows, columns=["event_id", "inference_id", "inference_time", "score"])
    frame["inference_time"] = pd.to_datetime(frame["inference_time"], utc=True)
    return frame


def labels_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_id", "label", "label_time"])
    frame["label_time"] = pd.to_datetime(frame["label_time"], utc=True)
    return frame


def test_record_shape_is_the_documented_one():
    line = ground_truth_lines(labels_frame([("42", "1", "2024-05-01T10:00Z")])).iloc[0]
    assert json.loads(line) == {
        "groundTruthData": {"data": "1", "encoding": "CSV"},
        "eventMetadata": {"eventId": "42"},
        "eventVersion": "0",
    }


def test_lines_escape_unusual_ids():
    line = ground_truth_lines(labels_frame([('a"b\\c', 0, "2024-05-01T10:00Z")])).iloc[0]
    assert json.loads(line)["eventMetadata"]["eventId"] == 'a"b\\c'
    assert json.loads(line)["groundTruthData"]["data"] == "0"


def test_files_are_partitioned_by_label_date_not_inference_date(tmp_path):
    # inferences happened on 2024-05-01; the labels were collected two days later
    labels = labels_frame(
        [
            ("a", "1", "2024-05-03T08:05:00Z"),
            ("b", "0", "2024-05-03T08:20:00Z"),
            ("c", "1", "2024-05-03T09:01:02Z"),
        ]
    )
    paths = write_ground_truth(labels, tmp_path / "gt")
    assert [p.relative_to(tmp_path / "gt").as_posix() for p in paths] == [
        "2024/05/03/08/2000.jsonl",  # named after the upload: the latest label time in the hour
        "2024/05/03/09/0102.jsonl",
    ]
    assert len(paths[0].read_text().splitlines()) == 2


def test_write_never_overwrites_and_round_trips(tmp_path):
    first = labels_frame([("a", "1", "2024-05-03T08:20:00Z")])
    second = labels_frame([("b", "0", "2024-05-03T08:20:00Z")])
    p1 = write_ground_truth(first, tmp_path)[0]
    p2 = write_ground_truth(second, tmp_path)[0]
    assert (p1.name, p2.name) == ("2000.jsonl", "2000-1.jsonl")
    back = read_ground_truth(tmp_path)
    assert sorted(back["event_id"]) == ["a", "b"]
    assert set(back["label_time"]) == {pd.Timestamp("2024-05-03T08:20:00Z")}


def test_read_until_skips_later_uploads(tmp_path):
    write_ground_truth(
        labels_frame([("a", "1", "2024-05-03T08:20:00Z"), ("b", "0", "2024-05-03T10:00:00Z")]), tmp_path
    )
    assert list(read_ground_truth(tmp_path, until=t(2024, 5, 3, 9))["event_id"]) == ["a"]
    assert len(read_ground_truth(tmp_path / "nothing-here")) == 0


@pytest.mark.parametrize(
    "line, problem",
    [
        ("{not json", "not valid JSON"),
        ('["a"]', "a record must be a JSON object"),
        ('{"eventMetadata": {"eventId": "1"}, "eventVersion": "0"}', "missing groundTruthData.data"),
        ('{"groundTruthData": {"data": 1, "encoding": "CSV"}, "eventMetadata": {"eventId": "1"}, "eventVersion": "0"}',
         "groundTruthData.data must be a string"),
        ('{"groundTruthData": {"data": "1", "encoding": "JSON"}, "eventMetadata": {"eventId": "1"}, "eventVersion": "0"}',
         'encoding must be "CSV"'),
        ('{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {}, "eventVersion": "0"}',
         "missing eventMetadata.eventId"),
        ('{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "1"}}',
         "missing eventVersion"),
    ],
)
def test_malformed_line_reports_file_and_line(tmp_path, line, problem):
    folder = tmp_path / "2024/05/03/08"
    folder.mkdir(parents=True)
    good = '{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "ok"}, "eventVersion": "0"}'
    path = folder / "2000.jsonl"
    path.write_text(good + "\n\n" + line + "\n")
    with pytest.raises(GroundTruthFormatError) as info:
        read_ground_truth(tmp_path)
    assert str(info.value).startswith(f"{path}:3: ")
    assert problem in str(info.value)


def test_join_key_is_inference_id_when_present_else_event_id():
    captured = captured_frame(
        [("e1", "42", "2024-05-01T10:00Z", 0.1), ("e2", None, "2024-05-01T10:01Z", 0.2), ("e3", np.nan, "2024-05-01T10:02Z", 0.3)]
    )
    assert list(join_keys(captured)) == ["42", "e2", "e3"]


def test_merge_by_inference_id_vs_event_id():
    captured = captured_frame(
        [
            ("e1", "42", "2024-05-01T10:00Z", 0.9),  # joins on its inferenceId "42"
            ("e2", None, "2024-05-01T10:10Z", 0.2),  # no inferenceId: joins on its eventId
            ("e3", "43", "2024-05-01T10:20Z", 0.7),  # a label keyed on its eventId does NOT match
        ]
    )
    labels = labels_frame(
        [("42", "1", "2024-05-02T00:00Z"), ("e2", "0", "2024-05-02T00:00Z"), ("e3", "1", "2024-05-02T00:00Z")]
    )
    result = merge_ground_truth(captured, labels, t(2024, 5, 1), t(2024, 5, 2))
    assert list(result.merged["event_id"]) == ["e1", "e2"]
    assert list(result.merged["label"]) == ["1", "0"]
    assert list(result.merged["score"]) == [0.9, 0.2]
    assert (result.in_window, result.matched, result.unmatched) == (3, 2, 1)


def test_window_excludes_records_outside_start_end():
    """F39: labels arrive 3 days late -> -P3D/-P1D; the end is exclusive."""
    start, end = monitoring_window(t(2024, 5, 10, 0), "-P3D", "-P1D")  # [05-07, 05-09)
    captured = captured_frame(
        [
            ("before", None, "2024-05-06T23:59:59Z", 0.1),
            ("first", None, "2024-05-07T00:00:00Z", 0.2),
            ("inside", None, "2024-05-08T12:00:00Z", 0.3),
            ("at-end", None, "2024-05-09T00:00:00Z", 0.4),
        ]
    )
    labels = labels_frame([(e, "1", "2024-05-09T00:00Z") for e in ["before", "first", "inside", "at-end"]])
    result = merge_ground_truth(captured, labels, start, end)
    assert list(result.merged["event_id"]) == ["first", "inside"]
    assert (result.in_window, result.matched, result.unmatched) == (2, 2, 0)


def test_labels_not_yet_available_do_not_match():
    captured = captured_frame([("a", None, "2024-05-01T10:00Z", 0.1), ("b", None, "2024-05-01T11:00Z", 0.2)])
    labels = labels_frame([("a", "1", "2024-05-02T09:00Z"), ("b", "0", "2024-05-04T09:00Z")])
    result = merge_ground_truth(captured, labels, t(2024, 5, 1), t(2024, 5, 2), labels_available_at=t(2024, 5, 3))
    assert list(result.merged["event_id"]) == ["a"]
    assert (result.matched, result.unmatched, result.labels_not_yet_available) == (1, 1, 1)


def test_latest_label_wins_for_a_repeated_key():
    captured = captured_frame([("a", None, "2024-05-01T10:00Z", 0.1)])
    labels = labels_frame([("a", "0", "2024-05-02T10:00Z"), ("a", "1", "2024-05-02T09:00Z")])
    result = merge_ground_truth(captured, labels, t(2024, 5, 1), t(2024, 5, 2))
    assert list(result.merged["label"]) == ["0"]
    assert result.matched == 1


def test_merge_round_trip_through_files(tmp_path):
    rng = np.random.default_rng(7)
    n = 2_000
    ids = [f"evt-{i}" for i in range(n)]
    inference = pd.Series([str(i) if i % 2 else None for i in range(n)], dtype=object)
    captured = pd.DataFrame(
        {
            "event_id": ids,
            "inference_id": inference,
            "inference_time": pd.date_range("2024-05-01", periods=n, freq="min", tz="UTC"),
            "score": rng.random(n),
        }
    )
    keys = join_keys(captured)
    labelled = rng.random(n) < 0.8  # 80 % of the records get a label
    labels = pd.DataFrame(
        {
            "event_id": keys[labelled].to_numpy(),
            "label": rng.integers(0, 2, labelled.sum()),
            "label_time": captured["inference_time"][labelled].to_numpy() + pd.Timedelta(days=2),
        }
    )
    write_ground_truth(labels, tmp_path)
    back = read_ground_truth(tmp_path)
    assert len(back) == labelled.sum()
    result = merge_ground_truth(captured, back, t(2024, 5, 1), t(2024, 5, 3))
    assert result.in_window == n
    assert result.matched == labelled.sum()
    assert set(result.merged["event_id"]) == set(np.array(ids)[labelled])


def test_merge_input_errors():
    captured = captured_frame([("a", None, "2024-05-01T10:00Z", 0.1)])
    labels = labels_frame([("a", "1", "2024-05-02T09:00Z")])
    with pytest.raises(ValueError, match=r"captured is missing column\(s\) \['inference_id'\]"):
        merge_ground_truth(captured.drop(columns="inference_id"), labels, t(2024, 5, 1), t(2024, 5, 2))
    with pytest.raises(ValueError, match="must be before window_end"):
        merge_ground_truth(captured, labels, t(2024, 5, 2), t(2024, 5, 1))
    with pytest.raises(ValueError, match="already has column"):
        merge_ground_truth(captured.assign(label=1), labels, t(2024, 5, 1), t(2024, 5, 2))
    with pytest.raises(ValueError, match="needs a label_time column"):
        merge_ground_truth(captured, labels.drop(columns="label_time"), t(2024, 5, 1), t(2024, 5, 2), t(2024, 5, 3))
    with pytest.raises(ValueError, match="no event_id or no label"):
        ground_truth_lines(labels_frame([("a", None, "2024-05-02T09:00Z")]))


def test_scheduled_model_quality_job_needs_offsets_that_wait_for_labels():
    """F39: labels arrive two days after each inference. A window ending at the scheduled time finds
    no labels and the execution fails; -P3D/-P1D finds labels for the older half of its window only;
    a window that ends two days back (-P4D/-P2D) has every label."""
    from datetime import timedelta

    from simulations.monitoring.clock import SimulatedClock
    from simulations.monitoring.cron import CronExpressionGenerator
    from simulations.monitoring.schedule import ModelMonitorService, MonitoringJobError, MonitoringSchedule

    inference_times = pd.date_range("2024-05-01", "2024-05-10", freq="30min", tz="UTC", inclusive="left")
    captured = pd.DataFrame(
        {"event_id": [f"e{i}" for i in range(len(inference_times))], "inference_id": None,
         "inference_time": inference_times, "score": 0.5}
    )  # fmt: skip
    labels = pd.DataFrame(
        {"event_id": captured["event_id"], "label": "1", "label_time": inference_times + pd.Timedelta(days=2)}
    )
    clock = SimulatedClock(t(2024, 5, 6, 23, 30))
    service = ModelMonitorService(clock)
    service.create_endpoint("churn")

    def job(start, end):
        result = merge_ground_truth(captured, labels, start, end, labels_available_at=clock.now)
        if result.matched == 0:
            raise MonitoringJobError(f"no ground truth for the {result.in_window} captured records in the window")
        return {"violations": [], "matched": result.matched, "unmatched": result.unmatched}

    daily = CronExpressionGenerator.daily(0)
    for name, start, end in [("now", "-PT24H", "-PT0H"), ("p3d", "-P3D", "-P1D"), ("p4d", "-P4D", "-P2D")]:
        service.create_monitoring_schedule(MonitoringSchedule(name, "churn", daily, job, start, end, "ModelQuality"))
    clock.advance(timedelta(hours=1))  # every schedule runs at 2024-05-07T00:00

    now, p3d, p4d = (service.list_monitoring_executions(name)[0] for name in ("now", "p3d", "p4d"))
    assert now.status == "Failed"
    assert now.failure_reason == "no ground truth for the 48 captured records in the window"
    assert (p3d.status, p3d.report["matched"], p3d.report["unmatched"]) == ("Completed", 49, 47)
    assert (p4d.status, p4d.report["matched"], p4d.report["unmatched"]) == ("Completed", 96, 0)
