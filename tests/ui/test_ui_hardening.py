"""Data safety and classroom safety through the UI: Esc never destroys a saved exam or ends a class,
and a learner's terminal takes its name back with the saved rejoin token."""

from __future__ import annotations


import pytest

from ui_helpers import screen_text, wait_until

from quizapp.exam import ExamConfig
from quizapp.session.client import SessionClient
from quizapp.session.plan import SessionPlan
from quizapp.session.state import SessionError
from quizapp.ui.confirm_screen import ConfirmScreen
from quizapp.ui.join_app import JoinApp
from quizapp.ui.presenter_screen import PresenterScreen


async def wait_for(predicate, pilot):
    """Until the socket event shows (see ui_helpers.wait_until)."""
    return await wait_until(predicate, pilot)


async def leave_an_unfinished_exam(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(110, 40)) as pilot:
        app.start_exam(ExamConfig(seed=1, shuffle_options=False, minutes=30))
        await pilot.pause()
        await pilot.press(sorted(app.screen.attempt.items[0].answer)[0].lower())


async def test_escape_on_the_resume_dialog_keeps_the_saved_exam_and_discard_deletes_it(make_app):
    await leave_an_unfinished_exam(make_app)
    app = make_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # the content-problems panel of the test content
        saved = app.store.unfinished_exam()
        assert saved is not None
        app.action_exam()
        await pilot.pause()
        assert "Esc keeps it for later" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.store.unfinished_exam() == saved  # still there
        app.action_exam()
        await pilot.pause()
        await pilot.press("n")  # the explicit Discard
        await pilot.pause()
        assert app.store.unfinished_exam() is None


async def test_escape_on_the_presenter_asks_before_ending_the_class(make_app, tmp_path):
    app = make_app()
    plan = SessionPlan("Drift class", ["stale-baseline"], seconds_per_question=30)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = PresenterScreen(plan, host=True, port=0, code="222222", results_dir=tmp_path / "results", max_learners=1)
        app.push_screen(screen)
        assert await wait_for(lambda: screen.server is not None and screen.server.port, pilot)
        learner = JoinApp("127.0.0.1", screen.server.port, "222222", "ana")
        async with learner.run_test(size=(90, 30)) as lpilot:
            assert await wait_for(lambda: "Joined as ana" in screen_text(learner), lpilot)
            with pytest.raises(SessionError, match="the session is full"):  # --max-learners 1
                await SessionClient().connect("127.0.0.1", screen.server.port, "222222", "bo")
            await pilot.press("escape")
            await pilot.pause()
            assert "End the session for everyone?" in screen_text(app) and "1 learner(s) connected" in screen_text(app)
            await pilot.press("escape")  # changed their mind
            await pilot.pause()
            assert app.screen is screen and not screen.state.finished
            await pilot.press("escape", "y")
            assert await wait_for(lambda: screen.state.finished and app.screen is not screen, pilot)
            assert await wait_for(lambda: "The session has ended" in screen_text(learner), lpilot)
            assert (tmp_path / "results" / "scores.csv").exists()


async def test_a_learner_terminal_takes_its_name_back_with_the_saved_token(make_app, tmp_path):
    app = make_app()
    plan = SessionPlan("Drift class", ["stale-baseline"], seconds_per_question=30)
    tokens = tmp_path / "tokens.json"
    async with app.run_test(size=(110, 40)) as pilot:
        screen = PresenterScreen(plan, host=True, port=0, code="333333")
        app.push_screen(screen)
        assert await wait_for(lambda: screen.server is not None and screen.server.port, pilot)
        port = screen.server.port
        first = JoinApp("127.0.0.1", port, "333333", "ana", token_file=tokens)
        async with first.run_test(size=(90, 30)) as lpilot:
            assert await wait_for(lambda: "Joined as ana" in screen_text(first), lpilot)
        assert await wait_for(lambda: not screen.state.participants["ana"].connected, pilot)
        thief = JoinApp("127.0.0.1", port, "333333", "ana")  # another terminal, no token
        async with thief.run_test(size=(90, 30)) as lpilot:
            assert await wait_for(lambda: "belongs to a learner who left" in screen_text(thief), lpilot)
        again = JoinApp("127.0.0.1", port, "333333", "ana", token_file=tokens)
        async with again.run_test(size=(90, 30)) as lpilot:
            assert await wait_for(lambda: "Joined as ana" in screen_text(again), lpilot)


async def test_an_unwritable_data_dir_starts_the_app_with_a_banner(content_dir, tmp_path):
    from quizapp.ui.launch import build_app

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = build_app(content_dir, blocker / "data")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("escape")  # the content-problems panel of the test content
            await pilot.pause()
            text = screen_text(app)
            assert "Progress will NOT be saved" in text and "cannot be written" in text
            assert any("Progress will NOT be saved" in n.message for n in app._notifications)
    finally:
        app.close_progress()


async def test_a_locked_database_does_not_freeze_answering_and_the_answer_is_kept(make_app, data_dir):
    import sqlite3
    import time

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("p", "enter")
        await pilot.pause()
        other = sqlite3.connect(data_dir / "progress.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock (the store waits 5 s for it)
        try:
            started = time.perf_counter()
            await pilot.press("b", "enter")
            await pilot.pause()
            assert time.perf_counter() - started < 3.0  # the old key handler waited the 5 s lock timeout
            assert "stale-baseline" in app.screen.answers  # graded and shown at once
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert app.writer.wait(15)
        (record,) = app.store.history("stale-baseline")
        assert record.chosen == ["B"] and record.correct


async def test_an_exam_that_cannot_be_saved_still_runs(make_app, monkeypatch):
    import sqlite3

    from quizapp.ui.exam_screen import ExamScreen

    app = make_app()

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(app.store, "start_exam", locked)
    async with app.run_test(size=(110, 40)) as pilot:
        app.start_exam(ExamConfig(seed=1, shuffle_options=False))
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and app.screen.exam_id is None
        assert any("cannot be saved" in n.message for n in app._notifications)
