"""Pre-/post-processing hooks (F28-F30): flatten, drop with [], exclude None, logger arity, postprocess."""

from __future__ import annotations

import json
import logging
import random
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.hooks import (
    CapturedPayload,
    EventMetadata,
    InferenceRecord,
    PreprocessingError,
    apply_preprocessing,
    load_handler,
    run_job,
)
from simulations.monitoring.schedule import ModelMonitorService, MonitoringSchedule

CAPTURE = {  # reference §1
    "captureData": {
        "endpointInput": {"observedContentType": "text/csv", "mode": "INPUT", "data": "69,0,153.7,109", "encoding": "CSV"},
        "endpointOutput": {"observedContentType": "text/csv; charset=utf-8", "mode": "OUTPUT", "data": "0.0254", "encoding": "CSV"},
    },
    "eventMetadata": {"eventId": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "inferenceId": "42", "inferenceTime": "2022-02-14T17:25:49Z"},
    "eventVersion": "0",
}


def record(inputs: str, outputs: str = "0.5", event_id: str = "e") -> InferenceRecord:
    return InferenceRecord(
        CapturedPayload(inputs), CapturedPayload(outputs, mode="OUTPUT"), EventMetadata(event_id)
    )


def test_record_from_a_capture_line():
    rec = InferenceRecord.from_capture(json.loads(json.dumps(CAPTURE)))
    assert rec.endpoint_input.data == "69,0,153.7,109"
    assert rec.endpoint_output.data == "0.0254"
    assert rec.endpoint_output.observed_content_type == "text/csv; charset=utf-8"
    assert rec.event_metadata.event_id == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    assert rec.event_metadata.inference_id == "42"
    assert rec.event_metadata.inference_time == "2022-02-14T17:25:49Z"
    assert rec.event_version == "0"
    with pytest.raises(ValueError, match="not a data-capture record"):
        InferenceRecord.from_capture({"eventMetadata": {}})


def test_flatten_array_output_into_prediction_columns():
    def preprocess_handler(inference_record):
        probabilities = json.loads(inference_record.endpoint_output.data)
        row = {f"prediction{i}": p for i, p in enumerate(probabilities)}
        feature_a, feature_b = inference_record.endpoint_input.data.split(",")
        return {**row, "feature_a": feature_a, "feature_b": feature_b}

    records = [record("3,x", "[0.1, 0.9]"), record("5,y", "[0.7, 0.3]")]
    frame, stats = apply_preprocessing(records, preprocess_handler)
    assert list(frame.columns) == ["prediction0", "prediction1", "feature_a", "feature_b"]
    assert frame["prediction1"].tolist() == [0.9, 0.3]
    assert frame["feature_a"].tolist() == [3, 5]  # numeric text is read as numbers
    assert pd.api.types.is_integer_dtype(frame["feature_a"])
    assert frame["feature_b"].tolist() == ["x", "y"]
    assert stats.as_dict() == {"kept": 2, "dropped": 0, "excluded_values": 0}


def test_empty_list_drops_records_for_custom_sampling():
    rng = random.Random(7)

    def preprocess_handler(inference_record):
        if rng.random() > 0.1:  # keep about 10 %
            return []
        return {"x": inference_record.endpoint_input.data}

    expected_rng = random.Random(7)
    expected_kept = sum(expected_rng.random() <= 0.1 for _ in range(2_000))
    frame, stats = apply_preprocessing([record(str(i)) for i in range(2_000)], preprocess_handler)
    assert stats.kept == expected_kept == len(frame)
    assert stats.dropped == 2_000 - expected_kept
    assert 0.87 < stats.drop_ratio < 0.93


def test_none_values_are_excluded_sentinels():
    def preprocess_handler(inference_record):
        values = [int(v) for v in inference_record.endpoint_input.data.split(",")]
        return {f"f{i}": None if v == -1 else v for i, v in enumerate(values)}

    frame, stats = apply_preprocessing([record("1,-1,3"), record("4,5,-1"), record("7,8,9")], preprocess_handler)
    assert stats.excluded_values == 2
    assert frame["f1"].isna().tolist() == [True, False, False]
    assert frame["f2"].notna().mean() == pytest.approx(2 / 3)  # completeness falls, no -1 is averaged
    assert frame["f1"].mean() == pytest.approx(6.5)


def test_aws_sentinel_example_compares_text_with_a_number():
    """The documented example tests `x == -1` on CSV *strings*, so it excludes nothing."""

    def preprocess_handler(inference_record):
        input_data = inference_record.endpoint_input.data
        return {i: None if x == -1 else x for i, x in enumerate(input_data.split(","))}

    frame, stats = apply_preprocessing([record("1,-1,3")], preprocess_handler)
    assert stats.excluded_values == 0
    assert frame.columns.tolist() == ["0", "1", "2"]
    assert frame["1"].tolist() == [-1]


