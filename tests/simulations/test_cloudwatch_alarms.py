"""cloudwatch-alarms: alarm epochs and emails checked against the CloudWatch user-guide rule
(one datapoint per period; ALARM when M of the last N breach; actions only on transitions)."""

from __future__ import annotations

import numpy as np
import pytest

from simulations.registry import run_simulation, run_world

NAME = "cloudwatch-alarms"


@pytest.fixture(scope="module")
def world():
    return run_world(NAME, seed=0)


def outcome(result, key):
    return next(o for o in result.outcomes if o.key == key)


def curve(result, name):
    return np.array(next(s.y for s in result.series if s.name == name))


def first_m_of_n(breach: np.ndarray, m: int, n: int) -> int | None:
    for k in range(len(breach)):
        if breach[max(0, k - n + 1): k + 1].sum() >= m and k + 1 >= n:
            return k
    return None


def test_gap_alarm_fires_at_the_first_epoch_the_gap_exceeds_the_threshold(world):
    gap = curve(world, "overfit: val_loss") - curve(world, "overfit: train_loss")
    expected = first_m_of_n(gap > 0.3, 1, 1)
    assert outcome(world, "gap:gap-above-0.3").evidence["alarm_epochs_overfitting_run"] == [expected]
    assert outcome(world, "gap:gap-above-0.3").evidence["alarm_epochs_healthy_run"] == []


def test_three_consecutive_rises_rule(world):
    val, train = curve(world, "overfit: val_loss"), curve(world, "overfit: train_loss")
    breach = np.r_[False, (np.diff(val) > 0) & (np.diff(train) < 0)]
    expected = first_m_of_n(breach, 3, 3)
    assert outcome(world, "signal:val-up-3-train-down").evidence["overfit"] == [expected]


def test_cpu_alarm_fires_at_once_in_every_run(world):
    assert outcome(world, "gap:cpu-above-90").evidence["alarm_epochs_overfitting_run"] == [0]
    assert outcome(world, "gap:cpu-above-90").evidence["alarm_epochs_healthy_run"] == [0]


def test_drift_alarm_emails_once_per_episode_on_the_transition(world):
    distances = world.tables["drift_runs"]["income_distance"].to_numpy()
    drifted = distances > 0.1
    episodes = int(np.sum(drifted & ~np.r_[False, drifted[:-1]]))
    assert world.key_numbers["alarm_emails"] == episodes == 1
    first = int(np.argmax(drifted))
    assert world.key_numbers["first_drift_hour"] == first == world.params["drift_hour"]
    assert outcome(world, "drift:alarm-on-metric-to-sns").works


def test_record_emails_fire_before_any_drift(world):
    d = outcome(world, "drift:preprocessing-emails")
    assert not d.works and d.evidence["emails"] > world.params["hours"]


def test_lambda_on_the_topic_stops_at_the_alarm_epoch(world):
    a = outcome(world, "stop:lambda-on-topic")
    assert a.works
    lag = next(c for c in a.criteria if c.name == "epochs trained after the alarm")
    assert lag.measured == 0


def test_control_world_sends_nothing():
    control = run_world(NAME, seed=0, preset="nothing-wrong")
    assert control.key_numbers["alarm_emails"] == 0 and control.key_numbers["gap_epoch"] == -1
    assert "nothing to alert about" in control.narrative and "No training run overfits" in control.narrative


@pytest.mark.parametrize("prefix,answer", [("signal:", ["signal:gap-above-threshold", "signal:val-up-3-train-down"]),
                                           ("stop:", ["stop:lambda-on-topic"])])
def test_working_keys(prefix, answer):
    assert sorted(o.key for o in run_world(NAME, seed=4).outcomes if o.works and o.key.startswith(prefix)) == answer
    assert run_simulation(NAME, seed=4).question_id == "drift-alarm-to-sns"


def test_training_job_events_carry_no_loss_but_reach_sns(world):
    assert outcome(world, "events:no-loss-in-events").works
    delivered = outcome(world, "events:cannot-target-sns").criteria[0].measured
    assert delivered == 3  # one matched Completed event x three confirmed addresses
    assert outcome(world, "events:charged-per-email").criteria[0].measured == 0
