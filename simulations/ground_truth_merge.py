"""Ground truth arrives late: which start/end offsets let a model-quality job evaluate labelled data?

A card-fraud classifier serves transactions around the clock with data capture on. Most callers
pass the transaction id as ``InferenceId``; a share of legacy callers do not, so their labels
are keyed by the captured ``eventId`` (F26). Labels come back late and are written as
ground-truth JSONL under ``yyyy/mm/dd/hh`` of the time they were *collected* (F27):

- the review team labels the transactions of UTC day ``t`` during day ``t + label_delay_days``
  (default 1: "every label for day t is in by the end of day t + 1"), working 06:00-18:00;
- a share of the fraud cases (``early_label_share``) is disputed by the card holder and labelled
  1-12 hours after the transaction: the only labels that exist for very recent records, and
  they are all positives;
- ``unlabelled_share`` of the records are never labelled;
- the labelling pipeline uploads every 3 hours (00:00, 03:00, ... UTC), so a label becomes
  visible at the first upload after it is ready.

With the default delay a record is fully labelled between 1 and 2 days after it happened
(1-3 days for an early-morning label and a later setting): the window ``-P3D``/``-P1D`` of a
daily schedule therefore holds two days whose labels have all arrived, which is how the note's
"labels about 3 days late -> -P3D / -P1D" pairs up here (F39). The model-quality schedule (engine
``ModelMonitorService``) runs daily at 00:00 for ``days`` days; each execution reads the captured
records of its window, merges them with the labels uploaded so far (engine ``merge_ground_truth``:
inferenceId, else eventId), and computes the engine's binary-classification metrics against
reviewed constraints (accuracy and AUC, 0.05 below the validation baseline). Per option the last
execution is compared with the *true* accuracy of every record in its window:

- A ``-PT1H``/``-PT0H``: the last hour only; no label exists yet -> Failed.
- B ``-P3D``/``-P1D``: almost every record matched; accuracy within a hair of the truth.
- C ``-P1D``/``-P3D``: the start is after the end; the engine refuses the schedule.
- D no offsets: the window is the day since the previous run; only the early (fraud) labels
  have arrived -> a tiny sample of positives whose accuracy is far from the truth.

An option works when its job matches at least ``MIN_MATCH_RATE`` of the window's records and its
accuracy is within ``MAX_ERROR`` of the true accuracy. An hourly variant (F39) uses a faster
labelling stream (labels uploaded within the hour after each inference hour) and compares
``-PT6H``/``-PT1H`` with ``-PT1H``/``-PT0H``.

A second labelling stream (offsets-two-day-labels) labels the same captured records with a lag
spread evenly up to ``max_label_lag_hours`` (default 48): each label is uploaded, at the top of the
hour, at most that many hours after its prediction. A daily schedule runs each of that question's
offset pairs for its last two executions; an option works when every execution completes, its
window holds one full day (24 hours) of predictions, and no labelled record in it is still waiting
for its label when the job runs (engine merge with ``labels_available_at`` = the run time).
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.capture import capture_frame, read_captured
from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.cron import CronExpressionGenerator
from simulations.monitoring.ground_truth import join_keys, merge_ground_truth, read_ground_truth, write_ground_truth
from simulations.monitoring.model_quality import (
    BINARY_CLASSIFICATION,
    binary_classification_metrics,
    check_model_quality,
    model_quality_statistics,
    suggest_model_quality_constraints,
)
from simulations.monitoring.schedule import FAILED, ModelMonitorService, MonitoringJobError, MonitoringSchedule
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParameterError, ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

INFO = SimulationInfo(
    name="ground-truth-merge",
    title="Ground-truth merge: offsets that wait for late labels",
    summary="Labels arrive a day or more after each inference; only a window that ends before the missing labels (-P3D/-P1D) evaluates a full, unbiased sample. "
            "With labels up to 48 hours late, -P3D/-P2D is the one full day whose labels have all arrived.",
    questions=(QuestionLink("ground-truth-window-offsets", {"A": "offsets-pt1h-pt0h", "B": "offsets-p3d-p1d",
                                                            "C": "offsets-p1d-p3d", "D": "no-offsets"}),
               QuestionLink("offsets-two-day-labels", {"A": "lag-window:-P3D/-P2D", "B": "lag-window:-P1D/-PT0H",
                                                       "C": "lag-window:-P2D/-P3D", "D": "lag-window:-P3D/-P1D"})),
    params=(
        ParamSpec("days", int, 4, "days of captured traffic; the daily schedule's last execution runs at the end of the last day", min=4, max=10),
        ParamSpec("requests_per_hour", int, 50, "transactions scored per hour (all captured)", min=10, max=500),
        ParamSpec("label_delay_days", int, 1, "the review team labels day t's transactions during day t + this many days (0: every label is known the moment the prediction is made)", min=0, max=3),
        ParamSpec("early_label_share", float, 0.3, "share of fraud cases disputed by the card holder and labelled 1-12 h after the transaction", min=0.0, max=1.0),
        ParamSpec("no_inference_id_share", float, 0.2, "share of requests sent without an InferenceId (their labels are keyed by eventId)", min=0.0, max=1.0),
        ParamSpec("unlabelled_share", float, 0.02, "share of transactions never labelled", min=0.0, max=0.5),
        ParamSpec("fraud_rate", float, 0.1, "share of fraudulent transactions", min=0.02, max=0.5),
        ParamSpec("max_label_lag_hours", int, 48, "second labelling stream: each label is uploaded at most this many hours after its prediction "
                  "(spread evenly; 0: at the next hourly upload)", min=0, max=72),
    ),
    facts=("F20", "F25", "F26", "F27", "F39"),
    presets=(
        Preset("labels-on-time", {"label_delay_days": 0, "max_label_lag_hours": 0}, "every label is known when the prediction is made",
               control=True, premise="labels on time: nothing arrives late"),
        Preset("labels-three-days-late", {"label_delay_days": 3, "days": 7, "max_label_lag_hours": 72},
               "the review team needs three days: -P3D/-P1D is too early (and, with labels up to 72 h late, so is -P3D/-P2D)"),
        Preset("half-never-labelled", {"unlabelled_share": 0.5}, "half of the transactions never get a label"),
    ),
)

START = datetime(2025, 3, 3, tzinfo=UTC)
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
ENDPOINT, VARIANT = "fraud-endpoint", "AllTraffic"
SCHEDULE = "fraud-model-quality"
FEATURES = ["amount", "merchant_risk", "distance_km", "card_present"]
OUTPUT = "probability"
THRESHOLD = 0.5  # ProbabilityThresholdAttribute: probability -> predicted label
UPLOAD_EVERY_HOURS = 3
REVIEW_HOURS = (6, 18)  # the review team's working hours (UTC)
EARLY_HOURS = (1, 12)  # a card holder's dispute arrives this many hours after the transaction
MIN_MATCH_RATE = 0.9  # an option works when the job evaluates at least this share of its window ...
MAX_ERROR = 0.02  # ... and its accuracy is this close to the true accuracy of the window
CONSTRAINED = ("accuracy", "auc")  # the reviewed model-quality constraints
TOLERANCE = 0.05
LAG_WINDOWS = ("-P3D/-P2D", "-P1D/-PT0H", "-P2D/-P3D", "-P3D/-P1D")  # offsets-two-day-labels' offset pairs
LAG_RUNS = 2  # the last daily executions judged for each of them
OPTIONS = {  # letter -> (start_offset, end_offset) as written in the question
    "A": ("-PT1H", "-PT0H"),
    "B": ("-P3D", "-P1D"),
    "C": ("-P1D", "-P3D"),
    "D": (None, None),
}


def _check(params: dict) -> None:
    if params["days"] < params["label_delay_days"] + 3:
        raise ParameterError(
            f"parameter 'days' must be at least label_delay_days + 3 = {params['label_delay_days'] + 3} so a window "
            f"that waits for the labels lies inside the captured data, got {params['days']}"
        )


# -- traffic, model, labels ------------------------------------------------------------------------
def transactions(n: int, rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame({
        "amount": np.round(rng.lognormal(3.5, 1.0, n), 2),
        "merchant_risk": np.round(rng.beta(2.0, 8.0, n), 3),
        "distance_km": np.round(rng.lognormal(2.0, 1.0, n), 1),
        "card_present": (rng.random(n) < 0.6).astype(np.int64),
    })


def risk_score(df: pd.DataFrame) -> np.ndarray:
    return (0.6 * (np.log(df["amount"].to_numpy()) - 3.5) + 6.0 * (df["merchant_risk"].to_numpy() - 0.2)
            + 0.5 * (np.log1p(df["distance_km"].to_numpy()) - 2.0) - 1.2 * df["card_present"].to_numpy())


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def intercept_for(score: np.ndarray, rate: float) -> float:
    """The intercept that makes the mean fraud probability equal ``rate`` (bisection)."""
    low, high = -20.0, 20.0
    for _ in range(50):
        mid = (low + high) / 2
        if _sigmoid(mid + 2.0 * score).mean() < rate:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def truth_and_prediction(df: pd.DataFrame, intercept: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """True labels and the model's fraud probability (a good, imperfect model)."""
    score = intercept + 2.0 * risk_score(df)
    y = (rng.random(len(df)) < _sigmoid(score)).astype(np.int64)
    probability = np.round(_sigmoid(score + rng.normal(0.0, 0.8, len(df))), 4)
    return y, probability


