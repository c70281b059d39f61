"""Simulated clock, monitoring schedules, execution statuses, endpoint deletion rule (F33)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from simulations.monitoring.clock import SimulatedClock
from simulations.monitoring.cron import CronExpressionGenerator
from simulations.monitoring.schedule import (
    ModelMonitorService,
    MonitoringJobError,
    MonitoringSchedule,
    ResourceInUse,
    ResourceNotFound,
)

UTC = timezone.utc
HOURLY = CronExpressionGenerator.hourly()


def t(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


class RecordingJob:
    """A job that records its windows and returns violations from a script."""

    def __init__(self, outcomes=None):
        self.windows: list[tuple[datetime, datetime]] = []
        self.outcomes = list(outcomes or [])

    def __call__(self, start, end):
        self.windows.append((start, end))
        outcome = self.outcomes.pop(0) if self.outcomes else []
        if isinstance(outcome, Exception):
            raise outcome
        return {"violations": outcome}


@pytest.fixture
def service():
    svc = ModelMonitorService(SimulatedClock(t(2024, 5, 1, 10, 30)))
    svc.create_endpoint("churn")
    return svc


def test_clock_moves_forward_only():
    clock = SimulatedClock("2024-05-01T10:00:00Z")
    assert clock.advance(timedelta(hours=2)) == t(2024, 5, 1, 12)
    with pytest.raises(ValueError, match="cannot go backwards"):
        clock.run_until(t(2024, 5, 1, 11))
    with pytest.raises(ValueError, match="cannot go backwards"):
        clock.advance(timedelta(seconds=-1))


def test_clock_every_runs_in_time_order():
    clock = SimulatedClock(t(2024, 5, 1))
    seen = []
    clock.every(timedelta(minutes=30), lambda at: seen.append(("half", at)))
    clock.every(timedelta(hours=1), lambda at: seen.append(("hour", at)))
    clock.advance(timedelta(hours=1, minutes=10))
    assert seen == [("half", t(2024, 5, 1, 0, 30)), ("half", t(2024, 5, 1, 1)), ("hour", t(2024, 5, 1, 1))]
    assert clock.now == t(2024, 5, 1, 1, 10)


def test_hourly_executions_with_each_status(service):
    job = RecordingJob([[], [{"feature_name": "age"}], MonitoringJobError("No captured data in the window")])
    service.create_monitoring_schedule(MonitoringSchedule("hourly", "churn", HOURLY, job))
    service.clock.advance(timedelta(hours=3))
    executions = service.list_monitoring_executions("hourly")
    assert [e.scheduled_time for e in executions] == [t(2024, 5, 1, 11), t(2024, 5, 1, 12), t(2024, 5, 1, 13)]
    assert [e.status for e in executions] == ["Completed", "CompletedWithViolations", "Failed"]
    assert executions[2].failure_reason == "No captured data in the window"
    assert executions[2].report is None
    assert executions[1].report == {"violations": [{"feature_name": "age"}]}
    summary = executions[2].summary()
    assert summary["MonitoringScheduleName"] == "hourly"
    assert summary["ScheduledTime"] == "2024-05-01T13:00:00Z"
    assert summary["MonitoringExecutionStatus"] == "Failed"
    assert summary["FailureReason"] == "No captured data in the window"
    assert "FailureReason" not in executions[0].summary()


def test_default_window_is_the_interval_since_the_previous_fire_time(service):
    job = RecordingJob()
    service.create_monitoring_schedule(MonitoringSchedule("hourly", "churn", HOURLY, job))
    service.clock.advance(timedelta(hours=2))
    assert job.windows == [(t(2024, 5, 1, 10), t(2024, 5, 1, 11)), (t(2024, 5, 1, 11), t(2024, 5, 1, 12))]


def test_offsets_select_the_window(service):
    job = RecordingJob()
    service.create_monitoring_schedule(
        MonitoringSchedule("mq", "churn", CronExpressionGenerator.daily(13), job, "-P8D", "-P1D", "ModelQuality")
    )
    service.clock.run_until(t(2024, 5, 1, 13, 5))
    assert job.windows == [(t(2024, 4, 23, 13), t(2024, 4, 30, 13))]


def test_unexpected_job_errors_and_bad_reports_fail_the_execution(service):
    service.create_monitoring_schedule(MonitoringSchedule("crash", "churn", HOURLY, RecordingJob([KeyError("age")])))
    service.create_monitoring_schedule(MonitoringSchedule("bad", "churn", HOURLY, lambda s, e: {"result": "ok"}))
    service.clock.advance(timedelta(hours=1))
    crash, bad = service.list_monitoring_executions("crash")[0], service.list_monitoring_executions("bad")[0]
    assert crash.status == bad.status == "Failed"
    assert crash.failure_reason == "AlgorithmError: KeyError: 'age'"
    assert "no 'violations' list" in bad.failure_reason


def test_endpoint_deletion_refused_until_the_schedule_is_deleted(service):
    service.create_monitoring_schedule(MonitoringSchedule("hourly", "churn", HOURLY, RecordingJob()))
    service.clock.advance(timedelta(hours=2))
    with pytest.raises(ResourceInUse) as info:
        service.delete_endpoint("churn")
    assert "delete the monitoring schedule first (DeleteMonitoringSchedule)" in str(info.value)
    assert "'hourly'" in str(info.value)
    assert service.list_endpoints() == ["churn"]

    service.delete_monitoring_schedule("hourly")
    service.delete_endpoint("churn")
    assert service.list_endpoints() == []
    # history survives the deletion, and no more executions run
    service.clock.advance(timedelta(hours=3))
    assert len(service.list_monitoring_executions("hourly")) == 2
    with pytest.raises(ResourceNotFound):
        service.describe_monitoring_schedule("hourly")


def test_resource_errors(service):
    job = RecordingJob()
    with pytest.raises(ResourceNotFound, match="endpoint 'nope' does not exist"):
        service.create_monitoring_schedule(MonitoringSchedule("s", "nope", HOURLY, job))
    service.create_monitoring_schedule(MonitoringSchedule("s", "churn", HOURLY, job))
    with pytest.raises(ResourceInUse, match="already exists"):
        service.create_monitoring_schedule(MonitoringSchedule("s", "churn", HOURLY, job))
    with pytest.raises(ResourceInUse, match="already exists"):
        service.create_endpoint("churn")
    with pytest.raises(ResourceNotFound):
        service.delete_monitoring_schedule("other")


def test_now_runs_once_and_needs_offsets(service):
    with pytest.raises(ValueError, match=r"one-time schedule \(NOW\) needs start_offset and end_offset"):
        MonitoringSchedule("once", "churn", "NOW", RecordingJob())
    job = RecordingJob()
    service.create_monitoring_schedule(MonitoringSchedule("once", "churn", "NOW", job, "-PT1H", "-PT0H"))
    service.clock.advance(timedelta(0))
    service.clock.advance(timedelta(days=2))
    assert job.windows == [(t(2024, 5, 1, 9, 30), t(2024, 5, 1, 10, 30))]
    assert service.describe_monitoring_schedule("once")["LastMonitoringExecutionSummary"]["MonitoringExecutionStatus"] == "Completed"


def test_schedule_validation():
    with pytest.raises(ValueError, match="field hours"):
        MonitoringSchedule("s", "e", "cron(0 25 ? * * *)", RecordingJob())
    with pytest.raises(ValueError, match="both start_offset and end_offset"):
        MonitoringSchedule("s", "e", HOURLY, RecordingJob(), start_offset="-PT1H")
    with pytest.raises(ValueError, match="start_offset: invalid time offset"):
        MonitoringSchedule("s", "e", HOURLY, RecordingJob(), "PT1H", "-PT0H")
    with pytest.raises(ValueError, match="monitoring_type must be one of"):
        MonitoringSchedule("s", "e", HOURLY, RecordingJob(), monitoring_type="Drift")


def test_stopped_schedule_skips_fire_times(service):
    job = RecordingJob()
    service.create_monitoring_schedule(MonitoringSchedule("hourly", "churn", HOURLY, job))
    service.stop_monitoring_schedule("hourly")
    service.clock.advance(timedelta(hours=3))
    assert job.windows == []
    assert service.describe_monitoring_schedule("hourly")["MonitoringScheduleStatus"] == "Stopped"
    service.start_monitoring_schedule("hourly")
    service.clock.advance(timedelta(hours=1))
    assert [end for _, end in job.windows] == [t(2024, 5, 1, 14)]


def test_two_schedules_interleave_in_time_order(service):
    order = []
    service.create_monitoring_schedule(
        MonitoringSchedule("a", "churn", "cron(0 0/2 ? * * *)", lambda s, e: order.append(("a", e)) or {"violations": []})
    )
    service.create_monitoring_schedule(
        MonitoringSchedule("b", "churn", "cron(0 1/2 ? * * *)", lambda s, e: order.append(("b", e)) or {"violations": []})
    )
    service.clock.advance(timedelta(hours=4))
    assert order == [("b", t(2024, 5, 1, 11)), ("a", t(2024, 5, 1, 12)), ("b", t(2024, 5, 1, 13)), ("a", t(2024, 5, 1, 14))]
    assert [e.schedule_name for e in service.list_monitoring_executions(status="Completed")] == ["b", "a", "b", "a"]
