"""Overfitting email alerts: PutMetricData from the training script -> alarm -> SNS -> email.

A custom PyTorch-style training job runs one epoch per simulated minute. Its training loss keeps
falling; its validation loss falls until ``overfit_epoch`` and rises from then on. Four ways to
tell the team are simulated on the same curves, each with its own CloudWatch metric store,
alarm and SNS topic from the engine (``simulations.monitoring.cloudwatch`` / ``sns``):

- B (correct): the training script itself calls PutMetricData every epoch (train loss,
  validation loss, the epoch-to-epoch change of the validation loss and the train/validation
  gap). An alarm "validation loss rose in N consecutive epochs" (N of N periods, one period per
  epoch) notifies an SNS topic; every confirmed team address gets one email, a pending one gets
  nothing. Optionally a Lambda subscribed to the topic stops the job (epochs saved).
- A: a Lambda polls the instance every ``poll_minutes`` and publishes what it finds: most
  epochs never reach CloudWatch, the per-epoch alarm never gathers N datapoints, and an alarm
  re-built on the poll period fires late.
- C / D: EventBridge sees only the job's state-change events (InProgress, Completed ...); none
  carries a per-epoch loss, so a rule "when the model overfits" matches nothing: 0 emails.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from simulations.monitoring.cloudwatch import ALARM, INSUFFICIENT_DATA, OK, CloudWatch
from simulations.monitoring.sns import Outbox, Topic
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParameterError, ParamSpec
from simulations.registry import SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult

INFO = SimulationInfo(
    name="overfitting-alerts",
    title="Overfitting alerts: PutMetricData, a CloudWatch alarm and SNS email",
    summary="Training curves that start to overfit; only metrics published by the training script reach an alarm that emails the team in time.",
    questions=("overfitting-email-alerts",),
    params=(
        ParamSpec("epochs", int, 40, "epochs the job is configured to train (one epoch per simulated minute)", min=10, max=200),
        ParamSpec("overfit_epoch", int, 15, "last epoch before the validation loss starts rising (true onset of overfitting)", min=3, max=180),
        ParamSpec("consecutive", int, 3, "alarm when the validation loss rose in this many consecutive epochs (N of N)", min=2, max=10),
        ParamSpec("team_size", int, 4, "team members who subscribe their email to the SNS topic", min=1, max=20),
        ParamSpec("unconfirmed", int, 1, "members who never click the confirmation link (stay PendingConfirmation)", min=0, max=20),
        ParamSpec("auto_stop", bool, True, "a Lambda subscribed to the topic stops the training job when the alarm fires"),
        ParamSpec("poll_minutes", int, 5, "option A: how often the polling Lambda reads metrics from the instance (minutes = epochs)", min=2, max=60),
        ParamSpec("noise", float, 0.001, "random noise on the validation loss (std); much noise can fool a rule on N rising epochs", min=0.0, max=0.002),
    ),
    facts=("F16", "F17", "F18"),
)

NAMESPACE = "Custom/PyTorchTraining"
JOB = "pytorch-recsys-2025-03-03-09-00"
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
EPOCH = timedelta(minutes=1)
METRICS = ("train_loss", "validation_loss", "validation_loss_change", "generalization_gap")
#: components someone has to build, secure and keep running, per option
MOVING_PARTS = {
    "A": ["metrics file on the instance", "EventBridge schedule", "polling Lambda", "IAM access to the instance", "CloudWatch alarm", "SNS topic"],
    "B": ["PutMetricData in the training script", "CloudWatch alarm", "SNS topic"],
    "C": ["EventBridge rule", "SNS topic"],
    "D": ["EventBridge rule", "Lambda calling SNS Publish", "SNS topic"],
}


def loss_curves(epochs: int, overfit_epoch: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation loss for epochs 1..epochs: validation falls until ``overfit_epoch``, then rises."""
    e = np.arange(1, epochs + 1, dtype=float)
    k = overfit_epoch
    tau = max(2.0, min(k / 3.0, 10.0))
    core = 0.9 * np.exp(-e / tau) + 0.004 * np.maximum(0.0, k - e)  # falls at least 0.004 per epoch until k
    after = np.maximum(0.0, e - k)
    val_k = 0.12 + 0.9 * np.exp(-k / tau)
    val = np.where(e > k, val_k + 0.006 * after + 0.0004 * after**2, 0.12 + core)
    val = val + noise * rng.standard_normal(epochs)
    train = np.maximum(0.01, 0.05 + 0.95 * core - 0.002 * after)
    return train, val


