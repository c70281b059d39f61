"""Schedules, offsets and ground truth: what each choice does on a simulated clock.

An ETA model on endpoint ``eta-prod`` serves ``requests_per_hour`` trips every hour for three days
with data capture on (engine ``capture_frame``; every request carries an ``InferenceId`` unless
``with_inference_id`` is off). The true arrival time of the trips of one hour is uploaded as one
ground-truth file ``label_delay_hours`` after that hour started (engine ``write_ground_truth``,
partitioned by the hour the labels were collected). On the third day an hourly model-quality
schedule runs on the engine's ``ModelMonitorService``; each execution merges the captured records
of its window with the labels uploaded so far (``merge_ground_truth``: inferenceId, else eventId).

The same world answers several questions by trying each option through the engine:

- schedule offsets (hourly-offsets-six-hours): accepted by the schedule? executions complete?
  share of labelled trips evaluated in the first hourly run after their label arrived;
- cron expressions (sdk-hourly-schedule): parsed? fire times over a day? equal to the SDK helper?
- the ground-truth ``eventId`` (ground-truth-join-key), record shape (ground-truth-record-format)
  and S3 key (ground-truth-upload-date): written, read back and merged by the engine;
- on-demand monitoring: a one-time ``NOW`` job, a pipeline step after each batch transform, and
  three things that start no execution; the minutes from the request to a monitoring result;
- monitoring types (four-monitoring-types; a NOT question: an option works when the engine
  refuses it as a type) and which jobs can run without labels (ground-truth-required-monitors,
  also a NOT question: an option works when its job fails for lack of labels);
- the order of set-up steps (monitoring-setup-order): reports produced over five days.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.capture import CapturingEndpoint, capture_frame, read_captured
from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.cloudwatch import CloudWatch
from simulations.monitoring.cron import CronExpressionGenerator, next_fire_times, parse_cron
from simulations.monitoring.durations import parse_offset
from simulations.monitoring.ground_truth import (
    GroundTruthFormatError,
    merge_ground_truth,
    read_ground_truth,
    write_ground_truth,
)
from simulations.monitoring.model_quality import REGRESSION, model_quality_statistics, regression_metrics
from simulations.monitoring.schedule import (
    COMPLETED,
    COMPLETED_WITH_VIOLATIONS,
    FAILED,
    MONITORING_TYPES,
    ModelMonitorService,
    MonitoringJobError,
    MonitoringSchedule,
)
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

OFFSETS = {  # key -> (start_time_offset, end_time_offset)
    "offsets:-P6D/-P1D": ("-P6D", "-P1D"),
    "offsets:-PT6H/-PT1H": ("-PT6H", "-PT1H"),
    "offsets:-PT1H/-PT6H": ("-PT1H", "-PT6H"),
    "offsets:PT6H/PT1H": ("PT6H", "PT1H"),
    "offsets:-PT1H/-PT0H": ("-PT1H", "-PT0H"),
    "offsets:-PT7H/-PT6H": ("-PT7H", "-PT6H"),
    "offsets:-PT6H/-PT7H": ("-PT6H", "-PT7H"),
}
CRONS = {
    "cron:cron(0 * ? * * *)": "cron(0 * ? * * *)",
    "cron:rate(1 hour)": "rate(1 hour)",
    "cron:cron(* 0 ? * * *)": "cron(* 0 ? * * *)",
    "cron:cron(0 0 ? * * *)": "cron(0 0 ? * * *)",
}
TYPE_SETS = {  # the four-item lists of the reworded question, each name as the MonitoringType a schedule would need
    "types:dq-drift-concept-latency": ("DataQuality", "DataDrift", "ConceptDrift", "EndpointLatency"),
    "types:dq-mq-bias-performance": ("DataQuality", "ModelQuality", "ModelBias", "EndpointPerformance"),
    "types:drift-mq-training-explainability-completeness": ("DataDrift", "ModelQuality", "TrainingExplainability", "GroundTruthCompleteness"),
    "types:dq-mq-bias-attribution": ("DataQuality", "ModelQuality", "ModelBias", "ModelExplainability"),
}
TYPE_NAMES = {"data-quality": "DataQuality", "model-quality": "ModelQuality", "bias-drift": "ModelBias",
              "feature-attribution-drift": "ModelExplainability", "invocation-latency": "InvocationLatency"}
LABEL_JOBS = ("data-quality", "model-quality", "model-bias", "feature-attribution", "data-capture", "data-quality-batch")
ON_DEMAND = ("processing-job", "monitor-batch-transform-step", "lower-alarm-threshold", "special-header", "restart-endpoint",
             "start-monitoring-schedule", "update-endpoint-config")
SETUP_ORDERS = ("schedule-baseline-capture", "capture-baseline-schedule-merge", "labels-merge-capture", "baseline-schedule-capture-on-violation")
ON_TIME_MINUTES = 5
EVERY_X_HOURS = {  # key -> schedule expression (schedule-every-six-hours)
    "every-x-hours:rate(6 hours)": "rate(6 hours)",
    "every-x-hours:cron(0/360 * ? * * *)": "cron(0/360 * ? * * *)",
    "every-x-hours:cron(0 0/6 ? * * *)": "cron(0 0/6 ? * * *)",
    "every-x-hours:cron(0 6 ? * * *)": "cron(0 6 ? * * *)",
}
ONE_TIME = {  # key -> what the engineer does for a single analysis of the last 24 hours (schedule-one-time-now)
    "one-time:hourly-cron-then-delete": "second schedule cron(0 * ? * * *), deleted after its first execution",
    "one-time:now-pt24h-pt0h": "second schedule NOW, DataAnalysisStartTime -PT24H, DataAnalysisEndTime -PT0H",
    "one-time:now-no-window": "second schedule NOW without an analysis window",
    "one-time:start-existing-schedule": "StartMonitoringSchedule on the running hourly schedule",
}
ONE_TIME_HOURS = 24  # the analysis the engineer wants: the requests of the previous 24 hours
WATCH_HOURS = 3  # how long after the request the hourly schedule is watched

INFO = SimulationInfo(
    name="monitoring-schedules",
    title="Monitoring schedules: cron, offsets, ground truth and on-demand runs",
    summary="An hourly model-quality schedule on a simulated clock: which offsets evaluate labels as they arrive, "
            "which cron expression is hourly, how labels must be keyed, shaped and filed, and how to run a job now.",
    questions=(
        QuestionLink('hourly-offsets-six-hours', {'A': 'full-hour-labelled:-PT6H/-PT1H', 'B': 'full-hour-labelled:-PT7H/-PT6H', 'C': 'full-hour-labelled:-PT6H/-PT7H', 'D': 'full-hour-labelled:-PT1H/-PT0H'}),
        QuestionLink('sdk-hourly-schedule', {'A': 'cron:cron(0 * ? * * *)', 'B': 'cron:rate(1 hour)', 'C': 'cron:cron(* 0 ? * * *)', 'D': 'cron:cron(0 0 ? * * *)'}),
        QuestionLink('ground-truth-join-key', {'A': 'join:event-id', 'B': 'join:s3-key', 'C': 'join:inference-id', 'D': 'join:hour'}),
        QuestionLink('ground-truth-record-format', {'A': 'record:label-inferenceid', 'B': 'record:capture-shape', 'C': 'record:flat-with-encoding', 'D': 'record:ground-truth-shape'}),
        QuestionLink('ground-truth-upload-date', {'A': 'key:collection-hour', 'B': 'key:inference-date', 'C': 'key:capture-layout', 'D': 'key:day-only'}),
        QuestionLink('on-demand-monitoring', {'A': 'on-demand:start-monitoring-schedule', 'B': 'on-demand:special-header', 'C': 'on-demand:processing-job', 'D': 'on-demand:update-endpoint-config', 'E': 'on-demand:monitor-batch-transform-step'}),
        QuestionLink('ground-truth-required-monitors', {'A': 'needs-labels:data-quality', 'B': 'needs-labels:model-quality', 'C': 'needs-labels:model-bias', 'D': 'needs-labels:feature-attribution', 'E': 'needs-labels:data-quality-batch'}),
        QuestionLink('monitoring-setup-order', {'A': 'setup:capture-week-baseline', 'B': 'setup:training-data-thresholds', 'C': 'setup:labels-only-baseline', 'D': 'setup:validation-set-baseline'}),
        QuestionLink('schedule-every-six-hours', {'A': 'every-x-hours:rate(6 hours)', 'B': 'every-x-hours:cron(0/360 * ? * * *)', 'C': 'every-x-hours:cron(0 0/6 ? * * *)', 'D': 'every-x-hours:cron(0 6 ? * * *)'}),
        QuestionLink('schedule-one-time-now', {'A': 'one-time:hourly-cron-then-delete', 'B': 'one-time:now-pt24h-pt0h', 'C': 'one-time:now-no-window', 'D': 'one-time:start-existing-schedule'}),
    ),
    params=(
        ParamSpec("requests_per_hour", int, 20, "trips scored (and captured) per hour", min=5, max=200),
        ParamSpec("label_delay_hours", int, 6, "hours after an hour starts until its trips' true arrival times are uploaded", min=1, max=12),
        ParamSpec("with_inference_id", bool, True, "callers pass InferenceId (the order id) with each request"),
        ParamSpec("hotfix_minute", int, 17, "minute past the hour at which the team wants a monitoring result after a hotfix", min=0, max=59),
        ParamSpec("run_every_hours", int, 6, "the data-quality runs the team wants: every this many hours from 00:00 UTC (6: 00:00, 06:00, 12:00, 18:00)", min=1, max=24),
    ),
    facts=("F19", "F20", "F25", "F26", "F27", "F39", "F40", "F41", "F68"),
    presets=(
        Preset("labels-within-the-hour", {"label_delay_hours": 1},
               "each hour's labels are uploaded as soon as the hour ends", control=True,
               premise="no late labels: every hour's ground truth is in one hour after the hour starts"),
        Preset("no-inference-id", {"with_inference_id": False},
               "callers send no InferenceId, so labels must carry the captured eventId"),
        Preset("runs-every-hour", {"run_every_hours": 1},
               "the team wants a data-quality run every hour: cron(0/360 * ? * * *) fires hourly, cron(0 0/6 ? * * *) misses 20 runs a day"),
    ),
)

START = datetime(2024, 3, 1, tzinfo=UTC)
DAYS = 3  # capture was switched on two days before the hourly schedules run on the third
HOUR = timedelta(hours=1)
ENDPOINT, VARIANT = "eta-prod", "AllTraffic"


# -- the world ----------------------------------------------------------------------------------
def trips(p: dict, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DatetimeIndex]:
    n = p["requests_per_hour"] * 24 * DAYS
    hours = np.repeat(np.arange(24 * DAYS), p["requests_per_hour"])
    seconds = hours * 3600 + rng.integers(0, 3600, n)
    times = pd.DatetimeIndex(pd.Timestamp(START) + pd.to_timedelta(np.sort(seconds), unit="s"))
    distance = np.round(rng.gamma(3.0, 2.0, n), 2)
    predicted = np.round(4.0 + 2.2 * distance, 1)
    actual = np.round(predicted + rng.normal(0.0, 3.0, n), 1)
    return pd.DataFrame({"distance_km": distance}), predicted, actual, times


def label_frame(captured: pd.DataFrame, actual: pd.Series, delay_hours: int) -> pd.DataFrame:
    """One upload per inference hour, ``delay_hours`` after the hour started; keyed like the capture."""
    keys = captured["inference_id"].where(captured["inference_id"].notna(), captured["event_id"]).astype(str)
    upload = pd.to_datetime(captured["inference_time"], utc=True).dt.floor("h") + pd.Timedelta(hours=delay_hours)
    return pd.DataFrame({"event_id": keys.to_numpy(), "label": actual.astype(str).to_numpy(), "label_time": upload.to_numpy()})


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    total = 5
    if progress:
        progress(0, total, "three days of captured trips and their labels")
    inputs, predicted, actual, times = trips(p, rng)
    ids = [f"order-{8000 + i}" for i in range(len(inputs))] if p["with_inference_id"] else None
    artifacts: list[Artifact] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        capture_frame(ENDPOINT, VARIANT, inputs, predicted, root / "capture", times=times, inference_ids=ids, seed=seed)
        captured = read_captured(root / "capture", ENDPOINT, VARIANT, input_columns=["distance_km"], output_columns=["eta"])
        truth = pd.Series(actual, index=captured.index)
        labels = label_frame(captured, truth, p["label_delay_hours"])
        # the first six uploads go through the engine's writer and reader (the files a team would upload);
        # the merges below use the same records in memory
        first_uploads = labels.loc[labels["label_time"] < labels["label_time"].min() + pd.Timedelta(hours=6)]
        written = write_ground_truth(first_uploads, root / "ground-truth")
        round_trip = read_ground_truth(root / "ground-truth")
        if sorted(round_trip["event_id"]) != sorted(first_uploads["event_id"]):
            raise RuntimeError("ground-truth files did not read back as written")
        labels_read = labels.assign(label_time=pd.to_datetime(labels["label_time"], utc=True))
        first_file = sorted(written)[0]
        artifacts.append(Artifact("ground-truth/" + first_file.relative_to(root / "ground-truth").as_posix(),
                                  "".join(first_file.read_text(encoding="utf-8").splitlines(True)[:5]),
                                  "the first ground-truth upload (first lines)"))
        capture_file = sorted((root / "capture").rglob("*.jsonl"))[0]
        artifacts.append(Artifact("capture/" + capture_file.relative_to(root / "capture").as_posix(),
                                  "".join(capture_file.read_text(encoding="utf-8").splitlines(True)[:3]), "captured records (first lines)"))

        if progress:
            progress(1, total, "hourly model-quality schedules, one per offset pair")
        joined = merge_ground_truth(captured, labels_read, START, START + timedelta(days=DAYS)).merged
        offset_results = {key: follow_offsets(captured, labels_read, *offsets, joined) for key, offsets in OFFSETS.items()}
        if progress:
            progress(2, total, "cron expressions, label keys, record shapes and S3 keys")
        outcomes = offset_outcomes(offset_results, p)
        outcomes += cron_outcomes()
        outcomes += join_key_outcomes(captured, truth, p)
        outcomes += record_format_outcomes(root / "formats", captured)
        outcomes += upload_key_outcomes(root / "keys", captured)
        if progress:
            progress(3, total, "on-demand runs, monitoring types, labels, set-up order")
        outcomes += on_demand_outcomes(root / "on-demand", p, captured)
        outcomes += every_x_hours_outcomes(p, captured)
        outcomes += one_time_outcomes(p, captured)
        outcomes += monitoring_type_outcomes() + type_set_outcomes()
        outcomes += label_need_outcomes(captured, truth)
        outcomes += setup_order_outcomes(captured, truth)
        outcomes += baseline_dataset_outcomes(rng)

    if progress:
        progress(4, total, "narrative")
    b = offset_results["offsets:-PT6H/-PT1H"]
    short = offset_results["offsets:-PT1H/-PT0H"]
    rows = [{"offsets": key.split(":", 1)[1], "accepted": r["accepted"], "executions": r["executions"],
             "completed": r["completed"], "labelled_evaluated_promptly": r["prompt_share"],
             "median_hours_label_to_evaluation": r["median_delay_hours"], "times_each_label_used": r["uses_per_label"]}
            for key, r in offset_results.items()]
    delay = p["label_delay_hours"]
    if delay > 1:
        premise = (f"The labels of each hour arrive {delay} hours after it starts, so a window ending now ({short['completed']} of "
                   f"{short['executions']} -PT1H/-PT0H executions complete) never sees a label. ")
    else:
        premise = (f"Labels arrive {delay} hour after each hour starts, so there is no long wait: even -PT1H/-PT0H completes "
                   f"{short['completed']} of {short['executions']} executions and uses each label within the hour. ")
    narrative = (
        f"{len(captured)} trips were captured over {DAYS} days ({p['requests_per_hour']} per hour"
        f"{', each with an InferenceId' if p['with_inference_id'] else ', without InferenceId'}). " + premise
        + f"With -PT6H/-PT1H, {b['completed']} of {b['executions']} hourly executions complete and "
        f"{b['prompt_share']:.0%} of the day's labelled trips are evaluated in the first run after their label arrives "
        f"(each label used by {b['uses_per_label']:.1f} runs)."
    )
    series = [Series(key.split(":", 1)[1], list(range(len(r["matched_per_run"]))), r["matched_per_run"], "line",
                     "hourly run on the last day", "labelled trips merged", "Labelled trips merged per hourly run")
              for key, r in offset_results.items() if r["accepted"]]
    timeline = [Event(iso_z(START), "capture", f"data capture on {ENDPOINT}/{VARIANT}; {p['requests_per_hour']} trips per hour"),
                Event(iso_z(START + timedelta(hours=delay)), "ground-truth", f"first label upload ({delay} h after the first hour)"),
                Event(iso_z(START + timedelta(days=DAYS - 1)), "schedule", "hourly model-quality schedules start")]
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative, series=series,
        tables={"offsets": pd.DataFrame(rows)}, timeline=timeline, artifacts=artifacts, outcomes=outcomes,
        key_numbers={"captured": len(captured), "label_files_written": len(written), "label_delay_hours": delay,
                     "offsets": {r["offsets"]: r["labelled_evaluated_promptly"] for r in rows}},
        question_id=INFO.question_ids[0],
    )


def _naive(moment: datetime) -> np.datetime64:
    """A UTC moment as the naive datetime64 that ``Series.to_numpy()`` gives for UTC columns."""
    return np.datetime64(pd.Timestamp(moment).tz_convert(None))


# -- offsets ------------------------------------------------------------------------------------
def follow_offsets(captured: pd.DataFrame, labels: pd.DataFrame, start_offset: str, end_offset: str, joined: pd.DataFrame) -> dict:
    """An hourly model-quality schedule over the last day; which labelled trips it evaluates, and when."""
    day_start = START + timedelta(days=DAYS - 1)
    clock = SimulatedClock(day_start - timedelta(minutes=1))
    service = ModelMonitorService(clock)
    service.create_endpoint(ENDPOINT)
    used: list[pd.DataFrame] = []
    shares: list[float] = []  # per run: share of the window's trips whose label had arrived
    # The engine's merge joins every captured record to its label once; each execution then keeps the
    # rows of its window whose label had been uploaded by its run time: exactly what
    # merge_ground_truth(captured, labels, start, end, labels_available_at=now) returns (see the tests).
    times = pd.to_datetime(joined["inference_time"], utc=True).dt.tz_convert(None).to_numpy()
    uploaded = pd.to_datetime(joined["label_time"], utc=True).dt.tz_convert(None).to_numpy()

    def job(window_start: datetime, window_end: datetime) -> dict:
        inside = (times >= _naive(window_start)) & (times < _naive(window_end))
        keep = inside & (uploaded <= _naive(clock.now))
        shares.append(float(keep.sum() / inside.sum()) if inside.any() else 0.0)
        if not keep.any():
            raise MonitoringJobError(f"no ground truth merged for the window {iso_z(window_start)} to {iso_z(window_end)}")
        merged = joined.loc[keep]
        keys = merged["inference_id"].where(merged["inference_id"].notna(), merged["event_id"]).astype(str)
        used.append(pd.DataFrame({"event_id": keys.to_numpy(), "run": clock.now}))
        mae = regression_metrics(merged["label"].astype(float), merged["eta"].astype(float))["mae"]
        return {"violations": [], "mae": mae, "matched": int(keep.sum())}

    try:
        service.create_monitoring_schedule(MonitoringSchedule("eta-model-quality", ENDPOINT, CronExpressionGenerator.hourly(), job,
                                                              start_offset=start_offset, end_offset=end_offset,
                                                              monitoring_type="ModelQuality"))
    except ValueError as error:
        return {"accepted": False, "error": str(error), "executions": 0, "completed": 0, "prompt_share": 0.0, "labelled_share": 0.0,
                "median_delay_hours": 0.0, "uses_per_label": 0.0, "matched_per_run": [], "considered": 0}
    clock.run_until(day_start + timedelta(days=1) - timedelta(minutes=1))
    execs = service.list_monitoring_executions()
    runs = pd.DatetimeIndex([pd.Timestamp(e.scheduled_time) for e in execs])
    # labelled trips whose label arrived while the schedule ran, with an hourly run still to come
    arrived = labels.loc[(labels["label_time"] >= runs.min()) & (labels["label_time"] <= runs.max() - HOUR)]
    evaluated = pd.concat(used, ignore_index=True) if used else pd.DataFrame({"event_id": [], "run": pd.Series([], dtype="datetime64[ns, UTC]")})
    first = evaluated.groupby("event_id")["run"].min()
    key = captured["inference_id"].where(captured["inference_id"].notna(), captured["event_id"]).astype(str)
    ours = arrived.loc[arrived["event_id"].isin(set(key))]
    evaluated_at = pd.to_datetime(pd.Series(first.reindex(ours["event_id"]).to_numpy()), utc=True)
    uploaded_at = pd.to_datetime(pd.Series(ours["label_time"].to_numpy()), utc=True)
    hours = (evaluated_at - uploaded_at).dt.total_seconds() / 3600
    prompt = float((hours <= 1.0).mean()) if len(hours) else 0.0
    uses = float(evaluated.groupby("event_id").size().mean()) if len(evaluated) else 0.0
    return {"accepted": True, "error": "", "executions": len(execs),
            "labelled_share": round(float(np.mean(shares)), 4) if shares else 0.0,
            "completed": sum(e.status in (COMPLETED, COMPLETED_WITH_VIOLATIONS) for e in execs),
            "failure": next((e.failure_reason for e in execs if e.status == FAILED), ""),
            "prompt_share": round(prompt, 4), "considered": len(ours),
            "median_delay_hours": round(float(hours.median()), 2) if hours.notna().any() else -1.0,
            "uses_per_label": round(uses, 2),
            "matched_per_run": [int(e.report["matched"]) if e.report else 0 for e in execs]}


def offset_outcomes(results: dict, p: dict) -> list[Outcome]:
    out = []
    for key, r in results.items():
        start, end = OFFSETS[key]
        criteria = [check("the schedule accepts the offsets", r["accepted"], f"start {start}, end {end} give a window",
                          f"refused: {r['error']}")]
        criteria.append(criterion("hourly executions that complete", r["completed"], ">=", max(r["executions"], 1),
                                  detail=f"of {r['executions']}" + (f"; {r.get('failure')}" if r.get("failure") else "")))
        criteria.append(criterion("labelled trips evaluated within an hour of their label's upload", round(100 * r["prompt_share"], 1), ">=", 99,
                                  unit="%", detail=f"{r['considered']} trips labelled during the day; median wait "
                                  + (f"{r['median_delay_hours']:g} h" if r["median_delay_hours"] >= 0 else "never evaluated")))
        out.append(Outcome(key, f"start_time_offset={start}, end_time_offset={end}", criteria,
                           finding=(f"Each evaluated label is used by {r['uses_per_label']:g} runs. " if r["uses_per_label"] else ""),
                           evidence={k: v for k, v in r.items() if k != "matched_per_run"}, key=key))
        # the reworded question's goal: every run scores one full hour, and every trip in it already has its label
        try:
            hours = (parse_offset(end) - parse_offset(start)).total_seconds() / 3600
        except ValueError:
            hours = 0.0
        full = f"full-hour-labelled:{start}/{end}"
        out.append(Outcome(full, f"start_time_offset={start}, end_time_offset={end} (one full, labelled hour per run)", [
            criteria[0], criteria[1],
            criterion("hours of predictions each run scores", round(hours, 2), "==", 1),
            criterion("share of each window's trips whose label has arrived (mean over runs)", round(100 * r["labelled_share"], 1),
                      ">=", 99, unit="%", detail="trips without a label drop out of the merge"),
        ], evidence={"labelled_share": r["labelled_share"], "window_hours": hours}, key=full))
    return out


# -- cron ---------------------------------------------------------------------------------------
def cron_outcomes() -> list[Outcome]:
    sdk = CronExpressionGenerator.hourly()
    day = datetime(2024, 5, 7, tzinfo=UTC)
    out = []
    for key, expression in CRONS.items():
        try:
            parse_cron(expression)
            fires = next_fire_times(expression, day - timedelta(seconds=1), 200)
            fires = [t for t in fires if t < day + timedelta(days=1)]
            error = ""
        except ValueError as exc:
            fires, error = [], str(exc)
        gaps = {int((b - a).total_seconds() // 60) for a, b in zip(fires, fires[1:])}
        out.append(Outcome(key, expression, [
            check("the engine parses the expression", not error, "parsed", f"refused: {error}"),
            criterion("runs in one day", len(fires), "==", 24,
                      detail=(f"first {fires[0]:%H:%M}, last {fires[-1]:%H:%M}, gaps {sorted(gaps)} min" if fires else "no run")),
            check("same text as CronExpressionGenerator.hourly()", expression == sdk, f"{expression} == {sdk}", f"{expression} != {sdk}"),
        ], evidence={"runs_per_day": len(fires), "gaps_minutes": sorted(gaps)}, key=key))
    return out


# -- ground truth keys, shapes and paths ------------------------------------------------------------
def join_key_outcomes(captured: pd.DataFrame, truth: pd.Series, p: dict) -> list[Outcome]:
    sample = captured.iloc[:: max(1, len(captured) // 400)]
    y = truth.loc[sample.index].astype(str).to_numpy()
    keys = {
        "join:event-id": sample["event_id"].astype(str),
        "join:inference-id": sample["inference_id"].astype(str) if p["with_inference_id"] else pd.Series(
            [f"order-{8000 + i}" for i in sample.index], index=sample.index),
        "join:s3-key": pd.Series([f"s3://ml-audit/capture/{ENDPOINT}/{VARIANT}/{t:%Y/%m/%d/%H}/" for t in sample["inference_time"]], index=sample.index),
        "join:hour": pd.Series([f"{t:%Y-%m-%dT%H}" for t in sample["inference_time"]], index=sample.index),
    }
    out = []
    for key, ids in keys.items():
        labels = pd.DataFrame({"event_id": ids.astype(str).to_numpy(), "label": y})
        merge = merge_ground_truth(sample, labels, START, START + timedelta(days=DAYS))
        share = merge.matched / merge.in_window
        out.append(Outcome(key, f"eventMetadata.eventId = {key.split(':')[1]}", [
            criterion("captured predictions paired with a label", round(100 * share, 1), ">=", 99, unit="%",
                      detail=f"{merge.matched} of {merge.in_window}; the merge joins on the inferenceId when one was sent, else the eventId"),
        ], evidence={"matched": merge.matched, "in_window": merge.in_window, "example_key": str(ids.iloc[0])}, key=key))
    return out


RECORDS = {
    "record:label-requestid": {"label": 1, "requestId": "{id}"},
    "record:capture-shape": {"captureData": {"endpointOutput": {"data": "1", "encoding": "CSV"}}, "eventMetadata": {"eventId": "{id}"}},
    "record:flat": {"groundTruthData": "1", "eventId": "{id}", "timestamp": "2024-05-07T14:00:00Z"},
    "record:ground-truth-shape": {"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "{id}"}, "eventVersion": "0"},
    "record:label-inferenceid": {"groundTruthData": {"label": 1}, "eventMetadata": {"inferenceId": "{id}"}, "eventVersion": "0"},
    "record:flat-with-encoding": {"groundTruthData": "1", "eventId": "{id}", "encoding": "CSV", "timestamp": "2024-05-07T14:00:00Z"},
}


def record_format_outcomes(root: Path, captured: pd.DataFrame) -> list[Outcome]:
    row = captured.iloc[[0]]
    key = str(row["inference_id"].iloc[0] if row["inference_id"].notna().iloc[0] else row["event_id"].iloc[0])
    out = []
    for name, shape in RECORDS.items():
        folder = root / name.split(":")[1]
        (folder / "2024/03/08/10").mkdir(parents=True)
        (folder / "2024/03/08/10/1020.jsonl").write_text(json.dumps(shape).replace("{id}", key) + "\n", encoding="utf-8")
        try:
            labels = read_ground_truth(folder)
            error = ""
        except GroundTruthFormatError as exc:
            labels, error = None, str(exc).split(": ", 1)[-1]
        matched = merge_ground_truth(row, labels, START, START + timedelta(days=DAYS)).matched if labels is not None else 0
        out.append(Outcome(name, json.dumps(shape).replace("{id}", "42"), [
            check("the merge job's reader accepts the record", labels is not None, "read as one label", f"rejected: {error}"),
            criterion("captured predictions paired with the label", matched, ">=", 1, detail=f"eventId {key}"),
        ], evidence={"error": error, "matched": matched}, key=name))
    return out


UPLOAD_KEYS = {  # key -> path under the ground-truth prefix
    "key:collection-hour": "2024/03/05/10/labels-1020.jsonl",
    "key:inference-date": "2024/03/02/00/labels.jsonl",
    "key:capture-layout": "churn-prod/AllTraffic/2024/03/02/labels.jsonl",
    "key:single-file": "labels.jsonl",
    "key:day-only": "2024/03/05/labels.jsonl",
}


def upload_key_outcomes(root: Path, captured: pd.DataFrame) -> list[Outcome]:
    """Predictions of 2 March 09:00-17:00 labelled on 5 March 10:20, filed under each option's key."""
    day = captured.loc[pd.to_datetime(captured["inference_time"], utc=True).dt.strftime("%Y-%m-%d") == "2024-03-02"]
    made = day.loc[pd.to_datetime(day["inference_time"], utc=True).dt.hour.between(9, 16)]
    keys = made["inference_id"].where(made["inference_id"].notna(), made["event_id"]).astype(str)
    lines = "\n".join(json.dumps({"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": k},
                                  "eventVersion": "0"}) for k in keys) + "\n"
    out = []
    for name, relative in UPLOAD_KEYS.items():
        folder = root / name.split(":")[1]
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(lines, encoding="utf-8")
        labels = read_ground_truth(folder)
        found = len(labels)
        before = 0
        if found:
            joined = made.assign(_k=keys.to_numpy()).merge(labels, left_on="_k", right_on="event_id", how="inner")
            before = int((pd.to_datetime(joined["label_time"], utc=True) < pd.to_datetime(joined["inference_time"], utc=True)).sum())
        dated = f"dated {labels['label_time'].iloc[0]:%Y-%m-%d %H:%M}" if found else "none found"
        out.append(Outcome(name, f"s3://ml-labels/churn/{relative}", [
            criterion("labels the merge job finds under the prefix (yyyy/mm/dd/hh partitions)", found, ">=", len(made),
                      detail=f"{len(made)} uploaded; {dated}"),
            criterion("labels dated before the prediction they label", before, "==", 0,
                      detail="the partition is read as the time the label was collected"),
        ], evidence={"found": found, "uploaded": len(made), "dated_before_prediction": before}, key=name))
    return out


