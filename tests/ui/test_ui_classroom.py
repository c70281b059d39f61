"""Presenter and learner screens over a real 127.0.0.1 session (Pilot)."""

from __future__ import annotations

import asyncio

from ui_helpers import screen_text, wait_until

from quizapp.session.client import SessionClient
from quizapp.session.plan import SessionPlan
from quizapp.ui.join_app import JoinApp
from quizapp.ui.presenter_screen import PresenterScreen


async def wait_for(predicate, pilot):
    """Until the socket event shows (see ui_helpers.wait_until)."""
    return await wait_until(predicate, pilot)


async def hosted(app, pilot, plan: SessionPlan, code: str, **options) -> PresenterScreen:
    """Push a presenter screen that hosts the session on a free 127.0.0.1 port."""
    screen = PresenterScreen(plan, host=True, port=0, code=code, **options)
    app.push_screen(screen)
    assert await wait_for(lambda: screen.server is not None and screen.server.port, pilot)
    return screen


async def test_presenter_reveal_shows_distribution_and_exports(make_app, tmp_path):
    app = make_app()
    plan = SessionPlan("Drift class", ["stale-baseline", "alarm-email"], seconds_per_question=30)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await hosted(app, pilot, plan, "424242", results_dir=tmp_path / "results")
        text = screen_text(app)
        assert f"--code 424242" in text and "space starts the timer" in text
        clients = [SessionClient() for _ in range(3)]
        for i, client in enumerate(clients):
            await client.connect("127.0.0.1", screen.server.port, "424242", f"learner{i}")
        await pilot.press("space")
        for client, choice in zip(clients, (["B"], ["B"], ["A"])):
            msg = await client.next_message(timeout=5)
            assert msg["type"] == "question"
            await client.answer("stale-baseline", choice)
        assert await wait_for(lambda: "3 answered · 3 connected" in screen_text(app), pilot)
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "2 of 3 right (67%): learner0, learner1" in text
        assert "1. learner0 — 1" in text
        await pilot.press("x")
        await pilot.pause()
        assert (tmp_path / "results" / "summary.md").exists()
        assert "2 (67%)" in (tmp_path / "results" / "summary.md").read_text()
        await pilot.press("n")
        await pilot.pause()
        assert "Question 2 of 2" in screen_text(app)
        for client in clients:
            await client.close()


async def test_learner_app_answers_and_sees_the_reveal(make_app):
    app = make_app()
    plan = SessionPlan("Drift class", ["stale-baseline"], seconds_per_question=30)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await hosted(app, pilot, plan, "111111")
        learner = JoinApp("127.0.0.1", screen.server.port, "111111", "ana")
        async with learner.run_test(size=(90, 30)) as lpilot:
            assert await wait_for(lambda: "Joined as ana" in screen_text(learner), lpilot)
            await pilot.press("space")
            assert await wait_for(lambda: "Violations after retraining" in screen_text(learner), lpilot)
            await lpilot.press("c", "b", "enter")
            assert await wait_for(lambda: "Answer B sent" in screen_text(learner), lpilot)
            await pilot.press("r")
            assert await wait_for(lambda: "Right!" in screen_text(learner) and "score: 1" in screen_text(learner), lpilot)


async def test_learner_with_wrong_code_is_told_why(make_app):
    app = make_app()
    plan = SessionPlan("Drift class", ["stale-baseline"], seconds_per_question=30)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await hosted(app, pilot, plan, "111111")
        learner = JoinApp("127.0.0.1", screen.server.port, "000000", "eve")
        async with learner.run_test(size=(90, 30)) as lpilot:
            assert await wait_for(lambda: "Could not join: wrong join code" in screen_text(learner), lpilot)
            assert learner.join_failed


async def test_learner_without_a_server_is_told_what_to_check():
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    learner = JoinApp("127.0.0.1", port, "1", "ana")
    async with learner.run_test(size=(120, 20)) as pilot:
        assert await wait_for(lambda: "Nobody is listening" in screen_text(learner), pilot)
        assert learner.join_failed
