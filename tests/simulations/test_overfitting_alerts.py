"""overfitting-alerts: PutMetricData -> alarm -> SNS email works; polling and EventBridge do not."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from simulations.monitoring.sns import Topic
from simulations.overfitting_alerts import START, judge
from simulations.params import ParameterError
from simulations.registry import run_simulation
from simulations.result import SimulationResult

NAME = "overfitting-alerts"


@pytest.fixture(scope="module")
def default():
    return run_simulation(NAME, seed=0)



def test_same_seed_same_result_and_different_seed_different_numbers():
    first, second = run_simulation(NAME, seed=3), run_simulation(NAME, seed=3)
    assert first.to_dict() == second.to_dict()
    other = run_simulation(NAME, seed=4)
    assert other.tables["epochs"]["validation_loss"].tolist() != first.tables["epochs"]["validation_loss"].tolist()


def test_only_b_works(default):
    assert default.question_id == "overfitting-email-alerts"
    assert [o.letter for o in default.outcomes] == ["A", "B", "C", "D"]
    assert default.correct_letters == ["B"]


def test_b_alarms_n_epochs_after_the_onset_and_emails_every_confirmed_member(default):
    ev = default.outcome("B").evidence
    k, n = default.params["overfit_epoch"], default.params["consecutive"]
    assert ev["true_onset_epoch"] == k
    assert ev["alarm_epoch"] == k + n == ev["earliest_possible_epoch"]
    assert ev["emails_delivered"] == ev["confirmed_members"] == default.params["team_size"] - default.params["unconfirmed"]
    assert ev["emails_to_pending"] == 0
    assert ev["epochs_missing_in_cloudwatch"] == 0


def test_outbox_holds_confirmations_for_all_and_alerts_for_confirmed_only(default):
    outbox = json.loads(default.artifact_text("b-script-metrics/outbox.json"))
    subscriptions = json.loads(default.artifact_text("b-script-metrics/subscriptions.json"))
    emails = [s for s in subscriptions if s["Protocol"] == "email"]
    pending = {s["Endpoint"] for s in emails if s["SubscriptionArn"] == "PendingConfirmation"}
    confirmed = {s["Endpoint"] for s in emails} - pending
    assert len(pending) == default.params["unconfirmed"] and len(confirmed) == default.key_numbers["confirmed_members"]
    alerts = [e for e in outbox if e["kind"] == "notification"]
    assert {e["to"] for e in alerts} == confirmed and len(alerts) == len(confirmed)  # once each, on the transition
    assert {e["to"] for e in outbox if e["kind"] == "subscription-confirmation"} == confirmed | pending
    body = json.loads(alerts[0]["body"])
    assert body["NewStateValue"] == "ALARM" and body["Trigger"]["MetricName"] == "validation_loss_change"
    alarm_minute = default.key_numbers["b_alarm_epoch"]
    assert alerts[0]["timestamp"] == f"2025-03-03T09:{alarm_minute:02d}:00Z"


def test_alarm_history_and_metric_datapoints_artifacts(default):
    history = json.loads(default.artifact_text("b-script-metrics/alarm_history.json"))
    assert [(h["OldState"], h["NewState"]) for h in history][-1] == ("OK", "ALARM")
    data = json.loads(default.artifact_text("b-script-metrics/metric_datapoints.json"))
    names = {d["MetricName"] for d in data["MetricData"]}
    assert names == {"train_loss", "validation_loss", "validation_loss_change", "generalization_gap"}
    assert len(data["MetricData"]) == 4 * default.key_numbers["b_alarm_epoch"]  # stopped at the alarm epoch


def test_auto_stop_saves_the_remaining_epochs(default):
    ev = default.outcome("B").evidence
    assert ev["stopped_at_epoch"] == ev["alarm_epoch"]
    assert ev["epochs_saved"] == default.params["epochs"] - ev["alarm_epoch"] > 0
    off = run_simulation(NAME, {"auto_stop": False}, seed=0)
    assert off.outcome("B").evidence["epochs_saved"] == 0
    assert off.outcome("B").evidence["emails_delivered"] == off.key_numbers["confirmed_members"]  # still once each
    assert off.tables["epochs"]["b_alarm_state"].iloc[-1] == "ALARM"


def test_polling_lambda_is_late_and_misses_datapoints(default):
    a, b = default.outcome("A"), default.outcome("B")
    assert a.evidence["epochs_missing_in_cloudwatch"] > 0
    # one datapoint every poll_minutes periods: B's per-epoch alarm never sees N datapoints in a row
    assert a.evidence["datapoints_published"] == a.evidence["alarm_epoch"] // default.params["poll_minutes"]
    assert a.evidence["alarm_epoch"] > b.evidence["alarm_epoch"]
    timing = a.criteria[1]
    assert timing.name == "epochs from the onset to the first alert email" and not timing.passed
    assert timing.measured == a.evidence["alarm_epoch"] - default.params["overfit_epoch"] > timing.threshold
    assert not a.works


def test_every_option_is_judged_by_the_same_tests_on_the_emails_it_sent(default):
    names = {tuple(c.name for c in o.criteria) for o in default.outcomes}
    assert names == {("alert emails before the model started to overfit", "epochs from the onset to the first alert email",
                      "confirmed members who got the alert")}


@pytest.mark.parametrize("letter", ["C", "D"])
def test_eventbridge_rules_match_only_the_final_state_change_and_email_too_late(default, letter):
    o = default.outcome(letter)
    ev = o.evidence
    events = json.loads(default.artifact_text("c-d-eventbridge/events.json"))
    assert ev["events_received"] == len(events["events"]) > 0
    assert ev["events_with_per_epoch_loss"] == 0  # nothing sent during training carries a loss
    assert ev["rule_matches"] == 1  # the engine's matcher finds only the Completed event
    matched = [e for e in events["events"] if "FinalMetricDataList" in e["detail"]]
    assert [e["detail"]["TrainingJobStatus"] for e in matched] == ["Completed"]
    outbox = json.loads(default.artifact_text(f"c-d-eventbridge/outbox_{letter.lower()}.json"))
    alerts = [e for e in outbox if e["kind"] == "notification"]
    assert len(alerts) == ev["emails_delivered"] == default.key_numbers["confirmed_members"]
    assert ev["first_alert_epoch"] == default.params["epochs"] + 1  # the minute after training ended
    timing = o.criteria[1]
    assert timing.measured == ev["first_alert_epoch"] - default.params["overfit_epoch"] and not timing.passed
    assert "after training ended" in timing.says and not o.works


def test_d_invokes_its_lambda_once_per_match(default):
    assert default.outcome("D").evidence["lambda_invocations"] == default.outcome("D").evidence["rule_matches"] == 1
    events = json.loads(default.artifact_text("c-d-eventbridge/events.json"))["events"]
    assert {e["detail"]["TrainingJobStatus"] for e in events} <= {"InProgress", "Completed", "Stopped"}


def test_emails_series_are_counted_from_each_outbox(default):
    series = {s.name: s for s in default.series if s.chart == "Alert emails delivered (cumulative)"}
    kn = default.key_numbers
    assert [series[f"{x} emails"].y[-1] for x in "ABCD"] == [kn["a_emails"], kn["b_emails"], kn["c_emails"], kn["d_emails"]]
    c = series["C emails"]
    assert c.y[c.x.index(default.params["epochs"])] == 0 and c.y[-1] > 0  # nothing until the job has ended


@pytest.mark.parametrize("seed", range(3))
def test_a_run_that_does_not_overfit_flips_a_and_the_story(seed):
    control = run_simulation(NAME, seed=seed, preset="no-overfitting")
    kn = control.key_numbers
    assert kn["overfits"] is False and kn["true_onset_epoch"] is None
    assert kn["longest_validation_rise"] < control.params["consecutive"]
    assert kn["b_alarm_epoch"] is None and kn["b_emails"] == kn["a_emails"] == 0
    assert control.correct_letters == ["A", "B"]  # staying quiet is right when nothing overfits
    c = control.outcome("C")
    assert c.criteria[0].name == "alert emails in a run that does not overfit" and c.criteria[0].measured == kn["c_emails"] > 0
    assert "the model does not overfit" in control.narrative and "premise of the question is absent" in control.narrative
    assert "bottoms out" not in control.narrative and "rises from epoch" not in control.narrative


def test_a_lambda_polling_every_minute_misses_nothing_and_works():
    result = run_simulation(NAME, seed=0, preset="poll-every-minute")
    a, b = result.outcome("A").evidence, result.outcome("B").evidence
    assert a["epochs_missing_in_cloudwatch"] == 0 and a["alarm_epoch"] == b["alarm_epoch"]
    assert result.correct_letters == ["A", "B"]
    assert a["moving_parts"] > b["moving_parts"]  # what is left against A: more to build and secure
    assert result.outcome("A").result != run_simulation(NAME, seed=0).outcome("A").result


def _outbox_with_alerts_at(epochs: list[int]):
    topic = Topic("t")
    sub = topic.subscribe("email", "ana@example.com", timestamp=START)
    topic.confirm_subscription(sub.token)
    for e in epochs:
        topic.publish("alarm", "ALARM", timestamp=START + timedelta(minutes=e))
    return topic.outbox


def test_judge_counts_an_alert_before_the_onset_against_any_option():
    early = judge(_outbox_with_alerts_at([9, 18]), True, 15, 3, 1, 0, 40)
    assert [c.passed for c in early] == [False, True, True]
    assert early[0].measured == 1 and "first at epoch 9" in early[0].says
    on_time = judge(_outbox_with_alerts_at([18]), True, 15, 3, 1, 0, 40)
    assert all(c.passed for c in on_time) and on_time[1].measured == 3
    silent = judge(_outbox_with_alerts_at([]), True, 15, 3, 1, 0, 40)
    assert [c.passed for c in silent] == [True, False, False] and "no alert email in the 25 epochs" in silent[1].says
    quiet_world = judge(_outbox_with_alerts_at([]), False, 15, 3, 1, 0, 40)
    assert len(quiet_world) == 1 and quiet_world[0].passed
    assert not judge(_outbox_with_alerts_at([41]), False, 15, 3, 1, 0, 40)[0].passed


@pytest.mark.parametrize(
    "params",
    [
        {"overfit_epoch": 5},
        {"overfit_epoch": 30, "epochs": 60},
        {"consecutive": 2},
        {"consecutive": 5, "poll_minutes": 2},
        {"team_size": 1, "unconfirmed": 0},
        {"team_size": 12, "unconfirmed": 4, "auto_stop": False},
    ],
)
def test_variations_keep_b_correct(params):
    result = run_simulation(NAME, params, seed=1)
    p = result.params
    assert result.correct_letters == ["B"]
    assert result.key_numbers["b_alarm_epoch"] == p["overfit_epoch"] + p["consecutive"]
    assert result.key_numbers["b_emails"] == p["team_size"] - p["unconfirmed"]
    assert result.key_numbers["c_emails"] == result.key_numbers["d_emails"] == p["team_size"] - p["unconfirmed"]
    assert result.key_numbers["first_alert_epoch"]["C"] == p["epochs"] + 1
    a = result.key_numbers["a_alarm_epoch"]
    assert a is None or a > result.key_numbers["b_alarm_epoch"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"epochs": 5}, "epochs"),
        ({"overfit_epoch": 38}, "overfit_epoch"),  # 38 + 3 is past 40 epochs
        ({"unconfirmed": 4}, "unconfirmed"),  # nobody would confirm
        ({"poll_minutes": 0}, "poll_minutes"),
        ({"consecutive": 11}, "consecutive"),
        ({"noise": 0.5}, "noise"),
    ],
)
def test_bad_parameters_are_rejected_by_name(params, name):
    with pytest.raises(ParameterError, match=f"'{name}'"):
        run_simulation(NAME, params)


def test_json_round_trip(default):
    data = json.loads(default.to_json())
    again = SimulationResult.from_dict(data)
    assert again.to_dict() == default.to_dict()
    assert again.outcome("B").works and again.outcome("B").evidence == default.outcome("B").evidence
