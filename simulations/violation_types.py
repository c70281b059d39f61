"""Which check fires? Crafted live batches against one data-quality baseline, plus model quality.

A loan-approval endpoint scores applicants (``state``, ``age``, ``income``, ``basket_size``: the
number of products in the application); the model approves when log-income is above a cut-off.
The baseline is suggested by the engine from the training set plus the model's outputs (F08).
Each crafted batch is the training distribution with exactly one thing changed, checked with the
engine's ``data_quality_report``; labelled batches are also scored with the engine's
model-quality metrics against suggested constraints (accuracy 0.05 below the baseline value):

======================== ====================================================================
batch                    what is changed
======================== ====================================================================
``age-text``             ``bad_share`` of ``age`` values sent as words ("thirty-two")
``state-zz``             ``bad_share`` of ``state`` values are "ZZ" (outside the domain)
``income-missing``       ``bad_share`` of ``income`` values are null
``income-absent``        the ``income`` column is not sent at all (only when ``bad_share`` > 0)
``age-negative``         ``bad_share`` of ``age`` values are negative
``age-shift``            every age is ``age_shift`` years older (valid values)
``missing-8``            8 % of ``income`` missing against a constraint edited to completeness
                         0.95 (only when ``bad_share`` > 0)
``concept``              inputs as in training; the applicant -> outcome relation changes by
                         ``concept_change`` (0 none, 0.5 outcome unrelated to income, 1 reversed)
======================== ====================================================================

Three more worlds have their own baselines (``batch_rows`` against ``training_rows``):

================================ ============================================================
batch                            what is changed
================================ ============================================================
``fraud-dropped-column``         14 card-transaction features; the feature service stops
                                 sending ``merchant_category`` (only when ``schema_change``)
``ride-extra-column-and-drift``  9 ride columns; a client adds ``promo_code`` (empty for 75 %
                                 of riders; only when ``schema_change``) and log trip distance
                                 moves by ``trip_distance_shift`` standard deviations
``shipping-new-countries``       ``new_country_share`` of orders come from BR and AR, outside
                                 the baseline domain US/CA/MX of ``country``
================================ ============================================================

Every option of the linked questions is judged by what the engine reports for the batch the
option talks about: "batch X carries check Y" holds when the violations of X include Y for the
named feature; a problem kind (data quality, data drift, model quality, missing values, concept
drift, overfitting) holds when that monitor reports the batch. The engine has only the six
documented check types, none of which tests the sign of a value: negative ages are reported by
the data-quality monitor when they move ``age``'s distribution past the drift threshold.
The same world also runs an hourly schedule on ``basket_size`` traffic with ``basket_shift``
more products than in training (edit-suggested-constraints), tries three CSV headers against the Spark column-name rule, looks
for five items in the baseline files (NOT-question: an option "works" when the item is absent),
and calls each SDK-like step to see which one writes ``statistics.json`` and ``constraints.json``.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.baseline import Baseline, distribution_settings, suggest_baseline
from simulations.monitoring.capture import capture_frame, read_captured
from simulations.monitoring.checks import data_quality_report
from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.cron import CronExpressionGenerator
from simulations.monitoring.model_quality import (
    BINARY_CLASSIFICATION,
    check_model_quality,
    model_quality_statistics,
    suggest_model_quality_constraints,
)
from simulations.monitoring.schedule import (
    COMPLETED,
    COMPLETED_WITH_VIOLATIONS,
    ModelMonitorService,
    MonitoringJobError,
    MonitoringSchedule,
)
from simulations.monitoring.utc import UTC
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Outcome, Series, SimulationResult, check, criterion

DQ_CHECKS = ("data_type_check", "completeness_check", "categorical_values_check", "missing_column_check",
             "extra_column_check")  # the documented check types except drift (there is no non-negative check type)
CHECK_KEYS = {"data-type": "data_type_check", "completeness": "completeness_check", "drift": "baseline_drift_check",
              "categorical-values": "categorical_values_check", "extra-column": "extra_column_check",
              "missing-column": "missing_column_check"}
ACCURACY_TOLERANCE = 0.05
HEADERS = {
    "header-as-is": ["Customer Age", "Monthly-Spend($)", "isActive"],
    "header-upper-underscore": ["CUSTOMER_AGE", "MONTHLY_SPEND", "IS_ACTIVE"],
    "header-lower-hyphen": ["customer-age", "monthly-spend", "is-active"],
    "header-lower-underscore": ["customer_age", "monthly_spend", "is_active"],
    "header-camel-case": ["customerAge", "monthlySpend", "isActive"],
}
BASELINE_ITEMS = {  # key -> (what the option says a baseline records, how it is looked for)
    "feature-distribution": "mean, variance and distribution of each input feature",
    "missing-share": "share of missing values per feature",
    "prediction-range": "range of the predictions and share of each predicted class",
    "quality-thresholds": "thresholds for accuracy, precision and recall",
    "instance-type": "the endpoint's instance type and auto scaling limits",
}
SDK_STEPS = ("create_monitoring_schedule", "suggest_baseline", "CronExpressionGenerator.hourly", "baseline_statistics",
             "suggested_constraints")


def _link(qid: str, **letters: str) -> QuestionLink:
    return QuestionLink(qid, dict(letters))


INFO = SimulationInfo(
    name="violation-types",
    title="Violation types: which check fires on which batch",
    summary="Crafted batches against one baseline show which constraint_check_type each problem carries, "
            "which monitor reports which kind of problem, and what editing the constraints does.",
    questions=(
        QuestionLink('violation-check-type-strings', {'A': 'age-text:data-type', 'B': 'age-text:completeness', 'C': 'age-text:drift', 'D': 'age-text:categorical-values'}),
        QuestionLink('violation-domain-and-columns', {'A': 'state-zz:categorical-values', 'B': 'income-missing:drift', 'C': 'income-absent:extra-column', 'D': 'age-shift:data-type'}),
        QuestionLink('violation-kind-age-shift', {'A': 'age-shift:data-type', 'B': 'age-shift:drift', 'C': 'kind:age-shift:model-quality-without-labels', 'D': 'kind:age-shift:only-clarify'}),
        QuestionLink('data-vs-concept-drift', {'A': 'kind:concept:data-drift', 'B': 'kind:concept:concept-drift', 'C': 'kind:concept:bias-drift', 'D': 'kind:concept:training-serving-skew'}),
        QuestionLink('edit-suggested-constraints', {'A': 'loosen-feature-constraint', 'B': 'rebaseline-from-captured-traffic', 'C': 'disable-cloudwatch-metrics', 'D': 'rerun-baseline-same-data'}),
        QuestionLink('baseline-column-names', {'A': 'header-camel-case', 'B': 'header-upper-underscore', 'C': 'header-lower-hyphen', 'D': 'header-lower-underscore'}),
        QuestionLink('baseline-contents', {'A': 'baselines:one-job-on-training-set', 'B': 'baselines:dq-on-validation-mq-on-training', 'C': 'baselines:mq-only-dq-hour-vs-hour', 'D': 'baselines:two-separate-jobs'}),
        QuestionLink('sdk-suggest-baseline', {'A': 'sdk:create_monitoring_schedule', 'B': 'sdk:suggest_baseline', 'C': 'sdk:suggested_constraints', 'D': 'sdk:baseline_statistics'}),
        QuestionLink('dq-dropped-upstream-column', {'A': 'dropped-column:completeness', 'B': 'dropped-column:drift-on-every-remaining', 'C': 'dropped-column:data-type', 'D': 'dropped-column:missing-column'}),
        QuestionLink('dq-extra-column-and-drift', {'A': 'ride:extra-column', 'B': 'ride:missing-column', 'C': 'ride:drift-trip-distance', 'D': 'ride:data-type-trip-distance', 'E': 'ride:completeness-promo-code'}),
        QuestionLink('dq-new-country-codes', {'A': 'new-countries:data-type', 'B': 'new-countries:categorical-values', 'C': 'new-countries:extra-column', 'D': 'new-countries:completeness'}),
        QuestionLink('dq-null-income', {'A': 'income-missing:missing-column', 'B': 'income-missing:data-type', 'C': 'income-missing:completeness', 'D': 'income-missing:no-violation'}),
        QuestionLink('dq-string-in-numeric-column', {'A': 'age-text:data-type', 'B': 'age-text:completeness', 'C': 'age-text:categorical-values', 'D': 'age-text:extra-column'}),
        QuestionLink('violation-kind-matching', {'A': 'kind:concept:data-drift', 'B': 'kind:missing-8:model-quality', 'C': 'kind:age-text:data-quality-monitor', 'D': 'kind:age-shift:only-clarify'}),
        QuestionLink('rebaseline-tradeoffs', {'A': 'rebaseline-cost:baseline-job-and-review', 'B': 'rebaseline-cost:endpoint-redeploy', 'C': 'rebaseline-cost:captured-data-deleted', 'D': 'rebaseline-cost:more-false-alarms', 'E': 'rebaseline-cost:monitoring-gap'}),
    ),
    params=(
        ParamSpec("training_rows", int, 3000, "rows in the training set the baseline is suggested from", min=500, max=50000),
        ParamSpec("batch_rows", int, 1000, "rows in each crafted live batch", min=200, max=20000),
        ParamSpec("bad_share", float, 0.3, "share of rows carrying the batch's problem (text ages, ZZ states, nulls, negatives)", min=0.0, max=1.0),
        ParamSpec("age_shift", float, 15.0, "years added to every age in the age-shift batch", min=0.0, max=40.0),
        ParamSpec("concept_change", float, 0.5, "how far the income -> approval relation moves in the concept batch (0 none, 1 reversed)", min=0.0, max=1.0),
        ParamSpec("basket_shift", float, 2.0, "extra products per application in live traffic (a harmless change the experts accept; 0 = as in training)", min=0.0, max=5.0),
        ParamSpec("loosened_threshold", float, 0.6, "comparison_threshold written for basket_size when the rule is loosened", min=0.1, max=1.0),
        ParamSpec("hours", int, 8, "hourly executions followed for the basket_size schedule", min=3, max=48),
        ParamSpec("rebaseline_hours", int, 3, "hours from deploying a retrained model until its new baseline is reviewed and attached", min=1, max=24),
        ParamSpec("schema_change", bool, True, "the fraud batch lacks merchant_category and the ride batch carries a new promo_code field"),
        ParamSpec("trip_distance_shift", float, 1.28, "standard deviations log trip distance moves in the ride batch (1.28: drift distance about 0.41)", min=0.0, max=4.0),
        ParamSpec("new_country_share", float, 0.25, "share of shipping orders from BR and AR, outside the baseline's US/CA/MX domain", min=0.0, max=1.0),
        ParamSpec("camera_change", float, 0.3, "brightness added to the defect photos by a new camera (share of the 0-255 range)", min=0.0, max=0.8),
    ),
    facts=("F08", "F09", "F12", "F37", "F38", "F41"),
    presets=(
        Preset("clean-batches", {"bad_share": 0.0, "age_shift": 0.0, "concept_change": 0.0, "basket_shift": 0.0, "camera_change": 0.0,
                                 "schema_change": False, "trip_distance_shift": 0.0, "new_country_share": 0.0},
               "every batch drawn exactly like the training data", control=True,
               premise="no problem in the live data: no bad values, no shift, no concept change, normal basket sizes, "
                       "no column dropped or added, no new countries"),
        Preset("subtle-problems", {"bad_share": 0.02, "age_shift": 3.0, "concept_change": 0.2, "basket_shift": 0.5,
                                   "trip_distance_shift": 0.2, "new_country_share": 0.02},
               "small problems: 2 % bad values, ages 3 years older, a weak concept change"),
    ),
)

STATES = np.array(["CA", "NY", "TX"], dtype=object)
WORDS = np.array(["eighteen", "twenty-five", "thirty-two", "forty", "fifty-one"], dtype=object)
CUT = 10.8  # log-income above which the model approves
START = datetime(2025, 6, 2, tzinfo=UTC)
HOUR = timedelta(hours=1)
FEATURES = ["state", "age", "income", "basket_size"]


# -- data ---------------------------------------------------------------------------------------
def applicants(n: int, rng: np.random.Generator, age_shift: float = 0.0, basket_shift: float = 0.0) -> pd.DataFrame:
    age = np.clip(np.rint(rng.normal(30.0 + age_shift, 6.0, n)), 18, 95).astype(np.int64)
    income = np.round(np.exp(rng.normal(CUT, 0.4, n)), 2)
    basket = np.maximum(1, np.rint(rng.normal(4.0 + basket_shift, 1.5, n))).astype(np.int64)
    return pd.DataFrame({"state": STATES[rng.choice(3, n, p=[0.5, 0.3, 0.2])], "age": age, "income": income,
                         "basket_size": basket})


def outcomes_for(df: pd.DataFrame, rng: np.random.Generator, concept_change: float) -> np.ndarray:
    """True approval outcome: logistic in log-income; concept_change bends the relation towards its reverse."""
    x = np.log(df["income"].to_numpy(np.float64)) - CUT
    p = 1.0 / (1.0 + np.exp(-8.0 * (1.0 - 2.0 * concept_change) * x))
    return (rng.random(len(df)) < p).astype(np.int64)


def score(df: pd.DataFrame, income_fill: float) -> pd.DataFrame:
    """The model's outputs (a missing income is filled with the training median before scoring)."""
    income = pd.to_numeric(df["income"], errors="coerce").fillna(income_fill).to_numpy(np.float64) if "income" in df else np.full(len(df), income_fill)
    probability = np.round(1.0 / (1.0 + np.exp(-8.0 * (np.log(income) - CUT))), 4)
    return pd.DataFrame({"approval_probability": probability,
                         "decision": np.where(probability >= 0.5, "approved", "declined").astype(object)}, index=df.index)


