"""The computation questions of cloudwatch-alarms: given datapoints and alarm settings, what state?

Each question's datapoints become a metric series in the engine's ``CloudWatch`` (one datapoint per
minute, NaN = nothing published), each option's alarm configuration is created with
``put_metric_alarm`` and evaluated after every minute (every minute of simulated time, as CloudWatch
does); the outcomes are judged on the states the engine reports, never on a rule restated here.
Used by ``simulations.cloudwatch_alarms``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from simulations.monitoring.cloudwatch import ALARM, OK, CloudWatch
from simulations.monitoring.sns import Outbox, Topic
from simulations.monitoring.utc import UTC
from simulations.result import Outcome, check, criterion

START = datetime(2025, 3, 3, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
NS = "Team/Endpoint"


def alarm_states(values: np.ndarray, every_minute: bool = True, topic: Topic | None = None, **settings) -> list[str]:
    """Publish ``values[k]`` during minute k (NaN: nothing published), evaluate after each minute;
    the alarm's state after every minute. ``settings`` are PutMetricAlarm's (period, thresholds ...)."""
    values = np.asarray(values, dtype=float)
    present = np.flatnonzero(~np.isnan(values))
    cloudwatch = CloudWatch()
    if len(present):
        cloudwatch.metrics.put_metric_values(NS, "metric", values[present],
                                             [START + int(k) * MINUTE + timedelta(seconds=30) for k in present])
    settings = {"statistic": "Sum", "period": 60, "comparison_operator": "GreaterThanThreshold"} | settings
    alarm = cloudwatch.put_metric_alarm("alarm", namespace=NS, metric_name="metric", dimensions=None,
                                        alarm_actions=[topic] if topic else [], **settings)
    states = []
    for k in range(len(values)):
        alarm.evaluate(START + (k + 1) * MINUTE, cloudwatch.metrics)
        states.append(alarm.state)
    return states


def first_alarm(states: list[str], offset: int = 0) -> int:
    """The first minute (1-based, counted from ``offset``) after which the state is ALARM; 0 if never."""
    hits = [k for k, s in enumerate(states) if s == ALARM and k >= offset]
    return hits[0] - offset + 1 if hits else 0


# -- alarm-m-of-n-sliding-window -----------------------------------------------------------------------
SLIDING = np.array([12, 4, 10, 14, 2, 11, 13], dtype=float)


def sliding_window_outcomes(rng: np.random.Generator) -> list[Outcome]:
    """An hour below 10, then the question's seven minutes; Sum, 60 s, 3 of 5, > 10."""
    history = rng.integers(0, 10, 60).astype(float)
    config = {"evaluation_periods": 5, "datapoints_to_alarm": 3, "threshold": 10.0}
    states = alarm_states(np.r_[history, SLIDING], **config)
    minutes = states[60:]
    first = first_alarm(states, 60)
    ge_first = first_alarm(alarm_states(np.r_[history, SLIDING], comparison_operator="GreaterThanOrEqualToThreshold", **config), 60)
    before = sum(s != OK for s in states[5:60])
    shown = ", ".join(f"{k + 1}: {s}" for k, s in enumerate(minutes))
    finding = f"States after minutes 1-7: {shown}."
    when = f"first ALARM after minute {first}" if first else "never went to ALARM"

    def claim(key: str, minute: int, label: str, extra: str = "") -> Outcome:
        crits = [criterion("first minute after which the alarm is in ALARM", first, "==", minute, detail=when),
                 criterion("minutes not OK in the hour before", before, "==", 0)]
        return Outcome(key, label, crits, evidence={"states": minutes, "first_alarm_minute": first},
                       finding=f"{finding} {extra}".strip(), key=key)

    breaches = SLIDING > 10
    since_start = int(np.argmax(np.cumsum(breaches) >= 3)) + 1
    runs = np.diff(np.flatnonzero(np.r_[True, ~breaches, True])) - 1
    return [
        claim("m-of-n:minute-6", 6, "minute 6 (three breaches since minute 1)",
              f"Counting breaches since minute 1 reaches 3 at minute {since_start}, but minute 1 has left the 5-minute window by then."),
        claim("m-of-n:minute-7", 7, "minute 7"),
        claim("m-of-n:minute-4", 4, "minute 4 (10 counted as breaching)",
              f"With GreaterThanOrEqualToThreshold the same alarm would go to ALARM after minute {ge_first}."),
        Outcome("m-of-n:stays-ok", "stays OK (breaches never three in a row)", [
            criterion("minutes in ALARM among the seven", sum(s == ALARM for s in minutes), "==", 0, detail=when)],
            evidence={"longest_breach_run": int(runs.max())},
            finding=f"{finding} The longest run of consecutive breaches is {int(runs.max())} minutes.", key="m-of-n:stays-ok"),
    ]


