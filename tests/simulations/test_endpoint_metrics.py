"""endpoint-metrics: the published CloudWatch metrics recomputed from the request logs by hand."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

from simulations import endpoint_metrics as sim
from simulations.monitoring.cloudwatch import MetricStore
from simulations.registry import get_info, run_world

NAME = "endpoint-metrics"


@pytest.fixture(scope="module")
def params():
    return dict(get_info(NAME).defaults)


@pytest.fixture(scope="module")
def world():
    return run_world(NAME, seed=0)


def outcome(result, key):
    return next(o for o in result.outcomes if o.key == key)


def test_the_service_publishes_into_aws_sagemaker_which_callers_cannot():
    store = sim.ServiceMetrics()
    with pytest.raises(ValueError, match="reserved"):
        MetricStore().put_metric_values("AWS/SageMaker", "Invocations", [1.0], [sim.START])
    store.publish(sim.NS, "ModelLatency", [120_000.0, 80_000.0], [10.0, 20.0], sim.dims("e"), "Microseconds")
    t, v = store.samples(sim.NS, "ModelLatency", sim.dims("e"))
    assert t.tolist() == [10.0, 20.0] and v.tolist() == [120_000.0, 80_000.0]
    assert store.per_period(sim.NS, "ModelLatency", sim.dims("e"), 60, 1, "Average").tolist() == [100_000.0]
    assert store.unit(sim.NS, "ModelLatency", sim.dims("e")) == "Microseconds"


def test_error_metrics_are_the_share_of_4xx_and_5xx_responses_in_the_log(params):
    w = sim.release_world(params, np.random.default_rng(0))
    log, rates = w["logs"]["today"], w["rates"]["today"]
    for hour in (0, 1):
        inside = log[(log["minute"] >= 60 * hour) & (log["minute"] < 60 * (hour + 1))]
        assert rates["invocations"][hour] == len(inside)
        assert rates["4xx"][hour] == pytest.approx(((inside["status"] >= 400) & (inside["status"] < 500)).mean())
        assert rates["5xx"][hour] == pytest.approx((inside["status"] >= 500).mean())
    # the default world: 80 % of the traffic from the new app, 37.5 % of it with a rejected content type -> about 30 %
    assert rates["4xx"][1] == pytest.approx(0.8 * 0.375 + 0.002, abs=0.01)
    assert rates["5xx"][1] < 0.002
    assert rates["invocations"][1] / rates["invocations"][0] == pytest.approx(1.05, abs=0.02)


def test_twice_the_instances_removes_overload_but_not_rejected_payloads(params):
    overload = params | {"cause": "none", "traffic_growth": 1.5}
    w = sim.release_world(overload, np.random.default_rng(1))
    today, doubled = w["logs"]["today"], w["logs"]["twice-the-instances"]
    after = today["after"]
    # 1,500 requests a minute over 4 x 250: a third answered 503
    assert (today.loc[after, "status"] == 503).mean() == pytest.approx(1 / 3, abs=0.02)
    assert (doubled["status"] == 503).sum() == 0
    payload = sim.release_world(params, np.random.default_rng(1))["rates"]
    assert payload["twice-the-instances"]["4xx"][1] == pytest.approx(payload["today"]["4xx"][1], abs=1e-9)


def test_each_cause_makes_its_own_option_work():
    expected = {"default": "release:client-payload", "overload": "release:scale-out", "crash-input": "release:rollback-model",
                "s3-permissions": "release:s3-permissions"}
    for preset, key in expected.items():
        result = run_world(NAME, seed=2, preset=preset)
        working = [o.key for o in result.outcomes if o.key.startswith("release:") and o.works]
        assert working == [key], (preset, working)


def test_p99_model_latency_is_in_microseconds_and_matches_the_log(params):
    w = sim.latency_world(params, np.random.default_rng(0))
    assert w["unit"] == "Microseconds"
    t, v = w["store"].samples(sim.NS, "ModelLatency", sim.dims("fraud-scorer"))
    late = t >= sim.LATENCY_HOURS * 3600
    assert w["model_p99_us"][1] == pytest.approx(np.percentile(v[late], 99))
    # (42 + 102) ms median x exp(0.45 z): p99 = 144 * exp(0.45 * 2.326) = 410 ms; before 42 * 2.85 = 120 ms
    assert w["model_p99_us"][1] / 1000 == pytest.approx(410, rel=0.05)
    assert w["model_p99_us"][0] / 1000 == pytest.approx(120, rel=0.05)
    assert w["overhead_p99_us"][1] == pytest.approx(15_000, rel=0.03)  # 13 ms x exp(0.06 x 2.326)
    assert (w["client_ms"] > sim.TIMEOUT_S * 1000).sum() == 0  # 410,000 us is 0.41 s, far from the 60 s timeout


def test_a_pipeline_of_two_minutes_does_time_out(world):
    slow = run_world(NAME, {"pipeline_extra_ms": 100_000.0}, seed=0)
    assert outcome(slow, "latency:timeouts-in-ms").works and not outcome(world, "latency:timeouts-in-ms").works


def test_cold_starts_match_a_plain_loop_over_the_requests(params):
    d = sim.serverless_requests(params, np.random.default_rng(0))
    log = sim.serve_serverless(d, params)
    seconds, last, cold = d["second"].tolist(), None, []
    for s in seconds:
        cold.append(last is None or s - last > params["idle_release_minutes"] * 60)
        last = s
    assert log["cold"].tolist() == cold
    w = sim.serverless_world(params, np.random.default_rng(0))
    setup_t, setup_v = w["store"].samples(sim.NS, "ModelSetupTime", sim.dims("hr-intents"))
    assert len(setup_t) == sum(cold) and setup_v.min() >= 6e6 and setup_v.max() <= 8e6
    provisioned = w["logs"]["provisioned-office-hours"]
    assert int((provisioned["cold"] & provisioned["office"]).sum()) == 0
    assert provisioned["cold"].sum() == log["cold"].sum() - (log["cold"] & log["office"]).sum()


def test_throttling_counts_the_requests_in_flight():
    import pandas as pd

    d = pd.DataFrame({"second": [0.0, 0.1, 0.2, 5.0], "z": 0.0, "setup_s": 7.0, "office": True})
    log = sim.serve_serverless(d, {"idle_release_minutes": 15}, max_concurrency=2)
    # only the first request is cold (7 s); the third arrives while it and the second (warm, 150 ms) are in flight,
    # the fourth at 5 s finds only the cold one still running
    assert log["in_flight"].tolist() == [0, 1, 2, 1] and log["throttled"].tolist() == [False, False, True, False]
    assert log["total_s"].iloc[2] == pytest.approx(1.0 + 0.16)
    assert not sim.serve_serverless(d, {"idle_release_minutes": 15}, max_concurrency=200)["throttled"].any()


def test_che_approximation_against_an_exact_lru_cache(params):
    rng = np.random.default_rng(5)
    p = params | {"cache_models": 300, "mme_requests_per_minute": 10.0}
    w = sim.mme_world(p, rng)
    log = w["log"].sort_values("second")
    rates = (1.0 / np.arange(1, sim.MME_MODELS + 1) ** 1.1)
    rates = rates / rates.sum() * p["mme_requests_per_minute"] / 60
    assert np.sum(1 - np.exp(-rates * w["horizon"])) == pytest.approx(300, abs=0.01)
    cache: OrderedDict[int, None] = OrderedDict()
    hits = []
    for m in log["model"].tolist()[:20_000]:  # an exact LRU, warmed on the first 5,000 requests
        hits.append(m in cache)
        cache[m] = None
        cache.move_to_end(m)
        if len(cache) > 300:
            cache.popitem(last=False)
    exact = np.mean(hits[5_000:])
    approx = log["hit"].to_numpy()[5_000:20_000].mean()
    assert approx == pytest.approx(exact, abs=0.02)


def test_mme_metrics_recomputed_from_the_log(params):
    w = sim.mme_world(params, np.random.default_rng(0))
    log, per_minute = w["log"], sim.mme_per_minute(w)
    minute = 100
    inside = log[log["minute"] == minute]
    assert per_minute["ModelCacheHit"][minute] == pytest.approx(inside["hit"].mean())
    cold = inside[~inside["hit"]]
    assert per_minute["ModelLoadingWaitTime"][minute] == (cold["wait_us"].max() if len(cold) else 0.0)
    assert per_minute["InvocationsPerInstance"][minute] == pytest.approx(len(inside) / sim.MME_INSTANCES)
    assert per_minute["ModelSetupTime"].max() == 0.0  # no compute is launched on this endpoint
    assert (log.loc[~log["hit"], "wait_us"] == log.loc[~log["hit"], "download_us"] + log.loc[~log["hit"], "load_us"]).all()


def test_separation_is_twice_the_distance_of_the_auc_from_a_half():
    positive = np.array([True, True, False, False])
    assert sim.separation(np.array([3.0, 4.0, 1.0, 2.0]), positive) == 1.0
    assert sim.separation(np.array([1.0, 2.0, 3.0, 4.0]), positive) == 1.0  # lower in the positives separates as well
    assert sim.separation(np.zeros(4), positive) == 0.0
    assert sim.separation(np.array([1.0, 3.0, 2.0, 4.0]), positive) == 0.5  # AUC 0.25
    assert sim.separation(np.arange(4.0), np.zeros(4, bool)) == 0.0


def test_quiet_week_removes_every_premise(world):
    quiet = run_world(NAME, seed=0, preset="quiet-week")
    assert not any(o.works for o in quiet.outcomes)
    assert quiet.key_numbers["rise_4xx"] < 0.01 and quiet.key_numbers["mme_cold_loads"] == 0
    assert world.key_numbers["rise_4xx"] > 0.25 and world.key_numbers["mme_cold_loads"] > 100
    assert sorted(o.key for o in world.outcomes if o.works) == [
        "latency:container-code", "mme:ModelCacheHit", "mme:ModelLoadingWaitTime", "release:client-payload",
        "serverless:setup-time-provisioned"]
