"""Pre- and post-processing scripts: where they run, what they receive, what they can do.

Everything runs through the engine's ``hooks`` (``apply_preprocessing``/``run_job`` with the
documented handler signatures) on records captured by the engine (``capture_frame``, read back
as ``InferenceRecord`` objects) or on batch-transform records (a CSV ``str`` or a JSON ``dict``).
The built-in analysis is the engine's ``data_quality_report`` against a suggested baseline.

- **Debugging (preprocess-custom-logging).** ``bad_share`` of the requests carry ``N/A`` instead of an
  age; the team's script ``float()``-s every field and the job fails. Each option is run: a
  post-processing script, disabling capture, a custom container, and the handler with a
  ``logger`` that writes each suspicious record to the log stream (CloudWatch).
- **Batch transform (batch-transform-preprocess-record).** The endpoint script, which reads
  ``inference_record.endpoint_input.data``, is run on CSV and JSON batch records.
- **A ticket after each run (post-processing-business-action).** Three hourly runs, one of which
  has no captured data; each option's tickets are counted.
"""

from __future__ import annotations

import json
import logging
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.capture import capture_frame
from simulations.monitoring.checks import data_quality_report
from simulations.monitoring.hooks import InferenceRecord, apply_preprocessing, run_job
from simulations.monitoring.schedule import MONITORING_TYPES
from simulations.monitoring.utc import UTC
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Outcome, Series, SimulationResult, check, criterion

INFO = SimulationInfo(
    name="monitoring-scripts",
    title="Monitoring scripts: logging, batch records and post-processing actions",
    summary="Record pre-processing and post-processing scripts run through the engine's hooks: how to find failing "
            "records, what a batch-transform record is, and which script can act once per successful run.",
    questions=(
        QuestionLink('preprocess-custom-logging', {'A': 'debug:postprocessing-script', 'B': 'debug:endpoint-log-group', 'C': 'debug:print-into-capture', 'D': 'debug:handler-with-logger'}),
        QuestionLink('batch-transform-preprocess-record', {'A': 'batch:model-quality-only', 'B': 'batch:base64-bytes', 'C': 'batch:str-or-dict-records', 'D': 'batch:transform-input-attribute'}),
        QuestionLink('post-processing-business-action', {'A': 'ticket:preprocessing-script', 'B': 'ticket:postprocessing-script', 'C': 'ticket:custom-container', 'D': 'ticket:alarm-email'}),
        QuestionLink('pre-post-scripts-scope', {'A': 'scope:all-four-types', 'B': 'scope:bias-and-attribution', 'C': 'scope:dq-mq-bias', 'D': 'scope:data-and-model-quality'}),
    ),
    params=(
        ParamSpec("records", int, 300, "captured requests per hourly run", min=50, max=5000),
        ParamSpec("bad_share", float, 0.05, "share of requests sent with 'N/A' instead of an age", min=0.0, max=0.5),
    ),
    facts=("F19", "F28", "F29", "F30"),
    presets=(
        Preset("clean-requests", {"bad_share": 0.0}, "every request is well formed", control=True,
               premise="no malformed records: the team's script never fails"),
        Preset("many-bad-records", {"bad_share": 0.3}, "a third of the requests carry N/A"),
    ),
)

START = datetime(2025, 4, 1, 8, tzinfo=UTC)
HOUR = timedelta(hours=1)


