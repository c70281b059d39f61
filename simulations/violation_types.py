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

Every option of the linked questions is judged by what the engine reports for the batch the
option talks about: "batch X carries check Y" holds when the violations of X include Y for the
named feature; a problem kind (data quality, data drift, model quality, missing values, concept
drift, overfitting) holds when that monitor reports the batch. The same world also runs an hourly
schedule on ``basket_size`` traffic with ``basket_shift`` more products than in training
(edit-suggested-constraints), tries three CSV headers against the Spark column-name rule, looks
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

from simulations.monitoring.baseline import Baseline, suggest_baseline
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

DQ_CHECKS = ("data_type_check", "completeness_check", "non_negative_check", "categorical_values_check",
             "missing_column_check", "extra_column_check")
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
        ParamSpec("camera_change", float, 0.3, "brightness added to the defect photos by a new camera (share of the 0-255 range)", min=0.0, max=0.8),
    ),
    facts=("F08", "F09", "F12", "F37", "F38", "F41"),
    presets=(
        Preset("clean-batches", {"bad_share": 0.0, "age_shift": 0.0, "concept_change": 0.0, "basket_shift": 0.0, "camera_change": 0.0},
               "every batch drawn exactly like the training data", control=True,
               premise="no problem in the live data: no bad values, no shift, no concept change, normal basket sizes"),
        Preset("subtle-problems", {"bad_share": 0.02, "age_shift": 3.0, "concept_change": 0.2, "basket_shift": 0.5},
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

    def kind_criteria(batch: str, kind: str) -> list:
        all_checks = set().union(*checks[batch].values()) if checks[batch] else set()
        dq = sorted(all_checks & set(DQ_CHECKS))
        drifted = sorted(f for f, c in checks[batch].items() if "baseline_drift_check" in c)
        acc = accuracy[batch]
        if kind == "data-quality":
            return [criterion(f"data-quality checks firing on the {batch} batch", len(dq), ">=", 1,
                              detail=", ".join(dq) or "type, completeness, non-negative, domain and column checks all pass")]
        if kind == "data-drift":
            return [criterion(f"features with baseline_drift_check on the {batch} batch", len(drifted), ">=", 1,
                              detail=", ".join(f"{f} {reports[batch].distances.get(f, 0):.3f}" for f in drifted) or
                              "largest distance " + f"{max(reports[batch].distances.values(), default=0):.3f}, threshold 0.1")]
        if kind == "model-quality":
            return [criterion(f"model-quality violations on the {batch} batch", mq_violations[batch], ">=", 1,
                              detail=f"accuracy {acc:.3f} against the constraint LessThanThreshold {accuracy_floor:.3f}"),
                    criterion(f"data-quality and drift checks reporting the {batch} batch instead", len(all_checks), "==", 0,
                              detail=_shown(all_checks))]
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
             "age-negative": ("data-quality",), "missing-8": ("model-quality",)}
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
    for b, report in reports.items():
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
    narrative = (f"The baseline was suggested from {p['training_rows']} training rows plus the model's outputs. " + story + concept_text)
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative, series=series,
        tables={"batches": table}, artifacts=artifacts, outcomes=outcomes,
        key_numbers={"batches_with_violations": len(flagged), "baseline_accuracy": round(base_accuracy, 4),
                     "accuracy_floor": round(accuracy_floor, 4), "concept_accuracy": round(accuracy["concept"], 4),
                     "fresh_accuracy": round(fresh_accuracy, 4),
                     "checks": {b: {f: sorted(c) for f, c in checks[b].items()} for b in batches}},
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
