"""Every bundled session plan validates against the bundled questions."""

from __future__ import annotations

import pytest

from quizapp.content import load_content
from quizapp.session.plan import load_plan
from tests.conftest import REPO

PLANS = sorted((REPO / "content" / "sessions").glob("*.yaml"))


@pytest.mark.parametrize("path", PLANS, ids=[p.name for p in PLANS])
def test_bundled_plan_is_valid(path):
    plan = load_plan(path, load_content().questions)
    assert len(plan.question_ids) >= 2 and plan.seconds_per_question >= 30


def test_there_are_bundled_plans():
    assert len(PLANS) >= 2