# -- on-demand runs -------------------------------------------------------------------------------
def on_demand_outcomes(root: Path, p: dict, captured: pd.DataFrame) -> list[Outcome]:
    hotfix = START + timedelta(days=2, hours=10, minutes=p["hotfix_minute"])
    stamps = pd.to_datetime(captured["inference_time"], utc=True).dt.tz_convert(None).to_numpy()

    def job(window_start, window_end):
        records = int(np.count_nonzero((stamps >= _naive(window_start)) & (stamps < _naive(window_end))))
        if not records:
            raise MonitoringJobError("no captured data in the window")
        return {"violations": [], "records": records}

    def batch_job(window_start, window_end):  # the pipeline's monitoring step reads the batch job's output
        return {"violations": [], "records": 480}

    out = []
    for option in ON_DEMAND:
        clock = SimulatedClock(hotfix - HOUR)
        service = ModelMonitorService(clock)
        service.create_endpoint(ENDPOINT)
        service.create_monitoring_schedule(MonitoringSchedule("hourly", ENDPOINT, CronExpressionGenerator.hourly(), job))
        clock.run_until(hotfix)
        before = len(service.list_monitoring_executions())
        note = ""
        nightly = 0
        if option == "processing-job":
            service.create_monitoring_schedule(MonitoringSchedule("now", ENDPOINT, CronExpressionGenerator.now(), job,
                                                                  start_offset="-PT1H", end_offset="-PT0H"))
            note = "a one-time (NOW) job over the last hour"
        elif option == "monitor-batch-transform-step":
            nightly = 3
            for night in range(nightly):  # each pipeline run: batch transform, then its monitoring step
                clock.run_until(hotfix + timedelta(days=night))
                service.create_monitoring_schedule(MonitoringSchedule(f"batch-{night}", ENDPOINT, CronExpressionGenerator.now(), batch_job,
                                                                      start_offset="-PT1H", end_offset="-PT0H"))
                clock.advance(timedelta(seconds=1))
            note = f"{nightly} pipeline runs, each ending with a MonitorBatchTransformStep"
        elif option == "lower-alarm-threshold":
            cloudwatch = CloudWatch()
            cloudwatch.put_metric_alarm("eta-mae", namespace="aws/sagemaker/Endpoints/model-metrics", metric_name="mae", dimensions={"Endpoint": ENDPOINT},
                                        statistic="Average", period=3600, evaluation_periods=1, threshold=0.0,
                                        comparison_operator="GreaterThanThreshold")
            cloudwatch.evaluate_alarms(hotfix)
            note = f"alarm state {cloudwatch.alarms['eta-mae'].state}; alarms start no monitoring job"
        elif option == "special-header":
            endpoint = CapturingEndpoint(ENDPOINT, VARIANT, lambda payload: 9.9, root / option, seed=1, clock=clock)
            endpoint.invoke("3.2", inference_id="order-hotfix")
            note = f"{endpoint.invocations} invocation captured; an invocation is data, not a command"
        elif option == "start-monitoring-schedule":  # StartMonitoringSchedule on a schedule that is already running
            service.start_monitoring_schedule("hourly")
            note = f"status {service.describe_monitoring_schedule('hourly')['MonitoringScheduleStatus']}; the next run stays on the hour"
        elif option == "update-endpoint-config":  # UpdateEndpoint keeps the endpoint and its schedules
            note = f"endpoint {ENDPOINT} updated in place; schedules attached: {', '.join(service.list_monitoring_schedules())}"
        else:
            try:
                service.delete_endpoint(ENDPOINT)
            except ValueError as exc:
                note = f"delete refused ({str(exc).split(':')[0]}); nothing starts a job at endpoint creation"
        if option != "monitor-batch-transform-step":
            clock.advance(timedelta(minutes=ON_TIME_MINUTES))
        after = service.list_monitoring_executions()
        if option == "monitor-batch-transform-step":
            prompt = [e for e in after[before:] if e.schedule_name.startswith("batch-")]
            first_wait = 0.0 if len(prompt) == nightly else float(ON_TIME_MINUTES + 1)
            measured = len(prompt)
            wanted = nightly
        else:
            started = after[before:]
            measured = len(started)
            wanted = 1
            first_wait = (min(e.scheduled_time for e in started) - hotfix).total_seconds() / 60 if started else \
                ((hotfix.replace(minute=0) + HOUR) - hotfix).total_seconds() / 60
        out.append(Outcome(f"on-demand:{option}", option.replace("-", " "), [
            criterion(f"monitoring executions started within {ON_TIME_MINUTES} minutes of the request", measured, ">=", wanted,
                      detail=note),
            criterion("minutes until a monitoring result", round(first_wait, 1), "<=", ON_TIME_MINUTES,
                      detail="otherwise the next hourly run"),
        ], evidence={"executions": measured, "wait_minutes": round(first_wait, 1)}, key=f"on-demand:{option}"))
    return out


