"""Monitoring schedules, their executions, and the endpoints they watch.

``ModelMonitorService`` joins a ``SimulatedClock``; as the clock advances it runs every due
execution of every active schedule. A schedule's job is a plain callable
``job(window_start, window_end) -> report`` where ``report["violations"]`` is a list, so this
module knows nothing about how data are checked. An execution ends as

- ``Completed``: the job returned an empty violations list;
- ``CompletedWithViolations``: the list was not empty;
- ``Failed``: the job raised (``MonitoringJobError("no captured data in the window ...")`` gives
  the ``FailureReason`` text; any other exception becomes ``AlgorithmError: ...``).

Window analysed by an execution scheduled at T: with offsets, ``monitoring_window(T, start,
end)``; without, the interval since the previous fire time of the cron expression (the data
quality behaviour; the exact boundaries AWS uses are unconfirmed). ``NOW`` runs once at the
next clock step and needs both offsets (as AWS requires for one-time schedules). While a job
runs, ``clock.now`` is its scheduled time (use it, e.g., as ``labels_available_at``).

Endpoints cannot be deleted while a monitoring schedule is attached (project decision following
the source notes; AWS documents no error text): delete the schedule first. Deleting a schedule
keeps its execution history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from .clock import SimulatedClock
from .cron import CronSchedule, parse_cron
from .durations import monitoring_window
from .utc import iso_z

COMPLETED = "Completed"
COMPLETED_WITH_VIOLATIONS = "CompletedWithViolations"
FAILED = "Failed"
MONITORING_TYPES = ("DataQuality", "ModelQuality", "ModelBias", "ModelExplainability")

Job = Callable[[datetime, datetime], dict]


class MonitoringJobError(Exception):
    """Raised by a job to fail its execution; the message becomes the ``FailureReason``."""


class ResourceInUse(ValueError):
    """The resource exists already, or something else still depends on it."""


class ResourceNotFound(LookupError):
    """No resource with that name."""


@dataclass(frozen=True)
class MonitoringSchedule:
    """What to run, on which endpoint, when. Offsets are ISO 8601 strings such as ``-P3D``."""

    name: str
    endpoint_name: str
    cron: str
    job: Job
    start_offset: str | None = None
    end_offset: str | None = None
    monitoring_type: str = "DataQuality"

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a monitoring schedule needs a name")
        if self.monitoring_type not in MONITORING_TYPES:
            raise ValueError(f"monitoring_type must be one of {', '.join(MONITORING_TYPES)}, got {self.monitoring_type!r}")
        if not callable(self.job):
            raise TypeError("job must be a callable job(window_start, window_end) -> report")
        parsed = parse_cron(self.cron)
        if (self.start_offset is None) != (self.end_offset is None):
            raise ValueError("give both start_offset and end_offset, or neither")
        if self.start_offset is not None:
            monitoring_window(datetime(2000, 1, 1), self.start_offset, self.end_offset)  # validates both
        elif parsed.is_now:
            raise ValueError(
                "a one-time schedule (NOW) needs start_offset and end_offset, e.g. '-PT1H' and '-PT0H'"
            )

    def window(self, scheduled_time: datetime, cron: CronSchedule) -> tuple[datetime, datetime]:
        if self.start_offset is not None:
            return monitoring_window(scheduled_time, self.start_offset, self.end_offset)
        previous = cron.previous_before(scheduled_time)
        return (previous if previous is not None else scheduled_time - timedelta(hours=1)), scheduled_time


@dataclass
class MonitoringExecution:
    """One run of a schedule. ``summary()`` gives the AWS field names."""

    schedule_name: str
    endpoint_name: str
    monitoring_type: str
    scheduled_time: datetime
    window_start: datetime | None
    window_end: datetime | None
    status: str
    failure_reason: str | None = None
    report: dict | None = None

    def summary(self) -> dict[str, Any]:
        summary = {
            "MonitoringScheduleName": self.schedule_name,
            "ScheduledTime": iso_z(self.scheduled_time),
            "CreationTime": iso_z(self.scheduled_time),
            "LastModifiedTime": iso_z(self.scheduled_time),
            "MonitoringExecutionStatus": self.status,
            "EndpointName": self.endpoint_name,
            "MonitoringType": self.monitoring_type,
        }
        if self.failure_reason is not None:
            summary["FailureReason"] = self.failure_reason
        return summary


@dataclass
class _ScheduleState:
    schedule: MonitoringSchedule
    cron: CronSchedule
    created_at: datetime
    next_fire: datetime | None
    status: str = "Scheduled"  # ScheduleStatus: Scheduled | Stopped
    executions: list[MonitoringExecution] = field(default_factory=list)


class ModelMonitorService:
    """Endpoints, monitoring schedules and their executions, driven by a simulated clock."""

    def __init__(self, clock: SimulatedClock):
        self.clock = clock
        self._endpoints: set[str] = set()
        self._schedules: dict[str, _ScheduleState] = {}
        self._history: list[MonitoringExecution] = []  # every execution, deleted schedules included
        clock.add_participant(self)

    # endpoints -------------------------------------------------------------------------
    def create_endpoint(self, name: str) -> None:
        if name in self._endpoints:
            raise ResourceInUse(f"endpoint {name!r} already exists")
        self._endpoints.add(name)

    def delete_endpoint(self, name: str) -> None:
        self._require_endpoint(name)
        attached = sorted(s.schedule.name for s in self._schedules.values() if s.schedule.endpoint_name == name)
        if attached:
            raise ResourceInUse(
                f"cannot delete endpoint {name!r}: monitoring schedule(s) {', '.join(map(repr, attached))} "
                "still attached; delete the monitoring schedule first (DeleteMonitoringSchedule), "
                "then delete the endpoint"
            )
        self._endpoints.remove(name)

    def list_endpoints(self) -> list[str]:
        return sorted(self._endpoints)

    def _require_endpoint(self, name: str) -> None:
        if name not in self._endpoints:
            raise ResourceNotFound(f"endpoint {name!r} does not exist (create_endpoint first)")

    # schedules -------------------------------------------------------------------------
    def create_monitoring_schedule(self, schedule: MonitoringSchedule) -> None:
        self._require_endpoint(schedule.endpoint_name)
        if schedule.name in self._schedules:
            raise ResourceInUse(f"monitoring schedule {schedule.name!r} already exists")
        cron = parse_cron(schedule.cron)
        now = self.clock.now
        next_fire = now if cron.is_now else cron.next_after(now)
        if next_fire is None:
            raise ValueError(f"schedule expression {schedule.cron!r} never fires after {iso_z(now)}")
        self._schedules[schedule.name] = _ScheduleState(schedule, cron, now, next_fire)

    def delete_monitoring_schedule(self, name: str) -> None:
        """Stop and remove the schedule; its executions stay listed."""
        self._state(name)
        del self._schedules[name]

    def stop_monitoring_schedule(self, name: str) -> None:
        self._state(name).status = "Stopped"

    def start_monitoring_schedule(self, name: str) -> None:
        state = self._state(name)
        if state.status == "Stopped":
            state.status = "Scheduled"
            if not state.cron.is_now:
                state.next_fire = state.cron.next_after(self.clock.now)

    def describe_monitoring_schedule(self, name: str) -> dict[str, Any]:
        state = self._state(name)
        description = {
            "MonitoringScheduleName": name,
            "MonitoringScheduleStatus": state.status,
            "MonitoringType": state.schedule.monitoring_type,
            "EndpointName": state.schedule.endpoint_name,
            "ScheduleExpression": state.schedule.cron,
            "CreationTime": iso_z(state.created_at),
        }
        if state.executions:
            description["LastMonitoringExecutionSummary"] = state.executions[-1].summary()
        return description

    def list_monitoring_schedules(self) -> list[str]:
        return sorted(self._schedules)

    def list_monitoring_executions(
        self, schedule_name: str | None = None, status: str | None = None
    ) -> list[MonitoringExecution]:
        """Executions in the order they ran, optionally of one schedule and/or with one status."""
        return [
            e
            for e in self._history
            if (schedule_name is None or e.schedule_name == schedule_name) and (status is None or e.status == status)
        ]

    def _state(self, name: str) -> _ScheduleState:
        try:
            return self._schedules[name]
        except KeyError:
            raise ResourceNotFound(f"monitoring schedule {name!r} does not exist") from None

    # clock participant -----------------------------------------------------------------
    def next_due(self) -> datetime | None:
        times = [s.next_fire for s in self._schedules.values() if s.status == "Scheduled" and s.next_fire]
        return min(times, default=None)

    def run_due(self, now: datetime) -> None:
        while True:
            due = [s for s in self._schedules.values() if s.status == "Scheduled" and s.next_fire and s.next_fire <= now]
            if not due:
                return
            state = min(due, key=lambda s: s.next_fire)  # ties: creation order (min is stable)
            scheduled, state.next_fire = state.next_fire, (None if state.cron.is_now else state.cron.next_after(state.next_fire))
            execution = self._execute(state, scheduled)
            state.executions.append(execution)
            self._history.append(execution)

    def _execute(self, state: _ScheduleState, scheduled: datetime) -> MonitoringExecution:
        schedule = state.schedule
        start, end = schedule.window(scheduled, state.cron)
        execution = MonitoringExecution(
            schedule.name, schedule.endpoint_name, schedule.monitoring_type, scheduled, start, end, status=FAILED
        )
        try:
            report = schedule.job(start, end)
        except MonitoringJobError as error:
            execution.failure_reason = str(error)
            return execution
        except Exception as error:  # the container failing, as AWS reports it
            execution.failure_reason = f"AlgorithmError: {type(error).__name__}: {error}"
            return execution
        violations = report.get("violations") if isinstance(report, dict) else None
        if not isinstance(violations, list):
            execution.failure_reason = "AlgorithmError: the job's report has no 'violations' list"
            return execution
        execution.report = report
        execution.status = COMPLETED_WITH_VIOLATIONS if violations else COMPLETED
        return execution

