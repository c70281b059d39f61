"""Recommendation model drift: four retraining strategies over a year of weekly traffic.

A purchase model (will this customer buy the recommended product?) is trained on last year's
data and deployed. Each week a new batch of customers arrives; the model is scored on it once the
labels are known. From ``drift_start`` the customers drift (F12):

- ``covariate`` (data drift): a young, app-first segment that was almost absent from the training
  data grows to nearly half of the traffic; it behaves differently from the rest.
- ``concept``: the customer mix stays, but loyal and bargain customers respond differently to
  discounts and visits (the input -> purchase relation changes).
- ``both``;
- ``none``: the control world, where the deployed model stays as good as it was.

In the last weeks (from ``return_week``, unless ``holiday_return`` is false) the holiday gift
buyers come back: a pattern that only the original training data holds. Four strategies, one per
answer option:

- A: every ``retrain_every`` weeks retrain on the original data only, with stronger L2.
- B: every ``retrain_every`` weeks tune the hyperparameters (L2 strength and decision threshold,
  picked by accuracy on last week's labelled traffic); the weights are still fit on the original data.
- C: every ``retrain_every`` weeks train a new model from scratch, with a different algorithm
  (naive Bayes), on the new data only (the last ``window_weeks`` weeks).
- D: monitor every week with the engine (data-quality drift check of the inputs against the
  baseline of the current training data, and a model-quality check of accuracy against the
  constraint suggested at training time); on a violation retrain the same algorithm on the
  original data plus the new data (the last ``window_weeks`` weeks, weighted so that new
  behaviour wins where the two disagree) and re-baseline.

The model is a small numpy logistic regression (Newton/IRLS) with per-segment terms.

Every strategy is judged by the same measured tests against the deployed model left alone: its
accuracy once the drift has settled must reach what the deployed model scored before the drift,
less ``accuracy_tolerance``; and when the holiday buyers return, its accuracy on them must reach
the deployed model's (which learned them), less the same tolerance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from simulations.monitoring.baseline import suggest_baseline
from simulations.monitoring.checks import data_quality_report
from simulations.monitoring.model_quality import (
    check_model_quality,
    model_quality_statistics,
    suggest_model_quality_constraints,
)
from simulations.params import ParameterError, ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, criterion

KEYS = {"A": "original-data-stronger-l2", "B": "tune-hyperparameters", "C": "new-data-only-new-algorithm",
        "D": "original-plus-new-on-detected-change"}

INFO = SimulationInfo(
    name="retraining-strategies",
    title="Model drift: which retraining strategy keeps a recommendation model accurate?",
    summary="Customer behaviour drifts and old patterns return; only retraining on original + new data when monitoring detects a change keeps accuracy up on both.",
    questions=(QuestionLink("recommendation-drift-retraining", dict(KEYS)),),
    params=(
        ParamSpec("drift", str, "both", "what changes: the inputs (covariate), the input->purchase relation (concept), both, or none",
                  choices=("covariate", "concept", "both", "none")),
        ParamSpec("weeks", int, 52, "weeks in production", min=30, max=104),
        ParamSpec("drift_start", int, 26, "week the customers start to change", min=5, max=90),
        ParamSpec("holiday_return", bool, True, "holiday gift buyers, a pattern only the original data holds, come back (false: they never do)"),
        ParamSpec("return_week", int, 46, "week the holiday gift buyers (an old pattern) come back", min=10, max=100),
        ParamSpec("customers_per_week", int, 800, "labelled customers per week", min=200, max=5000),
        ParamSpec("retrain_every", int, 4, "A, B and C: retrain on this fixed schedule (weeks)", min=1, max=13),
        ParamSpec("window_weeks", int, 8, "C and D: how many recent weeks count as 'the new data'", min=2, max=26),
        ParamSpec("drift_threshold", float, 0.1, "D: Model Monitor distribution-distance threshold for the input drift check", min=0.02, max=0.5),
        ParamSpec("accuracy_tolerance", float, 0.05, "D: model-quality alarm when accuracy falls this far below the baseline", min=0.01, max=0.1),
    ),
    facts=("F11", "F12", "F13", "F14", "F15"),
    presets=(
        Preset("no-drift", {"drift": "none"}, "the customers keep behaving like last year's",
               control=True, premise="no drift: the deployed model stays as accurate as it was"),
        Preset("no-holiday-return", {"holiday_return": False}, "the customers drift, but no old pattern comes back",
               control=True, premise="no returning pattern: nothing the original data alone knows is needed again"),
        Preset("covariate-only", {"drift": "covariate"}, "only the inputs move (a new young segment), the input->purchase relation stays"),
        Preset("concept-only", {"drift": "concept"}, "the customer mix stays, their response to discounts and visits changes"),
    ),
)

SEGMENTS = ("loyal", "bargain", "young", "holiday")
FEATURES = ["age", "sessions", "discount_pct", "segment"]  # Spark-compatible column names
ORIGINAL_ROWS = 5000
ORIGINAL_MIX = np.array([0.52, 0.43, 0.0, 0.05])  # last year's training data (holiday season included)
BASE_MIX = np.array([0.55, 0.44, 0.01, 0.0])  # production, before any drift; no holiday buyers yet
YOUNG_SHARE = 0.45  # covariate drift: the young segment's share after the drift
HOLIDAY_SHARE = 0.25  # holiday buyers' share once they return
RAMP_WEEKS = 4  # drift takes this long to complete
BASE_L2, STRONG_L2 = 1.0, 50.0
TUNING_GRID_L2 = (0.1, 1.0, 10.0, 100.0)
TUNING_GRID_THRESHOLD = (0.3, 0.4, 0.5, 0.6, 0.7)
NEW_DATA_WEIGHT = 5.0  # D: a new row counts this much against an original row

# purchase logit = b0 + b_age * a + b_sessions * s + b_discount * d (standardised inputs)
OLD_CONCEPT = np.array([
    [0.4, -0.6, 2.2, 0.8],   # loyal: visit often, buy
    [-0.6, 0.0, 0.4, 2.8],   # bargain: buy on big discounts
    [2.9, 0.0, -2.4, -2.0],  # young: browse a lot in the app without buying; discount-heavy offers put them off
    [-2.2, 1.2, -1.4, 0.6],  # holiday: older gift buyers who visit rarely but buy
])  # fmt: skip
NEW_CONCEPT = OLD_CONCEPT.copy()
NEW_CONCEPT[0] = [-0.4, 0.0, -0.4, 2.8]  # loyal customers turn price-sensitive
NEW_CONCEPT[1] = [0.6, 0.0, 2.4, -0.6]  # bargain hunters now buy when they browse a lot, not for discounts


# -- the world ---------------------------------------------------------------------------------
def _mix(week: int, p: dict) -> np.ndarray:
    mix = BASE_MIX.copy()
    ramp = np.clip((week - p["drift_start"] + 1) / RAMP_WEEKS, 0.0, 1.0)
    if p["drift"] in ("covariate", "both") and ramp > 0:
        young = BASE_MIX[2] + ramp * (YOUNG_SHARE - BASE_MIX[2])
        mix[:2] *= (1 - young) / mix[:2].sum()
        mix[2] = young
    if p["holiday_return"] and week >= p["return_week"]:
        mix[:3] *= 1 - HOLIDAY_SHARE
        mix[3] = HOLIDAY_SHARE
    return mix / mix.sum()


def _customers(rng: np.random.Generator, n: int, mix: np.ndarray, new_concept_share: float) -> pd.DataFrame:
    seg = rng.choice(len(SEGMENTS), size=n, p=mix)
    age = np.select([seg == 0, seg == 1, seg == 2], [rng.normal(46, 10, n), rng.normal(38, 10, n), rng.normal(24, 4, n)],
                    rng.normal(55, 9, n)).clip(18, 90).round()
    sessions = np.select([seg == 0, seg == 1, seg == 2], [rng.gamma(5, 1.0, n), rng.gamma(3, 1.0, n), rng.gamma(8, 1.0, n)],
                         rng.gamma(1.5, 1.0, n)).round(1)
    discount = rng.integers(0, 51, n).astype(float)
    a, s, d = _standardise(age, sessions, discount)
    concept = np.where((rng.random(n) < new_concept_share)[:, None], NEW_CONCEPT[seg], OLD_CONCEPT[seg])
    logit = concept[:, 0] + concept[:, 1] * a + concept[:, 2] * s + concept[:, 3] * d
    purchased = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"age": age, "sessions": sessions, "discount_pct": discount,
                         "segment": np.array(SEGMENTS)[seg], "purchased": purchased})


def _standardise(age, sessions, discount):
    return (age - 40) / 12, (sessions - 5) / 2.5, (discount - 25) / 14


def make_world(p: dict, rng: np.random.Generator) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    original = _customers(rng, ORIGINAL_ROWS, ORIGINAL_MIX, 0.0)
    weeks = []
    for w in range(1, p["weeks"] + 1):
        concept_share = 0.0
        if p["drift"] in ("concept", "both"):
            concept_share = float(np.clip((w - p["drift_start"] + 1) / RAMP_WEEKS, 0.0, 1.0))
        weeks.append(_customers(rng, p["customers_per_week"], _mix(w, p), concept_share))
    return original, weeks


# -- the models --------------------------------------------------------------------------------
def design(df: pd.DataFrame) -> np.ndarray:
    """[1, a, s, d] shared, plus the same four per segment (so each segment can have its own slopes)."""
    a, s, d = _standardise(df["age"].to_numpy(float), df["sessions"].to_numpy(float), df["discount_pct"].to_numpy(float))
    base = np.c_[np.ones(len(df)), a, s, d]
    seg = df["segment"].to_numpy()
    parts = [base] + [base * (seg == name)[:, None] for name in SEGMENTS]
    return np.hstack(parts)


@dataclass
class Batch:
    """A set of labelled customers with its arrays computed once (design matrix, inputs, labels)."""

    df: pd.DataFrame
    x: np.ndarray  # logistic design matrix
    num: np.ndarray  # age, sessions, discount_pct
    seg: np.ndarray  # segment index
    y: np.ndarray

    @classmethod
    def of(cls, df: pd.DataFrame) -> Batch:
        df = df.reset_index(drop=True)
        return cls(df, design(df), df[["age", "sessions", "discount_pct"]].to_numpy(float),
                   pd.Categorical(df["segment"], categories=SEGMENTS).codes.astype(int), df["purchased"].to_numpy())

    @classmethod
    def concat(cls, parts: list[Batch]) -> Batch:
        return cls(pd.concat([b.df for b in parts], ignore_index=True), np.vstack([b.x for b in parts]),
                   np.vstack([b.num for b in parts]), np.concatenate([b.seg for b in parts]),
                   np.concatenate([b.y for b in parts]))

    def subset(self, mask: np.ndarray) -> Batch:
        return Batch(self.df[mask].reset_index(drop=True), self.x[mask], self.num[mask], self.seg[mask], self.y[mask])

    def __len__(self) -> int:
        return len(self.y)


class Logistic:
    """L2-regularised logistic regression fit by Newton's method (IRLS)."""

    algorithm = "logistic regression"

    def __init__(self, l2: float = BASE_L2, threshold: float = 0.5):
        self.l2, self.threshold, self.beta = l2, threshold, None

    def fit(self, data: Batch, weights: np.ndarray | None = None, iterations: int = 12) -> Logistic:
        x, y = data.x, data.y.astype(float)
        w = np.ones(len(y)) if weights is None else weights
        penalty = np.full(x.shape[1], self.l2)
        penalty[0] = 0.0  # the global intercept is not shrunk
        beta = np.zeros(x.shape[1])
        for _ in range(iterations):
            p = 1 / (1 + np.exp(-(x @ beta)))
            h = x.T @ (x * (w * p * (1 - p))[:, None]) + np.diag(penalty)
            g = x.T @ (w * (y - p)) - penalty * beta
            step = np.linalg.solve(h, g)
            beta += step
            if np.max(np.abs(step)) < 1e-6:
                break
        self.beta = beta
        return self

    def proba(self, data: Batch) -> np.ndarray:
        return 1 / (1 + np.exp(-(data.x @ self.beta)))

    def predict(self, data: Batch) -> np.ndarray:
        return (self.proba(data) >= self.threshold).astype(int)


