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


# -- the computation questions: expected states from a tiny M-of-N evaluator, not from the engine ---------
def m_of_n_states(values, threshold: float, n: int, m: int, op=np.greater) -> list[str]:
    """Complete data: after each minute, ALARM when at least m of the last n values breach."""
    breach = op(np.asarray(values, dtype=float), threshold)
    return ["ALARM" if k + 1 >= n and breach[k + 1 - n: k + 1].sum() >= m else "OK" for k in range(len(breach))]


def lettered(question: str, seed: int = 0):
    return {o.letter: o for o in run_simulation(NAME, seed=seed, question=question).outcomes}


def test_sliding_window_alarm_first_fires_after_minute_7_as_the_evaluator_says():
    minutes = [12, 4, 10, 14, 2, 11, 13]
    expected = m_of_n_states([0] * 5 + minutes, 10, 5, 3)[5:]
    outcomes = lettered("alarm-m-of-n-sliding-window", seed=3)
    assert outcomes["B"].evidence["states"] == expected
    assert outcomes["B"].evidence["first_alarm_minute"] == expected.index("ALARM") + 1 == 7
    ge = m_of_n_states([0] * 5 + minutes, 10, 5, 3, np.greater_equal)[5:]
    assert f"after minute {ge.index('ALARM') + 1}" in outcomes["C"].finding  # 10 counted as a breach: minute 4
    assert [letter for letter, o in outcomes.items() if o.works] == ["B"]


@pytest.mark.parametrize(("letter", "threshold", "n", "m"), [("A", 5, 3, 3), ("B", 5, 6, 5), ("C", 5, 4, 3), ("D", 7, 2, 2), ("E", 5, 2, 2)])
def test_each_candidate_alarm_state_after_minute_6_matches_the_evaluator(letter, threshold, n, m):
    values = [0, 7, 9, 0, 8, 6]
    outcome = lettered("alarm-which-configs-fire")[letter]
    expected = m_of_n_states(values, threshold, n, m)
    assert outcome.evidence["states"][n - 1:] == expected[n - 1:]  # before n minutes the engine's state is its own business
    assert outcome.works == (expected[-1] == "ALARM")


def test_heartbeat_only_breaching_pages_during_the_outage_and_nothing_pages_on_one_zero_minute():
    outcomes = lettered("alarm-missing-heartbeat-breaching", seed=2)
    a = outcomes["A"].evidence["outage_states"]
    assert a.get("ALARM", 0) >= 40 - (5 + 2)  # ALARM once the whole evaluation range (N + 2 periods) is missing
    assert outcomes["B"].evidence["outage_states"] == {"OK": 40}  # notBreaching: silence looks healthy
    assert outcomes["C"].evidence["outage_states"] == {"OK": 40}  # ignore: keeps the OK it had
    assert outcomes["D"].evidence["outage_states"].get("INSUFFICIENT_DATA", 0) > 0
    d_false = next(c for c in outcomes["D"].criteria if c.name == "notifications while the function was publishing")
    assert d_false.measured == 1  # 1 of 5 pages on the single minute that wrote 0
    assert [letter for letter, o in outcomes.items() if o.works] == ["A"]


def test_sparse_failures_not_breaching_is_ok_except_right_after_the_burst():
    outcomes = lettered("alarm-sparse-errors-notbreaching", seed=1)
    c = outcomes["C"].evidence
    states, burst = np.array(c["states"]), c["burst_minute"]
    alarm_minutes = np.flatnonzero(states == "ALARM")
    # the period holding the burst completes after minute burst + 4; ALARM starts then and lasts at most the
    # evaluation range (3 periods of 5 minutes), every other minute is OK
    assert alarm_minutes[0] == burst + 4 and alarm_minutes[-1] < burst + 4 + 15
    assert set(states[states != "ALARM"]) == {"OK"}
    assert outcomes["A"].evidence["minutes_per_state"]["ALARM"] > 200  # breaching: quiet periods count as bad
    assert outcomes["B"].evidence["states"][-1] == "ALARM"  # ignore: still in ALARM hours after the burst
    assert outcomes["D"].evidence["minutes_per_state"]["INSUFFICIENT_DATA"] > 180
    assert [letter for letter, o in outcomes.items() if o.works] == ["C"]


@pytest.mark.parametrize("seed", [0, 4])
def test_only_ignore_keeps_ok_through_the_gap_and_alarm_after_the_deletion(seed):
    outcomes = lettered("alarm-ignore-keeps-state", seed=seed)
    for letter, o in outcomes.items():
        assert o.evidence["incident_state"] == "ALARM"  # 10 minutes of 900 ms: 3 of 3 above 500
    d = outcomes["D"].evidence
    assert set(d["quiet_states"]) == {"OK"} and set(d["after_deletion_states"]) == {"ALARM"}
    assert "ALARM" in outcomes["B"].evidence["quiet_states"]  # breaching: the quiet gap raises ALARM
    assert outcomes["C"].evidence["after_deletion_states"][-1] == "OK"  # notBreaching: back to OK
    assert outcomes["A"].evidence["after_deletion_states"][-1] == "INSUFFICIENT_DATA"
    assert [letter for letter, o in outcomes.items() if o.works] == ["D"]


@pytest.mark.parametrize(("letter", "n", "m"), [("A", 3, 2), ("B", 1, 1), ("D", 5, 5)])
def test_one_minute_configs_detect_after_m_minutes_and_page_on_spikes_only_with_m_1(letter, n, m):
    outcome = lettered("alarm-detection-time-config", seed=2)[letter]
    sustained = m_of_n_states([1.0] * 20 + [9.0] * 20, 5, n, m)
    assert outcome.evidence["detection_minutes"] == [sustained.index("ALARM") - 20 + 1] * 5
    isolated = np.zeros(60)
    isolated[[10, 40]] = 9.0
    spike_alarms = m_of_n_states(isolated, 5, n, m).count("ALARM")
    assert (outcome.evidence["spike_pages"] > 0) == (spike_alarms > 0)


def test_five_minute_period_detection_depends_on_where_the_slowdown_starts():
    outcomes = lettered("alarm-detection-time-config", seed=0)
    # a slowdown starting k minutes into a period makes that period's p99 slow: ALARM when it closes
    assert outcomes["C"].evidence["detection_minutes"] == [5, 4, 3, 2, 1]
    assert outcomes["C"].evidence["spike_pages"] == 4  # one slow minute is 20 % of the period's requests
    assert [letter for letter, o in outcomes.items() if o.works] == ["A"]


@pytest.mark.parametrize("seed", [0, 3])
def test_log_filter_alarm_notifies_once_per_out_of_memory_burst_and_5xx_also_on_other_failures(seed):
    outcomes = lettered("mon-log-metric-filter-alarm", seed=seed)
    a = outcomes["A"].evidence
    # one notification at the end of each 5-minute period holding more than 3 out-of-memory lines
    assert a["notification_minutes"] == [5 * p + 4 for p in a["burst_periods"]]
    assert len(a["burst_periods"]) == 3
    assert outcomes["B"].evidence["notification_minutes"] == []  # utilization never exceeds 100 %
    assert outcomes["C"].evidence["notification_minutes"] == a["notification_minutes"]  # works, but is code
    extra = set(outcomes["D"].evidence["notification_minutes"]) - set(a["notification_minutes"])
    assert extra  # the unrelated upstream outage pages the 5XX alarm
    assert [letter for letter, o in outcomes.items() if o.works] == ["A"]
