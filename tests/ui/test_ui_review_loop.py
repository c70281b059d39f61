"""Spaced repetition you can see: the schedule line after an answer, keys 1-4, Home's counts,
daily limits and settings that persist."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from ui_helpers import NOW, screen_text, settle

from quizapp.ui.home_screen import HomeScreen
from quizapp.ui.practice_screen import PracticeScreen


async def open_question(app, pilot, question_id: str) -> PracticeScreen:
    app.action_open_question(question_id)
    await pilot.pause()
    assert isinstance(app.screen, PracticeScreen)
    return app.screen


async def written(app, pilot) -> None:
    """The writer thread has stored what was queued and its reply reached the screen."""
    assert app.settle_progress(10) is not False
    await pilot.pause()
    await pilot.pause()


def answer_rows(data_dir):
    with sqlite3.connect(data_dir / "progress.db") as conn:
        return conn.execute("SELECT question_id, correct, rating, rating_chosen FROM answers").fetchall()


def card_due(data_dir, question_id):
    from quizapp.progress.scheduling import from_text

    with sqlite3.connect(data_dir / "progress.db") as conn:
        return from_text(conn.execute("SELECT due FROM cards WHERE question_id = ?", (question_id,)).fetchone()[0])


async def test_after_an_answer_the_next_review_and_rating_show_and_keys_override_it(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_question(app, pilot, "stale-baseline")
        await pilot.press("1")  # before answering, 1-4 do nothing
        assert screen.reviews == {}
        await pilot.press("b", "enter")  # right, within seconds of showing: Easy
        await written(app, pilot)
        text = screen_text(app)
        assert "Next review in" in text and "Easy: right and fast" in text, text
        assert "1 Again · 2 Hard · 3 Good · 4 Easy" in text
        easy_due = card_due(data_dir, "stale-baseline")
        assert easy_due - NOW >= timedelta(days=2)
        await pilot.press("1")  # Again instead
        await written(app, pilot)
        text = screen_text(app)
        assert "Next review in 1 minute · Again: your choice" in text, text
        assert card_due(data_dir, "stale-baseline") - NOW == timedelta(minutes=1)
        await pilot.press("3")  # re-scheduled from the state before the answer, not on top of Again
        await written(app, pilot)
        assert "Good: your choice" in screen_text(app)
        assert timedelta(0) < card_due(data_dir, "stale-baseline") - NOW < easy_due - NOW
        assert answer_rows(data_dir) == [("stale-baseline", 1, 3, 1)]  # still one answer row


async def test_a_wrong_answer_is_rated_again_and_comes_back_in_minutes(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_question(app, pilot, "stale-baseline")
        await pilot.press("a", "enter")
        await written(app, pilot)
        assert "Next review in 1 minute · Again: wrong answer" in screen_text(app)
    assert answer_rows(data_dir) == [("stale-baseline", 0, 1, 0)]


async def test_home_shows_new_learning_and_due_counts_with_the_daily_new_limit(make_app, data_dir):
    (data_dir / "settings.json").write_text(json.dumps({"new_per_day": 1, "reviews_per_day": 50}))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)

        def count(key):
            return str(home.query_one(f"#count-{key}").content)

        assert (count("new"), count("learning"), count("due")) == ("1", "0", "0")  # 2 new, limit 1
        await open_question(app, pilot, "stale-baseline")
        await pilot.press("a", "enter")  # wrong: learning, due in a minute
        await written(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert (count("new"), count("learning"), count("due")) == ("0", "1", "0")  # today's new limit used
        text = screen_text(app)
        assert "New today" in text and "Learning" in text and "Due today" in text


async def test_daily_limits_are_settings_that_persist(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#new-per-day").value = "7"
        screen.query_one("#reviews-per-day").value = "70"
        await pilot.click("#settings-save")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    saved = json.loads((data_dir / "settings.json").read_text())
    assert saved["new_per_day"] == 7 and saved["reviews_per_day"] == 70
    again = make_app()
    assert again.settings.new_per_day == 7 and again.settings.reviews_per_day == 70
