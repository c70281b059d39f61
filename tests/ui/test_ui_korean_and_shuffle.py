"""Practice in Korean (k switches stem, options, explanation, reasons) and per-learner option order."""

from __future__ import annotations

from textwrap import dedent

from ui_helpers import screen_text

from quizapp.exam import ExamConfig, build_exam
from quizapp.ui.practice_order import practice_view
from quizapp.ui.practice_screen import PracticeScreen

BILINGUAL = dedent(
    """\
    ---
    id: {id}
    answer: B
    ---
    # Baseline {id}
    ## Question
    Violations continue after retraining ({id}). What fixes it?
    ## Options
    - A) Re-run the monitoring job.
    - B) Run a new baseline job.
    - C) Recreate the endpoint.
    - D) Retrain on combined data.
    ## Explanation
    The old baseline describes old data; option A repeats the same comparison.
    ## Why not the others
    - A) Same baseline, same violations.
    - C) The endpoint is not the problem.
    - D) The baseline is still the old one.
    ## 질문
    재훈련 후에도 위반이 계속됩니다 ({id}). 무엇으로 해결합니까?
    ## 보기
    - A) 모니터링 작업을 다시 실행한다.
    - B) 새 기준선 작업을 실행한다.
    - C) 엔드포인트를 다시 만든다.
    - D) 합친 데이터로 재훈련한다.
    ## 설명
    이전 기준선은 이전 데이터를 설명합니다. 옵션 A는 같은 비교를 반복합니다.
    ## 보기별 해설
    - A) 기준선이 같으니 위반도 같습니다.
    - C) 엔드포인트는 원인이 아닙니다.
    - D) 기준선은 여전히 이전 것입니다.
    """
)
ENGLISH_ONLY = BILINGUAL[: BILINGUAL.index("## 질문")].replace("{id}", "english-only")


def bank(tmp_path, count: int = 5):
    root = tmp_path / "bank"
    (root / "questions").mkdir(parents=True)
    for i in range(count):
        (root / "questions" / f"q{i}.md").write_text(BILINGUAL.replace("{id}", f"q{i}"), encoding="utf-8")
    (root / "questions" / "english-only.md").write_text(ENGLISH_ONLY, encoding="utf-8")
    return root


def flat(app) -> str:
    return " ".join(screen_text(app).split())


async def practise(app, pilot, ids):
    app.start_practice(ids, title="T")
    await pilot.pause()
    assert isinstance(app.screen, PracticeScreen)
    return app.screen


async def test_k_switches_stem_options_explanation_and_reasons(make_app, tmp_path):
    app = make_app(content=bank(tmp_path, 1))
    async with app.run_test(size=(120, 60)) as pilot:
        screen = await practise(app, pilot, ["q0"])
        assert "Violations continue after retraining" in flat(app) and "Recreate the endpoint." in flat(app)
        await pilot.press("k")
        await pilot.pause()
        text = flat(app)
        assert "재훈련 후에도 위반이 계속됩니다" in text and "엔드포인트를 다시 만든다." in text
        assert "Recreate the endpoint." not in text
        await pilot.press("c", "enter")  # wrong on purpose: the feedback panel opens
        await pilot.pause()
        text = flat(app)
        assert "이전 기준선은 이전 데이터를 설명합니다." in text and "엔드포인트는 원인이 아닙니다." in text
        assert "보기별 해설" in text and "B) 새 기준선 작업을 실행한다." in text
        await pilot.press("k")
        await pilot.pause()
        text = flat(app)
        assert "The endpoint is not the problem." in text and "The old baseline describes old data" in text
        assert "Violations continue after retraining" in text and "엔드포인트는 원인이 아닙니다." not in text
        assert screen.answers["q0"] == (frozenset("C"), False)


async def test_korean_falls_back_to_english_when_the_file_has_none(make_app, tmp_path):
    app = make_app(content=bank(tmp_path, 1))
    async with app.run_test(size=(120, 60)) as pilot:
        await practise(app, pilot, ["english-only"])
        await pilot.press("k", "a", "enter")
        await pilot.pause()
        text = flat(app)
        assert "Violations continue after retraining (english-only)" in text
        assert "Same baseline, same violations." in text and "no 한국어 text, showing English" in text