def test_logger_arity_is_detected(caplog):
    seen = []

    def with_logger(inference_record, logger):
        seen.append(logger)
        logger.warning("record %s has a missing value", inference_record.event_metadata.event_id)
        return {"a": 1}

    with caplog.at_level(logging.INFO):
        apply_preprocessing([record("1", event_id="e7")], with_logger)
    assert "record e7 has a missing value" in caplog.text
    mine = logging.getLogger("test.hooks")
    apply_preprocessing([record("1")], with_logger, logger=mine)
    assert seen[-1] is mine

    def one_argument(inference_record):
        return {"a": 1}

    assert len(apply_preprocessing([record("1")], one_argument)[0]) == 1

    def three_arguments(a, b, c):
        return {}

    with pytest.raises(TypeError, match=r"\(inference_record\) or \(inference_record, logger\)"):
        apply_preprocessing([record("1")], three_arguments)


def test_returning_the_record_keeps_it_unchanged():
    def log_only(inference_record, logger):
        logger.info("I'm a processing record: %s", inference_record)
        return inference_record

    frame, stats = apply_preprocessing([record("69,0,153.7")], log_only)
    assert frame.iloc[0].tolist() == [69, 0, 153.7]
    assert list(frame.columns) == ["_c0", "_c1", "_c2"]
    json_record = InferenceRecord(CapturedPayload('{"a": 1}', encoding="JSON"), None, EventMetadata("e"))
    with pytest.raises(PreprocessingError, match="only CSV input can be used as it is"):
        apply_preprocessing([json_record], lambda r: r)


def test_batch_transform_records_are_str_or_dict():
    def preprocess_handler(inference_record):
        if isinstance(inference_record, str):
            age, income = inference_record.split(",")
            return {"age": age, "income": income}
        return {"age": inference_record["age"], "income": inference_record["income"]}

    frame, _ = apply_preprocessing(["31,5200", {"age": 44, "income": 6100}], preprocess_handler)
    assert frame.to_dict("list") == {"age": [31, 44], "income": [5200, 6100]}


@pytest.mark.parametrize(
    "result, message",
    [
        (None, r"returned None for record 0 \(a missing 'return'\?\)"),
        ([{"a": 1}], "returned a non-empty list for record 0"),
        ("a,b", "returned str for record 0"),
        ({"p": [0.1, 0.9]}, r"value for 'p' is a list; .* flatten it \(e.g. p0, p1"),
    ],
)
def test_unusable_results_are_explained(result, message):
    with pytest.raises(PreprocessingError, match=message):
        apply_preprocessing([record("1")], lambda r: result)


def test_postprocess_runs_only_after_a_successful_analysis():
    calls = []

    def postprocess_handler():
        calls.append("post")

    run = run_job([record("1,2")], lambda frame: {"violations": [{"feature_name": "_c0"}]}, postprocess=postprocess_handler)
    assert calls == ["post"] and run.postprocessed
    assert run.report["violations"][0]["feature_name"] == "_c0"
    assert run.stats.kept == 1

    def failing_analysis(frame):
        raise RuntimeError("analysis container crashed")

    with pytest.raises(RuntimeError):
        run_job([record("1,2")], failing_analysis, postprocess=postprocess_handler)
    with pytest.raises(PreprocessingError):
        run_job([record("1,2")], lambda f: {"violations": []}, preprocess=lambda r: None, postprocess=postprocess_handler)
    assert calls == ["post"]


def test_hooks_inside_a_scheduled_execution():
    calls = []
    clock = SimulatedClock(datetime(2024, 5, 1, 10, 30, tzinfo=timezone.utc))
    service = ModelMonitorService(clock)
    service.create_endpoint("churn")

    def job(start, end):
        analyse = (lambda frame: 1 / 0) if len(calls) else (lambda frame: {"violations": []})
        return run_job([record("1")], analyse, postprocess=lambda: calls.append(end)).report

    service.create_monitoring_schedule(MonitoringSchedule("hourly", "churn", "cron(0 * ? * * *)", job))
    clock.advance(timedelta(hours=2))
    statuses = [e.status for e in service.list_monitoring_executions("hourly")]
    assert statuses == ["Completed", "Failed"]
    assert calls == [datetime(2024, 5, 1, 11, tzinfo=timezone.utc)]


def test_load_handler_from_a_script_file(tmp_path):
    script = tmp_path / "preprocessor.py"
    script.write_text(
        "def preprocess_handler(inference_record):\n"
        "    input_data = inference_record.endpoint_input.data\n"
        "    output_data = inference_record.endpoint_output.data.rstrip('\\n')\n"
        "    data = output_data + ',' + input_data\n"
        "    return {str(i).zfill(20): d for i, d in enumerate(data.split(','))}\n"
    )
    handler = load_handler(script)
    frame, _ = apply_preprocessing([InferenceRecord.from_capture(CAPTURE)], handler)
    assert frame.columns[0] == "0" * 20
    assert frame.iloc[0].tolist() == [0.0254, 69, 0, 153.7, 109]
    with pytest.raises(ValueError, match=r"defines no function postprocess_handler\(\)"):
        load_handler(script, "postprocess_handler")
    with pytest.raises(FileNotFoundError):
        load_handler(tmp_path / "missing.py")