def with_outputs(df: pd.DataFrame, income_fill: float) -> pd.DataFrame:
    return pd.concat([df, score(df, income_fill)], axis=1)


def crafted_batches(p: dict, rng: np.random.Generator, fill: float) -> dict[str, tuple[pd.DataFrame, np.ndarray]]:
    """Each batch with its true outcomes (drawn from the clean rows, before the problem is put in)."""
    n, share = p["batch_rows"], p["bad_share"]
    k = int(round(share * n))
    out: dict[str, tuple[pd.DataFrame, np.ndarray]] = {}

    def clean(name: str, **shift) -> pd.DataFrame:
        frame = applicants(n, rng, **shift)
        out[name] = (frame, outcomes_for(frame, rng, p["concept_change"] if name == "concept" else 0.0))
        return frame

    b = clean("age-text")
    b["age"] = b["age"].astype(object)
    b.loc[rng.choice(n, k, replace=False), "age"] = WORDS[rng.integers(0, len(WORDS), k)]
    b = clean("state-zz")
    b.loc[rng.choice(n, k, replace=False), "state"] = "ZZ"
    b = clean("income-missing")
    b.loc[rng.choice(n, k, replace=False), "income"] = np.nan
    b = clean("income-absent")
    if k:
        out["income-absent"] = (b.drop(columns="income"), out["income-absent"][1])
    b = clean("age-negative")
    rows = rng.choice(n, k, replace=False)
    b.loc[rows, "age"] = -b.loc[rows, "age"]
    clean("age-shift", age_shift=p["age_shift"])
    b = clean("missing-8")
    if k:
        b.loc[rng.choice(n, int(round(0.08 * n)), replace=False), "income"] = np.nan
    clean("concept")
    return {name: (with_outputs(frame, fill), y) for name, (frame, y) in out.items()}