# -- every X hours (schedule-every-six-hours) -------------------------------------------------------
def every_x_hours_outcomes(p: dict, captured: pd.DataFrame) -> list[Outcome]:
    """A data-quality schedule with each option's expression, created 10 minutes after capture starts;
    the executions of the two full days that follow are compared with the times the team wants."""
    every = p["run_every_hours"]
    wanted_hours = list(range(0, 24, every))
    wanted_text = ", ".join(f"{h:02d}:00" for h in wanted_hours) if len(wanted_hours) <= 6 else f"every {every} h from 00:00"
    stamps = pd.to_datetime(captured["inference_time"], utc=True).dt.tz_convert(None).to_numpy()
    first_day, last_day = START + timedelta(days=1), START + timedelta(days=DAYS)  # the full days observed
    days = (last_day - first_day).days
    wanted = {first_day + timedelta(days=d, hours=h) for d in range(days) for h in wanted_hours}

    def job(window_start, window_end):
        records = int(np.count_nonzero((stamps >= _naive(window_start)) & (stamps < _naive(window_end))))
        if not records:
            raise MonitoringJobError("no captured data in the window")
        return {"violations": [], "records": records}

    out = []
    for key, expression in EVERY_X_HOURS.items():
        clock = SimulatedClock(START + timedelta(minutes=10))
        service = ModelMonitorService(clock)
        service.create_endpoint(ENDPOINT)
        try:
            service.create_monitoring_schedule(MonitoringSchedule("data-quality", ENDPOINT, expression, job))
            error = ""
        except ValueError as exc:
            error = str(exc)
        clock.run_until(last_day - timedelta(seconds=1))
        runs = [e for e in service.list_monitoring_executions() if first_day <= e.scheduled_time < last_day]
        at = [e.scheduled_time for e in runs]
        off = sum(t not in wanted for t in at)
        missed = len(wanted - set(at))
        completed = sum(e.status in (COMPLETED, COMPLETED_WITH_VIOLATIONS) for e in runs)
        day_one = [f"{t:%H:%M}" for t in at if t < first_day + timedelta(days=1)]
        shown = ", ".join(day_one[:6]) + (f" ... {day_one[-1]}" if len(day_one) > 6 else "")
        out.append(Outcome(key, f"schedule_cron_expression={expression}", [
            check("the engine accepts the schedule expression", not error, "schedule created", f"refused: {error}"),
            criterion("executions per day", round(len(runs) / days, 2), "==", len(wanted_hours),
                      detail=f"{len(runs)} in {days} full days; first day: {shown or 'none'}; {completed} completed"),
            criterion(f"executions at a time other than {wanted_text} UTC", off, "==", 0),
            criterion("wanted run times with no execution", missed, "==", 0, detail=f"of {len(wanted)} in {days} days"),
        ], evidence={"executions": len(runs), "off_time": off, "missed": missed, "completed": completed,
                     "first_day_times": shown, "error": error}, key=key))
    return out


