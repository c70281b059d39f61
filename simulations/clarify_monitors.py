"""Clarify monitors: bias metrics, SHAP attributions and the nDCG drift check, computed from data.

Small worlds share the Clarify arithmetic of ``simulations.monitoring.clarify``:

1. A churn model behind an endpoint with a feature-attribution-drift (explainability) schedule. The
   baseline's global SHAP values (mean |SHAP|, exact Shapley values against a background sample of the
   training data) rank tenure > monthly_charges > support_calls > age. Monday's traffic is pulled
   towards the typical customer by ``monday_scale`` (every attribution shrinks, the order stays); on
   Tuesday an outage multiplies support calls by ``support_call_surge``. Each day the monitor computes
   nDCG against the baseline and logs a ``feature_attribution_drift_check`` violation below 0.9.
2. A lender's labelled dataset (applicants over 60 = facet d, approval = positive). Before any model
   exists each pair of bias metrics is *attempted* on the dataset; a model is then trained (logistic
   regression, Newton steps) and served, loan outcomes arriving ``label_delay_days`` after each
   decision. Every monitor type runs daily over the first ``days`` days, once with the labels uploaded
   so far and once with every label known. Weekly outputs of each monitor type (engine drift distances,
   engine model-quality statistics, DPPL/DI, SHAP/nDCG) are inspected while incomes over 60 fall.
   An evaluation set built with the question's counts gives DPPL and DI by Clarify's formulas.
3. A hiring-screen endpoint whose requests carry no inference ID: an hourly bias schedule merged with
   whatever ground truth each remedy provides.
4. An insurer's claims (rural = facet d) analysed with ``label_values_or_threshold`` [0] and [1].
5. A house-price model trained at 3 % mortgage rates serving at 7 %: a bias drift monitor (DCA on
   prices binarized at a threshold, sale prices three weeks late), explainability and data-quality
   monitors, and retraining on current or on the old data.

Verdicts compare what each option does or claims with what these computations produce.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from simulations.monitoring.clarify import (
    METRIC_INPUTS,
    NDCG_THRESHOLD,
    MissingInputError,
    attribution_drift_violations,
    bias_metrics,
    global_shap,
    ndcg,
    ranking,
    shapley_values,
)
from simulations.monitoring.schedule import MONITORING_TYPES, MonitoringSchedule
from simulations.params import ParamSpec
from simulations.registry import Preset, QuestionLink, SimulationInfo
from simulations.result import Artifact, Event, Outcome, Series, SimulationResult, check, criterion

INFO = SimulationInfo(
    name="clarify-monitors",
    title="Clarify monitors: bias metrics, SHAP and attribution drift",
    summary="Bias metrics from data (CI, DPL before training; DPPL, DI after), SHAP against a baseline, nDCG attribution drift against 0.9, and which monitors need labels.",
    questions=(
        QuestionLink("attribution-drift-ndcg-threshold", {"A": "both-days-violate", "B": "tuesday-attribution-check",
                                                          "C": "monday-only", "D": "tuesday-baseline-drift-check"}),
        QuestionLink("clarify-pre-vs-post-metrics", {"A": "metrics-dppl-di", "B": "metrics-ci-dpl",
                                                     "C": "metrics-ad-rd", "D": "metrics-shap-ndcg"}),
        QuestionLink("clarify-disparate-impact-math", {"A": "claim-dppl-0.50-di-0.30", "B": "claim-dppl-neg0.30-di-2.0",
                                                       "C": "claim-dppl-0.30-di-0.50", "D": "claim-dppl-210-di-0.30"}),
        QuestionLink("monitors-without-labels", {"A": "mq-validation-baseline", "B": "data-quality", "C": "model-bias",
                                                 "D": "mq-predictions-as-labels", "E": "explainability"}),
        QuestionLink("bias-monitor-needs-labels", {"A": "baseline-on-live-data", "B": "larger-instance",
                                                   "C": "upload-ground-truth", "D": "post-processing-script"}),
        QuestionLink("clarify-label-values-wrong", {"A": "positive-label-paid", "B": "facet-as-index", "C": "month-of-traffic",
                                                    "D": "read-inverted"}),
        QuestionLink("clarify-monitor-types", {"A": "dq-age-drift", "B": "bias-drift", "C": "mq-per-group",
                                               "D": "attribution-drift", "E": "training-report"}),
        QuestionLink("bias-drift-mortgage", {"A": "bias-monitor-and-retrain", "B": "explainability-monitor",
                                             "C": "data-quality-monitor", "D": "retrain-old-data-regularized"}),
        QuestionLink("four-monitoring-types", {"A": "types-dq-datadrift-conceptdrift-latency",
                                               "B": "types-dq-mq-bias-performance",
                                               "C": "types-datadrift-mq-training-explain-completeness",
                                               "D": "types-dq-mq-bias-attribution"}),
    ),
    params=(
        ParamSpec("support_call_surge", float, 4.0, "Tuesday: support calls multiplied by this factor (an outage); 1 = no change", min=1.0, max=10.0),
        ParamSpec("monday_scale", float, 0.5, "Monday: every feature pulled towards the typical customer by this factor (attributions shrink)", min=0.1, max=1.0),
        ParamSpec("applicants", int, 4000, "labelled loan applications in the lender's dataset", min=1000, max=50000),
        ParamSpec("share_over_60", float, 0.12, "share of applicants over 60 (facet d)", min=0.02, max=0.5),
        ParamSpec("label_gap", float, 1.0, "historical penalty (log-odds) against applicants over 60 in the approval labels", min=0.0, max=3.0),
        ParamSpec("label_delay_days", int, 90, "days until a loan's ground truth (repaid or defaulted) is known", min=0, max=180),
        ParamSpec("days", int, 14, "days of monitoring after the launch", min=3, max=60),
        ParamSpec("approved_a", int, 300, "evaluation set: approvals predicted in facet a", min=1, max=10000),
        ParamSpec("count_a", int, 500, "evaluation set: applicants in facet a", min=1, max=10000),
        ParamSpec("approved_d", int, 90, "evaluation set: approvals predicted in facet d", min=1, max=10000),
        ParamSpec("count_d", int, 300, "evaluation set: applicants in facet d", min=1, max=10000),
    ),
    facts=("F19", "F25", "F60", "F61", "F64", "F65"),
    presets=(
        Preset("no-attribution-drift", {"support_call_surge": 1.0}, "Tuesday's traffic looks like the training data",
               control=True, premise="no attribution drift: Tuesday's support calls are as usual"),
        Preset("labels-on-time", {"label_delay_days": 0}, "loan outcomes known at once: the label-hungry monitors can run"),
        Preset("balanced-facets", {"share_over_60": 0.5, "label_gap": 0.0}, "as many applicants over 60 as under, no historical penalty"),
    ),
)

CHURN_FEATURES = ["tenure", "monthly_charges", "support_calls", "age"]
CHURN_WEIGHTS = np.array([-1.6, 1.0, 0.6, -0.25])  # per baseline standard deviation
LOAN_FEATURES = ["income", "credit_history_years", "debt_ratio"]
TOLERANCE = 0.02  # how far a monitor's number may be from the same number computed with full information
EXPLAIN_ROWS, BACKGROUND_ROWS = 120, 24


# -- world 1: churn model and the explainability schedule --------------------------------------------------
def churn_customers(n: int, rng: np.random.Generator) -> np.ndarray:
    return np.column_stack([
        rng.uniform(1, 72, n), rng.normal(70, 30, n).clip(15, 150), rng.poisson(1.5, n).astype(float), rng.normal(45, 15, n).clip(18, 90),
    ])


class ChurnModel:
    """A logistic churn model on standardized features (fixed weights: the trained model)."""

    def __init__(self, training: np.ndarray):
        self.mean, self.sd = training.mean(axis=0), training.std(axis=0)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.sd
        return 1.0 / (1.0 + np.exp(-(-1.0 + z @ CHURN_WEIGHTS)))


def attribution_world(params: dict, rng: np.random.Generator) -> dict:
    training = churn_customers(5000, rng)
    model = ChurnModel(training)
    background = training[rng.choice(len(training), BACKGROUND_ROWS, replace=False)]
    base_rows = training[rng.choice(len(training), EXPLAIN_ROWS, replace=False)]
    centre = training.mean(axis=0)
    monday = centre + params["monday_scale"] * (churn_customers(EXPLAIN_ROWS, rng) - centre)
    tuesday = churn_customers(EXPLAIN_ROWS, rng)
    tuesday[:, 2] = tuesday[:, 2] * params["support_call_surge"]
    shap = {name: global_shap(shapley_values(model, rows, background), CHURN_FEATURES)
            for name, rows in (("baseline", base_rows), ("Monday", monday), ("Tuesday", tuesday))}
    days = {}
    for day in ("Monday", "Tuesday"):
        report = attribution_drift_violations(shap["baseline"], shap[day])
        days[day] = {"ndcg": ndcg(shap["baseline"], shap[day]), "violations": report["violations"], "report": report,
                     "ranking": ranking(shap[day]),
                     "scale": float(np.mean([shap[day][f] / shap["baseline"][f] for f in CHURN_FEATURES]))}
    return {"shap": shap, "days": days, "baseline_ranking": ranking(shap["baseline"])}


ATTRIBUTION_CLAIMS = {  # key -> (action, {day: None (no violation) | (check type, feature or None)})
    "both-days-violate": ("Both executions report violations", {"Monday": "violation", "Tuesday": "violation"}),
    "tuesday-attribution-check": ("Only Tuesday: a feature_attribution_drift_check for the label",
                                  {"Monday": None, "Tuesday": ("feature_attribution_drift_check", None)}),
    "monday-only": ("Only Monday reports a violation", {"Monday": "violation", "Tuesday": None}),
    "tuesday-baseline-drift-check": ("Tuesday reports a baseline_drift_check on support_calls",
                                     {"Tuesday": ("baseline_drift_check", "support_calls")}),
}


def _describe_report(day: str, info: dict) -> str:
    v = info["violations"]
    if not v:
        return f"{day}: nDCG {info['ndcg']:.3f}, no violation"
    return f"{day}: nDCG {info['ndcg']:.3f}, {v[0]['constraint_check_type']} for {v[0]['label']} (no feature field)"


def attribution_outcomes(world: dict) -> list[Outcome]:
    days = world["days"]
    outcomes = []
    for key, (action, claims) in ATTRIBUTION_CLAIMS.items():
        criteria = []
        for day, claim in claims.items():
            v = days[day]["violations"]
            if claim is None:
                holds = not v
                said = "no violation"
            elif claim == "violation":
                holds = bool(v)
                said = "a violation"
            else:
                kind, feature = claim
                holds = bool(v) and v[0]["constraint_check_type"] == kind and v[0].get("feature_name") == feature
                said = f"a {kind}" + (f" on {feature}" if feature else " with no feature field")
            report = _describe_report(day, days[day])
            criteria.append(check(f"{day}'s report is {said}", holds, f"it is ({report})", f"it is not ({report})"))
        outcomes.append(Outcome("?", action, criteria, {d: {"ndcg": round(days[d]["ndcg"], 4), "violations": days[d]["violations"]} for d in days},
                                key=key))
    return outcomes


# -- world 2: the lender's dataset, model and monitors --------------------------------------------------------
def applicants(n: int, share_d: float, rng: np.random.Generator) -> pd.DataFrame:
    over_60 = rng.random(n) < share_d
    age = np.where(over_60, rng.integers(61, 80, n), rng.integers(21, 61, n))
    return pd.DataFrame({
        "income": np.round(rng.lognormal(4.0, 0.4, n), 1), "credit_history_years": np.round(rng.uniform(0, 30, n), 1),
        "debt_ratio": np.round(rng.beta(2, 5, n), 3), "age": age,
    })


def _design_array(x: np.ndarray) -> np.ndarray:
    """Model columns from (income, credit_history_years, debt_ratio) rows."""
    return np.column_stack([np.ones(len(x)), (np.log(x[:, 0]) - 4.0) / 0.4, (x[:, 1] - 15) / 8.7, (x[:, 2] - 0.29) / 0.16])


def _design(df: pd.DataFrame) -> np.ndarray:
    return _design_array(df[LOAN_FEATURES].to_numpy(np.float64))


def historical_labels(df: pd.DataFrame, gap: float, rng: np.random.Generator) -> np.ndarray:
    logit = _design(df) @ np.array([0.3, 1.2, 0.6, -1.0]) - gap * (df["age"].to_numpy() > 60)
    return rng.random(len(df)) < 1.0 / (1.0 + np.exp(-logit))


def fit_logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(10):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        w = w + np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]) + 1e-3 * np.eye(x.shape[1]), x.T @ (y - p))
    return w


PRE_TRAINING_OPTIONS = {  # key -> (action, metrics)
    "metrics-dppl-di": ("DPPL and DI", ("DPPL", "DI")),
    "metrics-ci-dpl": ("Class imbalance (CI) and DPL", ("CI", "DPL")),
    "metrics-ad-rd": ("Accuracy difference (AD) and recall difference (RD)", ("AD", "RD")),
    "metrics-shap-ndcg": ("nDCG of global SHAP values on the training data", ("SHAP-nDCG",)),
}


def pre_training_outcomes(df: pd.DataFrame, label: np.ndarray) -> list[Outcome]:
    """Attempt each option's metrics on the dataset as it is before training: facet and label, no model."""
    facet = df["age"].to_numpy() > 60
    n, nd = len(df), int(facet.sum())
    outcomes = []
    for key, (action, metrics) in PRE_TRAINING_OPTIONS.items():
        computed, errors = {}, []
        for m in metrics:
            try:
                if m == "SHAP-nDCG":
                    raise MissingInputError("SHAP-nDCG needs model, which this job does not have")
                computed.update(bias_metrics(facet, label=label, methods=(m,)))
            except MissingInputError as error:
                errors.append(str(error))
        sizes = [m for m in computed if METRIC_INPUTS[m] == ("facet",)]
        rates = [m for m in computed if "label" in METRIC_INPUTS[m] and "prediction" not in METRIC_INPUTS[m]]
        got = ", ".join(f"{m} = {v:+.3f}" for m, v in computed.items())
        criteria = [
            criterion("metrics the job could compute with no model", len(computed), ">=", len(metrics),
                      detail="; ".join(errors) if errors else got),
            check("answers the representation question (group sizes)", bool(sizes),
                  f"{sizes[0]} = {computed[sizes[0]]:+.3f} from {n - nd} records in facet a and {nd} in facet d" if sizes else "",
                  "no computed metric compares the facets' record counts"),
            check("answers the label question (approval rates in the labels)", bool(rates),
                  f"{rates[0]} = {computed[rates[0]]:+.3f}: approval labels {label[~facet].mean():.1%} in facet a vs {label[facet].mean():.1%} in facet d" if rates else "",
                  "no computed metric compares the facets' label rates"),
        ]
        outcomes.append(Outcome("?", action, criteria, {"computed": {k: round(v, 4) for k, v in computed.items()}, "errors": errors}, key=key))
    return outcomes


