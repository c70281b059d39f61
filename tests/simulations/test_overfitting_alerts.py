"""overfitting-alerts: PutMetricData -> alarm -> SNS email works; polling and EventBridge do not."""

from __future__ import annotations

import json

import pytest

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
    a, b = default.outcome("A").evidence, default.outcome("B").evidence
    assert a["epochs_missing_in_cloudwatch"] > 0
    assert a["per_epoch_alarm_fired"] is False  # B's alarm never gets N datapoints in a row
    assert a["alarm_epoch"] is not None and a["alarm_epoch"] > b["alarm_epoch"]
    assert a["moving_parts"] > b["moving_parts"]
    assert not default.outcome("A").works


@pytest.mark.parametrize("letter", ["C", "D"])
def test_eventbridge_rules_never_see_a_loss_and_send_nothing(default, letter):
    ev = default.outcome(letter).evidence
    assert ev["events_received"] > 0
    assert ev["events_with_per_epoch_loss"] == 0
    assert ev["rule_matches"] == 0 and ev["emails_delivered"] == 0
    assert default.key_numbers[f"{letter.lower()}_emails"] == 0
    assert not default.outcome(letter).works


def test_d_invokes_no_lambda(default):
    assert default.outcome("D").evidence["lambda_invocations"] == 0
    events = json.loads(default.artifact_text("c-d-eventbridge/events.json"))["events"]
    assert {e["detail"]["TrainingJobStatus"] for e in events} <= {"InProgress", "Completed", "Stopped"}


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
    assert result.key_numbers["c_emails"] == result.key_numbers["d_emails"] == 0
    a = result.key_numbers["a_alarm_epoch"]
    assert a is None or a > result.key_numbers["b_alarm_epoch"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"epochs": 5}, "epochs"),
        ({"overfit_epoch": 38}, "overfit_epoch"),  # 38 + 3 is past 40 epochs
        ({"unconfirmed": 4}, "unconfirmed"),  # nobody would confirm
        ({"poll_minutes": 1}, "poll_minutes"),
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