# -- a one-time run over the last day (schedule-one-time-now) ----------------------------------------
def one_time_outcomes(p: dict, captured: pd.DataFrame) -> list[Outcome]:
    """An hourly data-quality schedule is running; at the hotfix minute the engineer wants one analysis of the
    previous 24 hours' requests, now. Each option is done through the engine and the clock runs three more hours."""
    hotfix = START + timedelta(days=2, hours=10, minutes=p["hotfix_minute"])
    stamps = pd.to_datetime(captured["inference_time"], utc=True).dt.tz_convert(None).to_numpy()
    day_lo, day_hi = _naive(hotfix - timedelta(hours=ONE_TIME_HOURS)), _naive(hotfix)
    last_day = int(np.count_nonzero((stamps >= day_lo) & (stamps < day_hi)))
    horizon = hotfix + timedelta(hours=WATCH_HOURS)
    regular = [t for t in next_fire_times(CronExpressionGenerator.hourly(), hotfix, WATCH_HOURS + 1) if t < horizon]

    def job(window_start, window_end):
        inside = (stamps >= _naive(window_start)) & (stamps < _naive(window_end))
        if not inside.any():
            raise MonitoringJobError("no captured data in the window")
        return {"violations": [], "records": int(inside.sum()),
                "of_last_day": int(np.count_nonzero(inside & (stamps >= day_lo) & (stamps < day_hi)))}

    out = []
    for key, action in ONE_TIME.items():
        clock = SimulatedClock(hotfix - 2 * HOUR)
        service = ModelMonitorService(clock)
        service.create_endpoint(ENDPOINT)
        service.create_monitoring_schedule(MonitoringSchedule("hourly", ENDPOINT, CronExpressionGenerator.hourly(), job))
        clock.run_until(hotfix)
        before = len(service.list_monitoring_executions())
        error = ""
        try:
            if key == "one-time:hourly-cron-then-delete":
                service.create_monitoring_schedule(MonitoringSchedule("one-off", ENDPOINT, CronExpressionGenerator.hourly(), job))
            elif key == "one-time:now-pt24h-pt0h":
                service.create_monitoring_schedule(MonitoringSchedule("one-off", ENDPOINT, CronExpressionGenerator.now(), job,
                                                                      start_offset=f"-PT{ONE_TIME_HOURS}H", end_offset="-PT0H"))
            elif key == "one-time:now-no-window":
                service.create_monitoring_schedule(MonitoringSchedule("one-off", ENDPOINT, CronExpressionGenerator.now(), job))
            else:
                service.start_monitoring_schedule("hourly")
        except ValueError as exc:
            error = str(exc)
        if key == "one-time:hourly-cron-then-delete":  # delete it once its first execution has finished
            clock.run_until(hotfix.replace(minute=0) + HOUR)
            service.delete_monitoring_schedule("one-off")
        clock.run_until(horizon)
        after = service.list_monitoring_executions()[before:]
        hourly = [e for e in after if e.schedule_name == "hourly"]
        extra = [e for e in after if e.schedule_name != "hourly"] + hourly[len(regular):]
        prompt = [e for e in extra if e.scheduled_time - hotfix <= timedelta(minutes=ON_TIME_MINUTES)]
        first = min(extra, key=lambda e: e.scheduled_time) if extra else None
        analysed = int(first.report["of_last_day"]) if first is not None and first.report else 0
        if first is None:
            seen = f"no extra execution in {WATCH_HOURS} hours" + (f"; {error}" if error else "")
        else:
            seen = (f"first extra execution at {first.scheduled_time:%H:%M} ({(first.scheduled_time - hotfix).total_seconds() / 60:g} min after "
                    f"the request), window {first.window_start:%d %b %H:%M} to {first.window_end:%d %b %H:%M}, {first.status}")
        out.append(Outcome(key, action, [
            criterion(f"extra executions started within {ON_TIME_MINUTES} minutes of the request", len(prompt), ">=", 1, detail=seen),
            criterion(f"share of the previous {ONE_TIME_HOURS} hours' captured requests the extra run analyses",
                      round(100 * analysed / last_day, 1) if last_day else 0.0, ">=", 99, unit="%",
                      detail=f"{analysed} of {last_day}"),
            criterion(f"runs of the existing hourly schedule in the next {WATCH_HOURS} hours", len(hourly), "==", len(regular),
                      detail="it must keep running unchanged"),
        ], evidence={"extra_executions": len(extra), "prompt": len(prompt), "analysed": analysed, "last_day_records": last_day,
                     "hourly_runs": len(hourly), "error": error,
                     "window": f"{iso_z(first.window_start)} to {iso_z(first.window_end)}" if first is not None else ""}, key=key))
    return out


