"""monitoring-schedules: offsets, cron, label keys and on-demand runs, checked against rules
computed here independently of the simulation."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from simulations import monitoring_schedules as sim
from simulations.monitoring.ground_truth import merge_ground_truth
from simulations.registry import run_simulation, run_world

NAME = "monitoring-schedules"


@pytest.fixture(scope="module")
def world():
    return run_world(NAME, seed=0)


def outcome(result, key):
    return next(o for o in result.outcomes if o.key == key)


def first_run_with_label(hour: int, delay: int, start_back: int, end_back: int) -> int | None:
    """Hourly runs T analyse trips of [T - start_back, T - end_back); labels of hour h arrive at h + delay."""
    for t in range(hour + 1, hour + 200):
        whole_hour_in_window = t - start_back <= hour and hour + 1 <= t - end_back
        if whole_hour_in_window and t >= hour + delay:
            return t
    return None


@pytest.mark.parametrize("delay", [2, 4, 6, 7])
def test_prompt_share_of_minus_6h_minus_1h_follows_the_window_rule(delay):
    result = run_world(NAME, {"label_delay_hours": delay}, seed=1)
    share = outcome(result, "offsets:-PT6H/-PT1H").evidence["prompt_share"]
    first = first_run_with_label(10, delay, 6, 1)
    expected_prompt = first is not None and first - (10 + delay) <= 1
    assert share == (1.0 if expected_prompt else 0.0)


def test_one_hour_window_never_sees_six_hour_late_labels_and_the_long_window_is_a_day_late(world):
    short = outcome(world, "offsets:-PT1H/-PT0H").evidence
    assert short["completed"] == 0 and first_run_with_label(10, 6, 1, 0) is None
    long = outcome(world, "offsets:-P6D/-P1D").evidence
    assert long["completed"] == long["executions"] == 24 and long["prompt_share"] == 0.0
    assert first_run_with_label(10, 6, 144, 24) - 16 >= 18  # at least 18 hours after the label


def test_filtering_one_join_equals_calling_the_merge_per_run():
    rng = np.random.default_rng(0)
    p = {"requests_per_hour": 5, "label_delay_hours": 6, "with_inference_id": True, "hotfix_minute": 0}
    inputs, predicted, actual, times = sim.trips(p, rng)
    captured = pd.DataFrame({"event_id": [f"e{i}" for i in range(len(inputs))], "inference_id": [f"o{i}" for i in range(len(inputs))],
                             "inference_time": times, "eta": predicted})
    labels = sim.label_frame(captured, pd.Series(actual), 6)
    joined = merge_ground_truth(captured, labels, sim.START, sim.START + timedelta(days=sim.DAYS)).merged
    for hours in (30, 41, 55):
        now = sim.START + timedelta(hours=hours)
        start, end = now - timedelta(hours=6), now - timedelta(hours=1)
        direct = merge_ground_truth(captured, labels, start, end, labels_available_at=now).merged
        t = pd.to_datetime(joined["inference_time"], utc=True)
        mine = joined.loc[(t >= start) & (t < end) & (pd.to_datetime(joined["label_time"], utc=True) <= now)]
        assert sorted(direct["inference_id"]) == sorted(mine["inference_id"])


def test_cron_fire_counts(world):
    runs = {o.key: o.evidence["runs_per_day"] for o in world.outcomes if o.key.startswith("cron:")}
    assert runs == {"cron:cron(0 * ? * * *)": 24, "cron:rate(1 hour)": 0, "cron:cron(* 0 ? * * *)": 60, "cron:cron(0 0 ? * * *)": 1}


def test_join_key_follows_the_inference_id_rule(world):
    assert outcome(world, "join:inference-id").works and not outcome(world, "join:event-id").works
    without = run_world(NAME, seed=0, preset="no-inference-id")
    assert outcome(without, "join:event-id").works and not outcome(without, "join:inference-id").works


def test_upload_under_inference_date_is_dated_before_the_predictions(world):
    b = outcome(world, "key:inference-date").evidence
    assert b["found"] == b["uploaded"] == b["dated_before_prediction"] > 0
    assert outcome(world, "key:capture-layout").evidence["found"] == 0


def test_on_demand_waits(world):
    waits = {o.key: o.evidence["wait_minutes"] for o in world.outcomes if o.key.startswith("on-demand:")}
    assert waits["on-demand:processing-job"] == 0 and waits["on-demand:monitor-batch-transform-step"] == 0
    minute = world.params["hotfix_minute"]
    for key in ("lower-alarm-threshold", "special-header", "restart-endpoint"):
        assert waits[f"on-demand:{key}"] == 60 - minute


def test_control_world_lets_a_one_hour_window_work():
    control = run_world(NAME, seed=0, preset="labels-within-the-hour")
    assert outcome(control, "offsets:-PT1H/-PT0H").works
    assert "no long wait" in control.narrative


def test_lettered_for_each_question_and_fast():
    import time

    start = time.process_time()
    result = run_world(NAME, seed=3)
    assert time.process_time() - start < 1.5  # < 1 s on a quiet machine; slack for a loaded CI box
    works = sorted(o.key for o in result.outcomes if o.works and o.key.startswith("on-demand:"))
    assert works == ["on-demand:monitor-batch-transform-step", "on-demand:processing-job"]


# -- schedule-every-six-hours ---------------------------------------------------------------------
def test_every_six_hours_execution_counts_over_two_full_days(world):
    ev = {o.key: o.evidence for o in world.outcomes if o.key.startswith("every-x-hours:")}
    assert "expected 'NOW' or cron(" in ev["every-x-hours:rate(6 hours)"]["error"]
    assert ev["every-x-hours:rate(6 hours)"]["executions"] == 0
    # the minute field 0/360 is {0}: the step never reaches a second minute, '*' hours fire every hour
    assert (ev["every-x-hours:cron(0/360 * ? * * *)"]["executions"], ev["every-x-hours:cron(0/360 * ? * * *)"]["off_time"]) == (48, 40)
    six = ev["every-x-hours:cron(0 0/6 ? * * *)"]
    assert (six["executions"], six["off_time"], six["missed"], six["completed"]) == (8, 0, 0, 8)
    assert six["first_day_times"] == "00:00, 06:00, 12:00, 18:00"
    daily = ev["every-x-hours:cron(0 6 ? * * *)"]
    assert (daily["executions"], daily["off_time"], daily["missed"], daily["first_day_times"]) == (2, 0, 6, "06:00")
    assert sorted(k for k in ev if outcome(world, k).works) == ["every-x-hours:cron(0 0/6 ? * * *)"]


def test_every_six_hours_verdicts_follow_the_wanted_cadence():
    hourly = run_world(NAME, seed=0, preset="runs-every-hour")
    works = sorted(o.key for o in hourly.outcomes if o.works and o.key.startswith("every-x-hours:"))
    assert works == ["every-x-hours:cron(0/360 * ? * * *)"]
    assert outcome(hourly, "every-x-hours:cron(0 0/6 ? * * *)").evidence["missed"] == 40
    twice = run_world(NAME, {"run_every_hours": 12}, seed=0)  # 00:00 and 12:00: no option fits
    assert not any(o.works for o in twice.outcomes if o.key.startswith("every-x-hours:"))
    assert outcome(twice, "every-x-hours:cron(0 0/6 ? * * *)").evidence["off_time"] == 4


# -- schedule-one-time-now -------------------------------------------------------------------------
def captured_times(seed: int, per_hour: int = 20) -> pd.DatetimeIndex:
    """The trip times run() captures: trips() is the first draw of the seed's generator."""
    p = {"requests_per_hour": per_hour, "label_delay_hours": 6, "with_inference_id": True, "hotfix_minute": 0}
    return sim.trips(p, np.random.default_rng(seed))[3]


