"""Capture pre-processing: flatten an array of probabilities, drop a -1 sentinel, keep a 10 % sample.

A customer-segment classifier takes CSV input (``age,income,days_since_last_order``) and answers
with a JSON array of class probabilities, e.g. ``[0.71, 0.19, 0.1]``. ``days_since_last_order`` is
optional: new customers have never ordered and the client sends ``-1``. Data capture (engine
``capture_frame``) writes every request and response as real capture JSONL; the data-quality job
reads those records through the engine's processing-job flow (``hooks.run_job``: pre-processing
-> analysis -> post-processing) and profiles what it gets (the engine's ``statistics.json``).

The team wants the job to see flat prediction columns, to ignore the sentinel, and to analyse a
``sample_percent`` sample of the traffic. The options:

- A: nothing. The engine's rule for an unchanged CSV record is "input columns ``_c0, _c1, ...``":
  the JSON array is not a flat value, so no class probability is analysed (passing it as one value
  makes the engine refuse it: "flatten it"), and ``-1`` counts as a real number of days.
- B: a pre-processing script (``preprocess_handler``, loaded from a file as Model Monitor does)
  that returns ``[]`` for all but ``sample_percent`` of the records (by event id), maps ``-1`` to
  ``None`` (the value is left out) and flattens the array into ``prediction0, prediction1, ...``.
- C: a post-processing script: ``postprocess_handler()`` runs only after the analysis has
  written its statistics, so they are A's statistics.
- D: capture sampling at ``sample_percent`` with ``-1`` kept: fewer records, same problems.

Verdict, one rule for all: an option works when the analysed data has one column per class
(flattened), the optional feature's statistics are sentinel-free (minimum >= 0 and the mean within
3 standard errors of the true mean of the customers who have one) and the share of records
analysed is ``sample_percent`` (within 3 standard errors, at least 2 points).

Also (F24): the endpoint instance's disk usage starts at ``disk_usage_percent`` and grows
``DISK_GROWTH`` points over the day (a modelled growth); from the moment it reaches 75 % capture
stops and the rest of the day's records are never written. (F21): capture is asynchronous, so
it adds no latency to the response; the latency numbers are modelled, not measured.

Second world, question ``capture-sampling-volume`` (F21): a recommendation endpoint receives a
steady ``requests_per_hour`` (60,000) with data capture at ``initial_sampling_percentage`` (20),
input and output. ``capture_frame`` samples the requests and writes them under hourly
``yyyy/mm/dd/hh`` prefixes; an hourly data-quality schedule (engine ``ModelMonitorService`` on a
``SimulatedClock``, ``CronExpressionGenerator.hourly()``) runs a job that reads its window's prefix
and profiles it (``data_quality_report``). Records analysed = ``dataset.item_count`` of that
execution's statistics. Each option claims a count (taken literally: 60,000 / 12,000 / 2,400 /
48,000) and a mechanism (read relative to the configured percentage). An option works when its
count is within 10 % of the records analysed and its mechanism is measured true:

- A (the percentage only sets retention): the first 6,000 requests are captured again with only
  the setting changed (to 100 %, or to half the setting above 50 %); retention-only would leave
  the count unchanged (within 10 %).
- B: share of requests written to capture = the setting (4 binomial sd, at least 2 points) and the
  job analyses >= 99 % of the captured records of its window.
- C (the job samples again): share of captured records analysed = the setting.
- D (the percentage is the excluded share): share of requests not captured = the setting.

At 100 % (preset ``capture-everything``) A's count is right but its probe fails: no option works.
At 80 % D's count is right but 20 %, not 80 %, is left out. Known blind spots: C's mechanism
cannot be told apart from the engine's at 100 %, nor D's at 50 % (their counts still fail there).
``monitored_hours`` (default 1: one execution, keeps the default run near 1 s CPU) adds hours.
"""

from __future__ import annotations

import json
import math
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.capture import capture_frame, hour_partitions, read_capture_files
from simulations.monitoring.checks import data_quality_report
from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.cron import CronExpressionGenerator
from simulations.monitoring.hooks import InferenceRecord, PreprocessingError, apply_preprocessing, load_handler, run_job
from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.schedule import ModelMonitorService, MonitoringJobError, MonitoringSchedule
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Criterion, Event, Outcome, Series, SimulationResult, check, criterion

