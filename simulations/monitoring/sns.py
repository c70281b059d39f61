"""SNS topics with email (and Lambda) subscriptions, delivering to an inspectable outbox.

An email subscription starts as ``PendingConfirmation`` (``Subscribe`` returns the ARN text
``"pending confirmation"``); SNS mails the address a confirmation request carrying a token, and
nothing else reaches that address until ``confirm_subscription(token)``. Lambda subscriptions
need no confirmation; the function receives an SNS event. Tokens and message ids are derived
from the topic and a counter, so a simulation with the same inputs produces the same outbox.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .utc import as_utc, iso_z

PENDING = "PendingConfirmation"
CONFIRMED = "Confirmed"
PROTOCOLS = ("email", "lambda")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    timestamp: datetime | None
    topic_arn: str
    message_id: str
    kind: str = "notification"  # or "subscription-confirmation"

    def to_dict(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "timestamp": iso_z(self.timestamp) if self.timestamp else None,
            "topic_arn": self.topic_arn,
            "message_id": self.message_id,
            "kind": self.kind,
        }


class Outbox:
    """Every email SNS delivered, in order; several topics may share one outbox."""

    def __init__(self) -> None:
        self.emails: list[Email] = []

    def deliver(self, email: Email) -> None:
        self.emails.append(email)

    def notifications(self, to: str | None = None) -> list[Email]:
        """Delivered notifications (not confirmation requests), optionally for one address."""
        return [e for e in self.emails if e.kind == "notification" and (to is None or e.to == to)]

    def to_list(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.emails]

    def save_json(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.to_list(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


@dataclass
class Subscription:
    topic_arn: str
    protocol: str
    endpoint: Any  # an email address, or a callable for "lambda"
    token: str
    status: str = PENDING
    id: str = ""

    @property
    def subscription_arn(self) -> str:
        """What ``Subscribe`` returns: the literal "pending confirmation" until confirmed."""
        return "pending confirmation" if self.status == PENDING else f"{self.topic_arn}:{self.id}"


class Topic:
    """One SNS topic; ``outbox`` collects what its email subscribers receive."""

    def __init__(
        self, name: str, *, outbox: Outbox | None = None, region: str = "us-east-1", account_id: str = "123456789012"
    ):
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", name):
            raise ValueError(f"topic name {name!r} may only hold letters, digits, '-' and '_' (1-256 characters)")
        self.name = name
        self.outbox = outbox if outbox is not None else Outbox()
        self.region = region
        self.account_id = account_id
        self.subscriptions: list[Subscription] = []
        self._counter = 0

    def __repr__(self) -> str:
        return f"Topic({self.arn!r})"

    @property
    def arn(self) -> str:
        return f"arn:aws:sns:{self.region}:{self.account_id}:{self.name}"

    def _next_id(self, salt: str) -> str:
        self._counter += 1
        return hashlib.sha256(f"{self.arn}|{salt}|{self._counter}".encode()).hexdigest()

    def subscribe(
        self, protocol: str = "email", endpoint: Any = None, *, timestamp: datetime | str | None = None
    ) -> Subscription:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol must be one of {', '.join(PROTOCOLS)}, got {protocol!r}")
        if protocol == "email" and not (isinstance(endpoint, str) and _EMAIL.fullmatch(endpoint)):
            raise ValueError(f"endpoint {endpoint!r} is not an email address")
        if protocol == "lambda" and not callable(endpoint):
            raise ValueError("a lambda subscription needs a callable endpoint, function(event)")
        for existing in self.subscriptions:
            if existing.protocol == protocol and existing.endpoint == endpoint:
                return existing
        # a stable name: a function's repr holds its memory address, which would change every run
        name = endpoint if isinstance(endpoint, str) else getattr(endpoint, "__qualname__", type(endpoint).__qualname__)
        token = self._next_id(f"token|{protocol}|{name}")
        subscription = Subscription(self.arn, protocol, endpoint, token, id=str(uuid.UUID(token[:32])))
        self.subscriptions.append(subscription)
        if protocol == "lambda":
            subscription.status = CONFIRMED
        else:
            self.outbox.deliver(
                Email(
                    to=endpoint,
                    subject="AWS Notification - Subscription Confirmation",
                    body=(
                        f"You have chosen to subscribe to the topic: {self.arn}\n"
                        f"To confirm this subscription, use the token: {token}"
                    ),
                    timestamp=as_utc(timestamp) if timestamp is not None else None,
                    topic_arn=self.arn,
                    message_id=str(uuid.UUID(self._next_id("confirmation")[:32])),
                    kind="subscription-confirmation",
                )
            )
        return subscription

    def confirm_subscription(self, token: str) -> Subscription:
        for subscription in self.subscriptions:
            if subscription.token == token:
                subscription.status = CONFIRMED
                return subscription
        raise ValueError(f"invalid confirmation token for topic {self.name!r}")

    def list_subscriptions(self) -> list[dict[str, str]]:
        """As ``ListSubscriptionsByTopic`` shows them: ``PendingConfirmation`` or the ARN."""
        return [
            {
                "SubscriptionArn": PENDING if s.status == PENDING else s.subscription_arn,
                "Protocol": s.protocol,
                "Endpoint": s.endpoint if isinstance(s.endpoint, str) else getattr(s.endpoint, "__name__", "function"),
                "TopicArn": self.arn,
            }
            for s in self.subscriptions
        ]

    def publish(self, message: str, subject: str | None = None, *, timestamp: datetime | str | None = None) -> str:
        """Deliver ``message`` to every confirmed subscription; returns the MessageId."""
        if not isinstance(message, str) or not message:
            raise ValueError("message must be a non-empty string")
        if subject is not None and len(subject) > 100:
            raise ValueError(f"subject must be at most 100 characters, got {len(subject)}")
        message_id = str(uuid.UUID(self._next_id("message")[:32]))
        when = as_utc(timestamp) if timestamp is not None else None
        for subscription in self.subscriptions:
            if subscription.status != CONFIRMED:
                continue
            if subscription.protocol == "email":
                self.outbox.deliver(Email(subscription.endpoint, subject or "", message, when, self.arn, message_id))
            else:
                subscription.endpoint(self._lambda_event(message, subject, when, message_id, subscription))
        return message_id

    def _lambda_event(self, message, subject, when, message_id, subscription) -> dict:
        return {
            "Records": [
                {
                    "EventSource": "aws:sns",
                    "EventSubscriptionArn": subscription.subscription_arn,
                    "Sns": {
                        "Type": "Notification",
                        "MessageId": message_id,
                        "TopicArn": self.arn,
                        "Subject": subject,
                        "Message": message,
                        "Timestamp": iso_z(when) if when else None,
                    },
                }
            ]
        }