def count(times: pd.DatetimeIndex, start: str, end: str) -> int:
    return int(((times >= pd.Timestamp(start)) & (times < pd.Timestamp(end))).sum())


def test_one_time_now_analyses_exactly_the_previous_24_hours(world):
    times = captured_times(0)
    now = outcome(world, "one-time:now-pt24h-pt0h")
    assert now.works
    assert now.evidence["window"] == "2024-03-02T10:17:00Z to 2024-03-03T10:17:00Z"
    assert now.evidence["analysed"] == now.evidence["last_day_records"] == count(times, "2024-03-02T10:17Z", "2024-03-03T10:17Z")
    assert (now.evidence["prompt"], now.evidence["extra_executions"], now.evidence["hourly_runs"]) == (1, 1, 3)


def test_one_time_alternatives_run_late_narrow_or_not_at_all(world):
    times = captured_times(0)
    cron = outcome(world, "one-time:hourly-cron-then-delete").evidence
    assert cron["window"] == "2024-03-03T10:00:00Z to 2024-03-03T11:00:00Z"  # its first run: 11:00, the usual last hour
    assert (cron["prompt"], cron["extra_executions"]) == (0, 1)  # deleted after that run
    assert cron["analysed"] == count(times, "2024-03-03T10:00Z", "2024-03-03T10:17Z")
    bare = outcome(world, "one-time:now-no-window").evidence
    assert "needs start_offset and end_offset" in bare["error"] and bare["extra_executions"] == 0
    start = outcome(world, "one-time:start-existing-schedule").evidence
    assert (start["extra_executions"], start["hourly_runs"], start["error"]) == (0, 3, "")
    works = sorted(o.key for o in world.outcomes if o.works and o.key.startswith("one-time:"))
    assert works == ["one-time:now-pt24h-pt0h"]


def test_a_request_just_before_the_hour_makes_the_cron_run_prompt_but_still_one_hour_wide():
    late = run_world(NAME, {"hotfix_minute": 57}, seed=0)
    cron = outcome(late, "one-time:hourly-cron-then-delete")
    assert cron.evidence["prompt"] == 1 and cron.criteria[0].passed  # 11:00 is 3 minutes after 10:57
    assert not cron.works and cron.evidence["analysed"] < cron.evidence["last_day_records"] / 20
