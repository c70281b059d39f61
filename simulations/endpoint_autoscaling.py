"""Endpoint auto scaling: target tracking, its limits, scale-in during an event, async from zero.

Four worlds, each run minute by minute with ``simulations.autoscaling`` (target tracking on
``SageMakerVariantInvocationsPerInstance`` and the two alarms it creates; latency and throttling
from the per-instance load against a single-instance load test):

1. **Target value** (``scale-target-value-from-load-test``): a working day whose traffic ramps
   from ``day_start_rpm`` to ``day_peak_rpm``. One instance sustained ``load_test_rps`` requests
   per second with flat latency. Each candidate target (the per-second rate with the safety
   factor, the per-minute rate without it, per-minute with it, the raw per-second rate) drives
   the same day. Judged by: minutes in which an instance carries more than the load-test limit
   (latency climbing), and instance-hours against the bare minimum (every instance at the limit):
   at most ``1.25 / safety_factor`` times, the headroom the safety factor pays for.
2. **MaxCapacity** (``scale-max-capacity-cap``): 4 instances at 600 per instance, target 600, then
   a campaign at ``campaign_rpm`` for six hours. Each option states a settled instance count and
   per-instance metric; the world's last hour is compared with it.
3. **Sales event** (``scale-disable-scale-in-event``): sudden waves over ``event_hours`` hours
   and normal traffic afterwards; DisableScaleIn, a three-day scale-in cooldown, MinCapacity =
   MaxCapacity = 20, or no policy during the event. Judged by: instances removed during the
   event, minutes above the load-test limit in the waves after the first, average instances
   against the most the waves needed, and the fleet back at its normal size after the event.
4. **Async from zero** (``scale-async-from-zero``): an asynchronous endpoint scales in to zero at
   night; requests queue from 08:00. Target tracking on backlog per instance (target 5, or 1),
   a step-scaling policy on ``HasBacklogWithoutCapacity``, a zero scale-out cooldown, or a
   real-time endpoint (whose variant keeps at least one instance). Judged by: the longest time
   requests wait with no instance running, and instance-minutes in the quiet night.
5. **CPUUtilization** (``mon-cpu-utilization-scale``): 4 ``ml.c5.2xlarge`` instances (8 vCPUs) run
   two normal days about a quarter busy, then ``saturation_minutes`` about 93 % busy. Per instance,
   ``CPUUtilization`` is the sum of its cores' utilization (0-800 %). Each option's alarm (3 of 3
   one-minute datapoints) is evaluated on the published metric: judged by minutes in ALARM on the
   normal days, whether it catches the saturation within 5 minutes, and instance-hours against today.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from simulations.autoscaling import HIGH_POINTS, LOW_FRACTION, LOW_POINTS, longest_run, scale_async, scale_fleet, serve
from simulations.deployment import alarm_minutes
from simulations.monitoring.cloudwatch import Alarm
from simulations.monitoring.utc import UTC, iso_z
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

INFO = SimulationInfo(
    name="endpoint-autoscaling",
    title="Endpoint auto scaling: target values, limits, scale-in and scaling from zero",
    summary="Target tracking on invocations per instance, run minute by minute with the alarms it creates: the target value from a load test, the MaxCapacity cap, holding capacity through a sales event, and waking an async endpoint from zero.",
    questions=(
        QuestionLink("scale-target-value-from-load-test", {"A": "target-per-second-with-factor", "B": "target-per-minute-no-factor",
                                                           "C": "target-per-minute-with-factor", "D": "target-raw-per-second"}),
        QuestionLink("scale-max-capacity-cap", {"A": "settles-10-at-600", "B": "settles-6-half-step",
                                                "C": "stays-4-cooldown", "D": "settles-8-at-750"}),
        QuestionLink("scale-disable-scale-in-event", {"A": "disable-scale-in", "B": "three-day-scale-in-cooldown",
                                                      "C": "min-equals-max", "D": "delete-policy"}),
        QuestionLink("scale-async-from-zero", {"A": "async-target-1", "B": "async-step-scaling",
                                               "C": "real-time-endpoint", "D": "async-zero-cooldown"}),
        QuestionLink("mon-cpu-utilization-scale", {"A": "cpu-alarm-on-memory", "B": "cpu-threshold-720",
                                                   "C": "cpu-add-instances", "D": "cpu-maximum-statistic"}),
    ),
    params=(
        ParamSpec("load_test_rps", float, 20.0, "requests per second one instance sustained with flat latency in the load test", min=1.0, max=200.0),
        ParamSpec("safety_factor", float, 0.5, "the safety factor of the target-value guidance", min=0.1, max=1.0),
        ParamSpec("launch_minutes", int, 6, "minutes a new instance takes to come into service", min=1, max=20),
        ParamSpec("cooldown_seconds", int, 300, "default scale-out and scale-in cooldowns of the policies", min=0, max=3600),
        ParamSpec("day_start_rpm", float, 2000.0, "world 1: invocations per minute at the start of the day", min=100.0, max=50000.0),
        ParamSpec("day_peak_rpm", float, 12000.0, "world 1: invocations per minute at the daily peak", min=100.0, max=50000.0),
        ParamSpec("day_max_capacity", int, 30, "world 1: MaxCapacity of the variant", min=2, max=100),
        ParamSpec("campaign_rpm", float, 6000.0, "world 2: invocations per minute during the campaign (before it: 2,400 on 4 instances)", min=600.0, max=20000.0),
        ParamSpec("max_capacity", int, 8, "world 2: MaxCapacity of the variant", min=4, max=20),
        ParamSpec("wave_peak_rpm", float, 5400.0, "world 3: invocations per minute at the top of a wave (between waves: 1,000)", min=1000.0, max=11000.0),
        ParamSpec("event_hours", int, 72, "world 3: length of the sales event", min=6, max=72),
        ParamSpec("morning_rpm", float, 20.0, "world 4: asynchronous requests per minute from 08:00", min=0.0, max=200.0),
        ParamSpec("saturation_minutes", int, 60, "world 5: minutes at the end of two normal days in which the instances are about 93 % busy", min=0, max=240),
    ),
    facts=("F53", "F50", "F57"),
    presets=(
        Preset("flat-traffic", {"day_peak_rpm": 2000.0, "campaign_rpm": 2400.0, "wave_peak_rpm": 1000.0, "morning_rpm": 0.0,
                                 "saturation_minutes": 0},
               "traffic never changes: no ramp, no campaign, no waves, no morning queue, no saturated hour",
               control=True, premise="no traffic change: nothing for auto scaling to react to"),
        Preset("cap-above-need", {"max_capacity": 12}, "world 2 with MaxCapacity 12: the campaign needs 10 instances"),
        Preset("steep-morning", {"day_peak_rpm": 20000.0, "day_max_capacity": 50}, "world 1 with a peak of 20,000 per minute"),
    ),
)

START = datetime(2025, 6, 2, 6, 0, tzinfo=UTC)  # world 1 starts at 06:00 UTC
BASE_MS = 40.0  # latency of one request at or under the load-test limit
MIN_CAPACITY = 2
WAVE_BASE_RPM = 1000.0
EVENT_MAX = 20
AFTER_HOURS = 6
ASYNC_TARGET = 5.0
ASYNC_RATE = 10.0  # requests one async instance completes per minute
ASYNC_MAX = 10
MAX_WAIT = 15  # minutes requests may wait with no instance running
NIGHT = (60, 720)  # world 4 minutes (from 20:00) of the quiet night: 21:00-08:00
CLAIMS = {  # world 2: what each option says the variant settles at (instances, invocations per instance)
    "settles-10-at-600": (10, 600.0), "settles-6-half-step": (6, 1000.0),
    "stays-4-cooldown": (4, 1500.0), "settles-8-at-750": (8, 750.0),
}


# -- world 1: the target value ---------------------------------------------------------------------
def day_traffic(p: dict, rng: np.random.Generator) -> np.ndarray:
    """8 hours: an hour at the start level, a two-hour ramp, three hours at the peak, two hours down."""
    lo, hi = p["day_start_rpm"], p["day_peak_rpm"]
    ramp = (1 - np.cos(np.linspace(0, np.pi, 120))) / 2
    shape = np.concatenate([np.zeros(60), ramp, np.ones(180), ramp[::-1]])
    return np.round((lo + (hi - lo) * shape) * rng.normal(1.0, 0.03, shape.size))


def candidate_targets(p: dict) -> dict[str, float]:
    rps, sf = p["load_test_rps"], p["safety_factor"]
    return {"target-per-second-with-factor": rps * sf, "target-per-minute-no-factor": rps * 60,
            "target-per-minute-with-factor": rps * sf * 60, "target-raw-per-second": rps}


def target_world(p: dict, traffic: np.ndarray, target: float) -> dict:
    cd = p["cooldown_seconds"] // 60
    limit = p["load_test_rps"] * 60
    start = min(max(math.ceil(traffic[0] / target), MIN_CAPACITY), p["day_max_capacity"])
    fleet = scale_fleet(traffic, target=target, min_cap=MIN_CAPACITY, max_cap=p["day_max_capacity"], start=start,
                        launch=p["launch_minutes"], out_cooldown=cd, in_cooldown=cd)
    served = serve(traffic, fleet.in_service, limit, BASE_MS)
    bare = np.ceil(traffic / limit)
    return {"fleet": fleet, "served": served, "target": target,
            "degraded_minutes": int(served["degraded"].sum()),
            "p99_latency_ms": round(float(np.nanpercentile(served["latency_ms"], 99)), 1),
            "worst_latency_ms": round(float(np.nanmax(served["latency_ms"])), 1),
            "throttled": int(served["throttled"].sum()),
            "instance_hours": round(float(fleet.in_service.sum()) / 60, 1),
            "bare_instance_hours": round(float(bare.sum()) / 60, 1),
            "cost_ratio": round(float(fleet.in_service.sum() / bare.sum()), 2),
            "max_instances": int(fleet.in_service.max()), "scale_outs": sum(a["kind"] == "scale-out" for a in fleet.activities)}


def judged_target(w: dict, p: dict) -> list:
    allowed = round(1.25 / p["safety_factor"], 2)
    return [
        criterion("minutes with an instance above the load-test limit", w["degraded_minutes"], "<=", 0,
                  detail=f"p99 latency {w['p99_latency_ms']:g} ms, worst {w['worst_latency_ms']:g} ms, {w['throttled']} requests throttled"),
        criterion("instance-hours over the bare minimum at the load-test limit", w["cost_ratio"], "<=", allowed,
                  detail=f"{w['instance_hours']:g} instance-hours against {w['bare_instance_hours']:g}; up to {w['max_instances']} instances",
                  unit="x"),
    ]


# -- world 2: MaxCapacity ---------------------------------------------------------------------------
def campaign_world(p: dict) -> dict:
    cd = p["cooldown_seconds"] // 60
    traffic = np.concatenate([np.full(30, 2400.0), np.full(360, p["campaign_rpm"])])
    fleet = scale_fleet(traffic, target=600.0, min_cap=MIN_CAPACITY, max_cap=p["max_capacity"], start=4,
                        launch=p["launch_minutes"], out_cooldown=cd, in_cooldown=cd)
    last = slice(-60, None)
    return {"fleet": fleet, "settled_instances": int(np.round(np.median(fleet.in_service[last]))),
            "settled_metric": round(float(np.mean(fleet.metric[last])), 1),
            "unconstrained": math.ceil(p["campaign_rpm"] / 600.0),
            "minutes_to_settle": int(np.flatnonzero(fleet.in_service != fleet.in_service[-1])[-1] + 1 - 30)
            if (fleet.in_service != fleet.in_service[-1]).any() else 0,
            "activities": len(fleet.activities)}


def judged_claim(w: dict, claim: tuple[int, float]) -> list:
    count, metric = claim
    return [
        criterion("instances once scaling has settled", w["settled_instances"], "==", count,
                  detail=f"the last hour of the campaign; MaxCapacity would allow the metric-proportional {w['unconstrained']}"),
        criterion("InvocationsPerInstance once settled, off the stated value by", round(abs(w["settled_metric"] - metric), 1), "<=",
                  round(0.05 * metric, 1), detail=f"measured {w['settled_metric']:g}, stated {metric:g}"),
    ]


# -- world 3: the sales event -----------------------------------------------------------------------
def event_traffic(p: dict, rng: np.random.Generator) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Waves during the event (sudden 2-minute rises), normal traffic for AFTER_HOURS afterwards."""
    event, total = p["event_hours"] * 60, (p["event_hours"] + AFTER_HOURS) * 60
    traffic = np.full(total, WAVE_BASE_RPM)
    waves, t = [], int(rng.integers(20, 60))
    while t < event - 30:
        length = int(rng.integers(20, 60))
        end = min(t + length, event)
        peak = p["wave_peak_rpm"] * rng.uniform(0.85, 1.0)
        shape = np.minimum(1.0, np.minimum(np.arange(1, end - t + 1) / 2, (end - np.arange(t, end)) / 2))
        traffic[t:end] = WAVE_BASE_RPM + (peak - WAVE_BASE_RPM) * shape
        waves.append((t, end))
        t = end + int(rng.integers(20, 150))
    return np.round(traffic * rng.normal(1.0, 0.02, total)), waves


