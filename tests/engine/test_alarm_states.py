"""``alarm_states`` (one vectorised pass) against ``Alarm.evaluate`` called at every period's end."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.monitoring.cloudwatch import ALARM, COMPARISON_OPERATORS, TREAT_MISSING_DATA, CloudWatch, alarm_states

T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)


def evaluated_one_by_one(values, **settings_) -> list[str]:
    cw = CloudWatch()
    times = [T0 + timedelta(minutes=t, seconds=20) for t, v in enumerate(values) if not np.isnan(v)]
    if times:
        cw.metrics.put_metric_values("Test", "m", [v for v in values if not np.isnan(v)], times, {"E": "e"}, "None")
    alarm = cw.put_metric_alarm("a", namespace="Test", metric_name="m", dimensions={"E": "e"}, statistic="Average",
                                period=60, **settings_)
    return [alarm.evaluate(T0 + timedelta(minutes=t + 1), cw.metrics) for t in range(len(values))]


@st.composite
def alarm_cases(draw):
    n = draw(st.integers(1, 5))
    values = draw(st.lists(st.sampled_from([np.nan, 0.0, 1.0, 2.0]), min_size=1, max_size=30))
    return values, {
        "threshold": 1.0,
        "evaluation_periods": n,
        "datapoints_to_alarm": draw(st.integers(1, n)),
        "comparison_operator": draw(st.sampled_from(sorted(COMPARISON_OPERATORS))),
        "treat_missing_data": draw(st.sampled_from(TREAT_MISSING_DATA)),
    }


@settings(max_examples=300, deadline=None)
@given(alarm_cases())
def test_the_vectorised_states_are_the_alarms_states_period_by_period(case):
    values, config = case
    assert list(alarm_states(np.array(values), **config)) == evaluated_one_by_one(values, **config)


@pytest.mark.parametrize(("row", "m", "mode", "expected"), [
    ("--X--", 3, "missing", ALARM),  # the user guide's premature-alarm rows
    ("---X-", 2, "missing", ALARM),
    ("0-X--", 2, "missing", "OK"),
    ("-----", 3, "missing", "INSUFFICIENT_DATA"),
    ("-----", 3, "breaching", ALARM),
])
def test_user_guide_rows_end_in_the_documented_state(row, m, mode, expected):
    values = np.array([np.nan if c == "-" else 0.0 if c == "0" else 2.0 for c in row])
    states = alarm_states(values, threshold=1.0, evaluation_periods=3, datapoints_to_alarm=m, treat_missing_data=mode)
    assert states[-1] == expected


def test_bad_settings_are_refused_by_name():
    with pytest.raises(ValueError, match="treat_missing_data"):
        alarm_states(np.zeros(3), threshold=1, evaluation_periods=3, treat_missing_data="drop")
    with pytest.raises(ValueError, match="datapoints_to_alarm"):
        alarm_states(np.zeros(3), threshold=1, evaluation_periods=3, datapoints_to_alarm=4)
