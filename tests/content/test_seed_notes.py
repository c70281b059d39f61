"""The four source notes with exam questions (../shared/seeds) import as questions."""

from __future__ import annotations

import pytest

from quizapp.content import load_content
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source notes folder {SEEDS} is absent (it is not part of a user's clone)")

EXPECTED = {
    # file prefix: (answer, stem start, reasons given for these letters, a word in option C)
    "000": ("C", "A retail firm forecasts daily sales", {"A", "B", "D"}, "line chart"),
    "001": ("B", "A machine learning professional is configuring model monitoring", {"A", "C", "D"}, "Delete the endpoint"),
    "002": ("D", "A company deployed a machine learning model in Amazon SageMaker", {"A", "B", "C"}, "from scratch"),
    "004": ("B", "A research and development team is training a custom PyTorch model", {"A", "C", "D"}, "EventBridge"),
}


@pytest.fixture(scope="module")
def seeds():
    return load_content(SEEDS)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_note_becomes_a_question(seeds, prefix):
    answer, stem_start, reason_letters, option_c_word = EXPECTED[prefix]
    (question,) = [q for q in seeds.questions.values() if q.source.name.startswith(prefix)]
    assert question.answer == {answer}
    assert question.stem.startswith(stem_start)
    assert question.stem.endswith("?")
    assert question.letters == ["A", "B", "C", "D"]
    assert option_c_word in question.option("C").text
    assert set(question.reasons) == reason_letters
    assert all(len(r) > 10 for r in question.reasons.values())
    assert question.explanation["ko"]  # 핵심 포인트 + 설명 become the Korean explanation


def test_the_faq_note_is_reported_not_fatal(seeds):
    assert len(seeds.questions) == 4
    assert [p.severity for p in seeds.problems] == ["warning"]
    assert seeds.problems[0].path.endswith(".txt") and "003_" in seeds.problems[0].path