INFO = SimulationInfo(
    name="capture-preprocessing",
    title="Capture pre-processing: flatten predictions, drop the -1 sentinel, sample 10 %",
    summary="An endpoint answers with an array of class probabilities and sends -1 for a missing feature; only a pre-processing script flattens, excludes and samples before the analysis. "
            "A second endpoint captures 20 % of 60,000 requests per hour: the hourly data-quality job analyses every captured record, about 12,000.",
    questions=(QuestionLink("preprocess-flatten-predictions", {"A": "do-nothing", "B": "preprocessing-script",
                                                               "C": "postprocessing-script", "D": "capture-sampling"}),
               QuestionLink("capture-sampling-volume", {"A": "volume-retention-only", "B": "volume-sampled-share",
                                                        "C": "volume-job-resamples", "D": "volume-share-excluded"})),
    params=(
        ParamSpec("invocations", int, 4000, "endpoint invocations over one day", min=1000, max=50000),
        ParamSpec("missing_share", float, 0.3, "share of new customers, whose days_since_last_order is sent as -1", min=0.0, max=0.9),
        ParamSpec("sample_percent", int, 10, "share of records the team wants analysed (B's script keeps it, D's capture samples it)", min=1, max=100),
        ParamSpec("classes", int, 3, "length of the probability array the endpoint returns", min=2, max=6),
        ParamSpec("disk_usage_percent", float, 50.0, "F24: disk usage of the endpoint instance at the start of the day (grows 20 points over the day)", min=0.0, max=100.0),
        ParamSpec("requests_per_hour", int, 60_000, "F21: steady requests per hour to the recommendation endpoint", min=1000, max=100_000),
        ParamSpec("initial_sampling_percentage", int, 20, "F21: InitialSamplingPercentage of the recommendation endpoint's data capture", min=1, max=100),
        ParamSpec("monitored_hours", int, 1, "F21: hours of recommendation traffic; the hourly schedule runs once at the end of each", min=1, max=6),
    ),
    facts=("F21", "F22", "F24", "F28", "F29", "F30"),
    presets=(
        Preset("no-sentinel-no-sampling", {"missing_share": 0.0, "sample_percent": 100},
               "every customer has ordered before and the whole traffic is wanted", control=True,
               premise="no -1 sentinel and no sampling wanted: only the array remains to flatten"),
        Preset("disk-nearly-full", {"disk_usage_percent": 65.0}, "the instance disk reaches 75 % during the day: capture stops (F24)"),
        Preset("five-classes", {"classes": 5}, "a longer probability array"),
        Preset("capture-everything", {"initial_sampling_percentage": 100},
               "recommendation endpoint: InitialSamplingPercentage 100, so about 60,000 records per execution; "
               "option A's count is right but its reason is not, and no option of capture-sampling-volume works"),
        Preset("capture-80-percent", {"initial_sampling_percentage": 80},
               "recommendation endpoint: InitialSamplingPercentage 80, so about 48,000 records per execution; "
               "option D's count is right but its reason is not"),
    ),
)

START = datetime(2025, 3, 3, tzinfo=UTC)
ENDPOINT, VARIANT = "segment-endpoint", "AllTraffic"
INPUTS = ["age", "income", "days_since_last_order"]
OPTIONAL = "days_since_last_order"
SENTINEL = -1
DISK_LIMIT = 75.0  # capture stops at or above this disk usage (F24)
DISK_GROWTH = 20.0  # modelled: points of disk usage added over the day (logs, buffers)
LATENCY_MEDIAN_MS = 22.0  # modelled model latency (lognormal); capture adds nothing (asynchronous)
CAPTURE_LINES = 20

PREPROCESS_SCRIPT = '''"""Model Monitor pre-processing script: flatten, drop the sentinel, keep a sample."""
import json

KEEP_SHARE = {keep_share}  # analyse this share of the records
SENTINEL = -1  # days_since_last_order of a customer who never ordered


def preprocess_handler(inference_record, logger):
    event_id = inference_record.event_metadata.event_id
    if int(event_id.replace("-", "")[:8], 16) / 16**8 >= KEEP_SHARE:
        return []  # not in the sample: drop the record
    age, income, days = inference_record.endpoint_input.data.split(",")
    probabilities = json.loads(inference_record.endpoint_output.data)
    row = {{
        "age": int(age),
        "income": float(income),
        "days_since_last_order": None if int(days) == SENTINEL else int(days),  # None: left out
    }}
    row.update({{f"prediction{{i}}": p for i, p in enumerate(probabilities)}})
    return row
'''

POSTPROCESS_SCRIPT = '''"""Model Monitor post-processing script: meant to flatten the predictions and drop -1."""


def postprocess_handler():
    # Runs after the analysis has written statistics.json and constraint_violations.json.
    # It receives no records, so there is nothing left to flatten or clean here; it could
    # only act on the results (notify someone, copy a report, call a business system).
    return "postprocess_handler ran"
'''


