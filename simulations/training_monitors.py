"""Training monitors: log-line metrics, Debugger-style rules, alarms, EventBridge and median early stopping.

A long training job (one epoch every ``epoch_minutes``) prints ``epoch=E train_loss=T val_loss=V`` each
epoch among other log lines. Training loss keeps falling; validation loss falls with it and, when
``overfit_rise`` > 0, turns upwards from ``overfit_epoch`` (the onset). Everything the options rely on is
computed from these numbers:

- ``metric_definitions``: each regex is applied to every log line with Python ``re`` (``search``; the
  value is capture group 1; a regex without a group yields no value - this model's reading of "the
  regex must capture the value"), and the values are put into the engine's CloudWatch metric store
  under ``/aws/sagemaker/TrainingJobs`` with the ``TrainingJobName`` dimension.
- A CloudWatch alarm (engine ``CloudWatch``) on the published ``loss_gap`` (val - train) above
  ``gap_threshold`` for 2 of 2 epochs notifies an SNS topic (engine ``Topic``): emails, and optionally a
  Lambda that calls StopTrainingJob.
- Debugger-style built-in rules evaluated on the saved tensors (modelled on the documented rule
  descriptions; parameter values are this model's): ``overfit`` ((mean val - mean train) / mean train above
  ``overfit_ratio`` for 2 saves), ``loss_not_decreasing`` (loss not down by 0.1 % over 10 saves),
  ``vanishing_gradient`` (a layer's mean |gradient| below 1e-7), ``exploding_tensor`` (NaN or infinite),
  ``class_imbalance`` (most/least frequent class above 10). A rule that fires reports IssuesFound; the
  built-in StopTraining and Email actions then act.
- EventBridge: the job's "SageMaker Training Job State Change" events (status and secondary-status
  changes, plus Debugger rule statuses when rules are configured) matched against each rule pattern.
- Automatic model tuning with early stopping AUTO: after each epoch a running job's objective is
  compared with the median of the earlier jobs' running averages at that epoch.

A second run (a recurrent network whose loss stays flat and whose first layers' gradients vanish) is
checked by every built-in rule for the rule-matching question.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from simulations.monitoring.cloudwatch import ALARM, CloudWatch, MetricStore
from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.schedule import ModelMonitorService, MonitoringSchedule, ResourceNotFound
from simulations.monitoring.sns import Outbox, Topic
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

INFO = SimulationInfo(
    name="training-monitors",
    title="Training monitors: regex metrics, Debugger rules, alarms and median early stopping",
    summary="A training job's log lines become CloudWatch metrics through metric_definitions regexes; Debugger-style rules, alarms and EventBridge rules are tried against its losses; the tuner's median rule decides early stopping.",
    questions=(
        QuestionLink("debugger-overfit-stop", {"A": "debugger-overfit-rule-actions", "B": "eventbridge-overfitting-status",
                                               "C": "max-runtime-10h", "D": "spot-checkpoints"}),
        QuestionLink("metric-definitions-regex", {"A": "regex-label-only", "B": "regex-train-loss", "C": "regex-val-loss",
                                                  "D": "regex-epoch-group"}),
        QuestionLink("stop-training-on-overfit", {"A": "lambda-on-sns-topic", "B": "eventbridge-overfitting-lambda",
                                                  "C": "estimator-early-stopping-auto", "D": "ec2-stop-alarm-action"}),
        QuestionLink("eventbridge-cannot-see-overfitting", {"A": "claim-no-sns-target", "B": "claim-no-training-events",
                                                            "C": "claim-status-only", "D": "claim-hourly-checks"}),
        QuestionLink("overfitting-signals", {"A": "signal-both-falling-close", "B": "signal-both-flat-high",
                                             "C": "signal-val-rising-3", "D": "signal-gap-threshold", "E": "signal-val-noise"}),
        QuestionLink("early-stopping-median", {"A": "tuner-keep-better-than-worst", "B": "tuner-only-at-max-epochs",
                                               "C": "tuner-stop-worse-than-best", "D": "tuner-stop-worse-than-median"}),
        QuestionLink("debugger-rules-match-symptoms", {"A": "rule-loss_not_decreasing", "B": "rule-overfit",
                                                       "C": "rule-class_imbalance", "D": "rule-exploding_tensor",
                                                       "E": "rule-vanishing_gradient"}),
        QuestionLink("debugger-closed-new-account", {"A": "wait-for-debugger", "B": "metrics-alarm-sns-lambda",
                                                     "C": "eventbridge-secondary-status", "D": "model-monitor-on-training"}),
    ),
    params=(
        ParamSpec("epochs", int, 40, "planned epochs of the training job", min=20, max=200),
        ParamSpec("epoch_minutes", int, 30, "minutes per epoch (40 x 30 min = a 20-hour job)", min=1, max=120),
        ParamSpec("overfit_epoch", int, 26, "epoch after which validation loss turns upwards", min=5, max=190),
        ParamSpec("overfit_rise", float, 0.03, "how much validation loss rises per epoch after the onset (0 = no overfitting)", min=0.0, max=0.2),
        ParamSpec("gap_threshold", float, 0.15, "agreed val - train gap that means overfitting (alarm threshold)", min=0.05, max=1.0),
        ParamSpec("overfit_ratio", float, 0.5, "Debugger overfit rule: (val - train) / train above this for 2 saves", min=0.05, max=3.0),
        ParamSpec("stop_within", int, 5, "a stop counts as timely when it comes at most this many epochs after the onset", min=1, max=20),
        ParamSpec("team_size", int, 4, "team members subscribed by email to the alarm's topic", min=1, max=20),
        ParamSpec("current_epoch5", float, 4.9, "tuning: the running job's validation:rmse after epoch 5", min=3.0, max=7.0),
    ),
    facts=("F16", "F17", "F18", "F77", "F78", "F79", "F81", "F83"),
    presets=(
        Preset("no-overfitting", {"overfit_rise": 0.0}, "validation loss keeps falling with training loss",
               control=True, premise="no overfitting: validation loss never turns upwards"),
        Preset("early-onset", {"overfit_epoch": 12}, "the model starts to overfit after 12 epochs (6 hours)"),
        Preset("tuned-job-on-par", {"current_epoch5": 4.4}, "the running tuning job reports 4.4 after epoch 5, better than the median"),
    ),
)

START = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
JOB = "pytorch-churn-2026-10-05-08-00"
TRAINING_NAMESPACE = "/aws/sagemaker/TrainingJobs"
DEBUGGER_CLOSED = datetime(2026, 7, 30, tzinfo=UTC)
ACCOUNT_CREATED = {"existing team (Debugger since 2024)": datetime(2024, 6, 1, tzinfo=UTC),
                   "startup (account from September 2026)": datetime(2026, 9, 15, tzinfo=UTC)}
EARLIER_RUNNING_AVERAGES = (4.1, 4.4, 4.6, 5.3)  # the question's earlier tuning jobs at epoch 5
REGEXES = {
    "regex-label-only": r"val_loss",
    "regex-train-loss": r"train_loss=([0-9\.]+)",
    "regex-val-loss": r"val_loss=([0-9\.]+)",
    "regex-epoch-group": r"epoch=([0-9]+) .* val_loss",
}


# -- the training run ------------------------------------------------------------------------------------
def loss_curves(epochs: int, onset: int, rise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Per-epoch training and validation loss (epochs 1..N), rounded as the script prints them."""
    e = np.arange(1, epochs + 1)
    train = 0.25 + 0.9 * np.exp(-e / 12) + rng.normal(0, 0.001, epochs)
    val = train + 0.08 + rng.normal(0, 0.0015, epochs) + rise * np.clip(e - onset, 0, None) ** 1.1
    return np.round(train, 3), np.round(val, 3)