# -- monitoring types and labels -------------------------------------------------------------------
def monitoring_type_outcomes() -> list[Outcome]:
    out = []
    for key, type_name in TYPE_NAMES.items():
        try:
            MonitoringSchedule("probe", ENDPOINT, CronExpressionGenerator.hourly(), lambda a, b: {"violations": []},
                               monitoring_type=type_name)
            refused = ""
        except ValueError as exc:
            refused = str(exc)
        out.append(Outcome(f"not-a-monitoring-type:{key}", f"{type_name} is not a monitoring type", [
            check(f"the schedule refuses MonitoringType {type_name}", bool(refused), refused,
                  f"accepted: {type_name} is one of {', '.join(MONITORING_TYPES)}")], key=f"not-a-monitoring-type:{key}"))
    return out


def type_set_outcomes() -> list[Outcome]:
    out = []
    for key, names in TYPE_SETS.items():
        refused = []
        for name in names:
            try:
                MonitoringSchedule("probe", ENDPOINT, CronExpressionGenerator.hourly(), lambda a, b: {"violations": []}, monitoring_type=name)
            except ValueError:
                refused.append(name)
        out.append(Outcome(key, " + ".join(names), [
            criterion("of the four, types a monitoring schedule refuses", len(refused), "==", 0,
                      detail=", ".join(refused) or f"all four are among {', '.join(MONITORING_TYPES)}")], key=key))
    return out