class NaiveBayes:
    """Gaussian (numeric) + categorical (segment, Laplace-smoothed) naive Bayes: option C's 'different algorithm'."""

    algorithm = "naive Bayes"

    def fit(self, data: Batch) -> NaiveBayes:
        y, num, seg = data.y, data.num, data.seg
        self.prior = np.array([np.mean(y == c) for c in (0, 1)]).clip(1e-6)
        self.mean = np.array([num[y == c].mean(axis=0) for c in (0, 1)])
        self.var = np.array([num[y == c].var(axis=0) + 1e-3 for c in (0, 1)])
        counts = np.array([np.bincount(seg[y == c], minlength=len(SEGMENTS)) for c in (0, 1)], dtype=float)
        self.seg_p = (counts + 1) / (counts.sum(axis=1, keepdims=True) + len(SEGMENTS))
        return self

    def proba(self, data: Batch) -> np.ndarray:
        ll = []
        for c in (0, 1):
            g = -0.5 * (np.log(2 * np.pi * self.var[c]) + (data.num - self.mean[c]) ** 2 / self.var[c]).sum(axis=1)
            ll.append(np.log(self.prior[c]) + g + np.log(self.seg_p[c][data.seg]))
        diff = np.clip(ll[1] - ll[0], -50, 50)
        return 1 / (1 + np.exp(-diff))

    def predict(self, data: Batch) -> np.ndarray:
        return (self.proba(data) >= 0.5).astype(int)