DI_CLAIMS = {"claim-dppl-0.50-di-0.30": (0.50, 0.30), "claim-dppl-neg0.30-di-2.0": (-0.30, 2.0),
             "claim-dppl-0.30-di-0.50": (0.30, 0.50), "claim-dppl-210-di-0.30": (210.0, 0.30)}


def disparate_impact_outcomes(params: dict, rng: np.random.Generator) -> tuple[list[Outcome], dict]:
    """An evaluation set with the question's counts, shuffled; DPPL and DI by Clarify's formulas."""
    na, nd = params["count_a"], params["count_d"]
    facet = np.r_[np.zeros(na, bool), np.ones(nd, bool)]
    predicted = np.r_[np.arange(na) < params["approved_a"], np.arange(nd) < params["approved_d"]]
    order = rng.permutation(na + nd)
    metrics = bias_metrics(facet[order], prediction=predicted[order], methods=("DPPL", "DI"))
    outcomes = []
    for key, (dppl, di) in DI_CLAIMS.items():
        criteria = [criterion("claimed DPPL minus Clarify's DPPL", round(abs(dppl - metrics["DPPL"]), 4), "<=", 0.005,
                              detail=f"claimed {dppl:g}, computed {metrics['DPPL']:.4f}"),
                    criterion("claimed DI minus Clarify's DI", round(abs(di - metrics["DI"]), 4), "<=", 0.005,
                              detail=f"claimed {di:g}, computed {metrics['DI']:.4f}")]
        outcomes.append(Outcome("?", f"DPPL = {dppl:g} and DI = {di:g}", criteria, {"claimed": [dppl, di]}, key=key))
    return outcomes, metrics