def log_lines(train: np.ndarray, val: np.ndarray) -> list[str]:
    lines = ["Invoking script with the following command: /opt/conda/bin/python train.py --epochs %d" % len(train),
             "Downloading training data from s3://team-bucket/churn/train/", "Using GPU: True"]
    for i, (t, v) in enumerate(zip(train, val), start=1):
        lines.append(f"[batch 250/250] epoch {i} done in 29.7 min")
        lines.append(f"epoch={i} train_loss={t:.3f} val_loss={v:.3f}")
    lines.append("Saving model to /opt/ml/model")
    return lines


def extract_metric(regex: str, lines: list[str]) -> list[float]:
    """What a metric definition publishes: group 1 of each line the regex matches, as a float."""
    pattern = re.compile(regex)
    if pattern.groups == 0:
        return []
    values = []
    for line in lines:
        match = pattern.search(line)
        if match and match.group(1) is not None:
            try:
                values.append(float(match.group(1)))
            except ValueError:
                continue
    return values


def onset_epoch(params: dict) -> int | None:
    return params["overfit_epoch"] if params["overfit_rise"] > 0 and params["overfit_epoch"] < params["epochs"] else None


def epoch_end(params: dict, epoch: int) -> datetime:
    return START + timedelta(minutes=params["epoch_minutes"] * epoch)


# -- detectors -------------------------------------------------------------------------------------------------
def gap_alarm(params: dict, train: np.ndarray, val: np.ndarray, *, stop_lambda: bool, alarm_action=None):
    """PutMetricData of the loss gap -> alarm (2 of 2 epochs above the threshold) -> SNS -> emails (+ Lambda)."""
    cw = CloudWatch(MetricStore())
    outbox = Outbox()
    topic = Topic("training-overfitting", outbox=outbox)
    team = [f"member{i}@example.com" for i in range(1, params["team_size"] + 1)]
    for address in team:
        topic.confirm_subscription(topic.subscribe("email", address, timestamp=START).token)
    stopped: list[int] = []

    def stop_training_job(event: dict) -> None:  # the Lambda: StopTrainingJob for the job in the alarm's dimensions
        body = json.loads(event["Records"][0]["Sns"]["Message"])
        job = next(d["value"] for d in body["Trigger"]["Dimensions"] if d["name"] == "TrainingJobName")
        if job == JOB and body["NewStateValue"] == ALARM:
            stopped.append(current[0])

    if stop_lambda:
        topic.subscribe("lambda", stop_training_job)
    actions = [topic] + ([alarm_action] if alarm_action else [])
    epochs = np.arange(1, len(train) + 1)
    times = [epoch_end(params, int(e)) - timedelta(seconds=5) for e in epochs]
    cw.metrics.put_metric_values("Team/Training", "loss_gap", np.round(val - train, 3), times, {"TrainingJobName": JOB})
    cw.put_metric_alarm("overfitting-gap", namespace="Team/Training", metric_name="loss_gap", dimensions={"TrainingJobName": JOB},
                        statistic="Maximum", period=params["epoch_minutes"] * 60, evaluation_periods=2,
                        threshold=params["gap_threshold"], comparison_operator="GreaterThanThreshold", alarm_actions=actions)
    current = [0]
    fired = None
    for e in epochs:
        current[0] = int(e)
        cw.evaluate_alarms(epoch_end(params, int(e)) + timedelta(seconds=30))
        if fired is None and cw.alarms["overfitting-gap"].state == ALARM:
            fired = int(e)
        if stopped:
            break
    emailed = {m.to for m in outbox.notifications() if m.kind != "subscription-confirmation"}
    return {"fired": fired, "stopped": stopped[0] if stopped else None, "emailed": len(emailed), "team": len(team),
            "history": cw.describe_alarm_history("overfitting-gap")}


