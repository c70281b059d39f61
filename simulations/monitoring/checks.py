"""Data-quality checks: current data against a baseline -> ``constraint_violations.json`` (§4).

Each feature of the baseline's ``constraints.json`` is read from the current data as its
baseline ``inferred_type`` (one sort per numeric column, one ``pd.factorize`` per string column)
and checked. The check types are the six the AWS documentation lists:

============================ =================================================================
``constraint_check_type``    fires when
============================ =================================================================
``missing_column_check``     the current data has fewer columns than the baseline (a count, as
                             documented); one entry per baseline column not found, the
                             description names them
``extra_column_check``       the current data has more columns than the baseline; one entry per
                             column the baseline does not know
``data_type_check``          the share of present values of the baseline type is below
                             ``datatype_check_threshold`` (default 1.0: all must match). A
                             column whose statistics disagree with its constraints (the SDK's
                             ``bad_cases``: String in constraints, Fractional in statistics) is
                             checked against the constraints and not compared for drift
``completeness_check``       the non-null share is below the feature's ``completeness``
``categorical_values_check`` the share of values inside ``domains`` is below
                             ``domain_content_threshold`` (default 1.0: any new value fires)
``baseline_drift_check``     the distribution distance (see ``drift``) exceeds
                             ``comparison_threshold`` (numeric) or
                             ``categorical_comparison_threshold`` (string); with
                             ``categorical_drift_method: ChiSquared`` the measure is a p-value
                             and the check fires when it is below the threshold
============================ =================================================================

``num_constraints.is_non_negative`` is read and kept (real baselines write it) but no check type
is documented for it, so it raises no violation. With equal column counts a renamed column
raises neither column check (it is then missing from the checks of its feature, which are
skipped). ``evaluate_constraints: Disabled`` (globally or in a feature's overrides) turns off
the type, completeness and domain checks; ``perform_comparison: Disabled`` turns off drift.

Descriptions print numbers in full precision, like the service. Drift reads
``Baseline drift distance: <d> exceeds threshold: <t>``: code written against real output parses
``distance: (.+) exceeds threshold: (.+)`` (aws-samples drift detection), which this matches; the
words before ``distance`` were not found in a real file and are this model's choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.baseline import (
    DEFAULT_MONITORING_CONFIG,
    Baseline,
    distribution_settings,
    feature_overrides,
)
from simulations.monitoring.drift import baseline_cdf, categorical_distance, chi_squared_p_value, numerical_distance
from simulations.monitoring.formatting import number, percent
from simulations.monitoring.profile import (
    NUMERIC_TYPES,
    STRING,
    UNKNOWN,
    ColumnProfile,
    feature_statistics,
    profile_column,
    statistics_document,
)

CHECK_TYPES = (
    "data_type_check",
    "completeness_check",
    "categorical_values_check",
    "baseline_drift_check",
    "missing_column_check",
    "extra_column_check",
)
_TOLERANCE = 1e-12  # shares equal up to rounding do not violate


@dataclass
class DataQualityReport:
    """What one data-quality run finds.

    ``violations`` is the ``constraint_violations.json`` document; ``distances`` maps each feature
    whose drift could be measured (present in both, at least one value of the baseline type) to
    its distance; ``statistics`` is the ``statistics.json`` of the current data.
    """

    violations: dict
    distances: dict[str, float] = field(default_factory=dict)
    statistics: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def check_data_quality(df: pd.DataFrame, baseline: Baseline | str | Path) -> dict:
    """``{"violations": [{"feature_name", "constraint_check_type", "description"}, ...]}``."""
    return data_quality_report(df, baseline).violations


def drift_distances(df: pd.DataFrame, baseline: Baseline | str | Path) -> dict[str, float]:
    """The drift distance of each measurable feature (same numbers the drift check compares)."""
    return data_quality_report(df, baseline).distances


def data_quality_report(df, baseline: Baseline | str | Path) -> DataQualityReport:
    """Run every check once; ``baseline`` is a ``Baseline`` or a directory holding its files.

    ``df`` is a DataFrame (exact), or an iterable of DataFrame chunks, a data-capture folder or a
    Dask DataFrame, profiled chunk by chunk with bounded memory (see ``streaming``).
    """
    if not isinstance(baseline, Baseline):
        baseline = Baseline.load(baseline)
    if not isinstance(df, pd.DataFrame):
        from simulations.monitoring.streaming import profile_data

        types = {f["name"]: f["inferred_type"] for f in baseline.constraints["features"]}
        whole = profile_data(df, types)
        pairs = ((f, whole.profiles[f["name"]]) for f in baseline.constraints["features"] if f["name"] in whole.profiles)
        return evaluate_profiles(baseline, list(whole.columns), pairs, whole.item_count)
    if len(df) == 0:
        raise ValueError("the current data has no rows: nothing to check (a monitoring run with no captured data fails)")
    columns = [str(c) for c in df.columns]
    if len(set(columns)) != len(columns):
        raise ValueError("current data has repeated column names")
    position = {name: i for i, name in enumerate(columns)}

    def profiles():
        # one feature at a time: its sorted copy is freed before the next column is sorted
        for feature in baseline.constraints["features"]:
            name = feature["name"]
            if name in position:
                yield feature, profile_column(df.iloc[:, position[name]], as_type=feature["inferred_type"], name=name)

    return evaluate_profiles(baseline, columns, profiles(), len(df))


def evaluate_profiles(baseline: Baseline, columns: list[str], profiles, item_count: int) -> DataQualityReport:
    """The report from the current data's column names and its ``(feature, profile)`` pairs."""
    config = baseline.constraints["monitoring_config"]
    features = baseline.constraints["features"]
    violations: list[dict] = _column_violations([f["name"] for f in features], columns)
    distances: dict[str, float] = {}
    current_statistics: list[dict] = []
    warnings = list(baseline.warnings)
    for feature, profile in profiles:
        name = feature["name"]
        settings = _settings(config, feature)
        current_statistics.append(feature_statistics(profile))
        if settings["evaluate_constraints"] == "Enabled":
            violations.extend(_constraint_violations(feature, profile, settings))
        if settings["perform_comparison"] != "Enabled":
            continue
        base = baseline.feature_statistics(name)
        if base is not None and _kind(base["inferred_type"]) != _kind(profile.inferred_type):
            warnings.append(f"feature {name!r}: constraints say {profile.inferred_type} but statistics say "
                            f"{base['inferred_type']}; not compared for drift")
            continue
        distance = _distance(base, profile, settings)
        if distance is not None:
            distances[name] = distance
            violation = _drift_violation(name, profile.inferred_type, distance, settings)
            if violation:
                violations.append(violation)
    order = {check: i for i, check in enumerate(("missing_column_check", "extra_column_check"))}
    violations.sort(key=lambda v: order.get(v["constraint_check_type"], len(order)))  # stable: column checks first
    return DataQualityReport({"violations": violations}, distances,
                             statistics_document(current_statistics, item_count), warnings)


