"""Baseline: statistics.json / constraints.json in the real schema, editing, files, the name rule."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulations.monitoring import Baseline, suggest_baseline
from simulations.monitoring.baseline import DEFAULT_MONITORING_CONFIG, column_name_problem

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "sdk"


def by_name(features: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in features}


def strict_json(text: str):
    """json.loads that refuses NaN / Infinity, which are not JSON."""
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is not valid JSON"))


def test_statistics_follow_the_real_schema(training):
    stats = suggest_baseline(training).statistics
    assert stats["version"] == 0
    assert stats["dataset"] == {"item_count": len(training)}
    features = by_name(stats["features"])
    assert [f["name"] for f in stats["features"]] == list(training.columns)
    assert {n: f["inferred_type"] for n, f in features.items()} == {
        "age": "Integral", "income": "Fractional", "balance": "Fractional", "state": "String"}

    income = features["income"]["numerical_statistics"]
    values = training["income"].to_numpy()
    assert income["common"] == {"num_present": len(values), "num_missing": 0}
    assert income["mean"] == pytest.approx(values.mean(), rel=1e-12)
    assert income["sum"] == pytest.approx(values.sum(), rel=1e-12)
    assert income["std_dev"] == pytest.approx(values.std(ddof=0), rel=1e-9)
    assert (income["min"], income["max"]) == (values.min(), values.max())
    kll = income["distribution"]["kll"]
    assert len(kll["buckets"]) == 10
    assert sum(b["count"] for b in kll["buckets"]) == len(values)
    assert kll["buckets"][0]["lower_bound"] == values.min() and kll["buckets"][-1]["upper_bound"] == values.max()
    edges = np.linspace(values.min(), values.max(), 11)
    assert kll["buckets"][3]["count"] == np.count_nonzero((values >= edges[3]) & (values < edges[4]))
    assert kll["sketch"]["parameters"] == {"c": 0.64, "k": 2048.0}
    (level,) = kll["sketch"]["data"]
    assert len(level) == 1001
    ordered = np.sort(values)
    assert level[0] == ordered[0] and level[-1] == ordered[-1] and level[500] == ordered[round(500 * 4999 / 1000)]

    state = features["state"]["string_statistics"]
    assert state["common"] == {"num_present": len(training), "num_missing": 0}
    assert state["distinct_count"] == 5.0
    buckets = state["distribution"]["categorical"]["buckets"]
    expected = training["state"].value_counts()
    assert {b["value"]: b["count"] for b in buckets} == expected.to_dict()
    assert [b["count"] for b in buckets] == sorted(expected.tolist(), reverse=True)


def test_small_columns_keep_every_value_and_missing_values_are_counted():
    frame = pd.DataFrame({"x": [3.0, None, 1.0, 2.0], "s": ["a", None, "b", "a"], "empty": [None] * 4})
    baseline = suggest_baseline(frame)
    features = by_name(baseline.statistics["features"])
    x = features["x"]["numerical_statistics"]
    assert x["common"] == {"num_present": 3, "num_missing": 1}
    assert x["distribution"]["kll"]["sketch"]["data"] == [[1.0, 2.0, 3.0]]
    assert features["s"]["string_statistics"]["common"] == {"num_present": 3, "num_missing": 1}
    assert features["empty"] == {"name": "empty", "inferred_type": "Unknown"}
    constraints = by_name(baseline.constraints["features"])
    assert constraints["x"]["completeness"] == 0.75
    assert constraints["empty"]["completeness"] == 0.0


def test_suggested_constraints(training):
    frame = training.assign(customer_id=[f"id-{i}" for i in range(len(training))])
    constraints = suggest_baseline(frame).constraints
    assert constraints["version"] == 0.0 and isinstance(constraints["version"], float)  # real files: 0.0
    features = by_name(constraints["features"])
    assert features["age"] == {"name": "age", "inferred_type": "Integral", "completeness": 1.0,
                               "num_constraints": {"is_non_negative": True}}
    assert features["balance"]["num_constraints"] == {"is_non_negative": False}
    assert sorted(features["state"]["string_constraints"]["domains"]) == ["CA", "FL", "NY", "TX", "WA"]
    assert "monitoringConfigOverrides" not in features["state"]  # the real baseline writes none
    assert "string_constraints" not in features["customer_id"]  # high cardinality: no domain
    assert constraints["monitoring_config"] == DEFAULT_MONITORING_CONFIG
    real = json.loads((REAL / "pipeline/quality_check_step/data_quality/good_cases/constraints.json").read_text())
    assert constraints["monitoring_config"] == real["monitoring_config"]


def test_domains_follow_deequs_unique_value_ratio_rule():
    repeated = [f"v{i}" for i in range(10)] * 5
    one_singleton = pd.DataFrame({"s": repeated + ["rare0"]})  # 1 of 11 distinct values seen once: 0.09
    two_singletons = pd.DataFrame({"s": repeated + ["rare0", "rare1"]})  # 2 of 12: 0.17 > 0.1
    many_values = pd.DataFrame({"s": [f"v{i}" for i in range(121)] * 2})  # over 120 distinct values
    assert len(suggest_baseline(one_singleton).constraints["features"][0]["string_constraints"]["domains"]) == 11
    assert "string_constraints" not in suggest_baseline(two_singletons).constraints["features"][0]
    assert "string_constraints" not in suggest_baseline(many_values).constraints["features"][0]


def test_type_inference_from_dtypes():
    frame = pd.DataFrame({
        "ints": [1, 2, 3], "nullable_ints": pd.array([1, None, 3], dtype="Int64"), "floats": [1.0, 2.0, 3.0],
        "object_ints": pd.Series([1, 2, 3], dtype=object), "object_mixed": pd.Series([1, "a", 2.5], dtype=object),
        "flags": [True, False, True], "category": pd.Categorical(["x", "y", "x"]), "text": ["a", "b", "c"],
    })
    types = {f["name"]: f["inferred_type"] for f in suggest_baseline(frame).statistics["features"]}
    assert types == {"ints": "Integral", "nullable_ints": "Integral", "floats": "Fractional",
                     "object_ints": "Integral", "object_mixed": "String", "flags": "String",
                     "category": "String", "text": "String"}


def test_save_load_edit_round_trip(tmp_path, training):
    baseline = suggest_baseline(training)
    baseline.save(tmp_path / "v1")
    for name in ("statistics.json", "constraints.json"):
        strict_json((tmp_path / "v1" / name).read_text())
    loaded = Baseline.load(tmp_path / "v1")
    assert loaded.statistics == baseline.statistics
    assert loaded.constraints == baseline.constraints

    looser = loaded.with_threshold(0.2)
    looser.save(tmp_path / "v2")
    again = Baseline.load(tmp_path / "v2")
    distribution = again.constraints["monitoring_config"]["distribution_constraints"]
    assert distribution["comparison_threshold"] == 0.2
    assert distribution["categorical_comparison_threshold"] == 0.2
    assert loaded.constraints["monitoring_config"]["distribution_constraints"]["comparison_threshold"] == 0.1  # copy

    tighter = again.with_threshold(0.05, categorical=0.02).with_monitoring_config(comparison_method="Simple")
    tighter = tighter.with_feature_constraints("state", domains=["CA", "NY"]).with_feature_constraints("age", completeness=0.9)
    tighter.save(tmp_path / "v3")
    last = Baseline.load(tmp_path / "v3")
    distribution = last.constraints["monitoring_config"]["distribution_constraints"]
    assert (distribution["comparison_threshold"], distribution["categorical_comparison_threshold"]) == (0.05, 0.02)
    assert distribution["comparison_method"] == "Simple"
    features = by_name(last.constraints["features"])
    assert features["state"]["string_constraints"]["domains"] == ["CA", "NY"]
    assert features["age"]["completeness"] == 0.9


def test_hand_edited_files_load_when_valid_and_fail_with_the_file_named(tmp_path, training):
    suggest_baseline(training).save(tmp_path)
    path = tmp_path / "constraints.json"
    document = json.loads(path.read_text())
    document["monitoring_config"]["distribution_constraints"]["comparison_threshold"] = 0.3
    path.write_text(json.dumps(document))
    assert Baseline.load(tmp_path).constraints["monitoring_config"]["distribution_constraints"]["comparison_threshold"] == 0.3

    document["monitoring_config"]["distribution_constraints"]["comparison_method"] = "robust"
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=r"constraints\.json: .*comparison_method must be one of Simple, Robust"):
        Baseline.load(tmp_path)

    path.write_text('{"version": 0,\n "features": [\n oops]}')
    with pytest.raises(ValueError, match=r"constraints\.json:3: not valid JSON"):
        Baseline.load(tmp_path)
    path.unlink()
    with pytest.raises(FileNotFoundError, match="constraints.json"):
        Baseline.load(tmp_path)


@pytest.mark.parametrize("edit, message", [
    (lambda b: b.with_monitoring_config(comparison_treshold=0.2), "unknown monitoring_config key 'comparison_treshold'"),
    (lambda b: b.with_threshold(1.5), "comparison_threshold must be a number from 0 to 1"),
    (lambda b: b.with_monitoring_config(categorical_drift_method="Hellinger"), "categorical_drift_method must be one of"),
    (lambda b: b.with_feature_constraints("nope", completeness=1.0), "no feature 'nope'"),
    (lambda b: b.with_feature_constraints("age", completeness=2), "completeness must be a number from 0 to 1"),
])
def test_bad_edits_are_refused_with_a_message(training, edit, message):
    with pytest.raises(ValueError, match=message):
        edit(suggest_baseline(training))


@pytest.mark.parametrize("name, ok", [
    ("age", True), ("total_sales_2", True), ("Age", False), ("total sales", False), ("1st_visit", False),
    ("a-b", False), ("_private", False), ("prix_€", False), ("", False),
])
def test_column_name_rule(name, ok):
    assert (column_name_problem(name) is None) == ok


def test_baseline_reports_non_spark_names_also_after_loading(tmp_path):
    frame = pd.DataFrame({"Total Sales": [1.0, 2.0], "age": [3, 4], "Region": ["a", "b"]})
    baseline = suggest_baseline(frame)
    assert len(baseline.problems) == 2
    assert "'Total Sales'" in baseline.problems[0] and "'total_sales'" in baseline.problems[0]
    assert "'Region'" in baseline.problems[1]
    baseline.save(tmp_path)
    assert Baseline.load(tmp_path).problems == baseline.problems
    assert suggest_baseline(frame[["age"]]).problems == []


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame(), "no columns"),
    (pd.DataFrame({"a": pd.Series([], dtype=float)}), "no rows"),
    (pd.DataFrame([[1, 2]], columns=["a", "a"]), "repeated: 'a'"),
    (pd.DataFrame({"a": [1.0, np.inf]}), "'a' has 1 infinite value"),
])
def test_data_that_cannot_be_baselined_is_a_clear_error(frame, message):
    with pytest.raises(ValueError, match=message):
        suggest_baseline(frame)
    with pytest.raises(TypeError, match="DataFrame"):
        suggest_baseline([1, 2, 3])


def test_huge_values_save_as_valid_json_and_load_back(tmp_path):
    """+-1e308 overflow the sum and spread; the files say "Infinity"/"-Infinity"/"NaN" as the service's Jackson does."""
    frame = pd.DataFrame({"x": [-1e308, -1e308, 1e308, 0.5], "y": [1.0, 2.0, 3.0, 4.0]})
    baseline = suggest_baseline(frame)
    saved = baseline.save(tmp_path)
    text = (saved / "statistics.json").read_text()
    json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    assert '"-Infinity"' in text or '"Infinity"' in text or '"NaN"' in text
    back = Baseline.load(tmp_path)
    x = back.feature_statistics("x")["numerical_statistics"]
    assert x["min"] == -1e308 and x["max"] == 1e308
    assert not np.isfinite(x["sum"]) and not np.isfinite(x["std_dev"])
    assert back.statistics["features"][1] == baseline.statistics["features"][1]
    assert suggest_baseline(frame.assign(x=frame["x"] / 1e300)).statistics["features"][0]["numerical_statistics"]["distribution"]["kll"]["buckets"][0]["lower_bound"] == -1e8


