"""Deployment guardrails: blue/green traffic shifting with alarm rollback, A/B variants, shadow tests.

An endpoint serves ``requests_per_minute`` customers a minute (each request is one customer
decision). The old model (blue) fails ``old_error_rate`` of its requests with a 5XX error. The
new model version (green) behaves like the old one until ``fault_minute`` minutes after it first
takes traffic; from then on it fails ``new_error_rate`` of its requests (the control world: the
new version stays healthy). Deployments run minute by minute with ``simulations.deployment``;
the auto-rollback alarm watches ``Invocation5XXErrors`` (Average: the error rate) over one-minute
periods, ALARM at 3 of 3 datapoints above ``alarm_threshold``.

Worlds and the questions they serve:

1. ``canary-alarm-rollback``: canary 10 %, 30-minute baking, an alarm on the endpoint's error rate,
   the fault 12 minutes into the baking period. Each option says what happens; it is compared with
   the deployment: green share at the end, the largest green share, whether all traffic went back
   to blue, how many canary baking periods ran.
2. ``rollback-without-alarms``: the same bad version with canary shifting, a 20-minute baking
   period and no alarms. Each option's explanation implies a change that would have rolled the
   deployment back (linear shifting, alarms on the endpoint, alarms on the old fleet, a 60-minute
   baking period); each change is deployed and judged by whether it rolls back and how many
   customers the bad version serves.
3. ``linear-step-sizing``: a 10-instance green fleet; each proposed step set is checked by the
   linear rule, deployed if accepted (healthy version, 10-minute baking), and its steps and
   baking minutes are counted.
4. ``ab-weights-traffic-share``: a day of requests routed over variants weighted 3 : 1 plus QA
   requests with ``TargetVariant``; each option's predicted counts are compared with the routing.
5. ``shadow-test-no-impact``: a week of live traffic under each test design; judged by customer
   decisions the new model made and by live requests that both models answered.
6. ``ab-gradual-weight-shift``: an endpoint with ``current`` and ``candidate`` (weights 0.8 / 0.2,
   two instances each) moves the candidate to 50 % and then 100 % and back, through the
   ``EndpointService`` calls each option names; judged by the candidate's share of routed requests
   after each step, the instances newly provisioned and the minutes the way back takes.
7. ``shadow-test-limits``: the team's plan (three shadows, 42 days) and each option's
   predictions are tried as shadow-test requests against ``EndpointService``; judged by how many
   predictions the service confirms and whether the plan's refusal names the option's limitation.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from simulations.deployment import (
    EndpointApiError,
    EndpointService,
    LINEAR_MAX,
    LINEAR_MIN,
    roll_out,
    route,
    shift_plan,
    smallest_linear_step,
    validate_linear,
)
from simulations.monitoring.cloudwatch import Alarm
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

INFO = SimulationInfo(
    name="deployment-guardrails",
    title="Deployment guardrails: canary rollback, linear steps, A/B weights and shadow tests",
    summary="A new model version that starts failing is deployed blue/green with canary or linear shifting; alarms in the auto-rollback configuration send traffic back to the old fleet, and A/B weights and shadow variants decide which customers the new model answers.",
    questions=(
        QuestionLink("canary-alarm-rollback", {"A": "claim-rollback-to-blue", "B": "claim-pause-for-approval",
                                               "C": "claim-wait-for-full-shift", "D": "claim-replace-canary"}),
        QuestionLink("rollback-without-alarms", {"A": "fix-linear-shifting", "B": "fix-add-alarms",
                                                 "C": "fix-old-fleet-alarm", "D": "fix-hour-baking"}),
        QuestionLink("linear-step-sizing", {"A": "steps-5-percent", "B": "steps-60-then-40",
                                            "C": "steps-one-instance", "D": "steps-half-instance"}),
        QuestionLink("ab-weights-traffic-share", {"A": "ab-quarter-and-target-variant", "B": "ab-one-percent",
                                                  "C": "ab-weights-are-instances", "D": "ab-quarter-no-target-variant"}),
        QuestionLink("shadow-test-no-impact", {"A": "test-ab-variant", "B": "test-shadow",
                                               "C": "test-canary", "D": "test-offline-replay"}),
        QuestionLink("ab-gradual-weight-shift", {"A": "shift-update-endpoint", "B": "shift-delete-variant",
                                                 "C": "shift-update-weights", "D": "shift-edit-config"}),
        QuestionLink("shadow-test-limits", {"A": "limit-sampling-10", "B": "limit-full-copy",
                                            "C": "limit-serverless-only", "D": "limit-one-shadow-30-days"}),
    ),
    params=(
        ParamSpec("requests_per_minute", int, 1000, "customer requests per minute on the endpoint", min=100, max=20000),
        ParamSpec("old_error_rate", float, 0.002, "share of requests the old model fails with a 5XX error", min=0.0, max=0.05),
        ParamSpec("new_error_rate", float, 0.08, "share the new version fails once its fault starts (equal to old_error_rate: a healthy version)", min=0.0, max=0.5),
        ParamSpec("fault_minute", int, 12, "minutes after the new version first takes traffic until its fault starts", min=0, max=25),
        ParamSpec("alarm_threshold", float, 0.005, "the rollback alarm's threshold on the Invocation5XXErrors error rate", min=0.0005, max=0.2),
        ParamSpec("canary_share", float, 0.1, "the canary's share of the green fleet (and of the traffic)", min=0.05, max=0.5),
        ParamSpec("requests_per_day", int, 40000, "world 4: requests a day on the A/B endpoint", min=1000, max=1000000),
        ParamSpec("shadow_sampling", float, 0.5, "world 5: share of requests copied to the shadow variant", min=0.05, max=1.0),
    ),
    facts=("F69", "F70", "F71"),
    presets=(
        Preset("healthy-new-version", {"new_error_rate": 0.002}, "the new version fails no more often than the old one",
               control=True, premise="no bad version: the new model is as healthy as the old one"),
        Preset("fault-at-once", {"fault_minute": 0}, "the new version fails from its first request"),
    ),
)

POINTS = 3
AFTER = 30  # minutes followed after a deployment ends
FLEET = 10  # world 3: instances of the green fleet
LINEAR_BAKING = 10
CLAIMS = {  # world 1: (green share at the end, largest green share, all traffic back on blue, canary baking periods)
    "claim-rollback-to-blue": (0.0, "canary", True, 1),
    "claim-pause-for-approval": ("canary", "canary", False, 1),
    "claim-wait-for-full-shift": (0.0, 1.0, True, 1),
    "claim-replace-canary": ("canary", "canary", False, 2),
}
FIXES = {  # world 2: (mode, baking, watch) each explanation implies
    "fix-linear-shifting": ("linear", 20, "none"), "fix-add-alarms": ("canary", 20, "endpoint"),
    "fix-old-fleet-alarm": ("canary", 20, "old-fleet"), "fix-hour-baking": ("canary", 60, "none"),
}
STEP_PROPOSALS = {  # world 3: (sizes, unit, claimed steps, claimed baking minutes)
    "steps-5-percent": ([5], "CAPACITY_PERCENT", 20, 200), "steps-60-then-40": ([60, 40], "CAPACITY_PERCENT", 2, 20),
    "steps-one-instance": ([1], "INSTANCE_COUNT", 10, 100), "steps-half-instance": ([0.5], "INSTANCE_COUNT", 20, 200),
}
AB_WEIGHTS = {"current": 3.0, "candidate": 1.0}
AB_INSTANCES = {"current": 3, "candidate": 1}
QA_REQUESTS = 200
AB_CLAIMS = {  # world 4: (candidate share of customer requests, share of QA requests reaching the candidate)
    "ab-quarter-and-target-variant": (0.25, 1.0), "ab-one-percent": (0.01, 0.01),
    "ab-weights-are-instances": (0.0, 0.0), "ab-quarter-no-target-variant": (0.25, 0.25),
}
SHADOW_DAYS = 7
MIN_COMPARED = 1000  # world 5: live requests both models must answer for a comparison


# -- world 1 and 2: blue/green deployments --------------------------------------------------------------
def new_version_errors(p: dict, n: int, first_minute: int = 0) -> np.ndarray:
    minute = np.arange(n)
    return np.where(minute >= first_minute + p["fault_minute"], p["new_error_rate"], p["old_error_rate"])


def deploy(p: dict, mode: str, baking: int, watch: str, rng: np.random.Generator, *, step: float = 0.1):
    plan = shift_plan(mode, canary=p["canary_share"], step=step)
    n = len(plan) * baking + AFTER
    traffic = np.full(n, p["requests_per_minute"])
    errors = new_version_errors(p, n)
    result = roll_out(traffic, errors, p["old_error_rate"], plan, baking, watch=watch, threshold=p["alarm_threshold"], points=POINTS, rng=rng)
    bad = errors > p["old_error_rate"]
    fault = int(np.flatnonzero(bad)[0]) if bad.any() else None
    exposed = int(result.green_requests[bad].sum())
    return {"rollout": result, "plan": plan, "baking": baking, "watch": watch, "mode": mode,
            "rolled_back": result.rollback_minute is not None,
            "rollback_minute": result.rollback_minute, "fault_minute": fault,
            "minutes_to_rollback": (result.rollback_minute + 1 - fault) if result.rollback_minute is not None and fault is not None else None,
            "exposed": exposed, "failed": int(result.green_errors.sum()),
            "end_share": float(result.share[-1]), "max_share": float(result.share.max()),
            "canary_bakings": sum(1 for share in plan[: result.steps_started] if mode == "canary" and share < 1.0),
            "blue_terminated": result.blue_terminated_minute is not None, "steps_started": result.steps_started,
            "baking_minutes": result.baking_minutes,
            "peak_endpoint_rate": round(float(np.nanmax(result.endpoint_rate)), 4)}


def judged_claim(w: dict, claim: tuple, canary: float) -> list:
    end, top = (canary if v == "canary" else v for v in claim[:2])
    back, bakings = claim[2], claim[3]
    return [
        criterion("green share of traffic at the end", w["end_share"], "==", end,
                  detail=f"{'rolled back at minute ' + str(w['rollback_minute']) if w['rolled_back'] else 'no rollback'}"),
        criterion("largest green share during the deployment", w["max_share"], "==", top),
        check("all traffic back on the blue fleet after the alarm", w["rolled_back"] == back,
              f"{'yes' if w['rolled_back'] else 'no'}, as the option says", f"{'yes' if w['rolled_back'] else 'no'}, unlike the option"),
        criterion("canary baking periods run", w["canary_bakings"], "==", bakings),
    ]


def judged_fix(w: dict, p: dict) -> list:
    allowance = int(round(p["canary_share"] * p["requests_per_minute"] * 20))
    when = (f"rolled back {w['minutes_to_rollback']} minutes after the fault" if w["rolled_back"]
            else f"no rollback; the blue fleet {'was terminated' if w['blue_terminated'] else 'kept'}")
    return [
        check("the deployment rolls back", w["rolled_back"], when, when),
        criterion("customers the bad version answered", w["exposed"], "<=", allowance,
                  detail=f"{w['failed']} of them got a 5XX; allowance: the canary's share for one 20-minute baking period"),
    ]


# -- world 3: linear steps ------------------------------------------------------------------------------
def linear_world(key: str, p: dict, rng: np.random.Generator) -> dict:
    sizes, unit, steps, minutes = STEP_PROPOSALS[key]
    share, reason = validate_linear(FLEET, sizes, unit)
    healthy = p | {"new_error_rate": p["old_error_rate"]}
    if share is None:
        return {"accepted": False, "reason": reason, "share": sizes[0] / (FLEET if unit == "INSTANCE_COUNT" else 100),
                "steps_run": 0, "baking_minutes": 0, "claimed_steps": steps, "claimed_minutes": minutes}
    w = deploy(healthy, "linear", LINEAR_BAKING, "endpoint", rng, step=share)
    return {"accepted": True, "reason": "", "share": share, "steps_run": w["steps_started"], "baking_minutes": w["baking_minutes"],
            "claimed_steps": steps, "claimed_minutes": minutes, "rolled_back": w["rolled_back"]}


def judged_linear(w: dict, smallest: float) -> list:
    return [
        check("the linear configuration is accepted", w["accepted"], f"accepted, steps of {w['share']:.0%} of the green fleet",
              f"refused: {w['reason']}"),
        criterion("step size as a share of the green fleet", round(w["share"], 4), "==", round(smallest, 4),
                  detail=f"the smallest the rule accepts for {FLEET} instances"),
        criterion("steps run", w["steps_run"], "==", w["claimed_steps"], detail="as the option states"),
        criterion("baking minutes before the blue fleet is terminated", w["baking_minutes"], "==", w["claimed_minutes"], detail="as the option states"),
    ]


# -- world 4: A/B weights --------------------------------------------------------------------------------
def ab_world(p: dict, rng: np.random.Generator) -> dict:
    customers = route(p["requests_per_day"], AB_WEIGHTS, rng)
    qa = route(QA_REQUESTS, AB_WEIGHTS, rng, target="candidate")
    return {"candidate_customers": int((customers == "candidate").sum()), "customers": p["requests_per_day"],
            "qa_on_candidate": int((qa == "candidate").sum()), "qa": QA_REQUESTS,
            "weight_share": AB_WEIGHTS["candidate"] / sum(AB_WEIGHTS.values())}


def judged_ab(w: dict, claim: tuple[float, float]) -> list:
    share, qa_share = claim
    stated, stated_qa = share * w["customers"], qa_share * w["qa"]
    return [
        criterion("customer requests on candidate a day, off the stated count by", abs(w["candidate_customers"] - stated), "<=",
                  round(0.02 * w["customers"]), detail=f"measured {w['candidate_customers']:,}, stated {stated:,.0f}"),
        criterion("QA requests reaching candidate, off the stated count by", abs(w["qa_on_candidate"] - stated_qa), "<=", round(0.05 * w["qa"]),
                  detail=f"measured {w['qa_on_candidate']} of {w['qa']} sent with TargetVariant=candidate, stated {stated_qa:g}"),
    ]


# -- world 5: shadow test ----------------------------------------------------------------------------------
def shadow_world(key: str, p: dict, rng: np.random.Generator) -> dict:
    n = SHADOW_DAYS * 24 * 60 * max(1, p["requests_per_minute"] // 100)  # one request in 100 is tracked individually
    served_by_new = np.zeros(n, bool)
    both = np.zeros(n, bool)
    if key == "test-ab-variant":
        served_by_new = route(n, {"current": 1.0, "new": 0.1}, rng) == "new"
    elif key == "test-canary":
        served_by_new = rng.random(n) < p["canary_share"]
    elif key == "test-shadow":
        both = rng.random(n) < p["shadow_sampling"]
    live_compared = int(both.sum())
    replayed = n if key == "test-offline-replay" else 0
    return {"tracked_requests": n, "decisions_by_new_model": int(served_by_new.sum()), "live_requests_both_models": live_compared,
            "offline_replayed": replayed}


def judged_shadow(w: dict) -> list:
    return [
        criterion("customer decisions answered by the new model", w["decisions_by_new_model"], "<=", 0,
                  detail=f"of {w['tracked_requests']:,} tracked requests"),
        criterion("live requests answered by both models", w["live_requests_both_models"], ">=", MIN_COMPARED,
                  detail=f"{w['offline_replayed']:,} old requests replayed offline" if w["offline_replayed"] else "identical requests, side by side"),
    ]


# -- world 6: moving the weights step by step --------------------------------------------------------------
AB_START = {"current": 0.8, "candidate": 0.2}
SHIFT_STEPS = ({"current": 0.5, "candidate": 0.5}, {"current": 0.0, "candidate": 1.0})
SHIFT_SAMPLE = 20_000  # requests routed after each step to measure the split
MAX_BACK_MINUTES = 5


def _config(svc: EndpointService, name: str, weights: dict[str, float]) -> str:
    svc.create_endpoint_config(name, [{"name": v, "weight": w, "instances": 2} for v, w in weights.items()])
    return name


def gradual_world(key: str, rng: np.random.Generator) -> dict:
    svc = EndpointService()
    svc.create_endpoint("shop", _config(svc, "ab-config", AB_START))
    svc.provisioned = 0  # count what the shift itself provisions
    shares, refused = [], []
    for i, weights in enumerate(SHIFT_STEPS):
        try:
            if key == "shift-update-endpoint":
                svc.update_endpoint("shop", _config(svc, f"step-{i + 1}", weights))
            elif key == "shift-delete-variant" and i == 0:
                svc.update_endpoint("shop", _config(svc, "candidate-only", {"candidate": 1.0}))
            elif key == "shift-update-weights":
                svc.update_endpoint_weights_and_capacities("shop", weights)
            elif key == "shift-edit-config":
                svc.edit_endpoint_config("ab-config", weights=weights)
        except EndpointApiError as error:
            refused.append(str(error))
        routed = route(SHIFT_SAMPLE, svc.weights("shop"), rng)
        shares.append(round(float((routed == "candidate").mean()), 4))
    back = SHIFT_STEPS[0]
    try:
        if key == "shift-update-weights":
            back_minutes = svc.update_endpoint_weights_and_capacities("shop", back)
        elif key in ("shift-update-endpoint", "shift-delete-variant"):
            back_minutes = svc.update_endpoint("shop", _config(svc, "back", back))
        else:
            svc.edit_endpoint_config("ab-config", weights=back)
            back_minutes = 0
    except EndpointApiError as error:
        refused.append(str(error))
        back_minutes = 0
    return {"share_step_1": shares[0], "share_step_2": shares[1], "provisioned": svc.provisioned, "back_minutes": back_minutes,
            "refused": refused[0] if refused else ""}


def judged_gradual(w: dict) -> list:
    return [
        criterion("candidate share after the 50 % step, off by", round(abs(w["share_step_1"] - 0.5), 4), "<=", 0.02,
                  detail=f"measured {w['share_step_1']:.1%} of {SHIFT_SAMPLE:,} routed requests" + (f"; refused: {w['refused']}" if w["refused"] else "")),
        criterion("candidate share after the 100 % step, off by", round(abs(w["share_step_2"] - 1.0), 4), "<=", 0.02,
                  detail=f"measured {w['share_step_2']:.1%}"),
        criterion("instances newly provisioned", w["provisioned"], "<=", 0),
        criterion("minutes to move back to the 50 % weights", w["back_minutes"], "<=", MAX_BACK_MINUTES, unit="min"),
    ]


# -- world 7: shadow-test limits -------------------------------------------------------------------------------
PROBES = {  # name -> (endpoint, shadows, sampling percent, days)
    "sampling 50 %": ("media", 1, 50, 7), "sampling 20 %": ("media", 1, 20, 7), "on the real-time endpoint": ("media", 1, 20, 7),
    "on a serverless endpoint": ("media-serverless", 1, 20, 7), "three shadows": ("media", 3, 20, 7),
    "42 days": ("media", 1, 20, 42), "one shadow for 30 days": ("media", 1, 20, 30),
}
LIMIT_CLAIMS = {  # option -> (predictions: probe -> accepted?, words the plan's refusal would name)
    "limit-sampling-10": ({"sampling 50 %": False}, ("sampling",)),
    "limit-full-copy": ({"sampling 20 %": False}, ("sampling",)),
    "limit-serverless-only": ({"on the real-time endpoint": False, "on a serverless endpoint": True}, ("serverless",)),
    "limit-one-shadow-30-days": ({"three shadows": False, "42 days": False, "one shadow for 30 days": True}, ("one shadow variant", "30 days")),
}


def limits_world() -> dict:
    svc = EndpointService()
    svc.create_endpoint_config("prod", [{"name": "production", "weight": 1.0, "instances": 2}])
    svc.create_endpoint("media", "prod")
    svc.create_endpoint_config("serverless", [{"name": "production", "weight": 1.0, "instances": 0}], serverless=True)
    svc.create_endpoint("media-serverless", "serverless")

    def attempt(endpoint, shadows, sampling, days):
        try:
            svc.start_shadow_test(endpoint, [{"name": f"candidate-{k + 1}"} for k in range(shadows)], sampling, days)
            return True, "accepted"
        except EndpointApiError as error:
            return False, str(error)

    return {"plan": attempt("media", 3, 20, 42), "probes": {name: attempt(*args) for name, args in PROBES.items()}}


def judged_limits(w: dict, key: str) -> list:
    predictions, words = LIMIT_CLAIMS[key]
    confirmed = [name for name, accepted in predictions.items() if w["probes"][name][0] == accepted]
    shown = "; ".join(f"{name}: {w['probes'][name][1]}" for name in predictions)
    plan_ok, plan_reason = w["plan"]
    named = (not plan_ok) and all(word in plan_reason for word in words)
    return [
        criterion("predictions the service confirms", len(confirmed), "==", len(predictions), detail=shown),
        check("the plan's refusal names this limitation", named, f"refused: {plan_reason}",
              f"the plan is {'accepted' if plan_ok else 'refused for another reason: ' + plan_reason}"),
    ]


def rollback_alarm(p: dict) -> dict:
    return Alarm("fraud-endpoint-5xx-rate", namespace="AWS/SageMaker", metric_name="Invocation5XXErrors",
                 dimensions={"EndpointName": "fraud-endpoint", "VariantName": "AllTraffic"}, statistic="Average", period=60,
                 evaluation_periods=POINTS, threshold=p["alarm_threshold"], comparison_operator="GreaterThanThreshold").describe()


# -- the run -------------------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    total = 3
    if progress:
        progress(0, total, "world 1 and 2: blue/green deployments of the new version")
    w1 = deploy(p, "canary", 30, "endpoint", rng)
    w2 = {key: deploy(p, mode, baking, watch, rng) for key, (mode, baking, watch) in FIXES.items()}
    unguarded = deploy(p, "canary", 20, "none", rng)
    at_once = deploy(p, "all-at-once", 30, "endpoint", rng)
    linear = deploy(p, "linear", 30, "endpoint", rng, step=0.2)
    if progress:
        progress(1, total, "world 3: linear step proposals")
    smallest = smallest_linear_step(FLEET)
    w3 = {key: linear_world(key, p, rng) for key in STEP_PROPOSALS}
    if progress:
        progress(2, total, "world 4 and 5: A/B routing and shadow tests")
    w4 = ab_world(p, rng)
    w5 = {key: shadow_world(key, p, rng) for key in ("test-ab-variant", "test-shadow", "test-canary", "test-offline-replay")}
    shift_keys = ("shift-update-endpoint", "shift-delete-variant", "shift-update-weights", "shift-edit-config")
    w6 = {key: gradual_world(key, rng) for key in shift_keys}
    w7 = limits_world()

    canary = p["canary_share"]
    labels1 = {"claim-rollback-to-blue": "All traffic rolls back to blue; the update stops",
               "claim-pause-for-approval": "The deployment pauses at the canary until an operator decides",
               "claim-wait-for-full-shift": "Nothing until 100 % has shifted; alarms are evaluated at the end",
               "claim-replace-canary": "The canary instances are replaced and the baking period restarts"}
    found1 = w1_finding(w1)
    outcomes = [Outcome(k, labels1[k], judged_claim(w1, CLAIMS[k], canary), evidence(w1), found1, key=k) for k in CLAIMS]
    labels2 = {"fix-linear-shifting": "Linear shifting, still without alarms", "fix-add-alarms": "An alarm on Invocation5XXErrors in the rollback configuration",
               "fix-old-fleet-alarm": "An alarm on the old fleet's errors only", "fix-hour-baking": "A 60-minute baking period, still without alarms"}
    outcomes += [Outcome(k, labels2[k], judged_fix(w2[k], p), evidence(w2[k]),
                         f"Deployed with {labels2[k][0].lower() + labels2[k][1:]}: the bad version answers {w2[k]['exposed']:,} customers.", key=k) for k in FIXES]
    labels3 = {"steps-5-percent": "Steps of 5 % of capacity", "steps-60-then-40": "A 60 % step, then 40 %",
               "steps-one-instance": "Steps of 1 instance (10 %)", "steps-half-instance": "Steps of half an instance"}
    outcomes += [Outcome(k, labels3[k], judged_linear(w3[k], smallest), dict(w3[k]),
                         f"The option states {w3[k]['claimed_steps']} steps and {w3[k]['claimed_minutes']} baking minutes.", key=k)
                 for k in STEP_PROPOSALS]
    labels4 = {"ab-quarter-and-target-variant": "About a quarter to candidate; QA uses TargetVariant",
               "ab-one-percent": "Weight 1 = 1 %; QA follows the weights", "ab-weights-are-instances": "Weights are instance counts",
               "ab-quarter-no-target-variant": "About a quarter, but QA needs its own endpoint"}
    outcomes += [Outcome(k, labels4[k], judged_ab(w4, AB_CLAIMS[k]), dict(w4),
                         f"Weights 3 : 1 send {w4['candidate_customers']:,} of {w4['customers']:,} requests to candidate "
                         f"(instances {AB_INSTANCES['current']} : {AB_INSTANCES['candidate']}).", key=k) for k in AB_CLAIMS]
    labels5 = {"test-ab-variant": "A second production variant with weight 0.1", "test-shadow": "A shadow test",
               "test-canary": "A blue/green canary of 10 %", "test-offline-replay": "Offline batch replay of last month's requests"}
    outcomes += [Outcome(k, labels5[k], judged_shadow(w5[k]), dict(w5[k]), key=k) for k in w5]
    labels6 = {"shift-update-endpoint": "A new endpoint configuration and UpdateEndpoint per step",
               "shift-delete-variant": "Delete the current variant; auto scaling does the rest",
               "shift-update-weights": "UpdateEndpointWeightsAndCapacities per step", "shift-edit-config": "Edit InitialVariantWeight in the configuration in use"}
    outcomes += [Outcome(k, labels6[k], judged_gradual(w6[k]), dict(w6[k]),
                         f"From weights 0.8 / 0.2 the candidate serves {w6[k]['share_step_1']:.0%} after step 1 and {w6[k]['share_step_2']:.0%} "
                         f"after step 2; {w6[k]['provisioned']} instances provisioned.", key=k) for k in shift_keys]
    plan_ok, plan_reason = w7["plan"]
    labels7 = {"limit-sampling-10": "Sampling is capped at 10 %", "limit-full-copy": "A shadow must receive 100 % of traffic",
               "limit-serverless-only": "Shadow tests run only on serverless endpoints",
               "limit-one-shadow-30-days": "One shadow variant per endpoint, at most 30 days"}
    outcomes += [Outcome(k, labels7[k], judged_limits(w7, k), {"plan_accepted": plan_ok, "plan_response": plan_reason,
                                                               **{f"probe: {n}": w7["probes"][n][1] for n in LIMIT_CLAIMS[k][0]}},
                         "The plan (three shadows for 42 days) is " + ("accepted." if plan_ok else f"refused: {plan_reason}."), key=k)
                 for k in LIMIT_CLAIMS]

    minutes = list(range(len(w1["rollout"].share)))
    chart = "World 1: canary deployment"
    series = [
        Series("green share of traffic", minutes, w1["rollout"].share.round(3).tolist(), "line", "minute", "share", chart),
        Series("endpoint 5XX error rate", minutes, np.round(w1["rollout"].endpoint_rate, 4).tolist(), "line", "minute", "rate", chart),
        Series("alarm threshold", minutes, [p["alarm_threshold"]] * len(minutes), "line", "minute", "rate", chart),
        Series("customers the bad version answered", list(FIXES), [w2[k]["exposed"] for k in FIXES], "bar", "change", "customers",
               "World 2: each explanation's change, deployed"),
    ]
    u = unguarded["rollout"]
    series.append(Series("green share, no alarms", list(range(len(u.share))), u.share.round(3).tolist(), "line", "minute", "share",
                         "World 2: the deployment as it ran"))
    tables = {
        "deployments": pd.DataFrame([{"world": name, **{c: w[c] for c in ("mode", "baking", "watch", "rolled_back", "rollback_minute",
                                                                          "minutes_to_rollback", "exposed", "failed", "end_share", "blue_terminated")}}
                                     for name, w in [("canary-alarm", w1), ("all-at-once-alarm", at_once), ("linear-20-alarm", linear),
                                                   ("as-run-no-alarms", unguarded), *w2.items()]]),
        "linear_steps": pd.DataFrame([{"option": k, **{c: v for c, v in w.items() if c != "rolled_back"}} for k, w in w3.items()]),
        "shadow": pd.DataFrame([{"design": k, **w} for k, w in w5.items()]),
    }
    timeline = []
    if w1["fault_minute"] is not None:
        timeline.append(Event("minute 0", "deploy", f"canary: {canary:.0%} of traffic on the green fleet; 30-minute baking period"))
        timeline.append(Event(f"minute {w1['fault_minute']}", "info", f"the new version starts failing {p['new_error_rate']:.1%} of its requests"))
    if w1["rolled_back"]:
        timeline.append(Event(f"minute {w1['rollback_minute']}", "alarm", "the rollback alarm is in ALARM"))
        timeline.append(Event(f"minute {w1['rollback_minute'] + 1}", "rollback", "all traffic back on the blue fleet; the update stops"))
    else:
        timeline.append(Event("minute 30", "deploy", "100 % on the green fleet; final baking period"))
        timeline.append(Event("minute 60", "deploy", "blue fleet terminated"))
    config = {"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {"Type": "CANARY", "WaitIntervalInSeconds": 1800,
                                                                        "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": round(canary * 100)}},
                                        "TerminationWaitInSeconds": 0},
              "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "fraud-endpoint-5xx-rate"}]}}
    artifacts = [Artifact("deployment/deployment-config.json", json.dumps(config, indent=2) + "\n", "world 1: the DeploymentConfig of UpdateEndpoint"),
                 Artifact("deployment/rollback-alarm.json", json.dumps(rollback_alarm(p), indent=2) + "\n", "the alarm auto-rollback watches")]
    key_numbers = {
        "canary_rolled_back": w1["rolled_back"], "canary_minutes_to_rollback": w1["minutes_to_rollback"], "canary_exposed": w1["exposed"],
        "unguarded_exposed": unguarded["exposed"], "all_at_once_exposed": at_once["exposed"], "linear_exposed": linear["exposed"], "unguarded_blue_terminated": unguarded["blue_terminated"],
        "smallest_linear_step": smallest, "ab_candidate_requests": w4["candidate_customers"],
        "shadow_live_compared": w5["test-shadow"]["live_requests_both_models"],
    }
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=story(p, w1, unguarded, w2, w3, w4, w5, smallest, labels2, labels3, w6, w7, at_once, linear),
        series=series, tables=tables, timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers,
        question_id=INFO.question_ids[0],
    )


def evidence(w: dict) -> dict:
    return {k: v for k, v in w.items() if k not in ("rollout", "plan")}


def w1_finding(w: dict) -> str:
    if w["fault_minute"] is None:
        return f"The new version never fails more than the old one; the canary bakes, {w['end_share']:.0%} of traffic ends on green."
    if w["rolled_back"]:
        return (f"The fault starts at minute {w['fault_minute']}; the alarm is in ALARM at minute {w['rollback_minute']} and traffic is "
                f"back on blue {w['minutes_to_rollback']} minutes after the fault; the bad version answered {w['exposed']:,} customers.")
    return (f"The fault starts at minute {w['fault_minute']} but the endpoint's error rate peaks at {w['peak_endpoint_rate']:.2%}; the alarm "
            f"never fires and {w['end_share']:.0%} of traffic ends on green.")


def story(p, w1, unguarded, w2, w3, w4, w5, smallest, labels2, labels3, w6, w7, at_once, linear) -> str:
    """The narrative, built from the measured numbers of the five worlds."""
    if w1["fault_minute"] is None:
        text = ("The new version fails no more often than the old one: there is nothing to roll back. The canary deployment bakes "
                f"and completes with {w1['end_share']:.0%} of traffic on green"
                + (f"; {w1['failed']:,} of its requests failed, at the old model's rate. " if not w1["rolled_back"] else
                   f", yet noise tripped the alarm at minute {w1['rollback_minute']}. "))
    else:
        text = f"The new version starts failing {p['new_error_rate']:.1%} of its requests {p['fault_minute']} minutes after it first takes traffic. "
        text += w1_finding(w1) + " "
        if at_once["rolled_back"]:
            text += (f"With the same alarm, all-at-once shifting also rolls back but exposes {at_once['exposed']:,} customers, and linear "
                     f"steps of 20 % expose {linear['exposed']:,}. ")
        text += (f"Without alarms the same canary rollout shifts everything and terminates the blue fleet; the bad version answers "
                 f"{unguarded['exposed']:,} customers. " if unguarded["blue_terminated"] else "")
        rolled = [labels2[k][0].lower() + labels2[k][1:] for k, w in w2.items() if w["rolled_back"]]
        text += (f"Of the changes the four explanations imply, {len(rolled)} rolls back: " + "; ".join(rolled) + ". " if rolled
                 else "None of the changes each explanation implies rolls the deployment back. ")
    accepted = [labels3[k][0].lower() + labels3[k][1:] for k, w in w3.items() if w["accepted"]]
    text += (f"The linear rule ({LINEAR_MIN:.0%}-{LINEAR_MAX:.0%} of the green fleet, equal whole steps) accepts "
             + (", ".join(accepted) if accepted else "none of the proposals") + f"; the smallest step for {FLEET} instances is {smallest:.0%}. ")
    text += (f"Weights 3 : 1 send {w4['candidate_customers']:,} of {w4['customers']:,} daily requests to candidate and TargetVariant "
             f"delivers {w4['qa_on_candidate']} of {w4['qa']} QA requests there. ")
    text += (f"In a week, the shadow test answers {w5['test-shadow']['live_requests_both_models']:,} tracked live requests with both models "
             f"while customers see only the old one; a 0.1-weight variant answers {w5['test-ab-variant']['decisions_by_new_model']:,} "
             "customers with the new model. ")
    weights = w6["shift-update-weights"]
    text += (f"Moving the candidate by UpdateEndpointWeightsAndCapacities gives {weights['share_step_1']:.0%} then "
             f"{weights['share_step_2']:.0%} with {weights['provisioned']} new instances and {weights['back_minutes']} minute back; "
             f"UpdateEndpoint per step provisions {w6['shift-update-endpoint']['provisioned']} instances. ")
    plan_ok, plan_reason = w7["plan"]
    text += ("The team's shadow plan is accepted." if plan_ok else f"The team's shadow plan is refused: {plan_reason}.")
    return text