# -- judging helpers ----------------------------------------------------------------------------
def _checks_by_feature(violations: list[dict]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for v in violations:
        found.setdefault(v["feature_name"], set()).add(v["constraint_check_type"])
    return found


def _shown(checks: set[str]) -> str:
    return ", ".join(sorted(checks)) or "no violation"


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    total = 5
    if progress:
        progress(0, total, "training set, baseline, model-quality baseline")
    train = applicants(p["training_rows"], rng)
    fill = float(train["income"].median())
    train_out = with_outputs(train, fill)
    baseline = suggest_baseline(train_out)
    edited_8 = baseline.with_feature_constraints("income", completeness=0.95)
    y_train = outcomes_for(train, rng, 0.0)
    mq_stats = model_quality_statistics(BINARY_CLASSIFICATION, y_train, (train_out["decision"] == "approved").astype(int).to_numpy(),
                                        y_score=train_out["approval_probability"].to_numpy(), seed=seed)
    mq_constraints = suggest_model_quality_constraints(mq_stats, tolerance=ACCURACY_TOLERANCE)
    mq_constraints["binary_classification_constraints"] = {"accuracy": mq_constraints["binary_classification_constraints"]["accuracy"]}
    base_accuracy = mq_stats["binary_classification_metrics"]["accuracy"]["value"]
    accuracy_floor = mq_constraints["binary_classification_constraints"]["accuracy"]["threshold"]

    if progress:
        progress(1, total, "crafted batches against the baseline")
    batches = crafted_batches(p, rng, fill)
    reports, checks, accuracy, mq_violations = {}, {}, {}, {}
    for name, (frame, y) in batches.items():
        reference = edited_8 if name == "missing-8" else baseline
        report = data_quality_report(frame, reference)
        reports[name] = report
        checks[name] = _checks_by_feature(report.violations["violations"])
        stats = model_quality_statistics(BINARY_CLASSIFICATION, y, (frame["decision"] == "approved").astype(int).to_numpy(),
                                         y_score=frame["approval_probability"].to_numpy(), seed=seed)
        accuracy[name] = stats["binary_classification_metrics"]["accuracy"]["value"]
        mq_violations[name] = len(check_model_quality(stats, mq_constraints)["violations"])
    # overfitting test: fresh data from the training-time relation, scored by the same model
    fresh = applicants(p["batch_rows"], rng)
    fresh_out = score(fresh, fill)
    y_fresh = outcomes_for(fresh, rng, 0.0)
    fresh_accuracy = float(np.mean((fresh_out["decision"] == "approved").astype(int).to_numpy() == y_fresh))

    outcomes: list[Outcome] = []
    feature_of = {"age-text": "age", "state-zz": "state", "income-missing": "income", "income-absent": "income",
                  "age-shift": "age", "age-negative": "age"}
    for batch, feature in feature_of.items():
        fired = checks[batch].get(feature, set())
        for key, check_type in CHECK_KEYS.items():
            outcomes.append(Outcome(
                f"{batch}:{key}", f"the {batch} batch is reported as {check_type} on {feature}",
                [check(f"{check_type} on {feature} for the {batch} batch", check_type in fired,
                       f"the engine reports {check_type} for {feature} (all checks on {feature}: {_shown(fired)})",
                       f"the engine reports {_shown(fired)} for {feature}, not {check_type}")],
                evidence={"batch": batch, "feature": feature, "checks_fired": sorted(fired),
                          "violations": len(reports[batch].violations["violations"])},
                key=f"{batch}:{key}"))

    income_stats = next(f for f in reports["income-missing"].statistics["features"] if f["name"] == "income")
    counted = int(income_stats.get("numerical_statistics", income_stats.get("string_statistics", {})).get("common", {}).get("num_missing", 0))
    on_income = checks["income-missing"].get("income", set())
    outcomes.append(Outcome("income-missing:no-violation", "no violation: nulls are dropped before the statistics are compared", [
        criterion("violations on income for the income-missing batch", len(on_income), "==", 0, detail=_shown(on_income))],
        finding=f"The current statistics count {counted} null incomes of {p['batch_rows']} (num_missing); they are not dropped.",
        evidence={"batch": "income-missing", "num_missing": counted, "checks_fired": sorted(on_income)},
        key="income-missing:no-violation"))

    drift_threshold = distribution_settings(baseline.constraints["monitoring_config"])["comparison_threshold"]

    def kind_criteria(batch: str, kind: str) -> list:
        all_checks = set().union(*checks[batch].values()) if checks[batch] else set()
        dq = sorted(all_checks & set(DQ_CHECKS))
        drifted = sorted(f for f, c in checks[batch].items() if "baseline_drift_check" in c)
        acc = accuracy[batch]
        if kind == "data-quality":
            return [criterion(f"data-quality checks firing on the {batch} batch", len(dq), ">=", 1,
                              detail=", ".join(dq) or "type, completeness, domain and column checks all pass")]
        if kind == "data-drift":
            return [criterion(f"features with baseline_drift_check on the {batch} batch", len(drifted), ">=", 1,
                              detail=", ".join(f"{f} {reports[batch].distances.get(f, 0):.3f}" for f in drifted) or
                              "largest distance " + f"{max(reports[batch].distances.values(), default=0):.3f}, threshold 0.1")]
        if kind == "model-quality":
            return [criterion(f"model-quality violations on the {batch} batch", mq_violations[batch], ">=", 1,
                              detail=f"accuracy {acc:.3f} against the constraint LessThanThreshold {accuracy_floor:.3f}"),
                    criterion(f"data-quality and drift checks reporting the {batch} batch instead", len(all_checks), "==", 0,
                              detail=_shown(all_checks))]
        if kind == "data-quality-monitor":
            feature = feature_of[batch]
            fired = checks[batch].get(feature, set())
            distance = reports[batch].distances.get(feature, 0.0)
            sign_note = ("; no documented check type tests the sign of a value, so negative ages are seen when they move the distribution"
                         if batch == "age-negative" else "")
            return [criterion(f"check types the data-quality monitor reports on {feature} for the {batch} batch", len(fired), ">=", 1,
                              detail=f"{_shown(fired)}; {feature} distance {distance:.3f}, threshold {drift_threshold:g}{sign_note}")]
        if kind == "missing-values":
            return [check(f"completeness_check on the {batch} batch", "completeness_check" in all_checks,
                          "the engine reports completeness_check (values are missing)",
                          f"no completeness_check: the checks that fire are {_shown(all_checks)}")]
        if kind == "concept-drift":
            return [criterion(f"model-quality violations on the {batch} batch", mq_violations[batch], ">=", 1,
                              detail=f"accuracy {acc:.3f}, baseline {base_accuracy:.3f}, floor {accuracy_floor:.3f}"),
                    criterion(f"input features with baseline_drift_check on the {batch} batch", len(drifted), "==", 0,
                              detail="the inputs look like the training data" if not drifted else ", ".join(drifted))]
        if kind == "only-clarify":  # the claim: no Model Monitor schedule but a Clarify one reports it
            return [criterion(f"data-quality violations that already report the {batch} batch", len(all_checks), "==", 0,
                              detail=_shown(all_checks))]
        if kind == "model-quality-without-labels":
            try:
                model_quality_statistics(BINARY_CLASSIFICATION, np.array([], dtype=int), np.array([], dtype=int))
                reason = ""
            except ValueError as error:
                reason = str(error)
            return [check("a model-quality report computed from captured requests without labels", not reason,
                          "computed", f"refused by the engine: {reason}")]
        if kind == "bias-drift":
            frame, y = batches[batch]
            right = (frame["decision"] == "approved").astype(int).to_numpy() == y
            by_state = pd.Series(right).groupby(frame["state"].to_numpy()).mean()
            return [criterion(f"accuracy gap between states on the {batch} batch", round(float(by_state.max() - by_state.min()), 4), ">", 0.1,
                              detail=", ".join(f"{k} {v:.3f}" for k, v in by_state.items()))]
        if kind == "training-serving-skew":
            moved = [f for f, d in reports[batch].distances.items() if d > 0.1]
            return [criterion(f"features whose production values differ from training on the {batch} batch", len(moved), ">=", 1,
                              detail=", ".join(f"{f} {d:.3f}" for f, d in reports[batch].distances.items()))]
        if kind == "overfitting":
            drop = base_accuracy - fresh_accuracy
            return [criterion("accuracy lost on fresh data from the training-time relation", round(drop, 4), ">", ACCURACY_TOLERANCE,
                              detail=f"baseline {base_accuracy:.3f}, fresh holdout {fresh_accuracy:.3f}: an overfit model fails on new data even when nothing changed")]
        raise ValueError(kind)

    kinds = {"age-shift": ("data-quality", "data-drift", "model-quality", "missing-values", "only-clarify", "model-quality-without-labels"),
             "concept": ("data-drift", "data-quality", "concept-drift", "overfitting", "bias-drift", "training-serving-skew"),
             "age-negative": ("data-quality", "data-quality-monitor"), "age-text": ("data-quality-monitor",),
             "missing-8": ("model-quality",)}
    for batch, names in kinds.items():
        for kind in names:
            outcomes.append(Outcome(f"kind:{batch}:{kind}", f"the {batch} batch is a {kind} problem", kind_criteria(batch, kind),
                                    evidence={"batch": batch, "accuracy": round(accuracy[batch], 4),
                                              "model_quality_violations": mq_violations[batch],
                                              "checks": {f: sorted(c) for f, c in checks[batch].items()}},
                                    key=f"kind:{batch}:{kind}"))

    if progress:
        progress(2, total, "hourly schedule on basket_size traffic")
    outcomes += basket_schedule_outcomes(p, rng, train_out, fill, seed)

    schema_out, schema_reports, schema_numbers = schema_worlds(p, rng)
    outcomes += schema_out

    if progress:
        progress(3, total, "column names, baseline files, SDK steps")
    outcomes += header_outcomes(rng)
    outcomes += image_outcomes(p, rng)
    outcomes += rebaseline_outcomes(p, rng, fill)
    outcomes += baseline_plan_outcomes(p, rng, fill)
    with tempfile.TemporaryDirectory() as tmp:
        contents, artifacts = baseline_file_outcomes(Path(tmp), baseline, mq_stats, mq_constraints)
        outcomes += contents
        outcomes += sdk_outcomes(Path(tmp) / "sdk", train_out)

    if progress:
        progress(4, total, "tables and narrative")
    rows = [{"batch": b, "violations": len(reports[b].violations["violations"]),
             "checks": "; ".join(f"{f}: {_shown(c)}" for f, c in sorted(checks[b].items())) or "none",
             "accuracy": round(accuracy[b], 4), "model_quality_violations": mq_violations[b]} for b in batches]
    table = pd.DataFrame(rows)
    for b, report in (reports | schema_reports).items():
        artifacts.append(Artifact(f"batches/{b}/constraint_violations.json", json.dumps(report.violations, indent=2) + "\n",
                                  f"what the engine reports for the {b} batch"))
    series = [Series("violations", list(batches), [len(reports[b].violations["violations"]) for b in batches], "bar",
                     "batch", "violations", "Violations per crafted batch"),
              Series("accuracy", list(batches), [round(accuracy[b], 4) for b in batches], "bar", "batch", "accuracy",
                     "Accuracy per labelled batch"),
              Series("accuracy floor", list(batches), [round(accuracy_floor, 4)] * len(batches), "line", "batch", "accuracy",
                     "Accuracy per labelled batch")]
    flagged = [b for b in batches if reports[b].violations["violations"]]
    if flagged:
        story = (f"Of {len(batches)} crafted batches of {p['batch_rows']} rows, {len(flagged)} carry violations: "
                 + "; ".join(f"{r['batch']} -> {r['checks']}" for r in rows if r["violations"]) + ". ")
    else:
        story = (f"All {len(batches)} batches of {p['batch_rows']} rows were drawn like the training data "
                 f"(bad_share {p['bad_share']}, age shift {p['age_shift']}), and the engine reports no data-quality violation on any of them. ")
    concept_text = (f"The concept batch keeps the inputs but moves the income -> approval relation by {p['concept_change']}: "
                    f"accuracy {accuracy['concept']:.3f} against a baseline of {base_accuracy:.3f} "
                    f"({mq_violations['concept']} model-quality violation{'s' if mq_violations['concept'] != 1 else ''}, floor {accuracy_floor:.3f}).")
    schema_text = (f" Three more worlds have their own baselines: the fraud batch has {schema_numbers['fraud_columns'][0]} columns against "
                   f"{schema_numbers['fraud_columns'][1]} ({_listed(schema_reports['fraud-dropped-column'].violations['violations'])}); "
                   f"the ride batch has {schema_numbers['ride_columns'][0]} against {schema_numbers['ride_columns'][1]} with trip_distance_km "
                   f"at distance {schema_numbers['trip_distance_km_distance']:.3f} "
                   f"({_listed(schema_reports['ride-extra-column-and-drift'].violations['violations'])}); "
                   f"{schema_numbers['countries_outside_domain']} of {p['batch_rows']} shipping orders come from countries outside "
                   f"the baseline domain ({_listed(schema_reports['shipping-new-countries'].violations['violations'])}).")
    narrative = (f"The baseline was suggested from {p['training_rows']} training rows plus the model's outputs. " + story + concept_text
                 + schema_text)
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative, series=series,
        tables={"batches": table, "schema_batches": pd.DataFrame(
            [{"batch": b, "violations": len(r.violations["violations"]), "checks": _listed(r.violations["violations"])}
             for b, r in schema_reports.items()])}, artifacts=artifacts, outcomes=outcomes,
        key_numbers={"batches_with_violations": len(flagged), "baseline_accuracy": round(base_accuracy, 4),
                     "accuracy_floor": round(accuracy_floor, 4), "concept_accuracy": round(accuracy["concept"], 4),
                     "fresh_accuracy": round(fresh_accuracy, 4),
                     "checks": {b: {f: sorted(c) for f, c in checks[b].items()} for b in batches},
                     **schema_numbers},
        question_id=INFO.question_ids[0],
    )