def monitor_world(params: dict, rng: np.random.Generator) -> dict:
    """Train on the labelled dataset, serve ``days`` days of traffic, run each monitor daily."""
    data = applicants(params["applicants"], params["share_over_60"], rng)
    label = historical_labels(data, params["label_gap"], rng)
    w = fit_logistic(_design(data), label.astype(float))
    per_day = 300
    traffic = applicants(per_day * params["days"], params["share_over_60"], rng)
    day = np.repeat(np.arange(params["days"]), per_day)
    truth = historical_labels(traffic, params["label_gap"], rng)  # the outcome that becomes known later
    predicted = _design(traffic) @ w > 0
    label_day = day + params["label_delay_days"]  # ground truth uploaded at the end of this day
    train_x = data[LOAN_FEATURES].to_numpy(float)
    base_sorted = np.sort(train_x, axis=0)

    def predict(x):
        return 1.0 / (1.0 + np.exp(-_design_array(x) @ w))

    background = train_x[rng.choice(len(train_x), BACKGROUND_ROWS, replace=False)]
    base_shap = global_shap(shapley_values(predict, train_x[:EXPLAIN_ROWS], background), LOAN_FEATURES)
    validation_ids = -1 - np.arange(2000)  # the validation set's own record ids

    def job(kind: str, x: np.ndarray, ids: np.ndarray, pred: np.ndarray, facet: np.ndarray, labels: pd.Series) -> float:
        """One monitoring execution over a day's captured records; ``labels``: outcome by record id (uploaded so far)."""
        if kind == "data-quality":  # captured inputs against the training data's distribution
            return max(float(np.abs(np.searchsorted(base_sorted[:, j], np.sort(x[:, j]), side="right") / len(base_sorted)
                                    - np.arange(1, len(x) + 1) / len(x)).max()) for j in range(len(LOAN_FEATURES)))
        if kind == "explainability":  # attributions from the inputs and the model
            return ndcg(base_shap, global_shap(shapley_values(predict, x[:40], background[:12]), LOAN_FEATURES))
        if kind == "mq-predictions-as-labels":
            truth_of = pred.copy()
        else:  # merge with ground truth by record id
            known = np.isin(ids, labels.index.to_numpy())
            if not known.any():
                raise LookupError("no ground truth merged with the captured predictions")
            truth_of = labels.reindex(ids[known]).to_numpy(dtype=bool)
            x, pred, facet = x[known], pred[known], facet[known]
        if kind == "model-bias":  # a post-training metric that compares predictions with outcomes per facet
            return bias_metrics(facet, label=truth_of, prediction=pred, methods=("AD",))["AD"]
        return float((pred == truth_of).mean())  # model quality: accuracy

    ids_all = np.arange(len(traffic))  # inference ids of the captured requests
    kinds = ("data-quality", "explainability", "model-bias", "mq-validation-baseline", "mq-predictions-as-labels")
    rows = []
    for t in range(params["days"]):
        today = day == t
        run_day = t + 1  # each execution analyses the previous day
        x = traffic.loc[today, LOAN_FEATURES].to_numpy(float)
        ids, pred, facet = ids_all[today], predicted[today], traffic["age"].to_numpy()[today] > 60
        arrived = today & (label_day <= run_day - 1)
        available = pd.Series(truth[arrived], index=ids_all[arrived])
        everything = pd.Series(truth[today], index=ids)
        row = {"day": run_day, "records": int(today.sum()), "labelled_by_run": int(arrived.sum())}
        for kind in kinds:
            given = pd.Series(truth[:2000], index=validation_ids) if kind == "mq-validation-baseline" else available
            try:
                row[f"{kind}:reported"] = round(job(kind, x, ids, pred, facet, given), 4)
            except LookupError:
                row[f"{kind}:reported"] = None
            full_kind = "mq-validation-baseline" if kind == "mq-predictions-as-labels" else kind  # what the team wants: true accuracy
            row[f"{kind}:full"] = round(job(full_kind, x, ids, pred, facet, everything), 4)
        rows.append(row)
    return {"data": data, "label": label, "weights": w, "daily": pd.DataFrame(rows), "base_shap": base_shap,
            "accuracy_train": float(((_design(data) @ w > 0) == label).mean())}