def label_need_outcomes(captured: pd.DataFrame, truth: pd.Series) -> list[Outcome]:
    """Each job run on one day of capture with no ground truth uploaded; a NOT question: works = fails without labels."""
    day = captured.iloc[: len(captured) // DAYS]
    no_labels = pd.DataFrame({"event_id": pd.Series(dtype=str), "label": pd.Series(dtype=str)})
    group = (day["distance_km"] > day["distance_km"].median()).to_numpy()

    def merged():
        m = merge_ground_truth(day, no_labels, START, START + timedelta(days=1))
        if m.matched == 0:
            raise MonitoringJobError(f"no ground truth: 0 of {m.in_window} captured records have a label")
        return m.merged

    jobs = {
        "data-quality": lambda: {"mean_distance": float(day["distance_km"].mean())},
        "model-quality": lambda: {"mae": float(np.mean(np.abs(merged()["label"].astype(float) - merged()["eta"])))},
        "model-bias": lambda: {"recall_difference": float(np.mean(merged()["label"].astype(float)[group]))},
        "feature-attribution": lambda: {"mean_abs_attribution": float(np.mean(np.abs(2.2 * (day["distance_km"] - day["distance_km"].mean()))))},
        "data-capture": lambda: {"records": len(day)},
        "data-quality-batch": lambda: {"mean_distance_of_batch_inputs": float(day["distance_km"].iloc[::2].mean())},
    }
    out = []
    for key, job in jobs.items():
        try:
            result = job()
            error = ""
        except MonitoringJobError as exc:
            result, error = {}, str(exc)
        shown = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items())
        out.append(Outcome(f"needs-labels:{key}", f"{key} cannot run without labels", [
            check(f"{key} fails without ground truth", bool(error), error, f"runs on captured data alone ({shown})")],
            evidence=result, key=f"needs-labels:{key}"))
    return out


