"""training-monitors: regex metrics, rules, alarms and the median rule checked against independent computations."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from simulations.registry import run_simulation, run_world
from simulations.training_monitors import debugger_rules, extract_metric, matches, overfit_rule, tuning_trials

NAME = "training-monitors"


@pytest.fixture(scope="module")
def default():
    return run_world(NAME, seed=0)


def test_regexes_extract_what_the_log_says(default):
    log = default.artifact_text("training/job.log").splitlines()
    by_hand = [float(field.split("=")[1]) for line in log for field in line.split() if field.startswith("val_loss=")]
    assert len(by_hand) == default.params["epochs"]
    assert extract_metric(r"val_loss=([0-9\.]+)", log) == by_hand
    assert extract_metric(r"val_loss", log) == []  # no capture group: no value
    assert extract_metric(r"epoch=([0-9]+) .* val_loss", log) == list(map(float, range(1, len(by_hand) + 1)))
    assert default.tables["losses"]["val_loss"].tolist() == by_hand


def test_alarm_and_rule_fire_where_the_losses_say(default):
    losses = default.tables["losses"]
    gap = (losses["val_loss"] - losses["train_loss"]).round(3).to_numpy()
    threshold = default.params["gap_threshold"]
    above = gap > threshold
    expected_alarm = next(i + 1 for i in range(1, len(gap)) if above[i] and above[i - 1])  # 2 of 2 epochs
    assert default.key_numbers["alarm_epoch"] == expected_alarm == default.key_numbers["lambda_stop_epoch"]
    ratio = gap / losses["train_loss"].to_numpy()
    expected_rule = next(i + 1 for i in range(1, len(ratio)) if ratio[i] > 0.5 and ratio[i - 1] > 0.5)
    assert default.key_numbers["debugger_rule_epoch"] == expected_rule
    onset = default.key_numbers["onset_epoch"]
    assert onset < expected_rule <= onset + default.params["stop_within"]


def test_overfit_rule_and_built_in_rules_on_crafted_tensors():
    train = np.array([1.0, 0.8, 0.6, 0.5, 0.45])
    assert overfit_rule(train, train * 1.2, ratio=0.5) is None
    assert overfit_rule(train, np.array([1.1, 0.9, 0.95, 0.8, 0.9]), ratio=0.5) == 4  # ratios .1 .125 .58 .6 1.0
    rng = np.random.default_rng(0)
    saves = 20
    run = {"loss": np.linspace(2.0, 0.5, saves), "val": np.linspace(2.0, 0.5, saves) * 1.05,
           "grads": np.full((saves, 2, 8), 1e-3), "labels": np.r_[np.zeros(1100, int), np.ones(100, int)],
           "tensors": rng.normal(size=(saves, 16))}
    healthy = debugger_rules(run)
    assert {k for k, v in healthy.items() if v["status"] == "IssuesFound"} == {"class_imbalance"}  # 11:1 > 10
    run["grads"][12:, 0] = 1e-9
    run["tensors"][5, 3] = np.nan
    sick = debugger_rules(run)
    assert sick["vanishing_gradient"]["first_save"] == 12 and sick["exploding_tensor"]["first_save"] == 5


def test_eventbridge_pattern_matching():
    event = {"source": "aws.sagemaker", "detail-type": "SageMaker Training Job State Change",
             "detail": {"TrainingJobStatus": "Completed", "SecondaryStatus": "Completed"}}
    assert matches({"source": ["aws.sagemaker"], "detail": {"TrainingJobStatus": ["Completed", "Failed"]}}, event)
    assert not matches({"detail": {"TrainingJobStatus": ["Overfitting"]}}, event)
    assert not matches({"detail": {"LossValue": ["1"]}}, event)


def test_median_rule_against_statistics_median():
    tuning = tuning_trials(4.9, np.random.default_rng(3))
    running5 = tuning["running"][:, 4]
    assert running5 == pytest.approx([4.1, 4.4, 4.6, 5.3])
    assert tuning["median"][4] == pytest.approx(statistics.median(running5.tolist())) == pytest.approx(4.5)
    assert all(tuning["current"][:4] <= tuning["median"][:4]) and tuning["stop_at"] == 5


def test_answers_and_the_control_world():
    expect = {"debugger-overfit-stop": ["A"], "metric-definitions-regex": ["C"], "stop-training-on-overfit": ["A"],
              "eventbridge-cannot-see-overfitting": ["C"], "overfitting-signals": ["C", "D"], "early-stopping-median": ["D"],
              "debugger-rules-match-symptoms": ["A", "E"], "debugger-closed-new-account": ["B"]}
    for qid, letters in expect.items():
        assert run_simulation(NAME, seed=2, question=qid).correct_letters == letters, qid
    control = run_world(NAME, seed=0, preset="no-overfitting")
    k = control.key_numbers
    assert k["onset_epoch"] is None and k["debugger_rule_epoch"] is None and k["alarm_epoch"] is None
    assert "does not overfit" in control.narrative
    tuned = run_simulation(NAME, seed=0, preset="tuned-job-on-par", question="early-stopping-median")
    assert tuned.correct_letters == []