class LogStream(logging.Handler):
    """Collects what a script logs: the simulated CloudWatch log stream of the processing job."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def stream_logger(name: str) -> tuple[logging.Logger, LogStream]:
    logger = logging.getLogger(f"simulations.monitoring_scripts.{name}")
    logger.handlers.clear()
    logger.propagate = False
    logger.setLevel(logging.INFO)
    stream = LogStream()
    logger.addHandler(stream)
    return logger, stream


# the team's scripts -------------------------------------------------------------------------------------
def original_handler(inference_record):
    age, income = inference_record.endpoint_input.data.split(",")
    return {"age": float(age), "income": float(income)}


def logging_handler(inference_record, logger):
    data = inference_record.endpoint_input.data
    try:
        age, income = data.split(",")
        return {"age": float(age), "income": float(income)}
    except ValueError:
        logger.warning("unparsable record %s: %r", inference_record.event_metadata.event_id, data)
        return []


def batch_aware_handler(record):
    if isinstance(record, str):
        age, income = record.split(",")
    elif isinstance(record, dict):
        age, income = record["age"], record["income"]
    else:
        age, income = record.endpoint_input.data.split(",")
    return {"age": float(age), "income": float(income)}


def requests(n: int, rng: np.random.Generator, bad_share: float) -> tuple[pd.DataFrame, np.ndarray]:
    age = rng.integers(18, 80, n).astype(object)
    bad = rng.random(n) < bad_share
    age[bad] = "N/A"
    return pd.DataFrame({"age": age, "income": np.round(rng.gamma(5.0, 9000.0, n), 2)}), bad


def captured_records(root: Path, frame: pd.DataFrame, at: datetime, seed: int) -> list[InferenceRecord]:
    times = pd.DatetimeIndex(at + pd.to_timedelta(np.arange(len(frame)) * (3600 // max(len(frame), 1)), unit="s"))
    out = capture_frame("loan-prod", "AllTraffic", frame, np.zeros(len(frame)), root, times=times, seed=seed)
    records = []
    for path in sorted(set(out["file"])):
        records += [InferenceRecord.from_capture(json.loads(line)) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    return records


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    train = pd.DataFrame({"age": rng.integers(18, 80, 2000), "income": np.round(rng.gamma(5.0, 9000.0, 2000), 2)})
    baseline = suggest_baseline(train)

    def analyse(frame: pd.DataFrame) -> dict:  # the built-in analysis
        if frame.empty:
            raise ValueError("no records to analyse")
        return data_quality_report(frame[["age", "income"]], baseline).violations

    if progress:
        progress(0, 3, "capture, and the failing pre-processing script")
    with tempfile.TemporaryDirectory() as tmp:
        frame, bad = requests(p["records"], rng, p["bad_share"])
        records = captured_records(Path(tmp) / "capture", frame, START, seed)
        outcomes, debug = debug_outcomes(records, int(bad.sum()), analyse)
        if progress:
            progress(1, 3, "batch-transform records")
        outcomes += batch_outcomes(frame.loc[~bad].reset_index(drop=True))
        if progress:
            progress(2, 3, "three hourly runs and their tickets")
        ticket_found, tickets = ticket_outcomes(p, rng, Path(tmp) / "runs", seed, analyse)
        outcomes += ticket_found
        outcomes += scope_outcomes(records, 2 * int((~bad).sum()))  # the CSV and the JSON batch above
    n_bad = int(bad.sum())
    narrative = ((f"{n_bad} of {len(records)} captured requests carry 'N/A' as age, so the team's script fails on the first of them "
                  f"({debug['error']}). " if n_bad else
                  f"All {len(records)} captured requests are well formed: the team's script parses every one and the run "
                  f"completes, so there is nothing to debug. ")
                 + f"With the logger, the handler writes {debug['logged']} suspicious record(s) to the log stream and the built-in "
                 f"analysis runs on the other {debug['kept']}. Of three hourly runs, {tickets['successful']} succeed; a post-processing "
                 f"script opens {tickets['post']} ticket(s), a pre-processing script would open {tickets['pre']}.")
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative,
        series=[Series("tickets", ["pre-processing", "post-processing", "custom container", "lower threshold"],
                       [tickets["pre"], tickets["post"], tickets["byoc"], 0], "bar", "option", "tickets", "Tickets opened over three runs")],
        tables={"log_stream": pd.DataFrame({"line": debug["lines"][:20]})},
        artifacts=[Artifact("scripts/log-stream.txt", "\n".join(debug["lines"]) + "\n", "what the logging handler wrote")],
        outcomes=outcomes, key_numbers={"bad_records": n_bad, "logged": debug["logged"], **tickets}, question_id=INFO.question_ids[0],
    )


# -- preprocess-custom-logging ---------------------------------------------------------------------------------
def debug_outcomes(records: list[InferenceRecord], n_bad: int, analyse) -> tuple[list[Outcome], dict]:
    results = {}

    # A: the original script plus a post-processing script, hoping it receives the failed records
    received: list = []
    try:
        run_job(records, analyse, preprocess=original_handler, postprocess=lambda: received.append("post-processing ran"))
        error, completed = "", True
    except ValueError as exc:
        error, completed = f"ValueError: {exc}", False
    results["debug:postprocessing-script"] = (0, completed, True, f"the job stopped ({error})" if error else "the job completed",
                                               f"post-processing ran {len(received)} time(s) and takes no arguments")
    first_error = error

    # B: no capture, no records
    try:
        run_job([], analyse, preprocess=original_handler)
        completed = True
    except ValueError as exc:
        completed, error = False, str(exc)
    results["debug:disable-capture"] = (0, completed, True, f"the job has nothing to read ({error})", "0 records captured")

    # C: a custom container replaces the analysis and prints each failure
    printed = []
    rows = []
    for record in records:
        try:
            rows.append(original_handler(record))
        except ValueError:
            printed.append(record.endpoint_input.data)
    results["debug:custom-container"] = (len(printed), True, False, f"{len(printed)} failures printed by the new container",
                                         "the built-in statistics and checks are replaced by the team's own code")

    # D: the same script with a logger
    logger, stream = stream_logger("debug")
    try:
        run = run_job(records, analyse, preprocess=logging_handler, logger=logger)
        completed, kept = True, run.stats.kept
    except ValueError as exc:
        completed, kept = False, 0
        stream.lines.append(f"job failed: {exc}")
    results["debug:handler-with-logger"] = (sum("unparsable record" in line for line in stream.lines), completed, True,
                                            f"{len(stream.lines)} line(s) in the log stream", f"built-in analysis ran on {kept} records")

    # B2: the endpoint's log group: the inference container logs requests it served, never the monitoring job's failures
    endpoint_log = [f"invoked {r.event_metadata.event_id}" for r in records]
    results["debug:endpoint-log-group"] = (sum("unparsable" in line for line in endpoint_log), False, True,
                                           f"{len(endpoint_log)} invocation lines, none about the monitoring job", "the job itself still fails")
    # C2: print() inside the script: the captured files are the job's input and are never written by it
    before = [r.endpoint_input.data for r in records]
    import contextlib
    import io
    printed_out = io.StringIO()
    with contextlib.redirect_stdout(printed_out):
        try:
            run_job(records, analyse, preprocess=lambda r: print(r.endpoint_input.data) or original_handler(r))
            printed_completed = True
        except ValueError:
            printed_completed = False
    after = [r.endpoint_input.data for r in records]
    found_in_capture = sum(a != b for a, b in zip(before, after))
    results["debug:print-into-capture"] = (found_in_capture, printed_completed, True,
                                           f"{len(printed_out.getvalue().splitlines())} printed line(s) went to the job's stdout, none into the captured files",
                                           "the captured records are unchanged")
    labels = {"debug:postprocessing-script": "replace it with a post-processing script", "debug:disable-capture": "disable data capture",
              "debug:endpoint-log-group": "read the endpoint's CloudWatch log group",
              "debug:print-into-capture": "print() in the script, read back from the captured files",
              "debug:custom-container": "rebuild the analysis as a custom container",
              "debug:handler-with-logger": "preprocess_handler(inference_record, logger) logging suspicious records"}
    out = []
    for key, (found, completed, builtin, note, detail) in results.items():
        out.append(Outcome(key, labels[key], [
            criterion("failing records whose input the team can read", found, ">=", n_bad, detail=note),
            check("the monitoring run completes", completed, "completed", "the run fails"),
            check("the built-in analysis is kept", builtin, detail, detail),
        ], evidence={"found": found, "bad_records": n_bad}, key=key))
    return out, {"error": first_error or "no error", "logged": results["debug:handler-with-logger"][0], "kept": kept, "lines": stream.lines}


# -- batch-transform-preprocess-record -------------------------------------------------------------------------
def batch_outcomes(frame: pd.DataFrame) -> list[Outcome]:
    csv_records = frame.astype(str).apply(",".join, axis=1).tolist()  # a CSV batch job: one line per record
    json_records = [{"age": int(a), "income": float(i)} for a, i in zip(frame["age"], frame["income"])]
    records = csv_records + json_records
    calls = [0]
    errors: dict[str, int] = {}

    def endpoint_script(inference_record):
        calls[0] += 1
        return original_handler(inference_record)

    for record in records:
        try:
            endpoint_script(record)
        except Exception as exc:  # what the job would log for every record
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
    types = sorted({type(r).__name__ for r in records})
    as_bytes = sum(isinstance(r, bytes) for r in records)
    wrapped = sum(isinstance(r, dict) and "groundTruthData" in r for r in records)
    aware, stats = apply_preprocessing(records, batch_aware_handler)
    failed = ", ".join(f"{k} x{v}" for k, v in errors.items())
    return [
        Outcome("batch:scripts-not-allowed", "pre-processing scripts are not allowed with batch transform", [
            criterion("records the script was called with", calls[0], "==", 0, detail=f"it ran and failed: {failed}")],
            key="batch:scripts-not-allowed"),
        Outcome("batch:base64-bytes", "records arrive as bytes to base64-decode", [
            criterion("records that arrive as bytes", as_bytes, ">=", 1, detail=f"record types seen: {', '.join(types)}")],
            key="batch:base64-bytes"),
        Outcome("batch:str-or-dict-records", "records are a str (CSV) or a dict (JSON); handle both", [
            check("batch records are str or dict, not CapturedData", set(types) <= {"str", "dict"}, f"types: {', '.join(types)}",
                  f"types: {', '.join(types)}"),
            criterion("records a type-aware script turns into rows", stats.kept, ">=", len(records), detail=f"of {len(records)}; {len(aware.columns)} columns"),
        ], key="batch:str-or-dict-records"),
        Outcome("batch:model-quality-only", "scripts are accepted on batch monitoring only for model quality", [
            criterion("batch records a data-quality job handed to the script", calls[0], "==", 0, detail=f"it ran and failed: {failed}")],
            key="batch:model-quality-only"),
        Outcome("batch:transform-input-attribute", "records expose a transform_input attribute", [
            criterion("records with a transform_input attribute", sum(hasattr(r, "transform_input") for r in records), ">=", 1,
                      detail=f"record types seen: {', '.join(types)}")], key="batch:transform-input-attribute"),
        Outcome("batch:ground-truth-wrapper", "records are wrapped in groundTruthData", [
            criterion("records wrapped in groundTruthData", wrapped, ">=", 1, detail=f"of {len(records)}")],
            key="batch:ground-truth-wrapper"),
    ]


def custom_container_run(records: list) -> int:
    """A bring-your-own container: the team's own analysis (which tolerates an empty window), then a ticket.
    Returns the tickets it opened."""
    ages = [float(r.endpoint_input.data.split(",")[0]) for r in records]
    report = {"records": len(ages), "mean_age": float(np.mean(ages)) if ages else 0.0}  # its own analysis
    tickets = [f"monitoring report: {report['records']} records"]  # then it calls the tracker, whatever it found
    return len(tickets)


# -- post-processing-business-action ----------------------------------------------------------------------------------
def ticket_outcomes(p: dict, rng: np.random.Generator, root: Path, seed: int, analyse) -> tuple[list[Outcome], dict]:
    runs = []
    for hour in range(3):
        frame, bad = requests(p["records"], rng, 0.0)
        runs.append([] if hour == 1 else captured_records(root / f"h{hour}", frame, START + hour * HOUR, seed + hour))
    successful = 0
    violation_counts: list[int] = []
    tickets = {"pre": 0, "post": 0, "byoc": 0, "threshold": 0, "alarm": 0}
    failed_run_tickets = {"pre": 0, "post": 0, "byoc": 0, "threshold": 0, "alarm": 0}
    for records in runs:
        opened = {"pre": 0, "post": 0}

        def ticket_per_record(record):  # runs within this iteration, so the closure sees this run's counter
            opened["pre"] += 1
            return original_handler(record)

        def ticket_after_run():
            opened["post"] += 1

        try:
            job = run_job(records, analyse, preprocess=ticket_per_record, postprocess=ticket_after_run)
            ok = True
            violation_counts.append(len(job.report["violations"]))
        except ValueError:
            ok = False
        successful += ok
        byoc = custom_container_run(records)
        for key, count in (("pre", opened["pre"]), ("post", opened["post"]), ("byoc", byoc)):
            tickets[key] += count
            if not ok:
                failed_run_tickets[key] += count
    # an alarm on the schedule's violation metric emails the tracker: it fires on a state change, not per run
    from simulations.monitoring.cloudwatch import CloudWatch
    from simulations.monitoring.sns import Outbox, Topic

    cloudwatch, outbox = CloudWatch(), Outbox()
    topic = Topic("tracker", outbox=outbox)
    topic.confirm_subscription(topic.subscribe("email", "tickets@tracker.example.com").token)
    times = [START + k * HOUR + timedelta(minutes=20) for k in range(len(violation_counts))]
    if violation_counts:
        cloudwatch.metrics.put_metric_values("aws/sagemaker/Endpoints/data-metrics", "violations", violation_counts, times,
                                             {"Endpoint": "loan-prod"}, "Count")
    cloudwatch.put_metric_alarm("violations", namespace="aws/sagemaker/Endpoints/data-metrics", metric_name="violations",
                                dimensions={"Endpoint": "loan-prod"}, statistic="Maximum", period=3600, evaluation_periods=1,
                                threshold=0.0, comparison_operator="GreaterThanThreshold", alarm_actions=[topic])
    for k in range(len(runs)):
        cloudwatch.evaluate_alarms(START + (k + 1) * HOUR)
    tickets["alarm"] = len(outbox.notifications())
    out = []
    labels = {"pre": ("ticket:preprocessing-script", "a record pre-processing script opens the ticket"),
              "alarm": ("ticket:alarm-email", "a CloudWatch alarm on the schedule's metrics emails the tracker"),
              "post": ("ticket:postprocessing-script", "a post-processing script opens the ticket"),
              "byoc": ("ticket:custom-container", "a custom container replaces the built-in analysis"),
              "threshold": ("ticket:lower-threshold", "lower thresholds in constraints.json")}
    for short, (key, label) in labels.items():
        out.append(Outcome(key, label, [
            criterion("tickets per successful run", round((tickets[short] - failed_run_tickets[short]) / max(successful, 1), 2), "==", 1,
                      detail=f"{tickets[short]} tickets over {len(runs)} runs, {successful} successful"),
            criterion("tickets for the failed run", failed_run_tickets[short], "==", 0),
            check("the built-in analysis is kept", short != "byoc", "yes", "no: the container replaces it"),
        ], evidence={"tickets": tickets[short]}, key=key))
    return out, {"successful": successful, "post": tickets["post"], "pre": tickets["pre"], "byoc": tickets["byoc"]}


# -- pre-post-scripts-scope ---------------------------------------------------------------------------------------------
SCRIPT_TYPES = ("DataQuality", "ModelQuality")  # F28: the monitoring types whose job definitions take the two scripts


def job_definition(monitoring_type: str, *, record_preprocessor_script: str | None = None,
                   post_analytics_processor_script: str | None = None) -> dict:
    """A monitoring job definition; the scripts are refused for types other than data and model quality (F28)."""
    if monitoring_type not in MONITORING_TYPES:
        raise ValueError(f"unknown monitoring type {monitoring_type!r}")
    if (record_preprocessor_script or post_analytics_processor_script) and monitoring_type not in SCRIPT_TYPES:
        raise ValueError(f"{monitoring_type} job definitions take no record_preprocessor_script or post_analytics_processor_script; "
                         "bring your own container for custom logic")
    return {"MonitoringType": monitoring_type, "RecordPreprocessorSourceUri": record_preprocessor_script,
            "PostAnalyticsProcessorSourceUri": post_analytics_processor_script}


def scope_outcomes(records: list, batch_records: int) -> list[Outcome]:
    accepted = []
    for monitoring_type in MONITORING_TYPES:
        try:
            job_definition(monitoring_type, record_preprocessor_script="s3://scripts/pre.py", post_analytics_processor_script="s3://scripts/post.py")
            accepted.append(monitoring_type)
        except ValueError:
            pass
    endpoint_rows, _ = apply_preprocessing(records[:50], logging_handler, logger=stream_logger("scope")[0])
    shown = ", ".join(accepted)

    def same(expected: set[str]) -> list:
        return [check(f"job definitions that accept both scripts are exactly {', '.join(sorted(expected))}", set(accepted) == expected,
                      f"accepted for {shown}", f"accepted for {shown} only")]

    return [
        Outcome("scope:all-four-types", "all four monitoring types", same(set(MONITORING_TYPES)), key="scope:all-four-types"),
        Outcome("scope:data-and-model-quality", "data quality and model quality only", same({"DataQuality", "ModelQuality"}),
                key="scope:data-and-model-quality"),
        Outcome("scope:bias-and-attribution", "bias and feature attribution only", same({"ModelBias", "ModelExplainability"}),
                key="scope:bias-and-attribution"),
        Outcome("scope:dq-mq-bias", "data quality, model quality and bias drift, not feature attribution",
                same({"DataQuality", "ModelQuality", "ModelBias"}), key="scope:dq-mq-bias"),
        Outcome("scope:batch-transform-only", "only when monitoring batch transform jobs", [
            criterion("real-time endpoint records the pre-processing script handled", len(endpoint_rows), "==", 0,
                      detail=f"the batch-transform run above handled {batch_records} records as well")], key="scope:batch-transform-only"),
    ]
