"""retraining-triggers: alarm weeks, retrain counts and lags checked against direct computations."""

from __future__ import annotations

import numpy as np
import pytest

from simulations import retraining_triggers as sim
from simulations.registry import run_simulation, run_world

NAME = "retraining-triggers"


@pytest.fixture(scope="module")
def world():
    return run_world(NAME, seed=0)


def outcome(result, key):
    return next(o for o in result.outcomes if o.key == key)


def test_alarm_fires_once_per_shift(world):
    assert world.key_numbers["alarm_weeks"] == world.key_numbers["shifts"] == [14, 33]
    assert outcome(world, "retrain:on-drift-signal").evidence["retrains"] == 2


def test_weekly_retraining_runs_every_week_but_the_last(world):
    assert outcome(world, "retrain:weekly").evidence["retrains"] == sim.WEEKS - 1


def test_manual_delay_sets_the_lag(world):
    lags = outcome(world, "flow:email-manual").evidence["lags"]
    assert all(lag >= world.params["manual_delay_weeks"] for lag in lags)


def test_histogram_classifier_against_a_direct_majority_vote():
    rng = np.random.default_rng(3)
    v = rng.uniform(0, 40, 5000)
    y = (rng.random(5000) < sim.buy_chance(v)).astype(np.int8)
    rule = sim.fit(v, y)
    for b in (2, 7, 19):
        inside = (v >= b) & (v < b + 1)
        assert rule[b] == int(y[inside].mean() >= 0.5)


def test_control_world_has_no_alarm_and_no_retrain():
    control = run_world(NAME, seed=0, preset="no-change")
    assert control.key_numbers["alarm_weeks"] == [] and control.key_numbers["signal_retrains"] == 0
    assert "nothing to retrain for" in control.narrative


@pytest.mark.parametrize("seed", [1, 2])
def test_lettered(seed):
    works = {o.key for o in run_world(NAME, seed=seed).outcomes if o.works}
    assert {k for k in works if k.startswith("retrain:")} == {"retrain:on-drift-signal"}
    assert {k for k in works if k.startswith("flow:")} == {"flow:alarm-lambda-ab-test"}


def test_retraining_costs_grow_with_the_data(world):
    a = outcome(world, "cost:growing-training-data")
    per_week = world.params["customers_per_week"]
    assert a.works and a.criteria[0].measured == (33 - 14) * per_week
    works = {o.key for o in world.outcomes if o.works and o.key.startswith("cost:")}
    assert works == {"cost:growing-training-data", "cost:model-versions-to-track"}
