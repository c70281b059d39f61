"""endpoint-autoscaling: the numbers behind each verdict, recomputed independently."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest

from simulations.autoscaling import longest_run, scale_fleet
from simulations.endpoint_autoscaling import START, campaign_world, day_traffic, target_world
from simulations.monitoring.cloudwatch import ALARM, CloudWatch
from simulations.registry import get_info, run_simulation, run_world

NAME = "endpoint-autoscaling"


@pytest.fixture(scope="module")
def default():
    return run_world(NAME, seed=0)


def by_key(result, key):
    return next(o for o in result.outcomes if o.key == key)


def test_candidate_targets_follow_the_guidance_formula(default):
    targets = {o.key: o.evidence["target"] for o in default.outcomes if o.key.startswith("target-")}
    assert targets == {"target-per-second-with-factor": 10, "target-per-minute-no-factor": 1200,
                       "target-per-minute-with-factor": 600, "target-raw-per-second": 20}
    assert default.key_numbers["guidance_target"] == 20 * 0.5 * 60


def test_target_tracking_alarm_minutes_match_the_engine_alarm():
    params = {s.name: s.default for s in get_info(NAME).params}
    day = day_traffic(params, np.random.default_rng(0))
    world = target_world(params, day, 600.0)
    fleet = world["fleet"]
    cw = CloudWatch()
    times = [START + timedelta(minutes=t, seconds=30) for t in range(len(day))]
    cw.metrics.put_metric_values("Test/SageMaker", "InvocationsPerInstance", fleet.metric, times, {"VariantName": "AllTraffic"}, "Count")
    high = cw.put_metric_alarm("high", namespace="Test/SageMaker", metric_name="InvocationsPerInstance",
                               dimensions={"VariantName": "AllTraffic"}, statistic="Average", period=60,
                               evaluation_periods=3, threshold=600.0, comparison_operator="GreaterThanThreshold")
    low = cw.put_metric_alarm("low", namespace="Test/SageMaker", metric_name="InvocationsPerInstance",
                              dimensions={"VariantName": "AllTraffic"}, statistic="Average", period=60,
                              evaluation_periods=15, threshold=540.0, comparison_operator="LessThanThreshold")
    engine_high, engine_low = [], []
    for t in range(len(day)):
        at = START + timedelta(minutes=t + 1)
        engine_high.append(high.evaluate(at, cw.metrics) == ALARM)
        engine_low.append(low.evaluate(at, cw.metrics) == ALARM)
    assert np.array_equal(np.array(engine_high), fleet.high_alarm)
    assert np.array_equal(np.array(engine_low), fleet.low_alarm)
    assert fleet.high_alarm.any() and fleet.low_alarm.any()


def test_world_one_numbers_recomputed_from_the_fleet():
    params = {s.name: s.default for s in get_info(NAME).params}
    day = day_traffic(params, np.random.default_rng(3))
    for target in (600.0, 1200.0, 10.0):
        world = target_world(params, day, target)
        n = world["fleet"].in_service
        assert n.min() >= 2 and n.max() <= params["day_max_capacity"]
        assert world["degraded_minutes"] == int((day / n > 1200).sum())
        assert world["cost_ratio"] == round(n.sum() / np.ceil(day / 1200).sum(), 2)
    assert target_world(params, day, 10.0)["fleet"].in_service.min() == params["day_max_capacity"]  # pinned at the cap
    assert target_world(params, day, 1200.0)["degraded_minutes"] > 0
    assert target_world(params, day, 600.0)["degraded_minutes"] == 0


def test_campaign_settles_at_max_capacity_and_at_the_cap_rises_to_the_proportional_count():
    params = {s.name: s.default for s in get_info(NAME).params}
    w = campaign_world(params)
    assert w["settled_instances"] == min(math.ceil(4 * 1500 / 600), 8) == 8
    assert w["settled_metric"] == 6000 / 8
    wide = campaign_world(params | {"max_capacity": 12})
    assert (wide["settled_instances"], wide["settled_metric"]) == (10, 600.0)


def test_sales_event_options(default):
    a, b = by_key(default, "disable-scale-in"), by_key(default, "three-day-scale-in-cooldown")
    c, d = by_key(default, "min-equals-max"), by_key(default, "delete-policy")
    assert a.evidence["removed_during_event"] == 0 and b.evidence["removed_during_event"] > 0
    assert c.evidence["mean_instances"] > a.evidence["needed"] >= a.evidence["mean_instances"]
    assert d.evidence["degraded_after_first_wave"] > 0 and d.evidence["mean_instances"] == 2
    assert [o.works for o in (a, b, c, d)] == [True, False, False, False]


def test_scale_in_disabled_never_lowers_capacity():
    traffic = np.concatenate([np.full(30, 6000.0), np.full(120, 600.0)])
    on = scale_fleet(traffic, target=600.0, min_cap=2, max_cap=20, start=2, launch=5, out_cooldown=5, in_cooldown=5)
    off = scale_fleet(traffic, target=600.0, min_cap=2, max_cap=20, start=2, launch=5, out_cooldown=5, in_cooldown=5, scale_in_disabled=True)
    assert on.in_service[-1] == 2 and on.removals() == 8
    assert off.in_service[-1] == 10 and off.removals() == 0 and (np.diff(off.in_service) >= 0).all()


def test_async_only_the_step_policy_wakes_the_endpoint(default):
    waits = default.key_numbers["async_longest_wait_by_option"]
    assert waits["async-target-1"] == waits["async-zero-cooldown"] == 240  # all morning
    params = {s.name: s.default for s in get_info(NAME).params}
    assert waits["async-step-scaling"] <= 2 + params["launch_minutes"] + 1  # 2-of-2 alarm, then the launch
    assert by_key(default, "real-time-endpoint").evidence["night_instance_minutes"] == 11 * 60
    assert longest_run(np.array([0, 1, 1, 0, 1, 1, 1, 0], bool)) == 3


def test_lettered_for_each_question_and_flat_traffic_control():
    assert run_simulation(NAME, seed=1, question="scale-max-capacity-cap").correct_letters == ["D"]
    assert run_simulation(NAME, seed=1, question="scale-async-from-zero").correct_letters == ["B"]
    flat = run_simulation(NAME, seed=1, preset="flat-traffic")
    assert flat.correct_letters == ["B", "C"]  # with no ramp, 1,200 is never exceeded either
    assert "traffic stays flat" in flat.narrative and "no request arrives" in flat.narrative


def test_cpu_utilization_is_summed_over_the_vcpus():
    from simulations.endpoint_autoscaling import cpu_metrics

    params = {s.name: s.default for s in get_info(NAME).params}
    m = cpu_metrics(params, 4, np.random.default_rng(0))
    normal = m["CPUUtilization/Average"][: 2 * 1440]
    assert 130 < normal.min() and normal.max() < 240  # about a quarter busy on a 0-800 scale
    assert np.allclose(normal / 800, m["busy"][: 2 * 1440], atol=0.04) and abs((normal / 800 - m["busy"][: 2 * 1440]).mean()) < 0.003
    assert m["CPUUtilization/Average"][2 * 1440:].min() > 720 > normal.max()
    result = run_simulation(NAME, seed=0, question="mon-cpu-utilization-scale")
    assert result.correct_letters == ["B"]
    assert result.outcome("D").evidence["false_alarm_minutes"] >= 2 * 1440 - 2  # always above 90
    assert result.outcome("C").evidence["cost_ratio"] == 2.0
