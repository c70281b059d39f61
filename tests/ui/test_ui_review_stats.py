"""Review queue with a fixed clock, statistics after answers, corrupt-database recovery, problems panel."""

from __future__ import annotations

from datetime import timedelta

from ui_helpers import NOW, screen_text
from ui_content import write_content

from quizapp.ui.practice_screen import PracticeScreen
from quizapp.ui.problems_screen import ProblemsScreen
from quizapp.ui.stats_screen import StatsScreen


async def answer_both(app, pilot, first: str, second: tuple[str, ...]):
    await pilot.press("p", "enter")
    await pilot.pause()
    await pilot.press(first, "enter", "n", *second, "enter")
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()


async def test_empty_review_queue_is_friendly(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.question_ids == []
        assert "Nothing to review right now" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and len(app.screen_stack) == 1


async def test_review_queue_order_with_fixed_clock(make_app):
    clock = {"now": NOW}
    app = make_app(clock=lambda: clock["now"])
    async with app.run_test(size=(100, 32)) as pilot:
        await answer_both(app, pilot, "c", ("a", "c"))  # stale-baseline wrong, alarm-email right
        assert app.store.review_queue(app.question_ids, now=NOW) == ["stale-baseline"]  # a recent miss
        clock["now"] = NOW + timedelta(days=60)  # both due; the missed one is the most overdue
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert screen.mode == "review"
        assert screen.question_ids == ["stale-baseline", "alarm-email"]
        assert "Violations after retraining" in screen_text(app)
        await pilot.press("b", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.store.last_session() == ("review", 1, 1)
        assert "Last session: review, 1 of 1 right" in screen_text(app)


async def test_statistics_show_the_numbers(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_both(app, pilot, "c", ("a", "c"))
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await app.screen.workers.wait_for_complete()  # the figures load off the UI thread
        await pilot.pause()
        assert app.screen.report is not None
        text = screen_text(app)
        assert "Answered 2 of 2 questions · 2 attempts, 1 correct (50%)" in text
        assert "new 0 · learning 1 · review 1 · due now 0" in str(app.screen.query_one("#stats-summary").content)
        assert "streak 1 day" in text
        domains = app.screen.query_one("#by-domain")
        rows = {str(domains.get_row_at(i)[0]): domains.get_row_at(i)[1:] for i in range(domains.row_count)}
        assert rows == {"alerting": [1, 1, "100%"], "monitoring": [1, 0, "0%"]}
        assert "model-monitor" in text and "F06" in text
        assert app.screen.query_one("#forecast").row_count == 7
        assert app.screen.query("#per-day")
        text = screen_text(app)
        assert "Answers per day" in text
        # answers on one day of thirty: a bar a few columns wide at the right, not the whole chart
        plotted = [line.split("┫", 1)[1] for line in text.splitlines() if "┫" in line]
        assert plotted and all(line.count("█") <= 8 for line in plotted)
        assert any(line.rstrip(" ┣┃▂▇").endswith("█") for line in plotted)


async def test_corrupt_database_is_set_aside_and_app_works(make_app, data_dir):
    (data_dir / "progress.db").write_bytes(b"this is not a sqlite database" * 100)
    app = make_app()
    assert app.store.recovery_message
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert "set aside" in screen_text(app) or any("progress" in str(n.message) for n in app._notifications)
        await pilot.press("p", "enter", "b", "enter")
        await pilot.pause()
        assert app.screen.answers["stale-baseline"][1] is True
    assert any(p.name != "progress.db" for p in data_dir.iterdir())


async def test_content_problems_panel_lists_path_and_line(make_app, tmp_path):
    folder = write_content(tmp_path / "broken", broken=True)
    app = make_app(content=folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "questions/q4_broken.md:" in text
        assert str(app.content.problems[0]) in " ".join(text.split()) or str(app.content.problems[0])[:40] in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProblemsScreen)
        assert "/2" in str(app.screen.query_one("#count-answered").content)  # valid questions still loaded
