"""The data-quality baseline: ``statistics.json`` + suggested ``constraints.json`` (reference §3).

``suggest_baseline(df)`` profiles a dataset (usually the training set) and suggests constraints
the way the prebuilt container does; ``Baseline.save``/``Baseline.load`` write and read the two
files; ``with_threshold``, ``with_monitoring_config`` and ``with_feature_constraints`` return an
edited copy, so a user can tighten or loosen a baseline before monitoring uses it. Editing the
``constraints`` dict by hand and saving works too: ``load`` checks what it reads.

Suggested constraints:

- ``completeness`` = the observed non-null share (0-1); ``num_constraints.is_non_negative`` =
  the minimum is >= 0 (numeric features).
- ``string_constraints.domains`` (the observed values) only for low-cardinality strings:
  at most 120 distinct values, of which at most 10 % occur only once (Deequ's profiler keeps
  histograms up to 120 distinct values; its ``CategoricalRangeRule`` asks for a unique-value
  ratio <= 0.1).
- ``monitoring_config``: written exactly as in the real baseline the SDK ships
  (``tests/fixtures/real/sdk/pipeline/quality_check_step/data_quality/good_cases``):
  ``evaluate_constraints``/``emit_metrics`` Enabled, ``datatype_check_threshold`` and
  ``domain_content_threshold`` 1.0, ``distribution_constraints`` with ``perform_comparison``,
  ``comparison_threshold`` 0.1 and ``comparison_method`` Robust. The categorical keys
  (``categorical_comparison_threshold`` 0.1, ``categorical_drift_method`` LInfinity) are not
  written but apply as defaults, and may be set. The two share thresholds are read as the share
  of values that must match (1.0 = all must: "Expected match: 100.0%", as in real violations).
- ``version`` is ``0.0`` and string features carry no ``monitoringConfigOverrides`` (as in the
  real files).
- ``monitoringConfigOverrides`` (per feature; the legacy spelling ``monitoring_config_overrides``,
  also found inside ``string_constraints``, is read the same way) may override
  ``comparison_threshold``, ``comparison_method``, ``categorical_comparison_threshold``,
  ``categorical_drift_method``, ``datatype_check_threshold``, ``domain_content_threshold`` and
  ``evaluate_constraints`` for that feature (``emit_metrics`` is accepted; this model emits no
  per-feature metrics). The legacy ``distribution_constraints.enable_comparisons`` (true/false)
  is read as ``perform_comparison``. Any other key is kept, ignored, and listed in
  ``Baseline.warnings``.
- Non-finite numbers: ``statistics.json`` stores them as the strings ``"NaN"``, ``"Infinity"``,
  ``"-Infinity"`` (Jackson's default, which the service uses: real model-quality statistics hold
  ``"standard_deviation" : "NaN"``), so the files stay valid JSON; ``load`` reads them back as floats.
- Object columns holding unhashable values (lists, dicts) are profiled as strings (their ``str``).

Column names must be Spark-compatible (``^[a-z][a-z0-9_]*$``): other names are listed in
``Baseline.problems`` (derived from the feature names, so a loaded baseline reports them too).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.drift import CATEGORICAL_DRIFT_METHODS, COMPARISON_METHODS
from simulations.monitoring.profile import (
    INFERRED_TYPES,
    NUMERIC_TYPES,
    STRING,
    ColumnProfile,
    feature_statistics,
    profile_column,
    statistics_document,
)

STATISTICS_FILE = "statistics.json"
CONSTRAINTS_FILE = "constraints.json"
COLUMN_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DOMAIN_MAX_DISTINCT = 120
DOMAIN_MAX_SINGLETON_RATIO = 0.1

ENABLED_VALUES = ("Enabled", "Disabled")
DEFAULT_MONITORING_CONFIG = {  # as written by the real baseline job (see the module docstring)
    "evaluate_constraints": "Enabled",
    "emit_metrics": "Enabled",
    "datatype_check_threshold": 1.0,
    "domain_content_threshold": 1.0,
    "distribution_constraints": {
        "perform_comparison": "Enabled",
        "comparison_threshold": 0.1,
        "comparison_method": "Robust",
    },
}
DEFAULT_CATEGORICAL_SETTINGS = {"categorical_comparison_threshold": 0.1, "categorical_drift_method": "LInfinity"}
DISTRIBUTION_KEYS = ("perform_comparison", "comparison_threshold", "comparison_method",
                     "categorical_comparison_threshold", "categorical_drift_method")
LEGACY_OVERRIDES_KEY = "monitoring_config_overrides"
_SHARE_KEYS = ("datatype_check_threshold", "domain_content_threshold")
_DISTRIBUTION_THRESHOLDS = ("comparison_threshold", "categorical_comparison_threshold")
_ENUM_KEYS = {
    "evaluate_constraints": ENABLED_VALUES,
    "emit_metrics": ENABLED_VALUES,
    "perform_comparison": ENABLED_VALUES,
    "comparison_method": COMPARISON_METHODS,
    "categorical_drift_method": CATEGORICAL_DRIFT_METHODS,
}
OVERRIDE_KEYS = _SHARE_KEYS + _DISTRIBUTION_THRESHOLDS + (
    "comparison_method", "categorical_drift_method", "evaluate_constraints", "emit_metrics")
_FEATURE_KEYS = {"name", "inferred_type", "completeness", "num_constraints", "string_constraints",
                 "monitoringConfigOverrides", LEGACY_OVERRIDES_KEY}
_CONFIG_KEYS = {"evaluate_constraints", "emit_metrics", *_SHARE_KEYS, "distribution_constraints"}
NON_FINITE_TEXT = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


def suggest_baseline(df) -> Baseline:
    """Profile ``df`` and suggest constraints; raises ``ValueError`` for data it cannot baseline.

    ``df`` is a DataFrame, or data that does not fit in memory: an iterable of DataFrame chunks,
    a data-capture folder or a Dask DataFrame (see ``streaming``).
    """
    if not isinstance(df, pd.DataFrame):
        from simulations.monitoring.streaming import profile_data  # chunks, capture folders, Dask

        whole = profile_data(df)
        if not whole.columns:
            raise ValueError("cannot suggest a baseline for a dataset with no columns")
        profiles = [whole.profiles[name] for name in whole.columns]
        for p in profiles:
            _require_finite(p)
        return Baseline(statistics_document([feature_statistics(p) for p in profiles], whole.item_count),
                        constraints_document([feature_constraints(p) for p in profiles]))
    if df.shape[1] == 0:
        raise ValueError("cannot suggest a baseline for a dataset with no columns")
    if df.shape[0] == 0:
        raise ValueError("cannot suggest a baseline for a dataset with no rows")
    names = [str(c) for c in df.columns]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"column names must be unique; repeated: {', '.join(map(repr, duplicated))}")
    statistics, constraints = [], []
    for i, name in enumerate(names):  # one column at a time: its sorted copy is freed before the next
        p = profile_column(df.iloc[:, i], name=name)
        _require_finite(p)
        statistics.append(feature_statistics(p))
        constraints.append(feature_constraints(p))
    return Baseline(statistics_document(statistics, len(df)), constraints_document(constraints))


def _require_finite(p: ColumnProfile) -> None:
    if p.sorted_values is not None and len(p.sorted_values) and not np.isfinite(p.sorted_values[[0, -1]]).all():
        bad = int(np.count_nonzero(np.isinf(p.sorted_values)))
        raise ValueError(f"column {p.name!r} has {bad} infinite value(s); a baseline needs finite numbers")
    if p.summary is not None and p.summary.count and not np.isfinite([p.summary.low, p.summary.high]).all():
        raise ValueError(f"column {p.name!r} has infinite value(s); a baseline needs finite numbers")


def feature_constraints(p: ColumnProfile) -> dict:
    """The ``constraints.json`` entry suggested for one column profile."""
    entry: dict = {"name": p.name, "inferred_type": p.inferred_type,
                   "completeness": p.num_present / p.item_count if p.item_count else 0.0}
    if p.inferred_type in NUMERIC_TYPES and p.number_count:
        low = p.sorted_values[0] if p.sorted_values is not None else p.summary.low
        entry["num_constraints"] = {"is_non_negative": bool(low >= 0)}
    elif p.inferred_type == STRING and _has_small_domain(p):
        entry["string_constraints"] = {"domains": p.categories.tolist()}
    return entry


def constraints_document(features: list[dict]) -> dict:
    """A whole ``constraints.json`` document with the default ``monitoring_config``."""
    return {"version": 0.0, "features": features, "monitoring_config": copy.deepcopy(DEFAULT_MONITORING_CONFIG)}


def _has_small_domain(p: ColumnProfile) -> bool:
    distinct = len(p.categories)
    if distinct == 0 or distinct > DOMAIN_MAX_DISTINCT:
        return False
    singletons = int(np.count_nonzero(p.counts == 1))
    return singletons / distinct <= DOMAIN_MAX_SINGLETON_RATIO


def column_name_problem(name: str) -> str | None:
    """Why ``name`` is not a Spark-compatible column name, or ``None`` when it is."""
    if COLUMN_NAME_PATTERN.match(name):
        return None
    suggestion = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "column"
    if not suggestion[0].isalpha():
        suggestion = "c_" + suggestion
    return (f"column {name!r} is not Spark-compatible: use lowercase letters, digits and '_' only, "
            f"starting with a letter (e.g. {suggestion!r})")


class Baseline:
    """``statistics`` and ``constraints``: the two baseline documents as plain dicts."""

    def __init__(self, statistics: dict, constraints: dict):
        _validate_statistics(statistics, STATISTICS_FILE)
        _validate_constraints(constraints, CONSTRAINTS_FILE)
        statistics = _non_finite_from_text(statistics)
        self.statistics = statistics
        self.constraints = constraints

    def __repr__(self) -> str:
        return f"Baseline({len(self.constraints['features'])} features, item_count={self.statistics['dataset']['item_count']})"

    @property
    def problems(self) -> list[str]:
        """Problems a user should fix in the baseline dataset (non-Spark-compatible names)."""
        found = (column_name_problem(f["name"]) for f in self.constraints["features"])
        return [p for p in found if p]

    @property
    def warnings(self) -> list[str]:
        """Keys of ``constraints.json`` this model does not read (legacy or unknown), one line per place."""
        return constraint_warnings(self.constraints)

    @property
    def feature_names(self) -> list[str]:
        return [f["name"] for f in self.constraints["features"]]

    def feature_statistics(self, name: str) -> dict | None:
        """The ``statistics.json`` entry of feature ``name`` (``None`` if absent)."""
        return next((f for f in self.statistics["features"] if f["name"] == name), None)

    # -- files -------------------------------------------------------------------------------
    def to_json(self) -> dict[str, str]:
        """``{"statistics.json": text, "constraints.json": text}`` (what ``save`` writes)."""
        return {
            STATISTICS_FILE: json.dumps(_non_finite_as_text(self.statistics), indent=2, allow_nan=False) + "\n",
            CONSTRAINTS_FILE: json.dumps(self.constraints, indent=2, allow_nan=False) + "\n",
        }

    def save(self, directory: str | Path) -> Path:
        """Write ``statistics.json`` and ``constraints.json`` into ``directory`` (created if needed)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for file_name, text in self.to_json().items():
            (directory / file_name).write_text(text, encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> Baseline:
        """Read the two files from ``directory``; a bad file raises ``ValueError`` naming it."""
        directory = Path(directory)
        documents = {}
        for file_name in (STATISTICS_FILE, CONSTRAINTS_FILE):
            path = directory / file_name
            if not path.is_file():
                raise FileNotFoundError(f"{path}: no such file (a baseline directory holds {STATISTICS_FILE} and {CONSTRAINTS_FILE})")
            try:
                documents[file_name] = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
        _validate_statistics(documents[STATISTICS_FILE], str(directory / STATISTICS_FILE))
        _validate_constraints(documents[CONSTRAINTS_FILE], str(directory / CONSTRAINTS_FILE))
        return cls(documents[STATISTICS_FILE], documents[CONSTRAINTS_FILE])

    # -- edits (each returns a new Baseline) ---------------------------------------------------
    def with_threshold(self, threshold: float, *, categorical: float | None = None) -> Baseline:
        """Set ``comparison_threshold`` to ``threshold`` and ``categorical_comparison_threshold``
        to ``categorical`` (default: the same value). Lower = tighter."""
        return self.with_monitoring_config(
            comparison_threshold=threshold,
            categorical_comparison_threshold=threshold if categorical is None else categorical,
        )

    def with_monitoring_config(self, **changes) -> Baseline:
        """Change ``monitoring_config`` keys, e.g. ``comparison_method="Simple"``; keys of
        ``distribution_constraints`` are found there."""
        constraints = copy.deepcopy(self.constraints)
        config = constraints["monitoring_config"]
        distribution = config["distribution_constraints"]
        default_distribution = DISTRIBUTION_KEYS
        for key, value in changes.items():
            if key in distribution or key in default_distribution:
                distribution[key] = value
            elif key in config or key in DEFAULT_MONITORING_CONFIG:
                if key == "distribution_constraints":
                    raise ValueError("set the keys of distribution_constraints one by one, e.g. comparison_threshold=0.2")
                config[key] = value
            else:
                known = sorted({*config, *distribution, *DEFAULT_MONITORING_CONFIG, *default_distribution} - {"distribution_constraints"})
                raise ValueError(f"unknown monitoring_config key {key!r}; known keys: {', '.join(known)}")
        return Baseline(copy.deepcopy(self.statistics), constraints)

    def with_feature_constraints(self, name: str, **changes) -> Baseline:
        """Change one feature's constraints: ``completeness``, ``is_non_negative``, ``domains``
        (``None`` removes the domain check) or ``overrides`` (``monitoringConfigOverrides``)."""
        constraints = copy.deepcopy(self.constraints)
        feature = next((f for f in constraints["features"] if f["name"] == name), None)
        if feature is None:
            raise ValueError(f"no feature {name!r} in the baseline; features: {', '.join(self.feature_names)}")
        for key, value in changes.items():
            if key == "completeness":
                feature["completeness"] = value
            elif key == "is_non_negative":
                feature.setdefault("num_constraints", {})["is_non_negative"] = value
            elif key == "domains":
                if value is None:
                    feature.pop("string_constraints", None)
                else:
                    feature.setdefault("string_constraints", {})["domains"] = [str(v) for v in value]
            elif key == "overrides":
                feature["monitoringConfigOverrides"] = dict(value)
            else:
                raise ValueError(f"unknown feature constraint {key!r}; use completeness, is_non_negative, domains or overrides")
        return Baseline(copy.deepcopy(self.statistics), constraints)


# -- validation: a hand-edited file fails with a message, not later with a KeyError -------------
def _fail(source: str, message: str) -> None:
    raise ValueError(f"{source}: {message}")


def _validate_statistics(statistics: dict, source: str) -> None:
    if not isinstance(statistics, dict):
        _fail(source, "must be a JSON object")
    item_count = statistics.get("dataset", {}).get("item_count") if isinstance(statistics.get("dataset"), dict) else None
    if not isinstance(item_count, (int, float)) or item_count < 0:
        _fail(source, "dataset.item_count must be a non-negative number")
    _validated_features(statistics, source)


def _validated_features(document: dict, source: str) -> list[dict]:
    """The ``features`` list of a statistics/constraints document: named, with a known inferred_type."""
    features = document.get("features")
    if not isinstance(features, list) or not features:
        _fail(source, "features must be a non-empty list")
    for i, f in enumerate(features):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            _fail(source, f"features[{i}] needs a string name")
        if f.get("inferred_type") not in INFERRED_TYPES:
            _fail(source, f"feature {f['name']!r}: inferred_type must be one of {', '.join(INFERRED_TYPES)}, got {f.get('inferred_type')!r}")
    return features


def _validate_constraints(constraints: dict, source: str) -> None:
    if not isinstance(constraints, dict):
        _fail(source, "must be a JSON object")
    for f in _validated_features(constraints, source):
        name = f["name"]
        completeness = f.get("completeness", 0.0)
        if not _is_number(completeness) or not 0 <= completeness <= 1:
            _fail(source, f"feature {name!r}: completeness must be a number from 0 to 1, got {completeness!r}")
        non_negative = f.get("num_constraints", {}).get("is_non_negative", False)
        if not isinstance(non_negative, bool):
            _fail(source, f"feature {name!r}: num_constraints.is_non_negative must be true or false")
        domains = f.get("string_constraints", {}).get("domains", [])
        if not isinstance(domains, list) or not all(isinstance(v, str) for v in domains):
            _fail(source, f"feature {name!r}: string_constraints.domains must be a list of strings")
        for where, overrides in _override_blocks(f):
            if not isinstance(overrides, dict):
                _fail(source, f"feature {name!r}: {where} must be an object")
            for key, value in overrides.items():
                if key in OVERRIDE_KEYS:  # other keys are listed by constraint_warnings
                    _validate_setting(source, f"feature {name!r}: {where}.{key}", key, value)
    config = constraints.get("monitoring_config")
    if not isinstance(config, dict) or not isinstance(config.get("distribution_constraints"), dict):
        _fail(source, "monitoring_config.distribution_constraints must be an object")
    for key, value in config.items():
        if key != "distribution_constraints":
            _validate_setting(source, f"monitoring_config.{key}", key, value)
    for key, value in config["distribution_constraints"].items():
        _validate_setting(source, f"monitoring_config.distribution_constraints.{key}", key, value)
    legacy = config["distribution_constraints"].get("enable_comparisons")
    if legacy is not None and not isinstance(legacy, bool):
        _fail(source, "monitoring_config.distribution_constraints.enable_comparisons must be true or false")


def _validate_setting(source: str, where: str, key: str, value) -> None:
    if key in _ENUM_KEYS and value not in _ENUM_KEYS[key]:
        _fail(source, f"{where} must be one of {', '.join(_ENUM_KEYS[key])}, got {value!r}")
    if key in _SHARE_KEYS + _DISTRIBUTION_THRESHOLDS and (not _is_number(value) or not 0 <= value <= 1):
        _fail(source, f"{where} must be a number from 0 to 1, got {value!r}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


# -- legacy and unknown keys ---------------------------------------------------------------------
def _override_blocks(feature: dict) -> list[tuple[str, object]]:
    """The per-feature override objects, under each spelling the real files use."""
    blocks = []
    if "monitoringConfigOverrides" in feature:
        blocks.append(("monitoringConfigOverrides", feature["monitoringConfigOverrides"]))
    if LEGACY_OVERRIDES_KEY in feature:
        blocks.append((LEGACY_OVERRIDES_KEY, feature[LEGACY_OVERRIDES_KEY]))
    strings = feature.get("string_constraints")
    if isinstance(strings, dict) and LEGACY_OVERRIDES_KEY in strings:
        blocks.append((f"string_constraints.{LEGACY_OVERRIDES_KEY}", strings[LEGACY_OVERRIDES_KEY]))
    return blocks


def feature_overrides(feature: dict) -> dict:
    """The settings one feature overrides, from every spelling (known keys only)."""
    merged: dict = {}
    for _, block in _override_blocks(feature):
        if isinstance(block, dict):
            merged.update({k: v for k, v in block.items() if k in OVERRIDE_KEYS})
    return merged


def distribution_settings(config: dict) -> dict:
    """``distribution_constraints`` with defaults filled in and the legacy ``enable_comparisons`` read."""
    given = config.get("distribution_constraints", {})
    settings = {**DEFAULT_MONITORING_CONFIG["distribution_constraints"], **DEFAULT_CATEGORICAL_SETTINGS}
    if "perform_comparison" not in given and isinstance(given.get("enable_comparisons"), bool):
        settings["perform_comparison"] = "Enabled" if given["enable_comparisons"] else "Disabled"
    settings.update({k: v for k, v in given.items() if k in DISTRIBUTION_KEYS})
    return settings


def constraint_warnings(constraints: dict) -> list[str]:
    """One line per place in ``constraints.json`` holding keys this model does not read."""
    found = []

    def unknown(where: str, keys) -> None:
        if keys:
            found.append(f"{where}: ignored unknown key(s) {', '.join(sorted(map(str, keys)))}")

    unknown("constraints.json", set(constraints) - {"version", "features", "monitoring_config"})
    for feature in constraints.get("features", []):
        name = feature.get("name")
        unknown(f"feature {name!r}", set(feature) - _FEATURE_KEYS)
        if isinstance(feature.get("num_constraints"), dict):
            unknown(f"feature {name!r} num_constraints", set(feature["num_constraints"]) - {"is_non_negative"})
        if isinstance(feature.get("string_constraints"), dict):
            unknown(f"feature {name!r} string_constraints", set(feature["string_constraints"]) - {"domains", LEGACY_OVERRIDES_KEY})
        for where, block in _override_blocks(feature):
            if isinstance(block, dict):
                unknown(f"feature {name!r} {where}", set(block) - set(OVERRIDE_KEYS))
    config = constraints.get("monitoring_config", {})
    unknown("monitoring_config", set(config) - _CONFIG_KEYS)
    distribution = config.get("distribution_constraints", {})
    if isinstance(distribution, dict):
        unknown("monitoring_config.distribution_constraints", set(distribution) - set(DISTRIBUTION_KEYS) - {"enable_comparisons"})
    return found


# -- non-finite numbers in statistics.json -----------------------------------------------------
def _non_finite_as_text(document):
    """A copy with NaN and infinities as ``"NaN"``/``"Infinity"``/``"-Infinity"`` (valid JSON)."""
    if isinstance(document, dict):
        return {k: _non_finite_as_text(v) for k, v in document.items()}
    if isinstance(document, list):
        return [_non_finite_as_text(v) for v in document]
    if isinstance(document, float) and not np.isfinite(document):
        return "NaN" if document != document else ("Infinity" if document > 0 else "-Infinity")
    return document


def _non_finite_from_text(document, numeric: bool = False):
    """Read those strings back as floats, only inside ``numerical_statistics`` (a category may be "NaN")."""
    if isinstance(document, dict):
        return {k: _non_finite_from_text(v, numeric or k == "numerical_statistics") for k, v in document.items()}
    if isinstance(document, list):
        return [_non_finite_from_text(v, numeric) for v in document]
    if numeric and isinstance(document, str) and document in NON_FINITE_TEXT:
        return NON_FINITE_TEXT[document]
    return document
