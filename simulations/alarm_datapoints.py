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