MONITOR_OPTIONS = {
    "mq-validation-baseline": "Model quality with the validation-set baseline in place of live labels",
    "data-quality": "Data quality monitoring of captured inputs and outputs",
    "model-bias": "Model bias (bias drift) monitoring with ModelBiasMonitor",
    "mq-predictions-as-labels": "Model quality with the predictions used as ground truth",
    "explainability": "Feature attribution drift with ModelExplainabilityMonitor",
}


def without_labels_outcomes(world: dict, params: dict) -> list[Outcome]:
    """Each monitor's daily executions: how many produce a result, and how far it is from full information."""
    daily = world["daily"]
    n = len(daily)
    outcomes = []
    for key, action in MONITOR_OPTIONS.items():
        reported, full = daily[f"{key}:reported"], daily[f"{key}:full"]
        done = int(reported.notna().sum())
        err = float((reported[reported.notna()].astype(float) - full[reported.notna()]).abs().max()) if done else None
        what = (f"reported {reported.dropna().min():.3f}-{reported.dropna().max():.3f}, with every label known "
                f"{full.min():.3f}-{full.max():.3f}" if done else "every execution fails: no ground truth merged with the captured predictions")
        criteria = [
            criterion(f"executions with a result in the first {n} days", done, ">=", n,
                      detail=f"labels arrive {params['label_delay_days']} days after each decision; {what}"),
            check("the reported numbers match what full information gives", err is not None and err <= TOLERANCE,
                  f"largest difference {err:.3f} (allowed {TOLERANCE})" if err is not None else "",
                  f"largest difference {err:.3f} (allowed {TOLERANCE})" if err is not None else "no number was reported to compare"),
        ]
        outcomes.append(Outcome("?", action, criteria, {"executions_with_result": done, "largest_difference": err}, key=key))
    return outcomes


HIRING_OPTIONS = {
    "baseline-on-live-data": "A second baseline job on the live captured data",
    "larger-instance": "A larger processing instance",
    "upload-ground-truth": "Ground truth in S3 (JSON Lines) matched through an inference ID",
    "post-processing-script": "A post-processing script",
}


def hiring_world(rng: np.random.Generator, hours: int = 24, per_hour: int = 40) -> dict:
    """An hourly bias schedule; the team's decisions are keyed by application id, requests carry none."""
    n = hours * per_hour
    people = applicants(n, 0.2, rng)
    hired = historical_labels(people, 0.8, rng)
    predicted = _design(people) @ np.array([0.1, 1.1, 0.5, -0.9]) > 0
    hour = np.repeat(np.arange(hours), per_hour)
    event_ids = np.char.add("evt-", rng.integers(10**8, 10**9, n).astype(str))
    application_ids = np.char.add("app-", np.arange(n).astype(str))
    facet = people["age"].to_numpy() > 60
    true_dppl = bias_metrics(facet, prediction=predicted, methods=("DPPL",))["DPPL"]
    results = {}
    for key in HIRING_OPTIONS:
        if key == "upload-ground-truth":  # requests now send the application id as InferenceId; labels keyed by it
            capture_keys, label_keys = application_ids, application_ids
        else:  # no labels in S3 at all (a baseline, an instance size or a script do not create them)
            capture_keys, label_keys = event_ids, np.array([], dtype=str)
        matched = np.isin(capture_keys, label_keys)
        per_run = np.bincount(hour[matched], minlength=hours)
        completed = int((per_run > 0).sum())
        dppl = (bias_metrics(facet[matched], label=hired[matched], prediction=predicted[matched], methods=("DPPL",))["DPPL"]
                if matched.any() and facet[matched].any() and (~facet[matched]).any() else None)
        results[key] = {"completed": completed, "match_rate": float(matched.mean()), "dppl": dppl}
    # what happens if the labels are uploaded but the requests still carry no inference id
    unmatched = float(np.isin(event_ids, application_ids).mean())
    return {"hours": hours, "results": results, "true_dppl": true_dppl, "labels_without_inference_id_match_rate": unmatched}


def hiring_outcomes(world: dict) -> list[Outcome]:
    hours = world["hours"]
    outcomes = []
    for key, action in HIRING_OPTIONS.items():
        r = world["results"][key]
        criteria = [
            criterion("hourly bias executions that complete", r["completed"], ">=", hours,
                      detail=f"of {hours}; the rest fail: no ground truth merged with the captured predictions" if r["completed"] < hours else f"of {hours}"),
            criterion("captured records merged with a label", round(r["match_rate"], 4), ">=", 0.9,
                      detail=f"DPPL on the merged records {r['dppl']:+.3f}, on all records {world['true_dppl']:+.3f}" if r["dppl"] is not None else "nothing to compute DPPL on"),
        ]
        outcomes.append(Outcome("?", action, criteria, r, key=key))
    return outcomes


