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


async def test_learner_app_ticks_answers_and_sees_verdict_explanation_score_and_rank(make_app):
    import re

    app = make_app()
    plan = SessionPlan("Drift class", ["stale-baseline"], seconds_per_question=30)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await hosted(app, pilot, plan, "111111")
        learner = JoinApp("127.0.0.1", screen.server.port, "111111", "ana")
        async with learner.run_test(size=(80, 24)) as lpilot:
            assert await wait_for(lambda: "Joined as ana" in screen_text(learner), lpilot)
            await pilot.press("space")
            assert await wait_for(lambda: "Violations after retraining" in screen_text(learner), lpilot)

            def seconds_shown():
                found = re.search(r"⏱ (\d+) s left", screen_text(learner))
                return int(found.group(1)) if found else None

            assert await wait_for(lambda: seconds_shown() == 30, lpilot)
            assert await wait_for(lambda: seconds_shown() is not None and seconds_shown() < 30, lpilot)  # it ticks
            assert "Choose 1 (a–d), then enter." in screen_text(learner)
            await lpilot.press("c", "b", "enter")
            assert await wait_for(lambda: "Answer B sent" in screen_text(learner), lpilot)  # in sight at 80x24
            await pilot.press("r")
            assert await wait_for(lambda: "✔ Right — the answer is B." in screen_text(learner), lpilot)
            text = screen_text(learner)
            assert "Your score: 1 · rank 1 of 1" in text
            assert "The old baseline describes old data." in text  # the explanation
            assert "s left" not in text  # the timer stopped at the reveal


async def test_presenter_lobby_then_reveal_results_first_and_explanation_in_sight(make_app, monkeypatch):
    import ui_fake_sim

    ui_fake_sim.install(monkeypatch)
    app = make_app()
    plan = SessionPlan("Drift class", ["stale-baseline", "alarm-email"], seconds_per_question=30,
                       run_simulation_after_reveal=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await hosted(app, pilot, plan, "515151")
        assert "Nobody has joined yet" in screen_text(app)
        clients = [SessionClient() for _ in range(2)]
        for name, client in zip(("zoe", "ana"), clients):
            await client.connect("127.0.0.1", screen.server.port, "515151", name)
        assert await wait_for(lambda: "2 joined: ana, zoe" in screen_text(app), pilot)
        assert "Violations after retraining" not in screen_text(app)  # the lobby, not the question
        await pilot.press("space")
        await pilot.pause()
        assert "Lobby" not in screen_text(app) and "Violations after retraining" in screen_text(app)
        for client, choice in zip(clients, (["B"], ["A"])):
            assert (await client.next_message(timeout=5))["type"] == "question"
            await client.answer("stale-baseline", choice)
        assert await wait_for(lambda: "2 answered" in screen_text(app), pilot)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen  # the simulation waits for its key
        await pilot.press("e")
        await pilot.pause()
        lines = screen_text(app).split("\n")
        row = {key: next((i for i, line in enumerate(lines) if key in line), None)
               for key in ("Answers", "Leaderboard", "1 of 2 right", "The old baseline describes old data.", "Violations after")}
        assert None not in row.values(), row  # all on screen at 120x40, no scrolling
        assert row["Answers"] < row["The old baseline describes old data."] < row["Violations after"]
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SimulationScreen"
        for client in clients:
            await client.close()


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


async def test_an_anonymous_session_keeps_names_off_the_shared_screen(make_app):
    app = make_app()
    plan = SessionPlan("Drift class", ["stale-baseline"], seconds_per_question=30, anonymous=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await hosted(app, pilot, plan, "616161")
        client = SessionClient()
        await client.connect("127.0.0.1", screen.server.port, "616161", "zelda")
        assert await wait_for(lambda: "1 joined (anonymous session" in screen_text(app), pilot)
        assert "zelda" not in screen_text(app)
        await pilot.press("space")
        assert (await client.next_message(timeout=5))["type"] == "question"
        await client.answer("stale-baseline", ["B"])
        assert await wait_for(lambda: "1 answered" in screen_text(app), pilot)
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "names are not shown" in text and "1 of 1 right" in text
        assert "zelda" not in text.split("Leaderboard", 1)[1]
        await client.close()
