"""Model-quality metrics, suggested constraints and comparison operators, computed by the engine.

Three small worlds, every number from the engine's ``model_quality`` module:

- **Constraints.** A churn classifier's baseline job runs on a validation set where the model finds
  4 of 7 churners with no false alarm, so the engine suggests ``recall`` ``LessThanThreshold`` 0.571
  and ``precision`` ``LessThanThreshold`` 1.0. This week's merged predictions have recall
  ``week_recall`` and precision ``week_precision``; ``check_model_quality`` reports what violates,
  the edited constraints are checked again, and a week with a real precision drop (0.85) shows
  whether the monitor can still catch a problem.
- **Units and outliers.** Daily sales forecasts in dollars; ``regression_metrics`` on the same errors
  in dollars and in cents, with and without one large miss, and over 200 random forecasts.
- **Weekly MAE.** 26 weeks of daily errors with weekend and promotion noise, holidays whose miss is
  ``holiday_miss`` x a normal day's, and from week ``degrade_week`` an error that grows by
  ``degradation`` per week. Daily and weekly MAE are compared: how noisy each line is and whether
  the weekly line shows where the error began to rise.
- **Two constraints on a fraud model.** Last night's 4,000 merged predictions have accuracy
  ``fraud_accuracy`` and f1 ``fraud_f1``; constraints accuracy 0.80 and f1 0.70, both
  ``LessThanThreshold``. A ``ModelMonitorService`` runs a model-quality and a data-quality schedule on
  the same endpoint; which execution ends ``CompletedWithViolations``, and with what? A second night
  whose metrics lie 0.15 apart but both meet their thresholds shows that metrics are not compared
  with each other.
- **Regression operators.** A delivery-time batch with exactly ``delivery_mae`` and ``delivery_rmse``
  (r2 0.74 at the default) against mae 12.0 and rmse 18.0 ``GreaterThanThreshold``, r2 0.70
  ``LessThanThreshold``.
- **Four analysis designs.** 30 stores' daily forecasts, 26 weeks of training and 26 live weeks whose
  error grows from ``degrade_week``: predictions alone against training sales (the data-quality drift
  check), one MAE since launch against the training MAE, weekly MAE against the training weeks'
  normal band, and a sales-versus-error scatter (how well sales order the days in time, as an AUC).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.capture import capture_frame
from simulations.monitoring.checks import check_data_quality, data_quality_report
from simulations.monitoring.model_quality import (
    BINARY_CLASSIFICATION,
    check_model_quality,
    model_quality_statistics,
    regression_metrics,
    suggest_model_quality_constraints,
)
from simulations.params import ParameterError, ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Criterion, Outcome, Series, SimulationResult, check, criterion

WEEKS = 26
ONSET_SIGMAS = 3.0

INFO = SimulationInfo(
    name="model-quality-constraints",
    title="Model-quality metrics and constraints: what violates, what the numbers mean",
    summary="Suggested model-quality constraints checked against this week's metrics, edited, and checked again; "
            "MAE, MSE, RMSE and R2 on the same errors; daily versus weekly MAE.",
    questions=(
        QuestionLink('suggested-constraint-recall', {'A': 'constraint:no-violation', 'B': 'constraint:recall-violation-retrain', 'C': 'constraint:precision-violation-relax', 'D': 'constraint:both-violations-delete'}),
        QuestionLink('error-metric-properties', {'A': 'metric:mse-squared-units', 'B': 'metric:rmse-penalizes-large-less', 'C': 'metric:rmse-same-units', 'D': 'metric:mae-squares-errors', 'E': 'metric:mae-always-larger'}),
        QuestionLink('mae-vs-rmse', {'A': 'pick:mse', 'B': 'pick:rmse', 'C': 'pick:mae', 'D': 'pick:r2'}),
        QuestionLink('weekly-aggregation-noise', {'A': 'weekly:smooths-noise-shows-trend', 'B': 'weekly:weights-large-errors', 'C': 'weekly:shows-break-on-the-day', 'D': 'weekly:independent-of-actuals'}),
        QuestionLink('mq-binary-two-constraints', {'A': 'fraud:f1-violated', 'B': 'fraud:accuracy-above-threshold', 'C': 'fraud:metrics-differ', 'D': 'fraud:status-from-data-quality'}),
        QuestionLink('mq-regression-operators', {'A': 'delivery:mae-and-r2', 'B': 'delivery:none', 'C': 'delivery:all-three', 'D': 'delivery:only-rmse'}),
        QuestionLink('forecast-analysis-pipeline', {'A': 'pipeline:prediction-histogram', 'B': 'pipeline:one-mae-since-launch', 'C': 'pipeline:weekly-mae-line', 'D': 'pipeline:sales-error-scatter'}),
    ),
    params=(
        ParamSpec("week_recall", float, 0.62, "recall of this week's merged predictions", min=0.3, max=1.0),
        ParamSpec("week_precision", float, 0.93, "precision of this week's merged predictions", min=0.5, max=1.0),
        ParamSpec("relaxed_precision", float, 0.9, "precision threshold the business accepts (written into constraints.json)", min=0.5, max=1.0),
        ParamSpec("holiday_miss", float, 3.5, "a holiday's forecast miss, in multiples of a normal day's typical miss", min=1.0, max=10.0),
        ParamSpec("degrade_week", int, 20, "week from which the forecast error grows", min=8, max=25),
        ParamSpec("rate_now", float, 7.0, "mortgage rate (%) today; the house-price model was trained at 3 %", min=3.0, max=10.0),
        ParamSpec("degradation", float, 0.08, "growth of the daily error per week after degrade_week (share of the normal error)", min=0.0, max=0.5),
        ParamSpec("fraud_accuracy", float, 0.82, "accuracy of last night's 4,000 merged fraud predictions (constraint: 0.80)", min=0.6, max=0.99),
        ParamSpec("fraud_f1", float, 0.66, "f1 of last night's merged fraud predictions (constraint: 0.70)", min=0.3, max=0.95),
        ParamSpec("delivery_mae", float, 11.2, "today's delivery-time MAE in minutes (constraint: GreaterThanThreshold 12.0)", min=5.0, max=30.0),
        ParamSpec("delivery_rmse", float, 19.5, "today's delivery-time RMSE in minutes (constraint: GreaterThanThreshold 18.0; "
                  "r2 follows, 0.74 at 19.5)", min=5.5, max=35.0),
    ),
    facts=("F01", "F03", "F04", "F20", "F37"),
    presets=(
        Preset("nothing-to-flag", {"week_precision": 1.0, "holiday_miss": 1.0, "degradation": 0.0, "rate_now": 3.0,
                                   "fraud_f1": 0.74, "delivery_rmse": 16.0},
               "precision, fraud f1 (0.74) and delivery rmse (16.0) meet their constraints, no holiday misses, no degradation", control=True,
               premise="no metric breaks a constraint, no outlier days, no degradation"),
        Preset("recall-drop", {"week_recall": 0.5}, "recall also falls below its suggested 0.571"),
    ),
)


# -- constraints ------------------------------------------------------------------------------------
def labelled(positives: int, negatives: int, recall: float, precision: float) -> tuple[np.ndarray, np.ndarray]:
    """Actual and predicted labels with exactly the requested recall and (nearly) the requested precision."""
    tp = int(round(recall * positives))
    fp = int(round(tp * (1.0 / precision - 1.0))) if precision < 1.0 else 0
    y_true = np.r_[np.ones(positives, int), np.zeros(negatives, int)]
    y_pred = np.r_[np.ones(tp, int), np.zeros(positives - tp, int), np.ones(fp, int), np.zeros(negatives - fp, int)]
    return y_true, y_pred


def constraint_outcomes(p: dict, seed: int) -> tuple[list[Outcome], dict, list[Artifact]]:
    base_true, base_pred = labelled(7, 21, 4 / 7, 1.0)
    base_stats = model_quality_statistics(BINARY_CLASSIFICATION, base_true, base_pred, seed=seed)
    suggested = suggest_model_quality_constraints(base_stats)
    rules = {k: v for k, v in suggested["binary_classification_constraints"].items() if k in ("recall", "precision")}
    constraints = {"version": 0.0, "binary_classification_constraints": rules}
    week_true, week_pred = labelled(200, 800, p["week_recall"], p["week_precision"])
    week = model_quality_statistics(BINARY_CLASSIFICATION, week_true, week_pred, seed=seed)
    found = {v["metric_name"] for v in check_model_quality(week, constraints)["violations"]}
    relaxed = {"version": 0.0, "binary_classification_constraints": {**rules, "precision": {**rules["precision"], "threshold": p["relaxed_precision"]}}}
    after = {v["metric_name"] for v in check_model_quality(week, relaxed)["violations"]}
    bad_true, bad_pred = labelled(200, 800, p["week_recall"], 0.85)
    bad_week = model_quality_statistics(BINARY_CLASSIFICATION, bad_true, bad_pred, seed=seed)
    caught = {v["metric_name"] for v in check_model_quality(bad_week, relaxed)["violations"]}
    unconstrained = {"version": 0.0, "binary_classification_constraints": {}}
    metric = {m: week["binary_classification_metrics"][m]["value"] for m in ("recall", "precision")}
    shown = ", ".join(sorted(found)) or "none"
    reported = check_model_quality(week, constraints)["violations"]

    def claims(expected: set[str]) -> list:
        return [check(f"violations reported: exactly {', '.join(sorted(expected)) or 'none'}", found == expected,
                      f"the check reports {shown} (recall {metric['recall']:.3f} vs {rules['recall']['threshold']:.3f}, "
                      f"precision {metric['precision']:.3f} vs {rules['precision']['threshold']:.3f})",
                      f"the check reports {shown}")]

    relax_checks = [
        criterion(f"violations after relaxing precision to {p['relaxed_precision']}", len(after), "==", 0,
                  detail=", ".join(sorted(after)) or "none"),
        criterion("violations on a week whose precision really drops to 0.85", len(caught), ">=", 1,
                  detail=", ".join(sorted(caught)) or "none: the monitor went blind"),
    ]
    outcomes = [
        Outcome("constraint:no-violation", "no violation: both metrics are above 0.5", claims(set()), key="constraint:no-violation"),
        Outcome("constraint:recall-violation-retrain", "a recall violation; retrain", claims({"recall"}),
                key="constraint:recall-violation-retrain"),
        Outcome("constraint:precision-violation-relax", "a precision violation; relax precision to 0.9 in constraints.json",
                claims({"precision"}) + relax_checks, key="constraint:precision-violation-relax"),
        Outcome("constraint:both-violations-delete", "both violate; delete the baseline and monitor without constraints",
                claims({"recall", "precision"}) + [criterion("violations on a week whose precision really drops to 0.85, with no constraints",
                                                             len(check_model_quality(bad_week, unconstrained)["violations"]), ">=", 1,
                                                             detail="nothing to compare with")],
                key="constraint:both-violations-delete"),
    ]
    numbers = {"suggested_recall": round(rules["recall"]["threshold"], 4), "suggested_precision": round(rules["precision"]["threshold"], 4),
               "week_recall": round(metric["recall"], 4), "week_precision": round(metric["precision"], 4), "violations": sorted(found)}
    artifacts = [Artifact("model-quality/constraints.json", _json(constraints), "suggested by the baseline job (recall, precision)"),
                 Artifact("model-quality/constraint_violations.json", _json({"violations": reported}), "this week's check")]
    return outcomes, numbers, artifacts


def _json(doc: dict) -> str:
    import json

    return json.dumps(doc, indent=2) + "\n"


# -- units and outliers -----------------------------------------------------------------------------------
def metric_outcomes(rng: np.random.Generator) -> tuple[list[Outcome], dict]:
    actual = np.round(rng.normal(2000.0, 300.0, 365), 2)
    predicted = np.round(actual + rng.normal(0.0, 120.0, 365), 2)
    dollars = regression_metrics(actual, predicted)
    cents = regression_metrics(actual * 100, predicted * 100)
    spiked = predicted.copy()
    spiked[100] += 2000.0  # one large miss
    outlier = regression_metrics(actual, spiked)
    rise = {m: outlier[m] / dollars[m] for m in ("mae", "rmse")}
    trials = [regression_metrics(actual, actual + rng.standard_t(3, 365) * rng.uniform(20, 300)) for _ in range(200)]
    mae_larger = sum(t["mae"] > t["rmse"] for t in trials)
    mean_square = float(np.mean((actual - predicted) ** 2))
    scale = {m: cents[m] / dollars[m] for m in ("mae", "mse", "rmse")}
    out = [
        Outcome("metric:mse-squared-units", "MSE is in squared units", [
            criterion("MSE grows by when dollars become cents (x100)", round(scale["mse"], 2), "==", 10000,
                      detail="a squared unit grows by 100 x 100")], key="metric:mse-squared-units"),
        Outcome("metric:rmse-penalizes-large-less", "RMSE penalizes large errors less than MAE", [
            criterion("RMSE's rise from one $2,000 miss, relative to MAE's", round(rise["rmse"] / rise["mae"], 3), "<", 1,
                      detail=f"MAE x{rise['mae']:.3f}, RMSE x{rise['rmse']:.3f}")], key="metric:rmse-penalizes-large-less"),
        Outcome("metric:rmse-same-units", "RMSE is in the target's units", [
            criterion("RMSE grows by when dollars become cents (x100)", round(scale["rmse"], 2), "==", 100)], key="metric:rmse-same-units"),
        Outcome("metric:mae-squares-errors", "MAE squares each error", [
            check("MAE equals the mean of squared errors", np.isclose(dollars["mae"], mean_square),
                  f"MAE {dollars['mae']:.2f} = mean squared error {mean_square:.2f}",
                  f"MAE {dollars['mae']:.2f} is the mean absolute error; the mean squared error is {mean_square:,.0f}")],
                key="metric:mae-squares-errors"),
        Outcome("metric:mae-always-larger", "MAE is always larger than RMSE", [
            criterion("random forecasts where MAE > RMSE", mae_larger, "==", len(trials),
                      detail=f"of {len(trials)}; RMSE >= MAE always holds (the mean of squares is at least the square of the mean)")],
                key="metric:mae-always-larger"),
    ]
    return out, {"mae_dollars": round(dollars["mae"], 2), "rmse_dollars": round(dollars["rmse"], 2), "mse_dollars": round(dollars["mse"], 1)}


# -- weekly MAE -------------------------------------------------------------------------------------------------
def daily_errors(p: dict, rng: np.random.Generator) -> pd.DataFrame:
    days = WEEKS * 7
    day = np.arange(days)
    week = day // 7
    actual = 5000.0 + 1500.0 * (day % 7 >= 5) + rng.normal(0.0, 300.0, days)
    typical = 200.0 * (1.0 + 0.8 * (day % 7 >= 5))  # weekends are harder to forecast
    promo = rng.random(days) < 0.06
    typical = typical * np.where(promo, 2.0, 1.0)
    holidays = np.isin(day, [45, 101, 150])
    typical = np.where(holidays, typical * p["holiday_miss"], typical)
    typical = typical * (1.0 + p["degradation"] * np.maximum(0, week - p["degrade_week"] + 1))
    error = typical * rng.choice([-1.0, 1.0], days) * rng.uniform(0.6, 1.4, days)
    return pd.DataFrame({"day": day, "week": week, "actual": actual, "predicted": actual - error, "holiday": holidays})


def onset(values: np.ndarray, reference: slice) -> int | None:
    ref = values[reference]
    limit = ref.mean() + ONSET_SIGMAS * ref.std()
    after = np.flatnonzero(values > limit)
    after = after[after >= reference.stop]
    return int(after[0]) if len(after) else None


def weekly_outcomes(p: dict, rng: np.random.Generator) -> tuple[list[Outcome], dict, pd.DataFrame, pd.DataFrame]:
    frame = daily_errors(p, rng)
    frame["abs_error"] = np.abs(frame["actual"] - frame["predicted"])
    daily = frame["abs_error"].to_numpy()
    weekly = frame.groupby("week")["abs_error"].mean().to_numpy()
    weekly_rmse = np.sqrt(frame.assign(sq=frame["abs_error"] ** 2).groupby("week")["sq"].mean().to_numpy())
    engine_weekly = np.array([regression_metrics(g["actual"], g["predicted"])["mae"] for _, g in frame.groupby("week")])
    before = slice(0, p["degrade_week"])
    noise_daily = np.std(np.diff(daily[: p["degrade_week"] * 7])) / daily[: p["degrade_week"] * 7].mean()
    noise_weekly = np.std(np.diff(weekly[before])) / weekly[before].mean()
    found = onset(weekly, slice(0, p["degrade_week"] - 2))
    true_onset = p["degrade_week"] if p["degradation"] > 0 else None
    daily_alarm = onset(daily, slice(0, (p["degrade_week"] - 2) * 7))
    shifted = frame.assign(actual=frame["actual"] * 1.1)
    weekly_shifted = np.array([regression_metrics(g["actual"], g["predicted"])["mae"] for _, g in shifted.groupby("week")])
    mean_daily = frame.groupby("week")["abs_error"].mean().to_numpy()  # the daily MAEs of a week, averaged
    # grow the week's largest daily error by $1: how much more does the weekly MAE move than the average of the daily MAEs?
    week0 = frame.loc[frame["week"] == 0]
    bumped = week0.assign(predicted=week0["predicted"] - np.where(week0["abs_error"] == week0["abs_error"].max(), np.sign(week0["actual"] - week0["predicted"]), 0.0))
    weekly_rise = regression_metrics(bumped["actual"], bumped["predicted"])["mae"] - regression_metrics(week0["actual"], week0["predicted"])["mae"]
    daily_rise = np.mean(np.abs(bumped["actual"] - bumped["predicted"])) - np.mean(np.abs(week0["actual"] - week0["predicted"]))
    largest_weight = float(weekly_rise / daily_rise) if daily_rise else 1.0
    if true_onset is None:
        trend = criterion("weeks flagged as degraded when nothing degrades", int(found is not None), "==", 0,
                          detail=f"first flagged week {found}" if found is not None else "none flagged")
    else:
        trend = criterion("weeks between the true start of the rise and the first weekly MAE above the normal band",
                          abs(found - true_onset) if found is not None else WEEKS, "<=", 2,
                          detail=f"true start week {true_onset}, flagged week {found}; the daily line first jumps out on day {daily_alarm}")
    outcomes = [
        Outcome("weekly:smooths-noise-shows-trend", "weekly averaging smooths day-to-day noise so a trend shows", [
            criterion("weekly line's noise relative to the daily line's", round(noise_weekly / noise_daily, 3), "<", 0.5,
                      detail=f"step-to-step spread / mean: daily {noise_daily:.2f}, weekly {noise_weekly:.2f}"),
            trend], key="weekly:smooths-noise-shows-trend"),
        Outcome("weekly:always-lower", "weekly MAE is always lower than daily MAE", [
            criterion("weeks whose MAE is below the average of its daily MAEs", int(np.sum(engine_weekly < mean_daily - 1e-9)), "==", WEEKS,
                      detail="a week's MAE is the mean of the same absolute errors")], key="weekly:always-lower"),
        Outcome("weekly:turns-into-rmse", "weekly aggregation turns MAE into RMSE", [
            criterion("weeks where weekly MAE equals weekly RMSE", int(np.sum(np.isclose(engine_weekly, weekly_rmse))), "==", WEEKS,
                      detail=f"week 0: MAE {engine_weekly[0]:.1f}, RMSE {weekly_rmse[0]:.1f}")], key="weekly:turns-into-rmse"),
        Outcome("weekly:weights-large-errors", "weekly MAE gives large errors more weight than daily MAE", [
            criterion("weight of the largest day in its week's MAE, relative to its share of the week's absolute error",
                      round(largest_weight, 4), ">", 1, detail="a mean of absolute errors weighs every day by its error, no more")],
            key="weekly:weights-large-errors"),
        Outcome("weekly:shows-break-on-the-day", "the weekly chart shows a break on the day it happens, earlier than a daily chart", [
            criterion("days the weekly line needs, beyond the daily line, to show the rise", ((found + 1) * 7 - 1 - daily_alarm) if (found is not None and daily_alarm is not None) else WEEKS * 7,
                      "<", 0, detail=f"week {found}'s point exists on day {(found + 1) * 7 - 1 if found is not None else '-'}, the daily line jumps on day {daily_alarm}")],
            key="weekly:shows-break-on-the-day"),
        Outcome("weekly:independent-of-actuals", "weekly values no longer depend on actual sales", [
            criterion("weeks whose MAE changes when actual sales are 10 % higher", int(np.sum(~np.isclose(weekly_shifted, engine_weekly))), "==", 0,
                      detail=f"week 0: {engine_weekly[0]:.1f} -> {weekly_shifted[0]:.1f}")], key="weekly:independent-of-actuals"),
    ]
    holiday_weeks = frame.loc[frame["holiday"], "week"].unique()
    hw = frame[frame["week"].isin(holiday_weeks)]
    holiday_abs_share = float(hw.loc[hw["holiday"], "abs_error"].sum() / hw["abs_error"].sum())
    holiday_sq_share = float((hw.loc[hw["holiday"], "abs_error"] ** 2).sum() / (hw["abs_error"] ** 2).sum())
    numbers = {"noise_daily": round(float(noise_daily), 3), "noise_weekly": round(float(noise_weekly), 3),
               "flagged_week": found if found is not None else -1, "holiday_abs_share": round(holiday_abs_share, 3),
               "holiday_sq_share": round(holiday_sq_share, 3)}
    table = pd.DataFrame({"week": np.arange(WEEKS), "weekly_mae": np.round(engine_weekly, 2), "weekly_rmse": np.round(weekly_rmse, 2)})
    return outcomes, numbers, table, frame


def pick_outcomes(frame: pd.DataFrame, numbers: dict) -> list[Outcome]:
    """Which metric answers "how far did the forecast miss, on average, in dollars" without letting holidays dominate."""
    holiday_weeks = frame.loc[frame["holiday"], "week"].unique()
    hw = frame[frame["week"].isin(holiday_weeks)]
    dollars = regression_metrics(hw["actual"], hw["predicted"])
    cents = regression_metrics(hw["actual"] * 100, hw["predicted"] * 100)
    average_miss = float(np.mean(np.abs(hw["actual"] - hw["predicted"])))
    shares = {"mse": numbers["holiday_sq_share"], "mae": numbers["holiday_abs_share"], "rmse": numbers["holiday_sq_share"],
              "r2": numbers["holiday_sq_share"]}
    out = []
    for key, name in (("mse", "MSE"), ("mae", "MAE"), ("rmse", "RMSE"), ("r2", "R2")):
        scale = cents[key] / dollars[key] if dollars[key] else 0.0
        out.append(Outcome(f"pick:{key}", name, [
            criterion(f"{name} grows by when dollars become cents (x100; 100 = in dollars)", round(scale, 2), "==", 100),
            criterion(f"holidays' share of the {'absolute' if key == 'mae' else 'squared'} error {name} is built from, in holiday weeks",
                      round(100 * shares[key], 1), "<", 50, unit="%", detail="3 holidays among 21 days"),
            check(f"{name} equals the average miss in dollars", np.isclose(dollars[key], average_miss, rtol=1e-9),
                  f"{dollars[key]:,.2f} = {average_miss:,.2f}", f"{dollars[key]:,.2f} vs an average miss of {average_miss:,.2f}"),
        ], evidence={"value": round(float(dollars[key]), 4)}, key=f"pick:{key}"))
    return out


def _check(p: dict) -> None:
    """Combinations no batch can have: f1 needs true positives that a low accuracy leaves no room for;
    RMSE is never below MAE (and the delivery batch's error pattern spans 1.1 to 4.5 times it)."""
    misses = 1.0 - p["fraud_accuracy"]
    if p["fraud_f1"] * misses / (2.0 * (1.0 - p["fraud_f1"])) + misses > 1.0:
        raise ParameterError(f"parameters 'fraud_accuracy' {p['fraud_accuracy']} and 'fraud_f1' {p['fraud_f1']}: no batch has both "
                             "(the true positives f1 needs do not fit beside the misses); raise the accuracy or lower f1")
    ratio = p["delivery_rmse"] / p["delivery_mae"]
    if not 1.1 <= ratio <= 4.5:
        raise ParameterError(f"parameter 'delivery_rmse' must be 1.1 to 4.5 times 'delivery_mae' ({1.1 * p['delivery_mae']:.2f} to "
                             f"{4.5 * p['delivery_mae']:.2f}; RMSE is never below MAE), got {p['delivery_rmse']}")


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    _check(p)
    rng = np.random.default_rng(seed)
    if progress:
        progress(0, 3, "suggested constraints and this week's check")
    outcomes, numbers, artifacts = constraint_outcomes(p, seed)
    if progress:
        progress(1, 3, "metric units, outliers, daily and weekly MAE")
    found, metric_numbers = metric_outcomes(rng)
    outcomes += found
    weekly, weekly_numbers, table, frame = weekly_outcomes(p, rng)
    outcomes += weekly + pick_outcomes(frame, weekly_numbers)
    mortgage = mortgage_outcomes(p, rng)
    outcomes += mortgage
    fraud, fraud_numbers, fraud_artifacts = fraud_outcomes(p, seed)
    delivery, delivery_numbers, delivery_artifacts = delivery_outcomes(p, seed)
    pipeline, pipeline_numbers, pipeline_table = pipeline_outcomes(p, seed)
    outcomes += fraud + delivery + pipeline
    artifacts += fraud_artifacts + delivery_artifacts
    numbers.update(fraud_numbers | delivery_numbers | pipeline_numbers)
    numbers["first_time_buyer_gap"] = mortgage[0].criteria[1].measured
    numbers.update(metric_numbers)
    numbers.update(weekly_numbers)
    if progress:
        progress(2, 3, "narrative")
    violated = numbers["violations"]
    verdict = (f"so the check reports {' and '.join(violated)} as violated" if violated else "so nothing is violated")
    trend = (f"the weekly MAE line first leaves its normal band in week {numbers['flagged_week']} (the error starts growing in week "
             f"{p['degrade_week']})" if numbers["flagged_week"] >= 0 else "the weekly MAE line stays inside its normal band: nothing degrades")
    narrative = (f"The baseline suggested recall >= {numbers['suggested_recall']:.3f} and precision >= {numbers['suggested_precision']:.3f}; "
                 f"this week recall is {numbers['week_recall']:.3f} and precision {numbers['week_precision']:.3f}, {verdict}. "
                 f"Day to day the MAE jumps by {numbers['noise_daily']:.0%} of its level, week to week by {numbers['noise_weekly']:.0%}; "
                 f"{trend}. Holidays (a {p['holiday_miss']:g}x miss) make up {numbers['holiday_abs_share']:.0%} of their weeks' absolute "
                 f"error but {numbers['holiday_sq_share']:.0%} of their squared error. At a {p['rate_now']:g} % mortgage rate the "
                 f"house-price model's error for first-time buyers differs from everyone else's by {numbers['first_time_buyer_gap']:.1%}"
                 + (" (bias drift)." if numbers["first_time_buyer_gap"] > 0.05 else " (no bias to speak of).")
                 + f" The fraud model's night (accuracy {numbers['fraud_accuracy']:.3f}, f1 {numbers['fraud_f1']:.3f}) ends "
                 f"{numbers['fraud_mq_status']} ({', '.join(numbers['fraud_violations']) or 'no violation'}); the delivery-time model "
                 f"(mae {numbers['delivery_mae']:.1f}, rmse {numbers['delivery_rmse']:.1f}, r2 {numbers['delivery_r2']:.2f}) violates "
                 f"{', '.join(numbers['delivery_violations']) or 'nothing'}. Across {STORES} stores the weekly MAE line "
                 + (f"first leaves its band in week {numbers['pipeline_weekly_flag']}" if numbers["pipeline_weekly_flag"] >= 0 else "never leaves its band")
                 + f", one MAE since launch is {numbers['pipeline_alltime_mae']:,.0f} against {numbers['pipeline_train_mae']:,.0f} in training"
                 + ", and the predicted-sales histogram " + (f"drifts in week {numbers['pipeline_drift_flag']}." if numbers["pipeline_drift_flag"] >= 0 else "never drifts."))
    series = [Series("weekly MAE", table["week"].tolist(), table["weekly_mae"].tolist(), "line", "week", "MAE ($)", "Forecast error"),
              Series("daily MAE", (frame["day"] / 7).round(3).tolist(), frame["abs_error"].round(2).tolist(), "line", "week", "MAE ($)", "Forecast error"),
              Series("weekly MAE, all stores", pipeline_table["week"].tolist(), pipeline_table["weekly_mae"].tolist(), "line", "week", "MAE ($)",
                     "Store forecasts: weekly MAE"),
              Series("training MAE", pipeline_table["week"].tolist(), pipeline_table["training_mae"].tolist(), "line", "week", "MAE ($)",
                     "Store forecasts: weekly MAE"),
              Series("normal band (training weeks, mean + 3 sd)", pipeline_table["week"].tolist(), pipeline_table["weekly_band"].tolist(), "line",
                     "week", "MAE ($)", "Store forecasts: weekly MAE")]
    return SimulationResult(name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative, series=series,
                            tables={"weekly": table, "store_weekly": pipeline_table}, artifacts=artifacts, outcomes=outcomes, key_numbers=numbers,
                            question_id=INFO.question_ids[0])


# -- bias-drift-mortgage: a house-price model trained at 3 % mortgage rates ------------------------------------------------
def houses(n: int, rng: np.random.Generator, rate: float) -> pd.DataFrame:
    size = np.round(rng.gamma(9.0, 12.0, n), 1)
    region = rng.choice(np.array(["coast", "city", "inland"], dtype=object), n, p=[0.3, 0.4, 0.3])
    first_time = rng.random(n) < 0.35
    # buyers who need the largest loans (first-time buyers in the dear regions) pay less as rates rise
    squeeze = np.where(first_time & (region != "inland"), 0.045, 0.01) * (rate - 3.0)
    price = (2500.0 * size * np.where(region == "coast", 1.5, np.where(region == "city", 1.2, 0.8))
             * (1.0 - squeeze) * np.exp(rng.normal(0.0, 0.08, n)))
    return pd.DataFrame({"size_m2": size, "region": region, "first_time_buyer": first_time.astype(int),
                         "mortgage_rate": np.full(n, rate), "price": np.round(price, -2)})


def fit_prices(df: pd.DataFrame) -> dict:
    """Price per m2 by region and buyer group (the model's whole knowledge)."""
    per_m2 = (df["price"] / df["size_m2"]).groupby([df["region"], df["first_time_buyer"]]).median()
    return per_m2.to_dict()


def predict_prices(model: dict, df: pd.DataFrame) -> np.ndarray:
    keys = list(zip(df["region"], df["first_time_buyer"]))
    return np.array([model[k] for k in keys]) * df["size_m2"].to_numpy()


def group_gap(model: dict, df: pd.DataFrame) -> float:
    """Bias metric: mean relative error of first-time buyers minus that of everybody else (needs the true prices)."""
    rel = (predict_prices(model, df) - df["price"].to_numpy()) / df["price"].to_numpy()
    first = df["first_time_buyer"].to_numpy() == 1
    return float(rel[first].mean() - rel[~first].mean())


def mortgage_outcomes(p: dict, rng: np.random.Generator) -> list[Outcome]:
    train = houses(4000, rng, 3.0)
    holdout = houses(1000, rng, 3.0)
    model = fit_prices(train)
    baseline = suggest_baseline(train.drop(columns="price"))
    months = np.linspace(3.0, p["rate_now"], 6)
    gaps = [group_gap(model, houses(800, rng, r)) for r in months]
    now = houses(2000, rng, p["rate_now"])
    dq_violations = data_quality_report(now.drop(columns="price"), baseline).violations["violations"]
    drifted = [v["feature_name"] for v in dq_violations if v["constraint_check_type"] == "baseline_drift_check"]
    group_metrics_in_report = [v for v in dq_violations if "first_time_buyer" in v.get("description", "") and "bias" in v.get("description", "").lower()]
    unlabelled_gap = group_gap(model, now.assign(price=np.nan))  # without true prices the errors are NaN
    gap_without_labels = None if np.isnan(unlabelled_gap) else unlabelled_gap
    retrained = fit_prices(houses(4000, rng, p["rate_now"]))
    gap_after = group_gap(retrained, houses(1000, rng, p["rate_now"]))
    train_err = float(np.mean(np.abs(predict_prices(model, train) - train["price"]) / train["price"]))
    valid_err = float(np.mean(np.abs(predict_prices(model, holdout) - holdout["price"]) / holdout["price"]))
    same_data = group_gap(fit_prices(train), now)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:  # what data capture recorded of today's requests
        served = now.drop(columns="price").iloc[:200]
        captured = capture_frame("house-prices", "AllTraffic", served, predict_prices(model, served), Path(tmp),
                                 times=pd.date_range("2025-06-02", periods=len(served), freq="5min", tz="UTC"))
    missing_from_capture = len(served) - len(captured)
    endpoint_models = {"house-price": model}  # the one model the endpoint serves
    return [
        Outcome("mortgage:bias-drift-monitor-retrain", "bias drift: monitor bias over time with labels, retrain on updated data", [
            criterion("input features with baseline_drift_check today", len(drifted), ">=", 1, detail=", ".join(drifted) or "none"),
            criterion("first-time buyers' error gap today (bias metric, from true prices)", round(abs(gaps[-1]), 4), ">", 0.05,
                      detail="monthly gaps " + ", ".join(f"{g:+.3f}" for g in gaps)),
            criterion("error gap after retraining on current sales", round(abs(gap_after), 4), "<=", 0.05)],
                key="mortgage:bias-drift-monitor-retrain"),
        Outcome("mortgage:capture-disk-full", "the capture disk is full; increase the volume", [
            criterion("requests missing from the captured data", missing_from_capture, ">=", 1, detail=f"{len(captured)} of {len(served)} captured"),
            criterion("error gap once capture is complete (nothing else changes)", round(abs(gaps[-1]), 4), "<=", 0.05)],
                key="mortgage:capture-disk-full"),
        Outcome("mortgage:overfit-early-stopping", "the model overfit; add early stopping and redeploy on the same data", [
            criterion("validation minus training error at training time", round(valid_err - train_err, 4), ">", 0.02,
                      detail=f"training {train_err:.3f}, validation {valid_err:.3f}"),
            criterion("error gap after refitting on the same training data", round(abs(same_data), 4), "<=", 0.05)],
                key="mortgage:overfit-early-stopping"),
        Outcome("mortgage:attribution-monitor-only", "feature attribution drift: a SHAP monitor without ground truth is enough", [
            check("the first-time buyers' error gap can be computed without true prices", gap_without_labels is not None,
                  "computed", "no: an error needs the true price, and attributions explain predictions, not errors")],
                key="mortgage:attribution-monitor-only"),
        Outcome("mortgage:data-quality-reports-bias", "a data-quality monitor flags the rates and reports bias metrics per group", [
            criterion("input features with baseline_drift_check today", len(drifted), ">=", 1, detail=", ".join(drifted) or "none"),
            criterion("per-group bias metrics in the data-quality report", len(group_metrics_in_report), ">=", 1,
                      detail="its violations: " + "; ".join(sorted({v["constraint_check_type"] for v in dq_violations})))],
                key="mortgage:data-quality-reports-bias"),
        Outcome("mortgage:multi-model-endpoint", "several models are mixed; move to a multi-model endpoint", [
            criterion("models the endpoint hosts", len(endpoint_models), ">", 1, detail=", ".join(endpoint_models))],
                key="mortgage:multi-model-endpoint"),
    ]


# -- mq-binary-two-constraints: a fraud classifier with an accuracy and an f1 constraint ------------------------------
FRAUD_RULES = {"accuracy": 0.80, "f1": 0.70}
FRAUD_ROWS = 4000


def fraud_batch(accuracy: float, f1: float, rng: np.random.Generator, n: int = FRAUD_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """Labels and predictions whose accuracy and f1 come out at (about) the requested values.

    accuracy = 1 - (FP + FN) / n and f1 = 2 TP / (2 TP + FP + FN), so the misses are fixed by the
    accuracy and TP by f1; the misses are split 55 / 45 between fraud missed and false alarms."""
    misses = int(round((1.0 - accuracy) * n))
    tp = int(round(f1 * misses / (2.0 * (1.0 - f1))))
    if tp > n - misses + 2:
        raise ValueError(f"no batch of {n} rows has accuracy {accuracy} and f1 {f1}")
    tp = min(tp, n - misses)  # rounding at the edge of what fits
    fn = int(round(0.55 * misses))
    fp = misses - fn
    tn = n - tp - fn - fp
    y_true = np.r_[np.ones(tp + fn, int), np.zeros(fp + tn, int)]
    y_pred = np.r_[np.ones(tp, int), np.zeros(fn, int), np.ones(fp, int), np.zeros(tn, int)]
    order = rng.permutation(n)
    return y_true[order], y_pred[order]


def fraud_outcomes(p: dict, seed: int) -> tuple[list[Outcome], dict, list[Artifact]]:
    """Last night's executions on the fraud endpoint: a model-quality schedule (accuracy and f1
    constraints, both LessThanThreshold) and a data-quality schedule on the same endpoint."""
    from datetime import datetime

    from simulations.monitoring.clock import SimulatedClock
    from simulations.monitoring.schedule import COMPLETED_WITH_VIOLATIONS, ModelMonitorService, MonitoringSchedule

    rng = np.random.default_rng([seed, 2])
    constraints = {"version": 0.0, "binary_classification_constraints": {
        name: {"threshold": t, "comparison_operator": "LessThanThreshold"} for name, t in FRAUD_RULES.items()}}
    y_true, y_pred = fraud_batch(p["fraud_accuracy"], p["fraud_f1"], rng)
    stats = model_quality_statistics(BINARY_CLASSIFICATION, y_true, y_pred, seed=seed)
    amounts = pd.DataFrame({"amount": np.round(rng.lognormal(4.0, 1.0, 4000), 2), "merchant_risk": rng.beta(2.0, 8.0, 4000)})
    baseline = suggest_baseline(amounts.iloc[:2000])
    tonight = amounts.iloc[2000:].reset_index(drop=True)

    clock = SimulatedClock(datetime(2025, 6, 2))
    service = ModelMonitorService(clock)
    service.create_endpoint("fraud-detector")
    service.create_monitoring_schedule(MonitoringSchedule(
        "fraud-model-quality", "fraud-detector", "cron(0 2 ? * * *)", lambda start, end: {
            "violations": check_model_quality(stats, constraints)["violations"]},
        start_offset="-P1D", end_offset="-PT0H", monitoring_type="ModelQuality"))
    service.create_monitoring_schedule(MonitoringSchedule(
        "fraud-data-quality", "fraud-detector", "cron(0 1 ? * * *)",
        lambda start, end: {"violations": check_data_quality(tonight, baseline)["violations"]}, monitoring_type="DataQuality"))
    clock.run_until(datetime(2025, 6, 2, 3))
    mq = service.list_monitoring_executions("fraud-model-quality")[-1]
    dq = service.list_monitoring_executions("fraud-data-quality")[-1]
    found = {v["metric_name"] for v in mq.report["violations"]}
    metric = {m: stats["binary_classification_metrics"][m]["value"] for m in FRAUD_RULES}
    # a night where both metrics meet their thresholds but lie 0.15 apart
    apart_true, apart_pred = fraud_batch(0.95, 0.80, rng)
    apart_stats = model_quality_statistics(BINARY_CLASSIFICATION, apart_true, apart_pred, seed=seed)
    apart = {m: apart_stats["binary_classification_metrics"][m]["value"] for m in FRAUD_RULES}
    apart_found = [v["metric_name"] for v in check_model_quality(apart_stats, constraints)["violations"]]
    shown = ", ".join(sorted(found)) or "none"
    said = (f"accuracy {metric['accuracy']:.3f} vs 0.80, f1 {metric['f1']:.3f} vs 0.70; the model-quality execution "
            f"ended {mq.status} reporting {shown}")
    outcomes = [
        Outcome("fraud:f1-violated", "f1 is below 0.70, so f1 violates while accuracy meets its constraint", [
            check("f1 reported as violated", "f1" in found, said, said),
            check("accuracy not reported", "accuracy" not in found, said, said),
            check("the model-quality execution ended CompletedWithViolations", mq.status == COMPLETED_WITH_VIOLATIONS,
                  mq.status, mq.status)], key="fraud:f1-violated"),
        Outcome("fraud:accuracy-above-threshold", "accuracy violates because 0.82 > 0.80 (LessThanThreshold = must stay below)", [
            check("accuracy reported as violated", "accuracy" in found, said, said)], key="fraud:accuracy-above-threshold"),
        Outcome("fraud:metrics-differ", "a violation whenever two metrics differ by more than 0.10", [
            criterion("violations reported on a night with accuracy and f1 that meet their thresholds but differ by more than 0.10",
                      len(apart_found), ">=", 1,
                      detail=f"accuracy {apart['accuracy']:.3f}, f1 {apart['f1']:.3f}, {abs(apart['accuracy'] - apart['f1']):.2f} apart; "
                             f"reported: {', '.join(apart_found) or 'none'}")], key="fraud:metrics-differ"),
        Outcome("fraud:status-from-data-quality", "the status comes from the data-quality monitor; model quality reports no violations", [
            check("the data-quality execution on the same endpoint ended CompletedWithViolations", dq.status == COMPLETED_WITH_VIOLATIONS,
                  dq.status, f"it ended {dq.status}"),
            criterion("violations in the model-quality execution's report", len(found), "==", 0, detail=shown)],
            key="fraud:status-from-data-quality"),
    ]
    numbers = {"fraud_accuracy": round(metric["accuracy"], 4), "fraud_f1": round(metric["f1"], 4), "fraud_mq_status": mq.status,
               "fraud_dq_status": dq.status, "fraud_violations": sorted(found)}
    artifacts = [Artifact("fraud/constraints.json", _json(constraints), "accuracy and f1, both LessThanThreshold"),
                 Artifact("fraud/constraint_violations.json", _json(mq.report), f"last night's model-quality execution ({mq.status})"),
                 Artifact("fraud/executions.json", _json({"executions": [mq.summary(), dq.summary()]}), "both schedules on the endpoint")]
    return outcomes, numbers, artifacts


# -- mq-regression-operators: a delivery-time model with GreaterThanThreshold and LessThanThreshold ---------------------
DELIVERY_RULES = {"mae": (12.0, "GreaterThanThreshold"), "rmse": (18.0, "GreaterThanThreshold"), "r2": (0.70, "LessThanThreshold")}
DELIVERY_VARIANCE = 19.5 ** 2 / 0.26  # minutes^2: r2 = 0.74 at an rmse of 19.5
DELIVERY_ROWS = 2000


def delivery_batch(mae: float, rmse: float, rng: np.random.Generator, n: int = DELIVERY_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """Delivery times (minutes) and predictions with exactly this MAE and RMSE and a target variance
    of DELIVERY_VARIANCE: most misses small, 4 % large; the two groups are scaled so that
    a*m1 + b*m2 = mae and a^2*q1 + b^2*q2 = rmse^2 (m: mean absolute, q: mean squared share)."""
    big = np.arange(n) < int(0.04 * n)
    size = np.where(big, rng.uniform(4.0, 8.0, n), rng.uniform(0.5, 1.5, n))
    m1, m2 = np.sum(size[~big]) / n, np.sum(size[big]) / n
    q1, q2 = np.sum(size[~big] ** 2) / n, np.sum(size[big] ** 2) / n
    qa, qb, qc = q1 * m2 ** 2 / m1 ** 2 + q2, -2.0 * mae * m2 * q1 / m1 ** 2, q1 * mae ** 2 / m1 ** 2 - rmse ** 2
    disc = qb * qb - 4.0 * qa * qc
    b = (-qb + np.sqrt(max(disc, 0.0))) / (2.0 * qa)
    a = (mae - b * m2) / m1
    if disc < 0 or a <= 0 or b < 0:
        raise ValueError(f"no two-group error pattern gives mae {mae} and rmse {rmse}")
    error = np.where(big, b, a) * size * rng.choice([-1.0, 1.0], n)
    z = rng.normal(0.0, 1.0, n)
    actual = 45.0 + np.sqrt(DELIVERY_VARIANCE) * (z - z.mean()) / z.std()
    order = rng.permutation(n)
    return actual[order], (actual - error)[order]


def delivery_outcomes(p: dict, seed: int) -> tuple[list[Outcome], dict, list[Artifact]]:
    from simulations.monitoring.model_quality import REGRESSION

    rng = np.random.default_rng([seed, 3])
    constraints = {"version": 0.0, "regression_constraints": {
        name: {"threshold": t, "comparison_operator": op} for name, (t, op) in DELIVERY_RULES.items()}}
    actual, predicted = delivery_batch(p["delivery_mae"], p["delivery_rmse"], rng)
    stats = model_quality_statistics(REGRESSION, actual, predicted, seed=seed)
    report = check_model_quality(stats, constraints)
    found = {v["metric_name"] for v in report["violations"]}
    metric = {m: stats["regression_metrics"][m]["value"] for m in DELIVERY_RULES}
    shown = ", ".join(sorted(found)) or "none"
    compared = "; ".join(f"{m} {metric[m]:.3f} {'>' if op.startswith('Greater') else '<'} {t:g}: "
                         f"{'true' if (metric[m] > t if op.startswith('Greater') else metric[m] < t) else 'false'}"
                         for m, (t, op) in DELIVERY_RULES.items())

    def claims(expected: set[str]) -> list:
        return [check(f"violations reported: exactly {', '.join(sorted(expected)) or 'none'}", found == expected,
                      f"the check reports {shown} ({compared})", f"the check reports {shown} ({compared})")]

    outcomes = [
        Outcome("delivery:mae-and-r2", "mae and r2 violate", claims({"mae", "r2"}), key="delivery:mae-and-r2"),
        Outcome("delivery:none", "no violation: mae is below its threshold", claims(set()), key="delivery:none"),
        Outcome("delivery:all-three", "all three violate", claims({"mae", "rmse", "r2"}), key="delivery:all-three"),
        Outcome("delivery:only-rmse", "only rmse violates", claims({"rmse"}), key="delivery:only-rmse"),
    ]
    numbers = {"delivery_mae": round(metric["mae"], 3), "delivery_rmse": round(metric["rmse"], 3), "delivery_r2": round(metric["r2"], 4),
               "delivery_violations": sorted(found)}
    artifacts = [Artifact("delivery/constraints.json", _json(constraints), "mae and rmse GreaterThanThreshold, r2 LessThanThreshold"),
                 Artifact("delivery/constraint_violations.json", _json(report), "today's check")]
    return outcomes, numbers, artifacts


# -- forecast-analysis-pipeline: four ways to see when a sales forecast starts to lose accuracy -------------------------
STORES = 30


def store_sales(rng: np.random.Generator, levels: np.ndarray, weeks: int, degrade_week: int | None, degradation: float) -> pd.DataFrame:
    """Daily sales of the stores (typical daily sales ``levels``) over ``weeks`` weeks, the forecast,
    and its error (long format)."""
    days = weeks * 7
    day = np.tile(np.arange(days), len(levels))
    store = np.repeat(np.arange(len(levels)), days)
    level = np.repeat(levels, days)
    weekend = (day % 7) >= 5
    actual = level * (1.0 + 0.3 * weekend) * np.exp(rng.normal(0.0, 0.12, len(day)))
    typical = 0.05 * level * (1.0 + 0.5 * weekend) * np.where(rng.random(len(day)) < 0.06, 2.0, 1.0)
    if degrade_week is not None:
        typical = typical * (1.0 + degradation * np.maximum(0, day // 7 - degrade_week + 1))
    error = typical * rng.choice([-1.0, 1.0], len(day)) * rng.uniform(0.6, 1.4, len(day))
    return pd.DataFrame({"day": day, "week": day // 7, "store": store, "actual": actual, "predicted": actual - error})


def pipeline_outcomes(p: dict, seed: int) -> tuple[list[Outcome], dict, pd.DataFrame]:
    from simulations.monitoring.drift import baseline_cdf, numerical_distance
    from simulations.monitoring.model_quality import binary_classification_metrics

    rng = np.random.default_rng([seed, 4])
    levels = rng.uniform(3000.0, 8000.0, STORES)
    train = store_sales(rng, levels, WEEKS, None, 0.0)  # the model's training/validation period
    live = store_sales(rng, levels, WEEKS, p["degrade_week"], p["degradation"])
    truth = p["degrade_week"] if p["degradation"] > 0 else None
    # (C) weekly MAE from the joined table, against the normal band of the training period's weekly MAE
    def weekly_mae(frame: pd.DataFrame) -> np.ndarray:
        return np.array([regression_metrics(g["actual"], g["predicted"])["mae"] for _, g in frame.groupby("week")])

    train_weekly, weekly = weekly_mae(train), weekly_mae(live)
    band = train_weekly.mean() + ONSET_SIGMAS * train_weekly.std()
    weekly_weeks = np.flatnonzero(weekly > band)
    # (B) one MAE over everything since launch, against the training MAE
    train_mae = regression_metrics(train["actual"], train["predicted"])["mae"]
    alltime = regression_metrics(live["actual"], live["predicted"])["mae"]
    span = {"B": int(live["week"].nunique()), "C": int(live.groupby("week")["week"].nunique().max())}
    # (A) predictions only: each week's predicted sales against the training sales distribution (data-quality drift check)
    baseline = suggest_baseline(train[["actual"]].rename(columns={"actual": "sales"}))
    stored_a = live[["day", "store", "predicted"]]
    reports = [data_quality_report(g[["predicted"]].rename(columns={"predicted": "sales"}), baseline) for _, g in stored_a.groupby(live["week"])]
    drift_weeks = np.array([w for w, r in enumerate(reports) if r.violations["violations"]], int)
    largest_drift = max(r.distances.get("sales", 0.0) for r in reports)
    sales_cdf = baseline_cdf(baseline.statistics["features"][0])
    largest_raw = max(numerical_distance(sales_cdf, np.sort(g.to_numpy()), "Simple") for _, g in stored_a["predicted"].groupby(live["week"]))
    # (D) a sales-versus-error scatter: how well does its x-axis (sales) tell days after the break from days before?
    after = (live["week"] >= p["degrade_week"]).astype(int).to_numpy()
    auc = binary_classification_metrics(after, after, y_score=live["actual"].to_numpy())["auc"]
    order_auc = max(auc, 1.0 - auc)  # sales falling over time would order the days just as well

    def first(flagged: np.ndarray) -> int | None:
        return int(flagged[0]) if len(flagged) else None

    def located(flagged: np.ndarray, what: str) -> Criterion:
        flag = first(flagged)
        if truth is None:
            return criterion(f"weeks {what} flags when nothing degrades", len(flagged), "==", 0,
                             detail=f"first flagged week {flag}" if flag is not None else "none flagged")
        return criterion(f"weeks between the start of the rise (week {truth}) and the first week {what} flags",
                         abs(flag - truth) if flag is not None else WEEKS, "<=", 2,
                         detail=f"flagged week {flag}" if flag is not None else "nothing flagged in 26 weeks")

    outcomes = [
        Outcome("pipeline:prediction-histogram", "store predictions only; compare weekly histograms of predicted sales with training sales", [
            check("actual sales are in what this design stores", "actual" in stored_a.columns, "stored",
                  f"no: it stores {', '.join(stored_a.columns)}, so no error can be computed"),
            located(drift_weeks, "the predicted-sales drift check")],
            finding=f"Weekly predicted sales against training sales: largest drift distance {largest_drift:.3f} (Robust, threshold 0.1; "
                    f"raw Kolmogorov-Smirnov distance {largest_raw:.3f}).",
            key="pipeline:prediction-histogram"),
        Outcome("pipeline:one-mae-since-launch", "join daily; one MAE over everything since launch vs the training MAE", [
            criterion("weeks of data behind each number the design shows (the finest span it can date a drop to)", span["B"], "<=", 2,
                      detail=f"one MAE over weeks 0-{WEEKS - 1}: {alltime:,.0f} vs training {train_mae:,.0f} ({alltime / train_mae - 1:+.0%}); "
                             f"the last week alone: {weekly[-1]:,.0f} ({weekly[-1] / train_mae - 1:+.0%})")],
            key="pipeline:one-mae-since-launch"),
        Outcome("pipeline:weekly-mae-line", "join daily; weekly MAE as a line, find where the error began to rise", [
            criterion("weeks of data behind each number the design shows (the finest span it can date a drop to)", span["C"], "<=", 2,
                      detail=f"{WEEKS} weekly points"),
            located(weekly_weeks, "the weekly MAE line")], key="pipeline:weekly-mae-line"),
        Outcome("pipeline:sales-error-scatter", "join daily; scatter daily sales against daily error to find the day it broke", [
            criterion(f"AUC of sales for telling days from week {p['degrade_week']} on from earlier days (how well the scatter's x-axis orders time)",
                      round(float(order_auc), 3), ">=", 0.9, detail="0.5: before and after overlap completely; 1: sales alone put every day on the right side of the break")],
            key="pipeline:sales-error-scatter"),
    ]
    flags = {name: -1 if first(weeks) is None else first(weeks)
             for name, weeks in (("weekly", weekly_weeks), ("drift", drift_weeks))}
    numbers = {"pipeline_train_mae": round(float(train_mae), 1), "pipeline_alltime_mae": round(float(alltime), 1),
               "pipeline_weekly_flag": flags["weekly"], "pipeline_drift_flag": flags["drift"],
               "pipeline_sales_auc": round(float(order_auc), 3)}
    table = pd.DataFrame({"week": np.arange(WEEKS), "weekly_mae": np.round(weekly, 1), "training_mae": round(float(train_mae), 1),
                          "weekly_band": round(float(band), 1)})
    return outcomes, numbers, table
