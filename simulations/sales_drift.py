"""Sales forecast degradation: which chart shows when it began and how far it went?

A store's daily sales have a weekly pattern, a slow trend and noise. The forecast model learned
the weekly pattern; from the change point on (``change_weeks_ago`` weeks before "today") a
competitor draws weekend shoppers to weekdays: a ``jump`` share of the full shift at once, then
``growth`` more each week. Weekly totals barely move, but the model's errors grow. With jump and
growth both 0 nothing changes (the control world). A Glue-like daily job joins the forecast
inputs, the actual sales and the predictions (artifact ``glue/joined_daily.csv``); the notebook
view of each answer option is then computed from that joined table:

- A: histograms of daily *sales*, last 3 weeks vs before,
- B: histograms of model *errors*, last 3 weeks vs before,
- C: a line chart of weekly MAE (regression metrics from ``monitoring.model_quality``),
- D: scatter plots of daily sales vs error for the two periods.

Every view is judged by the same three measured tests: does it change if the forecast were
perfect (is it about the model at all); how many weeks does it keep apart (swap two adjacent
weeks' days: does the view change?); and can an onset week be read from it that agrees with the
world (within one week of the true change, or none when nothing changed).
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
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

KEYS = {"A": "sales-histograms", "B": "error-histograms", "C": "weekly-mae-line", "D": "sales-vs-error-scatter"}

INFO = SimulationInfo(
    name="sales-drift",
    title="Sales forecast degradation: weekly MAE line vs histograms and scatter plots",
    summary="A forecast goes wrong three weeks ago; each chart is asked for the week it began, and only the weekly MAE line can answer.",
    questions=(
        QuestionLink("weekly-mae-line-chart", dict(KEYS)),
        QuestionLink("error-histogram-limits", {"A": "claim-histogram-pinpoints-onset-week", "B": "claim-histogram-shows-error-vs-sales",
                                                "C": "claim-wider-errors-mean-input-drift", "D": "claim-histogram-shows-shape-not-timing"}),
    ),
    params=(
        ParamSpec("weeks", int, 16, "weeks of joined daily history up to today", min=8, max=52),
        ParamSpec("change_weeks_ago", int, 3, "weeks before today when the shopping pattern starts to move", min=1, max=48),
        ParamSpec("jump", float, 0.5, "share of the full shift in the shopping pattern that happens at once at the change (0: no jump)", min=0.0, max=1.0),
        ParamSpec("growth", float, 0.15, "how much further the shopping pattern moves each week after the change (share of the full shift; 0: it stays)", min=0.0, max=0.6),
        ParamSpec("noise", float, 0.02, "day-to-day sales noise (share of expected sales)", min=0.005, max=0.03),
        ParamSpec("k", float, 3.0, "option C: a week is degraded when its MAE is above median + k x sigma of the weeks before", min=2.5, max=4.0),
    ),
    facts=("F01", "F02", "F03", "F04", "F05"),
    presets=(
        Preset("no-change", {"jump": 0.0, "growth": 0.0}, "the shopping pattern never moves: the forecast stays as good as it was",
               control=True, premise="no change: the model never degrades"),
        Preset("gradual", {"jump": 0.0, "growth": 0.3}, "no sudden jump: the pattern drifts 30% of the shift a week"),
        Preset("slow-creep", {"jump": 0.0, "growth": 0.1}, "a slow creep of 10% a week: even the weekly line shows it only once it outgrows the noise"),
        Preset("one-off-step", {"jump": 0.6, "growth": 0.0}, "a one-off step that then stays: the error rises once and levels off"),
        Preset("eight-weeks-ago", {"change_weeks_ago": 8}, "the change began 8 weeks ago, long before the 'last three weeks'"),
    ),
)

WINDOW_WEEKS = 3  # "the last three weeks" in the question
MIN_BASELINE_WEEKS = 4  # weeks needed before a change to know what normal looks like
ONSET_TOLERANCE = 1  # an onset reading is right when within this many weeks of the true change
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


def glue_join(weeks: int, change_weeks_ago: int, jump: float, growth: float, noise: float,
              rng: np.random.Generator) -> pd.DataFrame:
    """The daily joined table the Glue job writes to S3: inputs, actual sales, prediction."""
    n = weeks * 7
    t = np.arange(n)
    dow = t % 7
    promo = rng.random(n) < PROMO_SHARE
    level = 1000.0 * (1 + 0.003 * t / 7)  # slow upward trend
    change_day = (weeks - change_weeks_ago) * 7
    shift = np.where(t >= change_day, np.minimum(1.0, jump + growth * (t - change_day) / 7), 0.0)
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
        limit = _control_limit(daily_abs_error[:w], k)
        if (mae[w:] > limit).all():
            return w + 1, float(limit)
    return None, None


def _control_limit(daily_abs_error: np.ndarray, k: float) -> float:
    before = daily_abs_error.mean(axis=1)
    centre = np.median(before)
    sigma = max(1.4826 * np.median(np.abs(before - centre)), daily_abs_error.std(ddof=1) / np.sqrt(7))
    return float(centre + k * sigma)


# -- the four notebook views, as the numbers each one draws ----------------------------------------
# A view takes the daily sales and forecast (one row per day, in date order) and returns the
# numbers it plots. ``recent`` marks the last three weeks; ``edges`` are the histogram bins.
def view_a(sales, pred, recent, edges):
    """Two histograms of daily sales."""
    return np.concatenate([np.histogram(sales[~recent], edges[0])[0], np.histogram(sales[recent], edges[0])[0]])


def view_b(sales, pred, recent, edges):
    """Two histograms of daily errors."""
    e = sales - pred
    return np.concatenate([np.histogram(e[~recent], edges[1])[0], np.histogram(e[recent], edges[1])[0]])


def view_c(sales, pred, recent=None, edges=None):
    """One weekly MAE per week, in week order."""
    return np.abs(sales - pred).reshape(-1, 7).mean(axis=1)


def view_d(sales, pred, recent, edges):
    """A scatter plot is a set of (sales, error) points per period: sorted, order does not matter."""
    pts = np.c_[sales, sales - pred]
    out = []
    for mask in (~recent, recent):
        p = pts[mask]
        out.append(p[np.lexsort((p[:, 1], p[:, 0]))])
    return np.concatenate(out).ravel()


VIEWS = {"A": view_a, "B": view_b, "C": view_c, "D": view_d}


def _changed(a: np.ndarray, b: np.ndarray) -> float:
    """How much a view changes: the largest absolute difference (0.0 = identical)."""
    return float(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float)))) if len(a) else 0.0


def weeks_kept_apart(view, sales, pred, recent, edges) -> int:
    """How many time positions a view keeps: 1 + the week boundaries at which swapping the days of
    the two neighbouring weeks (the values move, the dates stay) changes what the view draws."""
    shown = view(sales, pred, recent, edges)
    weeks = len(sales) // 7
    order = np.arange(len(sales))
    boundaries = 0
    for w in range(weeks - 1):
        swapped = order.copy()
        swapped[w * 7:(w + 2) * 7] = np.r_[order[(w + 1) * 7:(w + 2) * 7], order[w * 7:(w + 1) * 7]]
        boundaries += _changed(shown, view(sales[swapped], pred[swapped], recent, edges)) > 0
    return 1 + boundaries


def read_onset(view, sales, pred, recent, edges, k: float) -> tuple[int | None, float | None, int]:
    """The onset week a reader can take from a view: the control-limit rule needs one error value per
    week, so a view that keeps every week apart is read week by week; any other cannot be read.
    Returns (onset week or None, control limit or None, weeks the view keeps apart)."""
    kept = weeks_kept_apart(view, sales, pred, recent, edges)
    if kept < len(sales) // 7:
        return None, None, kept
    weekly = np.abs(sales - pred).reshape(-1, 7)
    week, limit = detect_change_week(weekly, k)
    return week, limit, kept


def _slope(y: np.ndarray) -> float:
    if len(y) < 2:
        return 0.0
    return float(np.polyfit(np.arange(len(y)), y, 1)[0])


def _slope_noise(sigma: float, n: int) -> float:
    """Standard error of a least-squares slope over n equally spaced points with noise sigma."""
    x = np.arange(n)
    return float(sigma / np.sqrt(((x - x.mean()) ** 2).sum())) if n > 1 else float("inf")


def _trend_words(slope: float, noise: float) -> str:
    """What the last three weeks of the MAE line do, said only as strongly as the numbers allow."""
    band = 2 * noise
    if slope > band:
        return f"still rising over the last {WINDOW_WEEKS} weeks ({slope:+.1f} per week, noise band +-{band:.1f})"
    if slope < -band:
        return f"falling over the last {WINDOW_WEEKS} weeks ({slope:+.1f} per week, noise band +-{band:.1f})"
    return f"flat over the last {WINDOW_WEEKS} weeks ({slope:+.1f} per week, within the noise band +-{band:.1f})"


def _width_words(ratio: float, n_recent: int, n_before: int) -> str:
    """'wider than' / 'narrower than' only when the ratio of two standard deviations is beyond twice its
    sampling noise (standard error of log(s1/s2) ~ sqrt(1/(2(n1-1)) + 1/(2(n2-1)))), else 'about as wide as'."""
    noise = np.sqrt(1 / (2 * (n_recent - 1)) + 1 / (2 * (n_before - 1)))
    if abs(np.log(ratio)) <= 2 * noise:
        return "about as wide as"
    return "wider than" if ratio > 1 else "narrower than"


def _onset_check(onset, limit, kept, weeks, true_week, mae, last_limit) -> object:
    name = "onset week read from the view agrees with the world"
    if kept < weeks:
        truth = f"the change began in week {true_week}" if true_week else "in this world nothing changed"
        return check(name, False, "", f"no week can be read from {kept} time positions ({truth})")
    if onset is None:
        quiet = f"no week stays above the control limit of the weeks before it (last week's MAE {mae[-1]:.0f}, limit {last_limit:.0f})"
        if true_week is None:
            return check(name, True, f"{quiet}, and nothing changed in this world", "")
        return check(name, False, "", f"{quiet}, yet the change began in week {true_week}")
    read = f"reads week {onset} (control limit {limit:.0f})"
    if true_week is None:
        return check(name, False, "", f"{read}, but nothing changed in this world: a false onset")
    apart = abs(onset - true_week)
    return check(name, apart <= ONSET_TOLERANCE, f"{read}; the change began in week {true_week}, {apart} week{'s' * (apart != 1)} apart (at most {ONSET_TOLERANCE})",
                 f"{read}; the change began in week {true_week}, {apart} weeks apart (more than {ONSET_TOLERANCE})")


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    _check(params)
    rng = np.random.default_rng(seed)
    weeks, cwa, k = params["weeks"], params["change_weeks_ago"], params["k"]
    if progress:
        progress(0, 5, "Glue job: joining inputs, actual sales and predictions")
    df = glue_join(weeks, cwa, params["jump"], params["growth"], params["noise"], rng)
    changed = params["jump"] > 0 or params["growth"] > 0
    true_week = weeks - cwa + 1 if changed else None
    sales = df["actual_sales"].to_numpy()
    pred = df["predicted_sales"].to_numpy()
    error = sales - pred
    recent = df["week"].to_numpy() > weeks - WINDOW_WEEKS
    before = ~recent

    if progress:
        progress(1, 5, "Studio: weekly MAE")
    weekly = weekly_metrics(df)
    mae = weekly["mae"].to_numpy()
    daily_abs = np.abs(error).reshape(weeks, 7)
    last_limit = _control_limit(daily_abs[:-1], k)

    if progress:
        progress(2, 5, "the four notebook views: is each about the model, which weeks does it keep apart, can an onset be read")
    edges = (np.histogram_bin_edges(sales, bins=12), np.histogram_bin_edges(error, bins=12))
    tests = {}
    for letter, view in VIEWS.items():
        onset, limit, kept = read_onset(view, sales, pred, recent, edges, k)
        tests[letter] = {"perfect": _changed(view(sales, pred, recent, edges), view(sales, sales, recent, edges)),
                         "kept": kept, "onset": onset, "limit": limit}
    detected, limit = tests["C"]["onset"], tests["C"]["limit"]
    normal_end = (detected or true_week or weeks + 1) - 1  # weeks before any onset (all weeks if none)
    normal = mae[:normal_end]
    normal_days = df["week"].to_numpy() <= normal_end

    # F03: the three error metrics for each period, from the engine
    m_before = regression_metrics(sales[before], pred[before])
    m_recent = regression_metrics(sales[recent], pred[recent])
    # F04: weekly aggregation smooths daily noise (measured on the normal weeks)
    daily_abs_std = float(np.std(np.abs(error[normal_days]), ddof=1))
    weekly_mae_std = float(np.std(normal, ddof=1))
    weekly_noise = max(weekly_mae_std, daily_abs_std / np.sqrt(7))
    slope_last = _slope(mae[-WINDOW_WEEKS:])
    trend = _trend_words(slope_last, _slope_noise(weekly_noise, WINDOW_WEEKS))

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
    corr_before = float(np.corrcoef(sales[before], error[before])[0, 1])
    corr_recent = float(np.corrcoef(sales[recent], error[recent])[0, 1])

    def judged(letter: str) -> list:
        t = tests[letter]
        perfect = round(t["perfect"], 4)
        return [
            criterion("change in the view if the forecast were perfect", perfect, ">", 0,
                      detail="it draws the model's error" if perfect > 0 else "it draws demand only, the same with any model"),
            criterion("weeks the view keeps apart", t["kept"], ">=", weeks,
                      detail=f"swapping two neighbouring weeks' days changes it at {t['kept'] - 1} of {weeks - 1} week boundaries"),
            _onset_check(t["onset"], t["limit"], t["kept"], weeks, true_week, mae, last_limit),
        ]

    def evidence(letter: str) -> dict:
        t = tests[letter]
        return {"view_changes_if_model_were_perfect": round(t["perfect"], 4), "weeks_kept_apart": t["kept"],
                "shows_model_accuracy": t["perfect"] > 0, "has_time_axis": t["kept"] == weeks,
                "onset_week_read_from_view": t["onset"], "true_change_week": true_week}

    widths = _width_words(spread_ratio, int(recent.sum()), int(before.sum()))
    noise_note = ", within sampling noise" if widths.startswith("about") else ""
    findings = {
        "A": (f"Mean daily sales differ by {100 * sales_mean_change:+.1f}% between the periods, the L-infinity distance between "
              f"the histograms is {sales_linf:.2f} and a Model Monitor drift check on sales (Robust distance {sales_robust:.2f}, "
              f"threshold 0.1) {'flags drift in the input' if sales_drift_flagged else 'reports no drift'}."),
        "B": (f"Errors in the last {WINDOW_WEEKS} weeks are {widths} before (spread x{spread_ratio:.1f}{noise_note}, MAE x{mae_ratio:.1f}); "
              "each histogram pools its period's days, whatever their order."),
        "C": (f"Weekly MAE is about {normal.mean():.0f} in the {len(normal)} weeks before any onset"
              + (f" and {mae[-1]:.0f} last week, {trend}." if len(normal) < weeks else f"; {trend}.")),
        "D": (f"Error vs sales correlation is {corr_before:+.2f} before and {corr_recent:+.2f} in the last {WINDOW_WEEKS} weeks: "
              "the plots show how the error relates to volume."),
    }
    extra = {
        "A": {"sales_linf_distance": round(sales_linf, 4), "sales_robust_distance": round(sales_robust, 4),
              "sales_drift_violation": sales_drift_flagged, "sales_mean_change_pct": round(100 * sales_mean_change, 2)},
        "B": {"error_spread_ratio": round(spread_ratio, 2), "mae_ratio_recent_vs_before": round(mae_ratio, 2)},
        "C": {"detected_change_week": detected, "control_limit": None if limit is None else round(limit, 2),
              "normal_weekly_mae": round(float(normal.mean()), 2), "last_week_mae": round(float(mae[-1]), 2),
              "mae_slope_last_3_weeks": round(slope_last, 2), "trend": trend},
        "D": {"corr_sales_error_before": round(corr_before, 3), "corr_sales_error_recent": round(corr_recent, 3)},
    }
    actions = {
        "A": "Histograms of daily sales: last 3 weeks vs before",
        "B": "Histograms of model errors: last 3 weeks vs before",
        "C": "Line chart of weekly MAE",
        "D": "Scatter plots of daily sales vs model error for the two periods",
    }
    outcomes = [Outcome(x, actions[x], judged(x), evidence(x) | extra[x], findings[x], key=KEYS[x]) for x in "ABCD"]
    outcomes += histogram_claims(df, sales, pred, recent, edges, tests, weeks, true_week, mae, last_limit, corr_recent, seed)

    if progress:
        progress(3, 5, "charts and artifacts")
    dates = df["date"].tolist()
    week_labels = [f"W{w:02d}" for w in weekly["week"]]
    centers_s = np.round((edges[0][:-1] + edges[0][1:]) / 2, 1).tolist()
    centers_e = np.round((edges[1][:-1] + edges[1][1:]) / 2, 1).tolist()

    def shares(values, bins):
        return np.round(np.histogram(values, bins)[0] / len(values), 4).tolist()

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
        Series("sales, before", centers_s, shares(sales[before], edges[0]), "histogram", "daily sales", "share of days", "Option A: daily sales histograms"),
        Series("sales, last 3 weeks", centers_s, shares(sales[recent], edges[0]), "histogram", "daily sales", "share of days", "Option A: daily sales histograms"),
        Series("errors, before", centers_e, shares(error[before], edges[1]), "histogram", "error (actual - forecast)", "share of days", "Option B: error histograms"),
        Series("errors, last 3 weeks", centers_e, shares(error[recent], edges[1]), "histogram", "error (actual - forecast)", "share of days", "Option B: error histograms"),
        Series("before", np.round(sales[before], 1).tolist(), np.round(error[before], 1).tolist(), "scatter", "daily sales", "error", "Option D: sales vs error"),
        Series("last 3 weeks", np.round(sales[recent], 1).tolist(), np.round(error[recent], 1).tolist(), "scatter", "daily sales", "error", "Option D: sales vs error"),
    ]

    timeline = [Event(dates[0], "info", f"week 1: history starts ({weeks} weeks of joined daily data)")]
    if true_week is not None:
        timeline.append(Event(dates[(true_week - 1) * 7], "drift", f"week {true_week}: a competitor opens; weekend shoppers start moving to weekdays"))
    if detected is not None:
        timeline.append(Event(dates[(detected - 1) * 7], "detection",
                              f"week {detected}: weekly MAE {mae[detected - 1]:.0f} above the control limit {limit:.0f} and stays there"))
    recent_start = dates[int(np.flatnonzero(recent)[0])]
    timeline.append(Event(recent_start, "info", "the 'last 3 weeks' of options A, B and D begin"))
    timeline.append(Event(dates[-1], "info", f"today: weekly MAE {mae[-1]:.0f}; {normal.mean():.0f} on average before any onset"))
    timeline.sort(key=lambda ev: ev.time)

    joined = df.copy()
    joined["error"] = np.round(error, 1)
    buf = io.StringIO()
    joined.to_csv(buf, index=False)
    weekly_out = weekly.round(3)
    wbuf = io.StringIO()
    weekly_out.to_csv(wbuf, index=False)
    stats_before = model_quality_statistics("Regression", sales[before], pred[before], seed=seed)
    stats_recent = model_quality_statistics("Regression", sales[recent], pred[recent], seed=seed)
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
        "change_if_forecast_perfect": [round(tests[x]["perfect"], 2) for x in "ABCD"],
        "weeks_kept_apart": [tests[x]["kept"] for x in "ABCD"],
        "onset_week_read": [tests[x]["onset"] for x in "ABCD"],
        "works": [o.works for o in outcomes[:4]],
    })

    key_numbers = {
        "true_change_week": true_week,
        "detected_change_week": detected,
        "mae_slope_last_3_weeks": round(slope_last, 2),
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
    narrative = story(params, true_week, detected, limit, mae, normal, trend, daily_abs_std, weekly_mae_std,
                      sales_mean_change, spread_ratio, widths, m_before, m_recent, last_limit)
    if progress:
        progress(5, 5, "done")
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative, series=series,
        tables={"weekly": weekly_out, "metrics_by_period": metrics_table, "views": views_table},
        timeline=timeline, artifacts=artifacts, outcomes=outcomes, key_numbers=key_numbers,
        question_id=INFO.question_ids[0],
    )


#: statements about the two error histograms (option B's view), judged in the same world; they serve a
#: question on what an error histogram can and cannot show (link with CLAIM_KEYS)
CLAIM_KEYS = {"pinpoints": "claim-histogram-pinpoints-onset-week", "sales": "claim-histogram-shows-error-vs-sales",
              "inputs": "claim-wider-errors-mean-input-drift", "shape": "claim-histogram-shows-shape-not-timing"}


def histogram_claims(df, sales, pred, recent, edges, tests, weeks, true_week, mae, last_limit, corr_recent, seed) -> list:
    """Each statement about the error histograms, tested on the histograms themselves."""
    t = tests["B"]
    kept = criterion("weeks the view keeps apart", t["kept"], ">=", weeks,
                     detail=f"swapping two neighbouring weeks' days changes it at {t['kept'] - 1} of {weeks - 1} week boundaries")
    onset = _onset_check(t["onset"], t["limit"], t["kept"], weeks, true_week, mae, last_limit)
    # pair each day's error with another day's sales: a view that shows error against sales must change
    swap = np.random.default_rng([seed, 2]).permutation(len(sales))
    error = sales - pred
    repaired = _changed(view_b(sales, pred, recent, edges), view_b(sales[swap], sales[swap] - error, recent, edges))
    baseline = suggest_baseline(df.loc[~recent, ["day_of_week", "promo", "price"]])
    flagged = sorted({v["feature_name"] for v in check_data_quality(df.loc[recent, ["day_of_week", "promo", "price"]], baseline)["violations"]
                      if v["constraint_check_type"] == "baseline_drift_check"})
    shape = criterion("change in the view if the forecast were perfect", round(t["perfect"], 4), ">", 0,
                      detail="it draws the model's error" if t["perfect"] > 0 else "it draws nothing about the model")
    return [
        Outcome("A", "The error histograms pinpoint the week the degradation started", [kept, onset], {"weeks_kept_apart": t["kept"]},
                key=CLAIM_KEYS["pinpoints"]),
        Outcome("B", "The error histograms show that errors grow on high-sales days",
                [criterion("change in the view if each day's error were paired with another day's sales", round(repaired, 4), ">", 0,
                           detail="0: the histogram has no sales axis")],
                {"corr_sales_error_recent": round(corr_recent, 3)},
                f"In this world the error and the sales of the last {WINDOW_WEEKS} weeks correlate at {corr_recent:+.2f} "
                "(a scatter plot shows that).", key=CLAIM_KEYS["sales"]),
        Outcome("C", "Wider error histograms show that the inputs have drifted",
                [criterion("inputs flagged by a Model Monitor drift check, last 3 weeks vs before", len(flagged), ">=", 1,
                           detail=f"day_of_week, promo, price checked; flagged: {', '.join(flagged) or 'none'}")],
                {"inputs_flagged": flagged}, key=CLAIM_KEYS["inputs"]),
        Outcome("D", "The error histograms show each period's error distribution, not when it changed",
                [shape, criterion("weeks the view keeps apart", t["kept"], "<", weeks,
                                  detail=f"{t['kept']} time positions of {weeks} weeks: the order of the days is lost")],
                {"weeks_kept_apart": t["kept"]}, key=CLAIM_KEYS["shape"]),
    ]


def story(params, true_week, detected, limit, mae, normal, trend, daily_abs_std, weekly_mae_std,
          sales_mean_change, spread_ratio, widths, m_before, m_recent, last_limit) -> str:
    """The narrative, sentence by sentence from the measured numbers."""
    if true_week is None:
        text = ("In this world the store's weekly shopping pattern never moves (no jump, no growth), so the forecast has "
                "nothing to degrade from: the premise of the question is absent. ")
    else:
        how = []
        if params["jump"] > 0:
            how.append(f"{100 * params['jump']:.0f}% of the full shift at once")
        if params["growth"] > 0:
            how.append(f"{100 * params['growth']:.0f}% more each week")
        text = (f"The forecast learned the store's old weekly pattern; from week {true_week} a competitor pulls weekend shoppers "
                f"to weekdays ({' and '.join(how)}). ")
    if detected is not None:
        text += (f"The weekly MAE line stays near {normal.mean():.0f} and crosses its control limit {limit:.0f} from week "
                 f"{detected} on, reaching {mae[-1]:.0f} last week; it is {trend}. ")
    else:
        text += (f"The weekly MAE line never stays above the control limit of the weeks before it (last week's MAE "
                 f"{mae[-1]:.0f}, limit {last_limit:.0f}); it is {trend}. ")
    if weekly_mae_std > 0:
        text += (f"Daily absolute errors are {daily_abs_std / weekly_mae_std:.1f}x as spread as weekly MAE in the weeks before any "
                 "onset, which is why the weekly line is readable. ")
    text += (f"Mean daily sales differ by {100 * sales_mean_change:+.1f}% between the last {WINDOW_WEEKS} weeks and before; "
             f"the error histogram of the last {WINDOW_WEEKS} weeks is {widths} the one before (spread x{spread_ratio:.1f}"
             f"{', within sampling noise' if widths.startswith('about') else ''}) but, like the scatter "
             "plots, it keeps only two time positions. "
             f"MAE {m_recent['mae']:.0f}, RMSE {m_recent['rmse']:.0f} (MSE {m_recent['mse']:.0f}, in squared units) in the last "
             f"{WINDOW_WEEKS} weeks vs MAE {m_before['mae']:.0f}, RMSE {m_before['rmse']:.0f} before.")
    return text
