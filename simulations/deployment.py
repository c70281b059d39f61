"""Blue/green deployments with guardrails, production-variant routing, shadow copies.

The pieces the deployment-guardrails simulation runs; vectorized over minutes and requests.

- ``shift_plan``: the green fleet's traffic share at each step of all-at-once, canary and linear
  traffic shifting. ``validate_linear`` applies the linear rule: every step is the same size,
  a whole number of instances (or a percentage of capacity), between 10 % and 50 % of the green fleet.
- ``roll_out``: one deployment minute by minute. Each step is followed by a baking period; the
  alarms of the auto-rollback configuration are watched during every baking period, and when one
  is in ALARM all traffic goes back to the blue fleet the next minute and the update stops. If
  no alarm fires, the blue fleet is terminated after the last baking period. Errors are drawn
  per minute (binomial) for each fleet; the alarm metric is ``Invocation5XXErrors`` with the
  Average statistic (the error rate) over one-minute periods, for the whole endpoint or for the
  old fleet only, ALARM when ``points`` of the last ``points`` datapoints exceed the threshold,
  decided minute by minute by the engine's alarm rules (``cloudwatch.alarm_states``, the
  vectorised twin of ``Alarm.evaluate``; a minute without traffic on the old fleet has no
  datapoint and is treated as missing).
- ``route``: InvokeEndpoint routing: a request without ``TargetVariant`` goes to a variant with
  probability weight / sum of weights; with ``TargetVariant`` it goes to that variant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulations.monitoring.cloudwatch import ALARM, alarm_states

LINEAR_MIN, LINEAR_MAX = 0.10, 0.50


def shift_plan(mode: str, *, canary: float = 0.1, step: float = 0.1) -> list[float]:
    """The green share after each traffic shift."""
    if mode == "all-at-once":
        return [1.0]
    if mode == "canary":
        return [canary, 1.0]
    if mode == "linear":
        count = int(np.ceil(round(1.0 / step, 9)))
        return [min(1.0, round(step * k, 9)) for k in range(1, count + 1)]
    raise ValueError(f"traffic shifting mode must be all-at-once, canary or linear, got {mode!r}")


def validate_linear(fleet: int, sizes: list[float], unit: str) -> tuple[float | None, str]:
    """The step as a share of the green fleet, or None and the reason it is refused.

    ``sizes`` lists the proposed steps, in instances (``unit="INSTANCE_COUNT"``) or in percent of
    capacity (``unit="CAPACITY_PERCENT"``)."""
    if len(set(sizes)) != 1:
        return None, f"linear shifting moves the same amount at every step, got steps of {', '.join(f'{s:g}' for s in sizes)}"
    size = sizes[0]
    if unit == "INSTANCE_COUNT" and float(size) != int(size):
        return None, f"an instance-count step must be a whole number of instances, got {size:g}"
    share = size / fleet if unit == "INSTANCE_COUNT" else size / 100.0
    if not LINEAR_MIN - 1e-9 <= share <= LINEAR_MAX + 1e-9:
        return None, f"a linear step must be between {LINEAR_MIN:.0%} and {LINEAR_MAX:.0%} of the green fleet, got {share:.0%}"
    return share, ""


def smallest_linear_step(fleet: int) -> float:
    """The smallest share the linear rule accepts for a fleet of ``fleet`` instances."""
    shares = [k / fleet for k in range(1, fleet + 1) if validate_linear(fleet, [k], "INSTANCE_COUNT")[0] is not None]
    return min(shares)


def alarm_minutes(rate: np.ndarray, threshold: float, points: int) -> np.ndarray:
    """ALARM per minute of a "``points`` of ``points`` above ``threshold``" alarm on ``rate`` (one
    datapoint a minute, NaN: none), evaluated every minute by the engine's rules (``alarm_states``)."""
    return alarm_states(rate, threshold=threshold, evaluation_periods=points) == ALARM


@dataclass
class RollOut:
    share: np.ndarray  # green share of traffic per minute
    green_requests: np.ndarray
    green_errors: np.ndarray
    blue_errors: np.ndarray
    endpoint_rate: np.ndarray  # Invocation5XXErrors Average for the endpoint
    old_fleet_rate: np.ndarray  # ... for the blue fleet only (NaN when it serves nothing)
    alarm: np.ndarray  # the watched alarm's ALARM minutes on the path actually taken
    rollback_minute: int | None  # the minute the alarm was seen; traffic is on blue from the next
    blue_terminated_minute: int | None
    steps_started: int
    baking_minutes: int


