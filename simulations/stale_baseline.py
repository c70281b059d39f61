"""Violations that survive a retrain: the monitoring schedule still compares traffic with baseline A.

A churn model is trained on dataset A (age, income, tenure_months, channel) and deployed with data
capture on; the data-quality baseline is suggested from A plus the model's own predictions on A
(``churn_probability``: input *and* output statistics, F08). A daily monitoring schedule (engine
``ModelMonitorService`` on a simulated clock) reads the previous day's captured records and checks
them against the baseline files.

Timeline (UTC): day 1 traffic looks like A; from day 2 the customers are older (mean age 30 ->
30 + ``age_shift``, income follows age) and the channel mix moves from web to phone; at the start
of day 3 the model is retrained on dataset B, drawn from the new production distribution, and
deployed. The execution at the start of day 4 is the first monitoring job after the deployment:
it still reports ``baseline_drift_check`` violations. Each answer option then runs in its own copy
of the world for ``days_after`` days of the same kind of traffic:

- A: a one-time (``NOW``) monitoring job re-evaluates the last day; then the schedule continues.
- B: ``suggest_baseline`` on training set B (+ model B's predictions), saved, and the schedule
  re-created to use it.
- C: delete the endpoint: refused while the schedule is attached (F33); delete the schedule,
  delete and re-create the endpoint with the same configuration, re-attach the schedule (baseline A).
- D: retrain on A + B combined and deploy that model; the schedule keeps baseline A. (A baseline
  on the combined set is also checked: still off against production.)

Verdict, the same rule for every option: monitoring is useful again when the executions on
normal production traffic complete without violations *and* a crafted bad batch (negative ages,
missing incomes, an unknown channel: F09 kinds) is still flagged. Also shown (F37): editing
``constraints.json`` to loosen the drift thresholds silences the alarms without fixing anything,
hiding a drift that is really there.
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
from simulations.monitoring.schedule import (
    COMPLETED_WITH_VIOLATIONS,
    FAILED,
    ModelMonitorService,
    MonitoringJobError,
    MonitoringSchedule,
    ResourceInUse,
)
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, criterion

INFO = SimulationInfo(
    name="stale-baseline",
    title="Stale baseline: violations that survive retraining",
    summary="Production drifts, the model is retrained on recent data, but the schedule still checks traffic against the old baseline; only a new baseline stops the violations.",
    questions=(QuestionLink("stale-baseline-after-retraining", {"A": "rerun-monitoring-job", "B": "new-baseline",
                                                                "C": "recreate-endpoint", "D": "retrain-combined"}),),
    params=(
        ParamSpec("training_rows", int, 5000, "rows in each training set (A, and the recent set B)", min=500, max=50000),
        ParamSpec("requests_per_day", int, 1000, "endpoint invocations per day (all captured); small days are noisy: the categorical drift check has no small-sample correction", min=300, max=20000),
        ParamSpec("age_shift", float, 15.0, "how much older production customers are from day 2 (mean age 30 -> 30 + shift)", min=0.0, max=30.0),
        ParamSpec("channel_shift", float, 0.3, "share of traffic that moves from the web channel to the phone channel from day 2", min=0.0, max=0.5),
        ParamSpec("days_after", int, 2, "days each answer option is followed after it is applied (one execution per day)", min=1, max=7),
        ParamSpec("loosened_threshold", float, 0.8, "F37: comparison thresholds written into an edited constraints.json", min=0.1, max=1.0),
    ),
    facts=("F06", "F07", "F08", "F09", "F10", "F33", "F37", "F38"),
    presets=(
        Preset("no-drift", {"age_shift": 0.0, "channel_shift": 0.0}, "production keeps looking like training set A",
               control=True, premise="no drift: production never moves away from training set A"),
        Preset("strong-drift", {"age_shift": 25.0, "channel_shift": 0.45}, "customers 25 years older, most traffic by phone"),
        Preset("one-week-after", {"days_after": 7}, "follow each option for a week instead of two days"),
    ),
)

START = datetime(2025, 3, 3, tzinfo=UTC)  # day 1, 00:00 UTC
DAY = timedelta(days=1)
ENDPOINT, VARIANT = "churn-endpoint", "AllTraffic"
SCHEDULE = "churn-data-quality"
FEATURES = ["age", "income", "tenure_months", "channel"]
OUTPUT = "churn_probability"
COLUMNS = FEATURES + [OUTPUT]
CHANNELS = np.array(["web", "store", "phone"], dtype=object)
AGE_MEAN, AGE_SD = 30.0, 6.0
OPEN_HOUR, CLOSE_HOUR = 8, 20  # customers contact the company (and the model scores them) 08:00-20:00 UTC
THRESHOLD = 0.1  # the suggested comparison_threshold (engine default)
CAPTURE_LINES = 50


# -- data and models ----------------------------------------------------------------------------
def channel_mix(shift: float) -> np.ndarray:
    return np.array([0.55 - shift, 0.30, 0.15 + shift])


def customers(n: int, rng: np.random.Generator, age_shift: float, channel_shift: float) -> pd.DataFrame:
    """Customers as the endpoint sees them; income grows with age, tenure does not drift."""
    age = np.clip(np.rint(rng.normal(AGE_MEAN + age_shift, AGE_SD, n)), 18, 90).astype(np.int64)
    income = np.round(np.exp(10.7 + 0.012 * (age - 30) + rng.normal(0.0, 0.35, n)), 2)
    tenure = rng.poisson(20, n).astype(np.int64)
    channel = CHANNELS[rng.choice(3, n, p=channel_mix(channel_shift))]
    return pd.DataFrame({"age": age, "income": income, "tenure_months": tenure, "channel": channel})


def _design(df: pd.DataFrame) -> np.ndarray:
    channel = df["channel"].to_numpy(dtype=object)
    return np.column_stack([
        np.ones(len(df)),
        (df["age"].to_numpy(np.float64) - 40.0) / 10.0,
        np.log(df["income"].to_numpy(np.float64)) - 10.8,
        (df["tenure_months"].to_numpy(np.float64) - 20.0) / 10.0,
        channel == "store",
        channel == "phone",
    ]).astype(np.float64)


TRUE_WEIGHTS = np.array([-1.2, 0.5, -0.4, -0.5, -0.3, 0.5])


def churn_labels(df: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    p = 1.0 / (1.0 + np.exp(-_design(df) @ TRUE_WEIGHTS))
    return (rng.random(len(df)) < p).astype(np.float64)


def fit_logistic(df: pd.DataFrame, y: np.ndarray) -> np.ndarray:
    """Logistic regression by Newton's method (a few iterations on six columns)."""
    x = _design(df)
    w = np.zeros(x.shape[1])
    for _ in range(12):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + 1e-3 * np.eye(x.shape[1])
        w = w + np.linalg.solve(hessian, x.T @ (y - p) - 1e-3 * w)
    return w


