"""EventBridge event patterns: the user guide's matching rules on SageMaker-shaped events."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulations.monitoring.eventbridge import PatternError, matches, matching

EVENT = {
    "source": "aws.sagemaker",
    "detail-type": "SageMaker Training Job State Change",
    "detail": {
        "TrainingJobName": "job-1",
        "TrainingJobStatus": "Completed",
        "FinalMetricDataList": [{"MetricName": "train:loss", "Value": 0.05}, {"MetricName": "validation:loss", "Value": 0.31}],
        "Tags": ["team-a", "nightly"],
        "Spot": False,
    },
}


def test_exact_values_and_nested_objects():
    assert matches({"source": ["aws.sagemaker"], "detail": {"TrainingJobStatus": ["Failed", "Completed"]}}, EVENT)
    assert not matches({"detail": {"TrainingJobStatus": ["InProgress"]}}, EVENT)
    assert not matches({"detail": {"ValidationLossTrend": ["rising"]}}, EVENT)  # a field no event has


def test_arrays_in_the_event_match_when_any_element_does():
    assert matches({"detail": {"Tags": ["nightly"]}}, EVENT)
    assert matches({"detail": {"FinalMetricDataList": {"MetricName": ["validation:loss"], "Value": [{"numeric": [">", 0.3]}]}}}, EVENT)
    assert not matches({"detail": {"FinalMetricDataList": {"MetricName": ["validation:loss"], "Value": [{"numeric": [">", 0.4]}]}}}, EVENT)


def test_content_filters():
    assert matches({"detail": {"TrainingJobName": [{"prefix": "job-"}]}}, EVENT)
    assert matches({"detail": {"TrainingJobName": [{"suffix": "-1"}]}}, EVENT)
    assert not matches({"detail": {"TrainingJobStatus": [{"anything-but": ["Completed", "Stopped"]}]}}, EVENT)
    assert matches({"detail": {"TrainingJobStatus": [{"anything-but": "Failed"}]}}, EVENT)
    assert matches({"detail": {"FailureReason": [{"exists": False}], "TrainingJobName": [{"exists": True}]}}, EVENT)
    assert not matches({"detail": {"FailureReason": [{"exists": True}]}}, EVENT)
    assert matches({"detail": {"FinalMetricDataList": {"Value": [{"numeric": [">=", 0.3, "<", 0.32]}]}}}, EVENT)


def test_json_types_are_kept_apart():
    assert matches({"detail": {"Spot": [False]}}, EVENT)
    assert not matches({"detail": {"Spot": [0]}}, EVENT)
    assert not matches({"detail": {"TrainingJobName": [{"numeric": [">", 0]}]}}, EVENT)


@pytest.mark.parametrize("pattern", [{}, {"source": "aws.sagemaker"}, {"source": []}, {"detail": {"X": [{"numeric": ["~", 1]}]}},
                                     {"detail": {"X": [{"regex": "a"}]}}])
def test_bad_patterns_are_errors(pattern):
    event = {"source": "aws.sagemaker", "detail": {"X": 1}}
    with pytest.raises(PatternError):
        matches(pattern, event)


@given(st.lists(st.sampled_from(["InProgress", "Completed", "Failed", "Stopped"]), min_size=0, max_size=12),
       st.sets(st.sampled_from(["InProgress", "Completed", "Failed", "Stopped"]), min_size=1))
def test_matching_keeps_exactly_the_events_with_a_listed_status(statuses, wanted):
    events = [{"detail": {"TrainingJobStatus": s, "n": i}} for i, s in enumerate(statuses)]
    got = matching({"detail": {"TrainingJobStatus": sorted(wanted)}}, events)
    assert [e["detail"]["n"] for e in got] == [i for i, s in enumerate(statuses) if s in wanted]
