"""Sales forecast degradation: which chart shows when it began and how far it went?

A store's daily sales have a weekly pattern, a slow trend and noise. The forecast model learned
the weekly pattern; from the change point on (``change_weeks_ago`` weeks before "today") a
competitor draws weekend shoppers to weekdays. Weekly totals barely move, but the model's errors
jump and keep growing. A Glue-like daily job joins the forecast inputs, the actual sales and the
predictions (artifact ``glue/joined_daily.csv``); the notebook view of each answer option is then
computed from that joined table:

- A: histograms of daily *sales*, last 3 weeks vs before,
- B: histograms of model *errors*, last 3 weeks vs before,
- C: a line chart of weekly MAE (regression metrics from ``monitoring.model_quality``),
- D: scatter plots of daily sales vs error for the two periods.

Each view is judged by three computed tests: does it change if the model were perfect (is it
about the model at all), does it change if the days inside each period are shuffled (does it
have a time axis), and can the start of the degradation be read off it (within one week).
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import numpy as np
import pandas as pd

from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.checks import check_data_quality, drift_distances
from simulations.monitoring.model_quality import model_quality_statistics, regression_metrics
from simulations.params import ParameterError, ParamSpec
from simulations.registry import SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult

INFO = SimulationInfo(
    name="sales-drift",
    title="Sales forecast degradation: weekly MAE line vs histograms and scatter plots",
    summary="A forecast goes wrong three weeks ago; only the weekly MAE line chart shows when it began and that it is still growing.",
    questions=("weekly-mae-line-chart",),
    params=(
        ParamSpec("weeks", int, 16, "weeks of joined daily history up to today", min=8, max=52),
        ParamSpec("change_weeks_ago", int, 3, "weeks before today when the model started to go wrong", min=1, max=48),
        ParamSpec("growth", float, 0.15, "how much further the shopping pattern moves each week after the change (share of the full shift)", min=0.05, max=0.6),
        ParamSpec("noise", float, 0.02, "day-to-day sales noise (share of expected sales)", min=0.005, max=0.03),
        ParamSpec("k", float, 3.0, "option C: a week is degraded when its MAE is above median + k x sigma of the weeks before", min=2.5, max=4.0),
    ),
    facts=("F01", "F02", "F03", "F04", "F05"),
)

WINDOW_WEEKS = 3  # "the last three weeks" in the question
MIN_BASELINE_WEEKS = 4  # weeks needed before a change to know what normal looks like
JUMP = 0.5  # share of the full shift that happens in the first days after the change
START = date(2025, 3, 3)  # a Monday
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OLD_PATTERN = np.array([0.85, 0.80, 0.90, 1.00, 1.15, 1.45, 1.35])  # what the model learned
_NEW = np.array([1.00, 0.98, 1.05, 1.12, 1.20, 1.00, 1.15])
NEW_PATTERN = OLD_PATTERN + 0.8 * (_NEW * OLD_PATTERN.sum() / _NEW.sum() - OLD_PATTERN)  # same weekly total
PRICE, PROMO_PRICE, PROMO_LIFT, PROMO_SHARE = 19.99, 15.99, 0.2, 0.15


def _check(params: dict) -> None:
    if params["change_weeks_ago"] > params["weeks"] - MIN_BASELINE_WEEKS:
        raise ParameterError(
            f"parameter 'change_weeks_ago' must leave {MIN_BASELINE_WEEKS} normal weeks: at most weeks - "
            f"{MIN_BASELINE_WEEKS} = {params['weeks'] - MIN_BASELINE_WEEKS}, got {params['change_weeks_ago']}"
        )


def glue_join(weeks: int, change_weeks_ago: int, growth: float, noise: float, rng: np.random.Generator) -> pd.DataFrame:
    """The daily joined table the Glue job writes to S3: inputs, actual sales, prediction."""
    n = weeks * 7
    t = np.arange(n)
    dow = t % 7
    promo = rng.random(n) < PROMO_SHARE
    level = 1000.0 * (1 + 0.003 * t / 7)  # slow upward trend
    change_day = (weeks - change_weeks_ago) * 7
    shift = np.where(t >= change_day, np.minimum(1.0, JUMP + growth * (t - change_day) / 7), 0.0)
    pattern = OLD_PATTERN[dow] + shift * (NEW_PATTERN - OLD_PATTERN)[dow]
    lift = 1 + PROMO_LIFT * promo
    actual = level * pattern * lift * (1 + noise * rng.standard_normal(n))
    predicted = level * OLD_PATTERN[dow] * lift  # the model: trend x learned weekly pattern x promotion
    dates = [START + timedelta(days=int(i)) for i in t]
    return pd.DataFrame({
        "date": [d.isoformat() for d in dates],
        "week": t // 7 + 1,
        "store_id": "store_017",
        "day_of_week": [DAYS[i] for i in dow],
        "promo": promo.astype(int),
        "price": np.where(promo, PROMO_PRICE, PRICE),
        "actual_sales": np.round(actual, 1),
        "predicted_sales": np.round(predicted, 1),
    })


def weekly_metrics(df: pd.DataFrame) -> pd.DataFrame:
    """What the Studio notebook computes: regression metrics per week (engine ``regression_metrics``)."""
    rows = []
    for week, part in df.groupby("week", sort=True):
        m = regression_metrics(part["actual_sales"].to_numpy(), part["predicted_sales"].to_numpy())
        rows.append({"week": int(week), "week_start": part["date"].iloc[0], "days": len(part),
                     "mae": m["mae"], "mse": m["mse"], "rmse": m["rmse"],
                     "mean_error": float((part["actual_sales"] - part["predicted_sales"]).mean()),
                     "mean_sales": float(part["actual_sales"].mean())})
    return pd.DataFrame(rows)


def detect_change_week(daily_abs_error: np.ndarray, k: float) -> tuple[int | None, float | None]:
    """First week (1-based) from which every week's MAE is above the control limit of the weeks
    before it: median + k x sigma, where sigma is the larger of the robust spread of those weekly
    MAEs (1.4826 x median absolute deviation) and the spread a mean of 7 days has by chance
    (std of their daily absolute errors / sqrt 7). ``daily_abs_error`` has one row per week.

    Returns the week and the control limit used, or (None, None) when no such week exists.
    """
    mae = daily_abs_error.mean(axis=1)
    for w in range(MIN_BASELINE_WEEKS, len(mae)):
        before = mae[:w]
        centre = np.median(before)
        sigma = max(1.4826 * np.median(np.abs(before - centre)), daily_abs_error[:w].std(ddof=1) / np.sqrt(7))
        limit = centre + k * sigma
        if (mae[w:] > limit).all():
            return w + 1, float(limit)
    return None, None


# -- the four notebook views -------------------------------------------------------------------
def _periods(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    recent = df["week"].to_numpy() > df["week"].max() - WINDOW_WEEKS
    return ~recent, recent


def _hist(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.histogram(values, bins=edges)[0]


def view_a(df, edges):
    before, recent = _periods(df)
    s = df["actual_sales"].to_numpy()
    return np.concatenate([_hist(s[before], edges), _hist(s[recent], edges)])


def view_b(df, edges):
    before, recent = _periods(df)
    e = (df["actual_sales"] - df["predicted_sales"]).to_numpy()
    return np.concatenate([_hist(e[before], edges), _hist(e[recent], edges)])


def view_c(df, _edges=None):
    return weekly_metrics(df)["mae"].to_numpy()


def view_d(df, _edges=None):
    """A scatter plot is a set of (sales, error) points per period: sorted, order does not matter."""
    before, recent = _periods(df)
    pts = np.c_[df["actual_sales"].to_numpy(), (df["actual_sales"] - df["predicted_sales"]).to_numpy()]
    out = []
    for mask in (before, recent):
        p = pts[mask]
        out.append(p[np.lexsort((p[:, 1], p[:, 0]))])
    return np.concatenate(out).ravel()


def _shuffled_within_periods(df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The same days with their rows shuffled inside each period (dates stay, the values move)."""
    before, recent = _periods(df)
    order = np.arange(len(df))
    for mask in (before, recent):
        idx = np.flatnonzero(mask)
        order[idx] = rng.permutation(idx)
    values = df[["day_of_week", "promo", "price", "actual_sales", "predicted_sales"]].iloc[order].to_numpy()
    out = df.copy()
    out[["day_of_week", "promo", "price", "actual_sales", "predicted_sales"]] = values
    out["promo"] = out["promo"].astype(int)
    return out


