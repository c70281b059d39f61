"""CloudWatch metrics and alarms: statistics, M-of-N, each missing-data mode, actions on transitions."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.cloudwatch import Alarm, CloudWatch, MetricStore
from simulations.monitoring.sns import Topic

UTC = timezone.utc
T0 = datetime(2024, 5, 1, 10, tzinfo=UTC)
NS, METRIC = "Training", "validation_loss"
PERIOD = 300


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


# metrics -----------------------------------------------------------------------------------
def test_get_metric_statistics_by_period():
    store = MetricStore()
    store.put_metric_values(NS, METRIC, [1.0, 2.0, 3.0, 10.0], [minutes(0.5), minutes(1), minutes(4.9), minutes(11)])
    points = store.get_metric_statistics(
        NS, METRIC, None, T0, minutes(15), PERIOD, ["Average", "Sum", "Minimum", "Maximum", "SampleCount"]
    )
    assert points == [
        {"Timestamp": T0, "Average": 2.0, "Sum": 6.0, "Minimum": 1.0, "Maximum": 3.0, "SampleCount": 3.0, "Unit": "None"},
        {"Timestamp": minutes(10), "Average": 10.0, "Sum": 10.0, "Minimum": 10.0, "Maximum": 10.0, "SampleCount": 1.0, "Unit": "None"},
    ]
    assert store.get_metric_statistics(NS, METRIC, None, minutes(5), minutes(10), PERIOD, ["Sum"]) == []


def test_dimensions_make_separate_series_in_either_spelling():
    store = MetricStore()
    store.put_metric_data(NS, METRIC, 1.0, T0, {"TrainingJob": "a"}, unit="Count")
    store.put_metric_data(NS, METRIC, 5.0, T0, [{"Name": "TrainingJob", "Value": "b"}], unit="Count")
    a = store.get_metric_statistics(NS, METRIC, [{"Name": "TrainingJob", "Value": "a"}], T0, minutes(5), PERIOD, ["Sum"])
    assert a == [{"Timestamp": T0, "Sum": 1.0, "Unit": "Count"}]
    assert store.get_metric_statistics(NS, METRIC, None, T0, minutes(5), PERIOD, ["Sum"]) == []
    assert len(store.list_metrics(NS)) == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"value": float("nan")}, "rejects NaN and"),
        ({"value": float("inf")}, "rejects NaN and"),
        ({"value": True}, "every value must be a number"),
        ({"value": "3"}, "every value must be a number"),
        ({"unit": "Furlongs"}, "'Furlongs' is not a CloudWatch standard unit"),
        ({"namespace": "AWS/SageMaker"}, "reserved"),
    ],
)
def test_put_metric_data_rejections(kwargs, message):
    args = {"namespace": NS, "metric_name": METRIC, "value": 1.0, "timestamp": T0} | kwargs
    with pytest.raises(ValueError, match=message):
        MetricStore().put_metric_data(**args)


def test_one_unit_per_metric_and_statistics_validation():
    store = MetricStore()
    store.put_metric_data(NS, METRIC, 1.0, T0, unit="Count")
    with pytest.raises(ValueError, match="was published with unit 'Count', now 'Percent'"):
        store.put_metric_data(NS, METRIC, 1.0, T0, unit="Percent")
    with pytest.raises(ValueError, match="statistics must be a non-empty list"):
        store.get_metric_statistics(NS, METRIC, None, T0, minutes(5), PERIOD, ["p90"])
    with pytest.raises(ValueError, match="multiple of 60"):
        store.get_metric_statistics(NS, METRIC, None, T0, minutes(5), 45, ["Sum"])


# alarm settings ----------------------------------------------------------------------------
def alarm(m=None, n=3, treat="missing", **extra) -> Alarm:
    settings = dict(
        name="overfitting", namespace=NS, metric_name=METRIC, dimensions=None, statistic="Average",
        period=PERIOD, evaluation_periods=n, threshold=3.0, comparison_operator="GreaterThanThreshold",
        datapoints_to_alarm=m, treat_missing_data=treat,
    )  # fmt: skip
    return Alarm(**(settings | extra))


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"statistic": "Median"}, "statistic must be one of"),
        ({"comparison_operator": "Above"}, "comparison_operator must be one of"),
        ({"treat_missing_data": "zero"}, "treat_missing_data must be one of"),
        ({"period": 45}, "period must be 10, 20, 30 or a multiple of 60"),
        ({"period": 5}, "period must be 10, 20, 30 or a multiple of 60"),
        ({"datapoints_to_alarm": 4}, "datapoints_to_alarm must be between 1 and evaluation_periods"),
        ({"evaluation_periods": 0}, "evaluation_periods must be a whole number"),
        ({"period": 3600, "evaluation_periods": 25}, "cannot exceed one day"),
        ({"threshold": float("nan")}, "threshold must be a finite number"),
        ({"alarm_actions": ["arn:aws:sns:x"]}, "neither a topic nor a callable"),
    ],
)
def test_alarm_settings_are_validated(extra, message):
    with pytest.raises(ValueError, match=message):
        alarm(**extra)


def test_new_alarm_starts_insufficient_and_m_defaults_to_n():
    fresh = alarm(n=4)
    assert fresh.state == "INSUFFICIENT_DATA"
    assert fresh.datapoints_to_alarm == 4


# the CloudWatch user guide tables (M of N = 3 of 3 and 2 of 3; 5 periods retrieved) ---------
def state_for(pattern: str, m: int, treat: str, prior: str | None = None) -> str:
    """Evaluate a fresh alarm over five 5-minute periods written oldest first: 0 ok, X breach, - missing."""
    store = MetricStore()
    slots = pattern.split()
    assert len(slots) == 5
    for k, slot in enumerate(slots):
        if slot != "-":
            store.put_metric_data(NS, METRIC, 5.0 if slot == "X" else 1.0, minutes(5 * k + 2))
    subject = alarm(m=m, treat=treat)
    if prior is not None:
        subject.set_state(prior, "test", T0)
    return subject.evaluate(minutes(25), store)


MODES = ("missing", "ignore", "breaching", "notBreaching")
KEEP = "keep"
# The rows of the two tables in the CloudWatch user guide, "How alarm state is evaluated when data
# is missing" (awsdocs/amazon-cloudwatch-user-guide @b3554970, doc_source/AlarmThatSendsEmail.md),
# quoted as written there: data points (newest right) | # to fill | MISSING | IGNORE | BREACHING | NOT BREACHING.
GUIDE_M3_OF_3 = """
|  0 - X - X  |  0  |  `OK`  |  `OK`  |  `OK`  |  `OK`  |
|  0 - - - -  |  2  |  `OK`  |  `OK`  |  `OK`  |  `OK`  |
|  - - - - -  |  3  |  `INSUFFICIENT_DATA`  |  Retain current state  |  `ALARM`  |  `OK`  |
|  0 X X - X  |  0  |  `ALARM`  |  `ALARM`  |  `ALARM`  |  `ALARM`  |
|  - - X - -   |  2  |  `ALARM`  |  Retain current state  |  `ALARM`  |  `OK`  |
"""
GUIDE_M2_OF_3 = """
|  0 - X - X  |  0  |  `ALARM`  |  `ALARM`  |  `ALARM`  |  `ALARM`  |
|  0 0 X 0 X  |  0  |  `ALARM`  |  `ALARM`  |  `ALARM`  |  `ALARM`  |
|  0 - X - -  |  1  |  `OK`  |  `OK`  |  `ALARM`  |  `OK`  |
|  - - - - 0  |  2  |  `OK`  |  `OK`  |  `ALARM`  |  `OK`  |
|  - - - X -  |  2  |  `ALARM`  |  Retain current state  |  `ALARM`  |  `OK`  |
"""


def guide_rows(table: str, m: int) -> list[tuple[str, int, tuple[str, ...]]]:
    rows = []
    for line in table.strip().splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        states = tuple(KEEP if c == "Retain current state" else c for c in cells[2:])
        rows.append((" ".join(cells[0].split()), m, states))
    return rows


TABLE = guide_rows(GUIDE_M3_OF_3, 3) + guide_rows(GUIDE_M2_OF_3, 2)
# The guide's prose around row 5: "- - - - X" and "- - - X -" with M = 3 do not go to ALARM yet.
PROSE = [("- - - - X", 3, ("INSUFFICIENT_DATA", KEEP, "ALARM", "OK")),
         ("- - - X -", 3, ("INSUFFICIENT_DATA", KEEP, "ALARM", "OK"))]
CASES = [
    pytest.param(pattern, m, mode, expected, id=f"{pattern.replace(' ', '')}-{m}of3-{mode}")
    for pattern, m, expected_row in TABLE + PROSE
    for mode, expected in zip(MODES, expected_row)
]


def test_the_quoted_tables_have_all_ten_rows():
    assert len(TABLE) == 10 and all(len(states) == 4 for _, _, states in TABLE)


@pytest.mark.parametrize("pattern, m, mode, expected", CASES)
def test_user_guide_missing_data_table(pattern, m, mode, expected):
    if expected == KEEP:
        for prior in ("OK", "ALARM"):
            assert state_for(pattern, m, mode, prior) == prior
        assert state_for(pattern, m, mode) == "INSUFFICIENT_DATA"
    else:
        assert state_for(pattern, m, mode) == expected
        assert state_for(pattern, m, mode, prior="ALARM" if expected == "OK" else "OK") == expected


def test_evaluation_ignores_the_period_still_in_progress():
    store = MetricStore()
    store.put_metric_data(NS, METRIC, 5.0, minutes(26))  # in 10:25-10:30, not finished at 10:29
    subject = alarm(m=1, n=1)
    assert subject.evaluate(minutes(29), store) == "INSUFFICIENT_DATA"
    assert subject.evaluate(minutes(30), store) == "ALARM"


# sequences over time, actions only on transitions -------------------------------------------
VALUES = [1, 5, 1, 5, 5, 1, 1, 1]  # one value per 5-minute period from 10:00; threshold 3


def run_sequence(m: int) -> tuple[list[str], CloudWatch, Topic, Topic]:
    alarm_topic, ok_topic = Topic("alarm"), Topic("ok")
    for topic in (alarm_topic, ok_topic):
        topic.confirm_subscription(topic.subscribe("email", "team@example.com").token)
    cw = CloudWatch()
    cw.put_metric_alarm(
        "overfitting", namespace=NS, metric_name=METRIC, dimensions=None, statistic="Average", period=PERIOD,
        evaluation_periods=3, datapoints_to_alarm=m, threshold=3.0, comparison_operator="GreaterThanThreshold",
        treat_missing_data="notBreaching", alarm_actions=[alarm_topic], ok_actions=[ok_topic],
    )  # fmt: skip
    states = []
    for k, value in enumerate(VALUES):
        cw.put_metric_data(NS, METRIC, float(value), minutes(5 * k + 1))
        cw.evaluate_alarms(minutes(5 * k + 5))
        states.append(cw.alarms["overfitting"].state)
    return states, cw, alarm_topic, ok_topic


def test_two_of_three_sequence_and_actions_only_on_transitions():
    states, cw, alarm_topic, ok_topic = run_sequence(m=2)
    assert states == ["OK", "OK", "OK", "ALARM", "ALARM", "ALARM", "OK", "OK"]
    history = cw.describe_alarm_history("overfitting")
    assert [(h["OldState"], h["NewState"], h["Timestamp"]) for h in history] == [
        ("INSUFFICIENT_DATA", "OK", "2024-05-01T10:05:00Z"),
        ("OK", "ALARM", "2024-05-01T10:20:00Z"),
        ("ALARM", "OK", "2024-05-01T10:35:00Z"),
    ]
    assert history[1]["HistorySummary"] == "Alarm updated from OK to ALARM"
    assert [p["value"] for p in history[1]["Datapoints"]] == [5.0, 1.0, 5.0]
    assert "Threshold Crossed: 2 out of the last 3 datapoints [5 (01/05/24 10:15:00), 1 (01/05/24 10:10:00), 5 (01/05/24 10:05:00)]" in history[1]["Reason"]

    (alarm_mail,) = alarm_topic.outbox.notifications()  # ALARM persisted for 3 evaluations, one email
    body = json.loads(alarm_mail.body)
    assert body["AlarmName"] == "overfitting"
    assert (body["OldStateValue"], body["NewStateValue"]) == ("OK", "ALARM")
    assert body["StateChangeTime"] == "2024-05-01T10:20:00Z"
    assert body["NewStateReason"].startswith("Threshold Crossed: 2 out of the last 3")
    assert body["Trigger"]["MetricName"] == METRIC
    assert alarm_mail.subject == 'ALARM: "overfitting" in us-east-1'
    assert [json.loads(e.body)["NewStateValue"] for e in ok_topic.outbox.notifications()] == ["OK", "OK"]


def test_three_of_three_needs_consecutive_breaches():
    states, _, alarm_topic, _ = run_sequence(m=3)
    assert states == ["OK"] * 8
    assert alarm_topic.outbox.notifications() == []


def test_alarm_driven_by_the_clock_with_a_callable_action():
    clock = SimulatedClock(T0)
    received = []
    cw = CloudWatch()
    cw.put_metric_alarm(
        "drift", namespace=NS, metric_name=METRIC, dimensions={"Endpoint": "churn"}, statistic="Maximum",
        period=60, evaluation_periods=1, threshold=0.1, comparison_operator="GreaterThanThreshold",
        alarm_actions=[received.append],
    )  # fmt: skip
    cw.attach(clock)
    cw.put_metric_data(NS, METRIC, 0.27, minutes(3.5), {"Endpoint": "churn"})
    clock.advance(timedelta(minutes=10))
    assert [m["NewStateValue"] for m in received] == ["ALARM"]
    assert received[0]["StateChangeTime"] == "2024-05-01T10:04:00Z"
    assert received[0]["Trigger"]["Dimensions"] == [{"name": "Endpoint", "value": "churn"}]
    # with treat_missing_data=missing, the minutes after the breach have no data -> INSUFFICIENT_DATA
    assert [h["NewState"] for h in cw.describe_alarm_history("drift")] == ["ALARM", "INSUFFICIENT_DATA"]


def test_actions_disabled_and_replacing_an_alarm_keeps_state():
    topic = Topic("t")
    topic.confirm_subscription(topic.subscribe("email", "a@example.com").token)
    cw = CloudWatch()
    settings = dict(
        namespace=NS, metric_name=METRIC, dimensions=None, statistic="Sum", period=60, evaluation_periods=1,
        threshold=0.0, comparison_operator="GreaterThanThreshold", alarm_actions=[topic],
    )  # fmt: skip
    cw.put_metric_alarm("a", actions_enabled=False, **settings)
    cw.put_metric_data(NS, METRIC, 1.0, T0)
    cw.evaluate_alarms(minutes(1))
    assert cw.alarms["a"].state == "ALARM"
    assert topic.outbox.notifications() == []
    replaced = cw.put_metric_alarm("a", **settings)
    assert replaced.state == "ALARM" and len(cw.describe_alarm_history("a")) == 1
    assert cw.describe_alarms(["a"])[0]["StateValue"] == "ALARM"
    with pytest.raises(LookupError, match="does not exist"):
        cw.describe_alarm_history("nope")


def test_many_datapoints_stay_fast():
    store = MetricStore()
    n = 200_000
    times = np.datetime64("2024-05-01T00:00:00") + np.arange(n).astype("timedelta64[s]")
    store.put_metric_values(NS, METRIC, np.linspace(0, 1, n), times)
    points = store.get_metric_statistics(NS, METRIC, None, "2024-05-01T00:00:00Z", "2024-05-04T00:00:00Z", 3600, ["SampleCount", "Maximum"])
    assert sum(p["SampleCount"] for p in points) == n
    assert points[-1]["Maximum"] == 1.0


def test_only_the_service_side_publishes_into_aws_namespaces():
    store = MetricStore()
    with pytest.raises(ValueError, match="reserved for AWS services"):
        store.put_metric_data("AWS/SageMaker", "Invocations", 1.0, T0, {"EndpointName": "e"}, "Count")
    start = T0.timestamp()
    store.publish_service_metric("AWS/SageMaker", "Invocations", [1, 1, 1], [start + 5, start + 65, start + 70],
                                 {"EndpointName": "e"}, "Count")
    times, values, unit = store.datapoints("AWS/SageMaker", "Invocations", {"EndpointName": "e"})
    assert list(times - start) == [5, 65, 70] and unit == "Count"
    sums = store.period_statistics("AWS/SageMaker", "Invocations", {"EndpointName": "e"}, T0, 60, 2)["Sum"]
    assert list(sums) == [1.0, 2.0]
    with pytest.raises(ValueError, match="CloudWatch rejects NaN"):
        store.publish_service_metric("AWS/SageMaker", "Invocations", [float("nan")], [start], {"EndpointName": "e"}, "Count")
    times, values, unit = store.datapoints("AWS/SageMaker", "Missing")
    assert len(times) == len(values) == 0 and unit == "None"
