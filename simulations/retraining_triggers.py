"""Calendar, signal or people: what triggers a retrain, and what a bad trigger costs.

A recommender predicts whether a customer buys the recommended product from one feature, the
customer's basket value ``v``. The chance of buying is a fixed, wavy function of ``v`` (the
concept never changes); what changes is *who* the customers are: at each week in ``shift_weeks``
the basket values move up by ``shift_size``, into values the original training data barely cover.
In week ``holiday_week`` gift buyers behave unlike everybody else, for that week only.

The model is a histogram classifier (one bin per unit of ``v``: buy when most training customers
in the bin bought; an empty bin predicts the overall majority). Its accuracy each week is compared
with the best accuracy possible for that week's customers (computed from the known buying chance).
A week *underperforms* when it is more than 0.1 below that best.

Drift detection goes through the engine: each week's customers are checked against the
data-quality baseline (``suggest_baseline``/``data_quality_report``), the distance of ``v`` is
published as a CloudWatch metric, and an alarm (> 0.1) invokes a Lambda (a callable action) that
starts a training job on the original plus the new data; after such a retrain the baseline is
suggested again from that week's customers (the new normal). Strategies (drift-triggered-retraining and
automated-retraining-flow):

- weekly or on the signal, original plus new data; quarterly when revenue fell; never (coarser bins);
- weekly on the newest week only, deployed directly; a person retrains ``manual_delay_weeks`` after the
  email; training on the original data when the endpoint becomes InService; the alarm path with an
  A/B test on the next week's traffic before the candidate replaces the production model.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.checks import data_quality_report
from simulations.monitoring.cloudwatch import CloudWatch
from simulations.monitoring.utc import UTC
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Outcome, Series, SimulationResult, criterion

WEEKS = 52
BINS = np.arange(0.0, 41.0, 1.0)
TOLERANCE = 0.1
MAX_LAG_WEEKS = 2
MAX_WASTED = 3
START = datetime(2024, 1, 1, tzinfo=UTC)
WEEK = timedelta(days=7)

INFO = SimulationInfo(
    name="retraining-triggers",
    title="Retraining triggers: calendar, monitoring signal, revenue or a person",
    summary="Customers shift mid-month; a drift alarm that starts training on original plus new data (validated "
            "before it replaces production) keeps accuracy up without retrains that change nothing.",
    questions=(
        QuestionLink('drift-triggered-retraining', {'A': 'retrain:weekly-recent-4-weeks', 'B': 'retrain:on-drift-signal', 'C': 'retrain:monthly-with-tuning', 'D': 'retrain:latency-errors'}),
        QuestionLink('retraining-costs', {'A': 'cost:forgets-original-patterns', 'B': 'cost:new-algorithm-each-time', 'C': 'cost:growing-training-data', 'D': 'cost:needs-a-person', 'E': 'cost:model-versions-to-track'}),
    ),
    params=(
        ParamSpec("customers_per_week", int, 400, "labelled customers per week", min=100, max=5000),
        ParamSpec("shift_weeks", str, "14,33", "weeks (comma-separated) in which the basket values move up; empty for none"),
        ParamSpec("shift_size", float, 12.0, "how far basket values move at each shift", min=0.0, max=15.0),
        ParamSpec("holiday_week", int, 47, "week in which gift buyers behave unlike the rest (0 = none)", min=0, max=51),
        ParamSpec("manual_delay_weeks", int, 3, "weeks until a person retrains after the drift email", min=1, max=12),
    ),
    facts=("F11", "F13", "F14", "F15"),
    presets=(
        Preset("no-change", {"shift_weeks": "", "holiday_week": 0}, "customers never move and no holiday week", control=True,
               premise="no change in the customers: nothing to retrain for"),
        Preset("one-shift", {"shift_weeks": "20"}, "a single shift in week 20"),
    ),
)


def buy_chance(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-6.0 * np.cos(v / 1.6)))


def shifts_of(p: dict) -> list[int]:
    text = p["shift_weeks"].strip()
    if not text:
        return []
    try:
        weeks = sorted({int(w) for w in text.split(",") if w.strip()})
    except ValueError:
        from simulations.params import ParameterError

        raise ParameterError(f"parameter 'shift_weeks' must be whole numbers separated by commas, got {text!r}") from None
    return [w for w in weeks if 1 <= w < WEEKS]


def customers(p: dict, rng: np.random.Generator, shifts: list[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    level = np.array([sum(p["shift_size"] for s in shifts if w >= s) for w in range(WEEKS)])
    values, labels = [], []
    for w in range(WEEKS):
        v = np.clip(rng.gamma(5.0, 1.0, p["customers_per_week"]) + level[w], 0.0, 39.99)
        chance = buy_chance(v)
        if w == p["holiday_week"] and p["holiday_week"] > 0:
            chance = 1.0 - chance  # gift buyers: the opposite of the usual pattern, this week only
        values.append(np.round(v, 2))
        labels.append((rng.random(len(v)) < chance).astype(np.int8))
    return values, labels


def fit(v: np.ndarray, y: np.ndarray, width: float = 1.0) -> np.ndarray:
    """Per-bin prediction (1 = buy) from training data; empty bins get the overall majority."""
    bins = np.arange(0.0, 40.0 + width, width)
    which = np.clip(np.digitize(v, bins) - 1, 0, len(bins) - 2)
    buys = np.bincount(which, weights=y, minlength=len(bins) - 1)
    count = np.bincount(which, minlength=len(bins) - 1)
    majority = float(y.mean() >= 0.5)
    rule = np.where(count > 0, (buys / np.maximum(count, 1)) >= 0.5, majority).astype(np.int8)
    return np.repeat(rule, int(round(width)))[: len(BINS) - 1]


def predict(rule: np.ndarray, v: np.ndarray) -> np.ndarray:
    return rule[np.clip(v.astype(int), 0, len(rule) - 1)]


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = params
    rng = np.random.default_rng(seed)
    shifts = shifts_of(p)
    values, labels = customers(p, rng, shifts)
    train_v = np.clip(rng.gamma(5.0, 1.0, 3000), 0.0, 39.99).round(2)
    train_y = (rng.random(3000) < buy_chance(train_v)).astype(np.int8)
    best = np.array([np.mean(np.maximum(buy_chance(v), 1 - buy_chance(v))) if w != p["holiday_week"] else np.nan
                     for w, v in enumerate(values)])
    if progress:
        progress(0, 3, "weekly drift checks through CloudWatch")
    distances, alarms = drift_alarms(values, train_v)
    if progress:
        progress(1, 3, "strategies")
    results = {key: follow(key, p, values, labels, train_v, train_y, best, alarms, rng) for key in STRATEGIES}
    changes = [s for s in shifts]
    outcomes = []
    for key, r in results.items():
        outcomes.append(Outcome(key, STRATEGIES[key], judge(r, changes), evidence={k: v for k, v in r.items() if k != "accuracy"},
                                finding=f"{r['retrains']} retrain(s) over {WEEKS} weeks; mean accuracy {np.nanmean(r['accuracy']):.3f}.",
                                key=key))
    outcomes += cost_outcomes(p, values, labels, train_v, train_y, alarms, rng, results["retrain:on-drift-signal"]["retrains"])
    if progress:
        progress(2, 3, "narrative")
    signal = results["retrain:on-drift-signal"]
    if changes:
        story = (f"The customers' basket values move up in week{'s' if len(changes) > 1 else ''} {', '.join(map(str, changes))}; "
                 f"the drift alarm fires in week{'s' if len(alarms) > 1 else ''} {', '.join(map(str, alarms)) or 'none'} "
                 f"(distance of v up to {max(distances):.2f}). ")
    else:
        story = f"The customers never move (largest drift distance {max(distances):.3f}): no alarm fires and there is nothing to retrain for. "
    narrative = (story + f"Retraining on the signal needs {signal['retrains']} training job(s) and underperforms "
                 f"{signal['lag_total']} week(s) in all; retraining every week needs {results['retrain:weekly']['retrains']} "
                 f"jobs, {results['retrain:weekly']['wasted']} of which change almost nothing.")
    x = list(range(WEEKS))
    series = [Series(name, x, [None if np.isnan(a) else round(float(a), 4) for a in results[key]["accuracy"]], "line", "week",
                     "accuracy", "Weekly accuracy") for key, name in (("retrain:on-drift-signal", "on drift signal"),
                                                                      ("retrain:weekly", "weekly"), ("retrain:never-regularize", "never"))]
    series.append(Series("best possible", x, [None if np.isnan(b) else round(float(b), 4) for b in best], "line", "week", "accuracy", "Weekly accuracy"))
    series.append(Series("drift distance of v", x, [round(d, 4) for d in distances], "line", "week", "distance", "Drift of v"))
    table = pd.DataFrame([{"strategy": k, "retrains": r["retrains"], "wasted": r["wasted"], "weeks_underperforming": r["lag_total"],
                           "bad_promotions": r["bad_promotions"]} for k, r in results.items()])
    return SimulationResult(name=INFO.name, title=INFO.title, params=dict(p), seed=seed, narrative=narrative, series=series,
                            tables={"strategies": table}, outcomes=outcomes,
                            key_numbers={"shifts": changes, "alarm_weeks": alarms, "signal_retrains": signal["retrains"]},
                            question_id=INFO.question_ids[0])


STRATEGIES = {
    "retrain:weekly": "retrain every week on the original plus the new data",
    "retrain:on-drift-signal": "retrain on the original plus the new data when monitoring detects a change",
    "retrain:quarterly-revenue": "retrain only when the quarterly revenue falls",
    "retrain:never-regularize": "stop retraining; use a more regularized model",
    "retrain:weekly-recent-4-weeks": "retrain every week on the most recent four weeks",
    "retrain:monthly-with-tuning": "keep the monthly calendar, with hyperparameter tuning",
    "retrain:latency-errors": "retrain when ModelLatency or 5XX errors rise",
    "flow:weekly-newest-week-overwrite": "weekly training on the newest week only, overwriting production",
    "flow:email-manual": "email the team; they retrain by hand later",
    "flow:eventbridge-inservice": "EventBridge on endpoint InService starts training on the original data",
    "flow:alarm-lambda-ab-test": "alarm -> Lambda -> train on original + new data -> A/B test before replacing",
}


def drift_alarms(values: list[np.ndarray], train_v: np.ndarray) -> tuple[list[float], list[int]]:
    """Weekly drift distances of v against a baseline that moves to the alarming week's data after each alarm,
    published to CloudWatch; the weeks whose alarm evaluation went to ALARM (the Lambda's invocations)."""
    cloudwatch = CloudWatch()
    invoked: list[int] = []
    cloudwatch.put_metric_alarm("v-drift", namespace="aws/sagemaker/Endpoints/data-metrics", metric_name="feature_baseline_drift_v",
                                dimensions={"Endpoint": "recommender"}, statistic="Maximum", period=86400, evaluation_periods=1,
                                threshold=0.1, comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching",
                                alarm_actions=[lambda message: invoked.append(int((pd.Timestamp(message["StateChangeTime"]) - pd.Timestamp(START)) // pd.Timedelta(WEEK)))],
                                ok_actions=[])
    baseline = suggest_baseline(pd.DataFrame({"v": train_v}))
    distances = []
    for w, v in enumerate(values):
        distance = data_quality_report(pd.DataFrame({"v": v}), baseline).distances["v"]
        distances.append(float(distance))
        at = START + w * WEEK
        cloudwatch.put_metric_data("aws/sagemaker/Endpoints/data-metrics", "feature_baseline_drift_v", distance, at + timedelta(hours=1),
                                   {"Endpoint": "recommender"})
        before = len(invoked)
        cloudwatch.evaluate_alarms(at + timedelta(days=1))
        if len(invoked) > before:  # the Lambda retrains; the baseline becomes the recent weeks
            baseline = suggest_baseline(pd.DataFrame({"v": v}))
            cloudwatch.alarms["v-drift"].set_state("OK", "retrained; new baseline", at + timedelta(days=1, minutes=1))
    return distances, invoked


def follow(key: str, p: dict, values, labels, train_v, train_y, best, alarms, rng) -> dict:
    width = 4.0 if key == "retrain:never-regularize" else 1.0
    rule = fit(train_v, train_y, width)
    seen_v, seen_y = [train_v], [train_y]
    accuracy = np.full(WEEKS, np.nan)
    retrains = wasted = bad = 0
    pending: list[int] = []  # weeks at which a retrain is due (manual delay)
    revenue = np.zeros(WEEKS)  # purchases of recommended products
    latency = 42.0 + rng.normal(0.0, 2.0, WEEKS)  # ModelLatency (ms): the model's speed does not depend on who the customers are
    for w in range(WEEKS):
        v, y = values[w], labels[w]
        guess = predict(rule, v)
        accuracy[w] = np.mean(guess == y)
        revenue[w] = np.sum((guess == 1) & (y == 1))
        seen_v.append(v)
        seen_y.append(y)
        candidate = None
        if key == "retrain:weekly":
            candidate = fit(np.concatenate(seen_v), np.concatenate(seen_y))
        elif key in ("retrain:on-drift-signal", "flow:alarm-lambda-ab-test") and w in alarms:
            candidate = fit(np.concatenate(seen_v), np.concatenate(seen_y))
        elif key == "retrain:quarterly-revenue" and w % 13 == 12 and w >= 25 and revenue[w - 12: w + 1].sum() < revenue[w - 25: w - 12].sum():
            candidate = fit(np.concatenate(seen_v), np.concatenate(seen_y))
        elif key == "retrain:weekly-recent-4-weeks":
            candidate = fit(np.concatenate(seen_v[-4:]), np.concatenate(seen_y[-4:]))
        elif key == "retrain:monthly-with-tuning" and w % 4 == 3:  # the calendar, with the bin width tuned on the latest week
            pool_v, pool_y = np.concatenate(seen_v[:-1]), np.concatenate(seen_y[:-1])
            tuned = {width: fit(pool_v, pool_y, width) for width in (1.0, 2.0, 4.0)}
            best_width = max(tuned, key=lambda width: np.mean(predict(tuned[width], v) == y))
            candidate = fit(np.concatenate(seen_v), np.concatenate(seen_y), best_width)
        elif key == "retrain:latency-errors" and latency[w] > 1.5 * np.median(latency[: max(w, 1)]):
            candidate = fit(np.concatenate(seen_v), np.concatenate(seen_y))
        elif key == "flow:weekly-newest-week-overwrite":
            candidate = fit(v, y)
        elif key == "flow:email-manual":
            if w in alarms:
                pending.append(w + p["manual_delay_weeks"])
            if w in pending:
                candidate = fit(np.concatenate(seen_v), np.concatenate(seen_y))
        if candidate is None or w + 1 >= WEEKS:
            continue
        retrains += 1
        nxt_v, nxt_y = values[w + 1], labels[w + 1]
        changed = np.mean(predict(candidate, nxt_v) != predict(rule, nxt_v))
        wasted += changed < 0.01
        if key == "flow:alarm-lambda-ab-test":  # A/B test on half of next week's traffic before replacing
            half = slice(0, len(nxt_v) // 2)
            if np.mean(predict(candidate, nxt_v[half]) == nxt_y[half]) < np.mean(predict(rule, nxt_v[half]) == nxt_y[half]):
                continue
        bad += np.mean(predict(candidate, nxt_v) == nxt_y) < np.mean(predict(rule, nxt_v) == nxt_y) - 0.02
        rule = candidate
    under = (accuracy < best - TOLERANCE) & ~np.isnan(best)
    lags = []
    for s in shifts_of(p):  # consecutive underperforming weeks from the change on (until accuracy recovers)
        run = 0
        while s + run < WEEKS and (under[s + run] or np.isnan(best[s + run])):
            run += 1
        lags.append(run)
    return {"accuracy": accuracy, "retrains": retrains, "wasted": int(wasted), "bad_promotions": int(bad),
            "lags": lags, "lag_total": int(under.sum()), "max_lag": max(lags, default=0)}


def judge(r: dict, changes: list[int]) -> list:
    return [
        criterion("weeks in a row underperforming from a change on (worst change)", r["max_lag"], "<=", MAX_LAG_WEEKS,
                  detail=f"per change: {r['lags']}" if changes else "no change happened; "
                  f"{r['lag_total']} week(s) underperform in all"),
        criterion("retrains that changed under 1 % of next week's predictions", r["wasted"], "<=", MAX_WASTED,
                  detail=f"of {r['retrains']} retrains"),
        criterion("deployed models worse than the one they replaced (next week's traffic)", r["bad_promotions"], "==", 0),
    ]


# -- retraining-costs: what the signal-triggered strategy (original + new data) costs ------------------------------
def cost_outcomes(p: dict, values, labels, train_v, train_y, alarms: list[int], rng, retrains: int) -> list[Outcome]:
    rows = [len(train_v) + sum(len(values[k]) for k in range(w + 1)) for w in alarms]  # rows each retrain trains on
    versions = ["v1 (original)"] + [f"v{i + 2} (week {w})" for i, w in enumerate(alarms)]
    rule = fit(train_v, train_y)
    algorithms = {fit.__name__}  # the training function every retrain of the pipeline calls
    original_like = np.clip(rng.gamma(5.0, 1.0, 2000), 0.0, 39.99)
    original_y = (rng.random(2000) < buy_chance(original_like)).astype(np.int8)
    before = float(np.mean(predict(rule, original_like) == original_y))
    latest = rule
    for w in alarms:
        latest = fit(np.concatenate([train_v, *values[: w + 1]]), np.concatenate([train_y, *labels[: w + 1]]))
    after = float(np.mean(predict(latest, original_like) == original_y))
    automatic = len(alarms)  # the alarm's Lambda invocations (drift_alarms)
    growth = (rows[-1] - rows[0]) if len(rows) >= 2 else 0
    return [
        Outcome("cost:growing-training-data", "training and storage costs grow with the accumulated data", [
            criterion("training rows added between the first and the last retrain", growth, ">=", 1,
                      detail=f"rows per retrain: {rows}" if rows else "no retrain happened")], key="cost:growing-training-data"),
        Outcome("cost:forgets-original-patterns", "the model forgets the original data's patterns", [
            criterion("accuracy lost on customers like the original ones", round(before - after, 4), ">", 0.02,
                      detail=f"original model {before:.3f}, latest retrain {after:.3f}")], key="cost:forgets-original-patterns"),
        Outcome("cost:new-algorithm-each-time", "a different algorithm for every retrain", [
            criterion("algorithms used across the retrains", len(algorithms), ">", 1, detail=", ".join(sorted(algorithms)))],
            key="cost:new-algorithm-each-time"),
        Outcome("cost:model-versions-to-track", "several model versions to track, compare and roll back", [
            criterion("model versions produced", len(versions), ">=", 2, detail=", ".join(versions))], key="cost:model-versions-to-track"),
        Outcome("cost:needs-a-person", "it cannot be automated; a person must start each job", [
            criterion("retrains a person had to start", retrains - automatic, ">=", 1,
                      detail=f"{retrains} retrains, {automatic} started by the alarm's Lambda")], key="cost:needs-a-person"),
    ]