def _check(params: dict) -> None:
    if params["overfit_epoch"] + params["consecutive"] >= params["epochs"]:
        raise ParameterError(
            f"parameter 'overfit_epoch' must leave room for the alarm: overfit_epoch + consecutive "
            f"({params['overfit_epoch']} + {params['consecutive']}) must be below epochs ({params['epochs']})"
        )
    if params["unconfirmed"] >= params["team_size"]:
        raise ParameterError(
            f"parameter 'unconfirmed' must be below team_size ({params['team_size']}) so someone confirms, "
            f"got {params['unconfirmed']}"
        )


def _team(size: int) -> list[str]:
    names = ["ana", "bo", "chen", "dara", "eli", "farah", "gus", "hana", "ivan", "jun",
             "kim", "lea", "min", "nora", "omar", "pia", "quinn", "rosa", "sam", "tae"]  # fmt: skip
    return [f"{names[i]}@example.com" for i in range(size)]


def _subscribe(topic: Topic, team: list[str], unconfirmed: int) -> list[str]:
    """Everyone subscribes; all but the last ``unconfirmed`` confirm. Returns confirmed addresses."""
    confirmed = []
    for i, address in enumerate(team):
        sub = topic.subscribe("email", address, timestamp=START - timedelta(minutes=10))
        if i < len(team) - unconfirmed:
            topic.confirm_subscription(sub.token)
            confirmed.append(address)
    return confirmed


def _members(count: int, kind: str) -> str:
    return f"{count} {kind} member" + ("" if count == 1 else "s")


def _epoch_of(moment: datetime) -> int:
    """Epoch e runs during minute e (START + (e-1) min .. START + e min); returns e."""
    return int((moment - START) / EPOCH)


class _Job:
    """The training job: stops early when told to (StopTrainingJob from a Lambda).

    The object itself is the Lambda subscribed to the topic. It has a fixed name and repr because
    SNS derives the subscription id from the endpoint's text (a bound method's repr holds a memory
    address, which would make the subscription ARN differ from run to run).
    """

    __name__ = "stop-training-job"

    def __init__(self, epochs: int):
        self.epochs = epochs
        self.stop_requested_at: int | None = None

    def __repr__(self) -> str:
        return "lambda:stop-training-job"

    def __call__(self, event: dict) -> None:  # the SNS -> Lambda subscriber
        if self.stop_requested_at is None:
            moment = datetime.fromisoformat(event["Records"][0]["Sns"]["Timestamp"].replace("Z", "+00:00"))
            self.stop_requested_at = _epoch_of(moment)


def _alarm_settings(period: int, n: int, topic: Topic | None) -> dict:
    return dict(
        namespace=NAMESPACE,
        metric_name="validation_loss_change",
        dimensions={"TrainingJobName": JOB},
        statistic="Maximum",
        period=period,
        evaluation_periods=n,
        datapoints_to_alarm=n,
        threshold=0.0,
        comparison_operator="GreaterThanThreshold",
        treat_missing_data="missing",
        alarm_actions=[topic] if topic is not None else [],
        description=f"validation loss rose in {n} consecutive periods: the model is overfitting",
    )


def _first_alarm_epoch(cw: CloudWatch, name: str) -> int | None:
    for item in cw.alarms[name].history:
        if item.new_state == ALARM:
            return _epoch_of(item.timestamp)
    return None


