"""CloudWatch alarms and SNS: which metric, condition and action turn a problem into an email (or a stop).

Everything goes through the engine's ``CloudWatch`` (PutMetricData, alarms evaluated every minute
of simulated time, state changes, actions on transitions only) and SNS ``Topic`` (confirmed email
subscriptions deliver to an outbox; a Lambda subscription receives the message).

Two worlds:

- **Drift.** An hourly data-quality schedule publishes ``feature_baseline_drift_income`` (the engine's
  distance for ``income``) after every run for ``hours`` hours; from ``drift_hour`` the incomes of the
  traffic are ``drift_size`` x higher. The team wants an email when the drift exceeds 0.1. Options:
  a CloudWatch alarm on the metric with an SNS action; an EventBridge rule on the endpoint's
  ``InService`` event (the state-change events of the endpoint are generated and matched); an email
  address in ``DataCaptureConfig`` (the engine's capture configuration is tried with it); a
  pre-processing script that emails every record with a high income.
- **Training.** Three training runs publish ``train_loss``, ``val_loss`` (and the gap) once per epoch:
  one that overfits from epoch ``overfit_epoch`` (validation loss turns up while training loss keeps
  falling), a healthy one and an underfitting one (both losses level off high). Each alarm
  condition of the overfitting questions is evaluated on all three runs; the team's rule is "the
  gap is above 0.3". A Lambda subscribed to the alarm's topic can stop the job.
- **Datapoints** (``simulations/alarm_datapoints.py``). The computation questions: each question's
  datapoints (M of N, TreatMissingData, periods, a log metric filter) become a metric series and
  each option's alarm configuration is evaluated on it minute by minute through the same engine.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from simulations.alarm_datapoints import (detection_outcomes, heartbeat_outcomes, ignore_state_outcomes, log_filter_outcomes,
                                         sliding_window_outcomes, sparse_errors_outcomes, which_configs_outcomes)
from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.capture import CapturingEndpoint
from simulations.monitoring.checks import data_quality_report
from simulations.monitoring.cloudwatch import ALARM, CloudWatch
from simulations.monitoring.sns import Outbox, Topic
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

DRIFT_THRESHOLD = 0.1
GAP_THRESHOLD = 0.3
EPOCH = timedelta(minutes=1)
DATA_NS, TRAIN_NS = "aws/sagemaker/Endpoints/data-metrics", "Team/Training"
TEAM = ("ana@example.com", "ben@example.com", "chen@example.com")
PROMPT_EPOCHS = 3

INFO = SimulationInfo(
    name="cloudwatch-alarms",
    title="CloudWatch alarms: the metric, the condition and the action",
    summary="Drift metrics and training losses go into CloudWatch; only an alarm on the right metric with an SNS "
            "action emails the team at the right time (and a Lambda on the topic can stop the job).",
    questions=(
        QuestionLink('drift-alarm-to-sns', {'A': 'drift:alarm-on-metric-to-sns', 'B': 'drift:eventbridge-inservice', 'C': 'drift:schedule-emails-violations', 'D': 'drift:log-metric-filter'}),
        QuestionLink('alarm-m-of-n-sliding-window', {'A': 'm-of-n:minute-6', 'B': 'm-of-n:minute-7', 'C': 'm-of-n:minute-4', 'D': 'm-of-n:stays-ok'}),
        QuestionLink('alarm-which-configs-fire', {'A': 'configs:t5-n3-m3', 'B': 'configs:t5-n6-m5', 'C': 'configs:t5-n4-m3',
                                                  'D': 'configs:t7-n2-m2', 'E': 'configs:t5-n2-m2'}),
        QuestionLink('alarm-missing-heartbeat-breaching', {'A': 'heartbeat:breaching', 'B': 'heartbeat:not-breaching',
                                                           'C': 'heartbeat:ignore', 'D': 'heartbeat:one-datapoint'}),
        QuestionLink('alarm-sparse-errors-notbreaching', {'A': 'sparse:breaching', 'B': 'sparse:ignore', 'C': 'sparse:not-breaching',
                                                          'D': 'sparse:missing-12-periods'}),
        QuestionLink('alarm-ignore-keeps-state', {'A': 'ignore-state:missing', 'B': 'ignore-state:breaching',
                                                  'C': 'ignore-state:not-breaching', 'D': 'ignore-state:ignore'}),
        QuestionLink('alarm-detection-time-config', {'A': 'detection:60s-2-of-3', 'B': 'detection:60s-1-of-1',
                                                     'C': 'detection:300s-1-of-1', 'D': 'detection:60s-5-of-5'}),
        QuestionLink('mon-log-metric-filter-alarm', {'A': 'logs:metric-filter-alarm', 'B': 'logs:gpu-memory-alarm',
                                                     'C': 'logs:scheduled-insights-lambda', 'D': 'logs:5xx-alarm'}),
    ),
    params=(
        ParamSpec("hours", int, 24, "hourly data-quality runs followed", min=6, max=72),
        ParamSpec("drift_hour", int, 12, "first hour whose traffic has higher incomes", min=1, max=71),
        ParamSpec("drift_size", float, 0.4, "relative income increase from drift_hour (0 = no drift)", min=0.0, max=2.0),
        ParamSpec("epochs", int, 40, "epochs per training run (one per simulated minute)", min=15, max=200),
        ParamSpec("overfit_epoch", int, 15, "epoch after which the overfitting run's validation loss rises (>= epochs: it never overfits)", min=5, max=400),
        ParamSpec("rise", float, 0.03, "how fast the validation loss rises per epoch once overfitting starts", min=0.005, max=0.2),
        ParamSpec("max_runtime_epochs", int, 25, "option C of stop-training: MaxRuntimeInSeconds expressed in epochs", min=2, max=400),
    ),
    facts=("F15", "F16", "F17", "F18", "F20"),
    presets=(
        Preset("nothing-wrong", {"drift_size": 0.0, "overfit_epoch": 400},
               "incomes never move and the first run never overfits", control=True,
               premise="no drift and no overfitting"),
        Preset("late-overfit", {"overfit_epoch": 30, "epochs": 50}, "overfitting starts at epoch 30 of 50"),
    ),
)

START = datetime(2025, 2, 3, tzinfo=UTC)
HOUR = timedelta(hours=1)


def confirmed_topic(name: str, outbox: Outbox, at: datetime) -> Topic:
    topic = Topic(name, outbox=outbox)
    for address in TEAM:
        topic.confirm_subscription(topic.subscribe("email", address, timestamp=at).token)
    return topic


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    if progress:
        progress(0, 3, "hourly drift metrics")
    drift = drift_world(p, rng)
    if progress:
        progress(1, 3, "training runs and loss alarms")
    runs = training_runs(p, rng)
    outcomes = drift_outcomes(p, drift) + gap_outcomes(p, runs) + signal_outcomes(p, runs) + stop_outcomes(p, runs)
    outcomes += eventbridge_outcomes(p, runs)
    puzzle_rng = np.random.default_rng([seed, 1])  # the computation questions' worlds; the others stay as they were
    outcomes += sliding_window_outcomes(puzzle_rng) + which_configs_outcomes() + heartbeat_outcomes(puzzle_rng)
    outcomes += sparse_errors_outcomes(puzzle_rng) + ignore_state_outcomes(puzzle_rng) + detection_outcomes(puzzle_rng)
    outcomes += log_filter_outcomes(puzzle_rng)
    if progress:
        progress(2, 3, "narrative")
    first = drift["first_drift_hour"]
    over = runs["overfit"]
    drift_text = (f"From hour {first} the drift distance of income is above {DRIFT_THRESHOLD} "
                  f"(largest {max(drift['distances']):.2f}); " if first is not None else
                  f"The drift distance of income never exceeds {DRIFT_THRESHOLD} (largest {max(drift['distances']):.3f}): "
                  "there is nothing to alert about; ")
    gap_text = (f"In the first training run the gap between validation and training loss passes {GAP_THRESHOLD} at epoch "
                f"{over['gap_epoch']} (validation loss lowest at epoch {over['best_epoch']})."
                if over["gap_epoch"] is not None else
                f"No training run overfits: the largest gap between validation and training loss is {over['gap'].max():.2f}, "
                f"below {GAP_THRESHOLD}.")
    narrative = (drift_text + f"the alarm on feature_baseline_drift_income sends {drift['alarm_emails']} email(s) "
                 f"to each of {len(TEAM)} members. " + gap_text)
    e = np.arange(p["epochs"])
    series = [Series("income drift distance", list(range(p["hours"])), [round(d, 4) for d in drift["distances"]], "line",
                     "hour", "distance", "feature_baseline_drift_income"),
              Series("threshold", list(range(p["hours"])), [DRIFT_THRESHOLD] * p["hours"], "line", "hour", "distance",
                     "feature_baseline_drift_income")]
    for name, r in runs.items():
        series.append(Series(f"{name}: train_loss", e.tolist(), np.round(r["train"], 4).tolist(), "line", "epoch", "loss", "Training runs"))
        series.append(Series(f"{name}: val_loss", e.tolist(), np.round(r["val"], 4).tolist(), "line", "epoch", "loss", "Training runs"))
    timeline = [Event(iso_z(t), "email", s) for t, s in drift["email_log"][:10]]
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative, series=series,
        tables={"drift_runs": pd.DataFrame({"hour": range(p["hours"]), "income_distance": np.round(drift["distances"], 4)})},
        timeline=timeline,
        artifacts=[Artifact("alarm/notification.json", drift["notification"], "the first ALARM message SNS delivered")],
        outcomes=outcomes,
        key_numbers={"first_drift_hour": first if first is not None else -1, "alarm_emails": drift["alarm_emails"],
                     "gap_epoch": over["gap_epoch"] if over["gap_epoch"] is not None else -1},
        question_id=INFO.question_ids[0],
    )


# -- drift ---------------------------------------------------------------------------------------------
def traffic(n: int, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    return pd.DataFrame({"age": rng.integers(18, 80, n), "income": np.round(np.exp(rng.normal(10.8, 0.35, n)) * scale, 2)})


def drift_world(p: dict, rng: np.random.Generator) -> dict:
    baseline = suggest_baseline(traffic(2000, rng, 1.0))
    hours = p["hours"]
    scales = np.where(np.arange(hours) >= p["drift_hour"], 1.0 + p["drift_size"], 1.0)
    batches = [traffic(300, rng, s) for s in scales]
    distances = [data_quality_report(b, baseline).distances["income"] for b in batches]
    high_income = [int((b["income"] > 100_000).sum()) for b in batches]
    drifted = [h for h, d in enumerate(distances) if d > DRIFT_THRESHOLD]
    run_times = [START + (h + 1) * HOUR for h in range(hours)]  # each run analyses the hour before it

    outbox = Outbox()
    topic = confirmed_topic("drift-alerts", outbox, START)
    cloudwatch = CloudWatch()
    dims = {"Endpoint": "loan-prod", "MonitoringSchedule": "loan-dq"}
    cloudwatch.metrics.put_metric_values(DATA_NS, "feature_baseline_drift_income", distances,
                                         [t + timedelta(minutes=5) for t in run_times], dims)
    cloudwatch.put_metric_alarm("income-drift", namespace=DATA_NS, metric_name="feature_baseline_drift_income", dimensions=dims,
                                statistic="Maximum", period=3600, evaluation_periods=1, threshold=DRIFT_THRESHOLD,
                                comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching",
                                alarm_actions=[topic])
    for h in range(hours):
        cloudwatch.evaluate_alarms(run_times[h] + HOUR)
    alarm_mails = [(e.timestamp, e.subject) for e in outbox.notifications(TEAM[0])]

    # B: the endpoint's state-change events, matched by the rule's pattern
    events = [{"source": "aws.sagemaker", "detail-type": "SageMaker Endpoint State Change", "time": START,
               "detail": {"EndpointStatus": "IN_SERVICE"}}]
    rule = {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Endpoint State Change"], "detail": {"EndpointStatus": ["IN_SERVICE"]}}
    rule_mails = [(ev["time"], "endpoint InService") for ev in events if matches(rule, ev)]

    # C: DataCaptureConfig with an email address
    try:
        CapturingEndpoint("loan-prod", "AllTraffic", lambda x: 0, "/nonexistent", email="team@example.com")  # type: ignore[call-arg]
        config_error = ""
    except TypeError as error:
        config_error = f"DataCaptureConfig has no email setting ({error})"

    # C2: recipients on the monitoring schedule itself
    from simulations.monitoring.schedule import MonitoringSchedule
    try:
        MonitoringSchedule("loan-dq", "loan-prod", "cron(0 * ? * * *)", lambda a, b: {"violations": []},
                           notification_emails=["team@example.com"])  # type: ignore[call-arg]
        schedule_error = ""
    except TypeError as error:
        schedule_error = f"a monitoring schedule has no recipients setting ({error})"

    # D2: a metric filter on the endpoint's invocation logs counts lines that mention income (every request does)
    logs = CloudWatch()
    logs.metrics.put_metric_values("Custom/EndpointLogs", "income_mentions", [len(b) for b in batches],
                                   [START + h * HOUR + timedelta(minutes=30) for h in range(hours)], {"Endpoint": "loan-prod"}, "Count")
    log_outbox = Outbox()
    log_topic = confirmed_topic("log-alerts", log_outbox, START)
    logs.put_metric_alarm("income-log-filter", namespace="Custom/EndpointLogs", metric_name="income_mentions", dimensions={"Endpoint": "loan-prod"},
                          statistic="Sum", period=3600, evaluation_periods=1, threshold=DRIFT_THRESHOLD,
                          comparison_operator="GreaterThanThreshold", alarm_actions=[log_topic])
    for h in range(hours):
        logs.evaluate_alarms(START + (h + 1) * HOUR)
    log_mails = [(e.timestamp, e.subject) for e in log_outbox.notifications(TEAM[0])]

    # D: one email per record with a high income, every hour
    record_mails = [(START + h * HOUR, f"{c} records") for h, c in enumerate(high_income) for _ in range(min(c, 1))]

    starts = [h for h in drifted if h - 1 not in drifted]  # each episode of consecutive drifted runs

    def judge(mails):
        hours_mailed = {int((t - START) // HOUR) for t, _ in mails}
        # the run analysing hour h publishes at h+1:05; its email is due by h+2 at the latest
        missed = [h for h in starts if not any(h + 1 <= hm <= h + 2 for hm in hours_mailed)]
        false = sorted(hm for hm in hours_mailed if not any(h + 1 <= hm <= h + 2 for h in drifted))
        return missed, false

    notification = outbox.notifications(TEAM[0])[0].body if alarm_mails else json.dumps({"note": "no alarm fired"})
    return {"distances": distances, "drifted": drifted, "episodes": starts, "first_drift_hour": drifted[0] if drifted else None,
            "alarm": judge(alarm_mails), "rule": judge(rule_mails), "records": judge(record_mails), "logs": judge(log_mails),
            "schedule_error": schedule_error, "log_emails": len(log_mails),
            "record_emails": int(sum(high_income)), "rule_emails": len(rule_mails), "alarm_emails": len(alarm_mails),
            "config_error": config_error, "email_log": alarm_mails, "notification": notification,
            "confirmed": sum(s["SubscriptionArn"] != "PendingConfirmation" for s in topic.list_subscriptions())}


def matches(pattern: dict, event: dict) -> bool:
    """EventBridge-style matching: every pattern key must be in the event, with one of the listed values."""
    for key, wanted in pattern.items():
        if key not in event:
            return False
        if isinstance(wanted, dict):
            if not isinstance(event[key], dict) or not matches(wanted, event[key]):
                return False
        elif event[key] not in wanted:
            return False
    return True


def drift_outcomes(p: dict, d: dict) -> list[Outcome]:
    def criteria(missed, false, can_create=(True, "")):
        ok, why = can_create
        return [check("the setup can be created", ok, "created", why),
                criterion("drift episodes with no email within an hour of the run", len(missed), "==", 0,
                          detail=f"{len(d['episodes'])} episode(s), {len(d['drifted'])} runs above {DRIFT_THRESHOLD}"
                          + (f"; first missed: hour {missed[0]}" if missed else "")),
                criterion("hours with an email but no drift above the threshold", len(false), "==", 0,
                          detail=f"first at hour {false[0]}" if false else "none")]

    return [
        Outcome("drift:alarm-on-metric-to-sns", "alarm on the income drift metric > 0.1 with an SNS action",
                criteria(*d["alarm"]), finding=f"The alarm sent {d['alarm_emails']} email(s) to each of {d['confirmed']} confirmed addresses.",
                evidence={"emails": d["alarm_emails"]}, key="drift:alarm-on-metric-to-sns"),
        Outcome("drift:eventbridge-inservice", "EventBridge rule on the endpoint's InService event",
                criteria(*d["rule"]), finding=f"The rule matched {d['rule_emails']} event(s): the endpoint became InService once.",
                evidence={"emails": d["rule_emails"]}, key="drift:eventbridge-inservice"),
        Outcome("drift:email-in-capture-config", "an email address in DataCaptureConfig",
                criteria(d["episodes"], [], (not d["config_error"], d["config_error"])), evidence={"emails": 0},
                key="drift:email-in-capture-config"),
        Outcome("drift:schedule-emails-violations", "threshold in constraints.json and the team's address on the schedule",
                criteria(d["episodes"], [], (not d["schedule_error"], d["schedule_error"])), evidence={"emails": 0},
                key="drift:schedule-emails-violations"),
        Outcome("drift:log-metric-filter", "a metric filter for income on the invocation logs, with an alarm to SNS",
                criteria(*d["logs"]), finding=f"Every request mentions income, so the filter's alarm sent {d['log_emails']} email(s).",
                evidence={"emails": d["log_emails"]}, key="drift:log-metric-filter"),
        Outcome("drift:preprocessing-emails", "a pre-processing script that emails every high-income record",
                criteria(*d["records"]), finding=f"The script would send {d['record_emails']} emails over {p['hours']} hours.",
                evidence={"emails": d["record_emails"]}, key="drift:preprocessing-emails"),
    ]


# -- training runs ---------------------------------------------------------------------------------------
def training_runs(p: dict, rng: np.random.Generator) -> dict:
    e = np.arange(p["epochs"], dtype=float)
    onset = p["overfit_epoch"] + int(rng.integers(-2, 3))
    runs = {}
    train = 0.12 + 1.1 * np.exp(-e / 8.0)
    val = 0.22 + 1.0 * np.exp(-e / 8.0) + p["rise"] * np.maximum(0.0, e - onset) ** 1.2
    runs["overfit"] = (train, val)
    runs["healthy"] = (0.15 + 1.1 * np.exp(-e / 9.0), 0.21 + 1.05 * np.exp(-e / 9.0))
    runs["underfit"] = (0.62 + 0.6 * np.exp(-e / 5.0), 0.66 + 0.6 * np.exp(-e / 5.0))
    # healthy, but the validation loss wobbles by +-0.01 from epoch to epoch around a falling trend
    runs["wobbly"] = (0.15 + 1.1 * np.exp(-e / 9.0), 0.21 + 1.05 * np.exp(-e / 9.0) + 0.01 * (-1.0) ** e)
    out = {}
    for name, (tr, va) in runs.items():
        gap = va - tr
        over = np.flatnonzero(gap > GAP_THRESHOLD)
        out[name] = {"train": tr, "val": va, "gap": gap, "gpu": np.full(len(e), 93.0) - 2.0 * (e % 5 == 0),
                     "cpu": np.full(len(e), 96.0), "gap_epoch": int(over[0]) if len(over) else None,
                     "best_epoch": int(np.argmin(va)), "onset": onset}
    return out


def alarm_epochs(values: np.ndarray, metric: str, op: str, threshold: float, n: int = 1, topic=None) -> list[int]:
    """Publish one datapoint per epoch, evaluate the alarm after each epoch; the epochs at which it went to ALARM."""
    cloudwatch = CloudWatch()
    times = [START + k * EPOCH + timedelta(seconds=30) for k in range(len(values))]
    cloudwatch.metrics.put_metric_values(TRAIN_NS, metric, np.asarray(values, dtype=float), times, {"TrainingJob": "job"})
    alarm = cloudwatch.put_metric_alarm(metric, namespace=TRAIN_NS, metric_name=metric, dimensions={"TrainingJob": "job"},
                                        statistic="Maximum", period=60, evaluation_periods=n, threshold=threshold,
                                        comparison_operator=op, alarm_actions=[topic] if topic else [])
    for k in range(len(values)):
        cloudwatch.evaluate_alarms(START + (k + 1) * EPOCH)
    return [int((h.timestamp - START) // EPOCH) - 1 for h in alarm.history if h.new_state == ALARM]


def gap_outcomes(p: dict, runs: dict) -> list[Outcome]:
    setups = {
        "gap:train-loss-below-0.1": ("train_loss", lambda r: r["train"], "LessThanThreshold", 0.1),
        "gap:cpu-above-90": ("CPUUtilization", lambda r: r["cpu"], "GreaterThanThreshold", 90.0),
        "gap:gap-above-0.3": ("loss_gap", lambda r: r["gap"], "GreaterThanThreshold", GAP_THRESHOLD),
        "gap:sns-filter-only": (None, None, None, None),
        "gap:val-loss-above-0.3": ("val_loss", lambda r: r["val"], "GreaterThanThreshold", GAP_THRESHOLD),
        # alarms on either loss; a filter policy then passes the messages whose loss is above 0.3 (both start above it)
        "gap:both-losses-with-filter": ("max_loss", lambda r: np.maximum(r["train"], r["val"]), "GreaterThanThreshold", GAP_THRESHOLD),
    }
    over, healthy = runs["overfit"], runs["healthy"]
    out = []
    for key, (metric, values, op, threshold) in setups.items():
        if metric is None:  # no alarm publishes anything, so a filter on the topic has nothing to filter
            fired_over, fired_healthy = [], []
        else:
            fired_over = alarm_epochs(values(over), metric, op, threshold)
            fired_healthy = alarm_epochs(values(healthy), metric, op, threshold)
        out.append(Outcome(key, f"alarm on {metric} {op} {threshold}" if metric else "SNS subscription filter, no alarm",
                           overfit_criteria(over, fired_over, fired_healthy, runs["healthy"]), key=key,
                           evidence={"alarm_epochs_overfitting_run": fired_over, "alarm_epochs_healthy_run": fired_healthy}))
    return out


def overfit_criteria(over: dict, fired_over: list[int], fired_healthy: list[int], healthy: dict) -> list:
    target = over["gap_epoch"]
    first = fired_over[0] if fired_over else None
    if target is None:
        timely = criterion("alarms in a run that never crosses the agreed gap", len(fired_over), "==", 0,
                           detail=f"largest gap {over['gap'].max():.2f}")
    else:
        lag = (first - target) if first is not None else len(over["gap"])
        timely = criterion(f"epochs from the gap passing {GAP_THRESHOLD} (epoch {target}) to the email", lag, "<=", PROMPT_EPOCHS,
                           detail=f"alarm at epoch {first}" if first is not None else "no alarm")
        timely = timely if lag >= 0 else criterion(f"epochs the email comes before the gap passes {GAP_THRESHOLD}", -lag, "==", 0,
                                                   detail=f"alarm at epoch {first}, gap crossed at epoch {target}")
    return [timely, criterion("emails in the healthy run", len(fired_healthy), "==", 0,
                              detail=f"first at epoch {fired_healthy[0]}" if fired_healthy else f"largest gap there {healthy['gap'].max():.2f}")]


def signal_outcomes(p: dict, runs: dict) -> list[Outcome]:
    def series(key: str, r: dict) -> tuple[np.ndarray, str, float, int]:
        d_train, d_val = np.diff(r["train"], prepend=r["train"][0]), np.diff(r["val"], prepend=r["val"][0])
        if key == "signal:val-up-3-train-down":
            return ((d_val > 0) & (d_train < 0)).astype(float), "GreaterThanOrEqualToThreshold", 1.0, 3
        if key == "signal:both-fall-close":
            return ((d_val < 0) & (d_train < 0) & (r["gap"] < 0.1)).astype(float), "GreaterThanOrEqualToThreshold", 1.0, 3
        if key == "signal:gap-above-threshold":
            return r["gap"], "GreaterThanThreshold", GAP_THRESHOLD, 1
        if key == "signal:val-wobbles-trend-falls":
            return (d_val > 0).astype(float), "GreaterThanOrEqualToThreshold", 1.0, 1
        if key == "signal:both-plateau-high":
            return ((np.abs(d_val) < 0.002) & (np.abs(d_train) < 0.002) & (r["train"] > 0.5)).astype(float), "GreaterThanOrEqualToThreshold", 1.0, 3
        return r["gpu"], "LessThanThreshold", 50.0, 1

    out = []
    for key in ("signal:val-up-3-train-down", "signal:both-fall-close", "signal:gap-above-threshold",
                "signal:both-plateau-high", "signal:gpu-below-50", "signal:val-wobbles-trend-falls"):
        fired = {}
        for name, r in runs.items():
            values, op, threshold, n = series(key, r)
            fired[name] = alarm_epochs(values, key.split(":")[1], op, threshold, n)
        over = runs["overfit"]
        after = [e for e in fired["overfit"] if e > over["onset"]]
        if over["gap_epoch"] is None and over["onset"] >= len(over["val"]):
            first = criterion("alarms in the first run, which never overfits", len(fired["overfit"]), "==", 0)
        else:
            first = criterion(f"alarms in the overfitting run after validation loss turns up (epoch {over['onset']})", len(after), ">=", 1,
                              detail=f"at epoch {after[0]}" if after else "none")
        out.append(Outcome(key, key.split(":")[1].replace("-", " "), [
            first,
            criterion("alarms in the healthy run", len(fired["healthy"]), "==", 0),
            criterion("alarms in the underfitting run", len(fired["underfit"]), "==", 0),
            criterion("alarms in a healthy run whose validation loss wobbles", len(fired["wobbly"]), "==", 0),
        ], evidence={name: f for name, f in fired.items()}, key=key))
    return out


def stop_outcomes(p: dict, runs: dict) -> list[Outcome]:
    over, healthy = runs["overfit"], runs["healthy"]
    epochs = p["epochs"]
    outbox = Outbox()
    topic = confirmed_topic("overfit-alerts", outbox, START)
    stopped: list[int] = []
    invocations = [0]

    def stop_training_job(event: dict) -> None:  # the Lambda: StopTrainingJob for the job named in the alarm
        invocations[0] += 1
        message = json.loads(event["Records"][0]["Sns"]["Message"])
        if message["NewStateValue"] == ALARM:
            stopped.append(int((pd.Timestamp(message["StateChangeTime"]) - pd.Timestamp(START)) // EPOCH) - 1)

    topic.subscribe("lambda", stop_training_job)
    fired = alarm_epochs(over["gap"], "loss_gap", "GreaterThanThreshold", GAP_THRESHOLD, topic=topic)
    emails = len(outbox.notifications(TEAM[0]))
    alarm_at = fired[0] if fired else None
    status_events = [{"source": "aws.sagemaker", "detail-type": "SageMaker Training Job State Change",
                      "detail": {"TrainingJobStatus": s}} for s in ("InProgress", "Completed")]
    overfitting_rule = {"source": ["aws.sagemaker"], "detail": {"TrainingJobStatus": ["Overfitting"]}}
    rule_matches = sum(matches(overfitting_rule, ev) for ev in status_events)

    def result(stop_epoch: int | None, healthy_end: int, calls: int, note: str) -> list:
        end = stop_epoch if stop_epoch is not None else epochs - 1
        if alarm_at is None:
            late = criterion("epochs trained in a run that never overfits, short of the plan", epochs - 1 - end, "==", 0, detail=note)
        else:
            late = criterion("epochs trained after the alarm", end - alarm_at, "<=", 1, detail=f"alarm at epoch {alarm_at}; {note}")
        return [late,
                criterion("epochs cut from the healthy run", epochs - 1 - healthy_end, "==", 0),
                criterion("Lambda invocations per alarm", calls, "<=", 1)]

    first_stop = stopped[0] if stopped else None
    tuning_jobs = 0  # the job was started as one training job, not by a hyperparameter tuning job
    account_ec2_instances: list[str] = []  # the training job runs on instances SageMaker manages, not in the account's EC2
    cap = p["max_runtime_epochs"] - 1
    return [
        Outcome("stop:lambda-on-topic", "a Lambda subscribed to the alarm's topic calls StopTrainingJob",
                result(first_stop, epochs - 1, invocations[0], f"stopped at epoch {first_stop}" if first_stop is not None else "no alarm"),
                finding=f"The same ALARM message also emailed {emails} time(s) to each member.", key="stop:lambda-on-topic"),
        Outcome("stop:eventbridge-overfitting-status", "an EventBridge rule on a training status 'Overfitting'",
                result(None, epochs - 1, 0, f"{rule_matches} of {len(status_events)} status-change events match"),
                key="stop:eventbridge-overfitting-status"),
        Outcome("stop:lower-max-runtime", f"MaxRuntimeInSeconds of {p['max_runtime_epochs']} epochs",
                result(min(cap, epochs - 1), min(cap, epochs - 1), 0, "the job ends at the runtime limit"),
                key="stop:lower-max-runtime"),
        Outcome("stop:early-stopping-auto", "early_stopping_type='Auto' on the estimator",
                result(None, epochs - 1, 0, f"{tuning_jobs} tuning job(s): automatic early stopping acts on the training jobs of a tuning job, "
                       "and this is a single training job"), key="stop:early-stopping-auto"),
        Outcome("stop:ec2-stop-action", "the alarm's EC2 stop action on the training instance", [
            criterion("EC2 instances in the account that the stop action could stop", len(account_ec2_instances), ">=", 1,
                      detail="the training instance is managed by SageMaker")] + result(None, epochs - 1, 0, "no instance was stopped"),
                key="stop:ec2-stop-action"),
        Outcome("stop:polling-lambda", "a second Lambda every minute that reads the losses and stops the job",
                result(alarm_at, epochs - 1, (alarm_at + 1) if alarm_at is not None else epochs, "polls once per epoch-minute"),
                key="stop:polling-lambda"),
    ]


# -- what EventBridge sees of a training job --------------------------------------------------------------
def training_job_events(epochs: int) -> list[dict]:
    """The state-change events of one training job (the fields SageMaker puts in ``detail``)."""
    states = (("InProgress", "Starting", 0), ("InProgress", "Downloading", 0), ("InProgress", "Training", 1),
              ("InProgress", "Uploading", epochs), ("Completed", "Completed", epochs))
    return [{"source": "aws.sagemaker", "detail-type": "SageMaker Training Job State Change",
             "time": iso_z(START + minute * EPOCH),
             "detail": {"TrainingJobName": "churn-train", "TrainingJobStatus": status, "SecondaryStatus": secondary,
                        "AlgorithmSpecification": {"TrainingInputMode": "File"}, "ResourceConfig": {"InstanceType": "ml.g5.xlarge"}}}
            for status, secondary, minute in states]


def eventbridge_outcomes(p: dict, runs: dict) -> list[Outcome]:
    events = training_job_events(p["epochs"])
    outbox = Outbox()
    topic = confirmed_topic("training-events", outbox, START)
    completed_rule = {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Training Job State Change"],
                      "detail": {"TrainingJobStatus": ["Completed"]}}
    overfitting_rule = {"source": ["aws.sagemaker"], "detail": {"TrainingJobStatus": ["Overfitting"]}}
    matched = [ev for ev in events if matches(completed_rule, ev)]
    for ev in matched:  # the rule's target is the SNS topic
        topic.publish(json.dumps(ev), "training job completed")
    delivered = len(outbox.notifications())
    overfit_matches = sum(matches(overfitting_rule, ev) for ev in events)
    with_loss = sum("loss" in json.dumps(ev).lower() for ev in events)
    fired = alarm_epochs(runs["overfit"]["gap"], "loss_gap", "GreaterThanThreshold", GAP_THRESHOLD)
    status_minutes = [0, 0, 1, p["epochs"], p["epochs"]]  # when each state change happened (training_job_events)
    max_event_lag = max(int((pd.Timestamp(ev["time"]) - pd.Timestamp(START)) // pd.Timedelta(EPOCH)) - m for ev, m in zip(events, status_minutes))
    sent_by_eventbridge = sum(not e.topic_arn.startswith("arn:aws:sns:") for e in outbox.emails)  # every email names its SNS topic
    return [
        Outcome("events:cannot-target-sns", "EventBridge cannot deliver to SNS", [
            criterion("emails delivered through a rule whose target is an SNS topic", delivered, "==", 0,
                      detail=f"{len(matched)} event(s) matched, {len(TEAM)} confirmed addresses")], key="events:cannot-target-sns"),
        Outcome("events:endpoints-only", "EventBridge rules only work for endpoints", [
            criterion("training-job events a rule matches", len(matched), "==", 0, detail=f"of {len(events)} state-change events")],
            key="events:endpoints-only"),
        Outcome("events:no-loss-in-events", "service events carry no loss, so there is no overfitting event", [
            criterion("training-job events holding a loss value", with_loss, "==", 0, detail=f"of {len(events)}"),
            criterion("events an 'Overfitting' rule matches", overfit_matches, "==", 0),
            criterion("alarms on the loss gap in CloudWatch, where the losses are", len(fired), ">=", 1,
                      detail=f"at epoch {fired[0]}" if fired else "the run never overfits"),
        ], key="events:no-loss-in-events"),
        Outcome("events:hourly-check", "EventBridge checks training jobs once an hour", [
            criterion("minutes between a status change and its event", max_event_lag, ">=", 60,
                      detail=f"{len(events)} events, each stamped at its state change")], key="events:hourly-check"),
        Outcome("events:charged-per-email", "EventBridge charges per email", [
            criterion("emails EventBridge itself sends", sent_by_eventbridge, ">=", 1,
                      detail=f"the {delivered} email(s) came from the SNS topic")], key="events:charged-per-email"),
    ]