def predict(weights: np.ndarray, df: pd.DataFrame) -> np.ndarray:
    return np.round(1.0 / (1.0 + np.exp(-_design(df) @ weights)), 4)


def with_predictions(df: pd.DataFrame, weights: np.ndarray) -> pd.DataFrame:
    """The baseline dataset: training features plus the model's outputs on them (F08)."""
    return df.assign(**{OUTPUT: predict(weights, df)})


# -- engine plumbing ----------------------------------------------------------------------------
def day_times(day: int, n: int, rng: np.random.Generator) -> pd.DatetimeIndex:
    """``n`` invocation times spread over the opening hours of day ``day`` (1 = START)."""
    seconds = np.sort(rng.integers(OPEN_HOUR * 3600, CLOSE_HOUR * 3600, n))
    return pd.DatetimeIndex(pd.Timestamp(START + (day - 1) * DAY) + pd.to_timedelta(seconds, unit="s"))


def capture_day(dest: Path, day: int, traffic: pd.DataFrame, weights: np.ndarray, seed: int) -> None:
    rng = np.random.default_rng([seed, day, 7])
    capture_frame(ENDPOINT, VARIANT, traffic, predict(weights, traffic), dest,
                  times=day_times(day, len(traffic), rng), seed=int(rng.integers(2**31)))


def read_window(dest: Path, start: datetime, end: datetime) -> pd.DataFrame:
    frame = read_captured(dest, ENDPOINT, VARIANT, start, end, input_columns=FEATURES, output_columns=[OUTPUT])
    if frame.empty:
        return frame
    return frame[COLUMNS]


def data_quality_job(dest: Path, baseline_dir: Path):
    """The monitoring job: captured records of the window against the baseline files in ``baseline_dir``."""
    baseline = Baseline.load(baseline_dir)

    def job(start: datetime, end: datetime) -> dict:
        frame = read_window(dest, start, end)
        if frame.empty:
            raise MonitoringJobError(f"no captured data in the window {iso_z(start)} to {iso_z(end)}")
        report = data_quality_report(frame, baseline)
        return {"violations": report.violations["violations"], "distances": report.distances, "records": len(frame)}

    return job