def _run_script_metrics(train, val, params, progress) -> dict:
    """Option B: PutMetricData from the training loop, alarm per epoch, SNS email (+ auto-stop)."""
    n, epochs = params["consecutive"], params["epochs"]
    outbox = Outbox()
    topic = Topic("overfitting-alerts", outbox=outbox)
    team = _team(params["team_size"])
    confirmed = _subscribe(topic, team, params["unconfirmed"])
    job = _Job(epochs)
    if params["auto_stop"]:
        topic.subscribe("lambda", job)
    cw = CloudWatch()
    cw.put_metric_alarm("overfitting-validation-loss-rising", **_alarm_settings(60, n, topic))
    published, states = [], []
    last_epoch = epochs
    for e in range(1, epochs + 1):
        stamp = START + (e - 1) * EPOCH + timedelta(seconds=30)
        values = {
            "train_loss": train[e - 1],
            "validation_loss": val[e - 1],
            "validation_loss_change": 0.0 if e == 1 else val[e - 1] - val[e - 2],
            "generalization_gap": val[e - 1] - train[e - 1],
        }
        for metric, value in values.items():
            cw.put_metric_data(NAMESPACE, metric, float(value), stamp, {"TrainingJobName": JOB})
            published.append({"MetricName": metric, "Dimensions": [{"Name": "TrainingJobName", "Value": JOB}],
                              "Timestamp": iso_z(stamp), "Value": round(float(value), 6), "Unit": "None"})
        cw.evaluate_alarms(START + e * EPOCH)  # CloudWatch evaluates every minute
        states.append(cw.alarms["overfitting-validation-loss-rising"].state)
        if job.stop_requested_at is not None:
            last_epoch = e
            break
        if progress and e % max(1, epochs // 4) == 0:
            progress(1 + e * 2 // epochs, 6, f"B: epoch {e}/{epochs}")
    return {
        "cw": cw, "topic": topic, "outbox": outbox, "confirmed": confirmed, "team": team,
        "published": published, "states": states, "last_epoch": last_epoch,
        "alarm_epoch": _first_alarm_epoch(cw, "overfitting-validation-loss-rising"),
    }


def _run_lambda_polling(val, params, stop_epoch_b: int) -> dict:
    """Option A: a scheduled Lambda reads the latest epoch from the instance every ``poll_minutes``."""
    n, epochs, poll = params["consecutive"], params["epochs"], params["poll_minutes"]
    outbox = Outbox()
    topic = Topic("overfitting-alerts-polled", outbox=outbox)
    confirmed = _subscribe(topic, _team(params["team_size"]), params["unconfirmed"])
    job = _Job(epochs)
    if params["auto_stop"]:
        topic.subscribe("lambda", job)
    cw = CloudWatch()
    same = "per-epoch-alarm-as-in-B"
    adapted = "alarm-on-poll-period"
    cw.put_metric_alarm(same, **_alarm_settings(60, n, None))  # B's alarm, kept to show the gaps
    cw.put_metric_alarm(adapted, **_alarm_settings(poll * 60, n, topic))  # re-built on the poll period
    published, polls, states = [], [], []
    previous_val = None
    last_epoch = epochs
    for minute in range(1, epochs + 1):
        at = START + minute * EPOCH
        if minute % poll == 0:  # the Lambda runs; the last finished epoch is `minute`
            latest = val[minute - 1]
            change = 0.0 if previous_val is None else latest - previous_val
            previous_val = latest
            cw.put_metric_data(NAMESPACE, "validation_loss_change", float(change), at - timedelta(seconds=1),
                               {"TrainingJobName": JOB})
            published.append({"MetricName": "validation_loss_change", "Timestamp": iso_z(at - timedelta(seconds=1)),
                              "Value": round(float(change), 6), "epoch_read": minute})
            polls.append(minute)
        cw.evaluate_alarms(at)
        states.append(cw.alarms[adapted].state)
        if job.stop_requested_at is not None:
            last_epoch = minute
            break
    return {
        "cw": cw, "topic": topic, "outbox": outbox, "confirmed": confirmed, "published": published,
        "polls": polls, "last_epoch": last_epoch, "states": states,
        "alarm_epoch": _first_alarm_epoch(cw, adapted),
        "same_alarm_states": sorted({item.new_state for item in cw.alarms[same].history}),
        "same_alarm_fired": _first_alarm_epoch(cw, same) is not None,
        "same_alarm_epoch": _first_alarm_epoch(cw, same),
        "alarm_names": (same, adapted),
    }


def _training_job_events(last_epoch: int, stopped: bool, val_final: float) -> list[dict]:
    """What EventBridge receives from SageMaker for this job: state changes only."""
    def event(minute: float, status: str, secondary: str, extra: dict | None = None) -> dict:
        return {
            "version": "0",
            "source": "aws.sagemaker",
            "detail-type": "SageMaker Training Job State Change",
            "time": iso_z(START + timedelta(minutes=minute)),
            "detail": {"TrainingJobName": JOB, "TrainingJobStatus": status, "SecondaryStatus": secondary, **(extra or {})},
        }

    end = last_epoch
    final = {"FinalMetricDataList": [{"MetricName": "validation:loss", "Value": round(float(val_final), 6)}]}
    return [
        event(-3, "InProgress", "Starting"),
        event(-2, "InProgress", "Downloading"),
        event(0, "InProgress", "Training"),
        event(end + 0.5, "InProgress", "Uploading"),
        event(end + 1, "Stopped" if stopped else "Completed", "Stopped" if stopped else "Completed", final),
    ]


def _matches(pattern: dict, event: dict) -> bool:
    """EventBridge pattern matching (exact values and key presence), enough for these rules."""
    for key, expected in pattern.items():
        if key not in event:
            return False
        value = event[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict) or not _matches(expected, value):
                return False
        elif isinstance(expected, list):
            if value not in expected:
                return False
    return True


#: the rule the team would need: "validation loss rising" -- no SageMaker event has such a field
OVERFITTING_PATTERN = {
    "source": ["aws.sagemaker"],
    "detail-type": ["SageMaker Training Job State Change"],
    "detail": {"TrainingJobStatus": ["InProgress"], "ValidationLossTrend": ["rising"]},
}


def _run_eventbridge(params, val, events, via_lambda: bool, onset: int, end_epoch: int) -> dict:
    outbox = Outbox()
    topic = Topic("overfitting-alerts-eventbridge" + ("-lambda" if via_lambda else ""), outbox=outbox)
    confirmed = _subscribe(topic, _team(params["team_size"]), params["unconfirmed"])
    matched = [ev for ev in events if _matches(OVERFITTING_PATTERN, ev)]
    invocations = 0
    for ev in matched:  # never runs: nothing matches
        if via_lambda:
            invocations += 1
        topic.publish(json.dumps(ev), "Model is overfitting", timestamp=ev["time"])
    carrying_loss = sum(1 for ev in events if any("loss" in k.lower() for k in ev["detail"]))
    during = [ev for ev in events if onset < _epoch_of(datetime.fromisoformat(ev["time"].replace("Z", "+00:00"))) <= end_epoch]
    return {
        "outbox": outbox, "confirmed": confirmed, "matched": len(matched), "invocations": invocations,
        "events": len(events), "events_during_overfitting": len(during),
        "events_with_per_epoch_loss": carrying_loss,
        "emails": len(outbox.notifications()),
    }


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    _check(params)
    rng = np.random.default_rng(seed)
    epochs, k, n = params["epochs"], params["overfit_epoch"], params["consecutive"]
    if progress:
        progress(0, 6, "training curves")
    train, val = loss_curves(epochs, k, params["noise"], rng)
    epoch_axis = np.arange(1, epochs + 1)
    change = np.r_[0.0, np.diff(val)]

    b = _run_script_metrics(train, val, params, progress)
    if progress:
        progress(3, 6, "A: polling Lambda")
    a = _run_lambda_polling(val, params, b["last_epoch"])
    if progress:
        progress(4, 6, "C and D: EventBridge")
    events = _training_job_events(epochs, False, val[-1])
    c = _run_eventbridge(params, val, events, via_lambda=False, onset=k, end_epoch=epochs)
    d = _run_eventbridge(params, val, events, via_lambda=True, onset=k, end_epoch=epochs)

    confirmed = len(b["confirmed"])
    earliest = k + n  # the rule needs N rising epochs after the onset
    emails_b = len(b["outbox"].notifications())
    emails_a = len(a["outbox"].notifications())
    pending = params["unconfirmed"]
    pending_got = sum(len(b["outbox"].notifications(addr)) for addr in b["team"][confirmed:])

    def delay(alarm_epoch):
        return None if alarm_epoch is None else alarm_epoch - k

    def works(emails, alarm_epoch, missing):
        on_time = alarm_epoch is not None and 1 <= alarm_epoch - k <= n + 1
        return bool(emails > 0 and emails == confirmed and on_time and missing == 0)

    last_b = b["last_epoch"]
    saved_b = epochs - last_b if params["auto_stop"] else 0
    saved_a = epochs - a["last_epoch"] if params["auto_stop"] else 0
    missing_a = a["last_epoch"] - len(a["polls"])
    overfit_epochs_b = max(0, last_b - k)
    overfit_epochs_a = max(0, a["last_epoch"] - k)

    evidence_b = {
        "true_onset_epoch": k, "alarm_epoch": b["alarm_epoch"], "alarm_delay_epochs": delay(b["alarm_epoch"]),
        "earliest_possible_epoch": earliest, "datapoints_published": len(b["published"]),
        "epochs_missing_in_cloudwatch": 0, "emails_delivered": emails_b, "confirmed_members": confirmed,
        "pending_members": pending, "emails_to_pending": pending_got, "moving_parts": len(MOVING_PARTS["B"]),
        "stopped_at_epoch": last_b if params["auto_stop"] else None, "epochs_saved": saved_b,
    }
    evidence_a = {
        "true_onset_epoch": k, "alarm_epoch": a["alarm_epoch"], "alarm_delay_epochs": delay(a["alarm_epoch"]),
        "poll_minutes": params["poll_minutes"], "datapoints_published": len(a["published"]),
        "epochs_missing_in_cloudwatch": missing_a, "per_epoch_alarm_fired": a["same_alarm_fired"],
        "emails_delivered": emails_a, "confirmed_members": confirmed, "moving_parts": len(MOVING_PARTS["A"]),
        "epochs_saved": saved_a, "epochs_late_vs_b": None if a["alarm_epoch"] is None or b["alarm_epoch"] is None else a["alarm_epoch"] - b["alarm_epoch"],
    }
    evidence_c = {
        "events_received": c["events"], "events_with_per_epoch_loss": c["events_with_per_epoch_loss"],
        "events_during_overfitting": c["events_during_overfitting"], "rule_matches": c["matched"],
        "emails_delivered": c["emails"], "confirmed_members": confirmed, "moving_parts": len(MOVING_PARTS["C"]),
    }
    evidence_d = {
        "events_received": d["events"], "events_with_per_epoch_loss": d["events_with_per_epoch_loss"],
        "rule_matches": d["matched"], "lambda_invocations": d["invocations"],
        "emails_delivered": d["emails"], "confirmed_members": confirmed, "moving_parts": len(MOVING_PARTS["D"]),
    }
    a_when = f"epoch {a['alarm_epoch']} ({delay(a['alarm_epoch'])} epochs after the onset)" if a["alarm_epoch"] else "never during training"
    outcomes = [
        Outcome(
            "A", "Lambda collects metrics from the instance and publishes them to CloudWatch",
            f"The Lambda runs every {params['poll_minutes']} min, so {len(a['published'])} of the {a['last_epoch']} epochs run reach CloudWatch "
            f"({missing_a} missing). B's per-epoch alarm, fed one datapoint every {params['poll_minutes']} periods, "
            + (f"fires only at epoch {a['same_alarm_epoch']}; " if a["same_alarm_fired"] else
               f"never reaches ALARM (states seen: {', '.join(a['same_alarm_states']) or INSUFFICIENT_DATA}); ")
            +             f"re-built on the poll period it alarms at {a_when}, vs epoch {b['alarm_epoch']} for B; "
            f"{emails_a} emails; {len(MOVING_PARTS['A'])} moving parts vs {len(MOVING_PARTS['B'])}.",
            works(emails_a, a["alarm_epoch"], missing_a),
            "Polling adds a scheduler, a Lambda and access to the instance, and it samples: epochs between polls never "
            "reach CloudWatch, so the alert comes late (or not at all). The training script already has the numbers.",
            evidence_a,
        ),
        Outcome(
            "B", "Training script calls PutMetricData; CloudWatch alarm -> SNS topic -> email subscriptions",
            f"Every epoch's metrics reach CloudWatch ({len(b['published'])} datapoints). Validation loss rises from epoch {k + 1}; "
            f"the alarm ({n} of {n} periods) fires at epoch {b['alarm_epoch']} (earliest possible {earliest}) and "
            f"{emails_b} emails go to the {confirmed} confirmed members; {_members(pending, 'pending')} received {pending_got}."
            + (f" The Lambda on the topic stops the job at epoch {last_b}, saving {saved_b} epochs." if params["auto_stop"] else ""),
            works(emails_b, b["alarm_epoch"], 0),
            "The script knows the losses the moment an epoch ends; PutMetricData + an alarm on 'validation loss rising N "
            "epochs in a row' + SNS email is the shortest path, and actions run once, on the transition to ALARM.",
            evidence_b,
        ),
        Outcome(
            "C", "EventBridge rule -> SNS topic",
            f"EventBridge receives {c['events']} state-change events for the job (InProgress/Training ... Completed); "
            f"{c['events_with_per_epoch_loss']} carry a per-epoch loss, the 'overfitting' rule matches {c['matched']}, "
            f"so {c['emails']} emails are sent while the model overfits for {epochs - k} epochs.",
            works(c["emails"], None, 0),
            "EventBridge routes events that AWS services emit (job status changes); it cannot compute or watch a training "
            "metric, so there is no event for 'the model is overfitting'.",
            evidence_c,
        ),
        Outcome(
            "D", "EventBridge rule -> Lambda -> SNS Publish",
            f"Same {d['events']} state-change events, {d['matched']} matches, "
            f"{d['invocations']} Lambda invocations, {d['emails']} emails; one more moving part than C.",
            works(d["emails"], None, 0),
            "Adding a Lambda does not give EventBridge a loss to look at; the rule still never fires, and the design has "
            "more parts to build and secure.",
            evidence_d,
        ),
    ]

    # -- series ------------------------------------------------------------------------------
    ran = epoch_axis[:last_b].tolist()
    series = [
        Series("train loss", ran, np.round(train[:last_b], 5).tolist(), "line", "epoch", "loss", "Training curves (B's run)"),
        Series("validation loss", ran, np.round(val[:last_b], 5).tolist(), "line", "epoch", "loss", "Training curves (B's run)"),
    ]
    if last_b < epochs:
        series.append(Series("validation loss if not stopped", epoch_axis[last_b - 1:].tolist(),
                             np.round(val[last_b - 1:], 5).tolist(), "line", "epoch", "loss", "Training curves (B's run)"))
    series += [
        Series("validation_loss_change (published)", ran, np.round(change[:last_b], 5).tolist(), "line", "epoch",
               "change per epoch", "Metric the alarm watches: validation loss change"),
        Series("alarm threshold (0)", ran, [0.0] * len(ran), "line", "epoch", "change per epoch",
               "Metric the alarm watches: validation loss change"),
        Series("B: alarm in ALARM (1) / not (0)", ran, [int(s == ALARM) for s in b["states"]], "line", "epoch", "state",
               "Alarm state per epoch"),
        Series("A: polled alarm in ALARM (1) / not (0)", epoch_axis[: len(a["states"])].tolist(),
               [int(s == ALARM) for s in a["states"]], "line", "epoch", "state", "Alarm state per epoch"),
    ]
    emails_axis = epoch_axis.tolist()
    def cumulative(outbox: Outbox) -> list[int]:
        times = np.array([_epoch_of(e.timestamp) for e in outbox.notifications()], dtype=int)
        return [int(np.count_nonzero(times <= e)) for e in emails_axis]
    series += [
        Series("B emails", emails_axis, cumulative(b["outbox"]), "line", "epoch", "emails delivered", "Emails delivered (cumulative)"),
        Series("A emails", emails_axis, cumulative(a["outbox"]), "line", "epoch", "emails delivered", "Emails delivered (cumulative)"),
        Series("C emails", emails_axis, [0] * epochs, "line", "epoch", "emails delivered", "Emails delivered (cumulative)"),
        Series("D emails", emails_axis, [0] * epochs, "line", "epoch", "emails delivered", "Emails delivered (cumulative)"),
    ]

    # -- tables ------------------------------------------------------------------------------
    a_points = {p["epoch_read"] for p in a["published"]}
    per_epoch = pd.DataFrame({
        "epoch": epoch_axis,
        "train_loss": np.round(train, 5),
        "validation_loss": np.round(val, 5),
        "validation_loss_change": np.round(change, 5),
        "generalization_gap": np.round(val - train, 5),
        "b_alarm_state": b["states"] + ["(stopped)"] * (epochs - len(b["states"])),
        "a_datapoint": [e in a_points for e in epoch_axis],
    })
    options = pd.DataFrame({
        "option": ["A", "B", "C", "D"],
        "alarm_epoch": [a["alarm_epoch"], b["alarm_epoch"], None, None],
        "emails": [emails_a, emails_b, c["emails"], d["emails"]],
        "epochs_in_cloudwatch": [len(a["published"]), last_b, 0, 0],
        "moving_parts": [len(MOVING_PARTS[x]) for x in "ABCD"],
    })

    # -- timeline ----------------------------------------------------------------------------
    timeline = [
        Event("epoch 0", "info", f"{params['team_size']} members subscribe; {confirmed} confirm, {pending} stay PendingConfirmation"),
        Event(f"epoch {k}", "info", f"validation loss at its minimum ({val[k - 1]:.4f}); it rises from epoch {k + 1}"),
    ]
    for item in b["cw"].alarms["overfitting-validation-loss-rising"].history:
        timeline.append(Event(f"epoch {_epoch_of(item.timestamp)}", "alarm", f"B alarm {item.old_state} -> {item.new_state}"))
    if b["alarm_epoch"] is not None:
        timeline.append(Event(f"epoch {b['alarm_epoch']}", "email", f"{emails_b} emails: " + ", ".join(b["confirmed"])))
    if params["auto_stop"] and last_b < epochs:
        timeline.append(Event(f"epoch {last_b}", "info", f"Lambda calls StopTrainingJob; {saved_b} epochs not run"))
    if a["alarm_epoch"] is not None:
        timeline.append(Event(f"epoch {a['alarm_epoch']}", "alarm", f"A (polling) alarm fires, {emails_a} emails"))
    timeline.append(Event(f"epoch {epochs}", "info", f"C/D: {c['events']} state-change events in total, 0 rule matches"))

    timeline.sort(key=lambda ev: int(ev.time.split()[1]))  # stable: same-epoch events keep their order

    # -- artifacts ---------------------------------------------------------------------------
    b_name, (a_same, a_adapted) = "overfitting-validation-loss-rising", a["alarm_names"]
    artifacts = [
        Artifact("b-script-metrics/metric_datapoints.json",
                 json.dumps({"Namespace": NAMESPACE, "MetricData": b["published"]}, indent=2),
                 "PutMetricData calls made by the training script (option B)"),
        Artifact("b-script-metrics/alarm.json", json.dumps(b["cw"].describe_alarms([b_name]), indent=2), "the alarm definition (PutMetricAlarm)"),
        Artifact("b-script-metrics/alarm_history.json", json.dumps(b["cw"].describe_alarm_history(b_name), indent=2), "alarm state history"),
        Artifact("b-script-metrics/subscriptions.json", json.dumps(b["topic"].list_subscriptions(), indent=2), "SNS subscriptions (Confirmed or PendingConfirmation)"),
        Artifact("b-script-metrics/outbox.json", json.dumps(b["outbox"].to_list(), indent=2, ensure_ascii=False), "every email SNS sent (confirmation requests and alerts)"),
        Artifact("a-lambda-polling/metric_datapoints.json", json.dumps({"Namespace": NAMESPACE, "MetricData": a["published"]}, indent=2), "what the polling Lambda published"),
        Artifact("a-lambda-polling/alarm_history.json", json.dumps({n_: a["cw"].describe_alarm_history(n_) for n_ in (a_same, a_adapted)}, indent=2), "both alarms' state history"),
        Artifact("a-lambda-polling/outbox.json", json.dumps(a["outbox"].to_list(), indent=2, ensure_ascii=False), "emails from option A"),
        Artifact("c-d-eventbridge/events.json", json.dumps({"rule_pattern": OVERFITTING_PATTERN, "events": events}, indent=2), "SageMaker events EventBridge received and the rule"),
    ]

    key_numbers = {
        "true_onset_epoch": k,
        "b_alarm_epoch": b["alarm_epoch"],
        "b_emails": emails_b,
        "confirmed_members": confirmed,
        "pending_members": pending,
        "a_alarm_epoch": a["alarm_epoch"],
        "a_epochs_missing": missing_a,
        "c_emails": c["emails"],
        "d_emails": d["emails"],
        "epochs_saved_by_auto_stop": saved_b,
        "overfitting_epochs_trained_b": overfit_epochs_b,
        "overfitting_epochs_trained_a": overfit_epochs_a,
        "gap_at_onset": round(float(val[k - 1] - train[k - 1]), 4),
        "gap_at_alarm": None if b["alarm_epoch"] is None else round(float(val[b["alarm_epoch"] - 1] - train[b["alarm_epoch"] - 1]), 4),
    }
    narrative = (
        f"Training loss falls all the way; validation loss bottoms out at epoch {k} and rises from epoch {k + 1}. "
        f"Because the training script publishes its losses with PutMetricData every epoch, the alarm on 'validation "
        f"loss rose {n} epochs in a row' fires at epoch {b['alarm_epoch']} and SNS emails the {confirmed} confirmed "
        f"members; {_members(pending, 'unconfirmed')} received {pending_got}. "
        + (f"A Lambda on the same topic stops the job at epoch {last_b}, saving {saved_b} of {epochs} epochs. " if params["auto_stop"] else "")
        + f"A polling Lambda sees one epoch in {params['poll_minutes']} and alerts "
        + (f"{a['alarm_epoch'] - b['alarm_epoch']} epochs later; " if a["alarm_epoch"] and b["alarm_epoch"] else "not at all; ")
        + "EventBridge only sees job state changes, so rules C and D never fire."
    )
    if progress:
        progress(6, 6, "done")
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative, series=series,
        tables={"epochs": per_epoch, "options": options}, timeline=timeline, artifacts=artifacts, outcomes=outcomes,
        key_numbers=key_numbers, question_id=INFO.question_ids[0],
    )