# -- edit-suggested-constraints: an hourly schedule with a harmless basket_size spread -----------
def basket_schedule_outcomes(p: dict, rng: np.random.Generator, train_out: pd.DataFrame, fill: float, seed: int) -> list[Outcome]:
    hours = p["hours"]
    traffic = [with_outputs(applicants(300, rng, basket_shift=p["basket_shift"]), fill) for _ in range(hours)]
    probe = with_outputs(applicants(300, rng, basket_shift=p["basket_shift"]), fill)
    probe["age"] = probe["age"].astype(object)
    probe.loc[probe.index[:30], "age"] = "unknown"  # a real problem the monitor must still catch (ages sent as text)
    baseline = suggest_baseline(train_out)
    loosened = baseline.with_feature_constraints("basket_size", overrides={"comparison_threshold": p["loosened_threshold"]})
    rerun = suggest_baseline(train_out)
    same_files = rerun.to_json() == baseline.to_json()
    capture_off = set()

    reports: dict[tuple[tuple[str, ...], int], list] = {}  # byte-identical baseline files and the same hour give the same report
    parsed: dict[tuple[str, ...], Baseline] = {}

    def read_reference(reference_dir: Path) -> tuple[Baseline, tuple[str, ...]]:
        """Read the two files every run, as the job does; parse a text seen before only once."""
        try:
            texts = tuple((reference_dir / name).read_text(encoding="utf-8") for name in ("statistics.json", "constraints.json"))
        except OSError:
            return Baseline.load(reference_dir), ()  # raises the engine's own error naming the missing file
        if texts not in parsed:
            parsed[texts] = Baseline.load(reference_dir)
        return parsed[texts], texts

    def job_for(reference_dir: Path, skip_hours: set[int]):
        def job(start: datetime, end: datetime) -> dict:
            hour = int((start - START) / HOUR)
            if hour in skip_hours or not 0 <= hour < hours:
                raise MonitoringJobError(f"no captured data in the window {start:%H:%M} to {end:%H:%M}")
            reference, texts = read_reference(reference_dir)
            if (texts, hour) not in reports:
                reports[(texts, hour)] = data_quality_report(traffic[hour], reference).violations["violations"]
            return {"violations": reports[(texts, hour)]}
        return job

    def follow(reference_dir: Path, skip_hours: set[int]) -> dict:
        clock = SimulatedClock(START)
        service = ModelMonitorService(clock)
        service.create_endpoint("loan-endpoint")
        service.create_monitoring_schedule(MonitoringSchedule("loan-data-quality", "loan-endpoint",
                                                              CronExpressionGenerator.hourly(), job_for(reference_dir, skip_hours)))
        clock.run_until(START + hours * HOUR)
        execs = service.list_monitoring_executions()
        basket = sum(1 for e in execs if e.report and any(v["feature_name"] == "basket_size" for v in e.report["violations"]))
        try:
            probe_report = data_quality_report(probe, read_reference(reference_dir)[0])
            probe_checks = sorted({v["constraint_check_type"] for v in probe_report.violations["violations"] if v["feature_name"] == "age"})
        except (FileNotFoundError, ValueError) as error:
            probe_checks, probe_error = [], str(error)
        else:
            probe_error = ""
        return {"executions": len(execs), "completed": sum(e.status in (COMPLETED, COMPLETED_WITH_VIOLATIONS) for e in execs),
                "basket_violation_hours": basket, "probe_checks": probe_checks, "probe_error": probe_error,
                "failure": next((e.failure_reason for e in execs if e.failure_reason), "")}

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        original = baseline.save(root / "original")
        before = follow(original, set())
        capture_off = {h for h in range(hours) if any(v["feature_name"] == "basket_size" for v in
                                                        data_quality_report(traffic[h], baseline).violations["violations"])}
        worlds = {
            "loosen-feature-constraint": (loosened.save(root / "loosened"), set()),
            "delete-statistics": (original, set()),
            "disable-capture-hours": (original, capture_off),
            "rerun-baseline-same-data": (rerun.save(root / "rerun"), set()),
            # last week's captured traffic as the new reference for every feature
            "rebaseline-from-captured-traffic": (suggest_baseline(pd.concat(traffic, ignore_index=True)).save(root / "captured"), set()),
            # CloudWatch metrics off: the violations are still computed and reported
            "disable-cloudwatch-metrics": (baseline.with_monitoring_config(emit_metrics="Disabled").save(root / "no-metrics"), set()),
        }
        results = {}
        original_stats = {f["name"]: json.dumps(f, sort_keys=True) for f in baseline.statistics["features"]}
        for key, (folder, skip) in worlds.items():
            if key == "delete-statistics":
                broken = root / "no-statistics"
                broken.mkdir()
                (broken / "constraints.json").write_text((original / "constraints.json").read_text(encoding="utf-8"), encoding="utf-8")
                folder = broken
            results[key] = follow(folder, skip)
            try:
                stats = {f["name"]: json.dumps(f, sort_keys=True) for f in Baseline.load(folder).statistics["features"]}
            except (FileNotFoundError, ValueError):
                stats = original_stats
            results[key]["other_references_changed"] = sorted(n for n in original_stats if n != "basket_size" and stats.get(n) != original_stats[n])

    actions = {"loosen-feature-constraint": f"loosen basket_size's comparison_threshold to {p['loosened_threshold']} in constraints.json",
               "delete-statistics": "delete statistics.json",
               "disable-capture-hours": "disable data capture in the hours with violations",
               "rerun-baseline-same-data": "rerun the baseline job on the same training set",
               "rebaseline-from-captured-traffic": "a new baseline from last week's captured traffic",
               "disable-cloudwatch-metrics": "turn off CloudWatch metrics on the schedule"}
    out = []
    for key, r in results.items():
        criteria = [
            criterion("hourly executions that complete", r["completed"], ">=", hours,
                      detail=f"of {r['executions']}" + (f"; first failure: {r['failure']}" if r["failure"] else "")),
            criterion("hours with a basket_size violation", r["basket_violation_hours"], "==", 0,
                      detail=f"before the change: {before['basket_violation_hours']} of {hours}"),
            criterion("other features whose reference statistics changed", len(r["other_references_changed"]), "==", 0,
                      detail=", ".join(r["other_references_changed"]) or "only basket_size's rule is touched"),
            check("a batch with ages sent as text is still flagged", bool(r["probe_checks"]),
                  f"age carries {', '.join(r['probe_checks'])}",
                  "the baseline cannot be read: " + r["probe_error"] if r["probe_error"] else "no violation on age"),
        ]
        finding = ("The rerun writes byte-identical files. " if key == "rerun-baseline-same-data" and same_files else "")
        out.append(Outcome(key, actions[key], criteria, finding=finding,
                           evidence={**r, "hours": hours, "basket_violation_hours_before": before["basket_violation_hours"],
                                     "capture_disabled_hours": len(capture_off) if key == "disable-capture-hours" else 0},
                           key=key))
    return out


