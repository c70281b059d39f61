"""SNS topics: pending vs confirmed email subscriptions, outbox, lambda delivery."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from simulations.monitoring.sns import Outbox, Topic

T0 = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


def token_from(outbox: Outbox, address: str) -> str:
    (request,) = [e for e in outbox.emails if e.to == address and e.kind == "subscription-confirmation"]
    return request.body.rsplit("token: ", 1)[1]


def test_topic_arn():
    assert Topic("overfitting-alerts").arn == "arn:aws:sns:us-east-1:123456789012:overfitting-alerts"
    with pytest.raises(ValueError, match="may only hold letters"):
        Topic("bad name!")


def test_unconfirmed_email_receives_nothing_until_confirmed():
    topic = Topic("ml-team")
    ana = topic.subscribe("email", "ana@example.com", timestamp=T0)
    ben = topic.subscribe(protocol="email", endpoint="ben@example.com")
    assert ana.status == "PendingConfirmation"
    assert ana.subscription_arn == "pending confirmation"
    assert [s["SubscriptionArn"] for s in topic.list_subscriptions()] == ["PendingConfirmation"] * 2

    topic.publish("first", "Training alert", timestamp=T0)
    assert topic.outbox.notifications() == []  # only the two confirmation requests were mailed
    assert [e.kind for e in topic.outbox.emails] == ["subscription-confirmation"] * 2

    confirmed = topic.confirm_subscription(token_from(topic.outbox, "ana@example.com"))
    assert confirmed is ana and ana.status == "Confirmed"
    assert ana.subscription_arn.startswith(topic.arn + ":")
    topic.publish("second", "Training alert", timestamp=T0)
    delivered = topic.outbox.notifications()
    assert [(e.to, e.subject, e.body) for e in delivered] == [("ana@example.com", "Training alert", "second")]
    assert delivered[0].timestamp == T0
    assert topic.outbox.notifications("ben@example.com") == []
    assert ben.status == "PendingConfirmation"


def test_subscribe_is_idempotent_and_validates():
    topic = Topic("t")
    first = topic.subscribe("email", "ana@example.com")
    assert topic.subscribe("email", "ana@example.com") is first
    with pytest.raises(ValueError, match="is not an email address"):
        topic.subscribe("email", "ana-at-example")
    with pytest.raises(ValueError, match="protocol must be one of"):
        topic.subscribe("sms", "+100")
    with pytest.raises(ValueError, match="invalid confirmation token"):
        topic.confirm_subscription("nope")
    with pytest.raises(ValueError, match="non-empty string"):
        topic.publish("")
    with pytest.raises(ValueError, match="at most 100 characters"):
        topic.publish("m", "s" * 101)


def test_lambda_subscription_gets_an_sns_event():
    events = []
    topic = Topic("retrain")
    subscription = topic.subscribe("lambda", events.append)
    assert subscription.status == "Confirmed"
    message_id = topic.publish('{"AlarmName": "drift"}', "ALARM", timestamp=T0)
    (event,) = events
    sns = event["Records"][0]["Sns"]
    assert sns["Message"] == '{"AlarmName": "drift"}'
    assert sns["MessageId"] == message_id
    assert sns["TopicArn"] == topic.arn
    assert sns["Timestamp"] == "2024-05-01T12:00:00Z"


def test_outbox_shared_and_saved_as_json(tmp_path):
    outbox = Outbox()
    a, b = Topic("a", outbox=outbox), Topic("b", outbox=outbox)
    for topic in (a, b):
        topic.confirm_subscription(topic.subscribe("email", "ana@example.com").token)
        topic.publish(f"from {topic.name}", "hi", timestamp=T0)
    path = outbox.save_json(tmp_path / "outbox.json")
    saved = json.loads(path.read_text())
    notifications = [e for e in saved if e["kind"] == "notification"]
    assert [(e["body"], e["topic_arn"].rsplit(":", 1)[1]) for e in notifications] == [("from a", "a"), ("from b", "b")]
    assert notifications[0]["timestamp"] == "2024-05-01T12:00:00Z"


def test_same_inputs_same_ids():
    def run():
        topic = Topic("t")
        subscription = topic.subscribe("email", "ana@example.com")
        topic.confirm_subscription(subscription.token)
        return subscription.token, topic.publish("m", timestamp=T0)

    assert run() == run()


def test_lambda_subscription_ids_do_not_depend_on_memory_addresses():
    def make_handler():
        def handler(event):
            return None

        return handler

    first, second = make_handler(), make_handler()  # both alive: two different addresses
    assert Topic("alerts").subscribe("lambda", first).id == Topic("alerts").subscribe("lambda", second).id