def setup_order_outcomes(captured: pd.DataFrame, truth: pd.Series) -> list[Outcome]:
    """Daily model-quality runs over the captured days, with the set-up steps done in each order."""
    days = DAYS
    data = captured.assign(_t=pd.to_datetime(captured["inference_time"], utc=True), label=truth.astype(str))
    out = []
    for order in SETUP_ORDERS:
        state = {"capture_from": None, "baseline": False, "labels": False}
        clock = SimulatedClock(START)
        service = ModelMonitorService(clock)
        service.create_endpoint(ENDPOINT)

        def job(window_start, window_end, state=state):
            if not state["baseline"]:
                raise MonitoringJobError("no baseline constraints to compare with")
            if state["capture_from"] is None:
                raise MonitoringJobError("no captured data in the window")
            rows = data.loc[(data["_t"] >= max(pd.Timestamp(window_start), state["capture_from"])) & (data["_t"] < pd.Timestamp(window_end))]
            if rows.empty:
                raise MonitoringJobError("no captured data in the window")
            if not state["labels"]:
                raise MonitoringJobError("no ground truth merged")
            return {"violations": [], "records": len(rows)}

        schedule = MonitoringSchedule("mq", ENDPOINT, CronExpressionGenerator.daily(0), job, monitoring_type="ModelQuality")
        steps = {
            "schedule-baseline-capture": ["schedule", "baseline-from-capture", "capture"],
            "capture-baseline-schedule-merge": ["capture", "baseline", "schedule", "labels"],
            "labels-merge-capture": ["labels", "capture-if-violations"],
            "baseline-schedule-capture-on-violation": ["baseline", "schedule", "capture-if-violations"],
        }[order]
        for step in steps:
            if step == "schedule":
                service.create_monitoring_schedule(schedule)
            elif step == "baseline":
                state["baseline"] = True
            elif step == "baseline-from-capture":
                state["baseline"] = state["capture_from"] is not None  # nothing captured yet: the baseline job has no data
            elif step == "capture":
                state["capture_from"] = pd.Timestamp(clock.now)
            elif step == "labels":
                state["labels"] = True
            elif step == "capture-if-violations":
                flagged = service.list_monitoring_executions(status=COMPLETED_WITH_VIOLATIONS)
                if flagged:
                    state["capture_from"] = pd.Timestamp(clock.now)
            clock.advance(timedelta(minutes=10))
        clock.run_until(START + timedelta(days=days))
        execs = service.list_monitoring_executions()
        reports = sum(e.status in (COMPLETED, COMPLETED_WITH_VIOLATIONS) for e in execs)
        reason = next((e.failure_reason for e in execs if e.failure_reason), "no schedule was created" if not execs else "")
        out.append(Outcome(f"setup:{order}", " -> ".join(steps), [
            criterion(f"daily model-quality reports in {days} days", reports, ">=", days,
                      detail=f"{len(execs)} executions" + (f"; {reason}" if reason else "")),
        ], evidence={"executions": len(execs), "reports": reports}, key=f"setup:{order}"))
    return out