def _accuracy(y: np.ndarray, guess: np.ndarray) -> float:
    """Share of right guesses (the same number as the engine's accuracy, which D's monitor computes in full)."""
    return float(np.mean(y == guess))


def _check(p: dict) -> None:
    if p["drift_start"] + RAMP_WEEKS > p["weeks"] - 4:
        raise ParameterError(
            f"parameter 'drift_start' must leave time to see the drift: at most weeks - {RAMP_WEEKS + 4} "
            f"= {p['weeks'] - RAMP_WEEKS - 4}, got {p['drift_start']}"
        )
    if p["holiday_return"] and not p["drift_start"] + RAMP_WEEKS <= p["return_week"] <= p["weeks"] - 2:
        raise ParameterError(
            f"parameter 'return_week' must fall between drift_start + {RAMP_WEEKS} ({p['drift_start'] + RAMP_WEEKS}) "
            f"and weeks - 2 ({p['weeks'] - 2}), got {p['return_week']}"
        )


# -- the strategies --------------------------------------------------------------------------------
class _Strategy:
    def __init__(self, letter: str):
        self.letter, self.model = letter, None
        self.retrains, self.rows_trained, self.log = 0, 0, []

    def record(self, model, week: int, why: str, rows: int) -> None:
        self.model = model
        self.retrains += week > 0
        self.rows_trained += rows
        self.log.append((week, why, rows))


