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
- C / D: EventBridge sees only the job's state-change events (Starting, Training ... Completed).
  The closest rule the team can write matches this job's state change that carries a validation
  loss: only the final event does, after training has ended. The events are matched by the
  engine's EventBridge pattern matcher (``monitoring.eventbridge``); D adds a Lambda that publishes.

Every option is judged by the same measured tests: alert emails sent while the model was not
overfitting (none allowed), and, when it does overfit, how many epochs after the onset the first
alert email arrives and how many confirmed members get it. With ``overfits`` false the validation
loss keeps falling to the end: the control world, where the right alert is none.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from simulations.monitoring.cloudwatch import ALARM, INSUFFICIENT_DATA, CloudWatch
from simulations.monitoring.eventbridge import matching
from simulations.monitoring.sns import Outbox, Topic
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParameterError, ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

KEYS = {"A": "lambda-polls-instance", "B": "script-putmetricdata-alarm-sns", "C": "eventbridge-rule-sns", "D": "eventbridge-rule-lambda-sns"}

INFO = SimulationInfo(
    name="overfitting-alerts",
    title="Overfitting alerts: PutMetricData, a CloudWatch alarm and SNS email",
    summary="Training curves that start to overfit; only metrics published by the training script reach an alarm that emails the team in time.",
    questions=(QuestionLink("overfitting-email-alerts", dict(KEYS)),),
    params=(
        ParamSpec("epochs", int, 40, "epochs the job is configured to train (one epoch per simulated minute)", min=10, max=200),
        ParamSpec("overfits", bool, True, "the validation loss turns upward after overfit_epoch (false: it keeps falling, a run that does not overfit)"),
        ParamSpec("overfit_epoch", int, 15, "last epoch before the validation loss starts rising (true onset of overfitting)", min=3, max=180),
        ParamSpec("consecutive", int, 3, "alarm when the validation loss rose in this many consecutive epochs (N of N)", min=2, max=10),
        ParamSpec("team_size", int, 4, "team members who subscribe their email to the SNS topic", min=1, max=20),
        ParamSpec("unconfirmed", int, 1, "members who never click the confirmation link (stay PendingConfirmation)", min=0, max=20),
        ParamSpec("auto_stop", bool, True, "a Lambda subscribed to the topic stops the training job when the alarm fires"),
        ParamSpec("poll_minutes", int, 5, "option A: how often the polling Lambda reads metrics from the instance (minutes = epochs)", min=1, max=60),
        ParamSpec("noise", float, 0.001, "random noise on the validation loss (std); much noise can fool a rule on N rising epochs", min=0.0, max=0.002),
    ),
    facts=("F16", "F17", "F18"),
    presets=(
        Preset("no-overfitting", {"overfits": False}, "the validation loss keeps falling to the last epoch",
               control=True, premise="no overfitting: there is nothing to alert about"),
        Preset("poll-every-minute", {"poll_minutes": 1}, "option A's Lambda reads the instance every minute, so no epoch is missed"),
        Preset("late-overfit", {"epochs": 60, "overfit_epoch": 45}, "overfitting starts near the end of a 60-epoch run"),
        Preset("no-auto-stop", {"auto_stop": False, "team_size": 8, "unconfirmed": 3},
               "no Lambda stops the job; 8 members subscribe, 3 never confirm"),
    ),
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


def loss_curves(epochs: int, overfit_epoch: int, noise: float, rng: np.random.Generator,
                overfits: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation loss for epochs 1..epochs: validation falls until ``overfit_epoch``, then
    rises; with ``overfits`` false it keeps falling (at least 0.004 per epoch) to the last epoch."""
    e = np.arange(1, epochs + 1, dtype=float)
    k = overfit_epoch if overfits else epochs
    tau = max(2.0, min(overfit_epoch / 3.0, 10.0))
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
    stamps = [START + (e - 1) * EPOCH + timedelta(seconds=30) for e in range(1, epochs + 1)]
    values = {
        "train_loss": train,
        "validation_loss": val,
        "validation_loss_change": np.r_[0.0, np.diff(val)],
        "generalization_gap": val - train,
    }
    dims = {"TrainingJobName": JOB}
    for e in range(1, epochs + 1):
        # the alarm's metric goes in as the epoch ends; CloudWatch evaluates every minute
        cw.put_metric_data(NAMESPACE, "validation_loss_change", float(values["validation_loss_change"][e - 1]), stamps[e - 1], dims)
        cw.evaluate_alarms(START + e * EPOCH)
        states.append(cw.alarms["overfitting-validation-loss-rising"].state)
        if job.stop_requested_at is not None:
            last_epoch = e
            break
        if progress and e % max(1, epochs // 4) == 0:
            progress(1 + e * 2 // epochs, 6, f"B: epoch {e}/{epochs}")
    # The script publishes the other three metrics in the same PutMetricData call each epoch. No alarm
    # reads them, so they are stored in one bulk call per metric with the same per-epoch timestamps:
    # the metric store ends up the same, at a quarter of the engine calls.
    for metric in ("train_loss", "validation_loss", "generalization_gap"):
        cw.metrics.put_metric_values(NAMESPACE, metric, values[metric][:last_epoch], stamps[:last_epoch], dims)
    for e in range(1, last_epoch + 1):
        for metric, series in values.items():
            published.append({"MetricName": metric, "Dimensions": [{"Name": "TrainingJobName", "Value": JOB}],
                              "Timestamp": iso_z(stamps[e - 1]), "Value": round(float(series[e - 1]), 6), "Unit": "None"})
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
    """What EventBridge receives from SageMaker for this job: state changes only; the final one
    carries the job's final metrics (FinalMetricDataList), as DescribeTrainingJob does."""
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


#: the closest rule the team can write for "the model overfits": a state change of this training
#: job that reports a validation loss. EventBridge cannot watch a metric, so this is all there is.
OVERFITTING_PATTERN = {
    "source": ["aws.sagemaker"],
    "detail-type": ["SageMaker Training Job State Change"],
    "detail": {"TrainingJobName": [JOB], "FinalMetricDataList": {"MetricName": ["validation:loss"]}},
}


class _PublishingLambda:
    """Option D's function: invoked by the rule, it calls SNS Publish with the event."""

    def __init__(self, topic: Topic):
        self.topic, self.invocations = topic, 0

    def __call__(self, event: dict) -> None:
        self.invocations += 1
        self.topic.publish(json.dumps(event), "Model is overfitting", timestamp=event["time"])


def _run_eventbridge(params, events, via_lambda: bool) -> dict:
    """C and D: the rule's matches go to the topic (C) or to a Lambda that publishes (D)."""
    outbox = Outbox()
    topic = Topic("overfitting-alerts-eventbridge" + ("-lambda" if via_lambda else ""), outbox=outbox)
    confirmed = _subscribe(topic, _team(params["team_size"]), params["unconfirmed"])
    matched = matching(OVERFITTING_PATTERN, events)
    target = _PublishingLambda(topic)
    for ev in matched:
        if via_lambda:
            target(ev)
        else:
            topic.publish(json.dumps(ev), "Model is overfitting", timestamp=ev["time"])
    return {
        "outbox": outbox, "confirmed": confirmed, "matched": len(matched), "invocations": target.invocations,
        "events": len(events), "match_times": [ev["time"] for ev in matched],
        "events_with_per_epoch_loss": sum(1 for ev in events if any("loss" in str(v).lower() for v in ev["detail"].values())
                                          and ev["detail"]["TrainingJobStatus"] == "InProgress"),
    }


def _longest_rise(val: np.ndarray) -> int:
    """The longest run of consecutive epochs in which the validation loss rose."""
    rises = np.r_[0, (np.diff(val) > 0).astype(int), 0]
    edges = np.flatnonzero(np.diff(rises))
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0


def _alerts(outbox: Outbox) -> list[tuple[int, str]]:
    """(epoch, address) of every alert email, in order."""
    return sorted((_epoch_of(e.timestamp), e.to) for e in outbox.notifications())


def judge(outbox: Outbox, overfits: bool, k: int, n: int, confirmed: int, pending: int, ran: int) -> list:
    """The same tests for every option, measured on the emails its design actually sent."""
    alerts = _alerts(outbox)
    if not overfits:
        first = f"first at epoch {alerts[0][0]}" if alerts else "no alarm, no rule match"
        return [criterion("alert emails in a run that does not overfit", len(alerts), "<=", 0, detail=first)]
    early = [t for t, _ in alerts if t <= k]
    late = [(t, to) for t, to in alerts if t > k]
    onset = f"the validation loss rises from epoch {k + 1}, {n} rising epochs confirm it"
    out = [criterion("alert emails before the model started to overfit", len(early), "<=", 0,
                     detail=f"first at epoch {early[0]}" if early else "none before epoch " + str(k + 1))]
    name = "epochs from the onset to the first alert email"
    if late:
        when = f"epoch {late[0][0]}" if late[0][0] <= ran else f"minute {late[0][0]}, after training ended at epoch {ran}"
        out.append(criterion(name, late[0][0] - k, "<=", n + 1, detail=f"first email at {when}; {onset}"))
    else:
        out.append(check(name, False, "", f"no alert email in the {ran - k} epochs of overfitting that ran ({onset})"))
    reached = len({to for _, to in late})
    out.append(criterion("confirmed members who got the alert", reached, ">=", confirmed,
                         detail=f"{confirmed} confirmed, {pending} pending"))
    return out


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    _check(params)
    rng = np.random.default_rng(seed)
    epochs, k, n, overfits = params["epochs"], params["overfit_epoch"], params["consecutive"], params["overfits"]
    if progress:
        progress(0, 6, "training curves")
    train, val = loss_curves(epochs, k, params["noise"], rng, overfits)
    epoch_axis = np.arange(1, epochs + 1)
    change = np.r_[0.0, np.diff(val)]

    b = _run_script_metrics(train, val, params, progress)
    if progress:
        progress(3, 6, "A: polling Lambda")
    a = _run_lambda_polling(val, params, b["last_epoch"])
    if progress:
        progress(4, 6, "C and D: EventBridge")
    events = _training_job_events(epochs, False, val[-1])
    c = _run_eventbridge(params, events, via_lambda=False)
    d = _run_eventbridge(params, events, via_lambda=True)

    confirmed = len(b["confirmed"])
    pending = params["unconfirmed"]
    emails = {x: len(r["outbox"].notifications()) for x, r in zip("ABCD", (a, b, c, d))}
    pending_got = sum(len(b["outbox"].notifications(addr)) for addr in b["team"][confirmed:])
    last_b, last_a = b["last_epoch"], a["last_epoch"]
    ran = {"A": last_a, "B": last_b, "C": epochs, "D": epochs}
    first_alert = {x: (_alerts(r["outbox"])[0][0] if r["outbox"].notifications() else None)
                   for x, r in zip("ABCD", (a, b, c, d))}
    saved_b = epochs - last_b if params["auto_stop"] else 0
    saved_a = epochs - last_a if params["auto_stop"] else 0
    missing_a = last_a - len(a["polls"])
    longest_rise = _longest_rise(val)
    onset = k if overfits else None

    criteria = {x: judge(r["outbox"], overfits, k, n, confirmed, pending, ran[x]) for x, r in zip("ABCD", (a, b, c, d))}

    def delay(epoch):
        return None if epoch is None or onset is None else epoch - onset

    common = {"true_onset_epoch": onset, "confirmed_members": confirmed}
    evidence = {
        "A": common | {"alarm_epoch": a["alarm_epoch"], "alarm_delay_epochs": delay(a["alarm_epoch"]),
                       "poll_minutes": params["poll_minutes"], "datapoints_published": len(a["published"]),
                       "epochs_missing_in_cloudwatch": missing_a, "per_epoch_alarm_fired": a["same_alarm_fired"],
                       "emails_delivered": emails["A"], "moving_parts": len(MOVING_PARTS["A"]), "epochs_saved": saved_a},
        "B": common | {"alarm_epoch": b["alarm_epoch"], "alarm_delay_epochs": delay(b["alarm_epoch"]),
                       "earliest_possible_epoch": k + n if overfits else None, "datapoints_published": len(b["published"]),
                       "epochs_missing_in_cloudwatch": last_b - len(b["published"]) // len(METRICS),
                       "emails_delivered": emails["B"], "pending_members": pending, "emails_to_pending": pending_got,
                       "moving_parts": len(MOVING_PARTS["B"]), "stopped_at_epoch": last_b if last_b < epochs else None,
                       "epochs_saved": saved_b},
        "C": common | {"events_received": c["events"], "events_with_per_epoch_loss": c["events_with_per_epoch_loss"],
                       "rule_matches": c["matched"], "first_alert_epoch": first_alert["C"], "emails_delivered": emails["C"],
                       "moving_parts": len(MOVING_PARTS["C"])},
        "D": common | {"events_received": d["events"], "events_with_per_epoch_loss": d["events_with_per_epoch_loss"],
                       "rule_matches": d["matched"], "lambda_invocations": d["invocations"], "first_alert_epoch": first_alert["D"],
                       "emails_delivered": emails["D"], "moving_parts": len(MOVING_PARTS["D"])},
    }

    def alarm_words(epoch, state_when_quiet: str) -> str:
        return f"fires at epoch {epoch}" if epoch is not None else f"never reaches ALARM (it ends {state_when_quiet})"

    rule_hit = (f"the job's final event ({events[-1]['detail']['TrainingJobStatus']}, minute {first_alert['C']}, after training ended)"
                if c["matched"] else "no event")
    findings = {
        "A": (f"The Lambda runs every {params['poll_minutes']} min, so {len(a['published'])} of the {last_a} epochs run reach CloudWatch "
              f"({missing_a} missing). B's per-epoch alarm fed these datapoints "
              + (f"fires at epoch {a['same_alarm_epoch']}" if a["same_alarm_fired"] else
                 f"never reaches ALARM (states seen: {', '.join(a['same_alarm_states']) or INSUFFICIENT_DATA})")
              + f"; the alarm re-built on the {params['poll_minutes']}-minute poll period {alarm_words(a['alarm_epoch'], a['states'][-1])}; "
              f"{emails['A']} alert emails. Parts to build and secure: {len(MOVING_PARTS['A'])}, against {len(MOVING_PARTS['B'])} for B."),
        "B": (f"Every epoch's metrics reach CloudWatch ({len(b['published'])} datapoints over {last_b} epochs); the alarm "
              f"({n} of {n} one-minute periods) {alarm_words(b['alarm_epoch'], b['states'][-1])}; {emails['B']} alert emails to "
              f"{confirmed} confirmed members, {pending_got} to the {pending} pending."
              + (f" The Lambda on the topic stops the job at epoch {last_b}, saving {saved_b} epochs." if saved_b else "")),
        "C": (f"EventBridge receives {c['events']} state-change events for the job; {c['events_with_per_epoch_loss']} of those sent "
              f"during training carry a loss. The closest rule (a state change of this job reporting validation:loss) matches "
              f"{rule_hit}: {emails['C']} alert emails."),
        "D": (f"The same {d['events']} events and {d['matched']} rule match; the Lambda runs {d['invocations']} time{'s' * (d['invocations'] != 1)} and publishes "
              f"{emails['D']} alert emails, with one more part to build than C."),
    }
    actions = {
        "A": "Lambda collects metrics from the instance and publishes them to CloudWatch",
        "B": "Training script calls PutMetricData; CloudWatch alarm -> SNS topic -> email subscriptions",
        "C": "EventBridge rule -> SNS topic",
        "D": "EventBridge rule -> Lambda -> SNS Publish",
    }
    outcomes = [Outcome(x, actions[x], criteria[x], evidence[x], findings[x], key=KEYS[x]) for x in "ABCD"]

    # -- series ------------------------------------------------------------------------------
    ran_b = epoch_axis[:last_b].tolist()
    series = [
        Series("train loss", ran_b, np.round(train[:last_b], 5).tolist(), "line", "epoch", "loss", "Training curves (B's run)"),
        Series("validation loss", ran_b, np.round(val[:last_b], 5).tolist(), "line", "epoch", "loss", "Training curves (B's run)"),
    ]
    if last_b < epochs:
        series.append(Series("validation loss if not stopped", epoch_axis[last_b - 1:].tolist(),
                             np.round(val[last_b - 1:], 5).tolist(), "line", "epoch", "loss", "Training curves (B's run)"))
    series += [
        Series("validation_loss_change (published)", ran_b, np.round(change[:last_b], 5).tolist(), "line", "epoch",
               "change per epoch", "Metric the alarm watches: validation loss change"),
        Series("alarm threshold (0)", ran_b, [0.0] * len(ran_b), "line", "epoch", "change per epoch",
               "Metric the alarm watches: validation loss change"),
        Series("B: alarm in ALARM (1) / not (0)", ran_b, [int(s == ALARM) for s in b["states"]], "line", "epoch", "state",
               "Alarm state per epoch"),
        Series("A: polled alarm in ALARM (1) / not (0)", epoch_axis[: len(a["states"])].tolist(),
               [int(s == ALARM) for s in a["states"]], "line", "epoch", "state", "Alarm state per epoch"),
    ]
    emails_axis = list(range(1, epochs + 2))  # one more minute: rules C and D act on the job's final event

    def cumulative(outbox: Outbox) -> list[int]:
        times = np.array([t for t, _ in _alerts(outbox)], dtype=int)
        return np.count_nonzero(times[:, None] <= np.array(emails_axis)[None, :], axis=0).tolist()

    series += [Series(f"{x} emails", emails_axis, cumulative(r["outbox"]), "line", "epoch (minute)", "alert emails delivered",
                      "Alert emails delivered (cumulative)") for x, r in zip("BACD", (b, a, c, d))]

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
        "first_alert_epoch": [first_alert[x] for x in "ABCD"],
        "alert_emails": [emails[x] for x in "ABCD"],
        "epochs_in_cloudwatch": [len(a["published"]), last_b, 0, 0],
        "moving_parts": [len(MOVING_PARTS[x]) for x in "ABCD"],
        "works": [o.works for o in outcomes],
    })

    # -- timeline ----------------------------------------------------------------------------
    timeline = [Event("epoch 0", "info", f"{params['team_size']} members subscribe; {confirmed} confirm, {pending} stay PendingConfirmation")]
    if overfits:
        timeline.append(Event(f"epoch {k}", "info", f"validation loss at its minimum ({val[k - 1]:.4f}); it rises from epoch {k + 1}"))
    for item in b["cw"].alarms["overfitting-validation-loss-rising"].history:
        timeline.append(Event(f"epoch {_epoch_of(item.timestamp)}", "alarm", f"B alarm {item.old_state} -> {item.new_state}"))
    if b["alarm_epoch"] is not None:
        timeline.append(Event(f"epoch {b['alarm_epoch']}", "email", f"{emails['B']} emails: " + ", ".join(b["confirmed"])))
    if saved_b:
        timeline.append(Event(f"epoch {last_b}", "info", f"Lambda calls StopTrainingJob; {saved_b} epochs not run"))
    if a["alarm_epoch"] is not None:
        timeline.append(Event(f"epoch {a['alarm_epoch']}", "alarm", f"A (polling) alarm fires, {emails['A']} emails"))
    if c["matched"]:
        timeline.append(Event(f"epoch {first_alert['C']}", "email",
                              f"C/D: the rule matches the job's final event; {emails['C']} and {emails['D']} emails"))
    else:
        timeline.append(Event(f"epoch {epochs}", "info", f"C/D: {c['events']} state-change events, no rule match"))
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
        Artifact("c-d-eventbridge/outbox_c.json", json.dumps(c["outbox"].to_list(), indent=2, ensure_ascii=False), "emails from option C (rule -> SNS)"),
        Artifact("c-d-eventbridge/outbox_d.json", json.dumps(d["outbox"].to_list(), indent=2, ensure_ascii=False), "emails from option D (rule -> Lambda -> SNS)"),
    ]

    key_numbers = {
        "overfits": overfits,
        "true_onset_epoch": onset,
        "longest_validation_rise": longest_rise,
        "b_alarm_epoch": b["alarm_epoch"],
        "b_emails": emails["B"],
        "confirmed_members": confirmed,
        "pending_members": pending,
        "a_alarm_epoch": a["alarm_epoch"],
        "a_epochs_missing": missing_a,
        "a_emails": emails["A"],
        "c_rule_matches": c["matched"],
        "c_emails": emails["C"],
        "d_emails": emails["D"],
        "first_alert_epoch": {x: first_alert[x] for x in "ABCD"},
        "epochs_saved_by_auto_stop": saved_b,
        "overfitting_epochs_trained_b": max(0, last_b - k) if overfits else 0,
        "overfitting_epochs_trained_a": max(0, last_a - k) if overfits else 0,
        "gap_at_onset": round(float(val[k - 1] - train[k - 1]), 4) if overfits else None,
        "gap_at_alarm": None if b["alarm_epoch"] is None else round(float(val[b["alarm_epoch"] - 1] - train[b["alarm_epoch"] - 1]), 4),
    }
    narrative = story(params, val, longest_rise, a, b, c, emails, first_alert, confirmed, pending_got, last_b, saved_b, events)
    if progress:
        progress(6, 6, "done")
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative, series=series,
        tables={"epochs": per_epoch, "options": options}, timeline=timeline, artifacts=artifacts, outcomes=outcomes,
        key_numbers=key_numbers, question_id=INFO.question_ids[0],
    )