def _kind(inferred_type: str) -> str:
    return "number" if inferred_type in NUMERIC_TYPES else inferred_type


def _column_violations(expected: list[str], columns: list[str]) -> list[dict]:
    """``missing_column_check`` / ``extra_column_check``: documented as column-count comparisons."""
    counts = f"Number of columns in current dataset: {len(columns)}, number of columns in baseline: {len(expected)}."
    if len(columns) < len(expected):
        missing = [name for name in expected if name not in set(columns)]
        listed = ", ".join(map(repr, missing))
        return [_violation(name, "missing_column_check",
                           f"There are missing columns in current dataset. {counts} Missing: {listed}.")
                for name in missing]
    if len(columns) > len(expected):
        extra = [name for name in columns if name not in set(expected)]
        listed = ", ".join(map(repr, extra))
        return [_violation(name, "extra_column_check",
                           f"There are extra columns in current dataset. {counts} Extra: {listed}.")
                for name in extra]
    return []


def _settings(config: dict, feature: dict) -> dict:
    defaults = DEFAULT_MONITORING_CONFIG
    keys = ("datatype_check_threshold", "domain_content_threshold", "evaluate_constraints", "emit_metrics")
    settings = {key: config.get(key, defaults[key]) for key in keys}
    settings.update(distribution_settings(config))
    settings.update(feature_overrides(feature))
    return settings