def _perfect_model(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["predicted_sales"] = out["actual_sales"]
    return out


def _changed(a: np.ndarray, b: np.ndarray) -> float:
    """How much a view changes: the largest absolute difference (0.0 = identical)."""
    return float(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float)))) if len(a) else 0.0


def _slope(y: np.ndarray) -> float:
    if len(y) < 2:
        return 0.0
    return float(np.polyfit(np.arange(len(y)), y, 1)[0])


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    _check(params)
    rng = np.random.default_rng(seed)
    weeks, cwa, k = params["weeks"], params["change_weeks_ago"], params["k"]
    if progress:
        progress(0, 5, "Glue job: joining inputs, actual sales and predictions")
    df = glue_join(weeks, cwa, params["growth"], params["noise"], rng)
    true_week = weeks - cwa + 1
    error = (df["actual_sales"] - df["predicted_sales"]).to_numpy()
    sales = df["actual_sales"].to_numpy()
    before, recent = _periods(df)

    if progress:
        progress(1, 5, "Studio: weekly MAE")
    weekly = weekly_metrics(df)
    mae = weekly["mae"].to_numpy()
    detected, limit = detect_change_week(np.abs(error).reshape(weeks, 7), k)
    from_week = detected if detected is not None else true_week
    slope = _slope(mae[from_week - 1:])
    slope_last = _slope(mae[-WINDOW_WEEKS:])
    normal = mae[: (detected or true_week) - 1]

    # F03: the three error metrics for each period, from the engine
    m_before = regression_metrics(sales[before], df["predicted_sales"].to_numpy()[before])
    m_recent = regression_metrics(sales[recent], df["predicted_sales"].to_numpy()[recent])
    # F04: weekly aggregation smooths daily noise (measured on the normal weeks)
    normal_days = df["week"].to_numpy() < (detected or true_week)
    daily_abs_std = float(np.std(np.abs(error[normal_days]), ddof=1))
    weekly_mae_std = float(np.std(normal, ddof=1))

    if progress:
        progress(2, 5, "the four notebook views")
    sales_edges = np.histogram_bin_edges(sales, bins=12)
    error_edges = np.histogram_bin_edges(error, bins=12)
    shuffled = _shuffled_within_periods(df, np.random.default_rng([seed, 1]))
    perfect = _perfect_model(df)
    views = {"A": (view_a, sales_edges), "B": (view_b, error_edges), "C": (view_c, None), "D": (view_d, None)}
    tests = {}
    for letter, (view, edges) in views.items():
        actual_view = view(df, edges)
        tests[letter] = {
            "change_if_model_were_perfect": _changed(actual_view, view(perfect, edges)),
            "change_if_days_shuffled_within_periods": _changed(actual_view, view(shuffled, edges)),
        }

    # numbers each view shows
    sales_baseline = suggest_baseline(df.loc[before, ["actual_sales"]])  # Robust comparison, threshold 0.1
    current_sales = df.loc[recent, ["actual_sales"]]
    sales_linf = drift_distances(current_sales, sales_baseline.with_monitoring_config(comparison_method="Simple"))["actual_sales"]
    sales_robust = drift_distances(current_sales, sales_baseline)["actual_sales"]
    sales_drift_flagged = any(v["constraint_check_type"] == "baseline_drift_check"
                              for v in check_data_quality(current_sales, sales_baseline)["violations"])
    sales_mean_change = float(sales[recent].mean() / sales[before].mean() - 1)
    spread_ratio = float(np.std(error[recent], ddof=1) / np.std(error[before], ddof=1))
    mae_ratio = m_recent["mae"] / m_before["mae"]
    shuffled_mae = view_c(shuffled)
    slope_last_shuffled = _slope(shuffled_mae[-WINDOW_WEEKS:])
    corr_before = float(np.corrcoef(sales[before], error[before])[0, 1])
    corr_recent = float(np.corrcoef(sales[recent], error[recent])[0, 1])

    def verdict(letter: str, onset_week: int | None) -> tuple[bool, dict]:
        t = tests[letter]
        about_model = t["change_if_model_were_perfect"] > 0
        has_time_axis = t["change_if_days_shuffled_within_periods"] > 0
        located = onset_week is not None and abs(onset_week - true_week) <= 1
        checks = {"view_changes_if_model_were_perfect": round(t["change_if_model_were_perfect"], 4),
                  "view_changes_if_days_shuffled": round(t["change_if_days_shuffled_within_periods"], 4),
                  "shows_model_accuracy": about_model, "has_time_axis": has_time_axis,
                  "onset_week_read_from_view": onset_week, "true_change_week": true_week}
        return bool(about_model and has_time_axis and located), checks

    works_a, ev_a = verdict("A", None)
    works_b, ev_b = verdict("B", None)
    works_c, ev_c = verdict("C", detected)
    works_d, ev_d = verdict("D", None)
    ev_a |= {"sales_linf_distance": round(sales_linf, 4), "sales_robust_distance": round(sales_robust, 4),
             "sales_drift_violation": sales_drift_flagged, "sales_mean_change_pct": round(100 * sales_mean_change, 2)}
    ev_b |= {"error_spread_ratio": round(spread_ratio, 2), "mae_ratio_recent_vs_before": round(mae_ratio, 2),
             "mae_slope_last_3_weeks": round(slope_last, 2), "same_histograms_slope_if_shuffled": round(slope_last_shuffled, 2)}
    ev_c |= {"detected_change_week": detected, "control_limit": None if limit is None else round(limit, 2),
             "mae_slope_per_week": round(slope, 2), "normal_weekly_mae": round(float(normal.mean()), 2),
             "last_week_mae": round(float(mae[-1]), 2), "still_growing": slope_last > 0}
    ev_d |= {"corr_sales_error_before": round(corr_before, 3), "corr_sales_error_recent": round(corr_recent, 3)}

    growing = "and is still growing" if slope_last > 0 else "and has levelled off"
    outcomes = [
        Outcome(
            "A", "Histograms of daily sales: last 3 weeks vs before",
            ("The sales histograms show demand only" if not sales_drift_flagged else "The sales histograms differ (demand moved)")
            + f": mean sales differ by {100 * sales_mean_change:+.1f}%, the L-infinity distance between them is {sales_linf:.2f} "
            "(the weekday mix moved) "
            f"and a Model Monitor drift check on sales (Robust distance {sales_robust:.2f}, threshold 0.1) "
            + ("reports no drift. " if not sales_drift_flagged else "flags drift in the input. ")
            + f"Replacing the model by a perfect one changes these histograms by "
            f"{ev_a['view_changes_if_model_were_perfect']:g}: they say nothing about the forecast.",
            works_a,
            "Sales histograms describe demand, not the model; they cannot show its errors, let alone when they started.",
            ev_a,
        ),
        Outcome(
            "B", "Histograms of model errors: last 3 weeks vs before",
            f"Errors are wider recently (spread x{spread_ratio:.1f}, MAE x{mae_ratio:.1f}), but shuffling the days inside "
            f"each period changes the histograms by {ev_b['view_changes_if_days_shuffled']:g}: the real data (weekly MAE "
            f"slope {slope_last:+.1f}/week in the last 3 weeks) and the shuffled data (slope {slope_last_shuffled:+.1f}) "
            f"give the same picture, so it cannot tell when it began or whether it is still growing.",
            works_b,
            "A histogram shows the shape of the errors inside a period but has no time axis: when it started and the trend are lost.",
            ev_b,
        ),
        Outcome(
            "C", "Line chart of weekly MAE",
            (f"Weekly MAE is about {normal.mean():.0f} in normal weeks; from week {detected} every week is above the "
             f"control limit {limit:.0f} (true change: week {true_week}). It rises {slope:+.1f} per week since then "
             f"{growing}: last week {mae[-1]:.0f}."
             if detected is not None else
             f"No week stays above the control limit (true change: week {true_week}); the line stays near {mae.mean():.0f}."),
            works_c,
            "A line over time shows both when the degradation began and how far it has gone; weekly averaging removes the day-to-day noise.",
            ev_c,
        ),
        Outcome(
            "D", "Scatter plots of daily sales vs model error for the two periods",
            f"Error vs sales correlation is {corr_before:+.2f} before and {corr_recent:+.2f} in the last 3 weeks: "
            f"the plots show how error relates to volume, and shuffling the days changes them by "
            f"{ev_d['view_changes_if_days_shuffled']:g}, so there is no time in them.",
            works_d,
            "A scatter of sales vs error answers 'is the error larger on busy days?', not 'how did the error change over time?'.",
            ev_d,
        ),
    ]

    if progress:
        progress(3, 5, "charts and artifacts")
    dates = df["date"].tolist()
    week_labels = [f"W{w:02d}" for w in weekly["week"]]
    centers_s = np.round((sales_edges[:-1] + sales_edges[1:]) / 2, 1).tolist()
    centers_e = np.round((error_edges[:-1] + error_edges[1:]) / 2, 1).tolist()

    def shares(values, edges):
        return np.round(_hist(values, edges) / len(values), 4).tolist()

    series = [
        Series("actual sales", dates, df["actual_sales"].tolist(), "line", "date", "sales", "Daily sales and forecast"),
        Series("forecast", dates, df["predicted_sales"].tolist(), "line", "date", "sales", "Daily sales and forecast"),
        Series("weekly MAE", week_labels, np.round(mae, 2).tolist(), "line", "week", "MAE", "Option C: weekly MAE"),
    ]
    if limit is not None:
        series.append(Series("control limit", week_labels, [round(limit, 2)] * len(week_labels), "line", "week", "MAE", "Option C: weekly MAE"))
    series += [
        Series("daily absolute error", dates, np.round(np.abs(error), 1).tolist(), "line", "date", "absolute error",
               "Daily absolute error (noisy: compare with the weekly MAE)"),
        Series("sales, before", centers_s, shares(sales[before], sales_edges), "histogram", "daily sales", "share of days", "Option A: daily sales histograms"),
        Series("sales, last 3 weeks", centers_s, shares(sales[recent], sales_edges), "histogram", "daily sales", "share of days", "Option A: daily sales histograms"),
        Series("errors, before", centers_e, shares(error[before], error_edges), "histogram", "error (actual - forecast)", "share of days", "Option B: error histograms"),
        Series("errors, last 3 weeks", centers_e, shares(error[recent], error_edges), "histogram", "error (actual - forecast)", "share of days", "Option B: error histograms"),
        Series("before", np.round(sales[before], 1).tolist(), np.round(error[before], 1).tolist(), "scatter", "daily sales", "error", "Option D: sales vs error"),
        Series("last 3 weeks", np.round(sales[recent], 1).tolist(), np.round(error[recent], 1).tolist(), "scatter", "daily sales", "error", "Option D: sales vs error"),
    ]

    timeline = [Event(dates[0], "info", f"week 1: history starts ({weeks} weeks of joined daily data)")]
    change_date = dates[(true_week - 1) * 7]
    timeline.append(Event(change_date, "drift", f"week {true_week}: a competitor opens; weekend shoppers start moving to weekdays"))
    if detected is not None:
        timeline.append(Event(dates[(detected - 1) * 7], "detection",
                              f"week {detected}: weekly MAE {mae[detected - 1]:.0f} above the control limit {limit:.0f} and stays there"))
    recent_start = dates[int(np.flatnonzero(recent)[0])]
    timeline.append(Event(recent_start, "info", "the 'last 3 weeks' of options A, B and D begin"))
    timeline.append(Event(dates[-1], "info", f"today: weekly MAE {mae[-1]:.0f} vs {normal.mean():.0f} in normal weeks"))
    timeline.sort(key=lambda ev: ev.time)

    joined = df.copy()
    joined["error"] = np.round(error, 1)
    buf = io.StringIO()
    joined.to_csv(buf, index=False)
    weekly_out = weekly.round(3)
    wbuf = io.StringIO()
    weekly_out.to_csv(wbuf, index=False)
    stats_before = model_quality_statistics("Regression", sales[before], df["predicted_sales"].to_numpy()[before], seed=seed)
    stats_recent = model_quality_statistics("Regression", sales[recent], df["predicted_sales"].to_numpy()[recent], seed=seed)
    artifacts = [
        Artifact("glue/joined_daily.csv", buf.getvalue(), "the Glue job's daily join: forecast inputs, actual sales, prediction (+ error)"),
        Artifact("studio/weekly_metrics.csv", wbuf.getvalue(), "the notebook's weekly MAE/MSE/RMSE table behind the line chart"),
        Artifact("studio/model_quality_before.json", json.dumps(stats_before, indent=2), "regression metrics before the last 3 weeks"),
        Artifact("studio/model_quality_last_3_weeks.json", json.dumps(stats_recent, indent=2), "regression metrics for the last 3 weeks"),
    ]

    metrics_table = pd.DataFrame({
        "period": ["before", "last 3 weeks"],
        "days": [int(before.sum()), int(recent.sum())],
        "mae": [round(m_before["mae"], 2), round(m_recent["mae"], 2)],
        "mse": [round(m_before["mse"], 1), round(m_recent["mse"], 1)],
        "rmse": [round(m_before["rmse"], 2), round(m_recent["rmse"], 2)],
    })
    views_table = pd.DataFrame({
        "option": list("ABCD"),
        "shows_model_accuracy": [ev_a["shows_model_accuracy"], ev_b["shows_model_accuracy"], ev_c["shows_model_accuracy"], ev_d["shows_model_accuracy"]],
        "has_time_axis": [ev_a["has_time_axis"], ev_b["has_time_axis"], ev_c["has_time_axis"], ev_d["has_time_axis"]],
        "onset_week_read_from_view": [None, None, detected, None],
        "works": [works_a, works_b, works_c, works_d],
    })

    key_numbers = {
        "true_change_week": true_week,
        "detected_change_week": detected,
        "mae_slope_per_week": round(slope, 2),
        "normal_weekly_mae": round(float(normal.mean()), 2),
        "last_week_mae": round(float(mae[-1]), 2),
        "mae_before": round(m_before["mae"], 2),
        "mae_last_3_weeks": round(m_recent["mae"], 2),
        "mse_before": round(m_before["mse"], 1),
        "mse_last_3_weeks": round(m_recent["mse"], 1),
        "rmse_before": round(m_before["rmse"], 2),
        "rmse_last_3_weeks": round(m_recent["rmse"], 2),
        "daily_abs_error_std": round(daily_abs_std, 2),
        "weekly_mae_std": round(weekly_mae_std, 2),
        "smoothing_factor": round(daily_abs_std / weekly_mae_std, 2) if weekly_mae_std else None,
        "sales_linf_distance": round(sales_linf, 4),
        "error_spread_ratio": round(spread_ratio, 2),
    }
    narrative = (
        f"A store's forecast was fine for {true_week - 1} weeks; in week {true_week} a competitor starts pulling weekend "
        f"shoppers to weekdays, so the model, which learned the old weekly pattern, goes wrong. "
        f"The weekly MAE line stays near {normal.mean():.0f} and then "
        + (f"crosses its control limit from week {detected} on, rising {slope:+.1f} per week to {mae[-1]:.0f} today. "
           if detected is not None else "never clearly leaves its normal band. ")
        + f"Daily absolute errors are {daily_abs_std / weekly_mae_std:.1f}x as jumpy as weekly MAE, which is why the weekly line shows the trend. "
        f"Sales histograms barely change (mean {100 * sales_mean_change:+.1f}%), error histograms are {spread_ratio:.1f}x wider "
        f"but timeless, and the sales-vs-error scatter shows volume effects, not time. "
        f"MAE {m_recent['mae']:.0f}, RMSE {m_recent['rmse']:.0f} (MSE {m_recent['mse']:.0f}, in squared units) in the last 3 weeks "
        f"vs MAE {m_before['mae']:.0f}, RMSE {m_before['rmse']:.0f} before."
    )
    if progress:
        progress(5, 5, "done")
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative, series=series,
        tables={"weekly": weekly_out, "metrics_by_period": metrics_table, "views": views_table},
        timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers,
        question_id=INFO.question_ids[0],
    )
