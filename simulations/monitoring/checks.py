"""Data-quality checks: current data against a baseline -> ``constraint_violations.json`` (§4).

Each feature of the baseline's ``constraints.json`` is read from the current data as its
baseline ``inferred_type`` (one sort per numeric column, one ``pd.factorize`` per string column)
and checked:

=========================== ==================================================================
``constraint_check_type``   fires when
=========================== ==================================================================
``missing_column_check``    a baseline feature is not a column of the current data
``extra_column_check``      a current column is not a baseline feature
``data_type_check``         the share of present values of the baseline type is below
                            ``datatype_check_threshold`` (default 1.0: all must match)
``completeness_check``      the non-null share is below the feature's ``completeness``
``non_negative_check``      ``is_non_negative`` is true and a value is negative (this name is
                            a project choice; AWS documents the constraint, not its check name)
``categorical_values_check`` the share of values inside ``domains`` is below
                            ``domain_content_threshold`` (default 1.0: any new value fires)
``baseline_drift_check``    the distribution distance (see ``drift``) exceeds
                            ``comparison_threshold`` (numeric) or
                            ``categorical_comparison_threshold`` (string)
=========================== ==================================================================

``evaluate_constraints: Disabled`` turns off the type, completeness, non-negative and domain
checks; ``perform_comparison: Disabled`` turns off drift. Column checks always run.
``categorical_drift_method: ChiSquared`` is not simulated and raises ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.baseline import DEFAULT_MONITORING_CONFIG, Baseline
from simulations.monitoring.drift import baseline_cdf, categorical_distance, numerical_distance
from simulations.monitoring.formatting import distinct_numbers, number, percent
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
    "non_negative_check",
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


def check_data_quality(df: pd.DataFrame, baseline: Baseline | str | Path) -> dict:
    """``{"violations": [{"feature_name", "constraint_check_type", "description"}, ...]}``."""
    return data_quality_report(df, baseline).violations


def drift_distances(df: pd.DataFrame, baseline: Baseline | str | Path) -> dict[str, float]:
    """The drift distance of each measurable feature (same numbers the drift check compares)."""
    return data_quality_report(df, baseline).distances


def data_quality_report(df: pd.DataFrame, baseline: Baseline | str | Path) -> DataQualityReport:
    """Run every check once; ``baseline`` is a ``Baseline`` or a directory holding its files."""
    if not isinstance(baseline, Baseline):
        baseline = Baseline.load(baseline)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"current data must be a pandas DataFrame, got {type(df).__name__}")
    if len(df) == 0:
        raise ValueError("the current data has no rows: nothing to check (a monitoring run with no captured data fails)")
    columns = [str(c) for c in df.columns]
    if len(set(columns)) != len(columns):
        raise ValueError("current data has repeated column names")
    position = {name: i for i, name in enumerate(columns)}
    config = baseline.constraints["monitoring_config"]
    evaluate = config.get("evaluate_constraints", "Enabled") == "Enabled"
    compare = config["distribution_constraints"].get("perform_comparison", "Enabled") == "Enabled"
    features = baseline.constraints["features"]
    violations: list[dict] = []
    distances: dict[str, float] = {}
    current_statistics: list[dict] = []
    for feature in features:
        name = feature["name"]
        if name not in position:
            violations.append(_violation(name, "missing_column_check",
                f"Column {name!r} is in the baseline but missing from the current data "
                f"(current data has {len(columns)} columns, the baseline {len(features)})."))
            continue
        settings = _settings(config, feature)
        # one feature at a time: its sorted copy is freed before the next column is sorted
        profile = profile_column(df.iloc[:, position[name]], as_type=feature["inferred_type"], name=name)
        current_statistics.append(feature_statistics(profile))
        if evaluate:
            violations.extend(_constraint_violations(feature, profile, settings))
        if compare:
            distance = _distance(baseline.feature_statistics(name), profile, settings)
            if distance is not None:
                distances[name] = distance
                violation = _drift_violation(name, profile.inferred_type, distance, settings)
                if violation:
                    violations.append(violation)
    known = {f["name"] for f in features}
    for name in columns:
        if name not in known:
            violations.append(_violation(name, "extra_column_check",
                f"Column {name!r} is in the current data but not in the baseline "
                f"(current data has {len(columns)} columns, the baseline {len(features)})."))
    return DataQualityReport({"violations": violations}, distances, statistics_document(current_statistics, len(df)))


def _settings(config: dict, feature: dict) -> dict:
    defaults = DEFAULT_MONITORING_CONFIG
    settings = {key: config.get(key, defaults[key]) for key in ("datatype_check_threshold", "domain_content_threshold")}
    distribution = {**defaults["distribution_constraints"], **config["distribution_constraints"]}
    settings.update(distribution)
    settings.update(feature.get("monitoringConfigOverrides", {}))
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
    if (kind in NUMERIC_TYPES and feature.get("num_constraints", {}).get("is_non_negative")
            and len(profile.sorted_values) and profile.sorted_values[0] < 0):
        negatives = int(np.searchsorted(profile.sorted_values, 0.0, side="left"))
        found.append(_violation(name, "non_negative_check",
            f"Non-negative requirement is not met: {negatives} of {profile.num_present} values are negative "
            f"(minimum {number(profile.sorted_values[0])})."))
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
        if statistics["inferred_type"] not in NUMERIC_TYPES:
            raise ValueError(f"feature {profile.name!r}: constraints say {profile.inferred_type} but statistics say {statistics['inferred_type']}")
        if not len(profile.sorted_values):
            return None
        return numerical_distance(baseline_cdf(statistics), profile.sorted_values, settings["comparison_method"])
    if statistics["inferred_type"] != STRING:
        raise ValueError(f"feature {profile.name!r}: constraints say String but statistics say {statistics['inferred_type']}")
    method = settings["categorical_drift_method"]
    if method != "LInfinity":
        raise ValueError(f"feature {profile.name!r}: categorical_drift_method {method!r} is not simulated; use 'LInfinity'")
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
    return categorical_distance(np.asarray(values, dtype=object), counts, base_total, profile.categories, profile.counts)


def _drift_violation(name: str, kind: str, distance: float, settings: dict) -> dict | None:
    numeric = kind in NUMERIC_TYPES
    threshold = settings["comparison_threshold" if numeric else "categorical_comparison_threshold"]
    if distance <= threshold:
        return None
    shown, limit = distinct_numbers(distance, threshold)
    label = "Numerical distance: {} exceeds numerical threshold: {}" if numeric else "Categorical distance: {} exceeds categorical threshold: {}"
    return _violation(name, "baseline_drift_check", label.format(shown, limit))