LABEL_VALUE_OPTIONS = {
    "positive-label-paid": "Declare 1 (paid) as the positive label: label_values_or_threshold=[1]",
    "facet-as-index": "Give the facet as an index number instead of the string 'rural'",
    "month-of-traffic": "Wait for a month of captured endpoint traffic and rerun",
    "read-inverted": "Keep the report and read every pre-training metric inverted",
}


def insurer_world(rng: np.random.Generator, n: int = 6000) -> dict:
    """Claims with region (30 % rural) and claim_paid; rural claims are denied more often (the audits)."""
    rural = rng.random(n) < 0.3
    paid = rng.random(n) < np.where(rural, 0.55, 0.75)
    region = np.where(rural, "rural", "urban")
    more_rural = rng.random(3000) < 0.3  # a month of captured traffic, labelled with the same convention
    more_paid = rng.random(3000) < np.where(more_rural, 0.55, 0.75)
    return {"region": region, "paid": paid, "more_region": np.where(more_rural, "rural", "urban"), "more_paid": more_paid}


def clarify_bias_job(region: np.ndarray, claim_paid: np.ndarray, label_values: list, facet_values: list) -> dict:
    """A pre-training bias job: the facet rows are those whose value is in ``facet_values``; positive = label in ``label_values``."""
    facet = np.isin(region, np.asarray(facet_values, dtype=object).astype(str)) if all(isinstance(v, str) for v in facet_values) \
        else np.zeros(len(region), bool)  # a number never equals a string category
    positive = np.isin(claim_paid.astype(int), label_values)
    return bias_metrics(facet, label=positive, methods=("CI", "DPL"))


def label_value_outcomes(world: dict) -> tuple[list[Outcome], dict]:
    region, paid = world["region"], world["paid"]
    rural = region == "rural"
    audit_gap = float(paid[~rural].mean() - paid[rural].mean())  # paid-rate gap, urban minus rural (the audits)
    reports, analysed = {}, {key: region for key in LABEL_VALUE_OPTIONS}
    analysed["month-of-traffic"] = np.r_[region, world["more_region"]]
    for key in LABEL_VALUE_OPTIONS:
        try:
            if key == "positive-label-paid":
                reports[key] = clarify_bias_job(region, paid, [1], ["rural"])
            elif key == "facet-as-index":
                reports[key] = clarify_bias_job(region, paid, [0], [1])
            elif key == "month-of-traffic":
                reports[key] = clarify_bias_job(np.r_[region, world["more_region"]], np.r_[paid, world["more_paid"]], [0], ["rural"])
            else:
                reports[key] = {m: -v for m, v in clarify_bias_job(region, paid, [0], ["rural"]).items()}
        except MissingInputError as error:
            reports[key] = {"error": str(error)}
    original = clarify_bias_job(region, paid, [0], ["rural"])
    outcomes = []
    for key, action in LABEL_VALUE_OPTIONS.items():
        r = reports[key]
        if "error" in r:
            criteria = [check("the bias job completes", False, "", f"it fails: {r['error']}")]
        else:
            data_rural = analysed[key] == "rural"
            counted_ci = float(((~data_rural).sum() - data_rural.sum()) / len(data_rural))
            criteria = [
                check("the bias job completes", True, f"CI {r['CI']:+.3f}, DPL {r['DPL']:+.3f}", ""),
                criterion("reported DPL minus the paid-rate gap the audits measure", round(abs(r["DPL"] - audit_gap), 4), "<=", 0.02,
                          detail=f"report {r['DPL']:+.3f}, audits: urban paid {paid[~rural].mean():.1%}, rural {paid[rural].mean():.1%} = {audit_gap:+.3f}"),
                criterion("reported CI minus the group sizes counted in the data", round(abs(r["CI"] - counted_ci), 4), "<=", 0.005,
                          detail=f"report {r['CI']:+.3f}, counted {counted_ci:+.3f} ({int((~data_rural).sum())} urban, {int(data_rural.sum())} rural)"),
            ]
        outcomes.append(Outcome("?", action, criteria, {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}, key=key))
    return outcomes, {"original_dpl": original["DPL"], "audit_gap": audit_gap}


REQUEST_OPTIONS = {  # key -> (action, monitor)
    "dq-age-drift": ("Data-quality monitoring with a drift check on age", "data-quality"),
    "bias-drift": ("Bias drift monitoring", "bias"),
    "mq-per-group": ("Model-quality monitoring with accuracy per applicant group", "model-quality"),
    "attribution-drift": ("Feature attribution drift monitoring", "explainability"),
    "training-report": ("A one-off Clarify explainability report at training time", "training-report"),
}
FAIRNESS_FIELDS = ("DPPL", "DI")  # approval outcomes compared between facets
IMPORTANCE_FIELDS = ("global_shap", "nDCG")  # feature importance and its ranking change


def weekly_outputs(monitors: dict, params: dict, rng: np.random.Generator, weeks: int = 8, per_week: int = 600) -> dict:
    """Each monitor type's output documents, week by week, as applicant incomes over 60 fall from week 4."""
    from simulations.monitoring.baseline import suggest_baseline
    from simulations.monitoring.checks import drift_distances
    from simulations.monitoring.model_quality import BINARY_CLASSIFICATION, model_quality_statistics

    data, w = monitors["data"], monitors["weights"]
    baseline = suggest_baseline(data[["age"]])
    background = data[LOAN_FEATURES].to_numpy(float)[:BACKGROUND_ROWS]

    def predict(x):
        return 1.0 / (1.0 + np.exp(-_design_array(x) @ w))

    base_shap = monitors["base_shap"]
    out = {key: [] for key in REQUEST_OPTIONS}
    out["training-report"] = [{"when": "training", "global_shap": base_shap}]  # produced once, before deployment
    for week in range(1, weeks + 1):
        batch = applicants(per_week, params["share_over_60"], rng)
        if week >= 4:
            over = batch["age"] > 60
            batch.loc[over, "income"] = np.round(batch.loc[over, "income"] * 0.6, 1)  # retirement: lower incomes
        x = batch[LOAN_FEATURES].to_numpy(float)
        predicted = _design_array(x) @ w > 0
        outcome = historical_labels(batch, params["label_gap"], rng)
        facet = batch["age"].to_numpy() > 60
        out["dq-age-drift"].append({"week": week, "distances": drift_distances(batch[["age"]], baseline)})
        out["bias-drift"].append({"week": week, **bias_metrics(facet, label=outcome, prediction=predicted, methods=FAIRNESS_FIELDS)})
        stats = model_quality_statistics(BINARY_CLASSIFICATION, outcome.astype(int), predicted.astype(int))
        out["mq-per-group"].append({"week": week, **stats})
        shap_week = global_shap(shapley_values(predict, x[:40], background[:12]), LOAN_FEATURES)
        out["attribution-drift"].append({"week": week, "global_shap": shap_week, "nDCG": ndcg(base_shap, shap_week)})
    return {"outputs": out, "weeks": weeks}


