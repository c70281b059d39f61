"""Exam attempts in the progress store: saved after every change, resumable, then finished."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from quizapp.content.model import Option, Question
from quizapp.exam import ExamAttempt, ExamConfig, build_exam
from quizapp.progress import open_store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
BANK = {
    f"q{i}": Question(id=f"q{i}", title=f"q{i}", stem="?", options=[Option(x, x) for x in "ABCD"], answer=frozenset("B"), tags=["t"])
    for i in range(4)
}


def test_resume_after_reopening_the_store(tmp_path):
    store = open_store(tmp_path, tz=timezone.utc)
    clock = [0.0]
    exam = build_exam(BANK, ExamConfig(seed=5, minutes=10), clock=lambda: clock[0])
    exam_id = store.start_exam(exam.to_state(), now=T0)
    exam.answer(exam.items[0].answer)
    clock[0] = 120
    store.save_exam(exam_id, exam.to_state(), now=T0 + timedelta(minutes=2))
    store.close()

    reopened = open_store(tmp_path, tz=timezone.utc)
    found = reopened.unfinished_exam()
    assert found is not None and found[0] == exam_id
    back = ExamAttempt.resume(BANK, found[1], clock=lambda: 0.0)
    assert back.remaining() == 480 and back.answers == {0: sorted(exam.items[0].answer)}
    result = back.submit()
    reopened.finish_exam(exam_id, back.to_state(), result, now=T0 + timedelta(minutes=5))
    assert reopened.unfinished_exam() is None
    (record,) = reopened.exam_history()
    assert (record.score, record.total, record.passed) == (1, 4, False)
    assert record.result["by_tag"] == {"t": [1, 4]}
    reopened.close()


def test_discarded_exam_is_not_offered_and_finished_exams_are_listed_newest_first(tmp_path):
    store = open_store(tmp_path, tz=timezone.utc)
    for minutes in (1, 2):
        exam = build_exam(BANK, ExamConfig(seed=minutes), clock=lambda: 0.0)
        exam_id = store.start_exam(exam.to_state(), now=T0)
        exam.answer({"B"})
        store.finish_exam(exam_id, exam.to_state(), exam.submit(), now=T0 + timedelta(minutes=minutes))
    open_id = store.start_exam({"ids": []}, now=T0)
    store.discard_exam(open_id)
    assert store.unfinished_exam() is None
    assert [r.finished_at for r in store.exam_history()] == [T0 + timedelta(minutes=2), T0 + timedelta(minutes=1)]
    store.close()
