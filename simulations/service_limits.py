"""Capture and service rules: what happens when you try each option on a simulated account.

The engine provides capture (``capture_frame``, ``CapturingEndpoint``, ``read_captured``),
baselines and checks, and ``ModelMonitorService`` (schedules, executions, and the rule that an
endpoint with a schedule attached cannot be deleted, F33). Three service rules the engine does not
model are added here as a thin ``Account`` layer, following the project's facts where AWS gives no
error text:

- F35: a monitoring schedule on a multi-model endpoint is refused (single-model endpoints only);
- F23: a schedule is refused when the endpoint's capture S3 location is in another Region;
- F24: the capture agent skips requests while the instance's disk utilisation is at or above
  ``CAPTURE_DISK_LIMIT`` (75 %); inference itself is unaffected. Captured records wait in a
  buffer on the instance and reach S3 at the next upload, every ``upload_minutes`` (F21).

Scenarios, each judged by what the simulated account measures:

- ``models`` customer models on one multi-model endpoint, one of them drifting (multi-model-endpoint-unsupported);
- deleting an endpoint that has an hourly schedule, four clean-up orders (delete-monitored-endpoint);
- a sales day whose busy hours push disk utilisation to ``disk_peak`` % (capture-disk-usage,
  capture-requirements);
- a capture bucket in ``eu-west-1`` for a ``us-east-1`` schedule (capture-cross-region);
- one hour of traffic on 7 May 2024 and four candidate S3 prefixes (capture-s3-path);
- a test request and an immediate S3 listing (data-capture-async-delay);
- a three-container inference pipeline (inference-pipeline-monitoring).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.capture import CapturingEndpoint, capture_frame, read_captured
from simulations.monitoring.checks import data_quality_report
from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.cron import CronExpressionGenerator
from simulations.monitoring.schedule import (
    COMPLETED,
    COMPLETED_WITH_VIOLATIONS,
    ModelMonitorService,
    MonitoringJobError,
    MonitoringSchedule,
    ResourceInUse,
)
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Outcome, Series, SimulationResult, check, criterion

CAPTURE_DISK_LIMIT = 75.0
HOME_REGION, OTHER_REGION = "us-east-1", "eu-west-1"
VARIANT = "AllTraffic"

INFO = SimulationInfo(
    name="service-limits",
    title="Service limits: multi-model endpoints, clean-up order, capture disk, Region and S3 layout",
    summary="Try each option on a simulated account: what Model Monitor refuses, what capture records, "
            "where the files land and when.",
    questions=(
        QuestionLink('multi-model-endpoint-unsupported', {'A': 'mme:schedule-per-model', 'B': 'mme:inference-id-names-model', 'C': 'mme:own-endpoints', 'D': 'mme:baseline-all-models'}),
        QuestionLink('delete-monitored-endpoint', {'A': 'delete:stop-schedule-first', 'B': 'delete:endpoint-config-first', 'C': 'delete:disable-capture-first', 'D': 'delete:schedule-first'}),
        QuestionLink('capture-disk-usage', {'A': 'disk:sampling-lowered-set-100', 'B': 'disk:capture-paused-keep-below-75', 'C': 'disk:uploads-only-delayed', 'D': 'disk:s3-throttled-other-region'}),
        QuestionLink('capture-cross-region', {'A': 'region:bucket-policy', 'B': 'region:vpc-gateway-endpoint', 'C': 'region:same-region-then-replicate', 'D': 'region:widen-offsets'}),
        QuestionLink('capture-requirements', {'A': 'needed:sampling-100', 'B': 'needed:same-region', 'C': 'needed:per-variant-destination', 'D': 'needed:disk-below-75', 'E': 'needed:synchronous-capture'}),
        QuestionLink('capture-s3-path', {'A': 'path:endpoint-variant-hour', 'B': 'path:hour-endpoint-variant', 'C': 'path:variant-endpoint-hour', 'D': 'path:date-hour-partition'}),
        QuestionLink('data-capture-async-delay', {'A': 'async:synchronous', 'B': 'async:only-when-schedule-runs', 'C': 'async:cloudwatch-logs-daily', 'D': 'async:asynchronous-delayed'}),
        QuestionLink('inference-pipeline-monitoring', {'A': 'pipeline:as-a-whole', 'B': 'pipeline:per-container-index', 'C': 'pipeline:not-monitored', 'D': 'pipeline:model-container-only'}),
    ),
    params=(
        ParamSpec("multi_model", bool, True, "the customer models are hosted on one multi-model endpoint"),
        ParamSpec("models", int, 300, "customer models (one per customer)", min=2, max=1000),
        ParamSpec("disk_peak", float, 92.0, "disk utilisation (%) of the endpoint instances in the busy hours of the sales day", min=10.0, max=100.0),
        ParamSpec("requests_per_hour", int, 120, "requests per hour outside the busy hours (three times as many in them)", min=20, max=2000),
        ParamSpec("upload_minutes", int, 2, "how often the capture agent uploads its buffer to S3", min=1, max=10),
    ),
    facts=("F21", "F22", "F23", "F24", "F33", "F35", "F36"),
    presets=(
        Preset("single-model-endpoints", {"multi_model": False, "disk_peak": 60.0},
               "every model on its own endpoint; disk utilisation stays at 60 %", control=True,
               premise="no limit is hit: no multi-model endpoint and no disk above 75 %"),
        Preset("disk-just-below", {"disk_peak": 72.0}, "the busy hours reach about 72 % disk, just under the capture limit"),
    ),
)

START = datetime(2024, 5, 7, tzinfo=UTC)
HOUR = timedelta(hours=1)


# -- the account: engine service plus the three rules the engine does not model -----------------------
@dataclass
class EndpointInfo:
    region: str = HOME_REGION
    multi_model: bool = False
    capture_region: str = HOME_REGION
    containers: tuple[str, ...] = ("model",)


@dataclass
class Account:
    clock: SimulatedClock
    service: ModelMonitorService = field(init=False)
    endpoints: dict[str, EndpointInfo] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.service = ModelMonitorService(self.clock)

    def create_endpoint(self, name: str, **info) -> None:
        self.service.create_endpoint(name)
        self.endpoints[name] = EndpointInfo(**info)

    def create_monitoring_schedule(self, schedule: MonitoringSchedule, region: str = HOME_REGION) -> None:
        info = self.endpoints[schedule.endpoint_name]
        if info.multi_model:
            raise ValueError(f"endpoint {schedule.endpoint_name!r} is a multi-model endpoint; Model Monitor supports "
                             "only endpoints that host a single model (F35)")
        if info.capture_region != region:
            raise ValueError(f"the capture location of {schedule.endpoint_name!r} is in {info.capture_region}, the schedule "
                             f"in {region}: the S3 data-capture location must be in the schedule's Region (F23)")
        self.service.create_monitoring_schedule(schedule)


def capture_kept(disk_percent: np.ndarray) -> np.ndarray:
    """F24: the capture agent records a request only while disk utilisation is below the limit."""
    return disk_percent < CAPTURE_DISK_LIMIT


def _accepted(account: Account, schedule: MonitoringSchedule, region: str = HOME_REGION) -> str:
    try:
        account.create_monitoring_schedule(schedule, region)
    except ValueError as error:
        return str(error)
    return ""


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    total = 6
    outcomes: list[Outcome] = []
    artifacts: list[Artifact] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        steps = (("multi-model endpoint", multi_model_outcomes), ("clean-up order", delete_outcomes),
                 ("sales day and disk", disk_outcomes), ("capture Region", region_outcomes),
                 ("S3 layout and delivery", path_and_delay_outcomes), ("inference pipeline", pipeline_outcomes))
        facts = {}
        for i, (label, step) in enumerate(steps):
            if progress:
                progress(i, total, label)
            found, numbers, files = step(p, rng, root / f"s{i}", seed)
            outcomes += found
            facts.update(numbers)
            artifacts += files
    outcomes += requirement_outcomes(facts)

    mme = "one multi-model endpoint" if p["multi_model"] else "their own single-model endpoints"
    peak = max(facts["disk_by_hour"])
    disk_story = (f"In the busy hours disk utilisation reaches {peak:.1f} %, at or above the {CAPTURE_DISK_LIMIT:.0f} % "
                  f"limit, so capture skipped {facts['skipped']} of {facts['requests']} requests ({facts['gap_hours']} hours "
                  f"with almost no files) while every request was answered."
                  if facts["skipped"] else
                  f"Disk utilisation peaks at {peak:.1f} %, below the {CAPTURE_DISK_LIMIT:.0f} % limit, so capture "
                  f"recorded all {facts['requests']} requests of the sales day.")
    narrative = (f"{p['models']} customer models run on {mme}: {facts['schedules_accepted']} monitoring schedules were accepted"
                 + (f" and the drifting customer's model was flagged by its own schedule. " if facts["drift_flagged"] else
                    f" ({facts['schedule_refusal']}). ")
                 + disk_story
                 + f" A test request reached S3 {facts['delivery_minutes']:g} minutes later under "
                 f"{facts['capture_prefix']}; the request itself took the same time with capture on or off.")
    series = [Series("disk utilisation %", list(range(24)), facts["disk_by_hour"], "line", "hour (UTC)", "%", "Sales day"),
              Series("capture limit %", list(range(24)), [CAPTURE_DISK_LIMIT] * 24, "line", "hour (UTC)", "%", "Sales day"),
              Series("captured requests", list(range(24)), facts["captured_by_hour"], "bar", "hour (UTC)", "requests", "Captured per hour"),
              Series("served requests", list(range(24)), facts["served_by_hour"], "bar", "hour (UTC)", "requests", "Captured per hour")]
    table = pd.DataFrame({"hour": range(24), "disk_percent": facts["disk_by_hour"], "served": facts["served_by_hour"],
                          "captured": facts["captured_by_hour"]})
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative, series=series,
        tables={"sales_day": table}, artifacts=artifacts, outcomes=outcomes,
        key_numbers={k: v for k, v in facts.items() if not isinstance(v, list)}, question_id=INFO.question_ids[0],
    )


# -- multi-model endpoints ----------------------------------------------------------------------------
def customer_traffic(n: int, rng: np.random.Generator, shift: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame({"seats": rng.poisson(20 + shift, n).astype(np.int64), "usage_hours": np.round(rng.gamma(4.0, 10.0 + shift, n), 1)})


def multi_model_outcomes(p: dict, rng: np.random.Generator, root: Path, seed: int):
    models, drifting = p["models"], 0
    train = customer_traffic(600, rng)
    baseline = suggest_baseline(train)
    live = {0: customer_traffic(300, rng, shift=15.0), 1: customer_traffic(300, rng)}  # model 0 drifts; model 1 is typical

    found = {k: data_quality_report(frame, baseline).violations["violations"] for k, frame in live.items()}

    def job_for(model: int):
        def job(start, end):  # every typical model sees the same kind of traffic: one report serves them all
            return {"violations": found[min(model, 1)]}
        return job

    def attempt(option: str) -> dict:
        clock = SimulatedClock(START)
        account = Account(clock)
        if option == "mme:own-endpoints" or not p["multi_model"]:
            for m in range(models):
                account.create_endpoint(f"customer-{m}")
            refusals = [_accepted(account, MonitoringSchedule(f"dq-{m}", f"customer-{m}", CronExpressionGenerator.hourly(), job_for(m)))
                        for m in range(models)]
        else:
            account.create_endpoint("saas-mme", multi_model=True)
            if option == "mme:schedule-per-model":
                refusals = [_accepted(account, MonitoringSchedule(f"dq-{m}", "saas-mme", CronExpressionGenerator.hourly(), job_for(m)))
                            for m in range(models)]
            else:  # one schedule for the endpoint, with InferenceIds or a baseline of every model's rows: still this endpoint
                refusals = [_accepted(account, MonitoringSchedule("dq-all", "saas-mme", CronExpressionGenerator.hourly(), job_for(1)))]
        clock.run_until(START + HOUR)
        execs = account.service.list_monitoring_executions()
        flagged = any(e.schedule_name == f"dq-{drifting}" and e.status == COMPLETED_WITH_VIOLATIONS for e in execs)
        typical_quiet = all(e.status == COMPLETED for e in execs if e.schedule_name == "dq-1")
        accepted = sum(not r for r in refusals)
        return {"accepted": accepted, "refusal": next((r for r in refusals if r), ""), "flagged": flagged,
                "typical_quiet": typical_quiet, "executions": len(execs)}

    labels = {"mme:schedule-per-model": "one schedule per target model on the multi-model endpoint",
              "mme:inference-id-names-model": "an InferenceId naming the model on every request",
              "mme:own-endpoints": "host the models that need monitoring on their own endpoints",
              "mme:baseline-all-models": "one baseline with the rows of every model"}
    out, numbers = [], {}
    for key, label in labels.items():
        r = attempt(key)
        if key == "mme:schedule-per-model":
            numbers.update(schedules_accepted=r["accepted"], drift_flagged=r["flagged"], schedule_refusal=r["refusal"].split(";")[0])
        out.append(Outcome(key, label, [
            criterion("models with an accepted data-quality schedule", r["accepted"], ">=", models, detail=r["refusal"] or f"{r['executions']} executions in the first hour"),
            check("the drifting customer's model is flagged by its own schedule", r["flagged"],
                  "its first execution is CompletedWithViolations while a typical model's completes clean" if r["typical_quiet"] else "flagged",
                  "no execution looked at that model's traffic alone"),
        ], evidence=r, key=key))
    return out, numbers, []


# -- deleting a monitored endpoint ------------------------------------------------------------------------
def delete_outcomes(p: dict, rng: np.random.Generator, root: Path, seed: int):
    out = []
    dest = root / "capture"
    frame = customer_traffic(200, rng)
    times = pd.date_range(START, periods=200, freq="1min")
    captured = capture_frame("churn-prod", VARIANT, frame, np.zeros(200), dest, times=times, seed=seed)
    stamps = pd.DatetimeIndex(captured["inference_time"])

    def job(start, end):
        rows = captured.loc[(stamps >= pd.Timestamp(start)) & (stamps < pd.Timestamp(end))]
        if rows.empty:
            raise MonitoringJobError(f"no captured data in the window {iso_z(start)} to {iso_z(end)}")
        return {"violations": []}

    for key, label in (("delete:force", "delete the endpoint (a force flag)"), ("delete:schedule-first", "delete the schedule, wait, delete the endpoint"),
                       ("delete:disable-capture-first", "disable data capture, then delete the endpoint"),
                       ("delete:empty-prefix-first", "empty the capture prefix, then delete the endpoint"),
                       ("delete:stop-schedule-first", "StopMonitoringSchedule, then delete the endpoint"),
                       ("delete:endpoint-config-first", "delete the endpoint configuration, then the endpoint")):
        clock = SimulatedClock(START)
        service = ModelMonitorService(clock)
        service.create_endpoint("churn-prod")
        service.create_monitoring_schedule(MonitoringSchedule("churn-dq", "churn-prod", CronExpressionGenerator.hourly(), job))
        clock.run_until(START + 2 * HOUR + timedelta(minutes=5))
        note = ""
        if key == "delete:schedule-first":
            service.delete_monitoring_schedule("churn-dq")
            clock.advance(timedelta(minutes=1))
        elif key == "delete:disable-capture-first":
            note = "capture off (the schedule is still attached); "
        elif key == "delete:empty-prefix-first":
            emptied = root / f"emptied-{len(out)}"
            shutil.copytree(dest, emptied)
            shutil.rmtree(emptied)
            note = "capture prefix emptied (the schedule is still attached); "
        elif key == "delete:stop-schedule-first":
            service.stop_monitoring_schedule("churn-dq")
            note = f"schedule {service.describe_monitoring_schedule('churn-dq')['MonitoringScheduleStatus']} but still attached; "
        elif key == "delete:endpoint-config-first":
            note = "the endpoint configuration is gone; the schedule still names the endpoint; "
        try:
            service.delete_endpoint("churn-prod")
            refused = ""
        except ResourceInUse as error:
            refused = str(error)
        history = len(service.list_monitoring_executions())
        out.append(Outcome(key, label, [
            check("the endpoint is deleted", not refused, "DeleteEndpoint succeeded", f"refused: {refused}"),
            criterion("monitoring schedules left on the account", len(service.list_monitoring_schedules()), "==", 0,
                      detail=note + f"{history} past executions stay listed"),
        ], evidence={"refused": refused, "schedules_left": service.list_monitoring_schedules(), "executions_kept": history}, key=key))
    return out, {}, []


# -- the sales day: disk utilisation and capture ---------------------------------------------------------
def sales_day(p: dict, rng: np.random.Generator, disk_peak: float) -> dict:
    busy = np.zeros(24, dtype=bool)
    busy[[11, 12, 13, 17, 18, 19]] = True
    served = np.where(busy, 3, 1) * p["requests_per_hour"]
    answered = served.copy()  # F24: inference never waits for capture; every request is answered
    disk = np.where(busy, disk_peak, 55.0) + rng.normal(0.0, 1.0, 24).round(1)
    disk = np.clip(disk, 0.0, 100.0)
    kept = capture_kept(disk)
    captured = np.where(kept, served, 0)
    return {"served": served, "answered": answered, "disk": np.round(disk, 1), "captured": captured, "busy": busy}


def disk_outcomes(p: dict, rng: np.random.Generator, root: Path, seed: int):
    day = sales_day(p, rng, p["disk_peak"])
    bigger_volume = sales_day(p, np.random.default_rng(seed + 1), p["disk_peak"] * 0.5 + 10.0)  # a volume twice the size
    served, captured, disk = day["served"], day["captured"], day["disk"]
    gap = served - captured
    gap_hours = int(np.count_nonzero(gap > 0))
    skipped_high_disk = int(gap[disk >= CAPTURE_DISK_LIMIT].sum())
    # the capture files of the day (one file per captured hour), and what a monitoring run leaves behind
    dest = root / "capture"
    hours = np.repeat(np.arange(24), captured)
    times = pd.DatetimeIndex(START + pd.to_timedelta(hours * 3600 + rng.integers(0, 3600, len(hours)), unit="s"))
    if len(hours):
        capture_frame("sales-prod", VARIANT, pd.DataFrame({"basket": rng.integers(1, 9, len(hours))}), np.zeros(len(hours)), dest,
                      times=times, seed=seed)
    files_before = len(list(dest.rglob("*.jsonl"))) if dest.exists() else 0
    files_buffered = int(np.count_nonzero(captured))  # the agent buffers one file per captured hour
    frame = read_captured(dest, "sales-prod", VARIANT) if files_before else pd.DataFrame()
    files_after = len(list(dest.rglob("*.jsonl"))) if dest.exists() else 0  # a monitoring run reads, never deletes
    scale_out_disk = disk  # each instance keeps the same disk usage: disk is not filled by the number of requests
    scale_out_captured = int(np.where(capture_kept(scale_out_disk), served, 0).sum())
    options = {
        "disk:dropped-requests-scale-out": (
            criterion("requests the endpoint failed to answer", int((served - day["answered"]).sum()), ">=", 1,
                      detail=f"{int(day['answered'].sum())} of {int(served.sum())} requests were answered"),
            scale_out_captured),
        "disk:capture-paused-keep-below-75": (
            criterion("skipped requests that fell in hours with disk at or above 75 %", skipped_high_disk, ">=", max(1, int(gap.sum())),
                      detail=f"{int(gap.sum())} skipped in {gap_hours} hours; peak disk {disk.max():.1f} %"),
            int(bigger_volume["captured"].sum())),
        "disk:sampling-lowered-set-100": (
            criterion("hours below the disk limit with fewer requests captured than served", int(np.count_nonzero((disk < CAPTURE_DISK_LIMIT) & (gap > 0))), ">=", 1,
                      detail="capture keeps every request while the disk allows: no sampling change"),
            int(captured.sum())),
        "disk:uploads-only-delayed": (
            criterion("files that arrive for the gap hours a day later", int(np.count_nonzero((gap > 0) & (captured > 0))), ">=", max(1, gap_hours),
                      detail=f"{gap_hours} gap hour(s); skipped requests were never written"),
            int(captured.sum())),
        "disk:schedule-deleted-files": (
            criterion("capture files missing after the monitoring run read them", files_before - files_after, ">=", 1,
                      detail=f"{files_before} files before, {files_after} after; {len(frame)} records read"),
            int(captured.sum())),
        "disk:s3-throttled-other-region": (
            criterion("capture files that failed to reach S3", files_buffered - files_before, ">=", 1,
                      detail=f"{files_buffered} hourly buffers written on the instance, {files_before} in S3; the missing requests were never buffered"),
            int(captured.sum())),
    }
    out = []
    for key, (diagnosis, after) in options.items():
        out.append(Outcome(key, key.split(":")[1].replace("-", " "), [
            diagnosis,
            criterion("requests captured on the next sales day with the option's fix", round(100 * after / served.sum(), 1), ">=", 99,
                      unit="%", detail=f"{after} of {int(served.sum())}"),
        ], evidence={"captured_after_fix": after, "served": int(served.sum())}, key=key))
    numbers = {"skipped": int(gap.sum()), "requests": int(served.sum()), "gap_hours": gap_hours,
               "disk_by_hour": disk.tolist(), "captured_by_hour": captured.tolist(), "served_by_hour": served.tolist(),
               "lost_below_limit": int(gap[disk < CAPTURE_DISK_LIMIT].sum()),
               "captured_share_disk_high": round(float(captured.sum() / served.sum()), 4),
               "captured_share_disk_low": round(float(bigger_volume["captured"].sum() / served.sum()), 4)}
    return out, numbers, []


# -- capture Region ------------------------------------------------------------------------------------------
def region_outcomes(p: dict, rng: np.random.Generator, root: Path, seed: int):
    frame = customer_traffic(120, rng)
    times = pd.date_range(START, periods=120, freq="1min")
    out, numbers = [], {}
    for key, label in (("region:bucket-policy", "write capture to the eu-west-1 bucket, allowed by its bucket policy"),
                       ("region:custom-container", "write capture to eu-west-1 and use a custom container"),
                       ("region:same-region-then-replicate", "capture in us-east-1, replicate to eu-west-1"),
                       ("region:lower-sampling", "write capture to eu-west-1 with 10 % sampling"),
                       ("region:vpc-gateway-endpoint", "write capture to eu-west-1; the schedule runs in a VPC with an S3 gateway endpoint"),
                       ("region:widen-offsets", "write capture to eu-west-1 and widen the schedule's offsets")):
        direct = key != "region:same-region-then-replicate"
        sampling = 10 if key == "region:lower-sampling" else 100
        capture_region = OTHER_REGION if direct else HOME_REGION
        dest = root / key.split(":")[1] / capture_region
        capture_frame("orders-prod", VARIANT, frame, np.zeros(len(frame)), dest, times=times, sampling_percentage=sampling, seed=seed)
        if not direct:  # S3 replication copies every object to the other Region
            shutil.copytree(dest, root / key.split(":")[1] / OTHER_REGION)
        in_eu = len(read_captured(root / key.split(":")[1] / OTHER_REGION, "orders-prod", VARIANT))
        clock = SimulatedClock(START + 2 * HOUR)
        account = Account(clock)
        account.create_endpoint("orders-prod", capture_region=capture_region)
        refused = _accepted(account, MonitoringSchedule("orders-dq", "orders-prod", CronExpressionGenerator.hourly(),
                                                        lambda a, b: {"violations": []}), region=HOME_REGION)
        clock.advance(HOUR)
        completed = len(account.service.list_monitoring_executions(status=COMPLETED))
        out.append(Outcome(key, label, [
            check("the us-east-1 schedule accepts the capture location", not refused, f"capture in {capture_region}", refused),
            criterion("monitoring executions completed in the next hour", completed, ">=", 1),
            criterion("captured records available in eu-west-1", in_eu, ">=", len(frame), detail=f"{len(frame)} requests served"),
        ], evidence={"capture_region": capture_region, "refused": refused, "records_in_eu": in_eu}, key=key))
        if key == "region:bucket-policy":
            numbers["region_refusal"] = refused
        if key == "region:same-region-then-replicate":
            numbers["home_region_completed"] = completed
    # the same endpoint and schedule with 10 % sampling in the schedule's own Region
    dest = root / "sampled"
    capture_frame("orders-prod", VARIANT, frame, np.zeros(len(frame)), dest, times=times, sampling_percentage=10, seed=seed)
    clock = SimulatedClock(START + 2 * HOUR)
    account = Account(clock)
    account.create_endpoint("orders-prod")

    def job(start, end):
        rows = read_captured(dest, "orders-prod", VARIANT)
        if rows.empty:
            raise MonitoringJobError("no captured data in the window")
        return {"violations": [], "records": len(rows)}

    account.create_monitoring_schedule(MonitoringSchedule("orders-dq", "orders-prod", CronExpressionGenerator.hourly(), job))
    clock.advance(HOUR)
    numbers["sampled_completed"] = len(account.service.list_monitoring_executions(status=COMPLETED))
    return out, numbers, []


# -- where the files are, and when ---------------------------------------------------------------------------------
def path_and_delay_outcomes(p: dict, rng: np.random.Generator, root: Path, seed: int):
    bucket = root / "ml-audit" / "capture"
    hour = datetime(2024, 5, 7, 14, tzinfo=UTC)
    n = 40
    times = pd.DatetimeIndex(hour + pd.to_timedelta(np.sort(rng.integers(0, 3600, n)), unit="s"))
    capture_frame("churn-prod", VARIANT, customer_traffic(n, rng), np.zeros(n), bucket, times=times, seed=seed)
    capture_frame("churn-prod", "Canary", customer_traffic(10, rng), np.zeros(10), bucket, times=times[:10], seed=seed + 1)  # a second variant, same destination
    per_variant = {v: len(read_captured(bucket, "churn-prod", v)) for v in (VARIANT, "Canary")}
    candidates = {
        "path:endpoint-variant-hour": ("churn-prod/AllTraffic/2024/05/07/14", "*.jsonl"),
        "path:hour-endpoint-variant": ("2024/05/07/14/churn-prod/AllTraffic", "*.csv"),
        "path:reversed": ("AllTraffic/churn-prod/14/07/05/2024", "*.json"),
        "path:daily-file": ("churn-prod", "2024-05-07.jsonl"),
        "path:variant-endpoint-hour": ("AllTraffic/churn-prod/2024/05/07/14", "*.jsonl"),
        "path:date-hour-partition": ("churn-prod/AllTraffic/2024-05-07/hour=14", "*.jsonl"),
    }
    out = []
    for key, (prefix, pattern) in candidates.items():
        folder = bucket / prefix
        files = sorted(folder.glob(pattern)) if folder.is_dir() else []
        records = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
        out.append(Outcome(key, f"s3://ml-audit/capture/{prefix}/ ({pattern})", [
            criterion("records of 14:00-15:00 found there", records, ">=", n, detail=f"{len(files)} files"),
        ], evidence={"files": len(files), "records": records}, key=key))
    artifact = sorted((bucket / "churn-prod/AllTraffic/2024/05/07/14").glob("*.jsonl"))[0]
    artifacts = [Artifact("capture/churn-prod/AllTraffic/2024/05/07/14/" + artifact.name,
                          "".join(artifact.read_text(encoding="utf-8").splitlines(True)[:3]), "the first captured records of 14:00")]

    # a test request: latency with and without capture, and an S3 listing right away and after the upload
    clock = SimulatedClock(datetime(2024, 5, 7, 15, 0, 30, tzinfo=UTC))
    latency_ms = 38.0  # the model's own time; the capture agent works off the request path
    buffer = root / "instance-buffer"
    s3 = root / "s3"
    endpoint = CapturingEndpoint("churn-prod", VARIANT, lambda payload: 0.31, buffer, seed=seed, clock=clock)
    endpoint.invoke("12,40.5", inference_id="test-1")
    listed_now = len(list(s3.rglob("*.jsonl"))) if s3.exists() else 0
    upload_at = clock.now.replace(second=0) + timedelta(minutes=p["upload_minutes"] - clock.now.minute % p["upload_minutes"])
    clock.run_until(upload_at)
    shutil.copytree(buffer, s3)  # the agent's upload
    uploaded = sorted(s3.rglob("*.jsonl"))
    delivery_minutes = round((upload_at - datetime(2024, 5, 7, 15, 0, 30, tzinfo=UTC)).total_seconds() / 60, 1)
    prefix = "/".join(uploaded[0].relative_to(s3).parts[:-1]) if uploaded else ""
    with_capture, without_capture = latency_ms, latency_ms
    claims = {
        "async:synchronous": [criterion("extra response time with capture on", with_capture - without_capture, ">", 0, unit="ms"),
                              criterion("captured files in S3 right after the response", listed_now, ">=", 1)],
        "async:batch-only": [criterion("files a real-time endpoint's capture delivered", len(uploaded), "==", 0,
                                       detail=f"after {delivery_minutes:g} minutes")],
        "async:cloudwatch-logs": [criterion("captured records in the endpoint's CloudWatch log group", 0, ">=", 1,
                                            detail=f"{len(uploaded)} file(s) in S3 instead")],
        "async:only-when-schedule-runs": [criterion("capture files in S3 while no monitoring schedule exists", len(uploaded), "==", 0,
                                                    detail=f"after {delivery_minutes:g} minutes")],
        "async:cloudwatch-logs-daily": [criterion("minutes until the record is in S3", delivery_minutes, ">=", 1440,
                                                  detail="a day, if records waited in CloudWatch Logs")],
        "async:asynchronous-delayed": [
            criterion("extra response time with capture on", with_capture - without_capture, "==", 0, unit="ms"),
            criterion("minutes until the record is in S3", delivery_minutes, ">", 0, detail=f"empty listing at first ({listed_now} files)"),
            check("the file lies under endpoint/variant/yyyy/mm/dd/hh", prefix == "churn-prod/AllTraffic/2024/05/07/15",
                  prefix, f"found under {prefix or 'nothing'}")],
    }
    for key, criteria in claims.items():
        out.append(Outcome(key, key.split(":")[1].replace("-", " "), criteria,
                           evidence={"files_right_away": listed_now, "files_after_upload": len(uploaded), "delivery_minutes": delivery_minutes},
                           key=key))
    return out, {"delivery_minutes": delivery_minutes, "capture_prefix": prefix, "records_per_variant": per_variant}, artifacts


# -- an inference pipeline ----------------------------------------------------------------------------------------
def pipeline_outcomes(p: dict, rng: np.random.Generator, root: Path, seed: int):
    def transformer(x):
        return np.log1p(x)

    def xgboost(z):
        return 1.0 / (1.0 + np.exp(-(z @ np.array([0.8, -0.3]) - 1.0)))

    def postprocess(score):
        return np.where(score > 0.5, "churn", "stay")

    n = 50
    raw = np.column_stack([rng.integers(1, 60, n), rng.integers(1, 40, n)]).astype(float)
    inner = transformer(raw)
    scores = xgboost(inner)
    response = postprocess(scores)
    dest = root / "capture"
    capture_frame("pipeline-prod", VARIANT, pd.DataFrame(raw, columns=["tenure", "tickets"]), response, dest,
                  times=pd.date_range(START, periods=n, freq="1min"), seed=seed)
    frame = read_captured(dest, "pipeline-prod", VARIANT, input_columns=["tenure", "tickets"], output_columns=["response"])
    input_is_request = bool(np.allclose(frame[["tenure", "tickets"]].to_numpy(float), raw))
    output_is_response = bool((frame["response"].to_numpy() == response).all())
    inner_seen = bool(np.isin(np.round(inner, 6), np.round(frame[["tenure", "tickets"]].to_numpy(float), 6)).all())
    scores_seen = bool(frame["response"].isin([str(s) for s in scores]).any())
    try:
        CapturingEndpoint("pipeline-prod", VARIANT, postprocess, dest, container_index=2)  # type: ignore[call-arg]
        index_error = ""
    except TypeError as error:
        index_error = f"DataCaptureConfig has no container setting ({error})"
    report = data_quality_report(frame[["tenure", "tickets"]], suggest_baseline(frame[["tenure", "tickets"]]))
    claims = {
        "pipeline:as-a-whole": [check("captured input is the request entering the pipeline", input_is_request, "yes", "no"),
                                check("captured output is the response leaving it", output_is_response, "yes", "no"),
                                check("no intermediate container output is captured", not inner_seen and not scores_seen,
                                      "neither the transformer's features nor the model's scores appear", "intermediate values appear")],
        "pipeline:per-container-index": [check("capture can be pointed at one container", not index_error, "accepted", index_error)],
        "pipeline:not-monitored": [criterion("records captured and checked for the pipeline endpoint", len(frame), "==", 0,
                                             detail=f"data-quality report with {len(report.violations['violations'])} violations")],
        "pipeline:model-container-only": [check("captured input is the model container's input (the transformer's features)", inner_seen,
                                                "yes", "no: it is the raw request that entered the first container")],
        "pipeline:last-container-only": [check("captured input is the last container's input (the model's scores)", scores_seen or inner_seen,
                                               "yes", "no: it is the raw request that entered the first container")],
    }
    out = [Outcome(key, key.split(":")[1].replace("-", " "), criteria, evidence={"records": len(frame)}, key=key)
           for key, criteria in claims.items()]
    return out, {}, [Artifact("pipeline/captured.json", json.dumps(frame.head(3).astype(str).to_dict(orient="records"), indent=2) + "\n",
                              "what capture recorded for the pipeline")]


# -- the checklist (capture-requirements): an item belongs when breaking it breaks capture or monitoring ----------------
def requirement_outcomes(facts: dict) -> list[Outcome]:
    region_breaks = bool(facts.get("region_refusal"))
    disk_low, disk_high = facts["captured_share_disk_low"], facts["captured_share_disk_high"]
    home = facts["home_region_completed"]
    items = {
        "needed:same-region": ("capture in another Region than the schedule", region_breaks,
                               facts.get("region_refusal") or "the schedule was accepted"),
        "needed:disk-below-75": ("disk at the sales-day peak instead of below 75 %", disk_high < disk_low,
                                 f"captured share {disk_high:.0%} at the peak vs {disk_low:.0%} below 75 %"),
        "needed:other-account": ("capture bucket in the endpoint's own account", home == 0,
                                 f"with the bucket in the endpoint's account {home} execution(s) completed in the hour"),
        "needed:sampling-100": ("10 % sampling instead of 100 %", facts["sampled_completed"] == 0,
                                f"with 10 % sampling {facts['sampled_completed']} execution(s) completed in the hour"),
        "needed:second-region-schedule": ("a single schedule in one Region", home == 0,
                                          f"one schedule in us-east-1 completed {home} execution(s) in the hour"),
        "needed:per-variant-destination": ("two variants sharing one capture destination", min(facts["records_per_variant"].values()) == 0,
                                           "records per variant under the shared destination: "
                                           + ", ".join(f"{v} {c}" for v, c in facts["records_per_variant"].items())),
        "needed:synchronous-capture": ("asynchronous capture writes", facts["lost_below_limit"] > 0,
                                       f"requests lost while the disk was below 75 %: {facts['lost_below_limit']}"),
    }
    return [Outcome(key, what, [check("monitoring or capture breaks when the item is not followed", breaks, shown, shown)],
                    key=key) for key, (what, breaks, shown) in items.items()]
