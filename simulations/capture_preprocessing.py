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
"""

from __future__ import annotations

import json
import math
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.capture import capture_frame
from simulations.monitoring.hooks import InferenceRecord, PreprocessingError, apply_preprocessing, load_handler, run_job
from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

INFO = SimulationInfo(
    name="capture-preprocessing",
    title="Capture pre-processing: flatten predictions, drop the -1 sentinel, sample 10 %",
    summary="An endpoint answers with an array of class probabilities and sends -1 for a missing feature; only a pre-processing script flattens, excludes and samples before the analysis.",
    questions=(QuestionLink("preprocess-flatten-predictions", {"A": "do-nothing", "B": "preprocessing-script",
                                                               "C": "postprocessing-script", "D": "capture-sampling"}),),
    params=(
        ParamSpec("invocations", int, 4000, "endpoint invocations over one day", min=1000, max=50000),
        ParamSpec("missing_share", float, 0.3, "share of new customers, whose days_since_last_order is sent as -1", min=0.0, max=0.9),
        ParamSpec("sample_percent", int, 10, "share of records the team wants analysed (B's script keeps it, D's capture samples it)", min=1, max=100),
        ParamSpec("classes", int, 3, "length of the probability array the endpoint returns", min=2, max=6),
        ParamSpec("disk_usage_percent", float, 50.0, "F24: disk usage of the endpoint instance at the start of the day (grows 20 points over the day)", min=0.0, max=100.0),
    ),
    facts=("F21", "F22", "F24", "F28", "F29", "F30"),
    presets=(
        Preset("no-sentinel-no-sampling", {"missing_share": 0.0, "sample_percent": 100},
               "every customer has ordered before and the whole traffic is wanted", control=True,
               premise="no -1 sentinel and no sampling wanted: only the array remains to flatten"),
        Preset("disk-nearly-full", {"disk_usage_percent": 65.0}, "the instance disk reaches 75 % during the day: capture stops (F24)"),
        Preset("five-classes", {"classes": 5}, "a longer probability array"),
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


# -- the run ------------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    rng = np.random.default_rng(seed)
    n, classes, target = params["invocations"], params["classes"], params["sample_percent"] / 100
    total = 6
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
    }
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
    )
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative,
        series=series, tables={"options": table, "truth_vs_analysed": truth_table},
        timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers,
    )
