"""deployment-guardrails: rollback timing, exposure, linear rule, routing and shadow numbers recomputed."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from simulations.deployment import alarm_minutes, roll_out, route, shift_plan, smallest_linear_step, validate_linear
from simulations.monitoring.cloudwatch import ALARM, CloudWatch
from simulations.monitoring.utc import UTC
from simulations.registry import run_simulation, run_world

NAME = "deployment-guardrails"


@pytest.fixture(scope="module")
def default():
    return run_world(NAME, seed=0)


def by_key(result, key):
    return next(o for o in result.outcomes if o.key == key)


def test_alarm_minutes_match_the_engine_alarm():
    rng = np.random.default_rng(5)
    rate = np.where(np.arange(90) >= 40, 0.01, 0.002) + rng.normal(0, 0.0005, 90)
    rate[[10, 11, 12, 60]] = [0.009, 0.009, 0.009, 0.0]  # a short burst before the fault and a dip after it
    start = datetime(2025, 1, 1, tzinfo=UTC)
    cw = CloudWatch()
    cw.metrics.put_metric_values("Test/SageMaker", "Invocation5XXErrors", rate, [start + timedelta(minutes=t, seconds=20) for t in range(90)],
                                 {"EndpointName": "e"}, "None")
    alarm = cw.put_metric_alarm("rollback", namespace="Test/SageMaker", metric_name="Invocation5XXErrors", dimensions={"EndpointName": "e"},
                                statistic="Average", period=60, evaluation_periods=3, threshold=0.005, comparison_operator="GreaterThanThreshold")
    engine = np.array([alarm.evaluate(start + timedelta(minutes=t + 1), cw.metrics) == ALARM for t in range(90)])
    assert np.array_equal(engine, alarm_minutes(rate, 0.005, 3))
    assert engine[12] and not engine[11]


def test_canary_rolls_back_three_minutes_after_the_fault_and_exposure_is_the_canary_share(default):
    w = by_key(default, "claim-rollback-to-blue").evidence
    assert w["fault_minute"] == 12 and w["rolled_back"]
    assert w["rollback_minute"] - w["fault_minute"] + 1 == w["minutes_to_rollback"] >= 3  # 3 of 3 breaching minutes
    assert w["exposed"] == round(1000 * 0.1) * w["minutes_to_rollback"]  # canary requests from the fault until back on blue
    assert w["end_share"] == 0.0 and w["max_share"] == 0.1 and not w["blue_terminated"]
    assert run_simulation(NAME, seed=0).correct_letters == ["A"]


def test_without_alarms_everything_shifts_and_blue_is_terminated(default):
    k = default.key_numbers
    assert k["unguarded_blue_terminated"] and k["canary_rolled_back"] is True
    # canary 20 min (fault from minute 12: 8 x 100 customers), then 20 min baking and 30 min after at 100 %
    assert k["unguarded_exposed"] == 8 * 100 + 20 * 1000 + 30 * 1000
    assert by_key(default, "fix-old-fleet-alarm").evidence["rolled_back"] is False
    assert by_key(default, "fix-add-alarms").evidence["rolled_back"] is True


def test_roll_out_without_a_fault_terminates_blue_after_every_baking_period():
    plan = shift_plan("linear", step=0.25)
    assert plan == [0.25, 0.5, 0.75, 1.0]
    r = roll_out(np.full(50, 1000), np.full(50, 0.001), 0.001, plan, 10, watch="endpoint", threshold=0.05, points=3,
                 rng=np.random.default_rng(0))
    assert r.rollback_minute is None and r.blue_terminated_minute == 40 and r.baking_minutes == 40
    assert list(r.share[[0, 10, 20, 30, 45]]) == [0.25, 0.5, 0.75, 1.0, 1.0]


def test_linear_rule():
    assert validate_linear(10, [1], "INSTANCE_COUNT")[0] == 0.1
    assert validate_linear(10, [5], "INSTANCE_COUNT")[0] == 0.5
    assert validate_linear(10, [6], "INSTANCE_COUNT")[0] is None
    assert validate_linear(10, [5], "CAPACITY_PERCENT")[0] is None
    assert "whole number" in validate_linear(10, [0.5], "INSTANCE_COUNT")[1]
    assert "same amount" in validate_linear(10, [60, 40], "CAPACITY_PERCENT")[1]
    assert smallest_linear_step(10) == 0.1 and smallest_linear_step(4) == 0.25


def test_routing_by_weights_and_target_variant(default):
    got = route(200_000, {"current": 3.0, "candidate": 1.0}, np.random.default_rng(1))
    assert abs((got == "candidate").mean() - 0.25) < 0.005
    assert set(route(10, {"current": 3.0, "candidate": 1.0}, np.random.default_rng(1), target="candidate")) == {"candidate"}
    with pytest.raises(ValueError, match="not a variant"):
        route(1, {"current": 1.0}, np.random.default_rng(1), target="nope")
    assert abs(default.key_numbers["ab_candidate_requests"] - 10_000) < 800


def test_shadow_and_lettering():
    shadow = run_simulation(NAME, seed=2, question="shadow-test-no-impact")
    assert shadow.correct_letters == ["B"]
    b = shadow.outcome("B").evidence
    assert b["decisions_by_new_model"] == 0 and abs(b["live_requests_both_models"] / b["tracked_requests"] - 0.5) < 0.02
    assert run_simulation(NAME, seed=2, question="linear-step-sizing").correct_letters == ["C"]
    assert run_simulation(NAME, seed=2, question="rollback-without-alarms").correct_letters == ["B"]


def test_healthy_control_has_nothing_to_roll_back():
    healthy = run_simulation(NAME, seed=0, preset="healthy-new-version")
    assert healthy.correct_letters == []  # every claim says an alarm fired; none did
    assert not healthy.key_numbers["canary_rolled_back"] and "nothing to roll back" in healthy.narrative
    assert run_simulation(NAME, seed=0, preset="healthy-new-version", question="rollback-without-alarms").correct_letters == []


def test_endpoint_service_rules():
    from simulations.deployment import EndpointApiError, EndpointService

    svc = EndpointService()
    svc.create_endpoint_config("c", [{"name": "a", "weight": 3.0, "instances": 2}, {"name": "b", "weight": 1.0, "instances": 1}])
    svc.create_endpoint("e", "c")
    assert svc.provisioned == 3
    with pytest.raises(EndpointApiError, match="cannot be modified"):
        svc.edit_endpoint_config("c", weights={"a": 1.0})
    assert svc.update_endpoint_weights_and_capacities("e", {"a": 1.0, "b": 1.0}) == 1 and svc.provisioned == 3
    assert svc.weights("e") == {"a": 1.0, "b": 1.0}
    with pytest.raises(EndpointApiError, match="exactly one production variant"):
        svc.start_shadow_test("e", [{"name": "s"}], 10, 7)


def test_gradual_shift_and_shadow_limits_letters():
    gradual = run_simulation(NAME, seed=3, question="ab-gradual-weight-shift")
    assert gradual.correct_letters == ["C"]
    a, c = gradual.outcome("A").evidence, gradual.outcome("C").evidence
    assert a["provisioned"] == 2 * 2 * 3 and c["provisioned"] == 0  # two instances per variant, three UpdateEndpoint calls
    assert abs(c["share_step_1"] - 0.5) < 0.02 and c["share_step_2"] == 1.0
    assert gradual.outcome("D").evidence["share_step_2"] < 0.25  # the edit is refused; the weights never moved
    limits = run_simulation(NAME, seed=3, question="shadow-test-limits")
    assert limits.correct_letters == ["D"]
    assert limits.outcome("D").evidence["plan_accepted"] is False
    assert limits.outcome("A").evidence["probe: sampling 50 %"] == "accepted"
