"""Data-quality checks: each violation type fires on a crafted frame and stays quiet on clean data."""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd
import pytest

from simulations.monitoring import Baseline, check_data_quality, data_quality_report, drift_distances, suggest_baseline
from simulations.monitoring.checks import CHECK_TYPES


def checks_fired(violations: dict) -> set[tuple[str, str]]:
    return {(v["feature_name"], v["constraint_check_type"]) for v in violations["violations"]}


def test_clean_data_raises_no_violation(training, clean_current):
    report = check_data_quality(clean_current, suggest_baseline(training))
    assert report == {"violations": []}


def test_violation_entries_have_the_real_shape(training):
    current = training.drop(columns=["income"])
    (violation,) = check_data_quality(current, suggest_baseline(training))["violations"]
    assert violation == {
        "feature_name": "income",
        "constraint_check_type": "missing_column_check",
        "description": "There are missing columns in current dataset. Number of columns in current dataset: 3, "
                       "number of columns in baseline: 4. Missing: 'income'.",
    }


def test_column_checks_compare_counts_as_documented(training):
    baseline = suggest_baseline(training)
    renamed = training.rename(columns={"income": "salary"})  # same count: neither check fires
    assert not {c for _, c in checks_fired(check_data_quality(renamed, baseline))} & {"missing_column_check", "extra_column_check"}
    two_gone = training.drop(columns=["income", "state"]).assign(extra=1.0)  # 3 < 4: missing only, both named
    fired = check_data_quality(two_gone, baseline)["violations"]
    assert {(v["feature_name"], v["constraint_check_type"]) for v in fired if "column" in v["constraint_check_type"]} == {
        ("income", "missing_column_check"), ("state", "missing_column_check")}
    assert all("Missing: 'income', 'state'." in v["description"] for v in fired if v["constraint_check_type"] == "missing_column_check")
    (extra,) = [v for v in check_data_quality(training.assign(a=1, b=2), baseline)["violations"]][:1]
    assert extra["constraint_check_type"] == "extra_column_check" and extra["description"].endswith("Extra: 'a', 'b'.")


def test_a_negative_value_under_is_non_negative_raises_no_undocumented_check(training):
    baseline = suggest_baseline(training)
    assert baseline.constraints["features"][0]["num_constraints"] == {"is_non_negative": True}
    current = training.copy()
    current.loc[0, "age"] = -1
    assert all(v["constraint_check_type"] in CHECK_TYPES for v in check_data_quality(current, baseline)["violations"])
    assert "non_negative_check" not in CHECK_TYPES


def crafted(training: pd.DataFrame, check: str) -> tuple[pd.DataFrame, tuple[str, str]]:
    """A current frame that should fire exactly ``check`` on one feature."""
    current = training.copy()
    if check == "data_type_check":
        current["age"] = current["age"].astype(float)
        current.loc[:9, "age"] += 0.5  # ten ages are no longer whole numbers
        return current, ("age", check)
    if check == "completeness_check":
        current.loc[:99, "income"] = np.nan
        return current, ("income", check)
    if check == "categorical_values_check":
        current.loc[:4, "state"] = "ZZ"
        return current, ("state", check)
    if check == "baseline_drift_check":
        current["balance"] = current["balance"] + 1.0
        return current, ("balance", check)
    if check == "missing_column_check":
        return current.drop(columns=["state"]), ("state", check)
    if check == "extra_column_check":
        return current.assign(new_feature=1.0), ("new_feature", check)
    raise AssertionError(check)


@pytest.mark.parametrize("check", CHECK_TYPES)
def test_each_check_fires_on_a_crafted_frame_and_only_there(training, check):
    baseline = suggest_baseline(training)
    current, expected = crafted(training, check)
    assert checks_fired(check_data_quality(current, baseline)) == {expected}
    assert not any(v["constraint_check_type"] == check for v in check_data_quality(training, baseline)["violations"])


@pytest.mark.parametrize("numbers_dtype", ["int64", "Int64", "float64"])
def test_type_mismatches_across_types(training, numbers_dtype):
    baseline = suggest_baseline(training)
    current = training.assign(
        income=training["income"].astype(object).where(training.index >= 10, "n/a"),  # 10 texts in a number
        state=pd.Series(np.arange(len(training)), dtype=numbers_dtype),  # numbers where strings were
    )
    fired = check_data_quality(current, baseline)["violations"]
    types = {v["feature_name"]: v["description"] for v in fired if v["constraint_check_type"] == "data_type_check"}
    assert set(types) == {"income", "state"}
    assert types["income"] == ("Data type match requirement is not met. Expected data type: Fractional, "
                               "Expected match: 100.0%. Observed: Only 99.8% of data is Fractional.")
    assert "Only 0.0% of data is String" in types["state"]