# -- alarm-which-configs-fire ----------------------------------------------------------------------------
SIX_MINUTES = np.array([0, 7, 9, 0, 8, 6], dtype=float)
CONFIGS = {  # key: (threshold, EvaluationPeriods, DatapointsToAlarm)
    "configs:t5-n3-m3": (5.0, 3, 3),
    "configs:t5-n6-m5": (5.0, 6, 5),
    "configs:t5-n4-m3": (5.0, 4, 3),
    "configs:t7-n2-m2": (7.0, 2, 2),
    "configs:t5-n2-m2": (5.0, 2, 2),
}


def which_configs_outcomes() -> list[Outcome]:
    out = []
    for key, (threshold, n, m) in CONFIGS.items():
        states = alarm_states(SIX_MINUTES, threshold=threshold, evaluation_periods=n, datapoints_to_alarm=m)
        last = SIX_MINUTES[-n:]
        breaching = int((last > threshold).sum())
        out.append(Outcome(key, f"threshold {threshold:g}, {m} of {n}", [
            check("in ALARM after minute 6", states[-1] == ALARM, f"state {states[-1]}", f"state {states[-1]}")],
            evidence={"states": states, "breaching_in_last_n": breaching},
            finding=f"The last {n} minutes hold {', '.join(f'{v:g}' for v in last)}: {breaching} above {threshold:g}, {m} needed.",
            key=key))
    return out