def roll_out(traffic: np.ndarray, new_error: np.ndarray, old_error: float, plan: list[float], baking: int, *,
             watch: str, threshold: float, points: int, rng: np.random.Generator) -> RollOut:
    """One blue/green deployment; ``watch`` is "endpoint", "old-fleet" or "none" (no alarms configured)."""
    traffic = np.asarray(traffic, dtype=np.int64)
    n = len(traffic)
    end = len(plan) * baking
    if end > n:
        raise ValueError(f"the deployment needs {end} minutes, the traffic covers {n}")
    minute = np.arange(n)
    share = np.where(minute < end, np.asarray(plan)[np.minimum(minute // baking, len(plan) - 1)], 1.0)
    seeds = rng.integers(2**32, size=2)  # the same streams on either path: minutes before a rollback match

    def draw(share_now):
        green = np.rint(traffic * share_now).astype(np.int64)
        blue = traffic - green
        g_err = np.random.default_rng(seeds[0]).binomial(green, new_error)
        b_err = np.random.default_rng(seeds[1]).binomial(blue, old_error)
        with np.errstate(invalid="ignore", divide="ignore"):
            endpoint = (g_err + b_err) / np.maximum(traffic, 1)
            old = np.where(blue > 0, b_err / np.maximum(blue, 1), np.nan)
        return green, g_err, b_err, endpoint, old

    green, g_err, b_err, endpoint, old = draw(share)
    watched = {"endpoint": endpoint, "old-fleet": old}.get(watch)
    alarm = alarm_minutes(watched, threshold, points) if watched is not None else np.zeros(n, bool)
    fired = np.flatnonzero(alarm[:end])
    rollback = int(fired[0]) if fired.size else None
    if rollback is not None:
        share = np.where(minute > rollback, 0.0, share)
        green, g_err, b_err, endpoint, old = draw(share)
        watched = {"endpoint": endpoint, "old-fleet": old}.get(watch)
        alarm = alarm_minutes(watched, threshold, points)
        steps = rollback // baking + 1
        baked = rollback + 1
    else:
        steps, baked = len(plan), end
    return RollOut(share, green, g_err, b_err, endpoint, old, alarm, rollback, None if rollback is not None else end, steps, baked)


def route(n_requests: int, weights: dict[str, float], rng: np.random.Generator, target: str | None = None) -> np.ndarray:
    """The variant each of ``n_requests`` InvokeEndpoint calls reaches (``target``: TargetVariant)."""
    names = np.array(list(weights), dtype=object)
    if target is not None:
        if target not in weights:
            raise ValueError(f"TargetVariant {target!r} is not a variant of the endpoint; variants: {', '.join(weights)}")
        return np.full(n_requests, target, dtype=object)
    w = np.array(list(weights.values()), dtype=float)
    return names[rng.choice(len(names), size=n_requests, p=w / w.sum())]


class EndpointApiError(ValueError):
    """A request the endpoint service refuses (a ValidationException in SageMaker)."""


PROVISION_MINUTES = 8  # minutes UpdateEndpoint takes to bring up a new fleet (the simulation's assumption)
WEIGHT_MINUTES = 1  # minutes UpdateEndpointWeightsAndCapacities takes on instances already running
SHADOW_MAX_DAYS = 30


class EndpointService:
    """Endpoint configurations (immutable once created), endpoints and their production variants,
    in-place weight updates, and shadow tests; counts the instances it provisions and the minutes
    each call takes."""

    def __init__(self) -> None:
        self.configs: dict[str, dict] = {}
        self.endpoints: dict[str, dict] = {}
        self.provisioned = 0

    def create_endpoint_config(self, name: str, variants: list[dict], serverless: bool = False) -> None:
        if name in self.configs:
            raise EndpointApiError(f"endpoint configuration {name!r} already exists")
        self.configs[name] = {"variants": [dict(v) for v in variants], "serverless": serverless}

    def edit_endpoint_config(self, name: str, **changes) -> None:
        """There is no call that edits a configuration: it is refused whatever the change."""
        raise EndpointApiError(f"endpoint configuration {name!r} cannot be modified after it is created; create a new one")

    def _provision(self, config: str) -> int:
        self.provisioned += sum(v["instances"] for v in self.configs[config]["variants"] if not self.configs[config]["serverless"])
        return PROVISION_MINUTES

    def create_endpoint(self, name: str, config: str) -> int:
        minutes = self._provision(config)
        self.endpoints[name] = {"config": config, "variants": {v["name"]: dict(v) for v in self.configs[config]["variants"]},
                                "serverless": self.configs[config]["serverless"]}
        return minutes

    def update_endpoint(self, name: str, config: str) -> int:
        """A new fleet from ``config``; traffic moves when it is in service. Returns the minutes taken."""
        minutes = self._provision(config)
        self.endpoints[name].update(config=config, variants={v["name"]: dict(v) for v in self.configs[config]["variants"]})
        return minutes

    def update_endpoint_weights_and_capacities(self, name: str, weights: dict[str, float]) -> int:
        variants = self.endpoints[name]["variants"]
        unknown = sorted(set(weights) - set(variants))
        if unknown:
            raise EndpointApiError(f"variant {unknown[0]!r} is not on endpoint {name!r}")
        for variant, weight in weights.items():
            variants[variant]["weight"] = weight
        return WEIGHT_MINUTES

    def weights(self, name: str) -> dict[str, float]:
        return {v: d["weight"] for v, d in self.endpoints[name]["variants"].items()}

    def start_shadow_test(self, endpoint: str, shadows: list[dict], sampling_percent: float, days: int) -> dict:
        """A shadow test on ``endpoint``: one production variant, one shadow variant, 1-30 days."""
        problems = []
        if self.endpoints[endpoint]["serverless"]:
            problems.append("shadow tests cannot run on a serverless endpoint")
        if len(self.endpoints[endpoint]["variants"]) != 1:
            problems.append("an endpoint with a shadow variant has exactly one production variant")
        if len(shadows) != 1:
            problems.append(f"an endpoint takes one shadow variant, got {len(shadows)}")
        if not 1 <= days <= SHADOW_MAX_DAYS:
            problems.append(f"a shadow test lasts at most {SHADOW_MAX_DAYS} days, got {days}")
        if not 0 < sampling_percent <= 100:
            problems.append(f"the sampling percentage must be above 0 and at most 100, got {sampling_percent:g}")
        if problems:
            raise EndpointApiError("; ".join(problems))
        return {"endpoint": endpoint, "shadow": shadows[0]["name"], "sampling_percent": sampling_percent, "days": days}