# -- baseline-column-names ------------------------------------------------------------------------
def header_outcomes(rng: np.random.Generator) -> list[Outcome]:
    n = 200
    values = [rng.integers(18, 80, n), np.round(rng.gamma(2.0, 50.0, n), 2), rng.integers(0, 2, n)]
    out = []
    for key, header in HEADERS.items():
        frame = pd.DataFrame(dict(zip(header, values)))
        problems = suggest_baseline(frame).problems
        out.append(Outcome(key, "header " + ",".join(header),
                           [criterion("column names the baseline flags as not Spark-compatible", len(problems), "==", 0,
                                      detail="; ".join(problems) or "lowercase letters, digits and '_' only")],
                           evidence={"header": header, "problems": problems}, key=key))
    return out


# -- baseline-contents (a NOT question: an option works when the item is absent) --------------------
def baseline_file_outcomes(root: Path, baseline: Baseline, mq_stats: dict, mq_constraints: dict):
    folder = baseline.save(root / "baseline")
    (folder / "model_quality_statistics.json").write_text(json.dumps(mq_stats, indent=2) + "\n", encoding="utf-8")
    (folder / "model_quality_constraints.json").write_text(json.dumps(mq_constraints, indent=2) + "\n", encoding="utf-8")
    files = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.json"))}
    stats = {f["name"]: f for f in files["statistics.json"]["features"]}
    cons = {f["name"]: f for f in files["constraints.json"]["features"]}
    num = stats["income"].get("numerical_statistics", {})
    decision = stats["decision"].get("string_statistics", {}).get("distribution", {}).get("categorical", {}).get("buckets", [])
    prob = stats["approval_probability"].get("numerical_statistics", {})
    full_mq = suggest_model_quality_constraints(mq_stats, tolerance=ACCURACY_TOLERANCE)["binary_classification_constraints"]
    text = "\n".join(json.dumps(d) for d in files.values()).lower()
    found = {
        "feature-distribution": ("mean" in num and "std_dev" in num and bool(num.get("distribution")),
                                 f"income: mean {num.get('mean', 0):.0f}, std_dev {num.get('std_dev', 0):.0f}, {len(num.get('distribution', {}).get('kll', {}).get('buckets', []))} histogram buckets"),
        "missing-share": ("num_missing" in num.get("common", {}) and "completeness" in cons["income"],
                          f"income: num_missing {num.get('common', {}).get('num_missing')}, completeness {cons['income'].get('completeness')}"),
        "prediction-range": ("min" in prob and bool(decision),
                             f"approval_probability {prob.get('min')}..{prob.get('max')}; decision "
                             + ", ".join(f"{b['value']} {b['count']:.0f}" for b in decision)),
        "quality-thresholds": (all(m in full_mq for m in ("accuracy", "precision", "recall")),
                               ", ".join(f"{m} {full_mq[m]['comparison_operator']} {full_mq[m]['threshold']:.3f}" for m in ("accuracy", "precision", "recall") if m in full_mq)),
        "instance-type": ("instance" in text or "scaling" in text,
                          "a search of every baseline file for 'instance' or 'scaling' finds " + ("a match" if ("instance" in text or "scaling" in text) else "nothing")),
    }
    out = []
    for key, (present, shown) in found.items():
        out.append(Outcome(f"not-in-baseline:{key}", f"a baseline does not record {BASELINE_ITEMS[key]}",
                           [check(f"{BASELINE_ITEMS[key]} absent from the baseline files", not present,
                                  f"not found ({shown})", f"found: {shown}")],
                           evidence={"files": sorted(files), "found": bool(present)}, key=f"not-in-baseline:{key}"))
    artifacts = [Artifact(f"baseline/{name}", json.dumps(doc, indent=2) + "\n", "baseline file") for name, doc in files.items()]
    return out, artifacts