# -- monitoring-setup-order (reworded): which dataset the model-quality baseline job runs on ---------------------------------
def baseline_dataset_outcomes(rng: np.random.Generator) -> list[Outcome]:
    """An ETA model fitted on 300 trips (per half-kilometre bin: it partly memorises them), monitored daily on 480 trips.
    Thresholds are the baseline MAE loosened by 10 % after review; a violation is MAE GreaterThanThreshold."""
    from simulations.monitoring.model_quality import check_model_quality, suggest_model_quality_constraints

    def trips_of(n: int) -> tuple[np.ndarray, np.ndarray]:
        d = np.round(rng.gamma(3.0, 2.0, n), 2)
        return d, np.round(4.0 + 2.2 * d + rng.normal(0.0, 3.0, n), 1)

    train_d, train_y = trips_of(300)
    bins = np.clip((train_d * 2).astype(int), 0, 99)
    means = pd.Series(train_y).groupby(bins).mean()
    overall = float(train_y.mean())

    def model(d: np.ndarray) -> np.ndarray:
        return means.reindex(np.clip((d * 2).astype(int), 0, 99)).fillna(overall).to_numpy()

    val_d, val_y = trips_of(1000)
    days = [trips_of(480) for _ in range(3)]
    bad_d, bad_y = trips_of(480)
    datasets = {
        "setup:capture-week-baseline": ("the first week of captured requests and predictions", None, "captured traffic has predictions but no labels"),
        "setup:training-data-thresholds": ("the training data with the model's predictions on it", (train_y, model(train_d)), ""),
        "setup:labels-only-baseline": ("the ground-truth labels alone", None, "labels without predictions"),
        "setup:validation-set-baseline": ("the labelled validation set with the model's predictions", (val_y, model(val_d)), ""),
    }
    out = []
    for key, (label, pair, missing) in datasets.items():
        if pair is None:
            rules, shown = {}, f"no model-quality baseline: {missing}"
        else:
            stats = model_quality_statistics(REGRESSION, pair[0], pair[1])
            mae = stats["regression_metrics"]["mae"]["value"]
            rules = {"mae": {"threshold": round(mae * 1.1, 4), "comparison_operator": "GreaterThanThreshold"}}
            suggested = suggest_model_quality_constraints(stats)["regression_constraints"]["mae"]["comparison_operator"]
            shown = f"baseline MAE {mae:.2f}, reviewed threshold {mae * 1.1:.2f} ({suggested})"
        constraints = {"version": 0.0, "regression_constraints": rules}

        def flagged(truth: np.ndarray, predicted: np.ndarray) -> int:
            if not rules:
                return 0
            return len(check_model_quality(model_quality_statistics(REGRESSION, truth, predicted), constraints)["violations"])

        normal = sum(flagged(y, model(d)) for d, y in days)
        degraded = flagged(bad_y, model(bad_d) + 3.0)
        out.append(Outcome(key, f"baseline job on {label}", [
            criterion("model-quality thresholds the baseline yields", len(rules), ">=", 1, detail=shown),
            criterion("normal days flagged (false alarms)", normal, "==", 0, detail=f"of {len(days)} days"),
            criterion("a day whose predictions run 3 minutes late flagged", degraded, ">=", 1),
        ], key=key))
    return out