def overfit_rule(train: np.ndarray, val: np.ndarray, ratio: float, patience: int = 2) -> int | None:
    """Debugger-style overfit rule: first epoch at which the ratio stays above ``ratio`` for ``patience`` saves."""
    above = (val - train) / train > ratio
    run = np.convolve(above.astype(int), np.ones(patience, int), "full")[: len(above)] >= patience
    hits = np.flatnonzero(run)
    return int(hits[0]) + 1 if len(hits) else None


def state_change_events(params: dict, stop_epoch: int | None, rules: dict[str, str] | None = None,
                        rule_epoch: int | None = None) -> list[dict]:
    """The job's EventBridge events: status and secondary-status changes (and rule statuses, when configured)."""
    last = stop_epoch or params["epochs"]
    end = epoch_end(params, last)
    steps = [(START - timedelta(minutes=6), "InProgress", "Starting"), (START - timedelta(minutes=3), "InProgress", "Downloading"),
             (START, "InProgress", "Training")]
    if stop_epoch:
        steps += [(end, "Stopping", "Stopping"), (end + timedelta(minutes=2), "Stopped", "Stopped")]
    else:
        steps += [(end, "InProgress", "Uploading"), (end + timedelta(minutes=2), "Completed", "Completed")]
    events = []
    for at, status, secondary in steps:
        detail = {"TrainingJobName": JOB, "TrainingJobStatus": status, "SecondaryStatus": secondary}
        if rules:
            done = rule_epoch is not None and at >= epoch_end(params, rule_epoch)
            detail["DebugRuleEvaluationStatuses"] = [{"RuleConfigurationName": r, "RuleEvaluationStatus": s if done else "InProgress"}
                                                     for r, s in rules.items()]
        events.append({"version": "0", "source": "aws.sagemaker", "detail-type": "SageMaker Training Job State Change",
                       "time": iso_z(at), "detail": detail})
    return events


def matches(pattern: dict, event: dict) -> bool:
    """EventBridge matching for exact values: every pattern key must be present; lists are alternatives."""
    for key, wanted in pattern.items():
        if key not in event:
            return False
        value = event[key]
        if isinstance(wanted, dict):
            if not isinstance(value, dict) or not matches(wanted, value):
                return False
        elif value not in wanted:
            return False
    return True


def first_match_epoch(pattern: dict, events: list[dict], params: dict) -> int | None:
    """The epoch during which the first event matching ``pattern`` arrives (when a rule target would act)."""
    for ev in events:
        if matches(pattern, ev):
            minutes = (datetime.fromisoformat(ev["time"].replace("Z", "+00:00")) - START).total_seconds() / 60
            return max(1, int(np.ceil(minutes / params["epoch_minutes"])))
    return None


CREATE_TRAINING_JOB_FIELDS = ("TrainingJobName", "AlgorithmSpecification", "RoleArn", "InputDataConfig", "OutputDataConfig",
                              "ResourceConfig", "StoppingCondition", "HyperParameters", "EnableManagedSpotTraining")


def training_job_request(estimator: dict) -> dict:
    """The CreateTrainingJob request an estimator's settings become (a plain training job, no tuning job).

    Settings that belong to other APIs (``early_stopping_type`` goes into a tuning job's
    TrainingJobEarlyStoppingType) have no field here and are left out.
    """
    mapping = {"max_run": ("StoppingCondition", "MaxRuntimeInSeconds"), "use_spot_instances": ("EnableManagedSpotTraining", None),
               "hyperparameters": ("HyperParameters", None)}
    request: dict = {"TrainingJobName": JOB}
    for name, value in estimator.items():
        if name in mapping:
            field, sub = mapping[name]
            request[field] = {sub: value} if sub else value
    return {k: v for k, v in request.items() if k in CREATE_TRAINING_JOB_FIELDS}


def debugger_rules(run: dict) -> dict[str, dict]:
    """Evaluate each built-in rule on a run's saved tensors; IssuesFound with the save where it fired."""
    loss, val, grads, labels, tensors = run["loss"], run["val"], run["grads"], run["labels"], run["tensors"]
    out = {}
    window = 10
    drop = (loss[:-window] - loss[window:]) / loss[:-window] * 100 if len(loss) > window else np.array([])
    out["loss_not_decreasing"] = np.flatnonzero(drop < 0.1)
    ratio = (val - loss) / loss
    out["overfit"] = np.flatnonzero(np.convolve((ratio > 0.1).astype(int), [1, 1], "full")[: len(ratio)] >= 2)
    out["vanishing_gradient"] = np.flatnonzero((np.abs(grads).mean(axis=2) < 1e-7).any(axis=1))
    out["exploding_tensor"] = np.flatnonzero(~np.isfinite(tensors).all(axis=1))
    counts = np.bincount(labels)
    out["class_imbalance"] = np.array([0]) if counts.min() == 0 or counts.max() / counts.min() > 10 else np.array([], int)
    details = {"loss_not_decreasing": f"loss {loss[0]:.3f} -> {loss[-1]:.3f}; least drop over {window} saves {drop.min():.3f} %" if len(drop) else "",
               "overfit": f"largest (val - train) / train {ratio.max():.3f}",
               "vanishing_gradient": f"smallest mean |gradient| of a layer {np.abs(grads).mean(axis=2).min():.1e}",
               "exploding_tensor": f"non-finite values: {int((~np.isfinite(tensors)).sum())}, largest |value| {np.nanmax(np.abs(tensors)):.1f}",
               "class_imbalance": f"class counts {counts.min()}-{counts.max()} (ratio {counts.max() / max(counts.min(), 1):.2f})"}
    return {name: {"status": "IssuesFound" if len(hits) else "NoIssuesFound", "first_save": int(hits[0]) if len(hits) else None,
                   "detail": details[name]} for name, hits in out.items()}