# -- sdk-suggest-baseline ---------------------------------------------------------------------------
def sdk_outcomes(root: Path, train_out: pd.DataFrame) -> list[Outcome]:
    out = []
    for step in SDK_STEPS:
        folder = root / step
        folder.mkdir(parents=True)
        rows_read, note = 0, ""
        if step == "create_monitoring_schedule":
            clock = SimulatedClock(START)
            service = ModelMonitorService(clock)
            service.create_endpoint("loan-endpoint")
            service.create_monitoring_schedule(MonitoringSchedule("s", "loan-endpoint", CronExpressionGenerator.hourly(),
                                                                  lambda a, b: {"violations": []}))
            note = f"schedule status {service.describe_monitoring_schedule('s')['MonitoringScheduleStatus']}"
        elif step == "suggest_baseline":
            suggest_baseline(train_out).save(folder)
            rows_read = len(train_out)
            note = f"profiled {rows_read} rows"
        elif step == "CronExpressionGenerator.hourly":
            note = f"returned {CronExpressionGenerator.hourly()!r}"
        else:  # baseline_statistics() / suggested_constraints(): read the files of a baseline job that ran before
            try:
                Baseline.load(folder)
            except FileNotFoundError:
                note = f"{step}() reads an existing baseline's file, and there is none yet"
        written = sorted(f.name for f in folder.iterdir())
        out.append(Outcome(f"sdk:{step}", f"{step}()", [
            criterion("baseline files written (statistics.json, constraints.json)", len(written), ">=", 2,
                      detail=", ".join(written) or "none; " + note),
            criterion("training rows read", rows_read, ">=", 1, detail=note),
        ], evidence={"written": written, "note": note}, key=f"sdk:{step}"))
    return out


# -- nlp-cv-drift: photos, raw bytes versus image statistics ---------------------------------------------------
def photos(n: int, rng: np.random.Generator, brightness_shift: float) -> np.ndarray:
    """``n`` 16x16 grey images: a per-photo exposure plus pixel noise."""
    exposure = rng.normal(110.0 + 255.0 * brightness_shift, 12.0, (n, 1, 1))
    return np.clip(exposure + rng.normal(0.0, 25.0, (n, 16, 16)), 0, 255).astype(np.uint8)


def image_outcomes(p: dict, rng: np.random.Generator) -> list[Outcome]:
    import base64

    before, after = photos(800, rng, 0.0), photos(300, rng, p["camera_change"])

    def raw(images: np.ndarray) -> pd.DataFrame:  # what the prebuilt container sees: the request bodies
        return pd.DataFrame({"image": [base64.b64encode(im.tobytes()).decode("ascii") for im in images]})

    def statistics(images: np.ndarray) -> pd.DataFrame:  # a custom container's image features
        flat = images.reshape(len(images), -1).astype(np.float64)
        return pd.DataFrame({"brightness": flat.mean(axis=1).round(2), "contrast": flat.std(axis=1).round(2)})

    raw_report = data_quality_report(raw(after), suggest_baseline(raw(before)))
    stats_report = data_quality_report(statistics(after), suggest_baseline(statistics(before)))

    def flagged(report) -> list[str]:
        return sorted({v["feature_name"] for v in report.violations["violations"] if v["constraint_check_type"] == "baseline_drift_check"})

    def shown(report) -> str:
        return ", ".join(f"{k} {v:.3f}" for k, v in report.distances.items()) or "no distance measurable"

    raw_flag, stats_flag = flagged(raw_report), flagged(stats_report)
    prebuilt = [criterion("features with baseline_drift_check after the camera change", len(raw_flag), ">=", 1,
                          detail=f"the photos are {len(before)} distinct strings to the prebuilt container; distance {shown(raw_report)}")]
    return [
        Outcome("image:prebuilt-on-raw-bytes", "suggest_baseline on the raw image bytes", prebuilt, key="image:prebuilt-on-raw-bytes"),
        Outcome("image:custom-container-statistics", "a custom container computing image statistics", [
            criterion("features with baseline_drift_check after the camera change", len(stats_flag), ">=", 1,
                      detail=f"{', '.join(stats_flag) or 'none'}; distances {shown(stats_report)}")],
                key="image:custom-container-statistics"),
        Outcome("image:sampling-100", "capture 100 % and keep the prebuilt container", prebuilt,
                finding="Sampling changes how many photos are analysed, not what the prebuilt container computes on them.",
                key="image:sampling-100"),
        Outcome("image:multi-model-endpoint", "host the model on a multi-model endpoint", prebuilt,
                finding="The hosting option does not change the analysis (and Model Monitor refuses multi-model endpoints).",
                key="image:multi-model-endpoint"),
    ]


# -- rebaseline-tradeoffs: what regenerating the baseline after a retrain costs -------------------------------------------
def rebaseline_outcomes(p: dict, rng: np.random.Generator, fill: float) -> list[Outcome]:
    """Production is older by ``age_shift``; a model retrained on recent data is deployed at hour 0; the new
    baseline (suggested from the recent training set, then reviewed) is attached ``rebaseline_hours`` later."""
    hours, gap = 12, p["rebaseline_hours"]
    recent = with_outputs(applicants(3000, rng, age_shift=p["age_shift"]), fill)
    old = suggest_baseline(with_outputs(applicants(3000, rng), fill))
    traffic = [with_outputs(applicants(300, rng, age_shift=p["age_shift"]), fill) for _ in range(hours)]
    current = {"baseline": old}
    clock = SimulatedClock(START)
    service = ModelMonitorService(clock)
    service.create_endpoint("loan-endpoint")
    endpoint_changes = 0

    def job(start: datetime, end: datetime) -> dict:
        hour = int((start - START) / HOUR)
        report = data_quality_report(traffic[hour], current["baseline"])
        return {"violations": report.violations["violations"], "stale": current["baseline"] is old}

    service.create_monitoring_schedule(MonitoringSchedule("loan-data-quality", "loan-endpoint", CronExpressionGenerator.hourly(), job))
    clock.run_until(START + gap * HOUR)
    new = suggest_baseline(recent)  # the baseline job: profiles every row of the new training set
    profiled = int(new.statistics["dataset"]["item_count"])
    current["baseline"] = new  # reviewed and attached; the endpoint is not touched
    endpoints_after = service.list_endpoints()
    endpoint_changes += int(endpoints_after != ["loan-endpoint"])
    clock.run_until(START + (hours + 1) * HOUR)
    execs = service.list_monitoring_executions()
    stale = [e for e in execs if e.report and e.report["stale"]]
    fresh = [e for e in execs if e.report and not e.report["stale"]]
    per_run_stale = float(np.mean([len(e.report["violations"]) for e in stale])) if stale else 0.0
    per_run_fresh = float(np.mean([len(e.report["violations"]) for e in fresh])) if fresh else 0.0
    with tempfile.TemporaryDirectory() as tmp:  # the captured files of two hours, before and after rebaselining
        for h in range(2):
            capture_frame("loan-endpoint", "AllTraffic", traffic[h][FEATURES], traffic[h]["approval_probability"], Path(tmp) / "capture",
                          times=pd.date_range(START + h * HOUR, periods=len(traffic[h]), freq="10s"), seed=h)
        captured_rows_before = len(read_captured(Path(tmp) / "capture", "loan-endpoint", "AllTraffic"))
        suggest_baseline(recent).save(Path(tmp) / "baseline")  # the rebaseline writes its own two files
        captured_rows_after = len(read_captured(Path(tmp) / "capture", "loan-endpoint", "AllTraffic"))
    return [
        Outcome("rebaseline-cost:baseline-job-and-review", "extra work and compute: the baseline job and its review", [
            criterion("training rows the new baseline job profiles", profiled, ">=", 1,
                      detail=f"{len(new.constraints['features'])} suggested feature constraints to review")],
                key="rebaseline-cost:baseline-job-and-review"),
        Outcome("rebaseline-cost:monitoring-gap", "a short gap in meaningful monitoring", [
            criterion("hourly runs after the retrain still judged against the old baseline", len(stale), ">=", 1,
                      detail=f"{per_run_stale:.1f} violations per run then, {per_run_fresh:.1f} once the new baseline is attached")],
                key="rebaseline-cost:monitoring-gap"),
        Outcome("rebaseline-cost:endpoint-redeploy", "the endpoint must be redeployed", [
            criterion("endpoint deletions or re-creations the new baseline needs", endpoint_changes, ">=", 1)],
                key="rebaseline-cost:endpoint-redeploy"),
        Outcome("rebaseline-cost:captured-data-deleted", "previously captured data is deleted", [
            criterion("captured rows lost", captured_rows_before - captured_rows_after, ">=", 1, detail=f"of {captured_rows_before}")],
                key="rebaseline-cost:captured-data-deleted"),
        Outcome("rebaseline-cost:more-false-alarms", "more false alarms: the new baseline is stricter", [
            criterion("violations per run on the same traffic: new baseline minus old", round(per_run_fresh - per_run_stale, 2), ">", 0)],
                key="rebaseline-cost:more-false-alarms"),
    ]