# -- traffic and model --------------------------------------------------------------------------
def requests(n: int, missing_share: float, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """The CSV inputs (with -1 sentinels) and the true optional values (NaN when missing)."""
    age = np.clip(np.rint(rng.normal(40, 12, n)), 18, 90).astype(np.int64)
    income = np.round(rng.lognormal(10.8, 0.4, n), 2)
    days = np.floor(rng.exponential(45.0, n)).astype(np.int64)
    missing = rng.random(n) < missing_share
    true_days = np.where(missing, np.nan, days.astype(np.float64))
    sent = np.where(missing, SENTINEL, days).astype(np.int64)
    return pd.DataFrame({"age": age, "income": income, OPTIONAL: sent}), true_days


def class_probabilities(df: pd.DataFrame, true_days: np.ndarray, classes: int, rng: np.random.Generator) -> np.ndarray:
    """Softmax over a linear score per class (a stand-in model); rows sum to 1 (4 decimals)."""
    x = np.column_stack([
        (df["age"].to_numpy() - 40) / 12,
        np.log(df["income"].to_numpy()) - 10.8,
        np.where(np.isnan(true_days), 1.0, -np.minimum(np.nan_to_num(true_days), 180) / 45),
    ])
    weights = rng.normal(0.0, 1.0, (3, classes))
    logits = x @ weights + rng.normal(0.0, 0.5, (len(df), classes))
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = np.round(e / e.sum(axis=1, keepdims=True), 4)
    p[:, -1] = np.round(1.0 - p[:, :-1].sum(axis=1), 4)
    return p


def disk_usage(start_percent: float, seconds: np.ndarray) -> np.ndarray:
    return start_percent + DISK_GROWTH * seconds / 86_400


# -- reading the capture as the job does -------------------------------------------------------------
def capture_records(root: Path) -> list[dict]:
    """Every capture record under ``root`` in file order (one JSON decode per file)."""
    records: list[dict] = []
    for path in sorted(root.rglob("*.jsonl")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        records.extend(json.loads("[" + ",".join(lines) + "]"))
    return records


def profile(frame: pd.DataFrame) -> dict:
    """The statistics.json a data-quality job writes for ``frame`` (the engine's profile of it)."""
    if frame.empty:
        return {"version": 0, "dataset": {"item_count": 0}, "features": []}
    return suggest_baseline(frame).statistics


def feature_stats(statistics: dict, name: str) -> dict:
    entry = next((f for f in statistics["features"] if f["name"] == name), None)
    if entry is None or "numerical_statistics" not in entry:
        return {}
    numbers = entry["numerical_statistics"]
    present, missing = numbers["common"]["num_present"], numbers["common"]["num_missing"]
    return {"mean": numbers["mean"], "min": numbers["min"], "std": numbers["std_dev"],
            "num_present": present, "num_missing": missing,
            "completeness": present / (present + missing) if present + missing else None}


def optional_column(frame: pd.DataFrame) -> str | None:
    """Where the optional feature is in the analysed data: its name, or Spark's positional name."""
    if OPTIONAL in frame.columns:
        return OPTIONAL
    position = f"_c{INPUTS.index(OPTIONAL)}"
    return position if position in frame.columns else None


def prediction_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if str(c).startswith("prediction")]


# -- F21: how many records does one hourly execution analyse? ---------------------------------------
VOLUME_ENDPOINT = "recommendation-endpoint"
VOLUME_START = datetime(2025, 3, 4, tzinfo=UTC)
VOLUME_FEATURES = ["user_age", "items_viewed", "session_minutes"]
VOLUME_SCHEDULE = "recommendation-data-quality"
PROBE_REQUESTS = 6000  # the first requests of the first hour, captured again with only the setting changed
COUNT_TOLERANCE = 0.10  # a claimed count is right within 10 % of the records analysed
SHARE_ANALYSED_MIN = 0.99  # "the job analyses what was captured"
VOLUME_OPTIONS = (  # (key, claimed records per execution, the option's action)
    ("volume-retention-only", 60_000, "About 60,000: the sampling percentage only affects how long captured files are kept"),
    ("volume-sampled-share", 12_000, "About 12,000: only the sampled share is written to S3 and the job analyses what was captured"),
    ("volume-job-resamples", 2_400, "About 2,400: the monitoring job applies the same sampling again before computing statistics"),
    ("volume-share-excluded", 48_000, "About 48,000: the percentage sets how many requests are excluded from capture"),
)


def recommendation_traffic(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """CSV inputs of the recommendation endpoint and its score per request (a stand-in model)."""
    age = np.clip(np.rint(rng.normal(35, 11, n)), 16, 90).astype(np.int64)
    viewed = rng.poisson(7.0, n).astype(np.int64)
    minutes = np.round(rng.gamma(2.0, 4.0, n), 1)
    logit = 0.15 * viewed - 0.02 * (age - 35) + 0.05 * minutes - 1.0 + rng.normal(0.0, 0.5, n)
    score = np.round(1.0 / (1.0 + np.exp(-logit)), 4)
    return pd.DataFrame({"user_age": age, "items_viewed": viewed, "session_minutes": minutes}), score


def count_lines(files) -> int:
    return sum(path.read_bytes().count(b"\n") for path in files)


def probe_percent(percent: int) -> int:
    """The setting the probe changes to: far enough from ``percent`` that a proportional effect shows."""
    return 100 if percent <= 50 else percent // 2


def sampling_volume(params: dict, seed: int) -> dict:
    """Capture ``monitored_hours`` hours of traffic at ``initial_sampling_percentage`` (engine ``capture_frame``,
    hourly ``yyyy/mm/dd/hh`` prefixes) and let an hourly data-quality schedule (engine
    ``ModelMonitorService``) analyse each hour: the job reads its window's capture prefix and profiles it."""
    rng = np.random.default_rng([seed, 21])
    per_hour, percent, hours = params["requests_per_hour"], params["initial_sampling_percentage"], params["monitored_hours"]
    n = per_hour * hours
    inputs, scores = recommendation_traffic(n, rng)
    millis = np.concatenate([np.sort(rng.integers(0, 3_600_000, per_hour)) + h * 3_600_000 for h in range(hours)])
    times = pd.DatetimeIndex(pd.Timestamp(VOLUME_START) + pd.to_timedelta(millis, unit="ms"))
    training, _ = recommendation_traffic(5000, rng)
    baseline = suggest_baseline(training)
    probe_n, probe_q = min(PROBE_REQUESTS, per_hour), probe_percent(percent)
    with tempfile.TemporaryDirectory() as tmp:
        destination = Path(tmp) / "data-capture"
        captured = capture_frame(VOLUME_ENDPOINT, VARIANT, inputs, scores, destination, times=times,
                                 sampling_percentage=percent, seed=int(rng.integers(2**31)))
        prefix = destination / VOLUME_ENDPOINT / VARIANT
        written = {datetime(*map(int, folder.parts[-4:]), tzinfo=UTC): count_lines(folder.glob("*.jsonl"))
                   for folder in (hour_partitions(prefix) if prefix.is_dir() else [])}
        first_file = next(iter(sorted(prefix.rglob("*.jsonl"))), None)
        head = "".join(first_file.read_text(encoding="utf-8").splitlines(keepends=True)[:5]) if first_file else ""
        head_path = str(first_file.relative_to(destination)) if first_file else ""

        def job(window_start: datetime, window_end: datetime) -> dict:
            # the window's hourly prefix(es); a data-quality job profiles the inputs, so the outputs are not decoded
            hours = pd.date_range(window_start, window_end, freq="h", inclusive="left")
            files = sorted(f for hour in hours for f in (prefix / f"{hour:%Y/%m/%d/%H}").glob("*.jsonl"))
            frame = read_capture_files(files, window_start, window_end, input_columns=VOLUME_FEATURES, include_output=False)
            if frame.empty:
                raise MonitoringJobError("no captured data in the window")
            report = data_quality_report(frame[VOLUME_FEATURES], baseline)
            return {"violations": report.violations["violations"], "statistics": report.statistics, "records_read": len(frame)}

        clock = SimulatedClock(VOLUME_START)
        service = ModelMonitorService(clock)
        service.create_endpoint(VOLUME_ENDPOINT)
        service.create_monitoring_schedule(MonitoringSchedule(VOLUME_SCHEDULE, VOLUME_ENDPOINT, CronExpressionGenerator.hourly(), job))
        clock.run_until(VOLUME_START + timedelta(hours=hours))
        executions = service.list_monitoring_executions(VOLUME_SCHEDULE)

        # the probe: the same first requests, captured with only the setting changed
        probe = Path(tmp) / "probe-capture"
        capture_frame(VOLUME_ENDPOINT, VARIANT, inputs.iloc[:probe_n], scores[:probe_n], probe, times=times[:probe_n],
                      sampling_percentage=probe_q, seed=int(rng.integers(2**31)))
        probe_other = count_lines(probe.rglob("*.jsonl"))
    probe_main = int(np.count_nonzero(captured.index.to_numpy() < probe_n))

    rows = []
    for e in executions:
        stats = e.report["statistics"] if e.report else None
        rows.append({
            "scheduled": iso_z(e.scheduled_time), "window": f"{iso_z(e.window_start)} .. {iso_z(e.window_end)}",
            "prefix": f"{e.window_start:%Y/%m/%d/%H}", "status": e.status,
            "requests_served": int(np.count_nonzero((times >= pd.Timestamp(e.window_start)) & (times < pd.Timestamp(e.window_end)))),
            "records_captured": written.get(e.window_start, 0),
            "records_analysed": int(stats["dataset"]["item_count"]) if stats else 0,
            "violations": len(e.report["violations"]) if e.report else 0,
            "failure_reason": e.failure_reason or "",
        })
    first_statistics = next((e.report["statistics"] for e in executions if e.report), None)
    return {"rows": rows, "percent": percent, "per_hour": per_hour, "probe_n": probe_n, "probe_q": probe_q,
            "probe_main": probe_main, "probe_other": probe_other, "capture_head": head, "capture_head_path": head_path,
            "statistics": first_statistics}


def volume_outcomes(v: dict) -> tuple[list[Outcome], dict]:
    """The four options of capture-sampling-volume, each judged on its count and its mechanism."""
    rows, p = v["rows"], v["percent"] / 100
    served = sum(r["requests_served"] for r in rows)
    captured = sum(r["records_captured"] for r in rows)
    analysed = [r["records_analysed"] for r in rows]
    analysed_mean = float(np.mean(analysed)) if analysed else 0.0
    captured_share = captured / served if served else 0.0
    analysed_of_captured = sum(analysed) / captured if captured else 0.0
    share_tol = round(max(0.02, 4 * math.sqrt(p * (1 - p) / max(served, 1))), 4)
    change = abs(v["probe_other"] - v["probe_main"]) / max(v["probe_main"], 1)
    per_run = ", ".join(f"{a:,}" for a in analysed) or "none"
    numbers = {
        "requests_served_per_hour": [r["requests_served"] for r in rows],
        "records_captured_per_hour": [r["records_captured"] for r in rows],
        "records_analysed_per_execution": analysed,
        "records_analysed_mean": round(analysed_mean, 1),
        "captured_share": round(captured_share, 4),
        "excluded_share": round(1 - captured_share, 4),
        "analysed_of_captured": round(analysed_of_captured, 4),
        "setting_percent": v["percent"],
        "probe_requests": v["probe_n"],
        "probe_captured_at_setting": v["probe_main"],
        "probe_setting_percent": v["probe_q"],
        "probe_captured_at_probe_setting": v["probe_other"],
        "probe_change": round(change, 4),
    }

    def count(claim: int) -> Criterion:
        return criterion(f"gap between the records one hourly execution analyses and the claimed {claim:,}",
                         round(abs(analysed_mean - claim) / claim, 4), "<=", COUNT_TOLERANCE,
                         detail=f"executions analysed {per_run} records (mean {analysed_mean:,.0f}); gap as a share of the claim")

    written = f"{captured:,} of {served:,} requests written to the hourly capture prefixes ({captured_share:.1%}), setting {v['percent']} %"
    read = f"{sum(analysed):,} analysed of {captured:,} captured in the executions' windows"
    mechanism = {
        "volume-retention-only": [criterion(
            "change in records captured when only the sampling setting changes", round(change, 4), "<=", COUNT_TOLERANCE,
            detail=f"the first {v['probe_n']:,} requests: {v['probe_main']:,} captured at {v['percent']} %, {v['probe_other']:,} at "
                   f"{v['probe_q']} %; a setting that only set how long files are kept would not move the count")],
        "volume-sampled-share": [
            criterion("gap between the share of requests written to capture and the setting", round(abs(captured_share - p), 4),
                      "<=", share_tol, detail=written),
            criterion("share of the captured records the job analysed", round(analysed_of_captured, 4), ">=", SHARE_ANALYSED_MIN,
                      detail=read)],
        "volume-job-resamples": [criterion(
            "gap between the share of captured records the job analysed and the setting applied again",
            round(abs(analysed_of_captured - p), 4), "<=", share_tol, detail=read)],
        "volume-share-excluded": [criterion(
            "gap between the share of requests left out of capture and the setting", round(abs((1 - captured_share) - p), 4),
            "<=", share_tol, detail=f"{served - captured:,} of {served:,} requests not captured ({1 - captured_share:.1%}), setting {v['percent']} %")],
    }
    outcomes = []
    for letter, (key, claim, action) in zip("ABCD", VOLUME_OPTIONS):
        gap = abs(analysed_mean - claim) / claim
        finding = (f"Each hourly execution analysed {per_run} records against the claimed {claim:,} "
                   f"({'within' if gap <= COUNT_TOLERANCE else 'outside'} {COUNT_TOLERANCE:.0%}).")
        outcomes.append(Outcome(letter, action, [count(claim)] + mechanism[key],
                                {"claimed_records": claim, "count_gap": round(gap, 4)} | numbers, finding, key=key))
    return outcomes, numbers


def volume_narrative(v: dict, vn: dict, outcomes: list[Outcome]) -> str:
    right = [o.letter for o in outcomes if o.criteria[0].passed]
    works = [o.letter for o in outcomes if o.works]
    named = " and ".join(f"{letter}'s" for letter in right)
    verdict = (f"{named} claimed count is within {COUNT_TOLERANCE:.0%} of the records analysed"
               + (f" and its reason holds, so {', '.join(works)} works." if works else
                  ", but its reason fails, so no option works here.") if right
               else f"No option's claimed count is within {COUNT_TOLERANCE:.0%} of the records analysed, so none works.")
    runs = len(v["rows"])
    prefixes = "the hour's prefix " + v["rows"][0]["prefix"] if runs == 1 else f"{runs} hourly prefixes"
    return (
        f"Second endpoint, {VOLUME_ENDPOINT} (F21): {v['per_hour']:,} requests per hour with InitialSamplingPercentage "
        f"{v['percent']} and input and output captured. The capture wrote "
        f"{' and '.join(f'{c:,}' for c in vn['records_captured_per_hour'])} records to {prefixes} "
        f"({vn['captured_share']:.1%} of the requests); the hourly data-quality schedule read "
        f"{'it' if runs == 1 else 'each hour'} and analysed "
        f"{' and '.join(f'{a:,}' for a in vn['records_analysed_per_execution'])} records "
        f"({vn['analysed_of_captured']:.0%} of what was captured, no second sampling). With only the setting changed to "
        f"{v['probe_q']} %, the first {v['probe_n']:,} requests gave {v['probe_other']:,} records instead of {v['probe_main']:,}: "
        f"the percentage decides what is captured, not how long files are kept. {verdict}"
    )


# -- the run ------------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    rng = np.random.default_rng(seed)
    n, classes, target = params["invocations"], params["classes"], params["sample_percent"] / 100
    total = 7
    if progress:
        progress(0, total, "requests, model outputs, disk usage")
    inputs, true_days = requests(n, params["missing_share"], rng)
    probabilities = class_probabilities(inputs, true_days, classes, rng)
    seconds = np.sort(rng.integers(0, 86_400, n))
    times = pd.DatetimeIndex(pd.Timestamp(START) + pd.to_timedelta(seconds, unit="s"))
    usage = disk_usage(params["disk_usage_percent"], seconds)
    allowed = usage < DISK_LIMIT  # F24: capture stops once the disk reaches the limit
    stop_index = int(np.argmin(allowed)) if not allowed.all() else None
    latency = rng.lognormal(math.log(LATENCY_MEDIAN_MS), 0.35, n)

    outputs = pd.Series(probabilities.tolist(), name="prediction")
    n_allowed = int(allowed.sum())
    scope = allowed if n_allowed else np.ones(n, dtype=bool)  # the truth of what capture could see
    truth_present = true_days[scope][~np.isnan(true_days[scope])]
    true_mean = float(truth_present.mean()) if len(truth_present) else float("nan")
    true_std = float(truth_present.std()) if len(truth_present) else float("nan")
    true_missing = float(np.isnan(true_days[scope]).mean())
    true_class_means = probabilities[scope].mean(axis=0)
    sentinel_mean = float(inputs.loc[scope, OPTIONAL].mean())

    artifacts: list[Artifact] = []
    timeline: list[Event] = []
    order: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if progress:
            progress(1, total, "data capture (100 % and sampled)")
        kept_rows = np.flatnonzero(allowed)
        common = dict(times=times[kept_rows], content_type="text/csv", accept="application/json")
        capture_frame(ENDPOINT, VARIANT, inputs.iloc[kept_rows], outputs.iloc[kept_rows], root / "data-capture",
                      seed=int(rng.integers(2**31)), **common)
        capture_frame(ENDPOINT, VARIANT, inputs.iloc[kept_rows], outputs.iloc[kept_rows], root / "data-capture-sampled",
                      sampling_percentage=params["sample_percent"], seed=int(rng.integers(2**31)), **common)
        full = capture_records(root / "data-capture")
        sampled = capture_records(root / "data-capture-sampled")
        (root / "scripts").mkdir()
        pre_path = root / "scripts" / "preprocessing.py"
        pre_path.write_text(PREPROCESS_SCRIPT.format(keep_share=target), encoding="utf-8")
        post_path = root / "scripts" / "postprocessing.py"
        post_path.write_text(POSTPROCESS_SCRIPT, encoding="utf-8")
        preprocess = load_handler(pre_path)
        postprocess_script = load_handler(post_path, "postprocess_handler")

        def analyse(frame: pd.DataFrame) -> dict:
            order.append("analysis")
            return {"statistics": profile(frame), "columns": [str(c) for c in frame.columns], "rows": len(frame),
                    "frame": frame}

        def postprocess() -> None:
            order.append("postprocess")
            postprocess_script()

        if progress:
            progress(2, total, "A: no pre-processing; B: pre-processing script")
        records_full = [InferenceRecord.from_capture(r) for r in full]
        job_a = run_job(records_full, analyse)
        job_b = run_job(records_full, analyse, preprocess=preprocess)
        if progress:
            progress(3, total, "C: post-processing script; D: capture sampling")
        order_c_start = len(order)
        job_c = run_job(records_full, analyse, postprocess=postprocess)
        order_c = order[order_c_start:]
        job_d = run_job([InferenceRecord.from_capture(r) for r in sampled], analyse)
        try:  # the array handed over as one value, as a "do nothing" flow would have it
            apply_preprocessing(records_full[:1], lambda r: {"prediction": json.loads(r.endpoint_output.data)})
            unflattened_error = None
        except PreprocessingError as error:
            unflattened_error = str(error)

        frame_b = job_b.report["frame"]

        if progress:
            progress(4, total, "artifacts")
        capture_files = sorted((root / "data-capture").rglob("*.jsonl"))
        if capture_files:  # none when the disk was full all day (F24)
            with capture_files[0].open(encoding="utf-8") as handle:
                lines = "".join(line for _, line in zip(range(CAPTURE_LINES), handle))
            artifacts.append(Artifact(str(capture_files[0].relative_to(root)), lines,
                                      f"first {CAPTURE_LINES} capture records: CSV input, JSON array output"))
        artifacts.append(Artifact("scripts/preprocessing.py", pre_path.read_text(encoding="utf-8"), "option B: the pre-processing script"))
        artifacts.append(Artifact("scripts/postprocessing.py", post_path.read_text(encoding="utf-8"), "option C: the post-processing script"))
    if progress:
        progress(5, total, "recommendation endpoint: capture sampling and the hourly data-quality schedule")
    volume = sampling_volume(params, seed)
    if volume["capture_head"]:
        artifacts.append(Artifact(f"recommendation/{volume['capture_head_path']}", volume["capture_head"],
                                  f"first capture records of {VOLUME_ENDPOINT} (InitialSamplingPercentage {volume['percent']})"))
    if volume["statistics"] is not None:
        artifacts.append(Artifact("recommendation/monitoring/first-execution/statistics.json",
                                  json.dumps(volume["statistics"], indent=2) + "\n",
                                  "statistics.json of the first hourly execution: dataset.item_count is the records analysed"))
    for letter, job in (("a", job_a), ("b", job_b), ("d", job_d)):
        artifacts.append(Artifact(f"monitoring/option-{letter}/statistics.json", json.dumps(job.report["statistics"], indent=2) + "\n",
                                  f"statistics.json the data-quality job computed (option {letter.upper()})"))
    artifacts.append(Artifact("monitoring/option-b/preprocessed-head.csv", frame_b.head(20).to_csv(index=False),
                              "the first 20 rows the pre-processing script produced"))
    artifacts.append(Artifact("monitoring/option-a/unflattened-array-error.txt", (unflattened_error or "(accepted)") + "\n",
                              "the engine's answer when the probability array is passed as one value"))

    # -- numbers per option ------------------------------------------------------------------------
    def evaluate(job, share_denominator: int) -> dict:
        frame = job.report["frame"]
        column = optional_column(frame)
        stats = feature_stats(job.report["statistics"], column) if column else {}
        preds = prediction_columns(frame)
        rows = job.report["rows"]
        share = rows / share_denominator if share_denominator else 0.0
        present = stats.get("num_present", 0)
        se = true_std / math.sqrt(present) if present else float("inf")
        mean = stats.get("mean")
        mean_error = None if mean is None else mean - true_mean
        sentinel_free = bool(stats and stats["min"] >= 0 and abs(mean_error) <= 3 * se)
        share_tolerance = max(0.02, 3 * math.sqrt(target * (1 - target) / max(share_denominator, 1)))
        return {
            "columns": job.report["columns"], "rows_analysed": rows, "share_analysed": round(share, 4),
            "records_dropped_by_script": job.stats.dropped, "values_excluded": job.stats.excluded_values,
            "optional_column": column,
            "optional_mean": None if mean is None else round(mean, 3),
            "optional_min": stats.get("min"),
            "optional_completeness": None if not stats else round(stats["completeness"], 4),
            "true_mean": round(true_mean, 3), "true_missing_share": round(true_missing, 4),
            "mean_error": None if mean_error is None else round(mean_error, 3),
            "mean_tolerance": round(3 * se, 3),
            "prediction_columns": len(preds),
            "prediction_means": [round(float(frame[c].mean()), 4) for c in preds],
            "flattened": len(preds) == classes,
            "sentinel_excluded": sentinel_free,
            "sampled": rows > 0 and abs(share - target) <= share_tolerance,
            "postprocess_ran": job.postprocessed,
        }

    ev = {"A": evaluate(job_a, n_allowed), "B": evaluate(job_b, n_allowed), "C": evaluate(job_c, n_allowed),
          "D": evaluate(job_d, n_allowed)}
    ev["A"]["unflattened_array_error"] = unflattened_error
    ev["B"]["true_prediction_means"] = [round(float(v), 4) for v in true_class_means]
    ev["C"]["call_order"] = order_c
    ev["C"]["same_statistics_as_a"] = job_c.report["statistics"] == job_a.report["statistics"]
    ev["D"]["captured_of_allowed"] = f"{len(sampled)} of {n_allowed}"

    def fmt(x, digits=2):
        return "n/a" if x is None else f"{x:.{digits}f}"

    a, b, c, d = (ev[k] for k in "ABCD")

    def judged(e: dict) -> list:
        """The same three measured tests for every option."""
        share_tol = max(0.02, 3 * math.sqrt(target * (1 - target) / max(n_allowed, 1)))
        column = e["optional_column"] or OPTIONAL
        if e["optional_mean"] is None:
            seen = f"{column} has no values to analyse"
        else:
            seen = (f"{column} mean {fmt(e['optional_mean'])} (true {fmt(e['true_mean'])}, tolerance {fmt(e['mean_tolerance'])}), "
                    f"minimum {fmt(e['optional_min'], 0)}")
        return [
            criterion("class probabilities analysed as columns", e["prediction_columns"], "==", classes,
                      detail=f"columns analysed: {', '.join(e['columns']) or 'none'}"),
            check("the -1 sentinel kept out of the statistics", e["sentinel_excluded"], seen, seen),
            criterion("gap between the share analysed and the target", round(abs(e["share_analysed"] - target), 4), "<=", round(share_tol, 4),
                      detail=f"{e['rows_analysed']} records, {e['share_analysed']:.1%} analysed, target {target:.0%}"),
        ]

    outcomes = [
        Outcome("A", "Do nothing: let the built-in container read the captured records", judged(a), a,
                "The probability array is not a flat value" + (f"; handed over as one value the engine answers: \u201c{unflattened_error}\u201d."
                                                                 if unflattened_error else "."),
                key="do-nothing"),
        Outcome("B", "A pre-processing script: flatten to prediction0..N, map -1 to None, return [] for the records not sampled",
                judged(b), b,
                f"The script returned [] for {b['records_dropped_by_script']} records and left out {b['values_excluded']} sentinel "
                f"values; prediction means {b['prediction_means']} vs true {b['true_prediction_means']}.",
                key="preprocessing-script"),
        Outcome("C", "A post-processing script that flattens the predictions and removes -1", judged(c), c,
                f"The job ran {' -> '.join(c['call_order'])}; its statistics are "
                f"{'identical to' if c['same_statistics_as_a'] else 'different from'} A's.",
                key="postprocessing-script"),
        Outcome("D", f"Capture sampling at {params['sample_percent']} % and keep -1 as a value", judged(d), d,
                f"Capture kept {d['captured_of_allowed']} records.", key="capture-sampling"),
    ]

    volume_list, vn = volume_outcomes(volume)
    outcomes += volume_list

    # -- timeline, tables, charts ------------------------------------------------------------------
    timeline.append(Event(iso_z(START), "capture", f"data capture on {ENDPOINT}: 100 % (options A-C) and {params['sample_percent']} % (option D)"))
    if stop_index is not None:
        timeline.append(Event(iso_z(times[stop_index]), "capture",
                              f"disk usage reaches {DISK_LIMIT:.0f} %: capture stops; {n - n_allowed} of {n} invocations are never captured (F24)"))
    end = START + timedelta(days=1)
    timeline.append(Event(iso_z(end), "info", f"data-quality job over the day's {len(full)} captured records"))
    timeline.append(Event(iso_z(end), "info", f"A: {a['rows_analysed']} rows, columns {', '.join(a['columns'])}"))
    timeline.append(Event(iso_z(end), "info", f"B: preprocess_handler kept {b['rows_analysed']}, dropped {b['records_dropped_by_script']}, excluded {b['values_excluded']} values"))
    timeline.append(Event(iso_z(end), "info", f"C: {' then '.join(c['call_order'])}"))
    timeline.append(Event(iso_z(end), "info", f"D: {len(sampled)} records captured at {params['sample_percent']} %"))

    timeline.append(Event(iso_z(VOLUME_START), "capture",
                          f"data capture on {VOLUME_ENDPOINT}: InitialSamplingPercentage {volume['percent']}, input and output, "
                          f"{volume['per_hour']:,} requests per hour; hourly data-quality schedule {VOLUME_SCHEDULE}"))
    for r in volume["rows"]:
        timeline.append(Event(r["scheduled"], "info",
                              f"{VOLUME_SCHEDULE} {r['status']}: prefix {r['prefix']} holds {r['records_captured']:,} of "
                              f"{r['requests_served']:,} requests; {r['records_analysed']:,} records analysed"
                              + (f" ({r['failure_reason']})" if r["failure_reason"] else "")))
    volume_table = pd.DataFrame([
        {"option": o.letter, "claimed_records": o.evidence["claimed_records"], "records_analysed_mean": vn["records_analysed_mean"],
         "count_gap": o.evidence["count_gap"], "verdict": o.verdict}
        for o in volume_list
    ])
    table = pd.DataFrame([
        {"option": k, "rows_analysed": e["rows_analysed"], "share_analysed": e["share_analysed"],
         "prediction_columns": e["prediction_columns"], "optional_mean": e["optional_mean"],
         "optional_min": e["optional_min"], "optional_completeness": e["optional_completeness"],
         "flattened": e["flattened"], "sentinel_excluded": e["sentinel_excluded"], "sampled": e["sampled"],
         "verdict": o.verdict}
        for (k, e), o in zip(ev.items(), outcomes)
    ])
    truth_table = pd.DataFrame({
        "statistic": ["mean days_since_last_order (customers who have one)", "missing share", "mean days with -1 counted"]
                     + [f"mean prediction{i}" for i in range(classes)],
        "true": [round(true_mean, 3), round(true_missing, 4), round(sentinel_mean, 3)] + [round(float(v), 4) for v in true_class_means],
        "option_b": [b["optional_mean"], None if b["optional_completeness"] is None else round(1 - b["optional_completeness"], 4), None]
                    + (b["prediction_means"] if b["prediction_columns"] == classes else [None] * classes),
        "option_a": [a["optional_mean"], None if a["optional_completeness"] is None else round(1 - a["optional_completeness"], 4), a["optional_mean"]]
                    + [None] * classes,
    })
    hours = np.arange(0, 25)
    series = [
        Series("mean analysed", ["true", "A", "B", "C", "D"],
               [round(true_mean, 2)] + [e["optional_mean"] if e["optional_mean"] is not None else 0.0 for e in ev.values()],
               "bar", "option", "days", "days_since_last_order: mean the job computes"),
        Series("share analysed", ["A", "B", "C", "D"], [e["share_analysed"] for e in ev.values()], "bar", "option",
               "share of records", f"Share of records analysed (target {target:.2f})"),
        Series("true mean", list(range(classes)), [round(float(v), 4) for v in true_class_means], "scatter", "class",
               "mean probability", "Mean class probability: truth vs option B's sample"),
        Series("option B (kept sample)", list(range(len(b["prediction_means"]))), b["prediction_means"], "scatter", "class",
               "mean probability", "Mean class probability: truth vs option B's sample"),
        Series("requests served", [r["prefix"] for r in volume["rows"]], [r["requests_served"] for r in volume["rows"]], "bar",
               "hour (capture prefix)", "records", f"{VOLUME_ENDPOINT}: requests, records captured, records analysed per hour"),
        Series("records captured", [r["prefix"] for r in volume["rows"]], [r["records_captured"] for r in volume["rows"]], "bar",
               "hour (capture prefix)", "records", f"{VOLUME_ENDPOINT}: requests, records captured, records analysed per hour"),
        Series("records analysed", [r["prefix"] for r in volume["rows"]], [r["records_analysed"] for r in volume["rows"]], "bar",
               "hour (capture prefix)", "records", f"{VOLUME_ENDPOINT}: requests, records captured, records analysed per hour"),
        Series("claimed", [o.letter for o in volume_list], [o.evidence["claimed_records"] for o in volume_list], "bar", "option",
               "records per execution", "capture-sampling-volume: claimed vs measured records per execution"),
        Series("measured", [o.letter for o in volume_list], [vn["records_analysed_mean"]] * len(volume_list), "bar", "option",
               "records per execution", "capture-sampling-volume: claimed vs measured records per execution"),
        Series("disk usage", hours.tolist(), [round(float(v), 2) for v in disk_usage(params["disk_usage_percent"], hours * 3600.0)],
               "line", "hour of day", "percent", "F24: disk usage of the endpoint instance"),
        Series("capture stops at", hours.tolist(), [DISK_LIMIT] * len(hours), "line", "hour of day", "percent",
               "F24: disk usage of the endpoint instance"),
    ]
    key_numbers = {
        "invocations": n,
        "records_captured": len(full),
        "true_mean_days": round(true_mean, 3),
        "mean_days_with_sentinel": round(sentinel_mean, 3),
        "true_missing_share": round(true_missing, 4),
        "b_share_analysed": b["share_analysed"],
        "b_mean_days": b["optional_mean"],
        "b_min_days": b["optional_min"],
        "a_min_days": a["optional_min"],
        "a_prediction_columns": a["prediction_columns"],
        "b_prediction_columns": b["prediction_columns"],
        "d_share_analysed": d["share_analysed"],
        "f24_disk_limit_percent": DISK_LIMIT,
        "f24_disk_usage_end_percent": round(min(100.0, params["disk_usage_percent"] + DISK_GROWTH), 2),
        "f24_capture_stopped_at": iso_z(times[stop_index]) if stop_index is not None else None,
        "f24_invocations_not_captured": int(n - n_allowed),
        "f21_latency_p50_ms_without_capture": round(float(np.median(latency)), 2),
        "f21_latency_p50_ms_with_capture": round(float(np.median(latency)), 2),
        "f21_added_latency_ms": 0.0,
        "f21_latency_note": "modelled: capture is written asynchronously (F21), so the response path is unchanged; not a measurement",
    } | {f"volume_{k}": v for k, v in vn.items()}
    narrative = (
        f"The endpoint instance's disk is already at {params['disk_usage_percent']:.0f} % (capture stops at "
        f"{DISK_LIMIT:.0f} %), so none of the {n} requests is captured and the data-quality job has nothing to analyse: "
        f"every option fails until disk usage is brought below {DISK_LIMIT:.0f} % (F24). Lower disk_usage_percent to "
        f"see the pre-processing question itself." if not n_allowed else
        f"{n} requests reach {ENDPOINT}; each answer is a JSON array of {classes} class probabilities and "
        f"{true_missing:.0%} of the customers send days_since_last_order = -1 because they never ordered. Read as "
        f"captured (A), the data-quality job sees the inputs as {', '.join(a['columns'])} and no prediction column at all"
        + (f", and the sentinel pulls the mean from {true_mean:.1f} to {sentinel_mean:.1f} days with a minimum of -1 while "
           f"reporting the feature {fmt(a['optional_completeness'])} complete. " if true_missing > 0 else
           " (no customer is missing the optional feature with these settings, so the sentinel does no harm here). ")
        + (f"The pre-processing script (B) returns [] for all but {b['share_analysed']:.1%} of the records"
           if target < 1 else "The pre-processing script (B) keeps every record (the whole traffic is wanted)")
        + f", leaves {b['values_excluded']} -1 values out and flattens the array, so the job profiles prediction0..{classes - 1} and a "
        f"mean of {fmt(b['optional_mean'], 1)} days. A post-processing script (C) runs after those statistics exist, and "
        f"capture sampling (D) only shrinks the data. Capture itself never slows the endpoint (modelled, F21) but stops "
        f"when the instance disk reaches {DISK_LIMIT:.0f} %: here "
        + (f"from {iso_z(times[stop_index])}, losing {n - n_allowed} records (F24)." if stop_index is not None
           else f"usage ends the day at {params['disk_usage_percent'] + DISK_GROWTH:.0f} %, so nothing is lost (F24).")
    ) + " " + volume_narrative(volume, vn, volume_list)
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative,
        series=series, tables={"options": table, "truth_vs_analysed": truth_table,
                               "sampling_volume": volume_table, "hourly_executions": pd.DataFrame(volume["rows"])},
        timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers,
    )