def event_option(key: str, p: dict, traffic: np.ndarray) -> dict:
    n, event = len(traffic), p["event_hours"] * 60
    during = np.arange(n) < event
    cd = p["cooldown_seconds"] // 60
    settings = {"min_cap": MIN_CAPACITY, "max_cap": EVENT_MAX, "in_cooldown": cd, "policy": True, "scale_in_disabled": False}
    if key == "disable-scale-in":
        settings["scale_in_disabled"] = during
    elif key == "three-day-scale-in-cooldown":
        settings["in_cooldown"] = np.where(during, 259_200 // 60, cd)
    elif key == "min-equals-max":
        settings["min_cap"] = np.where(during, EVENT_MAX, MIN_CAPACITY)
    elif key == "delete-policy":
        settings["policy"] = ~during
    start = max(math.ceil(traffic[0] / 600.0), MIN_CAPACITY)
    return scale_fleet(traffic, target=600.0, start=start, launch=p["launch_minutes"], out_cooldown=cd, **settings)


def event_world(key: str, p: dict, traffic: np.ndarray, waves: list[tuple[int, int]]) -> dict:
    fleet = event_option(key, p, traffic)
    event = p["event_hours"] * 60
    served = serve(traffic, fleet.in_service, p["load_test_rps"] * 60, BASE_MS)
    after_first = np.zeros(len(traffic), bool)
    for s, e in waves[1:]:
        after_first[s:e] = True
    needed = int(min(max(np.ceil(traffic[:event] / 600.0).max(), MIN_CAPACITY), EVENT_MAX))
    normal = int(min(max(math.ceil(WAVE_BASE_RPM * 1.05 / 600.0), MIN_CAPACITY), EVENT_MAX))
    return {"fleet": fleet, "served": served,
            "removed_during_event": fleet.removals(0, event),
            "degraded_after_first_wave": int((served["degraded"] & after_first).sum()),
            "degraded_first_wave": int(served["degraded"][waves[0][0]:waves[0][1]].sum()) if waves else 0,
            "mean_instances": round(float(fleet.in_service[:event].mean()), 2), "needed": needed,
            "end_instances": int(fleet.in_service[-1]), "normal_instances": normal,
            "instance_hours": round(float(fleet.in_service[:event].sum()) / 60, 1)}


def judged_event(w: dict, waves: int) -> list:
    return [
        criterion("instances removed during the event", w["removed_during_event"], "<=", 0),
        criterion("minutes above the load-test limit in the waves after the first", w["degraded_after_first_wave"], "<=", 0,
                  detail=f"{max(waves - 1, 0)} later waves; the first wave had {w['degraded_first_wave']} such minutes"),
        criterion("average instances during the event", w["mean_instances"], "<=", w["needed"],
                  detail=f"{w['instance_hours']:g} instance-hours; the largest wave needed {w['needed']} at the target"),
        criterion(f"instances {AFTER_HOURS} h after the event", w["end_instances"], "<=", w["normal_instances"],
                  detail="normal behaviour returns"),
    ]


# -- world 4: async from zero -------------------------------------------------------------------------
def async_arrivals(p: dict, rng: np.random.Generator) -> np.ndarray:
    """From 20:00 to 12:00: quiet until 08:00, then requests at ``morning_rpm``."""
    arrivals = np.zeros(16 * 60)
    arrivals[12 * 60:] = rng.poisson(p["morning_rpm"], 4 * 60) if p["morning_rpm"] > 0 else 0
    return arrivals


def async_world(key: str, p: dict, arrivals: np.ndarray) -> dict:
    cd = p["cooldown_seconds"] // 60
    settings = {"target": ASYNC_TARGET, "min_cap": 0, "out_cooldown": cd, "step_policy": False}
    refused = ""
    if key == "async-target-1":
        settings["target"] = 1.0
    elif key == "async-step-scaling":
        settings["step_policy"] = True
    elif key == "async-zero-cooldown":
        settings["out_cooldown"] = 0
    elif key == "real-time-endpoint":
        refused = "MinCapacity 0 refused for a real-time variant: at least 1 instance"
        settings["min_cap"] = 1
    fleet = scale_async(arrivals, rate_per_instance=ASYNC_RATE, max_cap=ASYNC_MAX, start=2, launch=p["launch_minutes"],
                        in_cooldown=cd, **settings)
    waiting = (fleet.backlog > 0) & (fleet.in_service == 0)
    first = next((a["minute"] for a in fleet.activities if a["kind"] == "scale-out"), None)
    return {"fleet": fleet, "longest_wait": longest_run(waiting),
            "night_instance_minutes": int(fleet.in_service[NIGHT[0]:NIGHT[1]].sum()),
            "backlog_at_noon": int(fleet.backlog[-1]), "first_scale_out_minute": first, "refused": refused,
            "metric_points_in_morning": int(np.isfinite(fleet.backlog_per_instance[12 * 60:]).sum())}


def judged_async(w: dict) -> list:
    return [
        criterion("longest time requests waited with no instance running", w["longest_wait"], "<=", MAX_WAIT, unit="min",
                  detail=f"{w['backlog_at_noon']} requests still queued at 12:00"),
        criterion("instance-minutes in the quiet night (21:00-08:00)", w["night_instance_minutes"], "<=", 0),
    ]


# -- world 5: CPUUtilization is summed over vCPUs -------------------------------------------------------
CPU_INSTANCES, VCPUS = 4, 8
CPU_ALARMS = {  # option -> (metric, statistic, threshold, instances)
    "cpu-alarm-on-memory": ("MemoryUtilization", "Average", 90.0, CPU_INSTANCES),
    "cpu-threshold-720": ("CPUUtilization", "Average", 720.0, CPU_INSTANCES),
    "cpu-add-instances": ("CPUUtilization", "Average", 90.0, 2 * CPU_INSTANCES),
    "cpu-maximum-statistic": ("CPUUtilization", "Maximum", 90.0, CPU_INSTANCES),
}
CATCH_WITHIN = 5


def cpu_metrics(p: dict, instances: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Per-minute variant metrics: the load of 4 instances spread over ``instances``; each instance's
    CPUUtilization is the sum over its 8 cores (each 0-100 %)."""
    normal, hot = 2 * 1440, p["saturation_minutes"]
    minute = np.arange(normal + hot)
    busy = np.where(minute < normal, 0.23 + 0.04 * np.sin(2 * np.pi * minute / 1440), 0.93) * CPU_INSTANCES / instances
    cores = np.clip(busy[:, None, None] + rng.normal(0.0, 0.04, (minute.size, instances, VCPUS)), 0.0, 1.0)
    per_instance = 100.0 * cores.sum(axis=2)
    memory = np.clip(35.0 + rng.normal(0.0, 1.0, (minute.size, instances)), 0, 100)
    latency = 30.0 * (1.0 + 8.0 * np.clip(busy - 0.8, 0.0, None))
    return {"busy": busy, "CPUUtilization/Average": per_instance.mean(axis=1), "CPUUtilization/Maximum": per_instance.max(axis=1),
            "MemoryUtilization/Average": memory.mean(axis=1), "MemoryUtilization/Maximum": memory.max(axis=1), "ModelLatency": latency}


def cpu_world(key: str, p: dict, seed: int) -> dict:
    metric, statistic, threshold, instances = CPU_ALARMS[key]
    m = cpu_metrics(p, instances, np.random.default_rng([seed, 5, instances]))
    series = m[f"{metric}/{statistic}"]
    alarm = alarm_minutes(series, threshold, HIGH_POINTS)
    normal = 2 * 1440
    hot = np.flatnonzero(alarm[normal:])
    return {"alarm": alarm, "metric": series, "metric_name": metric, "statistic": statistic, "threshold": threshold, "instances": instances,
            "false_alarm_minutes": int(alarm[:normal].sum()),
            "normal_range": (round(float(np.percentile(m["CPUUtilization/Average"][:normal], 1))), round(float(np.percentile(m["CPUUtilization/Average"][:normal], 99)))),
            "normal_busy_share": round(float(m["busy"][:normal].mean()), 3),
            "saturated_minutes": p["saturation_minutes"],
            "minutes_to_catch": int(hot[0]) + 1 if hot.size else None,
            "saturated_cpu": round(float(m["CPUUtilization/Average"][normal:].mean()), 1) if p["saturation_minutes"] else None,
            "normal_latency_ms": round(float(m["ModelLatency"][:normal].max()), 1),
            "cost_ratio": instances / CPU_INSTANCES}


def judged_cpu(w: dict) -> list:
    if not w["saturated_minutes"]:
        caught, words = False, "there is no saturated minute in this world, so the alarm has nothing to catch"
    elif w["minutes_to_catch"] is not None and w["minutes_to_catch"] <= CATCH_WITHIN:
        caught, words = True, f"ALARM {w['minutes_to_catch']} minutes into the saturation (CPU about {w['saturated_cpu']:g})"
    else:
        caught = False
        words = (f"ALARM only {w['minutes_to_catch']} minutes into the saturation" if w["minutes_to_catch"] is not None
                 else f"no ALARM in {w['saturated_minutes']} saturated minutes")
    return [
        criterion("minutes in ALARM on the two normal days", w["false_alarm_minutes"], "<=", 0,
                  detail=f"{w['metric_name']} {w['statistic']} > {w['threshold']:g}; instances {w['normal_busy_share']:.0%} busy, ModelLatency at most {w['normal_latency_ms']:g} ms"),
        check(f"the alarm catches the saturation within {CATCH_WITHIN} minutes", caught, words, words),
        criterion("instance cost against today", w["cost_ratio"], "<=", 1.0, detail=f"{w['instances']} instances", unit="x"),
    ]


def clock(minute: int, start: datetime = START) -> str:
    return iso_z(start + timedelta(minutes=int(minute)))


def alarm_definitions(target: float) -> list[dict]:
    """The two alarms target tracking creates, as the engine describes them."""
    common = {"namespace": "AWS/SageMaker", "metric_name": "InvocationsPerInstance",
              "dimensions": {"EndpointName": "retail-endpoint", "VariantName": "AllTraffic"}, "statistic": "Average", "period": 60}
    return [
        Alarm("TargetTracking-endpoint/retail-endpoint/variant/AllTraffic-AlarmHigh", evaluation_periods=HIGH_POINTS,
              threshold=target, comparison_operator="GreaterThanThreshold", **common).describe(),
        Alarm("TargetTracking-endpoint/retail-endpoint/variant/AllTraffic-AlarmLow", evaluation_periods=LOW_POINTS,
              threshold=LOW_FRACTION * target, comparison_operator="LessThanThreshold", **common).describe(),
    ]


# -- the run ----------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    total = 4
    if progress:
        progress(0, total, "world 1: one day under each candidate target value")
    day = day_traffic(p, rng)
    targets = candidate_targets(p)
    w1 = {key: target_world(p, day, t) for key, t in targets.items()}
    if progress:
        progress(1, total, "world 2: a campaign against MaxCapacity")
    w2 = campaign_world(p)
    if progress:
        progress(2, total, "world 3: the sales event under four settings")
    traffic3, waves = event_traffic(p, rng)
    event_keys = ("disable-scale-in", "three-day-scale-in-cooldown", "min-equals-max", "delete-policy")
    w3 = {key: event_world(key, p, traffic3, waves) for key in event_keys}
    if progress:
        progress(3, total, "world 4: an async endpoint at night and in the morning")
    arrivals = async_arrivals(p, rng)
    async_keys = ("async-target-1", "async-step-scaling", "real-time-endpoint", "async-zero-cooldown")
    w4 = {key: async_world(key, p, arrivals) for key in async_keys}
    w5 = {key: cpu_world(key, p, seed) for key in CPU_ALARMS}

    labels1 = {"target-per-second-with-factor": "rps x safety factor", "target-per-minute-no-factor": "rps x 60",
               "target-per-minute-with-factor": "rps x safety factor x 60", "target-raw-per-second": "rps"}
    outcomes = [Outcome(k, f"Target value {targets[k]:g} ({labels1[k]})", judged_target(w1[k], p),
                        {key: v for key, v in w1[k].items() if key not in ("fleet", "served")},
                        f"With a target of {targets[k]:g} the variant runs {w1[k]['fleet'].in_service.min()}-{w1[k]['max_instances']} instances "
                        f"in {w1[k]['scale_outs']} scale-outs.", key=k) for k in targets]
    outcomes += [Outcome(k, f"Settles at {c[0]} instances, about {c[1]:g} per instance", judged_claim(w2, c),
                         {key: v for key, v in w2.items() if key != "fleet"},
                         f"The campaign runs at {p['campaign_rpm']:g} per minute; the variant moves in {w2['activities']} scaling "
                         f"activities to {w2['settled_instances']} instances at {w2['settled_metric']:g} per instance.", key=k)
                 for k, c in CLAIMS.items()]
    labels3 = {"disable-scale-in": "DisableScaleIn true during the event", "three-day-scale-in-cooldown": "ScaleInCooldown 259,200 s",
               "min-equals-max": "MinCapacity = MaxCapacity = 20", "delete-policy": "delete the policy, recreate it afterwards"}
    outcomes += [Outcome(k, labels3[k], judged_event(w3[k], len(waves)),
                         {key: v for key, v in w3[k].items() if key not in ("fleet", "served")},
                         f"Over {len(waves)} waves the fleet runs {w3[k]['fleet'].in_service[:p['event_hours'] * 60].min()}-"
                         f"{w3[k]['fleet'].in_service[:p['event_hours'] * 60].max()} instances.", key=k) for k in event_keys]
    labels4 = {"async-target-1": "target value 1 on backlog per instance", "async-step-scaling": "step scaling on HasBacklogWithoutCapacity",
               "real-time-endpoint": "a real-time endpoint instead", "async-zero-cooldown": "scale-out cooldown 0"}
    outcomes += [Outcome(k, labels4[k], judged_async(w4[k]), {key: v for key, v in w4[k].items() if key != "fleet"},
                         async_finding(w4[k]), key=k) for k in async_keys]

    labels5 = {"cpu-alarm-on-memory": "alarm on MemoryUtilization > 90 instead", "cpu-threshold-720": "CPUUtilization threshold 720",
               "cpu-add-instances": "add instances, keep the threshold 90", "cpu-maximum-statistic": "threshold 90 with the Maximum statistic"}
    outcomes += [Outcome(k, labels5[k], judged_cpu(w5[k]), {key: v for key, v in w5[k].items() if key not in ("alarm", "metric")},
                         f"On the normal days CPUUtilization reads {w5[k]['normal_range'][0]}-{w5[k]['normal_range'][1]} per instance "
                         f"({VCPUS} vCPUs: 0-{100 * VCPUS}) with the instances {w5[k]['normal_busy_share']:.0%} busy.", key=k) for k in CPU_ALARMS]
    minutes = list(range(len(day)))
    chart1 = "World 1: instances in service per target value"
    series = [Series("traffic / 1000 (per minute)", minutes, (day / 1000).round(2).tolist(), "line", "minute from 06:00", "", chart1)]
    series += [Series(f"target {targets[k]:g}", minutes, w1[k]["fleet"].in_service.tolist(), "line", "minute from 06:00", "instances", chart1) for k in targets]
    series.append(Series("load per instance, target 1200 (share of load-test limit)", minutes,
                         np.round(w1["target-per-minute-no-factor"]["served"]["load"], 3).tolist(), "line", "minute from 06:00", "share",
                         "World 1: load per instance"))
    series.append(Series("load per instance, target 600", minutes, np.round(w1["target-per-minute-with-factor"]["served"]["load"], 3).tolist(),
                         "line", "minute from 06:00", "share", "World 1: load per instance"))
    camp = w2["fleet"]
    series.append(Series("instances", list(range(len(camp.traffic))), camp.in_service.tolist(), "line", "minute", "instances", "World 2: campaign"))
    series.append(Series("InvocationsPerInstance / 100", list(range(len(camp.traffic))), np.round(camp.metric / 100, 2).tolist(), "line",
                         "minute", "", "World 2: campaign"))
    hours3 = list(range(0, len(traffic3), 10))
    for k in event_keys:
        series.append(Series(labels3[k], hours3, w3[k]["fleet"].in_service[::10].tolist(), "line", "minute", "instances", "World 3: instances during the event"))
    for k in async_keys:
        series.append(Series(labels4[k], list(range(0, len(arrivals), 10)), w4[k]["fleet"].backlog[::10].tolist(), "line", "minute from 20:00",
                             "queued requests", "World 4: async backlog"))

    cpu = w5["cpu-threshold-720"]
    every = list(range(0, len(cpu["metric"]), 15))
    series.append(Series("CPUUtilization (Average)", every, np.round(cpu["metric"][::15], 1).tolist(), "line", "minute", "percent", "World 5: CPUUtilization"))
    series.append(Series("threshold 720", every, [720.0] * len(every), "line", "minute", "percent", "World 5: CPUUtilization"))
    series.append(Series("threshold 90", every, [90.0] * len(every), "line", "minute", "percent", "World 5: CPUUtilization"))
    tables = {
        "target_values": pd.DataFrame([{"option": k, "target": targets[k], **{c: w1[k][c] for c in (
            "degraded_minutes", "p99_latency_ms", "throttled", "instance_hours", "bare_instance_hours", "cost_ratio", "max_instances")}}
            for k in targets]),
        "campaign_activities": pd.DataFrame(camp.activities, columns=["minute", "kind", "from", "to", "reason"]),
        "sales_event": pd.DataFrame([{"option": k, **{c: w3[k][c] for c in (
            "removed_during_event", "degraded_first_wave", "degraded_after_first_wave", "mean_instances", "needed", "end_instances")}}
            for k in event_keys]),
        "async": pd.DataFrame([{"option": k, **{c: w4[k][c] for c in (
            "longest_wait", "night_instance_minutes", "backlog_at_noon", "first_scale_out_minute", "metric_points_in_morning")}}
            for k in async_keys]),
        "cpu_alarms": pd.DataFrame([{"option": k, **{c: w5[k][c] for c in (
            "metric_name", "statistic", "threshold", "instances", "false_alarm_minutes", "minutes_to_catch", "cost_ratio")}} for k in CPU_ALARMS]),
    }
    best = w1["target-per-minute-with-factor"]
    timeline = [Event(clock(a["minute"]), "scale", f"target {best['target']:g}: {a['kind']} {a['from']} -> {a['to']} ({a['reason']})")
                for a in best["fleet"].activities[:40]]
    policy = {"PolicyName": "invocations-target-tracking", "PolicyType": "TargetTrackingScaling",
              "TargetTrackingScalingPolicyConfiguration": {
                  "TargetValue": best["target"], "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
                  "ScaleInCooldown": p["cooldown_seconds"], "ScaleOutCooldown": p["cooldown_seconds"], "DisableScaleIn": False}}
    artifacts = [
        Artifact("autoscaling/policy.json", json.dumps(policy, indent=2) + "\n", "world 1: the target-tracking policy with the guidance's target"),
        Artifact("autoscaling/alarms.json", json.dumps(alarm_definitions(best["target"]), indent=2) + "\n",
                 "the two CloudWatch alarms target tracking creates for it"),
    ]
    key_numbers = {
        "guidance_target": targets["target-per-minute-with-factor"],
        "degraded_minutes_by_target": {f"{targets[k]:g}": w1[k]["degraded_minutes"] for k in targets},
        "cost_ratio_by_target": {f"{targets[k]:g}": w1[k]["cost_ratio"] for k in targets},
        "campaign_settled_instances": w2["settled_instances"], "campaign_settled_metric": w2["settled_metric"],
        "campaign_unconstrained_instances": w2["unconstrained"],
        "event_waves": len(waves), "event_instances_needed": w3["disable-scale-in"]["needed"],
        "async_longest_wait_by_option": {k: w4[k]["longest_wait"] for k in async_keys},
    }
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=story(p, day, targets, w1, w2, w3, waves, w4, w5),
        series=series, tables=tables, timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers,
        question_id=INFO.question_ids[0],
    )


def async_finding(w: dict) -> str:
    f = w["fleet"]
    text = (w["refused"] + ". ") if w["refused"] else ""
    zero = next((a["minute"] for a in f.activities if a["to"] == 0), None)
    text += f"The endpoint scales in to zero at {clock(zero, START.replace(hour=20))[11:16]}. " if zero is not None else "The endpoint never reaches zero instances. "
    if f.arrivals.sum() == 0:
        return text + "No request arrives in the morning."
    morning = [a for a in f.activities if a["minute"] >= 12 * 60 and a["kind"] == "scale-out"]
    if morning:
        return text + f"In the morning the first instance is requested at {clock(morning[0]['minute'], START.replace(hour=20))[11:16]} ({morning[0]['reason']})."
    if f.in_service[12 * 60:].min() > 0:
        return text + "An instance is already running when the morning requests arrive."
    return text + f"No scale-out is triggered all morning: the backlog-per-instance metric has {w['metric_points_in_morning']} datapoints."


def story(p, day, targets, w1, w2, w3, waves, w4, w5) -> str:
    """The narrative, built from the measured numbers of the four worlds."""
    guide = w1["target-per-minute-with-factor"]
    ramp = p["day_peak_rpm"] / p["day_start_rpm"]
    if ramp < 1.15:
        text = (f"World 1: traffic stays flat at about {day.mean():,.0f} invocations a minute; there is no ramp for the targets to "
                f"absorb. ")
    else:
        text = f"World 1: traffic climbs from about {day[:60].mean():,.0f} to a peak of {day.max():,.0f} invocations a minute. "
    bad = [f"{targets[k]:g} ({w['degraded_minutes']} minutes)" for k, w in w1.items() if w["degraded_minutes"]]
    text += (f"With target {guide['target']:g} (= {p['load_test_rps']:g} x {p['safety_factor']:g} x 60) no instance passes the load-test "
             f"limit ({guide['degraded_minutes']} minutes above it) and the fleet costs {guide['cost_ratio']:g}x the bare minimum. " if not guide["degraded_minutes"]
             else f"Even target {guide['target']:g} leaves {guide['degraded_minutes']} minutes above the load-test limit. ")
    text += ("Instances run above the limit with targets " + ", ".join(bad) + ". ") if bad else "No target lets an instance pass the limit. "
    idle = [f"{targets[k]:g} ({w['cost_ratio']:g}x)" for k, w in w1.items() if w["cost_ratio"] > 1.25 / p["safety_factor"]]
    if idle:
        text += "Per-second targets pin the fleet near MaxCapacity: " + ", ".join(idle) + " the bare minimum. "
    if w2["settled_instances"] == 4 and w2["activities"] == 0:
        text += f"World 2: at {p['campaign_rpm']:g} a minute the metric stays at the target; the variant keeps 4 instances. "
    elif w2["settled_instances"] < w2["unconstrained"]:
        text += (f"World 2: the campaign would need {w2['unconstrained']} instances at the target, but MaxCapacity {p['max_capacity']} "
                 f"holds the variant at {w2['settled_instances']}, with {w2['settled_metric']:g} invocations per instance. ")
    else:
        text += (f"World 2: the campaign needs {w2['unconstrained']} instances and MaxCapacity {p['max_capacity']} allows them: "
                 f"{w2['settled_instances']} at {w2['settled_metric']:g} per instance. ")
    a, b = w3["disable-scale-in"], w3["three-day-scale-in-cooldown"]
    if len(waves) == 0 or a["needed"] <= MIN_CAPACITY:
        text += f"World 3: the event brings no waves above what {MIN_CAPACITY} instances handle, so no setting has anything to hold. "
    else:
        text += (f"World 3: {len(waves)} waves need up to {a['needed']} instances; with scale-in disabled {a['removed_during_event']} "
                 f"instances are removed, with a three-day scale-in cooldown {b['removed_during_event']} are removed in the first lull "
                 f"and {b['degraded_after_first_wave']} later minutes run above the load-test limit. ")
    s, t1 = w4["async-step-scaling"], w4["async-target-1"]
    if s["fleet"].arrivals.sum() == 0:
        text += "World 4: no request arrives in the morning, so the empty endpoint never needs to wake up. "
    else:
        text += (f"World 4: at zero instances the backlog-per-instance metric has {t1['metric_points_in_morning']} datapoints all "
                 f"morning, so target tracking never fires (longest wait {t1['longest_wait']} minutes); the step policy on "
                 f"HasBacklogWithoutCapacity starts an instance after {s['longest_wait']} minutes of waiting. ")
    c = w5["cpu-threshold-720"]
    low, high = c["normal_range"]
    text += (f"World 5: with {VCPUS} vCPUs CPUUtilization runs {low}-{high} on normal days while the instances are "
             f"{c['normal_busy_share']:.0%} busy; a threshold of 90 is in ALARM for {w5['cpu-maximum-statistic']['false_alarm_minutes']} "
             "minutes with the Maximum statistic")
    if c["saturated_minutes"]:
        text += (f", while 720 (90 % of {100 * VCPUS}) stays quiet and catches the saturated stretch "
                 + (f"after {c['minutes_to_catch']} minutes." if c["minutes_to_catch"] is not None else "- never, here."))
    else:
        text += "; no instance ever saturates in this world, so there is nothing for any alarm to catch."
    return text
