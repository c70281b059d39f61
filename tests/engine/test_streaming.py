"""Streaming: chunks, capture folders and Dask give the whole-frame results (drift within the sketch bound)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from simulations.monitoring import capture_frame, check_data_quality, data_quality_report, suggest_baseline
from simulations.monitoring.sketch import RANK_ERROR

TOLERANCE = 0.002  # the goal; the sketch guarantees RANK_ERROR per CDF


def chunks(frame: pd.DataFrame, size: int):
    return (frame.iloc[start:start + size] for start in range(0, len(frame), size))


def same_statistics(ours: dict, whole: dict) -> None:
    assert ours["dataset"] == whole["dataset"]
    for a, b in zip(ours["features"], whole["features"], strict=True):
        assert (a["name"], a["inferred_type"]) == (b["name"], b["inferred_type"])
        if "numerical_statistics" in b:
            x, y = a["numerical_statistics"], b["numerical_statistics"]
            assert x["common"] == y["common"] and (x["min"], x["max"]) == (y["min"], y["max"])
            for key in ("sum", "mean", "std_dev"):
                assert x[key] == pytest.approx(y[key], rel=1e-9)
        else:
            assert a == b


def test_chunked_baseline_equals_the_whole_frame_baseline(training):
    whole = suggest_baseline(training)
    streamed = suggest_baseline(chunks(training, 700))
    same_statistics(streamed.statistics, whole.statistics)
    assert streamed.constraints == whole.constraints


def test_chunked_check_matches_the_whole_frame_check(training, make_customers):
    baseline = suggest_baseline(training)
    current = make_customers(6_000, seed=4, age_shift=3).assign(balance=lambda f: f["balance"] + 0.3)
    current.loc[:20, "income"] = np.nan
    whole = data_quality_report(current, baseline)
    streamed = data_quality_report(chunks(current, 1_000), baseline)
    assert streamed.violations["violations"][0] == whole.violations["violations"][0]
    kinds = lambda report: {(v["feature_name"], v["constraint_check_type"]) for v in report.violations["violations"]}  # noqa: E731
    assert kinds(streamed) == kinds(whole) and ("age", "baseline_drift_check") in kinds(whole)
    for name, distance in whole.distances.items():
        assert streamed.distances[name] == pytest.approx(distance, abs=max(RANK_ERROR, 1e-12))
        assert abs(streamed.distances[name] - distance) < TOLERANCE


def test_a_streamed_baseline_checks_like_a_whole_one(training, make_customers):
    current = make_customers(3_000, seed=8, age_shift=2)
    whole = data_quality_report(current, suggest_baseline(training)).distances
    streamed = data_quality_report(current, suggest_baseline(chunks(training, 1_234))).distances
    assert whole.keys() == streamed.keys()
    assert all(abs(whole[k] - streamed[k]) < TOLERANCE for k in whole)


def test_a_capture_folder_is_read_hour_by_hour(tmp_path, training):
    features = training[["age", "income", "balance"]].iloc[:600].reset_index(drop=True)
    times = pd.date_range("2024-03-01T10:00:00Z", periods=len(features), freq="20s")  # spans 4 hours
    capture_frame("ep", "AllTraffic", features, np.zeros(len(features)), tmp_path, times=times)
    hours = sorted({p.parent for p in tmp_path.rglob("*.jsonl")})
    assert len(hours) == 4
    named = features.set_axis([f"_c{i}" for i in range(3)], axis=1)  # CSV capture: Spark's column names
    baseline = suggest_baseline(tmp_path)
    assert [f["name"] for f in baseline.statistics["features"]] == ["_c0", "_c1", "_c2"]
    assert baseline.statistics["dataset"]["item_count"] == len(features)
    same_statistics(baseline.statistics, suggest_baseline(named).statistics)
    assert check_data_quality(tmp_path, suggest_baseline(named)) == {"violations": []}
    assert check_data_quality(str(tmp_path), suggest_baseline(named.assign(_c3=1.0)))["violations"][0][
        "constraint_check_type"] == "missing_column_check"


def test_chunks_with_different_columns_or_no_rows_are_refused(training):
    with pytest.raises(ValueError, match="different columns"):
        suggest_baseline([training.iloc[:10], training.iloc[10:20, :3]])
    with pytest.raises(ValueError, match="no rows"):
        suggest_baseline([training.iloc[:0]])
    with pytest.raises(TypeError, match="chunk 1 is a dict"):
        suggest_baseline([training, {"a": 1}])


def test_dask_partitions_give_the_same_profile(training, make_customers):
    dd = pytest.importorskip("dask.dataframe")
    import dask

    current = make_customers(4_000, seed=11, age_shift=3)
    baseline = suggest_baseline(training)
    with dask.config.set(scheduler="threads", num_workers=2):
        on_dask = suggest_baseline(dd.from_pandas(training, npartitions=4))
        report = data_quality_report(dd.from_pandas(current, npartitions=3), baseline)
    same_statistics(on_dask.statistics, baseline.statistics)
    whole = data_quality_report(current, baseline)
    assert report.violations["violations"][0] == whole.violations["violations"][0]
    assert all(abs(report.distances[k] - v) < TOLERANCE for k, v in whole.distances.items())
    json.dumps(on_dask.statistics)