def _violation(name: str, check: str, description: str) -> dict:
    return {"feature_name": name, "constraint_check_type": check, "description": description}


def _constraint_violations(feature: dict, profile: ColumnProfile, settings: dict) -> list[dict]:
    name, kind = feature["name"], feature["inferred_type"]
    found = []
    if kind != UNKNOWN and profile.num_present:
        share = profile.type_matches / profile.num_present
        required = settings["datatype_check_threshold"]
        if share < required - _TOLERANCE:
            found.append(_violation(name, "data_type_check",
                f"Data type match requirement is not met. Expected data type: {kind}, "
                f"Expected match: {percent(required)}. Observed: Only {percent(share)} of data is {kind}."))
    completeness = profile.num_present / profile.item_count
    expected = feature.get("completeness", 0.0)
    if completeness < expected - _TOLERANCE:
        found.append(_violation(name, "completeness_check",
            f"Data completeness requirement is not met. Expected completeness: {percent(expected)}. "
            f"Observed: Only {percent(completeness)} of data is present."))
    domains = feature.get("string_constraints", {}).get("domains")
    if kind == STRING and domains is not None and profile.num_present:
        inside = pd.Index(profile.categories).isin(domains)
        share = profile.counts[inside].sum() / profile.num_present
        required = settings["domain_content_threshold"]
        if share < required - _TOLERANCE:
            outside = [f"{v!r} ({c})" for v, c in zip(profile.categories[~inside][:5].tolist(), profile.counts[~inside][:5].tolist())]
            more = int((~inside).sum()) - len(outside)
            listed = ", ".join(outside) + (f" and {more} more" if more > 0 else "")
            found.append(_violation(name, "categorical_values_check",
                f"Value set within domain requirement is not met. Expected: {percent(required)} of values in the "
                f"baseline domain. Observed: Only {percent(share)} of data is within the domain; values outside it: {listed}."))
    return found


def _distance(statistics: dict | None, profile: ColumnProfile, settings: dict) -> float | None:
    """The drift distance, or ``None`` when it cannot be measured (no baseline or current values)."""
    if statistics is None or profile.inferred_type == UNKNOWN or statistics["inferred_type"] == UNKNOWN:
        return None
    if profile.inferred_type in NUMERIC_TYPES:
        if not profile.num_present or "numerical_statistics" not in statistics:
            return None
        if profile.number_count == 0:
            return None
        current = profile.sorted_values if profile.sorted_values is not None else profile.summary.sketch.step_cdf()
        return numerical_distance(baseline_cdf(statistics), current, settings["comparison_method"])
    method = settings["categorical_drift_method"]
    if not profile.num_present:
        return None
    try:
        strings = statistics["string_statistics"]
        buckets = strings["distribution"]["categorical"]["buckets"]
        base_total = int(strings["common"]["num_present"])
        values = [b["value"] for b in buckets]
        counts = np.array([b["count"] for b in buckets], dtype=np.float64)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"feature {profile.name!r}: statistics have no string_statistics.distribution.categorical.buckets") from exc
    if base_total <= 0:
        return None
    if method == "ChiSquared":
        return chi_squared_p_value(np.asarray(values, dtype=object), counts, profile.categories, profile.counts)
    return categorical_distance(np.asarray(values, dtype=object), counts, base_total, profile.categories, profile.counts)


def _drift_violation(name: str, kind: str, distance: float, settings: dict) -> dict | None:
    if kind in NUMERIC_TYPES:
        threshold = settings["comparison_threshold"]
    else:
        threshold = settings["categorical_comparison_threshold"]
        if settings["categorical_drift_method"] == "ChiSquared":  # a p-value: small means drift
            if not distance < threshold:
                return None
            return _violation(name, "baseline_drift_check",
                              f"Chi-squared test p-value: {number(distance)} is below threshold: {number(threshold)}")
    if not distance > threshold:
        return None
    return _violation(name, "baseline_drift_check",
                      f"Baseline drift distance: {number(distance)} exceeds threshold: {number(threshold)}")
