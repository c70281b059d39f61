"""Exam mode through the UI: no feedback, flag, navigator, submit with confirmation,
breakdown, retry missed, auto-submit at zero and resume after closing."""

from __future__ import annotations

from ui_helpers import screen_text, settle

from quizapp.exam import ExamConfig


def exam_screen(app):
    from quizapp.ui.exam_screen import ExamScreen

    return app.screen if isinstance(app.screen, ExamScreen) else None


async def start(app, pilot, **config):
    app.start_exam(ExamConfig(seed=1, shuffle_options=False, **config))
    await pilot.pause()
    return exam_screen(app)


async def test_exam_gives_no_feedback_then_scores_with_breakdown(make_app):
    app = make_app()
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await start(app, pilot)
        attempt = screen.attempt
        first = attempt.items[0]
        wrong = next(letter for letter in first.letters if letter not in first.answer)
        await pilot.press(wrong.lower())
        text = screen_text(app)
        assert "Correct" not in text and "Not quite" not in text and "Why each option" not in text
        await pilot.press("f", "n")
        assert attempt.status(0) == "flagged" and screen.index == 1
        for i in range(1, len(attempt.items)):
            item = attempt.items[i]
            for letter in sorted(item.answer):
                await pilot.press(letter.lower())
            if i < len(attempt.items) - 1:
                await pilot.press("n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "0 question(s) unanswered and 1 flagged" in text and "exam anyway?" in text
        await pilot.press("y")
        await pilot.pause()
        text = screen_text(app)
        total = len(attempt.items)
        assert f"{total - 1}/{total}" in text and "pass mark 72%" in text
        assert "domain" in text and "monitoring" in text
        (record,) = app.store.exam_history()
        assert (record.score, record.total) == (total - 1, total)
        await pilot.press("m")
        await pilot.pause()
        assert "Missed in the exam" in app.screen.sub_title


async def test_navigator_jumps_and_time_up_submits(make_app):
    clock = [0.0]
    app = make_app()
    async with app.run_test(size=(110, 40)) as pilot:
        from quizapp.exam import build_exam
        from quizapp.ui.exam_screen import ExamScreen

        attempt = build_exam(app.questions, ExamConfig(seed=2, minutes=1), clock=lambda: clock[0])
        app.push_screen(ExamScreen(attempt, app.store.start_exam(attempt.to_state())))
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert "answered" in screen_text(app) and "unanswered" in screen_text(app)
        last = len(attempt.items) - 1
        app.screen.query_one(f"#nav-{last}").press()
        await pilot.pause()
        assert app.screen.index == last
        clock[0] = 61
        app.screen._tick()
        await pilot.pause()
        assert "FAIL" in screen_text(app) or "PASS" in screen_text(app)
        assert app.store.unfinished_exam() is None


async def test_closing_mid_exam_offers_resume_with_time_left(make_app):
    app = make_app()
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await start(app, pilot, minutes=30)
        first = screen.attempt.items[0]
        await pilot.press(sorted(first.answer)[0].lower())
        ids = [q.id for q in screen.attempt.items]
    app2 = make_app()
    async with app2.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        assert any("unfinished exam" in n.message for n in app2._notifications)
        await pilot.press("escape")  # close the content-problems panel of the test content
        app2.action_exam()
        await pilot.pause()
        text = screen_text(app2)
        assert "unfinished exam: 1 of" in text and "min" in text
        await pilot.press("y")
        await pilot.pause()
        resumed = exam_screen(app2)
        assert [q.id for q in resumed.attempt.items] == ids
        assert resumed.attempt.answers == {0: [sorted(first.answer)[0]]}
        assert resumed.attempt.remaining() > 29 * 60


async def test_statistics_lists_finished_exams(make_app):
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        screen = await start(app, pilot)
        for i, item in enumerate(screen.attempt.items):
            screen.attempt.answer(item.answer, index=i)
        screen._finish()
        await pilot.pause()
        app.action_go_home()
        app.action_statistics()
        await settle(app, pilot)  # the statistics load in a worker
        total = len(screen.attempt.items)
        text = screen_text(app)
        assert "Practice exams" in text and f"{total}/{total}" in text and "pass" in text


async def test_exam_answers_feed_review_as_exam_mode_and_the_exam_reopens_from_statistics(make_app, data_dir):
    import sqlite3

    from quizapp.ui.exam_result_screen import ExamResultScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        items = screen.attempt.items
        first = items[0]
        wrong = next(letter for letter in first.letters if letter not in first.answer)
        screen.attempt.answer({wrong}, index=0)
        for i, item in enumerate(items[1:], start=1):
            screen.attempt.answer(item.answer, index=i)
        screen._finish()
        app.settle_progress(10)  # the writer thread stores the result and the answers
        await pilot.pause()
        with sqlite3.connect(data_dir / "progress.db") as conn:
            rows = conn.execute("SELECT question_id, correct, mode FROM answers ORDER BY id").fetchall()
            cards = {qid for (qid,) in conn.execute("SELECT question_id FROM cards")}
        assert rows == [(item.id, int(i > 0), "exam") for i, item in enumerate(items)]
        assert cards == {item.id for item in items}  # they are scheduled for review
        assert app.store.review_queue(app.question_ids, now=app.now())[:1] == [first.id]  # the miss comes back
        app.action_go_home()
        app.action_statistics()
        await settle(app, pilot)
        text = screen_text(app)
        assert f"exam {len(items) - 1}/{len(items)}" in text  # by mode: exam answers kept apart
        table = app.screen.query_one("#exams")
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        result_table = app.screen.query_one("#result-questions")
        result_table.move_cursor(row=0)
        await pilot.pause()
        text = screen_text(app)
        assert f"you chose {wrong}" in text and "Correct answer" in text and "Explanation" in text
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "StatsScreen"


async def test_the_result_runs_a_reviewed_questions_simulation_under_the_exams_letters(make_app, monkeypatch):
    """Exams that teach: s on a reviewed question opens its simulation; options were shuffled in
    the exam, and the outcomes show under the letters the learner saw there."""
    import ui_fake_sim

    from quizapp.exam import build_exam
    from quizapp.ui.exam_result_screen import ExamResultScreen
    from quizapp.ui.simulation_screen import SimulationScreen

    ui_fake_sim.install(monkeypatch)
    app = make_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        def moves_recreate(seed: int) -> bool:  # stale-baseline is asked, its file option C under another letter
            exam = build_exam(app.questions, ExamConfig(seed=seed))
            ids = [item.id for item in exam.items]
            return "stale-baseline" in ids and exam.mappings[ids.index("stale-baseline")]["C"] != "C"

        seed = next(s for s in range(200) if moves_recreate(s))
        app.start_exam(ExamConfig(seed=seed))
        await pilot.pause()
        attempt = app.screen.attempt
        i = [item.id for item in attempt.items].index("stale-baseline")
        mapping = attempt.mappings[i]
        shown_recreate = next(shown for shown, file in mapping.items() if file == "C")
        shown_baseline = next(shown for shown, file in mapping.items() if file == "B")
        attempt.answer([shown_recreate], index=i)
        app.screen._finish()
        await pilot.pause()
        result = app.screen
        assert isinstance(result, ExamResultScreen)
        table = result.query_one("#result-questions")
        table.move_cursor(row=i)
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulationScreen)
        await settle(app, pilot)
        cards = {c.outcome.letter: c for c in screen.query(".outcome-card")}
        assert cards[shown_recreate].outcome.action == "Recreate the endpoint" and cards[shown_recreate].has_class("-chosen")
        assert cards[shown_baseline].outcome.action == "New baseline" and cards[shown_baseline].has_class("-works")