def run(params: dict, seed: int, progress=None) -> SimulationResult:
    """The year, with BLAS on one thread: the Newton steps' small matrix products gain nothing from
    threads, and OpenBLAS's spinning threads cost seconds of CPU on a shared machine."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(params, seed, progress)


def _run(params: dict, seed: int, progress=None) -> SimulationResult:
    p = dict(params)
    _check(p)
    rng = np.random.default_rng(seed)
    if progress:
        progress(0, 6, "customers and drift")
    original_df, week_dfs = make_world(p, rng)
    original = Batch.of(original_df)
    weeks = [Batch.of(df) for df in week_dfs]
    holdout = np.random.default_rng([seed, 1]).random(len(original)) < 0.2
    train_orig, valid_orig = original.subset(~holdout), original.subset(holdout)
    n_weeks, every, window = p["weeks"], p["retrain_every"], p["window_weeks"]

    deployed = Logistic().fit(train_orig)
    strategies = {x: _Strategy(x) for x in "ABCD"}
    for x in "ABCD":  # week 0: everyone starts from the deployed model (logistic regression on the original data)
        strategies[x].record(deployed, 0, "deployed: logistic regression trained on the original data", len(train_orig))
    # A and B only ever fit on the original data: the same fits every round (computed once, paid each time)
    strong = Logistic(l2=STRONG_L2).fit(train_orig)
    candidates = {l2: Logistic(l2=l2).fit(train_orig) for l2 in TUNING_GRID_L2}

    # D's monitoring: a data-quality baseline of the inputs it was trained on (re-made at every retrain)
    # and a model-quality constraint from the deployed model's validation accuracy (the agreed level)
    def data_baseline(train: Batch):
        return suggest_baseline(train.df[FEATURES]).with_threshold(p["drift_threshold"])

    valid_stats = model_quality_statistics("BinaryClassification", valid_orig.y, deployed.predict(valid_orig), seed=seed)
    d_constraints = suggest_model_quality_constraints(valid_stats, tolerance=p["accuracy_tolerance"])
    d_constraints["binary_classification_constraints"] = {
        "accuracy": d_constraints["binary_classification_constraints"]["accuracy"]}  # alarm on accuracy only
    d_base = first_baseline = data_baseline(train_orig)
    # R: the deployed model left alone, the yardstick every strategy is measured against
    accuracy = {x: np.zeros(n_weeks) for x in "ABCDR"}
    holiday_acc = {x: [0, 0] for x in "ABCDR"}  # customers, correct
    monitor_rows, d_events, violations_seen = [], [], []
    drift_detected_week = None

    for w in range(1, n_weeks + 1):
        batch = weeks[w - 1]
        y = batch.y
        holiday = batch.seg == SEGMENTS.index("holiday")
        guesses = {}
        for x in "ABCDR":
            guesses[x] = (deployed if x == "R" else strategies[x].model).predict(batch)
            accuracy[x][w - 1] = _accuracy(y, guesses[x])
            if p["holiday_return"] and w >= p["return_week"]:
                holiday_acc[x][0] += int(holiday.sum())
                holiday_acc[x][1] += int(np.sum(guesses[x][holiday] == y[holiday]))

        # D: this week's monitoring run (inputs, then accuracy once the labels are in)
        report = data_quality_report(batch.df[FEATURES], d_base)
        drift_v = [v for v in report.violations["violations"] if v["constraint_check_type"] == "baseline_drift_check"]
        stats = model_quality_statistics("BinaryClassification", y, guesses["D"], seed=seed)
        quality_v = check_model_quality(stats, d_constraints)["violations"]
        monitor_rows.append({"week": w, **{f"distance_{k}": round(v, 4) for k, v in report.distances.items()},
                             "accuracy": round(stats["binary_classification_metrics"]["accuracy"]["value"], 4),
                             "accuracy_threshold": round(d_constraints["binary_classification_constraints"]["accuracy"]["threshold"], 4),
                             "data_drift": bool(drift_v), "quality_violation": bool(quality_v)})
        if drift_v or quality_v:
            if drift_detected_week is None and w >= p["drift_start"]:
                drift_detected_week = w
            violations_seen.append({"week": w, "violations": drift_v + quality_v})
            new_train = Batch.concat(weeks[max(0, w - window):w])
            combined = Batch.concat([train_orig, new_train])
            weights = np.r_[np.ones(len(train_orig)), np.full(len(new_train), NEW_DATA_WEIGHT)]
            why = ", ".join(sorted({v.get("feature_name", v.get("metric_name", "?")) for v in drift_v + quality_v}))
            model = Logistic().fit(combined, weights)
            strategies["D"].record(model, w, f"violation ({why}): original + last {min(window, w)} weeks", len(combined))
            d_base = data_baseline(new_train)  # re-baseline on the new data it now reflects
            d_events.append((w, why))

        # A, B, C: fixed calendar
        if w % every == 0 and w < n_weeks:
            strategies["A"].record(strong, w, f"schedule: original data only, L2 = {STRONG_L2:g}", len(train_orig))
            best = None
            for l2, cand in candidates.items():  # B: candidates fit on the original data, chosen on last week's traffic
                score = cand.proba(batch)
                for t in TUNING_GRID_THRESHOLD:
                    acc = float(np.mean((score >= t) == y))
                    if best is None or acc > best[0] + 1e-12:
                        best = (acc, l2, t)
            tuned = Logistic(l2=best[1], threshold=best[2])
            tuned.beta = candidates[best[1]].beta
            strategies["B"].record(tuned, w, f"tuning: L2 = {best[1]:g}, threshold = {best[2]:g}",
                                   len(TUNING_GRID_L2) * len(train_orig))
            recent = Batch.concat(weeks[max(0, w - window):w])
            strategies["C"].record(NaiveBayes().fit(recent), w,
                                   f"schedule: new model (naive Bayes) on the last {min(window, w)} weeks only", len(recent))
        if progress and w % 13 == 0:
            progress(1 + 4 * w // n_weeks, 6, f"week {w}/{n_weeks}")

    # -- measures ------------------------------------------------------------------------------
    week_no = np.arange(1, n_weeks + 1)
    pre = week_no < p["drift_start"]
    post = ~pre
    settled_from = p["drift_start"] + RAMP_WEEKS
    settled_to = p["return_week"] - 1 if p["holiday_return"] else n_weeks
    settled = (week_no >= settled_from) & (week_no <= settled_to)
    measures = {}
    for x in "ABCDR":
        shown, right = holiday_acc[x]
        measures[x] = {
            "accuracy_before_drift": float(accuracy[x][pre].mean()),
            "accuracy_after_drift": float(accuracy[x][post].mean()),
            "accuracy_settled": float(accuracy[x][settled].mean()),
            "accuracy_on_returning_holiday_buyers": right / shown if shown else None,
            "retrains": strategies[x].retrains if x != "R" else 0,
            "rows_trained": strategies[x].rows_trained if x != "R" else len(train_orig),
        }
    ref = measures["R"]
    tol = p["accuracy_tolerance"]
    holiday_seen = holiday_acc["R"][0]
    kind = "no drift" if p["drift"] == "none" else f"{p['drift']} drift"

    def judged(x: str) -> list:
        """The same tests for every strategy: as accurate as the deployed model was before any drift, once the
        drift has settled; and, when old patterns return, as accurate on them as the model that knew them."""
        m = measures[x]
        name = "accuracy once the drift has settled" if p["drift"] != "none" else "accuracy in the weeks a drift would have settled"
        out = [criterion(name, round(100 * m["accuracy_settled"], 1), ">=",
                         round(100 * (ref["accuracy_before_drift"] - tol), 1), unit="%",
                         detail=f"weeks {settled_from}-{settled_to}, {kind}; the deployed model scored "
                                f"{100 * ref['accuracy_before_drift']:.1f}% before week {p['drift_start']}, less {100 * tol:g} points")]
        if holiday_seen:
            out.append(criterion("accuracy on the returning holiday buyers", round(100 * m["accuracy_on_returning_holiday_buyers"], 1),
                                 ">=", round(100 * (ref["accuracy_on_returning_holiday_buyers"] - tol), 1), unit="%",
                                 detail=f"{holiday_seen:,} of them from week {p['return_week']}; the deployed model, trained on the "
                                        f"data that holds them, scored {100 * ref['accuracy_on_returning_holiday_buyers']:.1f}%, "
                                        f"less {100 * tol:g} points"))
        return out

    def ev(x: str) -> dict:
        m = measures[x]
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()} | {
            "deployed_accuracy_before_drift": round(ref["accuracy_before_drift"], 4),
            "deployed_accuracy_settled": round(ref["accuracy_settled"], 4),
            "deployed_accuracy_on_returning_holiday_buyers": None if not holiday_seen else round(ref["accuracy_on_returning_holiday_buyers"], 4),
            "settled_weeks": [settled_from, settled_to]}

    def pct(v):
        return f"{100 * v:.1f}%"

    mA, mB, mC, mD = (measures[x] for x in "ABCD")
    d_false = sum(1 for w, _ in d_events if w < p["drift_start"])
    data_weeks = sum(r["data_drift"] for r in monitor_rows)
    quality_weeks = sum(r["quality_violation"] for r in monitor_rows)
    drift_words = {"covariate": "the inputs move", "concept": "the input->purchase relation changes",
                   "both": "inputs and behaviour change", "none": "nothing changes"}[p["drift"]]

    def holiday_words(m: dict) -> str:
        return f"; returning holiday buyers {pct(m['accuracy_on_returning_holiday_buyers'])}" if holiday_seen else ""

    first_after = (f"first after the drift in week {drift_detected_week}" if drift_detected_week is not None
                   else "none after week " + str(p["drift_start"]))
    findings = {
        "A": (f"{mA['retrains']} retrains, all on the same {len(train_orig):,} original rows: accuracy {pct(mA['accuracy_before_drift'])} "
              f"before week {p['drift_start']}, {pct(mA['accuracy_settled'])} in weeks {settled_from}-{settled_to}{holiday_words(mA)}."),
        "B": (f"{mB['retrains']} tuning rounds ({mB['rows_trained']:,} rows fit) pick L2 and the threshold on last week's traffic; the "
              f"weights never see new data: {pct(mB['accuracy_settled'])} in weeks {settled_from}-{settled_to}, "
              f"{100 * (mB['accuracy_settled'] - mA['accuracy_settled']):+.1f} points against A{holiday_words(mB)}."),
        "C": (f"Naive Bayes retrained {mC['retrains']} times on the last {window} weeks only: {pct(mC['accuracy_before_drift'])} before "
              f"week {p['drift_start']} (deployed model {pct(ref['accuracy_before_drift'])}), {pct(mC['accuracy_settled'])} in weeks "
              f"{settled_from}-{settled_to}{holiday_words(mC)}."),
        "D": (f"Monitoring fired {mD['retrains']} times ({d_false} before week {p['drift_start']}, {first_after}): the input drift check "
              f"in {data_weeks} weeks, the accuracy check in {quality_weeks}. Each retrain used the original data plus the last "
              f"{window} weeks: {pct(mD['accuracy_settled'])} in weeks {settled_from}-{settled_to}{holiday_words(mD)}, at {mD['rows_trained']:,} rows "
              "trained."),
    }
    actions = {
        "A": "Retrain periodically on the original data only, with stronger regularization",
        "B": "Periodically tune hyperparameters",
        "C": "Train a new model from scratch on the new data only, with a different algorithm",
        "D": "Retrain on original + new data whenever monitoring detects a significant change",
    }
    extra_d = {"weeks_with_input_drift": data_weeks, "weeks_with_accuracy_violation": quality_weeks,
               "retrains_before_drift": d_false, "first_detection_week": drift_detected_week}
    outcomes = [Outcome(x, actions[x], judged(x), ev(x) | (extra_d if x == "D" else {}), findings[x], key=KEYS[x]) for x in "ABCD"]

    if progress:
        progress(5, 6, "charts and artifacts")
    axis = list(range(1, n_weeks + 1))
    labels = {"A": "A: original data, stronger L2", "B": "B: tune hyperparameters", "C": "C: new data only, naive Bayes",
              "D": "D: original + new on detected change"}
    series = [Series(labels[x], axis, np.round(accuracy[x], 4).tolist(), "line", "week", "accuracy", "Weekly accuracy per strategy")
              for x in "ABCD"]
    mon = pd.DataFrame(monitor_rows)
    drift_cols = [c for c in mon.columns if c.startswith("distance_")]
    series.append(Series("largest input drift distance", axis, mon[drift_cols].max(axis=1).round(4).tolist(), "line", "week",
                         "distance", "D's monitor: input drift vs threshold"))
    series.append(Series("threshold", axis, [p["drift_threshold"]] * n_weeks, "line", "week", "distance",
                         "D's monitor: input drift vs threshold"))
    mix = np.array([_mix(w, p) for w in axis])
    for i, s in enumerate(SEGMENTS):
        series.append(Series(s, axis, np.round(mix[:, i], 3).tolist(), "line", "week", "share of customers", "Customer mix"))
    series.append(Series("rows trained", list("ABCD"), [measures[x]["rows_trained"] for x in "ABCD"], "bar", "strategy",
                         "rows", "Training cost (rows fit over the year)"))

    series.append(Series("deployed model, never retrained", axis, np.round(accuracy["R"], 4).tolist(), "line", "week", "accuracy",
                         "Weekly accuracy per strategy"))
    summary = pd.DataFrame([{"option": x, "strategy": labels[x], **{k: (round(v, 4) if isinstance(v, float) else v)
                                                                     for k, v in measures[x].items()}, "works": o.works}
                            for x, o in zip("ABCD", outcomes)])
    weekly = pd.DataFrame({"week": axis, **{f"accuracy_{x}": np.round(accuracy[x], 4) for x in "ABCD"},
                           "accuracy_deployed": np.round(accuracy["R"], 4),
                           "young_share": np.round(mix[:, 2], 3), "holiday_share": np.round(mix[:, 3], 3)})

    timeline = [Event("week 0", "info", "model deployed: logistic regression trained on the original data")]
    if p["drift"] != "none":
        timeline.append(Event(f"week {p['drift_start']}", "drift", f"customers start to drift ({p['drift']}): {drift_words}"))
    if p["holiday_return"]:
        timeline.append(Event(f"week {p['return_week']}", "drift", "holiday gift buyers return (an old pattern)"))
    for w, why in d_events:
        timeline.append(Event(f"week {w}", "retrain", f"D: monitoring violation ({why}) -> retrain on original + new data"))
    timeline.sort(key=lambda e: int(e.time.split()[1]))

    artifacts = [
        Artifact("d-monitoring/baseline_at_deploy/statistics.json", json.dumps(first_baseline.statistics, indent=2), "data-quality baseline of the original training inputs"),
        Artifact("d-monitoring/baseline_at_deploy/constraints.json", json.dumps(first_baseline.constraints, indent=2), "suggested constraints (drift threshold set from drift_threshold)"),
        Artifact("d-monitoring/model_quality_statistics_at_deploy.json", json.dumps(valid_stats, indent=2), "the deployed model's validation metrics"),
        Artifact("d-monitoring/model_quality_constraints.json", json.dumps(d_constraints, indent=2), "the accuracy constraint D's monitor checks every week"),
        Artifact("d-monitoring/violations_by_week.json", json.dumps(violations_seen, indent=2), "every week D's monitor reported violations, with the constraint_violations entries"),
        Artifact("d-monitoring/weekly_monitoring.csv", mon.to_csv(index=False), "D's weekly monitor: drift distances, accuracy vs threshold"),
        Artifact("retraining_log.json", json.dumps({x: [{"week": w, "what": why, "rows": r} for w, why, r in strategies[x].log] for x in "ABCD"}, indent=2),
                 "every (re)training of every strategy and its size"),
    ]

    key_numbers = {
        "drift": p["drift"],
        "drift_start_week": p["drift_start"],
        "d_first_detection_week": drift_detected_week,
        "d_retrains_before_drift": sum(1 for w, _ in d_events if w < p["drift_start"]),
        "holiday_return": p["holiday_return"],
        **{f"accuracy_after_drift_{x}": round(measures[x]["accuracy_after_drift"], 4) for x in "ABCDR"},
        **{f"accuracy_settled_{x}": round(measures[x]["accuracy_settled"], 4) for x in "ABCDR"},
        **{f"accuracy_holiday_buyers_{x}": None if not holiday_seen else round(measures[x]["accuracy_on_returning_holiday_buyers"], 4)
           for x in "ABCDR"},
        **{f"retrains_{x}": measures[x]["retrains"] for x in "ABCD"},
        **{f"rows_trained_{x}": measures[x]["rows_trained"] for x in "ABCD"},
    }
    narrative = story(p, measures, outcomes, holiday_seen, d_events, drift_detected_week, settled_from, settled_to)
    if progress:
        progress(6, 6, "done")
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=p, seed=seed, narrative=narrative, series=series,
        tables={"strategies": summary, "weekly": weekly}, timeline=timeline, artifacts=artifacts,
        outcomes=outcomes, key_numbers=key_numbers, question_id=INFO.question_ids[0],
    )


def story(p, measures, outcomes, holiday_seen, d_events, detected, settled_from, settled_to) -> str:
    """The narrative, sentence by sentence from the measured numbers."""
    def pct(v):
        return f"{100 * v:.1f}%"

    ref, tol = measures["R"], p["accuracy_tolerance"]
    text = (f"A purchase model trained on last year's {ORIGINAL_ROWS:,} customers serves {p['customers_per_week']} customers a week "
            f"and scores {pct(ref['accuracy_before_drift'])} before week {p['drift_start']}. ")
    if p["drift"] == "none":
        text += (f"In this world the customers never drift: left alone, the deployed model still scores {pct(ref['accuracy_settled'])} "
                 f"in weeks {settled_from}-{settled_to}, so the premise of the question is absent. ")
    else:
        words = {"covariate": "the inputs move", "concept": "the input->purchase relation changes", "both": "inputs and behaviour change"}
        falls = ref["accuracy_settled"] < ref["accuracy_before_drift"] - tol
        text += (f"From week {p['drift_start']} {words[p['drift']]}; left alone, the deployed model "
                 f"{'falls to' if falls else 'still scores'} {pct(ref['accuracy_settled'])} in weeks {settled_from}-{settled_to}. ")
    if holiday_seen:
        text += (f"From week {p['return_week']} holiday gift buyers, known only from the original data, return ({holiday_seen:,} "
                 f"customers; the deployed model serves them at {pct(ref['accuracy_on_returning_holiday_buyers'])}). ")
    else:
        text += "No old pattern returns this year, so forgetting the original data costs nothing here. "
    labels = {"A": "retraining on the original data (A)", "B": "tuning (B)", "C": "naive Bayes on recent data only (C)",
              "D": "monitoring-triggered retraining on original + new data (D)"}
    reached = [labels[o.letter] + f" {pct(measures[o.letter]['accuracy_settled'])}" for o in outcomes]
    when = f"In weeks {settled_from}-{settled_to}" if p["drift"] == "none" else "Once the drift has settled"
    text += f"{when}: {'; '.join(reached)}, against a bar of {pct(ref['accuracy_before_drift'] - tol)}. "
    working = [o.letter for o in outcomes if o.works]
    text += (f"Every test passed for {', '.join(working)}. " if working else "No strategy passed every test. ")
    mD = measures["D"]
    if mD["retrains"] == 0:
        text += "D never retrained: its monitor reported no violation all year."
    else:
        if p["drift"] == "none":
            when = f"the first in week {d_events[0][0]}"
        else:
            d_false = sum(1 for w, _ in d_events if w < p["drift_start"])
            when = f"{d_false} before week {p['drift_start']}, " + (
                f"the first on or after it in week {detected}" if detected is not None else "none on or after it")
        text += (f"D retrained {mD['retrains']} time{'s' * (mD['retrains'] != 1)}, each time because its monitor reported a "
                 f"violation ({when}).")
    return text