# -- baseline-contents (reworded): one shared baseline job, or separate data-quality and model-quality baselines ---------------
def baseline_plan_outcomes(p: dict, rng: np.random.Generator, fill: float) -> list[Outcome]:
    train = applicants(3000, rng)
    train_labelled = train.assign(churned=outcomes_for(train, rng, 0.0))
    validation = applicants(1000, rng)
    validation_scored = with_outputs(validation, fill).assign(churned=outcomes_for(validation, rng, 0.0))
    live_normal = applicants(500, rng)
    live_drifted = applicants(500, rng, age_shift=max(p["age_shift"], 0.0))  # the last of 15 hours of slowly older customers
    live_previous_hour = applicants(500, rng, age_shift=max(p["age_shift"], 0.0) * 14 / 15)

    def mq_thresholds(frame: pd.DataFrame) -> tuple[int, str]:
        if not {"decision", "churned"} <= set(frame.columns):
            return 0, f"no predictions and labels side by side (columns: {', '.join(frame.columns)})"
        stats = model_quality_statistics(BINARY_CLASSIFICATION, frame["churned"].to_numpy(), (frame["decision"] == "approved").astype(int).to_numpy())
        rules = suggest_model_quality_constraints(stats)["binary_classification_constraints"]
        wanted = [m for m in ("accuracy", "precision", "recall") if m in rules]
        return len(wanted), ", ".join(f"{m} {rules[m]['threshold']:.3f}" for m in wanted)

    def dq_result(reference: pd.DataFrame | None, live: pd.DataFrame, only_age_drift: bool = False) -> tuple[int, str]:
        if reference is None:
            return 0, "no reference"
        found = data_quality_report(live, suggest_baseline(reference)).violations["violations"]
        text = "; ".join(sorted({f"{v['feature_name']}: {v['constraint_check_type']}" for v in found})) or "none"
        if only_age_drift:
            found = [v for v in found if v["feature_name"] == "age" and v["constraint_check_type"] == "baseline_drift_check"]
        return len(found), text

    plans = {
        "baselines:one-job-on-training-set": ("one baseline job on the training set for both monitors", train_labelled, train_labelled),
        "baselines:dq-on-validation-mq-on-training": ("data quality on the scored validation set, model quality on the training features",
                                                      validation_scored, train),
        "baselines:mq-only-dq-hour-vs-hour": ("only a model-quality baseline; data quality compares each hour with the hour before",
                                              None, validation_scored),
        "baselines:two-separate-jobs": ("data quality on the training features, model quality on the scored validation set",
                                        train, validation_scored),
    }
    out = []
    for key, (label, dq_reference, mq_reference) in plans.items():
        n_rules, rules_text = mq_thresholds(mq_reference)
        normal, normal_text = dq_result(dq_reference, live_normal)
        if dq_reference is None:  # hour against the hour before
            drift_found, drift_text = dq_result(live_previous_hour, live_drifted, only_age_drift=True)
        else:
            drift_found, drift_text = dq_result(dq_reference, live_drifted, only_age_drift=True)
        out.append(Outcome(key, label, [
            criterion("model-quality thresholds suggested (accuracy, precision, recall)", n_rules, ">=", 3, detail=rules_text),
            criterion("data-quality violations on a normal hour of requests", normal, "==", 0, detail=normal_text),
            criterion(f"age drift flagged after 15 hours of customers growing {p['age_shift']:g} years older", drift_found, ">=", 1,
                      detail=drift_text),
        ], key=key))
    return out


# -- three more crafted worlds, each with its own baseline ------------------------------------------------
# dq-dropped-upstream-column: a fraud model's 14 features, the feature service stops sending one
# dq-extra-column-and-drift: a ride-pricing model's 9 columns, a client adds promo_code while trip distances grow
# dq-new-country-codes: a shipping-cost model baselined on US/CA/MX, then orders from BR and AR arrive
MERCHANTS = np.array(["grocery", "travel", "electronics", "fuel", "dining"], dtype=object)
ZONES = np.array(["downtown", "airport", "suburb", "harbour"], dtype=object)


