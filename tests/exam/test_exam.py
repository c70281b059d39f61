"""Exam building, option shuffling with consistent letters, timer, scoring and resume."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.content.model import Option, Question
from quizapp.exam import ExamAttempt, ExamConfig, build_exam
from quizapp.exam.shuffle import can_shuffle, remap_text, shuffled


def q(qid: str, answer: str, domain="monitoring", tags=("drift",), options=None) -> Question:
    options = options or [f"text {letter}" for letter in "ABCD"]
    return Question(
        id=qid, title=qid, stem=f"{qid}?", domain=domain, tags=list(tags),
        options=[Option("ABCDE"[i], t) for i, t in enumerate(options)], answer=frozenset(answer),
        explanation={"en": f"Option {answer[0]} is right, not option A or (C)."},
        reasons={letter: f"why {letter}" for letter in "ABCD"},
    )


BANK = {f"q{i}": q(f"q{i}", "BD" if i == 3 else "ABCD"[i % 4], domain="ops" if i % 2 else "monitoring") for i in range(6)}


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_default_time_is_two_minutes_per_question_and_order_is_seeded():
    a = build_exam(BANK, ExamConfig(seed=1))
    b = build_exam(BANK, ExamConfig(seed=1))
    c = build_exam(BANK, ExamConfig(seed=2))
    assert a.time_limit == 6 * 120
    assert [x.id for x in a.items] == [x.id for x in b.items]
    assert sorted(x.id for x in a.items) == sorted(BANK)
    assert [x.id for x in a.items] != [x.id for x in c.items]
    assert build_exam(BANK, ExamConfig(count=3, minutes=5)).time_limit == 300


def test_shuffle_remaps_answer_reasons_and_explanation_consistently():
    import random

    original = BANK["q3"]  # answer B, D
    copy, new_to_old = shuffled(original, random.Random(5))
    for new_letter, old_letter in new_to_old.items():
        assert copy.option(new_letter).text == original.option(old_letter).text
        assert copy.reasons[new_letter] == original.reasons[old_letter]
    assert {new_to_old[a] for a in copy.answer} == {"B", "D"}
    old_to_new = {v: k for k, v in new_to_old.items()}
    assert copy.explanation["en"] == f"Option {old_to_new['B']} is right, not option {old_to_new['A']} or ({old_to_new['C']})."


@given(st.permutations(list("ABCDE")))
def test_remap_text_is_inverted_by_the_inverse_mapping(perm):
    mapping = dict(zip("ABCDE", perm))
    inverse = {v: k for k, v in mapping.items()}
    text = "Option A beats option E; (B) and C) are wrong; 옵션 D too. A normal sentence."
    assert remap_text(remap_text(text, mapping), inverse) == text


def test_options_referring_to_others_are_not_shuffled():
    fixed = q("fixed", "D", options=["one", "two", "three", "All of the above"])
    assert not can_shuffle(fixed)
    import random

    copy, mapping = shuffled(fixed, random.Random(0))
    assert copy is fixed and mapping == {"A": "A", "B": "B", "C": "C", "D": "D"}


def test_score_breakdown_time_per_question_and_pass_mark():
    clock = Clock()
    exam = build_exam(BANK, ExamConfig(seed=3, shuffle_options=False, pass_mark=0.5), clock=clock)
    for i, item in enumerate(exam.items):
        exam.go(i)
        clock.now += 10 * (i + 1)
        if i < 4:
            exam.answer(item.answer)  # right
        elif i == 4:
            exam.answer({item.letters[0]} if item.letters[0] not in item.answer else {item.letters[2]})
    exam.toggle_flag(5)
    result = exam.submit()
    assert (result.score, result.total, result.passed) == (4, 6, True)
    assert [r.seconds for r in result.questions] == [10, 20, 30, 40, 50, 60]
    assert sum(t for _, t in result.by_domain.values()) == 6
    assert result.by_domain == {
        d: (sum(1 for i, it in enumerate(exam.items) if it.domain == d and i < 4), sum(1 for it in exam.items if it.domain == d))
        for d in ("monitoring", "ops")
    }
    assert result.questions[5].flagged and result.missed == [exam.items[4].id, exam.items[5].id]
    assert exam.status(5) == "flagged" and exam.status(4) == "answered" and exam.unanswered() == [5]


def test_multi_answer_needs_both_letters_and_chosen_are_reported_in_original_letters():
    clock = Clock()
    exam = build_exam({"q3": BANK["q3"]}, ExamConfig(seed=9), clock=clock)
    item, mapping = exam.items[0], exam.mappings[0]
    one = sorted(item.answer)[0]
    exam.answer({one})
    assert exam.submit().score == 0
    exam.answer(item.answer)
    result = exam.submit()
    assert result.score == 1 and result.questions[0].chosen == ["B", "D"]
    assert mapping[one] in {"B", "D"}


def test_countdown_and_resume_keeps_answers_and_remaining_time():
    clock = Clock()
    exam = build_exam(BANK, ExamConfig(seed=4, count=4, minutes=2), clock=clock)
    exam.answer({exam.items[0].letters[1]})
    exam.go(2)
    exam.toggle_flag()
    clock.now += 50
    saved = json.loads(json.dumps(exam.to_state()))
    later = Clock()
    later.now = 10_000.0
    back = ExamAttempt.resume(BANK, saved, clock=later)
    assert back.remaining() == pytest.approx(70)
    assert [x.id for x in back.items] == [x.id for x in exam.items]
    assert [x.letters for x in back.items] == [x.letters for x in exam.items]
    assert [o.text for o in back.items[0].options] == [o.text for o in exam.items[0].options]
    assert back.answers == {0: [exam.items[0].letters[1]]} and back.flags == {2} and back.current == 2
    later.now += 71
    assert back.is_time_up()


def test_resume_drops_deleted_questions_but_keeps_the_rest():
    exam = build_exam(BANK, ExamConfig(seed=4), clock=Clock())
    exam.answer(exam.items[1].answer, index=1)
    saved = exam.to_state()
    gone = exam.items[0].id
    bank = {k: v for k, v in BANK.items() if k != gone}
    back = ExamAttempt.resume(bank, saved, clock=Clock())
    assert gone not in [x.id for x in back.items]
    assert back.answers == {0: sorted(exam.items[1].answer)} and back.items[0].id == exam.items[1].id


def test_filter_with_no_match_is_a_clear_error():
    with pytest.raises(ValueError, match="no questions match"):
        build_exam(BANK, ExamConfig(tag="nothing"))