def next_upload(ready: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The first 3-hourly upload at or after each ready time."""
    return pd.DatetimeIndex(ready).ceil(f"{UPLOAD_EVERY_HOURS}h")


def label_times(times: pd.DatetimeIndex, y: np.ndarray, params: dict, rng: np.random.Generator) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Upload time of each record's label, and which records get a label at all."""
    n = len(times)
    labelled = rng.random(n) >= params["unlabelled_share"]
    if params["label_delay_days"] == 0:  # the label is known when the prediction is made (no late labels)
        return times, labelled
    day_start = times.floor("D")
    review = pd.to_timedelta(rng.uniform(REVIEW_HOURS[0] * 3600, REVIEW_HOURS[1] * 3600, n).round(), unit="s")
    regular = day_start + pd.Timedelta(days=params["label_delay_days"]) + review
    early_delay = pd.to_timedelta(rng.uniform(EARLY_HOURS[0] * 3600, EARLY_HOURS[1] * 3600, n).round(), unit="s")
    early = (y == 1) & (rng.random(n) < params["early_label_share"])
    ready = pd.DatetimeIndex(np.where(early, times + early_delay, regular))
    return next_upload(ready), labelled


# -- the monitoring job -------------------------------------------------------------------------
class CapturedRecords:
    """The captured records, read from the capture folder once (engine ``read_captured``); each job
    takes its window by inferenceTime, exactly the rows ``read_captured(start, end)`` returns."""

    def __init__(self, dest: Path, start: datetime, end: datetime) -> None:
        frame = read_captured(dest, ENDPOINT, VARIANT, start, end, input_columns=FEATURES, output_columns=[OUTPUT])
        self.frame = frame.sort_values("inference_time", kind="stable").reset_index(drop=True)
        self.times = pd.DatetimeIndex(self.frame["inference_time"]).tz_convert("UTC")

    def window(self, start: datetime, end: datetime) -> pd.DataFrame:
        lo = self.times.searchsorted(pd.Timestamp(start), "left")
        hi = self.times.searchsorted(pd.Timestamp(end), "left")
        return self.frame.iloc[lo:hi].reset_index(drop=True)


def model_quality_job(clock: SimulatedClock, records: "CapturedRecords", labels: pd.DataFrame, constraints: dict, merges: dict):
    """Read the window's captured records, merge the labels uploaded so far, compute and check metrics."""

    def job(start: datetime, end: datetime) -> dict:
        captured = records.window(start, end)
        if captured.empty:
            raise MonitoringJobError(f"no captured data in the window {iso_z(start)} to {iso_z(end)}")
        merge = merge_ground_truth(captured, labels, start, end, labels_available_at=clock.now)
        merges[clock.now] = merge
        if merge.matched == 0:
            raise MonitoringJobError(
                f"no ground truth: 0 of the {merge.in_window} captured records in {iso_z(start)} to {iso_z(end)} "
                f"have a label uploaded by {iso_z(clock.now)} ({merge.labels_not_yet_available} labels arrive later)")
        merged = merge.merged
        statistics = model_quality_statistics(
            BINARY_CLASSIFICATION, merged["label"].astype(np.int64), (merged[OUTPUT] >= THRESHOLD).astype(np.int64),
            y_score=merged[OUTPUT])
        return {"violations": check_model_quality(statistics, constraints)["violations"], "statistics": statistics}

    return job


def run_option(start_offset, end_offset, *, cron: str, clock_start: datetime, until: datetime, records: "CapturedRecords",
               labels: pd.DataFrame, constraints: dict) -> dict:
    """One world: an endpoint and a model-quality schedule with these offsets, run until ``until``."""
    clock = SimulatedClock(clock_start)
    service = ModelMonitorService(clock)
    service.create_endpoint(ENDPOINT)
    merges: dict = {}
    try:
        schedule = MonitoringSchedule(SCHEDULE, ENDPOINT, cron, model_quality_job(clock, records, labels, constraints, merges),
                                      start_offset=start_offset, end_offset=end_offset, monitoring_type="ModelQuality")
    except ValueError as error:
        return {"rejected": str(error), "executions": [], "merges": merges}
    service.create_monitoring_schedule(schedule)
    clock.run_until(until)
    return {"rejected": None, "executions": service.list_monitoring_executions(SCHEDULE), "merges": merges}


def evaluate(world: dict, truth: pd.DataFrame) -> dict:
    """Numbers of the last execution of a world, against the truth of its window."""
    if world["rejected"]:
        return {"status": "rejected", "error": world["rejected"], "in_window": 0, "matched": 0, "match_rate": 0.0,
                "labelled_in_window": 0, "labelled_match_rate": 0.0,
                "accuracy": None, "true_accuracy": None, "error_vs_true": None, "failure_reason": None,
                "window": None, "fraud_share_evaluated": None, "fraud_share_window": None,
                "matched_via_event_id": 0, "violations": []}
    last = world["executions"][-1]
    start, end = last.window_start, last.window_end
    inside = truth[(truth["time"] >= pd.Timestamp(start)) & (truth["time"] < pd.Timestamp(end))]
    true_acc = (binary_classification_metrics(inside["y"], inside["predicted"])["accuracy"] if len(inside) else None)
    merge = world["merges"].get(last.scheduled_time)
    matched = merge.matched if merge else 0
    in_window = merge.in_window if merge else len(inside)
    accuracy = None
    fraud_evaluated = None
    via_event = 0
    if last.report:
        accuracy = last.report["statistics"]["binary_classification_metrics"]["accuracy"]["value"]
        fraud_evaluated = float((merge.merged["label"] == "1").mean())
        via_event = int(merge.merged["inference_id"].isna().sum())
    return {
        "status": last.status, "failure_reason": last.failure_reason, "error": None,
        "window": f"{iso_z(start)} to {iso_z(end)}", "scheduled_time": iso_z(last.scheduled_time),
        "in_window": int(in_window), "matched": int(matched),
        "match_rate": round(matched / in_window, 4) if in_window else 0.0,
        "labelled_in_window": int(inside["labelled"].sum()),
        "labelled_match_rate": round(matched / int(inside["labelled"].sum()), 4) if int(inside["labelled"].sum()) else 0.0,
        "accuracy": None if accuracy is None else round(float(accuracy), 4),
        "true_accuracy": None if true_acc is None else round(float(true_acc), 4),
        "error_vs_true": None if accuracy is None or true_acc is None else round(float(accuracy - true_acc), 4),
        "fraud_share_evaluated": None if fraud_evaluated is None else round(fraud_evaluated, 4),
        "fraud_share_window": round(float(inside["y"].mean()), 4) if len(inside) else None,
        "matched_via_event_id": via_event,
        "violations": last.report["violations"] if last.report else [],
    }


def judged(ev: dict) -> list:
    """The same three measured tests for every option's last execution."""
    def acc(x):
        return "n/a" if x is None else f"{x:.3f}"

    completed = ev["status"] in ("Completed", "CompletedWithViolations")
    if ev["status"] == "rejected":
        ran = f"the schedule was refused: \u201c{ev['error']}\u201d"
    else:
        ran = f"last execution {ev['status']}" + (f" ({ev['failure_reason']})" if ev["failure_reason"] else "")
    close = ev["error_vs_true"] is not None and abs(ev["error_vs_true"]) <= MAX_ERROR
    measured = (f"accuracy {acc(ev['accuracy'])} vs true {acc(ev['true_accuracy'])} (off by {abs(ev['error_vs_true']):.4f}, "
                f"allowed {MAX_ERROR})" if ev["error_vs_true"] is not None else "no accuracy was computed")
    return [
        check("the schedule runs and its last execution completes", completed, ran, ran),
        criterion("share of the window's labelled records that the merge matched", ev["labelled_match_rate"], ">=", MIN_MATCH_RATE,
                  detail=f"{ev['matched']} of {ev['labelled_in_window']} records that get a label; {ev['in_window']} records in the window"),
        check("accuracy measured close to the truth of the window", close, measured, measured),
    ]


def first_lines(path: Path, n: int) -> str:
    with path.open(encoding="utf-8") as handle:
        return "".join(line for _, line in zip(range(n), handle))


# -- offsets-two-day-labels: labels that arrive at most N hours after the prediction ----------------------
def lagged_uploads(times: pd.DatetimeIndex, max_lag_hours: int, rng: np.random.Generator) -> pd.DatetimeIndex:
    """Each label becomes known a lag spread evenly over [0, max - 1 h] after its prediction and is uploaded at
    the next top of the hour: never later than ``max_lag_hours`` after the prediction (0: the next hourly upload)."""
    lag = rng.uniform(0.0, max(max_lag_hours - 1, 0) * 3600.0, len(times)).round()
    return (times + pd.to_timedelta(lag, unit="s")).ceil("h")


def lag_window_results(records: "CapturedRecords", labels: pd.DataFrame, truth: pd.DataFrame, constraints: dict,
                       end_time: datetime) -> dict:
    """A daily 00:00 schedule per offset pair, over its last ``LAG_RUNS`` executions."""
    out = {}
    for pair in LAG_WINDOWS:
        start_offset, end_offset = pair.split("/")
        world = run_option(start_offset, end_offset, cron=CronExpressionGenerator.daily(0),
                           clock_start=end_time - LAG_RUNS * DAY + timedelta(minutes=1), until=end_time,
                           records=records, labels=labels, constraints=constraints)
        runs = []
        for e in world["executions"]:
            inside = (truth["time"] >= pd.Timestamp(e.window_start)) & (truth["time"] < pd.Timestamp(e.window_end))
            labelled = int((inside & truth["labelled"]).sum())
            merge = world["merges"].get(e.scheduled_time)
            matched = merge.matched if merge else 0
            runs.append({"scheduled_time": iso_z(e.scheduled_time), "window": f"{iso_z(e.window_start)} to {iso_z(e.window_end)}",
                         "window_hours": (e.window_end - e.window_start).total_seconds() / 3600, "status": e.status,
                         "failure_reason": e.failure_reason, "in_window": int(inside.sum()), "labelled": labelled,
                         "matched": int(matched), "pending": labelled - int(matched)})
        labelled = sum(r["labelled"] for r in runs)
        matched = sum(r["matched"] for r in runs)
        out[pair] = {
            "rejected": world["rejected"], "runs": runs, "executions": len(runs),
            "completed": sum(r["status"] in ("Completed", "CompletedWithViolations") for r in runs),
            "window_hours": max((r["window_hours"] for r in runs), default=0.0),
            "labelled": labelled, "matched": matched, "pending": labelled - matched,
            "labelled_match_rate": round(matched / labelled, 4) if labelled else 0.0,
        }
    return out


def lag_window_outcomes(results: dict, max_lag_hours: int) -> list[Outcome]:
    out = []
    for pair, r in results.items():
        start_offset, end_offset = pair.split("/")
        if r["rejected"]:
            ran = f"the schedule was refused: \u201c{r['rejected']}\u201d"
        else:
            last = r["runs"][-1]
            ran = (f"{r['completed']} of {r['executions']} daily executions completed; last window {last['window']}"
                   + (f" ({last['failure_reason']})" if last["failure_reason"] else ""))
        completed = not r["rejected"] and r["executions"] > 0 and r["completed"] == r["executions"]
        out.append(Outcome(pair, f"start_time_offset {start_offset}, end_time_offset {end_offset}", [
            check("the schedule runs and every execution completes", completed, ran, ran),
            criterion("hours of predictions in each execution's window", round(r["window_hours"], 2), "==", 24,
                      detail="one full day"),
            criterion("labelled records in the windows still waiting for their label when the job runs", r["pending"], "==", 0,
                      detail=f"labels arrive up to {max_lag_hours} h after the prediction; the merge matched {r['matched']} of "
                             f"{r['labelled']} records that get a label ({100 * r['labelled_match_rate']:.1f}%) "
                             f"over the last {LAG_RUNS} runs"),
        ], evidence={k: v for k, v in r.items() if k != "runs"} | {"last_window": r["runs"][-1]["window"] if r["runs"] else None},
            key=f"lag-window:{pair}"))
    return out


# -- the run ------------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    _check(params)
    rng = np.random.default_rng(seed)
    days, per_hour = params["days"], params["requests_per_hour"]
    end_time = START + days * DAY
    total = 6
    if progress:
        progress(0, total, "transactions, model, true labels")

    n = days * 24 * per_hour
    traffic = transactions(n, rng)
    intercept = intercept_for(risk_score(transactions(20_000, np.random.default_rng([seed, 1]))), params["fraud_rate"])
    y, probability = truth_and_prediction(traffic, intercept, rng)
    seconds = np.sort(rng.integers(0, days * 86_400, n))
    times = pd.DatetimeIndex(pd.Timestamp(START) + pd.to_timedelta(seconds, unit="s"))
    with_id = rng.random(n) >= params["no_inference_id_share"]
    inference_ids = np.where(with_id, np.char.add("txn-", np.char.zfill(np.arange(n).astype(str), 7)).astype(object), None)

    validation = transactions(5000, np.random.default_rng([seed, 2]))
    y_val, p_val = truth_and_prediction(validation, intercept, np.random.default_rng([seed, 3]))
    baseline_stats = model_quality_statistics(BINARY_CLASSIFICATION, y_val, (p_val >= THRESHOLD).astype(np.int64), y_score=p_val)
    suggested = suggest_model_quality_constraints(baseline_stats, tolerance=TOLERANCE)
    constraints = {"version": suggested["version"], "binary_classification_constraints": {
        k: v for k, v in suggested["binary_classification_constraints"].items() if k in CONSTRAINED}}

    artifacts: list[Artifact] = []
    timeline: list[Event] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        dest, gt_root = root / "data-capture", root / "ground-truth"
        if progress:
            progress(1, total, "data capture and ground-truth uploads")
        captured = capture_frame(ENDPOINT, VARIANT, traffic, probability, dest, times=times,
                                 inference_ids=inference_ids, seed=int(rng.integers(2**31)))
        keys = join_keys(captured)  # the eventId each label must carry: inferenceId, else eventId
        records = CapturedRecords(dest, START, end_time)
        uploaded, labelled = label_times(times, y, params, rng)
        label_frame = pd.DataFrame({"event_id": keys.to_numpy(), "label": y.astype(str), "label_time": uploaded})[labelled]
        write_ground_truth(label_frame, gt_root)
        labels = read_ground_truth(gt_root)
        truth = pd.DataFrame({"time": times, "y": y, "predicted": (probability >= THRESHOLD).astype(np.int64),
                              "label_time": uploaded, "labelled": labelled})

        if progress:
            progress(2, total, "daily model-quality schedules, one per option")
        worlds = {letter: run_option(s, e, cron=CronExpressionGenerator.daily(0), clock_start=START, until=end_time,
                                     records=records, labels=labels, constraints=constraints)
                  for letter, (s, e) in OPTIONS.items()}
        results = {letter: evaluate(world, truth) for letter, world in worlds.items()}
        delay = params["label_delay_days"]
        recommended = (f"-P{delay + 2}D", f"-P{delay}D") if delay else ("-P1D", "-PT0H")
        if recommended != OPTIONS["B"]:
            rec = evaluate(run_option(*recommended, cron=CronExpressionGenerator.daily(0), clock_start=START,
                                      until=end_time, records=records, labels=labels, constraints=constraints), truth)
        else:
            rec = results["B"]

        # F39 hourly variant: labels uploaded within the hour after each inference hour
        if progress:
            progress(3, total, "hourly variant; labels at most N hours late")
        recent = (truth["time"] >= pd.Timestamp(end_time - 8 * HOUR)) & truth["labelled"]
        hourly_labels = pd.DataFrame({
            "event_id": keys.to_numpy()[recent.to_numpy()],
            "label": y[recent.to_numpy()].astype(str),
            "label_time": truth.loc[recent, "time"].dt.floor("h") + HOUR
                          + pd.to_timedelta(rng.integers(0, 3000, int(recent.sum())), unit="s"),
        })
        hourly_root = root / "ground-truth-hourly"
        write_ground_truth(hourly_labels, hourly_root)
        hourly_read = read_ground_truth(hourly_root)
        hourly = {}
        for name, offsets in (("hourly_pt6h_pt1h", ("-PT6H", "-PT1H")), ("hourly_pt1h_pt0h", ("-PT1H", "-PT0H"))):
            world = run_option(*offsets, cron=CronExpressionGenerator.hourly(), clock_start=end_time - 2 * HOUR,
                               until=end_time, records=records, labels=hourly_read, constraints=constraints)
            hourly[name] = evaluate(world, truth)

        # offsets-two-day-labels: the same records labelled by a stream at most max_label_lag_hours late
        lag_hours = params["max_label_lag_hours"]
        lag_uploaded = lagged_uploads(times, lag_hours, np.random.default_rng([seed, 4]))
        # (kept in memory, as read_ground_truth would return them: the upload times are whole hours)
        lag_labels = pd.DataFrame({"event_id": keys.to_numpy(), "label": y.astype(str), "label_time": lag_uploaded})[labelled]
        lag_truth = truth.assign(label_time=lag_uploaded)
        lag_results = lag_window_results(records, lag_labels.reset_index(drop=True), lag_truth, constraints, end_time)

        # artifacts
        if progress:
            progress(4, total, "artifacts")
        capture_file = sorted((dest / ENDPOINT / VARIANT).rglob("*.jsonl"))[0]
        artifacts.append(Artifact(str(capture_file.relative_to(root)), first_lines(capture_file, 10),
                                  "first 10 data-capture records (inferenceId present or, for legacy callers, absent)"))
        gt_files = sorted(gt_root.rglob("*.jsonl"))
        early_file = gt_files[0]  # the earliest upload holds early (disputed) labels only
        review_folder = gt_root / f"{START + params['label_delay_days'] * DAY:%Y/%m/%d}/{REVIEW_HOURS[0] + UPLOAD_EVERY_HOURS:02d}"
        regular_file = next((p for p in gt_files if p.parent == review_folder), gt_files[-1])
        for path, what in ((early_file, "earliest upload: card-holder disputes only, all labels 1"),
                           (regular_file, "a review-team upload: day 1's labels, filed under the day they were collected")):
            artifacts.append(Artifact(str(path.relative_to(root)), first_lines(path, 5),
                                      f"ground truth, partitioned by label date ({what})"))
        last_b = worlds["B"]["executions"][-1] if worlds["B"]["executions"] else None
        merge_b = worlds["B"]["merges"].get(last_b.scheduled_time) if last_b else None
        if merge_b is not None:
            head = merge_b.merged.head(20).copy()
            for column in ("inference_time", "label_time"):
                head[column] = head[column].map(iso_z)
            artifacts.append(Artifact("merge/option-b-merged-head.csv", head.to_csv(index=False),
                                      "first 20 merged records of option B's last execution"))
        if last_b is not None and last_b.report:
            artifacts.append(Artifact("monitoring/option-b/statistics.json",
                                      json.dumps(last_b.report["statistics"], indent=2) + "\n",
                                      "model-quality statistics of option B's last execution"))
        artifacts.append(Artifact("baseline/constraints.json", json.dumps(constraints, indent=2) + "\n",
                                  f"reviewed model-quality constraints: {', '.join(CONSTRAINED)}, {TOLERANCE} below the validation baseline"))
        summaries = {letter: [e.summary() | {"WindowStart": iso_z(e.window_start), "WindowEnd": iso_z(e.window_end)}
                              for e in world["executions"]] for letter, world in worlds.items()}
        artifacts.append(Artifact("monitoring/executions.json", json.dumps(summaries, indent=2) + "\n",
                                  "execution records per option (C: none, the schedule was refused)"))
        artifacts.append(Artifact("monitoring/option-c-error.txt", (results["C"]["error"] or "(accepted)") + "\n",
                                  "option C: creating the schedule with start offset -P1D and end offset -P3D"))

        # timeline: uploads and executions
        if progress:
            progress(5, total, "tables, charts, timeline")
        timeline.append(Event(iso_z(START), "info",
                              f"endpoint {ENDPOINT} captures every request; {100 * params['no_inference_id_share']:.0f}% of callers send no InferenceId"))
        for day in range(days):
            day_t = START + day * DAY
            timeline.append(Event(iso_z(day_t), "capture",
                                  f"day {day + 1}: {int(((truth['time'] >= pd.Timestamp(day_t)) & (truth['time'] < pd.Timestamp(day_t + DAY))).sum())} transactions captured"))
            label_day = day_t + delay * DAY
            if label_day < end_time:
                timeline.append(Event(iso_z(label_day + REVIEW_HOURS[0] * HOUR), "ground-truth",
                                      f"review team labels day {day + 1}'s transactions; uploads every {UPLOAD_EVERY_HOURS} h until {REVIEW_HOURS[1]}:00"))
        for letter, world in worlds.items():
            for e in world["executions"]:
                merge = world["merges"].get(e.scheduled_time)
                detail = (f"{merge.matched}/{merge.in_window} matched" if merge else (e.failure_reason or ""))
                timeline.append(Event(iso_z(e.scheduled_time), "execution" if e.status != FAILED else "failed",
                                      f"option {letter} ({OPTIONS[letter][0] or 'no offsets'}): {e.status}; {detail}"))
        timeline.append(Event(iso_z(START), "error", f"option C: schedule refused: {results['C']['error']}"))
        timeline.sort(key=lambda e: e.time)

    # -- charts and tables ------------------------------------------------------------------------
    hours_before = np.arange(-days * 24, 0)
    slot = ((truth["time"] - pd.Timestamp(end_time)) // pd.Timedelta(hours=1)).to_numpy().astype(np.int64)
    available = (truth["labelled"] & (truth["label_time"] <= pd.Timestamp(end_time))).to_numpy()
    per_hour_total = np.bincount(slot - hours_before[0], minlength=len(hours_before))
    per_hour_labelled = np.bincount(slot - hours_before[0], weights=available, minlength=len(hours_before))
    share = np.divide(per_hour_labelled, per_hour_total, out=np.zeros(len(hours_before)), where=per_hour_total > 0)

    def window_mask(letter: str, height: float) -> list[float]:
        ev = results[letter]
        if not ev.get("window"):
            return [0.0] * len(hours_before)
        start = pd.Timestamp(ev["window"].split(" to ")[0])
        stop = pd.Timestamp(ev["window"].split(" to ")[1])
        edge = pd.Timestamp(end_time) + pd.to_timedelta(hours_before, unit="h")
        return [height if start <= t < stop else 0.0 for t in edge]

    chart = "Labels uploaded by the last run, per inference hour"
    series = [
        Series("share of records labelled", hours_before.tolist(), np.round(share, 4).tolist(), "line", "hours before the run", "share", chart),
        Series("window B (-P3D/-P1D)", hours_before.tolist(), window_mask("B", 0.6), "line", "hours before the run", "share", chart),
        Series("window D (no offsets)", hours_before.tolist(), window_mask("D", 0.4), "line", "hours before the run", "share", chart),
        Series("window A (-PT1H/-PT0H)", hours_before.tolist(), window_mask("A", 0.2), "line", "hours before the run", "share", chart),
    ]
    for letter in ("A", "B", "D"):
        world = worlds[letter]
        xs, ys = [], []
        for index, e in enumerate(world["executions"], start=1):
            merge = world["merges"].get(e.scheduled_time)
            xs.append(index)
            ys.append(round(merge.matched / merge.in_window, 4) if merge and merge.in_window else 0.0)
        series.append(Series(f"option {letter}", xs, ys, "line", "daily execution", "match rate", "Match rate per daily execution"))
    series.append(Series("records evaluated (last run)", ["A", "B", "C", "D"],
                         [results[k]["matched"] for k in "ABCD"], "bar", "option", "records", "Records the last execution evaluated"))

    rows = []
    for letter, ev in results.items():
        s, e = OPTIONS[letter]
        rows.append({"option": letter, "start_offset": s or "(none)", "end_offset": e or "(none)", "status": ev["status"],
                     "window": ev["window"], "records_in_window": ev["in_window"], "matched": ev["matched"],
                     "match_rate": ev["match_rate"], "accuracy": ev["accuracy"], "true_accuracy": ev["true_accuracy"],
                     "error": ev["error_vs_true"], "fraud_share_evaluated": ev["fraud_share_evaluated"]})
    for name, ev in hourly.items():
        rows.append({"option": name, "start_offset": "-PT6H" if "pt6h" in name else "-PT1H",
                     "end_offset": "-PT1H" if "pt6h" in name else "-PT0H", "status": ev["status"], "window": ev["window"],
                     "records_in_window": ev["in_window"], "matched": ev["matched"], "match_rate": ev["match_rate"],
                     "accuracy": ev["accuracy"], "true_accuracy": ev["true_accuracy"], "error": ev["error_vs_true"],
                     "fraud_share_evaluated": ev["fraud_share_evaluated"]})
    options_table = pd.DataFrame(rows)
    exec_rows = []
    for letter, world in worlds.items():
        for e in world["executions"]:
            merge = world["merges"].get(e.scheduled_time)
            exec_rows.append({"option": letter, "scheduled_time": iso_z(e.scheduled_time),
                              "window_start": iso_z(e.window_start), "window_end": iso_z(e.window_end), "status": e.status,
                              "in_window": merge.in_window if merge else None, "matched": merge.matched if merge else None,
                              "labels_not_yet_available": merge.labels_not_yet_available if merge else None,
                              "failure_reason": e.failure_reason})
    executions = pd.DataFrame(exec_rows)

    # -- outcomes ---------------------------------------------------------------------------------
    def fmt(x, digits=3):
        return "n/a" if x is None else f"{x:.{digits}f}"

    a, b, c, d = (results[k] for k in "ABCD")
    true_all = float(binary_classification_metrics(truth["y"], truth["predicted"])["accuracy"])
    def found(ev: dict) -> str:
        if ev["status"] == "rejected":
            return "No execution runs; 0 records are evaluated."
        text = (f"The last run's window {ev['window']} holds {ev['in_window']} records; {ev['matched']} have a label uploaded by then"
                + (f" ({ev['matched_via_event_id']} matched by eventId: the caller sent no InferenceId)" if ev["matched_via_event_id"] else "")
                + ".")
        if ev["fraud_share_evaluated"] is not None and ev["fraud_share_window"] is not None:
            text += f" The evaluated sample is {ev['fraud_share_evaluated']:.0%} fraud against {ev['fraud_share_window']:.0%} in the window."
        if ev["violations"]:
            text += f" It raises {len(ev['violations'])} violation(s)."
        return text

    outcomes = [
        Outcome(letter, f"StartTimeOffset {s_off}, EndTimeOffset {e_off}" if s_off else "No offsets (the default window)",
                judged(results[letter]), results[letter], found(results[letter]), key=key)
        for letter, key in zip("ABCD", ("offsets-pt1h-pt0h", "offsets-p3d-p1d", "offsets-p1d-p3d", "no-offsets"))
        for s_off, e_off in [OPTIONS[letter]]
    ] + lag_window_outcomes(lag_results, lag_hours)
    lag_table = pd.DataFrame([{"offsets": pair, "accepted": not r["rejected"]} | run
                              for pair, r in lag_results.items() for run in (r["runs"] or [{}])])

    key_numbers = {
        "true_accuracy_all_records": round(true_all, 4),
        "fraud_rate_observed": round(float(truth["y"].mean()), 4),
        "records_captured": int(len(truth)),
        "labels_written": int(labelled.sum()),
        "records_without_inference_id": int((~with_id).sum()),
        "b_match_rate": b["match_rate"], "b_accuracy": b["accuracy"], "b_error_vs_true": b["error_vs_true"],
        "b_matched_via_event_id": b["matched_via_event_id"],
        "a_status": a["status"], "a_matched": a["matched"],
        "c_error": c["error"],
        "d_status": d["status"], "d_match_rate": d["match_rate"], "d_accuracy": d["accuracy"],
        "recommended_offsets": f"{recommended[0]} / {recommended[1]}",
        "recommended_match_rate": rec["match_rate"],
        "hourly_pt6h_pt1h_match_rate": hourly["hourly_pt6h_pt1h"]["match_rate"],
        "hourly_pt6h_pt1h_status": hourly["hourly_pt6h_pt1h"]["status"],
        "hourly_pt1h_pt0h_match_rate": hourly["hourly_pt1h_pt0h"]["match_rate"],
        "hourly_pt1h_pt0h_status": hourly["hourly_pt1h_pt0h"]["status"],
        "max_label_lag_hours": lag_hours,
        "lag_window_pending": {pair: r["pending"] for pair, r in lag_results.items()},
        "lag_window_match_rate": {pair: r["labelled_match_rate"] for pair, r in lag_results.items()},
    }
    narrative = story(params, truth, key_numbers, results, hourly, recommended, rec) + " " + lag_story(lag_hours, lag_results)
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative,
        series=series, tables={"options": options_table, "executions": executions, "two_day_labels": lag_table},
        timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers,
    )


def lag_story(lag_hours: int, results: dict) -> str:
    """The second labelling stream's sentence, from its measured numbers."""
    fits = [pair for pair, r in results.items() if not r["rejected"] and r["pending"] == 0 and r["window_hours"] == 24
            and r["completed"] == r["executions"] > 0]
    rates = "; ".join(f"{pair} {100 * r['labelled_match_rate']:.1f}% ({r['pending']} waiting)" for pair, r in results.items()
                      if not r["rejected"])
    head = (f"When every label is uploaded at most {lag_hours} hours after its prediction, a daily run's merge matches: {rates}. "
            if lag_hours else f"When every label is uploaded at the next hourly upload, a daily run's merge matches: {rates}. ")
    if fits:
        return head + "One full, fully labelled day per run: " + ", ".join(fits) + "."
    return head + "None of these offset pairs gives one full day whose labels have all arrived."


def story(params: dict, truth: pd.DataFrame, k: dict, results: dict, hourly: dict, recommended: tuple, rec: dict) -> str:
    """The narrative, sentence by sentence from the measured numbers."""
    delay, days = params["label_delay_days"], params["days"]
    a, b, d = results["A"], results["B"], results["D"]
    if delay == 0:
        text = (f"{len(truth)} transactions are captured over {days} days, and every label is known the moment the prediction is "
                "made: no label arrives late in this world, so the window's offsets only choose which records are evaluated. ")
    else:
        text = (f"{len(truth)} transactions are captured over {days} days; the review team labels day t's transactions on day "
                f"t + {delay} and uploads them every {UPLOAD_EVERY_HOURS} hours under the date they were collected, while "
                f"{100 * params['early_label_share']:.0f}% of the fraud cases are disputed and labelled within 1-12 hours. ")
    if params["unlabelled_share"] > 0:
        text += f"{100 * params['unlabelled_share']:.0f}% of the transactions are never labelled, so a match rate is counted against the records that do get a label. "
    text += (f"Each daily run merges its window with the labels uploaded so far, by inferenceId or, for the "
             f"{k['records_without_inference_id']} requests without one, by eventId. ")
    good = [letter for letter in "ABD" if results[letter]["labelled_match_rate"] >= MIN_MATCH_RATE]
    text += (f"-P3D/-P1D matches {b['labelled_match_rate']:.1%} of its labelled records and measures accuracy "
             f"{b['accuracy'] if b['accuracy'] is not None else 'n/a'} against a true {b['true_accuracy']}; "
             f"the last hour (-PT1H/-PT0H) has {a['matched']} labels and the default window {d['matched']}. ")
    if good == ["B"]:
        text += "Only the window that ends before the unlabelled days evaluates a full sample. "
    elif not good:
        text += "No offered window waits long enough for these labels. "
    else:
        text += "Windows with a full sample here: " + ", ".join({"A": "-PT1H/-PT0H", "B": "-P3D/-P1D", "D": "no offsets"}[x] for x in good) + ". "
    text += (f"For this labelling delay the offsets that wait for the labels are {recommended[0]} / {recommended[1]} "
             f"(match rate {rec['labelled_match_rate']:.1%}); on an hourly schedule whose labels arrive within the next hour, "
             f"-PT6H/-PT1H matches {hourly['hourly_pt6h_pt1h']['match_rate']:.1%}.")
    return text