def _fields(document) -> set[str]:
    """Every key anywhere in a (nested) output document."""
    if isinstance(document, dict):
        return set(document) | set().union(*(_fields(v) for v in document.values()))
    if isinstance(document, list):
        return set().union(*(_fields(v) for v in document)) if document else set()
    return set()


def request_outcomes(weekly: dict) -> list[Outcome]:
    weeks = weekly["weeks"]
    outcomes = []
    for key, (action, _monitor) in REQUEST_OPTIONS.items():
        docs = weekly["outputs"][key]
        after = [d for d in docs if d.get("week")]
        fields = _fields(after)
        fairness = sorted(set(FAIRNESS_FIELDS) & fields)
        importance = sorted(set(IMPORTANCE_FIELDS) & fields)
        if fairness:
            trend = f"DPPL week 1 {after[0]['DPPL']:+.3f}, week {weeks} {after[-1]['DPPL']:+.3f}"
        elif importance:
            trend = f"nDCG week 1 {after[0]['nDCG']:.3f}, week {weeks} {after[-1]['nDCG']:.3f}"
        elif after:
            trend = "its output holds " + ", ".join(sorted(f for f in fields - {"week"} if not f.isdigit())[:4])
        else:
            trend = "no output after deployment; the training-time report holds " + ", ".join(sorted(_fields(docs) - {"when"}))
        criteria = [
            criterion("weekly results after deployment", len(after), ">=", weeks,
                      detail="one report, written at training time" if not after else f"{len(after)} weekly outputs"),
            check("its output tracks a request: approvals compared across facets or feature importance", bool(fairness or importance),
                  f"it reports {', '.join(fairness + importance)} ({trend})", f"no facet comparison and no feature importance ({trend})"),
        ]
        outcomes.append(Outcome("?", action, criteria, {"fields": sorted(f for f in fields if not f.isdigit())[:12]}, key=key))
    return outcomes


MORTGAGE_OPTIONS = {
    "bias-monitor-and-retrain": "Bias drift monitor with sale prices as ground truth, and retrain on current data",
    "explainability-monitor": "A SHAP-based explainability monitor (no ground truth)",
    "data-quality-monitor": "A data-quality monitor on the captured requests",
    "retrain-old-data-regularized": "Retrain on the original low-rate data with stronger regularization",
}
SKEW_TOLERANCE = 0.03  # a group-level skew: first-time buyers' mean signed error this far from other buyers'
DCA_LIMIT = 0.2  # bias drift constraint on the difference in conditional acceptance (other buyers minus first-time buyers)


