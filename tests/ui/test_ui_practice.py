"""Home and Practice: grading, feedback, multi-answer, Korean toggle, navigation, recording."""

from __future__ import annotations

from ui_helpers import screen_text

from quizapp.ui.home_screen import HomeScreen
from quizapp.ui.practice_screen import PracticeScreen


async def start_all(app, pilot):
    await pilot.press("p")
    await pilot.pause()
    await pilot.press("enter")  # "All questions"
    await pilot.pause()
    assert isinstance(app.screen, PracticeScreen)
    return app.screen


async def test_home_shows_counts_modes_and_no_session(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        for word in ("Answered", "New today", "Learning", "Due today", "Accuracy", "Practice", "Review", "Study notes", "Simulation lab", "Statistics"):
            assert word in text, word
        assert "No session yet" in text
        assert "0/2" in text


async def test_right_answer_shows_verdict_explanation_and_every_reason(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_all(app, pilot)
        assert screen.question.id == "stale-baseline"
        await pilot.press("b", "enter")
        await pilot.pause()
        assert screen.answers["stale-baseline"] == (frozenset("B"), True)
        panel = screen.query_one("#feedback")
        panel.scroll_visible(animate=False)
        await pilot.pause()
        text = "\n".join(str(s.content) for s in panel.query("Static"))
        assert "✔ Correct" in text
        assert "B) Run the baseline job on the new training set." in text
        assert "The old baseline describes old data." in text
        for reason in ("Same data, same baseline", "The endpoint is not the problem", "The baseline is still the old one"):
            assert reason in text
        # recorded with mode practice; shown on Home after leaving
        await pilot.press("escape")
        await pilot.pause()
        assert "Last session: practice, 1 of 1 right" in screen_text(app)


async def test_wrong_answer_shows_correct_answer_and_korean_toggle(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_all(app, pilot)
        await pilot.press("c", "enter")
        await pilot.pause()
        assert screen.answers["stale-baseline"] == (frozenset("C"), False)
        panel = screen.query_one("#feedback")
        text = "\n".join(str(s.content) for s in panel.query("Static"))
        assert "Not quite" in text and "you chose C" in text
        assert "Correct answer:" in text and "B) Run the baseline job" in text
        assert "(your choice)" in text
        await pilot.press("k")
        await pilot.pause()
        assert "이전 기준선은 이전 데이터를 설명합니다" in str(screen.query_one("#explanation").content)
        panel.query_one("#explanation").scroll_visible(animate=False)
        await pilot.pause()
        assert "이전 기준선은" in screen_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert "The old baseline describes old data." in str(screen.query_one("#explanation").content)


async def test_multi_answer_needs_two_selections(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_all(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert screen.question.id == "alarm-email"
        assert "Select 2 options" in str(screen.query_one("#q-hint").content)
        await pilot.press("a", "enter")
        await pilot.pause()
        assert "alarm-email" not in screen.answers  # one selection does not grade
        assert "Select 2 options — 1 selected" in str(screen.query_one("#q-hint").content)
        await pilot.press("c", "enter")
        await pilot.pause()
        assert screen.answers["alarm-email"] == (frozenset("AC"), True)
        # toggling off works before grading on the previous question too
        await pilot.press("left")
        await pilot.pause()
        assert screen.question.id == "stale-baseline"


async def test_arrows_and_enter_answer_single_question(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await start_all(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.answers["stale-baseline"] == (frozenset("B"), True)
        await pilot.press("f")
        assert "stale-baseline" in app.flagged
        await pilot.press("right")
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        assert screen.question.id == "stale-baseline"


async def test_a_flag_survives_restarting_the_app(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_practice(["stale-baseline"])
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
    again = make_app()
    assert again.flagged == {"stale-baseline"}
    async with again.run_test(size=(100, 32)) as pilot:
        again.start_practice(["stale-baseline"])
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
    assert make_app().flagged == set()