async def test_practice_order_is_the_learners_own_and_relettered(make_app, tmp_path, data_dir):
    (data_dir / "learner-seed").write_text("0123456789abcdef" * 2 + "\n")  # a fixed learner: the test is deterministic
    content = bank(tmp_path)
    app = make_app(content=content, shuffle=True)
    ids = [f"q{i}" for i in range(5)]
    async with app.run_test(size=(120, 60)) as pilot:
        screen = await practise(app, pilot, ids)
        orders = {}
        for i, qid in enumerate(ids):
            if i:
                await pilot.press("n")
                await pilot.pause()
            question, mapping = screen.views[qid]
            orders[qid] = [o.text for o in question.options]
        file_order = ["Re-run the monitoring job.", "Run a new baseline job.", "Recreate the endpoint.", "Retrain on combined data."]
        assert any(order != file_order for order in orders.values())  # 5 file-order shuffles: odds 1 in 24**5
        # answer the last question whose key moved: shown under another letter, recorded as file letter B
        moved = [q for q in ids if next(iter(screen.views[q][0].answer)) != "B"]
        assert moved
        while screen.question_ids[screen.index] != moved[-1]:
            await pilot.press("P")
            await pilot.pause()
        question, mapping = screen.views[moved[-1]]
        shown_key = next(iter(question.answer))
        shown_a = next(new for new, old in mapping.items() if old == "A")
        assert mapping[shown_key] == "B"
        await pilot.press(shown_key.lower(), "enter")
        await pilot.pause()
        text = flat(app)
        assert "✔ Correct" in text
        assert f"option {shown_a} repeats the same comparison" in text  # the explanation follows the new letters
        assert f"{shown_a}) Same baseline, same violations." in text
        (record,) = app.store.history(moved[-1])
        assert record.chosen == ["B"] and record.correct
    seed = app.practice_seed

    again = make_app(content=content, shuffle=True)  # same learner (data dir), next run
    async with again.run_test(size=(120, 60)) as pilot:
        screen = await practise(again, pilot, ids[:1])
        assert again.practice_seed == seed == "0123456789abcdef" * 2
        assert [o.text for o in screen.question.options] == orders[ids[0]]

    others = [[o.text for o in practice_view(app.questions[q], "another-learner")[0].options] for q in ids]
    assert others != [orders[q] for q in ids]  # another learner's seed, another order


async def test_retry_missed_shows_the_letters_seen_in_the_exam(make_app, tmp_path):
    app = make_app(content=bank(tmp_path), shuffle=True)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        if app.content.problems:
            await pilot.press("escape")
        ids = [f"q{i}" for i in range(5)]
        practice = {q: [o.text for o in practice_view(app.questions[q], app.practice_seed)[0].options] for q in ids}
        # an exam whose first question shows another order than practice would
        seed = next(
            s for s in range(200)
            if (a := build_exam(app.questions, ExamConfig(seed=s, count=2))) and [o.text for o in a.items[0].options] != practice[a.items[0].id]
        )
        app.start_exam(ExamConfig(seed=seed, count=2))
        await pilot.pause()
        exam = app.screen.attempt
        first = exam.items[0]
        wrong = next(letter for letter in first.letters if letter not in first.answer)
        exam.answer([wrong], index=0)
        exam.answer(sorted(exam.items[1].answer), index=1)
        app.screen._finish()
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.question_ids == [first.id]
        assert [(o.letter, o.text) for o in screen.question.options] == [(o.letter, o.text) for o in first.options]
        await pilot.press(wrong.lower(), "enter")
        await pilot.pause()
        assert f"you chose {wrong}" in flat(app)
        records = app.store.history(first.id)
        assert records[-1].chosen == [exam.mappings[0][wrong]] and not records[-1].correct


async def test_exam_review_switches_stem_and_reasons_to_korean(make_app, tmp_path):
    content = bank(tmp_path, 1)
    (content / "questions" / "english-only.md").unlink()
    app = make_app(content=content)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        if app.content.problems:
            await pilot.press("escape")
        app.start_exam(ExamConfig(seed=1, count=1, shuffle_options=False))
        await pilot.pause()
        app.screen.attempt.answer(["C"], index=0)
        app.screen._finish()
        await pilot.pause()
        assert "Violations continue after retraining" in flat(app)
        await pilot.press("k")
        await pilot.pause()
        text = flat(app)
        assert "재훈련 후에도 위반이 계속됩니다" in text and "엔드포인트는 원인이 아닙니다." in text