def test_a_category_named_nan_stays_a_string(tmp_path):
    frame = pd.DataFrame({"s": ["NaN", "Infinity", "a"] * 5})
    Baseline.load(suggest_baseline(frame).save(tmp_path))  # round trip
    values = {b["value"] for b in Baseline.load(tmp_path).feature_statistics("s")["string_statistics"]["distribution"]["categorical"]["buckets"]}
    assert values == {"NaN", "Infinity", "a"}


def test_a_column_of_lists_is_profiled_as_strings():
    frame = pd.DataFrame({"tags": [["a", "b"], ["a"], None, ["a", "b"]], "n": [1, 2, 3, 4]})
    baseline = suggest_baseline(frame)
    tags = baseline.feature_statistics("tags")
    assert tags["inferred_type"] == "String"
    assert tags["string_statistics"]["common"] == {"num_present": 3, "num_missing": 1}
    assert {b["value"]: b["count"] for b in tags["string_statistics"]["distribution"]["categorical"]["buckets"]} == {
        "['a', 'b']": 2, "['a']": 1}


def test_unknown_keys_are_warnings_not_errors(training):
    constraints = suggest_baseline(training).constraints
    constraints["features"][0]["monitoringConfigOverrides"] = {"threshold": 0.2}
    constraints["monitoring_config"]["distribution_constraints"]["min_domain_mass"] = 1.0
    baseline = Baseline(suggest_baseline(training).statistics, constraints)
    assert baseline.warnings == [
        "feature 'age' monitoringConfigOverrides: ignored unknown key(s) threshold",
        "monitoring_config.distribution_constraints: ignored unknown key(s) min_domain_mass",
    ]