def story(params, val, longest_rise, a, b, c, emails, first_alert, confirmed, pending_got, last_b, saved_b, events) -> str:
    """The narrative, sentence by sentence from the measured numbers."""
    epochs, k, n, poll = params["epochs"], params["overfit_epoch"], params["consecutive"], params["poll_minutes"]
    pending = params["unconfirmed"]
    if params["overfits"]:
        text = f"Training loss falls all the way; validation loss bottoms out at epoch {k} and rises from epoch {k + 1}. "
    else:
        text = (f"In this run the validation loss keeps falling, from {val[0]:.3f} at epoch 1 to {val[-1]:.3f} at epoch {epochs}, "
                + (f"rising at most {longest_rise} epoch{'s' * (longest_rise != 1)} in a row" if longest_rise else "never rising from one epoch to the next")
                + ": the model does not overfit, so the premise "
                "of the question is absent and the right number of alerts is zero. ")
    if b["alarm_epoch"] is not None:
        text += (f"The training script publishes its losses with PutMetricData every epoch; the alarm on 'validation loss rose {n} "
                 f"epochs in a row' fires at epoch {b['alarm_epoch']} and SNS emails the {confirmed} confirmed members "
                 f"({emails['B']} emails); {_members(pending, 'unconfirmed')} received {pending_got}. ")
    else:
        text += (f"The training script publishes its losses every epoch, and the alarm on 'validation loss rose {n} epochs in a row' "
                 f"never fires: {emails['B']} alert emails. ")
    if saved_b:
        text += f"A Lambda on the same topic stops the job at epoch {last_b}, saving {saved_b} of {epochs} epochs. "
    if a["alarm_epoch"] is None:
        text += f"A polling Lambda that reads one epoch in {poll} never alerts. " if poll > 1 else "A Lambda polling every minute never alerts either. "
    elif b["alarm_epoch"] is not None and a["alarm_epoch"] != b["alarm_epoch"]:
        text += f"A polling Lambda that reads one epoch in {poll} alerts at epoch {a['alarm_epoch']}, {a['alarm_epoch'] - b['alarm_epoch']} epochs after B. "
    else:
        text += f"A polling Lambda that reads one epoch in {poll} alerts at epoch {a['alarm_epoch']}, with more parts to build than B. "
    if c["matched"]:
        status = events[-1]["detail"]["TrainingJobStatus"]
        text += (f"EventBridge sees only the job's state changes: the closest rule matches the final {status} event, so C and D "
                 f"email at minute {first_alert['C']}, after training ended"
                 + (", whatever the losses did." if not params["overfits"] else f", {first_alert['C'] - k} epochs after the onset."))
    else:
        text += "EventBridge sees only the job's state changes, and no rule matches one of them."
    return text