# -- alarm-missing-heartbeat-breaching -------------------------------------------------------------------
def heartbeat_outcomes(rng: np.random.Generator, outage: int = 40) -> list[Outcome]:
    """FeaturesWritten every minute for two hours (one quiet minute writes 0), then nothing for
    ``outage`` minutes, then an hour of normal publishing. < 1 for 5 of 5 minutes, ALARM -> SNS."""
    before = rng.integers(40, 90, 120).astype(float)
    before[70] = 0.0  # one quiet minute with nothing to write
    values = np.r_[before, np.full(outage, np.nan), rng.integers(40, 90, 60).astype(float)]
    gap = slice(120, 120 + outage)
    options = {
        "heartbeat:breaching": ("TreatMissingData = breaching", {"treat_missing_data": "breaching"}),
        "heartbeat:not-breaching": ("TreatMissingData = notBreaching", {"treat_missing_data": "notBreaching"}),
        "heartbeat:ignore": ("TreatMissingData = ignore", {"treat_missing_data": "ignore"}),
        "heartbeat:one-datapoint": ("DatapointsToAlarm 1 (missing, the default)", {"datapoints_to_alarm": 1}),
    }
    out = []
    for key, (label, extra) in options.items():
        outbox = Outbox()
        topic = Topic("features-alerts", outbox=outbox)
        topic.confirm_subscription(topic.subscribe("email", "oncall@example.com", timestamp=START).token)
        settings = {"evaluation_periods": 5, "datapoints_to_alarm": 5, "threshold": 1.0,
                    "comparison_operator": "LessThanThreshold"} | extra
        states = alarm_states(values, topic=topic, **settings)
        mails = [int((e.timestamp - START) // MINUTE) - 1 for e in outbox.notifications("oncall@example.com")]
        during = [k for k in mails if gap.start <= k < gap.stop]
        false = [k for k in mails if k < gap.start]
        gap_states = states[gap]
        counts = {s: gap_states.count(s) for s in dict.fromkeys(gap_states)}
        out.append(Outcome(key, label, [
            criterion("notifications during the outage", len(during), ">=", 1,
                      detail=f"first {during[0] - gap.start + 1} minute(s) into it" if during else "none"),
            criterion("notifications while the function was publishing", len(false), "==", 0,
                      detail=f"first at minute {false[0]}" if false else "the one quiet minute with 0 did not page"),
        ], evidence={"outage_states": counts},
            finding="States during the outage: " + ", ".join(f"{s} {c} min" for s, c in counts.items()) + ".", key=key))
    return out


# -- alarm-ignore-keeps-state ----------------------------------------------------------------------------
TREAT_OPTIONS = {"ignore-state:missing": "missing", "ignore-state:breaching": "breaching",
                 "ignore-state:not-breaching": "notBreaching", "ignore-state:ignore": "ignore"}


def ignore_state_outcomes(rng: np.random.Generator) -> list[Outcome]:
    """p99 ModelLatency of recs-v1, > 500 ms for 3 of 3 minutes. An hour of traffic, 20 minutes with
    none, 40 minutes of traffic, a 10-minute incident, then the endpoint is deleted (no data for 2 hours).
    Which TreatMissingData reproduces both observations: OK through the quiet gap, ALARM ever after?"""
    normal = lambda size: rng.normal(180.0, 25.0, size).clip(60.0, 400.0)  # noqa: E731
    values = np.r_[normal(60), np.full(20, np.nan), normal(40), rng.normal(900.0, 60.0, 10), np.full(120, np.nan)]
    quiet, deleted = slice(60, 80), slice(130, 250)
    out = []
    for key, mode in TREAT_OPTIONS.items():
        states = alarm_states(values, statistic="Maximum", evaluation_periods=3, threshold=500.0, treat_missing_data=mode)
        in_quiet, after = states[quiet], states[deleted]
        off_quiet = [s for s in dict.fromkeys(in_quiet) if s != OK]
        off_after = [s for s in dict.fromkeys(after) if s != ALARM]
        out.append(Outcome(key, f"TreatMissingData = {mode}", [
            check("stays OK through the 20 quiet minutes", not off_quiet, f"OK all {len(in_quiet)} minutes",
                  f"{sum(s != OK for s in in_quiet)} of {len(in_quiet)} minutes in {' / '.join(off_quiet)}"),
            check("stays in ALARM after the endpoint is deleted", not off_after, f"ALARM all {len(after)} minutes",
                  f"{sum(s != ALARM for s in after)} of {len(after)} minutes in {' / '.join(off_after)}"),
        ], evidence={"quiet_states": in_quiet, "after_deletion_states": after, "incident_state": states[129]},
            finding=f"At the end of the incident the alarm was in {states[129]}.", key=key))
    return out


# -- alarm-sparse-errors-notbreaching --------------------------------------------------------------------
def sparse_errors_outcomes(rng: np.random.Generator, hours: int = 6) -> list[Outcome]:
    """PredictionValidationFailures: a datapoint of 1 per failure, none in quiet periods. Six hours
    with three lone failures early on, then one burst of 7 failures within five minutes and quiet
    ever after. Sum over 300 s >= 5, one period."""
    minutes = hours * 60
    counts = np.zeros(minutes)
    counts[rng.choice(np.arange(20, 150), 3, replace=False)] = 1
    burst = 5 * int(rng.integers(33, 45))  # a burst filling one aligned five-minute period
    counts[burst: burst + 5] = [2, 1, 2, 1, 1]
    values = np.where(counts > 0, counts, np.nan)  # nothing is published in a minute without failures
    burst_end = burst + 5  # the minute the burst's period completes
    options = {
        "sparse:breaching": ("TreatMissingData = breaching", {"treat_missing_data": "breaching"}),
        "sparse:ignore": ("TreatMissingData = ignore", {"treat_missing_data": "ignore"}),
        "sparse:not-breaching": ("TreatMissingData = notBreaching", {"treat_missing_data": "notBreaching"}),
        "sparse:missing-12-periods": ("missing (default), EvaluationPeriods 12", {"evaluation_periods": 12}),
    }
    out = []
    for key, (label, extra) in options.items():
        settings = {"period": 300, "evaluation_periods": 1, "threshold": 5.0,
                    "comparison_operator": "GreaterThanOrEqualToThreshold"} | extra
        states = np.array(alarm_states(values, **settings))
        minute = np.arange(minutes)
        quiet = (minute < burst) | (minute >= burst_end + 60)
        alarmed = np.flatnonzero(states[burst_end - 1:] == ALARM)
        lag = int(alarmed[0]) if len(alarmed) else minutes - burst_end
        shown = {s: int((states == s).sum()) for s in dict.fromkeys(states.tolist())}
        out.append(Outcome(key, label, [
            criterion("minutes in INSUFFICIENT_DATA", shown.get("INSUFFICIENT_DATA", 0), "==", 0, detail=f"of {minutes}"),
            criterion("quiet minutes in ALARM, before the burst or from an hour after it", int((states[quiet] == ALARM).sum()), "==", 0,
                      detail=f"of {int(quiet.sum())}"),
            criterion("minutes from the end of the burst's period to ALARM", lag, "<=", 1,
                      detail=f"{int(counts[burst:burst_end].sum())} failures in that period" + ("" if len(alarmed) else "; never in ALARM after it")),
        ], evidence={"minutes_per_state": shown, "states": states.tolist(), "burst_minute": burst},
            finding="Minutes per state over six hours: " + ", ".join(f"{s} {c}" for s, c in shown.items()) + ".", key=key))
    return out


# -- alarm-detection-time-config -------------------------------------------------------------------------
DETECTION_CONFIGS = {  # key: (Period, EvaluationPeriods, DatapointsToAlarm)
    "detection:60s-2-of-3": (60, 3, 2),
    "detection:60s-1-of-1": (60, 1, 1),
    "detection:300s-1-of-1": (300, 1, 1),
    "detection:60s-5-of-5": (60, 5, 5),
}
CURRENT = (300, 3, 3)
GOAL_MINUTES = 3
REQUESTS_PER_MINUTE = 120


def p99_datapoints(latency: np.ndarray, period: int) -> np.ndarray:
    """One p99 datapoint per period from per-request latencies (minutes x requests), placed in the
    period's first minute; the other minutes publish nothing (CloudWatch computes p99 per period)."""
    per = period // 60
    blocks = np.percentile(latency.reshape(-1, per * latency.shape[1]), 99, axis=1)
    out = np.full(latency.shape[0], np.nan)
    out[::per] = blocks
    return out


def detection_outcomes(rng: np.random.Generator) -> list[Outcome]:
    """p99 ModelLatency > 500 ms. A six-hour day with four isolated one-minute spikes (every request of
    the minute slow), and five runs whose sustained slowdown starts 0-4 minutes into a five-minute period."""
    normal = lambda minutes: rng.lognormal(np.log(180.0), 0.25, (minutes, REQUESTS_PER_MINUTE))  # noqa: E731
    slow = lambda minutes: rng.normal(850.0, 60.0, (minutes, REQUESTS_PER_MINUTE))  # noqa: E731
    day = normal(360)
    spikes = 30 + 80 * np.arange(4) + rng.integers(0, 40, 4)  # at least 40 minutes apart
    day[spikes] = slow(len(spikes))
    starts = 20 + np.arange(5)  # minute 20 starts a five-minute period
    runs = [np.r_[normal(int(s)), slow(40 - int(s))] for s in starts]

    def judge(period: int, n: int, m: int) -> tuple[int, int, list[int]]:
        settings = {"statistic": "Maximum", "period": period, "evaluation_periods": n, "datapoints_to_alarm": m, "threshold": 500.0}
        states = alarm_states(p99_datapoints(day, period), **settings)
        pages = sum(s == ALARM and (k == 0 or states[k - 1] != ALARM) for k, s in enumerate(states))
        times = []
        for s, run in zip(starts, runs):
            first = first_alarm(alarm_states(p99_datapoints(run, period), **settings), int(s))
            times.append(first if first else 40 - int(s) + 1)
        return pages, max(times), times

    current = judge(*CURRENT)[1]
    out = []
    for key, (period, n, m) in DETECTION_CONFIGS.items():
        pages, worst, times = judge(period, n, m)
        out.append(Outcome(key, f"Period {period} s, {m} of {n}", [
            criterion("minutes from the start of a sustained slowdown to ALARM, worst case", worst, "<=", GOAL_MINUTES,
                      detail=f"{', '.join(map(str, times))} for starts 0-4 minutes into a five-minute period"),
            criterion("pages on isolated one-minute spikes", pages, "==", 0, detail=f"{len(spikes)} spikes in six hours"),
        ], evidence={"detection_minutes": times, "spike_pages": pages},
            finding=f"The current alarm (Period {CURRENT[0]} s, {CURRENT[2]} of {CURRENT[1]}) needs up to {current} minutes.", key=key))
    return out


# -- mon-log-metric-filter-alarm -------------------------------------------------------------------------
OOM = "CUDA out of memory"
LOG_MINUTES, INSTANCES = 360, 3


def endpoint_logs(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Six hours of container log lines from three instances: requests, unrelated 5XX failures (one
    upstream outage), three out-of-memory episodes of 5-8 lines within one five-minute period, two lone
    out-of-memory lines. Also the GPU memory utilization per minute, which never exceeds 100 %."""
    minute = np.repeat(np.arange(LOG_MINUTES), 20 * INSTANCES)
    instance = np.tile(np.repeat(np.arange(INSTANCES), 20), LOG_MINUTES)
    kind = np.where(rng.random(len(minute)) < 0.004, 1, 0)  # 0 request, 1 unrelated failure
    outage = 5 * int(rng.integers(12, 20))  # an upstream outage: many unrelated failures in one period
    kind[(minute >= outage) & (minute < outage + 3) & (rng.random(len(minute)) < 0.3)] = 1
    oom_periods = 5 * (18 + 16 * np.arange(3) + rng.integers(0, 8, 3))  # at least 40 minutes apart
    extra_minutes, extra_instances = [], []
    for start in oom_periods:
        size = int(rng.integers(5, 9))
        extra_minutes += (start + 1 + rng.integers(0, 3, size)).tolist()
        extra_instances += rng.integers(0, INSTANCES, size).tolist()
    lone = rng.choice(np.arange(10, LOG_MINUTES - 10), 2, replace=False)
    extra_minutes += lone.tolist()
    extra_instances += rng.integers(0, INSTANCES, 2).tolist()
    messages = np.array(["POST /invocations 200", "POST /invocations 500 upstream feature store timeout",
                         f"RuntimeError: {OOM}. Tried to allocate 2.00 GiB; POST /invocations 500"])
    logs = pd.DataFrame({"minute": np.r_[minute, extra_minutes], "instance": np.r_[instance, extra_instances],
                         "message": messages[np.r_[kind, np.full(len(extra_minutes), 2)]]})
    gpu = np.minimum(100.0, rng.normal(88.0, 3.0, LOG_MINUTES))  # the one-minute average, capped by the device
    return logs.sort_values("minute", kind="stable").reset_index(drop=True), oom_periods, gpu


def log_filter_outcomes(rng: np.random.Generator) -> list[Outcome]:
    logs, oom_periods, gpu = endpoint_logs(rng)
    is_oom = logs["message"].str.contains(OOM, regex=False).to_numpy()
    is_5xx = logs["message"].str.contains(" 500", regex=False).to_numpy()
    per_minute = lambda mask: np.bincount(logs["minute"].to_numpy()[mask], minlength=LOG_MINUTES).astype(float)  # noqa: E731
    oom, errors = per_minute(is_oom), per_minute(is_5xx)
    periods = oom.reshape(-1, 5).sum(axis=1)
    due = np.flatnonzero(periods > 3)  # what the team wants to hear about: > 3 OOM lines in a period
    alarm_300 = {"period": 300, "evaluation_periods": 1, "threshold": 3.0}  # default value 0: no minute is missing

    def notified_minutes(states: list[str]) -> list[int]:
        return [k for k, s in enumerate(states) if s == ALARM and (k == 0 or states[k - 1] != ALARM)]

    def logs_insights_lambda() -> list[int]:  # runs every 5 minutes, counts the last 5 minutes' OOM lines
        return [end - 1 for end in range(5, LOG_MINUTES + 1, 5) if oom[end - 5:end].sum() > 3]

    setups = {  # key: (label, notification minutes, functions/schedules the team deploys and maintains)
        "logs:metric-filter-alarm": ("metric filter (default 0) + alarm Sum 300 s > 3 -> SNS",
                                     notified_minutes(alarm_states(oom, **alarm_300)), []),
        "logs:gpu-memory-alarm": ("alarm on GPUMemoryUtilization > 100 % for 5 minutes",
                                  notified_minutes(alarm_states(gpu, statistic="Maximum", evaluation_periods=5, threshold=100.0)), []),
        "logs:scheduled-insights-lambda": ("EventBridge schedule + Lambda running a Logs Insights query",
                                           logs_insights_lambda(), ["Lambda function", "EventBridge schedule", "IAM role"]),
        "logs:5xx-alarm": ("alarm on Invocation5XXErrors Sum 300 s > 3", notified_minutes(alarm_states(errors, **alarm_300)), []),
    }
    out = []
    for key, (label, mails, code) in setups.items():
        mail_periods = {k // 5 for k in mails}  # a notification at the end of period p is at minute 5p + 4
        missed = [int(p) for p in due if not ({p, p + 1} & mail_periods)]
        false = sorted(p for p in mail_periods if not any(p in (d, d + 1) for d in due))
        out.append(Outcome(key, label, [
            criterion("periods with more than 3 out-of-memory lines and no notification", len(missed), "==", 0,
                      detail=f"{len(due)} such periods" + (f"; first missed at minute {missed[0] * 5}" if missed else "")),
            criterion("notifications with no out-of-memory burst", len(false), "==", 0,
                      detail=f"first at minute {false[0] * 5}" if false else f"{len(mails)} notification(s)"),
            criterion("functions, schedules and roles to deploy and maintain", len(code), "==", 0,
                      detail=", ".join(code) if code else "configuration only"),
        ], evidence={"notification_minutes": mails, "burst_periods": due.tolist()},
            finding=f"{int(oom.sum())} out-of-memory lines and {int(errors.sum())} failed requests in six hours; "
                    f"GPU memory utilization peaked at {gpu.max():.1f} %.", key=key))
    return out
