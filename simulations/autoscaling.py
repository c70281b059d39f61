"""Application Auto Scaling for SageMaker endpoint variants, minute by minute.

The pieces the endpoint-autoscaling simulation runs; pure functions over numpy arrays.

- ``scale_fleet``: a real-time variant with a target-tracking policy on
  ``SageMakerVariantInvocationsPerInstance`` (invocations per in-service instance per minute).
  Target tracking creates two CloudWatch alarms on that metric (1-minute periods): a *high* alarm,
  3 of 3 datapoints above the target, and a *low* alarm, 15 of 15 datapoints below 90 % of the
  target. While the high alarm is in ALARM (and no scale-out cooldown runs) the capacity is set to
  ``ceil(invocations / target)``; capacity still launching counts as added, so a second
  scale-out only happens when the metric asks for more than that. While the low alarm is in
  ALARM the capacity shrinks the same way, unless scale-in is disabled or a cooldown (the last
  scale-in's scale-in cooldown, the last scale-out's scale-out cooldown) is still running. The
  result is always clamped to [MinCapacity, MaxCapacity]; changing those limits moves the
  capacity at once. New instances serve after ``launch`` minutes; removed ones stop at once.
- ``serve``: latency and throttling per minute from the per-instance load, against the load a
  single instance sustained in a load test (flat latency up to it, climbing steeply beyond).
- ``scale_async``: an asynchronous endpoint whose queue is served by the instances; target
  tracking on ``ApproximateBacklogSizePerInstance`` (no datapoint while no instance runs: the
  alarms see missing data and stay INSUFFICIENT_DATA), optionally a step-scaling policy on
  ``HasBacklogWithoutCapacity`` (1 while requests wait and no instance runs; 2 of 2 datapoints
  >= 1 add one instance).

The alarm M-of-N logic here is the engine's rule for alarms whose datapoints all exist (the
newest N real datapoints, ALARM when at least M breach); the tests replay the published metric
through ``simulations.monitoring.cloudwatch.Alarm`` and compare the ALARM minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

HIGH_POINTS = 3  # target tracking's scale-out alarm: 3 of 3 one-minute datapoints above the target
LOW_POINTS = 15  # its scale-in alarm: 15 of 15 datapoints below 90 % of the target
LOW_FRACTION = 0.9
STEP_POINTS = 2  # the step-scaling alarm on HasBacklogWithoutCapacity: 2 of 2 datapoints >= 1
STEEP = 8.0  # latency grows by this many base latencies per unit of load beyond the load-test limit
THROTTLE_AT = 2.0  # requests beyond this multiple of the load-test limit are throttled


def _per_minute(value, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(value), (n,)).copy()


@dataclass
class Fleet:
    """What one scaling run produced, per minute, plus its scaling activities."""

    traffic: np.ndarray
    in_service: np.ndarray
    desired: np.ndarray
    metric: np.ndarray  # the per-instance metric (NaN: no datapoint, no instance in service)
    high_alarm: np.ndarray
    low_alarm: np.ndarray
    activities: list[dict] = field(default_factory=list)  # {"minute", "kind", "from", "to", "reason"}

    def removals(self, start: int = 0, end: int | None = None) -> int:
        """Instances removed by scale-in activities in minutes [start, end)."""
        end = len(self.traffic) if end is None else end
        return sum(a["from"] - a["to"] for a in self.activities if a["to"] < a["from"] and start <= a["minute"] < end)


def scale_fleet(traffic, *, target: float, min_cap, max_cap, start: int, launch: int, out_cooldown: int,
                in_cooldown, policy=True, scale_in_disabled=False) -> Fleet:
    """A real-time variant under target tracking (see the module docstring). ``min_cap``,
    ``max_cap``, ``in_cooldown`` (minutes), ``policy`` and ``scale_in_disabled`` may be per-minute arrays."""
    traffic = np.asarray(traffic, dtype=float)
    n = len(traffic)
    lo, hi = _per_minute(min_cap, n).astype(int), _per_minute(max_cap, n).astype(int)
    in_cd, active, no_in = _per_minute(in_cooldown, n), _per_minute(policy, n), _per_minute(scale_in_disabled, n)
    in_service_arr, desired_arr = np.zeros(n, int), np.zeros(n, int)
    metric = np.full(n, np.nan)
    high_arr, low_arr = np.zeros(n, bool), np.zeros(n, bool)
    pending: list[int] = []  # minute each launching instance comes into service
    in_service = desired = int(start)
    out_until = in_until = -1
    high_run = low_run = 0
    activities: list[dict] = []
    for t in range(n):
        if pending:
            ready = [p for p in pending if p <= t]
            if ready:
                in_service += len(ready)
                pending = [p for p in pending if p > t]
        value = traffic[t] / in_service if in_service else math.nan
        metric[t] = value
        if in_service:
            high_run = high_run + 1 if value > target else 0
            low_run = low_run + 1 if value < LOW_FRACTION * target else 0
        else:
            high_run = low_run = 0  # no datapoint: the alarms have nothing to evaluate
        high, low = high_run >= HIGH_POINTS, low_run >= LOW_POINTS
        high_arr[t], low_arr[t] = high, low
        need = min(max(math.ceil(traffic[t] / target), lo[t]), hi[t])
        new, reason = desired, ""
        if desired < lo[t] or desired > hi[t]:
            new, reason = min(max(desired, lo[t]), hi[t]), "capacity limits changed"
        elif active[t] and high and t >= out_until and need > desired:
            new, reason = need, "high alarm"
            out_until = t + out_cooldown
        elif active[t] and low and not no_in[t] and t >= max(in_until, out_until) and need < desired:
            new, reason = need, "low alarm"
            in_until = t + int(in_cd[t])
        desired, pending, in_service = apply_capacity(new, desired, pending, in_service, t, launch, reason, activities)
        in_service_arr[t], desired_arr[t] = in_service, desired
    return Fleet(traffic, in_service_arr, desired_arr, metric, high_arr, low_arr, activities)


def serve(traffic, in_service, load_test_rpm: float, base_ms: float) -> dict[str, np.ndarray]:
    """Per minute: load per instance as a share of the load-test limit, latency, throttled requests."""
    traffic = np.asarray(traffic, dtype=float)
    n = np.asarray(in_service, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(n > 0, traffic / np.maximum(n, 1) / load_test_rpm, np.where(traffic > 0, np.inf, 0.0))
    latency = np.where(np.isfinite(load), base_ms * (1.0 + STEEP * np.clip(load - 1.0, 0.0, None)), np.nan)
    throttled = np.maximum(0.0, traffic - n * load_test_rpm * THROTTLE_AT)
    return {"load": load, "latency_ms": latency, "throttled": throttled, "degraded": load > 1.0}


@dataclass
class AsyncFleet:
    arrivals: np.ndarray
    backlog: np.ndarray  # requests queued at the end of each minute
    in_service: np.ndarray
    backlog_per_instance: np.ndarray  # NaN while no instance runs (no datapoint)
    has_backlog_without_capacity: np.ndarray
    step_alarm: np.ndarray
    activities: list[dict] = field(default_factory=list)


def scale_async(arrivals, *, rate_per_instance: float, target: float, min_cap: int, max_cap: int, start: int,
                launch: int, out_cooldown: int, in_cooldown: int, step_policy: bool) -> AsyncFleet:
    """An asynchronous endpoint's queue under target tracking on backlog per instance, with or
    without a step-scaling policy on HasBacklogWithoutCapacity (see the module docstring)."""
    arrivals = np.asarray(arrivals, dtype=float)
    n = len(arrivals)
    backlog_arr, in_arr = np.zeros(n), np.zeros(n, int)
    per_inst, hbwc, step_arr = np.full(n, np.nan), np.zeros(n), np.zeros(n, bool)
    pending: list[int] = []
    in_service = desired = int(start)
    backlog = 0.0
    out_until = in_until = -1
    high_run = low_run = step_run = 0
    activities: list[dict] = []
    for t in range(n):
        if pending:
            ready = [p for p in pending if p <= t]
            in_service += len(ready)
            pending = [p for p in pending if p > t]
        backlog = max(0.0, backlog + arrivals[t] - in_service * rate_per_instance)
        backlog_arr[t], in_arr[t] = backlog, in_service
        hbwc[t] = 1.0 if backlog > 0 and in_service == 0 else 0.0
        step_run = step_run + 1 if hbwc[t] >= 1 else 0
        step_arr[t] = step_run >= STEP_POINTS
        if in_service:
            per_inst[t] = value = backlog / in_service
            high_run = high_run + 1 if value > target else 0
            low_run = low_run + 1 if value < LOW_FRACTION * target else 0
        else:
            high_run = low_run = 0
        need = min(max(math.ceil(backlog / target), min_cap), max_cap)
        new, reason = desired, ""
        if step_policy and step_arr[t] and desired == 0 and t >= out_until:
            new, reason = min(1, max_cap), "step scaling: HasBacklogWithoutCapacity alarm"
            out_until = t + out_cooldown
        elif high_run >= HIGH_POINTS and t >= out_until and need > desired:
            new, reason = need, "target tracking high alarm"
            out_until = t + out_cooldown
        elif low_run >= LOW_POINTS and t >= max(in_until, out_until) and need < desired:
            new, reason = need, "target tracking low alarm"
            in_until = t + in_cooldown
        desired, pending, in_service = apply_capacity(new, desired, pending, in_service, t, launch, reason, activities)
    return AsyncFleet(arrivals, backlog_arr, in_arr, per_inst, hbwc, step_arr, activities)


def longest_run(mask: np.ndarray) -> int:
    """The longest stretch of consecutive True values."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return 0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return int((edges[1::2] - edges[::2]).max())


def apply_capacity(new: int, desired: int, pending: list[int], in_service: int, t: int, launch: int,
                   reason: str, activities: list[dict]) -> tuple[int, list[int], int]:
    """Move the desired capacity to ``new`` at minute ``t``: new instances are in service ``launch``
    minutes later; a scale-in cancels launches still pending before it removes running instances."""
    if new > desired:
        pending = pending + [t + 1 + launch] * (new - desired)
    elif new < desired:
        drop = desired - new
        cancelled = min(drop, len(pending))
        pending = sorted(pending)[: len(pending) - cancelled]
        in_service -= drop - cancelled
    if new != desired:
        activities.append({"minute": t, "kind": "scale-out" if new > desired else "scale-in", "from": desired, "to": new, "reason": reason})
        desired = new
    return desired, pending, in_service
