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


# -- mq-binary-two-constraints: accuracy and f1, both LessThanThreshold ---------------------------------------------------
def test_fraud_night_reports_f1_only_and_the_model_quality_execution_carries_it(world):
    kn = world.key_numbers
    assert kn["fraud_accuracy"] == pytest.approx(0.82)  # 720 misses in 4,000
    assert kn["fraud_f1"] == pytest.approx(2 * 699 / (2 * 699 + 720), abs=1e-4)  # 0.6601
    assert kn["fraud_violations"] == ["f1"]
    assert (kn["fraud_mq_status"], kn["fraud_dq_status"]) == ("CompletedWithViolations", "Completed")
    report = json.loads(world.artifact_text("fraud/constraint_violations.json"))
    assert [(v["metric_name"], v["constraint_check_type"]) for v in report["violations"]] == [("f1", "LessThanThreshold")]
    assert run_simulation(NAME, seed=0, question="mq-binary-two-constraints").correct_letters == ["A"]


def test_fraud_metrics_far_apart_but_above_their_thresholds_are_not_a_violation(world):
    measured = next(c for c in outcome(world, "fraud:metrics-differ").criteria)
    assert measured.measured == 0 and "accuracy 0.950, f1 0.800, 0.15 apart" in measured.says


@pytest.mark.parametrize("f1,status,violations", [(0.66, "CompletedWithViolations", ["f1"]), (0.74, "Completed", []),
                                                   (0.70, "Completed", [])])  # 840 TP, 720 misses: f1 exactly 0.70, not < 0.70
def test_fraud_status_follows_f1_against_0_70(f1, status, violations):
    kn = run_world(NAME, {"fraud_f1": f1}, seed=1).key_numbers
    assert kn["fraud_f1"] == pytest.approx(f1, abs=1e-4)
    assert (kn["fraud_mq_status"], kn["fraud_violations"]) == (status, violations)


def test_fraud_accuracy_below_0_80_is_reported_too():
    kn = run_world(NAME, {"fraud_accuracy": 0.78, "fraud_f1": 0.66}, seed=0).key_numbers
    assert kn["fraud_accuracy"] == pytest.approx(0.78) and kn["fraud_violations"] == ["accuracy", "f1"]


# -- mq-regression-operators: mae, rmse GreaterThanThreshold; r2 LessThanThreshold --------------------------------------------
def test_delivery_batch_has_exactly_the_question_metrics_and_only_rmse_violates(world):
    kn = world.key_numbers
    assert (kn["delivery_mae"], kn["delivery_rmse"], kn["delivery_r2"]) == (11.2, 19.5, 0.74)
    assert kn["delivery_violations"] == ["rmse"]
    report = json.loads(world.artifact_text("delivery/constraint_violations.json"))
    assert report["violations"][0]["constraint_check_type"] == "GreaterThanThreshold"
    assert run_simulation(NAME, seed=0, question="mq-regression-operators").correct_letters == ["D"]


@pytest.mark.parametrize("mae,rmse", [(11.2, 16.0), (12.5, 19.5), (11.2, 23.0), (13.0, 22.0), (8.0, 12.0)])
def test_delivery_violations_follow_value_operator_threshold(mae, rmse):
    kn = run_world(NAME, {"delivery_mae": mae, "delivery_rmse": rmse}, seed=3).key_numbers
    r2 = 1 - rmse ** 2 / (19.5 ** 2 / 0.26)  # the target's variance is fixed: r2 0.74 at rmse 19.5
    assert kn["delivery_r2"] == pytest.approx(r2, abs=1e-4)
    expected = sorted(m for m, hit in (("mae", mae > 12.0), ("rmse", rmse > 18.0), ("r2", r2 < 0.70)) if hit)
    assert kn["delivery_violations"] == expected


def test_impossible_batches_are_rejected_by_name():
    from simulations.params import ParameterError

    with pytest.raises(ParameterError, match="'delivery_rmse' must be 1.1 to 4.5 times"):
        run_world(NAME, {"delivery_mae": 20.0, "delivery_rmse": 18.0})
    with pytest.raises(ParameterError, match="'fraud_accuracy' 0.6 and 'fraud_f1' 0.95"):
        run_world(NAME, {"fraud_accuracy": 0.6, "fraud_f1": 0.95})


# -- forecast-analysis-pipeline: four designs on 30 stores' forecasts ----------------------------------------------------------
@pytest.mark.parametrize("seed", range(3))
def test_only_the_weekly_line_dates_the_rise(seed):
    result = run_world(NAME, seed=seed)
    kn, table = result.key_numbers, result.tables["store_weekly"]
    assert 20 <= kn["pipeline_weekly_flag"] <= 21  # the error grows from week 20, 8 % of its normal size per week
    # one MAE over 26 weeks with equal rows per week is the mean of the weekly MAEs: a +50 % last week barely moves it
    assert kn["pipeline_alltime_mae"] == pytest.approx(table["weekly_mae"].mean(), abs=0.1)
    assert kn["pipeline_alltime_mae"] / kn["pipeline_train_mae"] < 1.1 < 1.3 < table["weekly_mae"].iloc[-1] / kn["pipeline_train_mae"]
    assert kn["pipeline_drift_flag"] == -1 and abs(kn["pipeline_sales_auc"] - 0.5) < 0.03
    lettered = run_simulation(NAME, seed=seed, question="forecast-analysis-pipeline")
    assert lettered.correct_letters == ["C"]


def test_pipeline_without_degradation_flags_nothing_and_the_single_mae_matches_training():
    kn = run_world(NAME, seed=0, preset="nothing-to-flag").key_numbers
    assert kn["pipeline_weekly_flag"] == -1
    assert kn["pipeline_alltime_mae"] == pytest.approx(kn["pipeline_train_mae"], rel=0.03)


def test_even_a_fast_degradation_leaves_the_predicted_sales_histogram_in_place():
    result = run_world(NAME, {"degradation": 0.5}, seed=0)
    assert result.key_numbers["pipeline_drift_flag"] == -1
    assert result.key_numbers["pipeline_weekly_flag"] == 20