def test_integral_accepts_whole_floats_and_missing_values(training):
    baseline = suggest_baseline(training)
    current = training.assign(age=training["age"].astype(float))
    assert check_data_quality(current, baseline) == {"violations": []}


def test_drift_descriptions_carry_the_measured_distance_and_threshold(training):
    baseline = suggest_baseline(training)
    current = training.assign(balance=training["balance"] + 1.0,
                              state=pd.Series(["CA"] * len(training), dtype="str"))
    distances = drift_distances(current, baseline)
    drift = {v["feature_name"]: v["description"] for v in check_data_quality(current, baseline)["violations"]
             if v["constraint_check_type"] == "baseline_drift_check"}
    assert set(drift) == {"balance", "state"}
    aws_samples = re.compile("distance: (.+) exceeds threshold: (.+)")  # the regex real-output code uses
    for name in ("balance", "state"):
        match = aws_samples.search(drift[name])
        assert match and float(match.group(1)) == distances[name] and float(match.group(2)) == 0.1
    share_ca = (training["state"] == "CA").mean()
    assert distances["state"] == pytest.approx(1 - share_ca)  # the largest frequency change is CA's
    assert drift["state"] == f"Baseline drift distance: {distances['state']!r} exceeds threshold: 0.1"


def test_thresholds_decide_drift_and_can_be_loosened_or_tightened(training, make_customers):
    baseline = suggest_baseline(training)
    current = training.assign(balance=training["balance"] + 0.4)
    distance = drift_distances(current, baseline)["balance"]
    assert 0.05 < distance < 0.2
    assert ("balance", "baseline_drift_check") in checks_fired(check_data_quality(current, baseline))
    assert checks_fired(check_data_quality(current, baseline.with_threshold(0.2))) == set()
    assert checks_fired(check_data_quality(clean := make_customers(5_000, seed=9), baseline.with_threshold(0.001)))
    assert checks_fired(check_data_quality(clean, baseline)) == set()


def test_robust_forgives_small_windows_that_simple_flags(training, make_customers):
    baseline = suggest_baseline(training)
    window = make_customers(60, seed=3, age_shift=4)
    simple = baseline.with_monitoring_config(comparison_method="Simple")
    assert drift_distances(window, baseline)["age"] < drift_distances(window, simple)["age"]
    assert ("age", "baseline_drift_check") in checks_fired(check_data_quality(window, simple))
    assert ("age", "baseline_drift_check") not in checks_fired(check_data_quality(window, baseline))


def test_per_feature_overrides_win_over_the_global_config(training):
    baseline = suggest_baseline(training)
    current = training.assign(balance=training["balance"] + 1.0, income=training["income"] * 1.5)
    assert {"balance", "income"} <= {f for f, _ in checks_fired(check_data_quality(current, baseline))}
    relaxed = baseline.with_feature_constraints("state", overrides={}).with_feature_constraints(
        "balance", overrides={"comparison_threshold": 0.9})
    fired = checks_fired(check_data_quality(current, relaxed))
    assert ("balance", "baseline_drift_check") not in fired and ("income", "baseline_drift_check") in fired


def test_disabling_evaluation_or_comparison(training):
    baseline = suggest_baseline(training)
    current, _ = crafted(training, "completeness_check")
    current["balance"] += 1.0
    everything = checks_fired(check_data_quality(current, baseline))
    assert {("income", "completeness_check"), ("balance", "baseline_drift_check")} <= everything
    no_constraints = checks_fired(check_data_quality(current, baseline.with_monitoring_config(evaluate_constraints="Disabled")))
    assert ("income", "completeness_check") not in no_constraints and ("balance", "baseline_drift_check") in no_constraints
    no_drift = baseline.with_monitoring_config(perform_comparison="Disabled")
    assert ("balance", "baseline_drift_check") not in checks_fired(check_data_quality(current, no_drift))
    assert drift_distances(current, no_drift) == {}