def fraud_requests(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """14 feature columns of card transactions (2 strings, 12 numbers)."""
    return pd.DataFrame({
        "amount": np.round(np.exp(rng.normal(3.5, 1.0, n)), 2),
        "merchant_category": MERCHANTS[rng.choice(5, n, p=[0.35, 0.1, 0.15, 0.2, 0.2])],
        "hour": rng.integers(0, 24, n),
        "card_age_days": rng.integers(1, 3650, n),
        "txn_count_24h": rng.poisson(3.0, n),
        "distance_from_home_km": np.round(rng.gamma(1.5, 12.0, n), 1),
        "is_foreign": (rng.random(n) < 0.05).astype(np.int64),
        "device_type": np.array(["mobile", "web", "pos"], dtype=object)[rng.choice(3, n, p=[0.5, 0.2, 0.3])],
        "account_age_days": rng.integers(30, 7300, n),
        "avg_amount_30d": np.round(np.exp(rng.normal(3.4, 0.6, n)), 2),
        "velocity_1h": rng.poisson(0.8, n),
        "customer_age": np.clip(np.rint(rng.normal(41.0, 12.0, n)), 18, 90).astype(np.int64),
        "credit_limit": np.round(rng.gamma(4.0, 1500.0, n), 0),
        "country_risk": np.round(rng.beta(2.0, 8.0, n), 3),
    })


def rides(n: int, rng: np.random.Generator, distance_shift: float = 0.0) -> pd.DataFrame:
    """9 columns of ride requests; ``distance_shift`` moves log trip distance by that many standard deviations."""
    return pd.DataFrame({
        "trip_distance_km": np.round(np.exp(rng.normal(np.log(6.0) + 0.5 * distance_shift, 0.5, n)), 2),
        "pickup_zone": ZONES[rng.choice(4, n, p=[0.4, 0.15, 0.35, 0.1])],
        "hour_of_day": rng.integers(0, 24, n),
        "passengers": rng.choice(np.arange(1, 5), n, p=[0.6, 0.25, 0.1, 0.05]),
        "surge_multiplier": np.round(1.0 + rng.gamma(1.0, 0.15, n), 2),
        "vehicle_type": np.array(["standard", "xl", "premium"], dtype=object)[rng.choice(3, n, p=[0.7, 0.2, 0.1])],
        "wait_minutes": np.round(rng.gamma(2.0, 2.5, n), 1),
        "rider_rating": np.round(np.clip(rng.normal(4.7, 0.2, n), 1.0, 5.0), 2),
        "payment_type": np.array(["card", "wallet", "cash"], dtype=object)[rng.choice(3, n, p=[0.6, 0.3, 0.1])],
    })


def shipments(n: int, rng: np.random.Generator, new_share: float = 0.0) -> pd.DataFrame:
    """Orders of a marketplace in US/CA/MX; ``new_share`` of them come from BR and AR."""
    country = np.array(["US", "CA", "MX"], dtype=object)[rng.choice(3, n, p=[0.6, 0.25, 0.15])]
    k = int(round(new_share * n))
    country[rng.choice(n, k, replace=False)] = np.array(["BR", "AR"], dtype=object)[rng.integers(0, 2, k)]
    return pd.DataFrame({"country": country, "weight_kg": np.round(rng.gamma(2.0, 1.5, n), 2),
                         "service_level": np.array(["ground", "express"], dtype=object)[rng.choice(2, n, p=[0.8, 0.2])]})


def _has(violations: list[dict], check_type: str, feature: str | None = None) -> bool:
    return any(v["constraint_check_type"] == check_type and (feature is None or v["feature_name"] == feature) for v in violations)


def _listed(violations: list[dict]) -> str:
    return "; ".join(f"{v['feature_name']}: {v['constraint_check_type']}" for v in violations) or "no violation"


def schema_worlds(p: dict, rng: np.random.Generator) -> tuple[list[Outcome], dict[str, dict], dict]:
    """Outcomes, the reports by batch name, and key numbers of the fraud, ride and shipping worlds."""
    n_train, n = p["training_rows"], p["batch_rows"]
    out: list[Outcome] = []

    def check_type_outcome(key: str, action: str, violations: list[dict], check_type: str, feature: str | None,
                           batch: str, evidence: dict) -> Outcome:
        where = f" on {feature}" if feature else ""
        return Outcome(key, action, [check(f"{check_type}{where} in the violations of the {batch} batch",
                                           _has(violations, check_type, feature),
                                           f"reported ({_listed(violations)})", f"not reported; the batch carries {_listed(violations)}")],
                       evidence=evidence, key=key)

    # fraud: the feature service stops sending merchant_category
    fraud_baseline = suggest_baseline(fraud_requests(n_train, rng))
    fraud = fraud_requests(n, rng)
    if p["schema_change"]:
        fraud = fraud.drop(columns="merchant_category")
    fraud_report = data_quality_report(fraud, fraud_baseline)
    fv = fraud_report.violations["violations"]
    remaining = [c for c in fraud.columns if c != "merchant_category"]
    ev = {"batch": "fraud-dropped-column", "columns": fraud.shape[1], "baseline_columns": len(fraud_baseline.feature_names),
          "violations": [[v["feature_name"], v["constraint_check_type"]] for v in fv]}
    out.append(check_type_outcome("dropped-column:completeness", "completeness_check on merchant_category",
                                  fv, "completeness_check", "merchant_category", "fraud-dropped-column", ev))
    drifted = sorted({v["feature_name"] for v in fv if v["constraint_check_type"] == "baseline_drift_check"} & set(remaining))
    out.append(Outcome("dropped-column:drift-on-every-remaining", "baseline_drift_check on every remaining feature", [
        criterion("remaining features with baseline_drift_check", len(drifted), ">=", len(remaining),
                  detail=f"largest distance {max(fraud_report.distances.values(), default=0.0):.3f}, threshold 0.1; "
                         "columns are read by name, so removing one moves no other")],
        evidence=ev, key="dropped-column:drift-on-every-remaining"))
    typed = sorted({v["feature_name"] for v in fv if v["constraint_check_type"] == "data_type_check"})
    out.append(Outcome("dropped-column:data-type", "data_type_check on the remaining columns", [
        criterion("remaining features with data_type_check", len(typed), ">=", 1,
                  detail=", ".join(typed) or "every remaining value still has its baseline type")],
        evidence=ev, key="dropped-column:data-type"))
    out.append(Outcome("dropped-column:missing-column", "missing_column_check on merchant_category", [
        check("missing_column_check on merchant_category in the violations of the fraud-dropped-column batch",
              _has(fv, "missing_column_check", "merchant_category"),
              f"reported: {fraud.shape[1]} columns against {len(fraud_baseline.feature_names)} in the baseline ({_listed(fv)})",
              f"not reported: {fraud.shape[1]} columns against {len(fraud_baseline.feature_names)} ({_listed(fv)})")],
        evidence=ev, key="dropped-column:missing-column"))

    # rides: promo_code added by a client release (empty for most riders), trip distances grow
    ride_baseline = suggest_baseline(rides(n_train, rng))
    ride = rides(n, rng, p["trip_distance_shift"])
    if p["schema_change"]:
        codes = np.array(["SPRING10", "FIRSTRIDE", "CITYFEST"], dtype=object)[rng.integers(0, 3, n)]
        ride["promo_code"] = np.where(rng.random(n) < 0.25, codes, None)
    ride_report = data_quality_report(ride, ride_baseline)
    rv = ride_report.violations["violations"]
    trip = round(float(ride_report.distances.get("trip_distance_km", 0.0)), 4)
    ev = {"batch": "ride-extra-column-and-drift", "columns": ride.shape[1], "baseline_columns": len(ride_baseline.feature_names),
          "trip_distance_km_distance": trip, "violations": [[v["feature_name"], v["constraint_check_type"]] for v in rv]}
    for key, action, check_type, feature in (
            ("ride:extra-column", "extra_column_check", "extra_column_check", None),
            ("ride:missing-column", "missing_column_check", "missing_column_check", None),
            ("ride:data-type-trip-distance", "data_type_check on trip_distance_km", "data_type_check", "trip_distance_km"),
            ("ride:completeness-promo-code", "completeness_check on promo_code", "completeness_check", "promo_code")):
        out.append(check_type_outcome(key, action, rv, check_type, feature, "ride-extra-column-and-drift", ev))
    threshold = distribution_settings(ride_baseline.constraints["monitoring_config"])["comparison_threshold"]
    shown = f"distance {trip:.3f} against comparison_threshold {threshold:g}"
    out.append(Outcome("ride:drift-trip-distance", "baseline_drift_check on trip_distance_km", [
        check("baseline_drift_check on trip_distance_km in the violations of the ride-extra-column-and-drift batch",
              _has(rv, "baseline_drift_check", "trip_distance_km"), f"reported, {shown} ({_listed(rv)})",
              f"not reported, {shown}; the batch carries {_listed(rv)}")],
        evidence=ev, key="ride:drift-trip-distance"))

    # shipping: orders from new countries
    ship_baseline = suggest_baseline(shipments(n_train, rng))
    ship = shipments(n, rng, p["new_country_share"])
    ship_report = data_quality_report(ship, ship_baseline)
    sv = ship_report.violations["violations"]
    domain = next(f for f in ship_baseline.constraints["features"] if f["name"] == "country").get("string_constraints", {}).get("domains", [])
    new = int((~ship["country"].isin(domain)).sum())
    ev = {"batch": "shipping-new-countries", "domain": list(domain), "outside_domain": new, "rows": n,
          "violations": [[v["feature_name"], v["constraint_check_type"]] for v in sv]}
    for key, action, check_type, feature in (
            ("new-countries:data-type", "data_type_check on country", "data_type_check", "country"),
            ("new-countries:categorical-values", "categorical_values_check on country", "categorical_values_check", "country"),
            ("new-countries:extra-column", "extra_column_check", "extra_column_check", None),
            ("new-countries:completeness", "completeness_check on country", "completeness_check", "country")):
        out.append(check_type_outcome(key, action, sv, check_type, feature, "shipping-new-countries", ev))

    reports = {"fraud-dropped-column": fraud_report, "ride-extra-column-and-drift": ride_report, "shipping-new-countries": ship_report}
    numbers = {"fraud_columns": [int(fraud.shape[1]), len(fraud_baseline.feature_names)],
               "ride_columns": [int(ride.shape[1]), len(ride_baseline.feature_names)],
               "trip_distance_km_distance": trip, "countries_outside_domain": new}
    return out, reports, numbers