def recurrent_run(rng: np.random.Generator, saves: int = 40) -> dict:
    """The recurrent network of the rule-matching question: flat loss, first layers' gradients vanishing."""
    s = np.arange(saves)
    loss = 2.303 - 0.0005 * np.log1p(s) + rng.normal(0, 0.0003, saves)
    val = loss * (1 + rng.normal(0, 0.003, saves))
    scale = np.array([1e-3 * np.exp(-s / 3), 1e-3 * np.exp(-s / 4), np.full(saves, 1e-3), np.full(saves, 2e-3)]).T
    grads = scale[:, :, None] * rng.normal(1, 0.2, (saves, 4, 64))
    tensors = rng.normal(0, 1.5, (saves, 256))
    labels = rng.integers(0, 10, 20_000)
    return {"loss": loss, "val": val, "grads": grads, "labels": labels, "tensors": tensors}


def overfitting_run(train: np.ndarray, val: np.ndarray, rng: np.random.Generator) -> dict:
    saves = len(train)
    return {"loss": train, "val": val, "grads": 1e-3 * rng.normal(1, 0.2, (saves, 4, 64)), "labels": rng.integers(0, 2, 10_000),
            "tensors": rng.normal(0, 1.0, (saves, 256))}


# -- signals ------------------------------------------------------------------------------------------------
def reference_runs(epochs: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Runs that do not overfit: healthy, underfitting, and healthy with a small bump every fourth epoch."""
    e = np.arange(1, epochs + 1)
    healthy_train = 0.25 + 0.9 * np.exp(-e / 12)
    under = 1.05 + 0.4 * np.exp(-e / 2)
    bumps = np.where(e % 4 == 0, 0.012, 0.0)
    return {"healthy": (healthy_train, healthy_train + 0.08), "underfitting": (under, under + 0.03),
            "noisy but improving": (healthy_train, healthy_train + 0.08 + bumps)}


def signal_fires(key: str, train: np.ndarray, val: np.ndarray, gap_threshold: float) -> np.ndarray:
    """Epoch indices (0-based) at which each option's condition holds."""
    d_train, d_val = np.diff(train, prepend=train[0]), np.diff(val, prepend=val[0])
    n = len(train)
    if key == "signal-both-falling-close":
        cond = (d_train < 0) & (d_val < 0) & (val - train <= 0.1)
    elif key == "signal-both-flat-high":
        rel = np.r_[np.full(5, np.inf), (val[:-5] - val[5:]) / val[:-5]][:n]
        cond = (rel < 0.01) & (np.r_[np.full(5, np.inf), (train[:-5] - train[5:]) / train[:-5]][:n] < 0.01) & (val > 0.8)
    elif key == "signal-val-rising-3":
        rising = (d_val > 0) & (d_train < 0)
        cond = np.convolve(rising.astype(int), np.ones(3, int), "full")[:n] >= 3
    elif key == "signal-gap-threshold":
        cond = val - train > gap_threshold
    else:  # "val moves up and down slightly while its overall trend keeps falling"
        trend = np.r_[np.zeros(5), val[5:] - val[:-5]][:n]
        cond = (d_val > 0) & (trend < 0)
    cond[0] = False
    return np.flatnonzero(cond)


SIGNAL_ACTIONS = {
    "signal-both-falling-close": "Both losses fall steadily and stay close",
    "signal-both-flat-high": "Both losses stop improving early and stay high",
    "signal-val-rising-3": "Validation loss rises 3 epochs in a row while training loss falls",
    "signal-gap-threshold": "The val - train gap grows beyond the agreed threshold",
    "signal-val-noise": "Validation loss moves up and down slightly while its trend falls",
}


# -- tuning -------------------------------------------------------------------------------------------------------
def tuning_trials(current_epoch5: float, rng: np.random.Generator, epochs: int = 10) -> dict:
    """Four finished jobs whose running averages at epoch 5 are the question's, and the running job."""
    e = np.arange(1, epochs + 1)
    earlier = []
    for target in EARLIER_RUNNING_AVERAGES:
        curve = 3.0 + 4.0 * np.exp(-e / 2.5) + rng.normal(0, 0.03, epochs)
        curve += target - curve[:5].mean()  # shift so the running average at epoch 5 is the target
        earlier.append(curve)
    earlier = np.array(earlier)
    running = np.cumsum(earlier, axis=1) / e
    median = np.median(running, axis=0)
    current = np.r_[median[:4] - 0.15, current_epoch5, np.full(epochs - 5, current_epoch5 - 0.05)]
    worse = current > median  # minimising validation:rmse
    stop_at = int(np.flatnonzero(worse)[0]) + 1 if worse.any() else None
    return {"earlier": earlier, "running": running, "median": median, "current": current, "stop_at": stop_at, "epochs": epochs}


TUNER_CLAIMS = {  # key -> (action, predicted action at epoch 5, reference the option names)
    "tuner-keep-better-than-worst": ("Keeps running: better than the worst earlier job (5.3)", "continue", ("worst", 5.3)),
    "tuner-only-at-max-epochs": ("Keeps running: early stopping is checked only at the last epoch", "continue", ("last-epoch-only", None)),
    "tuner-stop-worse-than-best": ("Stops: worse than the best earlier job (4.1)", "stop", ("best", 4.1)),
    "tuner-stop-worse-than-median": ("Stops: worse than the median of the running averages (4.5)", "stop", ("median", 4.5)),
}


def tuner_outcomes(tuning: dict) -> list[Outcome]:
    median5 = float(tuning["median"][4])
    action5 = "stop" if tuning["stop_at"] == 5 else ("stopped earlier" if tuning["stop_at"] and tuning["stop_at"] < 5 else "continue")
    checks_before_last = int(min(tuning["stop_at"] or tuning["epochs"], tuning["epochs"] - 1))
    outcomes = []
    for key, (action, predicted, (kind, value)) in TUNER_CLAIMS.items():
        said = (f"the tuner compares {tuning['current'][4]:.2f} with the median {median5:.2f} of "
                f"{', '.join(f'{r:.2f}' for r in tuning['running'][:, 4])} and decides: {action5}")
        criteria = [check(f"the tuner's decision at epoch 5 is to {predicted}", predicted == action5, said, said)]
        if kind == "last-epoch-only":
            criteria.append(check("the rule is checked only after the last epoch", checks_before_last == 0,
                                  "", f"it was checked after each of {checks_before_last} epochs before the last"))
        else:
            criteria.append(criterion(f"named reference ({kind}) minus the value the tuner compared with", round(abs(value - median5), 4), "<=", 0.005,
                                      detail=f"named {value:g}, the tuner used the median {median5:.2f}"))
        outcomes.append(Outcome("?", action, criteria, {"decision_at_epoch_5": action5, "median_at_epoch_5": round(median5, 4)}, key=key))
    return outcomes


# -- judging the stop options -----------------------------------------------------------------------------------
def stop_criteria(params: dict, onset: int | None, stop: int | None, emailed: int, expected_emails: int) -> list:
    """The same tests for every option that should stop the job: stopped in time (or not at all) and people told."""
    within = params["stop_within"]
    if onset is None:
        trained = stop or params["epochs"]
        return [criterion("epochs trained of those planned (the model never overfits)", trained, ">=", params["epochs"],
                          detail=f"stopped at epoch {stop}" if stop else "ran to the end"),
                criterion("people emailed about overfitting", emailed, "==", 0)]
    if stop is None:
        timing = criterion("epochs from the overfitting onset to the stop", params["epochs"] - onset, "<=", within,
                           detail=f"onset after epoch {onset}; never stopped, ran all {params['epochs']} epochs")
    elif stop < onset:
        timing = check("stopped after the onset, not before", False, "", f"stopped at epoch {stop}, before the onset at epoch {onset}")
    else:
        timing = criterion("epochs from the overfitting onset to the stop", stop - onset, "<=", within,
                           detail=f"onset after epoch {onset}, stopped at epoch {stop}")
    return [timing, criterion("people emailed about overfitting", emailed, ">=", expected_emails)]


# -- the run ---------------------------------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    rng = np.random.default_rng(seed)
    total = 4
    if progress:
        progress(0, total, "the training run and its log")
    onset = onset_epoch(params)
    train, val = loss_curves(params["epochs"], params["overfit_epoch"], params["overfit_rise"], rng)
    lines = log_lines(train, val)
    epochs = np.arange(1, params["epochs"] + 1)

    # metric_definitions -> CloudWatch
    store = MetricStore()
    regex_results = {}
    for key, regex in REGEXES.items():
        values = extract_metric(regex, lines)
        if values:
            store.put_metric_values(TRAINING_NAMESPACE, f"validation:loss ({key})", values,
                                    [epoch_end(params, i + 1) for i in range(len(values))], {"TrainingJobName": JOB})
        n = min(len(values), len(val))
        error = float(np.abs(np.array(values[:n]) - val[:n]).max()) if n else None
        regex_results[key] = {"values": len(values), "max_error": error, "first": values[:3]}
    regex_outcomes = []
    for key, regex in REGEXES.items():
        r = regex_results[key]
        regex_outcomes.append(Outcome("?", f"Regex {regex}", [
            criterion("validation:loss datapoints published", r["values"], ">=", params["epochs"],
                      detail=f"first values {', '.join(f'{v:g}' for v in r['first'])}" if r["values"] else
                      ("the regex has no capture group, so no value is extracted" if re.compile(regex).groups == 0 else "no line matched")),
            check("each published value equals that epoch's val_loss", r["max_error"] is not None and r["max_error"] <= 0.0005,
                  f"largest difference {r['max_error']:.3f}" if r["max_error"] is not None else "",
                  f"largest difference {r['max_error']:.3f}" if r["max_error"] is not None else "nothing to compare"),
        ], {"published": r["values"], "max_error": r["max_error"]}, key=key))

    if progress:
        progress(1, total, "Debugger rules, alarms and EventBridge rules")
    # Debugger: the overfit rule with StopTraining + Email actions (an existing Debugger customer)
    rule_epoch = overfit_rule(train, val, params["overfit_ratio"])
    available = ACCOUNT_CREATED["existing team (Debugger since 2024)"] < DEBUGGER_CLOSED
    debugger_outbox = Outbox()
    debugger_topic = Topic("SMDebugRules-overfit", outbox=debugger_outbox)
    debugger_topic.confirm_subscription(debugger_topic.subscribe("email", "lead@example.com", timestamp=START).token)
    if rule_epoch is not None and available:
        debugger_topic.publish(json.dumps({"TrainingJobName": JOB, "RuleConfigurationName": "Overfit", "RuleEvaluationStatus": "IssuesFound"}),
                               "Debugger rule Overfit: IssuesFound", timestamp=epoch_end(params, rule_epoch))
    debugger_emails = len([m for m in debugger_outbox.notifications() if m.kind != "subscription-confirmation"])

    # EventBridge: rules that look for an overfitting status
    plain_events = state_change_events(params, None)
    status_pattern = {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Training Job State Change"],
                      "detail": {"TrainingJobStatus": ["Overfitting"]}}
    secondary_pattern = {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Training Job State Change"],
                         "detail": {"SecondaryStatus": ["Overfitting"]}}
    status_matches = sum(matches(status_pattern, ev) for ev in plain_events)
    secondary_matches = sum(matches(secondary_pattern, ev) for ev in plain_events)
    status_stop = first_match_epoch(status_pattern, plain_events, params)  # the rule's StopTrainingJob target
    secondary_stop = first_match_epoch(secondary_pattern, plain_events, params)
    request = training_job_request({"early_stopping_type": "Auto", "hyperparameters": {"epochs": params["epochs"]}})
    auto_stop = None  # nothing in the request asks SageMaker to watch the loss
    statuses = sorted({ev["detail"]["TrainingJobStatus"] for ev in plain_events} | {ev["detail"]["SecondaryStatus"] for ev in plain_events})
    debugger_events = state_change_events(params, rule_epoch, {"Overfit": "IssuesFound" if rule_epoch else "NoIssuesFound"}, rule_epoch)
    issues_events = sum(  # events an EventBridge rule on RuleEvaluationStatus = IssuesFound would receive
        any(s["RuleEvaluationStatus"] == "IssuesFound" for s in ev["detail"].get("DebugRuleEvaluationStatuses", []))
        for ev in debugger_events)

    # spot training: interruptions from EC2 capacity, resumed from checkpoints
    interruptions = np.sort(rng.choice(np.arange(3, params["epochs"]), 2, replace=False)) + 1
    max_runtime_epoch = (10 * 60) // params["epoch_minutes"]

    overfit_stop_outcomes = [
        Outcome("?", "Debugger overfit rule with the StopTraining and Email actions",
                stop_criteria(params, onset, rule_epoch, debugger_emails, 1)
                + [check("Debugger is available to this account", available, "existing customer since 2024", "closed to new customers")],
                {"rule_fired_epoch": rule_epoch, "emails": debugger_emails}, key="debugger-overfit-rule-actions"),
        Outcome("?", "EventBridge rule for TrainingJobStatus = Overfitting -> StopTrainingJob",
                stop_criteria(params, onset, status_stop, 0, 1) + [criterion("events the rule matched", status_matches, ">=", 1,
                                                                       detail="statuses emitted: " + ", ".join(statuses))],
                {"matched": status_matches}, key="eventbridge-overfitting-status"),
        Outcome("?", "MaxRuntimeInSeconds = 10 hours",
                stop_criteria(params, onset, min(max_runtime_epoch, params["epochs"]) if max_runtime_epoch < params["epochs"] else None, 0, 1),
                {"stopped_epoch": max_runtime_epoch}, key="max-runtime-10h"),
        Outcome("?", "Managed spot training with checkpoints",
                stop_criteria(params, onset, None, 0, 1),
                {"interrupted_after_epochs": interruptions.tolist(), "resumed": True}, key="spot-checkpoints"),
    ]

    # alarm -> SNS (emails), with each stop option
    alarm_plain = gap_alarm(params, train, val, stop_lambda=False)
    alarm_lambda = gap_alarm(params, train, val, stop_lambda=True)
    ec2_errors = []

    def ec2_stop_action(message: dict) -> None:  # arn:aws:automate:...:ec2:stop on the training host
        ec2_errors.append(f"InvalidInstanceID.NotFound: the training instance of {JOB} is managed by SageMaker, not an EC2 instance in this account")

    alarm_ec2 = gap_alarm(params, train, val, stop_lambda=False, alarm_action=ec2_stop_action)
    team = params["team_size"]
    expected = team if onset else 0
    stop_outcomes = [
        Outcome("?", "Lambda subscribed to the SNS topic calls StopTrainingJob",
                stop_criteria(params, onset, alarm_lambda["stopped"], alarm_lambda["emailed"], expected),
                {"alarm_epoch": alarm_lambda["fired"], "stopped_epoch": alarm_lambda["stopped"]}, key="lambda-on-sns-topic"),
        Outcome("?", "EventBridge rule on an Overfitting status -> Lambda",
                stop_criteria(params, onset, status_stop, alarm_plain["emailed"], expected), {"matched": status_matches}, key="eventbridge-overfitting-lambda"),
        Outcome("?", "early_stopping_type='Auto' on the estimator",
                stop_criteria(params, onset, auto_stop, alarm_plain["emailed"], expected)
                + [check("the training job request carries an early-stopping setting", "TrainingJobEarlyStoppingType" in json.dumps(request), "",
                         "CreateTrainingJob has no such field (request fields: " + ", ".join(request) + "); "
                         "TrainingJobEarlyStoppingType belongs to a tuning job")],
                {"request_fields": list(request)}, key="estimator-early-stopping-auto"),
        Outcome("?", "EC2 stop-instance alarm action",
                stop_criteria(params, onset, None, alarm_ec2["emailed"], expected), {"errors": ec2_errors[:1]}, key="ec2-stop-alarm-action"),
    ]
    new_account = ACCOUNT_CREATED["startup (account from September 2026)"]
    monitor_service = ModelMonitorService(SimulatedClock(START))
    try:
        monitor_service.create_monitoring_schedule(MonitoringSchedule("training-quality", JOB, "cron(0 * ? * * *)", lambda s, e: {},
                                                                      monitoring_type="ModelQuality"))
        monitor_error = None
    except ResourceNotFound as error:
        monitor_error = str(error)
    closed_outcomes = [
        Outcome("?", "Wait for Debugger to accept new accounts", stop_criteria(params, onset, None, 0, expected)
                + [check("Debugger is available to this account", new_account < DEBUGGER_CLOSED, "",
                         f"account created {new_account:%Y-%m-%d}, after the {DEBUGGER_CLOSED:%Y-%m-%d} closure")],
                {}, key="wait-for-debugger"),
        Outcome("?", "Training metrics -> CloudWatch alarm -> SNS (emails + StopTrainingJob Lambda)",
                stop_criteria(params, onset, alarm_lambda["stopped"], alarm_lambda["emailed"], expected),
                {"alarm_epoch": alarm_lambda["fired"]}, key="metrics-alarm-sns-lambda"),
        Outcome("?", "EventBridge rule on SecondaryStatus = Overfitting", stop_criteria(params, onset, secondary_stop, 0, expected)
                + [criterion("events the rule matched", secondary_matches, ">=", 1, detail="secondary statuses emitted: " + ", ".join(statuses))],
                {"matched": secondary_matches}, key="eventbridge-secondary-status"),
        Outcome("?", "Model Monitor on the training job", stop_criteria(params, onset, None, 0, expected)
                + [check("a monitoring schedule can be created for the training job", monitor_error is None, "", f"refused: {monitor_error}")],
                {"error": monitor_error}, key="model-monitor-on-training"),
    ]

    # EventBridge claims (no alarm, no rule: the question's set-up)
    sns_outbox = Outbox()
    eb_topic = Topic("eventbridge-target", outbox=sns_outbox)
    eb_topic.confirm_subscription(eb_topic.subscribe("email", "team@example.com", timestamp=START).token)
    completed_pattern = {"source": ["aws.sagemaker"], "detail": {"TrainingJobStatus": ["Completed", "Stopped", "Failed"]}}
    delays = []
    for ev in plain_events:
        if matches(completed_pattern, ev):
            eb_topic.publish(json.dumps(ev), timestamp=ev["time"])
            delays.append(0.0)  # delivered when the event is emitted
    sns_delivered = len([m for m in sns_outbox.notifications() if m.kind != "subscription-confirmation"])
    loss_fields = sum(("loss" in json.dumps(ev).lower()) or ("overfit" in json.dumps(ev).lower()) for ev in plain_events)
    claims = [
        ("claim-no-sns-target", "EventBridge cannot target SNS", check("SNS as an EventBridge target fails", sns_delivered == 0, "",
                                                                        f"a rule on the job's end status delivered {sns_delivered} email(s) through SNS")),
        ("claim-no-training-events", "EventBridge receives no training-job events", check("no training-job events reach EventBridge", len(plain_events) == 0,
                                                                                         "", f"{len(plain_events)} state-change events were emitted")),
        ("claim-status-only", "Events report status changes; nothing evaluates the losses",
         check("no event describes the losses or overfitting", loss_fields == 0 and status_matches == 0,
               f"{len(plain_events)} events, statuses {', '.join(statuses)}; 0 carry a loss value or an overfitting status", f"{loss_fields} events mention a loss")),
        ("claim-hourly-checks", "EventBridge checks training jobs only hourly", check("events are delivered with an hour's delay", bool(delays) and min(delays) >= 3600,
                                                                                    "", f"matched events delivered {max(delays or [0]):.0f} s after they were emitted")),
    ]
    eventbridge_outcomes = [Outcome("?", action, [c], {"events": len(plain_events)}, key=key) for key, action, c in claims]

    if progress:
        progress(2, total, "signals, built-in rules on the recurrent run, tuning")
    refs = reference_runs(params["epochs"])
    signal_outcomes = []
    for key, action in SIGNAL_ACTIONS.items():
        fires = signal_fires(key, train, val, params["gap_threshold"])
        first = int(fires[0]) + 1 if len(fires) else None
        false_refs = [name for name, (t, v) in refs.items() if len(signal_fires(key, t, v, params["gap_threshold"]))]
        if onset is None:
            main = check("silent on this job, which does not overfit", first is None, "it stays silent", f"it fires at epoch {first}")
        else:
            ok = first is not None and onset <= first <= onset + params["stop_within"]
            said = f"onset after epoch {onset}; " + (f"fires at epoch {first}" if first else "never fires")
            main = check(f"fires within {params['stop_within']} epochs after the onset", ok, said, said)
        signal_outcomes.append(Outcome("?", action, [main, criterion("runs that do not overfit on which it fires", len(false_refs), "<=", 0,
                                                                     detail=", ".join(false_refs) or "healthy, underfitting, noisy: none")],
                                       {"first_fire_epoch": first, "false_alarms_on": false_refs}, key=key))

    rnn = debugger_rules(recurrent_run(np.random.default_rng([seed, 7])))
    rule_outcomes = [Outcome("?", f"Built-in rule {name}", [check(f"{name} reports IssuesFound on the recurrent run", r["status"] == "IssuesFound",
                                                                  f"IssuesFound at save {r['first_save']} ({r['detail']})", f"NoIssuesFound ({r['detail']})")],
                             r, key=f"rule-{name}") for name, r in rnn.items()]
    overfit_run_rules = debugger_rules(overfitting_run(train, val, np.random.default_rng([seed, 8])))
    tuning = tuning_trials(params["current_epoch5"], np.random.default_rng([seed, 9]))

    if progress:
        progress(3, total, "judging the options")
    outcomes = (overfit_stop_outcomes + regex_outcomes + stop_outcomes + eventbridge_outcomes + signal_outcomes
                + tuner_outcomes(tuning) + rule_outcomes + closed_outcomes)
    for o in outcomes:
        o.letter = o.key

    series = [Series("train_loss", epochs.tolist(), train.tolist(), "line", "epoch", "loss", "Training and validation loss"),
              Series("val_loss", epochs.tolist(), val.tolist(), "line", "epoch", "loss", "Training and validation loss"),
              Series("gap", epochs.tolist(), np.round(val - train, 3).tolist(), "line", "epoch", "val - train", "Loss gap and the alarm threshold"),
              Series("threshold", epochs.tolist(), [params["gap_threshold"]] * len(epochs), "line", "epoch", "val - train", "Loss gap and the alarm threshold"),
              Series("median of running averages", list(range(1, tuning["epochs"] + 1)), np.round(tuning["median"], 3).tolist(), "line",
                     "epoch", "validation:rmse", "Tuning: running job vs the median rule"),
              Series("running job", list(range(1, tuning["epochs"] + 1)), np.round(tuning["current"], 3).tolist(), "line",
                     "epoch", "validation:rmse", "Tuning: running job vs the median rule")]
    timeline = [Event(f"epoch {onset}", "info", "validation loss turns upwards")] if onset else []
    if rule_epoch:
        timeline.append(Event(f"epoch {rule_epoch}", "violation", "Debugger overfit rule: IssuesFound"))
    if alarm_lambda["fired"]:
        timeline.append(Event(f"epoch {alarm_lambda['fired']}", "alarm", f"overfitting-gap alarm -> SNS: {alarm_lambda['emailed']} members emailed, Lambda stops the job"))
    artifacts = [Artifact("training/job.log", "\n".join(lines) + "\n", "the training job's log lines"),
                 Artifact("eventbridge/events.json", json.dumps(plain_events, indent=2) + "\n", "the job's state-change events"),
                 Artifact("cloudwatch/alarm-history.json", json.dumps(alarm_lambda["history"], indent=2) + "\n", "the gap alarm's history")]
    tables = {
        "losses": pd.DataFrame({"epoch": epochs, "train_loss": train, "val_loss": val, "gap": np.round(val - train, 3)}),
        "rules_recurrent_run": pd.DataFrame([{"rule": k, **v} for k, v in rnn.items()]),
        "rules_this_run": pd.DataFrame([{"rule": k, **v} for k, v in overfit_run_rules.items()]),
        "tuning_running_averages": pd.DataFrame(np.round(tuning["running"], 3), index=[f"job {i + 1}" for i in range(4)],
                                                columns=[f"epoch {i}" for i in range(1, tuning["epochs"] + 1)]).reset_index(names="job"),
    }
    key_numbers = {
        "onset_epoch": onset, "min_val_loss": float(val.min()), "final_gap": round(float(val[-1] - train[-1]), 3),
        "debugger_rule_epoch": rule_epoch, "alarm_epoch": alarm_lambda["fired"], "lambda_stop_epoch": alarm_lambda["stopped"],
        "events": len(plain_events), "overfitting_status_matches": status_matches, "debugger_issues_found_events": issues_events,
        "regex_val_loss_datapoints": regex_results["regex-val-loss"]["values"],
        "tuner_median_epoch5": round(float(tuning["median"][4]), 3), "tuner_stop_epoch": tuning["stop_at"],
        "rnn_rules_issues_found": sorted(k for k, v in rnn.items() if v["status"] == "IssuesFound"),
    }
    narrative = story(params, key_numbers, train, val, tuning, rnn)
    return SimulationResult(name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative, series=series,
                            tables=tables, timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers)


def story(params: dict, k: dict, train: np.ndarray, val: np.ndarray, tuning: dict, rnn: dict) -> str:
    """The narrative, sentence by sentence from the measured numbers."""
    n = params["epochs"]
    text = f"Over {n} epochs of {params['epoch_minutes']} minutes training loss falls from {train[0]:.3f} to {train[-1]:.3f}. "
    if k["onset_epoch"]:
        text += (f"Validation loss bottoms out at {k['min_val_loss']:.3f} after epoch {k['onset_epoch']} and then climbs; the gap ends at "
                 f"{k['final_gap']:.3f}. The Debugger overfit rule reports IssuesFound at epoch {k['debugger_rule_epoch']} and the gap alarm "
                 f"fires at epoch {k['alarm_epoch']}, where a Lambda on its SNS topic stops the job. ")
    else:
        text += (f"Validation loss falls with it and the gap stays at {k['final_gap']:.3f}: the model does not overfit in this world, "
                 "so the overfit rule stays silent, the gap alarm never fires and nothing stops the job for overfitting. ")
    text += (f"The job emits {k['events']} state-change events and none carries a loss or an overfitting status "
             f"({k['overfitting_status_matches']} matches for one). The regex val_loss=([0-9\\.]+) publishes {k['regex_val_loss_datapoints']} "
             f"validation:loss datapoints from the log. ")
    decision = f"stops it at epoch {tuning['stop_at']}" if tuning["stop_at"] else "lets it run"
    text += (f"In the tuning job the median of the earlier running averages at epoch 5 is {k['tuner_median_epoch5']:.2f}; the running job "
             f"reports {tuning['current'][4]:.2f} and the tuner {decision}. On the recurrent run only "
             f"{' and '.join(k['rnn_rules_issues_found'])} report IssuesFound.")
    return text
