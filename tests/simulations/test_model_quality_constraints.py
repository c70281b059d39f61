"""model-quality-constraints: violations, units and weekly averages checked against formulas
computed here."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simulations.registry import run_simulation, run_world

NAME = "model-quality-constraints"


@pytest.fixture(scope="module")
def world():
    return run_world(NAME, seed=0)


def outcome(result, key):
    return next(o for o in result.outcomes if o.key == key)


def test_suggested_thresholds_are_the_baseline_values(world):
    constraints = json.loads(world.artifact_text("model-quality/constraints.json"))["binary_classification_constraints"]
    assert constraints["recall"] == {"threshold": pytest.approx(4 / 7), "comparison_operator": "LessThanThreshold"}
    assert constraints["precision"] == {"threshold": 1.0, "comparison_operator": "LessThanThreshold"}


@pytest.mark.parametrize("recall,precision", [(0.62, 0.93), (0.5, 0.93), (0.62, 1.0), (0.5, 1.0)])
def test_violations_follow_value_less_than_threshold(recall, precision):
    result = run_world(NAME, {"week_recall": recall, "week_precision": precision}, seed=0)
    kn = result.key_numbers
    expected = sorted(m for m, v, t in (("recall", kn["week_recall"], 4 / 7), ("precision", kn["week_precision"], 1.0)) if v < t)
    assert kn["violations"] == expected


def test_unit_scaling_and_rmse_at_least_mae(world):
    kn = world.key_numbers
    assert kn["rmse_dollars"] >= kn["mae_dollars"]
    assert kn["rmse_dollars"] == pytest.approx(np.sqrt(kn["mse_dollars"]), rel=1e-3)
    assert [o.works for o in world.outcomes if o.key.startswith("metric:")] == [True, False, True, False, False]


def test_weekly_mae_is_the_mean_of_its_daily_errors(world):
    daily = np.array(next(s.y for s in world.series if s.name == "daily MAE"))
    weekly = np.array(next(s.y for s in world.series if s.name == "weekly MAE"))
    assert np.allclose(daily.reshape(-1, 7).mean(axis=1), weekly, atol=0.01)
    assert np.std(np.diff(weekly)) < np.std(np.diff(daily))


def test_holiday_shares_match_a_direct_computation(world):
    kn = world.key_numbers
    f = world.params["holiday_miss"]
    assert kn["holiday_sq_share"] > kn["holiday_abs_share"]
    # with every day's miss at the same typical size, a holiday's share grows from f to f^2 when errors are squared
    assert kn["holiday_sq_share"] / kn["holiday_abs_share"] == pytest.approx(f * (18 + 3 * f) / (18 + 3 * f * f), rel=0.5)


def test_control_has_nothing_to_flag():
    control = run_simulation(NAME, seed=0, preset="nothing-to-flag")
    assert "nothing is violated" in control.narrative
    assert [o.key for o in run_world(NAME, seed=0, preset="nothing-to-flag").outcomes if o.works and o.key.startswith("constraint:")] == ["constraint:no-violation"]


def test_lettering():
    works = {o.key for o in run_world(NAME, seed=2).outcomes if o.works}
    assert {k for k in works if k.startswith("metric:")} == {"metric:mse-squared-units", "metric:rmse-same-units"}
    assert {k for k in works if k.startswith("pick:")} == {"pick:mae"}


def test_first_time_buyer_gap_grows_with_the_rate():
    gaps = [run_world(NAME, {"rate_now": r}, seed=1).key_numbers["first_time_buyer_gap"] for r in (3.0, 5.0, 8.0)]
    assert gaps[0] < 0.03 < gaps[1] < gaps[2]
    # squeeze of 4.5 % per rate point for first-time buyers in dear regions vs 1 % for the rest
    assert gaps[2] == pytest.approx(0.035 * 5 * 0.7, abs=0.05)
