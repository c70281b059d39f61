"""Data capture: record shape, S3-style layout, sampling, the bulk writer and the reader."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from simulations.monitoring import CaptureFormatError, CapturingEndpoint, capture_frame, read_captured
from simulations.monitoring.capture import _uuid4_strings

T0 = datetime(2022, 2, 14, 17, 25, 49, tzinfo=timezone.utc)


def jsonl_files(root) -> list:
    return sorted(root.rglob("*.jsonl"))


def records(root) -> list[dict]:
    return [json.loads(line) for path in jsonl_files(root) for line in path.read_text().splitlines()]


def model(payload):
    return 0.0254


def test_a_record_has_the_real_capture_shape(tmp_path):
    endpoint = CapturingEndpoint("churn-endpoint", "AllTraffic", model, tmp_path, seed=3)
    assert endpoint.invoke("69,0,153.7,109", inference_id="42", at=T0) == 0.0254
    (path,) = jsonl_files(tmp_path)
    (line,) = path.read_text().splitlines()
    record = json.loads(line)
    event_id = record["eventMetadata"]["eventId"]
    assert record == {
        "captureData": {
            "endpointInput": {"observedContentType": "text/csv", "mode": "INPUT", "data": "69,0,153.7,109", "encoding": "CSV"},
            "endpointOutput": {"observedContentType": "text/csv", "mode": "OUTPUT", "data": "0.0254", "encoding": "CSV"},
        },
        "eventMetadata": {"eventId": event_id, "inferenceId": "42", "inferenceTime": "2022-02-14T17:25:49Z"},
        "eventVersion": "0",
    }
    assert uuid.UUID(event_id).version == 4
    assert list(record["eventMetadata"]) == ["eventId", "inferenceId", "inferenceTime"]


def test_files_are_grouped_by_the_utc_hour_of_the_invocation(tmp_path):
    endpoint = CapturingEndpoint("ep", "variant-a", model, tmp_path)
    seoul = timezone(timedelta(hours=9))
    endpoint.invoke([1, 2], at=datetime(2022, 2, 15, 2, 30, tzinfo=seoul))  # 2022-02-14 17:30 UTC
    endpoint.invoke([1, 2], at=datetime(2022, 2, 14, 17, 59, 59))  # naive = UTC, same hour: same file
    endpoint.invoke([1, 2], at=datetime(2022, 2, 14, 18, 0, 0))
    files = [p.relative_to(tmp_path).as_posix() for p in jsonl_files(tmp_path)]
    assert len(files) == 2
    assert re.fullmatch(r"ep/variant-a/2022/02/14/17/30-00-000-[0-9a-f]{8}\.jsonl", files[0])
    assert re.fullmatch(r"ep/variant-a/2022/02/14/18/00-00-000-[0-9a-f]{8}\.jsonl", files[1])
    assert len(jsonl_files(tmp_path)[0].read_text().splitlines()) == 2
    assert [r["eventMetadata"]["inferenceTime"] for r in records(tmp_path)] == [
        "2022-02-14T17:30:00Z", "2022-02-14T17:59:59Z", "2022-02-14T18:00:00Z"]


def test_inference_id_only_when_given_and_ids_are_seeded(tmp_path):
    def run(seed, folder):
        endpoint = CapturingEndpoint("ep", "v", model, tmp_path / folder, seed=seed)
        for i in range(5):
            endpoint.invoke([i], inference_id=None if i % 2 else str(i), at=T0 + timedelta(seconds=i))
        return records(tmp_path / folder)

    first, again, other = run(1, "a"), run(1, "b"), run(2, "c")
    assert ["inferenceId" in r["eventMetadata"] for r in first] == [True, False, True, False, True]
    ids = [r["eventMetadata"]["eventId"] for r in first]
    assert ids == [r["eventMetadata"]["eventId"] for r in again]
    assert len(set(ids)) == 5 and not set(ids) & {r["eventMetadata"]["eventId"] for r in other}


def test_sampling_percentage_keeps_about_that_share(tmp_path):
    endpoint = CapturingEndpoint("ep", "v", model, tmp_path, sampling_percentage=30, seed=11)
    for i in range(2_000):
        endpoint.invoke([i], at=T0)
    assert endpoint.invocations == 2_000
    assert 540 <= endpoint.captured <= 660  # 30 % of 2,000 = 600, +-10 %
    assert len(records(tmp_path)) == endpoint.captured
    none = CapturingEndpoint("ep", "v", model, tmp_path / "none", sampling_percentage=0)
    none.invoke([1], at=T0)
    assert none.captured == 0 and not jsonl_files(tmp_path / "none")

    frame = pd.DataFrame({"x": np.arange(5_000.0)})
    captured = capture_frame("ep", "v", frame, frame["x"] * 2, tmp_path / "bulk", times=T0, sampling_percentage=20, seed=5)
    assert 900 <= len(captured) <= 1_100
    assert len(records(tmp_path / "bulk")) == len(captured)


def test_capture_modes_and_content_types(tmp_path):
    only_input = CapturingEndpoint("ep", "v", model, tmp_path / "in", capture_mode="Input")
    only_input.invoke({"age": 3}, content_type="application/json", at=T0)
    (record,) = records(tmp_path / "in")
    assert list(record["captureData"]) == ["endpointInput"]
    assert record["captureData"]["endpointInput"] == {"observedContentType": "application/json", "mode": "INPUT",
                                                      "data": '{"age": 3}', "encoding": "JSON"}
    only_output = CapturingEndpoint("ep", "v", model, tmp_path / "out", capture_mode="Output")
    only_output.invoke(b"\x00\x01", content_type="application/x-npy", accept="text/csv", at=T0)
    (record,) = records(tmp_path / "out")
    assert list(record["captureData"]) == ["endpointOutput"]
    binary = CapturingEndpoint("ep", "v", lambda p: p, tmp_path / "b64")
    binary.invoke(b"\x00\x01", content_type="application/x-npy", at=T0)
    (record,) = records(tmp_path / "b64")
    assert record["captureData"]["endpointInput"]["data"] == "AAE=" and record["captureData"]["endpointInput"]["encoding"] == "BASE64"


def test_bulk_lines_equal_what_invoke_writes(tmp_path):
    inputs = pd.DataFrame({"age": [34, 51], "income": [52_000.5, np.nan], "state": ["CA", "New York, NY"]})
    predictions = np.array([0.25, 0.75])
    captured = capture_frame("ep", "v", inputs, predictions, tmp_path / "bulk", times=[T0, T0 + timedelta(seconds=1)],
                             inference_ids=["a-1", None])
    bulk_lines = [line for path in jsonl_files(tmp_path / "bulk") for line in path.read_text().splitlines()]
    endpoint = CapturingEndpoint("ep", "v", lambda p: predictions[0 if p[0] == 34 else 1], tmp_path / "one")
    for i, row in enumerate(inputs.itertuples(index=False)):
        endpoint.invoke([row.age, row.income, row.state], inference_id=[ "a-1", None][i], at=T0 + timedelta(seconds=i))
    single = [json.loads(line) for path in jsonl_files(tmp_path / "one") for line in path.read_text().splitlines()]
    for record, line, event_id in zip(single, bulk_lines, captured["event_id"]):
        record["eventMetadata"]["eventId"] = event_id
        assert json.dumps(record) == line
    assert captured["inference_id"].tolist() == ["a-1", None]
    assert captured["file"].map(lambda f: f.endswith(".jsonl")).all()


def test_bulk_capture_splits_files_by_hour(tmp_path):
    times = pd.date_range("2022-02-14 16:30", periods=240, freq="min", tz="UTC")  # 16:30 .. 20:29
    frame = pd.DataFrame({"x": np.arange(240)})
    captured = capture_frame("ep", "v", frame, frame["x"], tmp_path, times=times, seed=1)
    hours = sorted(p.parent.relative_to(tmp_path / "ep" / "v").as_posix() for p in jsonl_files(tmp_path))
    assert hours == ["2022/02/14/16", "2022/02/14/17", "2022/02/14/18", "2022/02/14/19", "2022/02/14/20"]
    assert captured["file"].nunique() == 5
    assert len(pd.unique(captured["event_id"])) == 240


def test_vectorised_uuid_formatting_matches_the_uuid_module():
    raw = np.random.default_rng(0).bytes(16 * 50)
    expected = [str(uuid.UUID(bytes=raw[16 * i:16 * (i + 1)], version=4)) for i in range(50)]
    assert _uuid4_strings(raw).tolist() == expected


def test_read_captured_round_trips_values_and_filters_the_window(tmp_path):
    inputs = pd.DataFrame({"age": np.arange(100) % 60 + 18, "income": np.linspace(1e4, 9e4, 100) / 3,
                           "state": np.where(np.arange(100) % 3, "CA", "New York, NY")})
    inputs.loc[5, "income"] = np.nan
    times = pd.date_range("2022-02-14 17:00", periods=100, freq="2min", tz="UTC")
    captured = capture_frame("ep", "v", inputs, inputs["income"] / 1e5, tmp_path, times=times,
                             inference_ids=[f"id-{i}" if i % 2 == 0 else None for i in range(100)])
    back = read_captured(tmp_path, "ep", "v", input_columns=["age", "income", "state"])
    assert list(back.columns) == ["event_id", "inference_id", "inference_time", "age", "income", "state", "prediction"]
    assert back["event_id"].tolist() == captured["event_id"].tolist()
    assert back["inference_id"].tolist() == captured["inference_id"].tolist()
    pd.testing.assert_series_equal(back["income"], inputs["income"], check_names=False)  # floats survive exactly
    assert back["age"].tolist() == inputs["age"].tolist() and back["state"].tolist() == inputs["state"].tolist()
    assert back["inference_time"].tolist() == list(times)

    start, end = datetime(2022, 2, 14, 18, 0, tzinfo=timezone.utc), datetime(2022, 2, 14, 19, 0, tzinfo=timezone.utc)
    window = read_captured(tmp_path, "ep", "v", start, end)
    assert len(window) == 30 and window["inference_time"].min() == pd.Timestamp(start)
    assert window["inference_time"].max() < pd.Timestamp(end)
    assert list(window.columns[3:]) == ["_c0", "_c1", "_c2", "prediction"]  # headerless CSV: Spark's names
    assert read_captured(tmp_path, "ep", "other").empty


def test_reader_expands_multi_row_payloads_and_reads_json(tmp_path):
    endpoint = CapturingEndpoint("ep", "v", lambda rows: [[0.1], [0.9]], tmp_path / "csv")
    endpoint.invoke([[1, 2], [3, 4]], at=T0)
    back = read_captured(tmp_path / "csv", "ep", "v")
    assert back[["_c0", "_c1", "prediction"]].values.tolist() == [[1, 2, 0.1], [3, 4, 0.9]]
    assert back["event_id"].nunique() == 1

    endpoint = CapturingEndpoint("ep", "v", lambda p: {"score": 0.3}, tmp_path / "json")
    endpoint.invoke({"age": 30, "state": "CA"}, content_type="application/json", at=T0)
    back = read_captured(tmp_path / "json", "ep", "v")
    assert back[["age", "state", "score"]].values.tolist() == [[30, "CA", 0.3]]


def write_lines(tmp_path, lines: list[str]):
    folder = tmp_path / "ep" / "v" / "2022" / "02" / "14" / "17"
    folder.mkdir(parents=True)
    path = folder / "00-00-000-test.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def good_line(data: str = "1,2") -> str:
    return json.dumps({"captureData": {"endpointInput": {"observedContentType": "text/csv", "mode": "INPUT",
                                                         "data": data, "encoding": "CSV"}},
                       "eventMetadata": {"eventId": "e", "inferenceTime": "2022-02-14T17:00:00Z"}, "eventVersion": "0"})


@pytest.mark.parametrize("bad, message", [
    ('{"captureData": {', r"malformed JSON"),
    ('{"a": 1} {"b": 2}', r"malformed JSON: Extra data"),
    ('{"eventVersion": "0"}', r"not a capture record"),
    (good_line().replace("2022-02-14T17:00:00Z", "yesterday"), r"inferenceTime is not an ISO 8601 time"),
    (good_line("1,2,3"), r"CSV data has 3 fields, earlier records have 2"),
])
def test_a_malformed_line_is_reported_with_its_file_and_line_number(tmp_path, bad, message):
    path = write_lines(tmp_path, [good_line(), good_line(), "", bad])
    with pytest.raises(CaptureFormatError, match=rf"^{re.escape(str(path))}:4: {message}"):
        read_captured(tmp_path, "ep", "v")
    assert issubclass(CaptureFormatError, ValueError)


@pytest.mark.parametrize("kwargs, message", [
    ({"sampling_percentage": 101}, "sampling_percentage must be an integer from 0 to 100"),
    ({"sampling_percentage": 50.5}, "sampling_percentage"),
    ({"capture_mode": "REQUEST"}, "capture_mode must be one of Input, Output, InputAndOutput"),
])
def test_bad_settings_are_refused(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        CapturingEndpoint("ep", "v", model, tmp_path, **kwargs)
    with pytest.raises(ValueError, match="endpoint_name"):
        CapturingEndpoint("my_endpoint", "v", model, tmp_path)
    with pytest.raises(ValueError, match="predictions has 1 rows but inputs has 2"):
        capture_frame("ep", "v", pd.DataFrame({"x": [1, 2]}), [0.5], tmp_path, times=T0)