def homes(n: int, rate_mean: float, rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame({"sqft": rng.normal(1800, 450, n).clip(500, 5000), "region": rng.integers(0, 4, n),
                         "first_time": rng.random(n) < 0.3, "rate": rng.normal(rate_mean, 0.25, n)})


def sale_prices(df: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Log sale price: first-time buyers in regions 2 and 3 are far more sensitive to the mortgage rate."""
    region_level = np.array([12.0, 12.3, 12.1, 12.5])[df["region"]]
    sensitivity = np.where(df["first_time"], np.where(df["region"] >= 2, 0.08, 0.04), 0.02)
    return (region_level + 0.8 * (np.log(df["sqft"]) - np.log(1800)) - sensitivity * (df["rate"] - 3.0)
            + rng.normal(0, 0.06, len(df)))


def _home_design(df: pd.DataFrame) -> np.ndarray:
    region = np.eye(4)[df["region"]]
    ft = df["first_time"].to_numpy(float)[:, None]
    return np.column_stack([np.ones(len(df)), np.log(df["sqft"]) - np.log(1800), region[:, 1:], ft, ft * region[:, 1:], df["rate"] - 3.0])


def fit_ridge(df: pd.DataFrame, y: np.ndarray, alpha: float) -> np.ndarray:
    x = _home_design(df)
    penalty = alpha * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    return np.linalg.solve(x.T @ x + penalty, x.T @ y)


def group_skew(df: pd.DataFrame, y: np.ndarray, w: np.ndarray) -> float:
    """First-time buyers' mean signed error (estimate / price - 1) minus other buyers'."""
    error = np.exp(_home_design(df) @ w - y) - 1
    ft = df["first_time"].to_numpy()
    return float(error[ft].mean() - error[~ft].mean())


def mortgage_world(rng: np.random.Generator, weeks: int = 12, per_week: int = 400, label_weeks: int = 3) -> dict:
    train = homes(3000, 3.0, rng)
    y_train = sale_prices(train, rng)
    w = fit_ridge(train, y_train, 1e-3)
    threshold = float(np.quantile(y_train, 0.4))  # Clarify binarizes the regression label: price above this threshold

    def dca(df: pd.DataFrame, y: np.ndarray, weights: np.ndarray) -> float:
        return bias_metrics(df["first_time"].to_numpy(), label=y >= threshold, prediction=_home_design(df) @ weights >= threshold,
                            methods=("DCA",))["DCA"]

    production = [homes(per_week, 7.0, rng) for _ in range(weeks)]
    prices = [sale_prices(df, rng) for df in production]
    merged = [dca(df, y, w) for df, y in zip(production[: weeks - label_weeks], prices[: weeks - label_weeks])]  # sale prices arrive later
    from simulations.monitoring.baseline import suggest_baseline
    from simulations.monitoring.checks import drift_distances

    rate_baseline = suggest_baseline(train[["rate"]])
    rate_distance = [drift_distances(df[["rate"]], rate_baseline)["rate"] for df in production]
    # a linear model (in log price): its SHAP values against the training mean are (x - mean) * w
    importance = [np.abs((_home_design(df) - _home_design(train).mean(axis=0)) * w).mean(axis=0) for df in production]
    base_contrib = np.abs((_home_design(train) - _home_design(train).mean(axis=0)) * w).mean(axis=0)
    names = [f"c{i}" for i in range(len(w))]
    explain_ndcg = [ndcg(dict(zip(names, base_contrib)), dict(zip(names, c))) for c in importance]
    recent = pd.concat(production[: weeks - label_weeks], ignore_index=True)
    recent_y = np.concatenate(prices[: weeks - label_weeks])
    later = homes(2000, 7.0, rng)
    later_y = sale_prices(later, rng)
    models = {"deployed": w, "retrained-current": fit_ridge(recent, recent_y, 1e-3), "retrained-old-regularized": fit_ridge(train, y_train, 50.0)}
    return {"dca_weekly": merged, "dca_baseline": dca(train, y_train, w), "rate_distance": rate_distance, "explain_ndcg": explain_ndcg,
            "skew": {k: group_skew(later, later_y, m) for k, m in models.items()}, "label_weeks": label_weeks, "weeks": weeks}


def mortgage_outcomes(world: dict) -> list[Outcome]:
    skew = world["skew"]
    bias_alerts = sum(abs(v) > DCA_LIMIT for v in world["dca_weekly"])
    dq_alerts = sum(d > 0.1 for d in world["rate_distance"])
    explain_alerts = sum(v < NDCG_THRESHOLD for v in world["explain_ndcg"])
    reports = {  # what each option's monitor puts in front of the team, and which model serves afterwards
        "bias-monitor-and-retrain": ({"DCA": world["dca_weekly"][-1]}, bias_alerts, "retrained-current"),
        "explainability-monitor": ({"nDCG": world["explain_ndcg"][-1]}, explain_alerts, "deployed"),
        "data-quality-monitor": ({"rate_drift_distance": world["rate_distance"][-1]}, dq_alerts, "deployed"),
        "retrain-old-data-regularized": ({}, 0, "retrained-old-regularized"),
    }
    outcomes = []
    for key, action in MORTGAGE_OPTIONS.items():
        report, alerts, model = reports[key]
        group_metric = "DCA" in report
        shown = ", ".join(f"{k} {v:.3f}" for k, v in report.items()) or "no monitor"
        criteria = [
            check("alerts on a metric that compares buyer groups", group_metric and alerts > 0,
                  f"{alerts} weekly alerts on {shown} (limit {DCA_LIMIT}); sale prices arrive {world['label_weeks']} weeks late",
                  f"{alerts} alerts; it reports {shown}, nothing per buyer group" if report else "no monitor is set up"),
            criterion("first-time buyers' error minus other buyers' afterwards", round(abs(skew[model]), 4), "<=", SKEW_TOLERANCE,
                      detail=f"model serving: {model}; was {skew['deployed']:+.3f} with the model trained at 3 %"),
        ]
        outcomes.append(Outcome("?", action, criteria, {"alerts": alerts, "skew_after": round(skew[model], 4)}, key=key))
    return outcomes


TYPE_OPTIONS = {  # key -> the monitoring types the option lists, as MonitoringType strings
    "types-dq-datadrift-conceptdrift-latency": ("DataQuality", "DataDrift", "ConceptDrift", "EndpointLatency"),
    "types-dq-mq-bias-performance": ("DataQuality", "ModelQuality", "ModelBias", "EndpointPerformance"),
    "types-datadrift-mq-training-explain-completeness": ("DataDrift", "ModelQuality", "TrainingExplainability", "GroundTruthCompleteness"),
    "types-dq-mq-bias-attribution": ("DataQuality", "ModelQuality", "ModelBias", "ModelExplainability"),
}


def types_outcomes() -> list[Outcome]:
    """Create a schedule of every listed type with the engine; count what it accepts."""
    outcomes = []
    for key, types in TYPE_OPTIONS.items():
        accepted, refused = [], []
        for t in types:
            try:
                MonitoringSchedule(f"s-{t.lower()}", "endpoint", "cron(0 * ? * * *)", lambda s, e: {}, monitoring_type=t)
                accepted.append(t)
            except ValueError:
                refused.append(t)
        criteria = [criterion("listed types a monitoring schedule accepts", len(accepted), ">=", 4,
                              detail=("refused: " + ", ".join(refused)) if refused else "all accepted"),
                    criterion("Model Monitor's types the list covers", len(set(accepted) & set(MONITORING_TYPES)), ">=", len(MONITORING_TYPES))]
        outcomes.append(Outcome("?", ", ".join(types), criteria, {"accepted": accepted, "refused": refused}, key=key))
    return outcomes


# -- the run -----------------------------------------------------------------------------------------------
def run(params: dict, seed: int, progress=None) -> SimulationResult:
    rng = np.random.default_rng(seed)
    total = 4
    if progress:
        progress(0, total, "churn model, SHAP baseline and two explainability executions")
    attribution = attribution_world(params, np.random.default_rng([seed, 1]))
    if progress:
        progress(1, total, "the lender's dataset, model and daily monitors")
    monitors = monitor_world(params, np.random.default_rng([seed, 2]))
    facet = monitors["data"]["age"].to_numpy() > 60
    pre = bias_metrics(facet, label=monitors["label"], methods=("CI", "DPL"))
    if progress:
        progress(2, total, "hourly bias schedule of the hiring screen")
    hiring = hiring_world(np.random.default_rng([seed, 3]))
    di_outcomes, di_metrics = disparate_impact_outcomes(params, rng)
    if progress:
        progress(3, total, "judging the options")
    label_outcomes, insurer = label_value_outcomes(insurer_world(np.random.default_rng([seed, 4])))
    weekly = weekly_outputs(monitors, params, np.random.default_rng([seed, 5]))
    mortgage = mortgage_world(np.random.default_rng([seed, 6]))
    outcomes = request_outcomes(weekly) + mortgage_outcomes(mortgage) + (attribution_outcomes(attribution) + pre_training_outcomes(monitors["data"], monitors["label"]) + di_outcomes
                + without_labels_outcomes(monitors, params) + hiring_outcomes(hiring) + types_outcomes() + label_outcomes)
    for o in outcomes:
        o.letter = o.key  # the question links letter them

    shap = attribution["shap"]
    shap_table = pd.DataFrame({"feature": CHURN_FEATURES, **{name: [round(shap[name][f], 4) for f in CHURN_FEATURES] for name in shap}})
    daily = monitors["daily"]
    series = [Series(name, CHURN_FEATURES, [round(shap[name][f], 4) for f in CHURN_FEATURES], "bar", "feature", "mean |SHAP|",
                     "Global SHAP values of the churn model") for name in shap]
    series.append(Series("nDCG", ["Monday", "Tuesday"], [round(attribution["days"][d]["ndcg"], 4) for d in ("Monday", "Tuesday")],
                         "bar", "execution", "nDCG", "Attribution drift (violation below 0.9)"))
    series.append(Series("threshold", ["Monday", "Tuesday"], [NDCG_THRESHOLD] * 2, "line", "execution", "nDCG", "Attribution drift (violation below 0.9)"))
    series.append(Series("labelled records available", daily["day"].tolist(), daily["labelled_by_run"].tolist(), "line", "day",
                         "records", "Ground truth available to the daily jobs"))
    timeline = [Event(d, "violation" if attribution["days"][d]["violations"] else "info", _describe_report(d, attribution["days"][d]))
                for d in ("Monday", "Tuesday")]
    artifacts = [Artifact(f"explainability/{d.lower()}/constraint_violations.json", json.dumps(attribution["days"][d]["report"], indent=2) + "\n",
                          f"{d}'s feature attribution drift result") for d in ("Monday", "Tuesday")]
    artifacts.append(Artifact("explainability/baseline/global_shap.json", json.dumps(shap["baseline"], indent=2) + "\n", "baseline mean |SHAP| per feature"))
    key_numbers = {
        "baseline_ranking": attribution["baseline_ranking"],
        "monday_ndcg": round(attribution["days"]["Monday"]["ndcg"], 4), "tuesday_ndcg": round(attribution["days"]["Tuesday"]["ndcg"], 4),
        "monday_attribution_scale": round(attribution["days"]["Monday"]["scale"], 3),
        "tuesday_ranking": attribution["days"]["Tuesday"]["ranking"],
        "ci": round(pre["CI"], 4), "dpl": round(pre["DPL"], 4),
        "eval_dppl": round(di_metrics["DPPL"], 4), "eval_di": round(di_metrics["DI"], 4),
        "labelled_records_first_days": int(daily["labelled_by_run"].sum()),
        "true_accuracy_mean": round(float(daily["mq-validation-baseline:full"].mean()), 4),
        "hiring_match_rate_labels_without_inference_id": hiring["labels_without_inference_id_match_rate"],
        "insurer_dpl_with_label_0": round(insurer["original_dpl"], 4), "insurer_audit_paid_gap": round(insurer["audit_gap"], 4),
        "mortgage_skew_deployed": round(mortgage["skew"]["deployed"], 4),
        "mortgage_skew_retrained_current": round(mortgage["skew"]["retrained-current"], 4),
        "mortgage_dca_last_week": round(mortgage["dca_weekly"][-1], 4),
    }
    narrative = story(params, key_numbers, attribution, monitors, hiring)
    return SimulationResult(
        name=INFO.name, title=INFO.title, params=dict(params), seed=seed, narrative=narrative, series=series,
        tables={"global_shap": shap_table, "daily_monitors": daily}, timeline=timeline, artifacts=artifacts,
        outcomes=outcomes, key_numbers=key_numbers,
    )


def story(params: dict, k: dict, attribution: dict, monitors: dict, hiring: dict) -> str:
    """The narrative, sentence by sentence from the measured numbers."""
    base = " > ".join(k["baseline_ranking"])
    text = (f"The churn model's baseline ranks its features {base} by mean |SHAP|. On Monday every attribution is "
            f"{k['monday_attribution_scale']:.0%} of its baseline size and nDCG is {k['monday_ndcg']:.3f}; ")
    if k["tuesday_ndcg"] < NDCG_THRESHOLD:
        text += (f"on Tuesday support calls are multiplied by {params['support_call_surge']:g}, the ranking becomes "
                 f"{' > '.join(k['tuesday_ranking'])} and nDCG falls to {k['tuesday_ndcg']:.3f}, below {NDCG_THRESHOLD}: "
                 "one feature_attribution_drift_check is logged for the label. ")
    else:
        text += (f"on Tuesday the ranking is {' > '.join(k['tuesday_ranking'])} with nDCG {k['tuesday_ndcg']:.3f}, "
                 f"not below {NDCG_THRESHOLD}: there is no attribution drift to report. ")
    nd = int((monitors["data"]["age"] > 60).sum())
    text += (f"The lender's {len(monitors['data'])} labelled applications hold {nd} applicants over 60 (CI {k['ci']:+.3f}) and "
             f"their approval labels differ by DPL {k['dpl']:+.3f}; both are computed before any model exists. "
             f"On an evaluation set with {params['approved_a']}/{params['count_a']} and {params['approved_d']}/{params['count_d']} "
             f"predicted approvals Clarify's DPPL is {k['eval_dppl']:.3f} and DI {k['eval_di']:.3f}. ")
    if k["labelled_records_first_days"] == 0:
        text += (f"Loan outcomes arrive {params['label_delay_days']} days after each decision, so in the first {params['days']} days "
                 "no label exists: data quality and attribution jobs run, bias and model-quality jobs have nothing to merge. ")
    else:
        text += (f"With outcomes known after {params['label_delay_days']} days, {k['labelled_records_first_days']} labelled records "
                 f"reach the jobs in the first {params['days']} days, so the bias and model-quality jobs can run too. ")
    text += (f"The insurer's job with label_values_or_threshold=[0] reports DPL {k['insurer_dpl_with_label_0']:+.3f}, the opposite of the "
             f"audits' paid-rate gap {k['insurer_audit_paid_gap']:+.3f}, because it counts denials as the positive outcome. ")
    text += (f"At 7 % mortgage rates the house-price model trained at 3 % over-estimates first-time buyers by "
             f"{k['mortgage_skew_deployed']:+.1%} more than other buyers; the bias drift monitor's DCA reaches {k['mortgage_dca_last_week']:.2f} "
             f"and retraining on current data brings the gap to {k['mortgage_skew_retrained_current']:+.1%}. ")
    text += (f"On the hiring screen, labels keyed by application id match {hiring['labels_without_inference_id_match_rate']:.0%} of "
             "captured records until the requests send that id as their inference ID.")
    return text