def test_a_domain_violation_lists_the_new_values(training):
    current = training.copy()
    current.loc[:2, "state"] = "ZZ"
    current.loc[3, "state"] = "QQ"
    (violation,) = [v for v in check_data_quality(current, suggest_baseline(training))["violations"]
                    if v["constraint_check_type"] == "categorical_values_check"]
    assert "Only 99.92% of data is within the domain" in violation["description"]
    assert "'ZZ' (3), 'QQ' (1)" in violation["description"]
    loose = suggest_baseline(training).with_monitoring_config(domain_content_threshold=0.99)
    assert not any(v["constraint_check_type"] == "categorical_values_check"
                   for v in check_data_quality(current, loose)["violations"])


def test_features_without_present_values_are_reported_not_measured(training):
    current = training.assign(income=np.nan)
    report = data_quality_report(current, suggest_baseline(training))
    assert "income" not in report.distances
    assert ("income", "completeness_check") in checks_fired(report.violations)
    assert set(report.distances) == {"age", "balance", "state"}


def test_report_statistics_describe_the_current_data(training, clean_current):
    report = data_quality_report(clean_current, suggest_baseline(training))
    assert report.statistics["dataset"]["item_count"] == len(clean_current)
    income = next(f for f in report.statistics["features"] if f["name"] == "income")
    assert income["numerical_statistics"]["mean"] == pytest.approx(clean_current["income"].mean())


def test_a_baseline_directory_can_be_passed(tmp_path, training, clean_current):
    suggest_baseline(training).with_threshold(0.001).save(tmp_path)
    assert check_data_quality(clean_current, tmp_path)["violations"]
    assert check_data_quality(clean_current, Baseline.load(tmp_path)) == check_data_quality(clean_current, str(tmp_path))


def test_errors_instead_of_wrong_numbers(training):
    baseline = suggest_baseline(training)
    with pytest.raises(ValueError, match="no rows"):
        check_data_quality(training.iloc[:0], baseline)
    with pytest.raises(TypeError, match="DataFrame"):
        check_data_quality(training.to_dict(), baseline)
    broken = Baseline(copy.deepcopy(baseline.statistics), baseline.constraints)
    next(f for f in broken.statistics["features"] if f["name"] == "income")["numerical_statistics"]["distribution"] = {}
    with pytest.raises(ValueError, match="'income'.*sketch"):
        check_data_quality(training, broken)


def test_chi_squared_matches_scipy_and_fires_when_the_p_value_is_small(training, make_customers):
    scipy_stats = pytest.importorskip("scipy.stats")
    baseline = suggest_baseline(training).with_monitoring_config(categorical_drift_method="ChiSquared")
    shifted = make_customers(2_000, seed=5, state_weights=[0.2, 0.2, 0.2, 0.2, 0.2])
    p_value = drift_distances(shifted, baseline)["state"]
    base = training["state"].value_counts()
    observed = shifted["state"].value_counts().reindex(base.index, fill_value=0)
    expected = base / base.sum() * observed.sum()
    assert p_value == pytest.approx(scipy_stats.chisquare(observed, expected).pvalue, rel=1e-9)
    (drift,) = [v for v in check_data_quality(shifted, baseline)["violations"] if v["feature_name"] == "state"]
    assert drift["description"] == f"Chi-squared test p-value: {p_value!r} is below threshold: 0.1"
    same = make_customers(2_000, seed=6)
    assert drift_distances(same, baseline)["state"] > 0.1
    assert not [v for v in check_data_quality(same, baseline)["violations"] if v["feature_name"] == "state"]


def test_chi_squared_merges_small_categories_like_deequ():
    from simulations.monitoring.drift import chi_squared_p_value
    scipy_stats = pytest.importorskip("scipy.stats")
    values = np.array(["a", "b", "c", "d", "e"], dtype=object)
    base = np.array([500, 400, 60, 3, 2])  # expected counts below 5 for d and e (2 of 5 = 40 % > 20 %)
    current = np.array([50, 40, 6, 1, 3])
    p_value = chi_squared_p_value(values, base, values, current)
    expected = base / base.sum() * current.sum()  # d and e are merged into c (the smallest into the next smallest, twice)
    merged_obs = [50, 40, 6 + 1 + 3]
    merged_exp = [expected[0], expected[1], expected[2] + expected[3] + expected[4]]
    assert p_value == pytest.approx(scipy_stats.chisquare(merged_obs, merged_exp).pvalue, rel=1e-9)