def schedule_for(job, name: str = SCHEDULE) -> MonitoringSchedule:
    return MonitoringSchedule(name, ENDPOINT, CronExpressionGenerator.daily(0), job)


def new_world(start: datetime) -> tuple[SimulatedClock, ModelMonitorService]:
    clock = SimulatedClock(start)
    service = ModelMonitorService(clock)
    service.create_endpoint(ENDPOINT)
    return clock, service


def save_baseline(baseline: Baseline, folder: Path) -> Path:
    return baseline.save(folder)


def loosen_constraints_file(src: Path, dest: Path, threshold: float) -> Path:
    """F37: copy a baseline and edit its constraints.json by hand (the JSON, not an API)."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "statistics.json").write_text((src / "statistics.json").read_text(encoding="utf-8"), encoding="utf-8")
    constraints = json.loads((src / "constraints.json").read_text(encoding="utf-8"))
    distribution = constraints["monitoring_config"]["distribution_constraints"]
    distribution["comparison_threshold"] = threshold
    distribution["categorical_comparison_threshold"] = threshold
    (dest / "constraints.json").write_text(json.dumps(constraints, indent=2) + "\n", encoding="utf-8")
    return dest


def summarize(executions) -> dict:
    flagged = [e for e in executions if e.status == COMPLETED_WITH_VIOLATIONS]
    failed = [e for e in executions if e.status == FAILED]
    counts = [len(e.report["violations"]) if e.report else 0 for e in executions]
    features = sorted({v["feature_name"] for e in flagged for v in e.report["violations"]})
    distances = pd.DataFrame([e.report["distances"] for e in executions if e.report]) if executions else pd.DataFrame()
    return {
        "executions": len(executions),
        "with_violations": len(flagged),
        "failed": len(failed),
        "violations": int(sum(counts)),
        "violating_features": features,
        "mean_distance": {c: round(float(distances[c].mean()), 4) for c in distances.columns} if len(distances) else {},
    }


def crafted_batch(n: int, rng: np.random.Generator, age_shift: float, channel_shift: float, weights: np.ndarray) -> pd.DataFrame:
    """Production-like rows with F09 data-quality problems: text in the age column, missing incomes, a new channel.

    (A negative age is not a violation by itself: the service's data-quality checks are type,
    completeness, domain and drift, with no range check.)"""
    batch = with_predictions(customers(n, rng, age_shift, channel_shift), weights)
    rows = rng.permutation(n)
    bad_age, bad_income, bad_channel = rows[: n // 20], rows[n // 20: n // 20 + n // 10], rows[-n // 20:]
    batch["age"] = batch["age"].astype(object)
    batch.loc[bad_age, "age"] = "unknown"
    batch["income"] = batch["income"].astype(np.float64)
    batch.loc[bad_income, "income"] = np.nan
    batch.loc[bad_channel, "channel"] = "kiosk"
    return batch


def first_lines(path: Path, n: int) -> str:
    with path.open(encoding="utf-8") as handle:
        return "".join(line for _, line in zip(range(n), handle))


# -- the run ------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    rng = np.random.default_rng(seed)
    n_train, per_day = params["training_rows"], params["requests_per_day"]
    shift, cshift, days_after = params["age_shift"], params["channel_shift"], params["days_after"]
    total = 6
    if progress:
        progress(0, total, "training set A, model A, baseline A")

    train_a = customers(n_train, rng, 0.0, 0.0)
    model_a = fit_logistic(train_a, churn_labels(train_a, rng))
    train_b = customers(n_train, rng, shift, cshift)  # recent data, typical of production
    model_b = fit_logistic(train_b, churn_labels(train_b, rng))
    combined = pd.concat([train_a, train_b], ignore_index=True)
    model_d = fit_logistic(combined, np.concatenate([churn_labels(train_a, rng), churn_labels(train_b, rng)]))

    artifacts: list[Artifact] = []
    timeline: list[Event] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        dest = root / "data-capture"
        dir_a = save_baseline(suggest_baseline(with_predictions(train_a, model_a)), root / "baseline-a")
        dir_b = save_baseline(suggest_baseline(with_predictions(train_b, model_b)), root / "baseline-b")
        dir_combined = save_baseline(suggest_baseline(with_predictions(combined, model_d)), root / "baseline-combined")
        dir_loose = loosen_constraints_file(dir_a, root / "baseline-a-loosened", params["loosened_threshold"])
        timeline.append(Event(iso_z(START - timedelta(hours=2)), "baseline",
                              f"baseline job on training set A ({n_train} rows): statistics.json + constraints.json"))

        # days 1-3: the world as the question finds it
        if progress:
            progress(1, total, "days 1-3: capture, drift, retrain, daily executions")
        traffic = {
            1: customers(per_day, rng, 0.0, 0.0),
            2: customers(per_day, rng, shift, cshift),
            3: customers(per_day, rng, shift, cshift),
        }
        for day, weights in ((1, model_a), (2, model_a), (3, model_b)):
            capture_day(dest, day, traffic[day], weights, seed)
        clock, service = new_world(START)
        service.create_monitoring_schedule(schedule_for(data_quality_job(dest, dir_a)))
        timeline.append(Event(iso_z(START), "info", f"endpoint {ENDPOINT} serves model A; data capture 100%; daily schedule {SCHEDULE} uses baseline A"))
        timeline.append(Event(iso_z(START + DAY), "drift",
                              f"production changes: mean age {AGE_MEAN:.0f} -> {AGE_MEAN + shift:.0f}, web share "
                              f"{channel_mix(0)[0]:.2f} -> {channel_mix(cshift)[0]:.2f}, phone {channel_mix(0)[2]:.2f} -> {channel_mix(cshift)[2]:.2f}"))
        timeline.append(Event(iso_z(START + 2 * DAY), "retrain",
                              f"model retrained on recent set B ({n_train} rows, mean age {train_b['age'].mean():.1f}) and deployed; the schedule still uses baseline A"))
        clock.run_until(START + 3 * DAY)
        history = service.list_monitoring_executions(SCHEDULE)
        for e in history:
            n_v = len(e.report["violations"]) if e.report else 0
            timeline.append(Event(iso_z(e.scheduled_time), "violation" if n_v else "execution",
                                  f"{e.status}: {n_v} violations for {iso_z(e.window_start)[:10]}"
                                  + (f" ({', '.join(sorted({v['feature_name'] for v in e.report['violations']}))})" if n_v else "")))
        first_after = history[-1]  # the first job after deploying model B (window: day 3)
        before = summarize([first_after])

        # day 4 onwards: the same production traffic under each option
        if progress:
            progress(2, total, "options A-D: capture the days after, run the schedules")
        later = {day: customers(per_day, rng, shift, cshift) for day in range(4, 4 + days_after)}
        dest_d = root / "data-capture-option-d"
        for day, frame in later.items():
            capture_day(dest, day, frame, model_b, seed)
            capture_day(dest_d, day, frame, model_d, seed)
        fix_time = START + 3 * DAY
        end_time = fix_time + days_after * DAY

        # A: a manual re-run of the same job, then the schedule as before
        clock_a, service_a = new_world(fix_time)
        service_a.create_monitoring_schedule(schedule_for(data_quality_job(dest, dir_a)))
        service_a.create_monitoring_schedule(MonitoringSchedule(
            "churn-data-quality-manual", ENDPOINT, CronExpressionGenerator.now(), data_quality_job(dest, dir_a),
            start_offset="-P1D", end_offset="-PT0H"))
        clock_a.run_until(end_time)
        manual = service_a.list_monitoring_executions("churn-data-quality-manual")[0]
        after_a = summarize(service_a.list_monitoring_executions(SCHEDULE))
        manual_sum = summarize([manual])
        same_as_scheduled = (manual.report is not None and first_after.report is not None
                             and manual.report["violations"] == first_after.report["violations"]
                             and manual.report["distances"] == first_after.report["distances"])

        # B: re-baseline on training set B, point the schedule at it
        clock_b, service_b = new_world(fix_time)
        service_b.create_monitoring_schedule(schedule_for(data_quality_job(dest, dir_b)))
        clock_b.run_until(end_time)
        after_b = summarize(service_b.list_monitoring_executions(SCHEDULE))
        stale_b = summarize(service_a.list_monitoring_executions(SCHEDULE))  # same traffic, baseline A

        # C: delete the endpoint (refused), delete the schedule first, recreate, re-attach baseline A
        if progress:
            progress(3, total, "option C: endpoint deletion rule; option D: combined retrain")
        clock_c, service_c = new_world(fix_time)
        service_c.create_monitoring_schedule(schedule_for(data_quality_job(dest, dir_a)))
        try:
            service_c.delete_endpoint(ENDPOINT)
            refusal = None
        except ResourceInUse as error:
            refusal = str(error)
        service_c.delete_monitoring_schedule(SCHEDULE)
        service_c.delete_endpoint(ENDPOINT)
        service_c.create_endpoint(ENDPOINT)
        service_c.create_monitoring_schedule(schedule_for(data_quality_job(dest, dir_a)))
        clock_c.run_until(end_time)
        after_c = summarize(service_c.list_monitoring_executions(SCHEDULE))

        # D: retrain on A + B, deploy, keep baseline A
        clock_d, service_d = new_world(fix_time)
        service_d.create_monitoring_schedule(schedule_for(data_quality_job(dest_d, dir_a)))
        clock_d.run_until(end_time)
        after_d = summarize(service_d.list_monitoring_executions(SCHEDULE))
        day4_d = read_window(dest_d, fix_time, fix_time + DAY)
        combined_report = data_quality_report(day4_d, Baseline.load(dir_combined))

        # F37: loosened constraints.json on baseline A
        clock_l, service_l = new_world(fix_time)
        service_l.create_monitoring_schedule(schedule_for(data_quality_job(dest, dir_loose)))
        clock_l.run_until(end_time)
        after_loose = summarize(service_l.list_monitoring_executions(SCHEDULE))

        # F09: a crafted bad batch against each option's baseline
        if progress:
            progress(4, total, "crafted bad batch (F09), loosened constraints (F37)")
        bad_b = crafted_batch(max(200, per_day // 4), np.random.default_rng([seed, 9]), shift, cshift, model_b)
        bad_d = crafted_batch(max(200, per_day // 4), np.random.default_rng([seed, 9]), shift, cshift, model_d)
        caught = {
            "baseline_b": data_quality_report(bad_b, Baseline.load(dir_b)).violations["violations"],
            "baseline_a": data_quality_report(bad_b, Baseline.load(dir_a)).violations["violations"],
            "baseline_a_model_d": data_quality_report(bad_d, Baseline.load(dir_a)).violations["violations"],
            "loosened": data_quality_report(bad_b, Baseline.load(dir_loose)).violations["violations"],
        }
        caught_kinds = {k: sorted({v["constraint_check_type"] for v in vs if v["constraint_check_type"] != "baseline_drift_check"})
                        for k, vs in caught.items()}

        # artifacts (small: baselines, violation reports, a few capture lines, execution summaries)
        if progress:
            progress(5, total, "artifacts, tables and charts")
        day2_file = sorted((dest / ENDPOINT / VARIANT / f"{START + DAY:%Y/%m/%d}").rglob("*.jsonl"))[0]
        artifacts.append(Artifact(str(day2_file.relative_to(root)), first_lines(day2_file, CAPTURE_LINES),
                                  f"first {CAPTURE_LINES} data-capture records of day 2 (drifted traffic)"))
        for folder, label in ((dir_a, "baseline A (training set A + model A outputs)"),
                              (dir_b, "option B: new baseline from training set B"),
                              (dir_loose, "F37: baseline A with constraints.json edited by hand (loosened)")):
            for name in ("statistics.json", "constraints.json"):
                if folder == dir_loose and name == "statistics.json":
                    continue
                artifacts.append(Artifact(f"{folder.name}/{name}", (folder / name).read_text(encoding="utf-8"), f"{label}: {name}"))
        artifacts.append(Artifact("monitoring/day4-first-job-after-retrain/constraint_violations.json",
                                  json.dumps({"violations": first_after.report["violations"]}, indent=2) + "\n",
                                  "first execution after deploying model B (baseline A)"))
        first_b = service_b.list_monitoring_executions(SCHEDULE)[0]
        artifacts.append(Artifact("monitoring/option-b-rebaselined/constraint_violations.json",
                                  json.dumps({"violations": first_b.report["violations"] if first_b.report else []}, indent=2) + "\n",
                                  "option B: first execution against the new baseline"))
        artifacts.append(Artifact("monitoring/crafted-bad-batch/constraint_violations.json",
                                  json.dumps({"violations": caught["baseline_b"]}, indent=2) + "\n",
                                  "F09: a crafted bad batch against baseline B"))
        summaries = [e.summary() for e in history] + [manual.summary()]
        artifacts.append(Artifact("monitoring/executions.json", json.dumps(summaries, indent=2) + "\n",
                                  "execution summaries, days 1-3 and option A's manual run"))
        artifacts.append(Artifact("monitoring/option-c-delete-endpoint-error.txt", (refusal or "(no error)") + "\n",
                                  "option C: deleting the endpoint while the schedule is attached"))

    # -- numbers behind the verdicts -------------------------------------------------------------
    dist_a, dist_b = stale_b["mean_distance"], after_b["mean_distance"]
    dist_comb = combined_report.distances
    dist_first = first_after.report["distances"]
    feature_table = pd.DataFrame({
        "feature": COLUMNS,
        "distance_first_job_vs_a": [round(dist_first.get(c, np.nan), 4) for c in COLUMNS],
        "distance_vs_a": [dist_a.get(c, np.nan) for c in COLUMNS],
        "distance_vs_b": [dist_b.get(c, np.nan) for c in COLUMNS],
        "distance_vs_combined": [round(dist_comb.get(c, np.nan), 4) for c in COLUMNS],
        "threshold": THRESHOLD,
    })
    feature_table["violates_a"] = feature_table["distance_vs_a"] > THRESHOLD
    feature_table["violates_b"] = feature_table["distance_vs_b"] > THRESHOLD

    def top(dist: dict) -> str:
        ranked = sorted(dist.items(), key=lambda kv: -kv[1])[:3]
        return ", ".join(f"{k} {v:.2f}" for k, v in ranked)

    n_after = days_after
    mean_d_b = float(predict(model_b, later[4]).mean())
    mean_d_d = float(predict(model_d, later[4]).mean())
    coef_change = float(np.abs(model_d - model_b).max())
    combined_flagged = len(combined_report.violations["violations"])
    outcome_rows = []

    ev_a = {
        "manual_run_violations": manual_sum["violations"], "scheduled_run_violations": before["violations"],
        "manual_equals_scheduled": bool(same_as_scheduled),
        "executions_after": after_a["executions"], "executions_with_violations": after_a["with_violations"],
        "violations_after": after_a["violations"], "violating_features": after_a["violating_features"],
        "crafted_batch_violations": len(caught["baseline_a"]),
    }
    ev_b = {
        "executions_after": after_b["executions"], "executions_with_violations": after_b["with_violations"],
        "violations_after": after_b["violations"], "violations_same_traffic_vs_a": stale_b["violations"],
        "distances_vs_a": dist_a, "distances_vs_b": dist_b,
        "crafted_batch_violations": len(caught["baseline_b"]), "crafted_batch_kinds": caught_kinds["baseline_b"],
    }
    ev_c = {
        "delete_refused": refusal is not None, "refusal_message": refusal,
        "executions_after": after_c["executions"], "executions_with_violations": after_c["with_violations"],
        "violations_after": after_c["violations"], "violating_features": after_c["violating_features"],
        "crafted_batch_violations": len(caught["baseline_a"]),
    }
    ev_d = {
        "executions_after": after_d["executions"], "executions_with_violations": after_d["with_violations"],
        "violations_after": after_d["violations"], "violating_features": after_d["violating_features"],
        "mean_churn_probability_model_b": round(mean_d_b, 4), "mean_churn_probability_model_d": round(mean_d_d, 4),
        "max_coefficient_change": round(coef_change, 4),
        "combined_baseline_violations": combined_flagged,
        "combined_baseline_age_distance": round(float(dist_comb.get("age", np.nan)), 4),
        "crafted_batch_violations": len(caught["baseline_a_model_d"]),
    }
    def judged(after: dict, caught_list: list, kinds: list[str]) -> list:
        """The same two tests for every option: normal traffic is quiet, a bad batch still fires."""
        features = ", ".join(after["violating_features"]) or "no feature"
        return [
            criterion(f"executions not completing cleanly in the {n_after} days after", after["with_violations"] + after["failed"], "<=", 0,
                      detail=f"{after['with_violations']} of {after['executions']} executions, {after['violations']} violations on {features}"
                      + (f", {after['failed']} failed" if after["failed"] else "")),
            criterion("violations on a crafted bad batch", len(caught_list), ">=", 1,
                      detail="kinds: " + (", ".join(kinds) or "drift only") if caught_list else "the batch passes unflagged"),
        ]

    def kinds_of(violations: list) -> list[str]:
        return sorted({v["constraint_check_type"] for v in violations if v["constraint_check_type"] != "baseline_drift_check"})

    manual_finding = (
        f"The one-time job over the last day reports {manual_sum['violations']} violations, "
        + ("the same as the scheduled run of that window" if same_as_scheduled else f"against {before['violations']} in the scheduled run")
        + (f" (largest distances: {top(manual.report['distances'])})." if manual.report else ".")
    )
    delete_finding = (f"Deleting the endpoint is refused first: \u201c{refusal}\u201d; the schedule had to be deleted, the endpoint recreated "
                      "and the schedule re-attached with baseline A." if refusal else
                      "Deleting the endpoint succeeded; it was recreated and the schedule re-attached with baseline A.")
    retrain_finding = (f"Retraining on A + B changes the model (largest coefficient change {coef_change:.2f}, mean predicted churn "
                       f"{mean_d_b:.3f} -> {mean_d_d:.3f}); a baseline on the combined set would give {combined_flagged} violations on production.")
    outcomes = [
        Outcome("A", "Manually re-run the monitoring job", judged(after_a, caught["baseline_a"], kinds_of(caught["baseline_a"])),
                ev_a, manual_finding, key="rerun-monitoring-job"),
        Outcome("B", "Re-run the baseline job on the new training set and use the new baseline",
                judged(after_b, caught["baseline_b"], caught_kinds["baseline_b"]), ev_b,
                f"Against baseline B the mean drift distances are {top(dist_b)}; the same traffic against baseline A gives "
                f"{top(dist_a)} (threshold {THRESHOLD}).", key="new-baseline"),
        Outcome("C", "Delete the endpoint and recreate it with the original configuration",
                judged(after_c, caught["baseline_a"], kinds_of(caught["baseline_a"])), ev_c, delete_finding, key="recreate-endpoint"),
        Outcome("D", "Retrain on the original and the new training data combined",
                judged(after_d, caught["baseline_a_model_d"], kinds_of(caught["baseline_a_model_d"])), ev_d, retrain_finding,
                key="retrain-combined"),
    ]
    for o, s in zip(outcomes, (after_a, after_b, after_c, after_d)):
        outcome_rows.append({"option": o.letter, "executions": s["executions"], "with_violations": s["with_violations"],
                             "violations": s["violations"], "failed": s["failed"], "verdict": o.verdict})
    outcome_rows.append({"option": "F37 loosened", "executions": after_loose["executions"],
                         "with_violations": after_loose["with_violations"], "violations": after_loose["violations"],
                         "failed": after_loose["failed"], "verdict": "silenced, drift hidden"})

    # -- series and tables --------------------------------------------------------------------------
    exec_rows = []
    for world, execs in (("days 1-3", history), ("A", service_a.list_monitoring_executions()),
                         ("B", service_b.list_monitoring_executions()), ("C", service_c.list_monitoring_executions()),
                         ("D", service_d.list_monitoring_executions()), ("F37 loosened", service_l.list_monitoring_executions())):
        for e in execs:
            d = e.report["distances"] if e.report else {}
            exec_rows.append({
                "world": world, "schedule": e.schedule_name, "scheduled_time": iso_z(e.scheduled_time),
                "window_start": iso_z(e.window_start), "status": e.status,
                "violations": len(e.report["violations"]) if e.report else 0,
                **{f"distance_{c}": round(d.get(c, np.nan), 4) for c in COLUMNS},
            })
    executions = pd.DataFrame(exec_rows)
    crafted_rows = [{"baseline": k, "feature": v["feature_name"], "check": v["constraint_check_type"], "description": v["description"]}
                    for k in ("baseline_b",) for v in caught[k]]
    crafted = pd.DataFrame(crafted_rows, columns=["baseline", "feature", "check", "description"])

    window_days = list(range(1, 4 + days_after))  # the day each daily execution analysed
    main_age = [e.report["distances"].get("age", np.nan) if e.report else np.nan for e in history]
    stale_age = [e.report["distances"].get("age", np.nan) for e in service_a.list_monitoring_executions(SCHEDULE) if e.report]
    new_age = [e.report["distances"].get("age", np.nan) for e in service_b.list_monitoring_executions(SCHEDULE) if e.report]
    chart = "Age drift distance per daily execution"
    series = [
        Series("age distance vs baseline A", window_days, main_age + stale_age, "line", "day analysed", "L-inf distance", chart),
        Series("age distance vs baseline B (option B)", window_days[3:], new_age, "line", "day analysed", "L-inf distance", chart),
        Series("threshold", window_days, [THRESHOLD] * len(window_days), "line", "day analysed", "L-inf distance", chart),
        Series("executions with violations", ["A", "B", "C", "D", "F37"],
               [after_a["with_violations"], after_b["with_violations"], after_c["with_violations"], after_d["with_violations"], after_loose["with_violations"]],
               "bar", "option", "executions", f"Executions with violations in the {days_after} days after each option"),
    ]
    bins = np.arange(15, 81, 5)
    centres = [float(c) for c in (bins[:-1] + bins[1:]) / 2]
    for label, frame in (("training set A", train_a), ("production (day 4)", later[4]), ("training set B", train_b)):
        share = np.histogram(frame["age"], bins=bins)[0] / len(frame)
        series.append(Series(label, centres, [round(float(s), 4) for s in share], "line", "age", "share of rows", "Age distribution"))

    key_numbers = {
        "mean_age_training_a": round(float(train_a["age"].mean()), 2),
        "mean_age_production": round(float(later[4]["age"].mean()), 2),
        "mean_age_training_b": round(float(train_b["age"].mean()), 2),
        "first_job_after_retrain_violations": before["violations"],
        "first_job_after_retrain_features": before["violating_features"],
        "violations_after_rebaseline": after_b["violations"],
        "violations_same_traffic_baseline_a": stale_b["violations"],
        "option_c_delete_refused": refusal is not None,
        "combined_baseline_violations": combined_flagged,
        "f37_loosened_threshold": params["loosened_threshold"],
        "f37_loosened_violations": after_loose["violations"],
        "f37_age_distance_hidden": after_loose["mean_distance"].get("age"),
        "f09_crafted_batch_kinds": caught_kinds["baseline_b"],
        "f09_crafted_batch_kinds_loosened": caught_kinds["loosened"],
    }
    narrative = story(key_numbers, before, after_a, after_b, after_c, after_d, after_loose, shift, cshift, days_after, params)
    timeline.sort(key=lambda e: e.time)
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative,
        series=series,
        tables={"drift_by_feature": feature_table, "options": pd.DataFrame(outcome_rows),
                "executions": executions, "crafted_batch_violations": crafted},
        timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers,
        question_id=INFO.question_ids[0],
    )


def _drifted_sentence(k: dict, shift: float, cshift: float) -> str:
    moved = abs(k["mean_age_production"] - k["mean_age_training_a"]) >= 1.0 or cshift > 0
    if not moved:
        return (f"Production looks like training set A (mean age {k['mean_age_training_a']:.1f} in training, "
                f"{k['mean_age_production']:.1f} in production; channel mix unchanged): there is no drift in this world. ")
    return (f"Training set A has a mean customer age of {k['mean_age_training_a']:.1f}; from day 2 production customers average "
            f"{k['mean_age_production']:.1f} and the phone channel's share moves from {channel_mix(0)[2]:.2f} to "
            f"{channel_mix(cshift)[2]:.2f}. ")


def story(k: dict, before: dict, after_a, after_b, after_c, after_d, after_loose, shift, cshift, days_after, params) -> str:
    """The narrative, sentence by sentence from the measured numbers."""
    text = _drifted_sentence(k, shift, cshift)
    if before["violations"]:
        text += (f"The model was retrained on recent data B (mean age {k['mean_age_training_b']:.1f}) and deployed on day 3, yet the "
                 f"first job afterwards still reports {before['violations']} violations ({', '.join(before['violating_features'])}): "
                 "the schedule compares traffic with the statistics of training set A. ")
    else:
        text += ("The first job after the retrain reports no violations against baseline A, so there is nothing for the options to "
                 "fix; the options below show what each does to a monitor that is already quiet. ")
    stale = [("re-running the job", after_a), ("recreating the endpoint", after_c), ("retraining on A + B", after_d)]
    noisy = [f"{label} ({s['violations']})" for label, s in stale if s["violations"]]
    quiet = [label for label, s in stale if not s["violations"]]
    if noisy:
        text += f"Over the next {days_after} days, with baseline A still in place, violations continue after " + ", ".join(noisy) + ". "
    if quiet:
        text += "No violations follow " + ", ".join(quiet) + f" over the next {days_after} days. "
    text += f"A new baseline from training set B gives {after_b['violations']} violations. "
    hidden = after_loose["mean_distance"].get("age", float("nan"))
    if after_loose["violations"] == 0 and hidden > THRESHOLD:
        text += (f"Editing constraints.json to a threshold of {params['loosened_threshold']} also gives 0 violations, but only by "
                 f"hiding an age distance of {hidden:.2f}, above the suggested {THRESHOLD}.")
    elif after_loose["violations"] == 0:
        text += (f"Editing constraints.json to a threshold of {params['loosened_threshold']} gives 0 violations; here the age distance "
                 f"is {hidden:.2f}, within even the suggested {THRESHOLD}, so nothing is hidden yet - but real drift would be.")
    else:
        text += (f"Even with constraints.json edited to a threshold of {params['loosened_threshold']}, {after_loose['violations']} "
                 "violations remain.")
    return text
