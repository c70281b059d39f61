"""Keys, help, command palette, study notes, quitting."""

from __future__ import annotations

from ui_helpers import screen_text, settle

from quizapp.ui.help_screen import HelpScreen
from quizapp.ui.home_screen import HomeScreen
from quizapp.ui.notes_screen import NotesScreen
from quizapp.ui.practice_screen import PracticeScreen
from quizapp.ui.stats_screen import StatsScreen


async def test_help_lists_keys_for_every_screen(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-text").content)
        for heading in ("Home", "Practice and review", "Simulation lab", "Study notes", "Statistics", "Everywhere"):
            assert heading in help_text
        for key, what in (("k", "한/EN"), ("f", "Flag"), ("ctrl+r / r", "Run"), ("P / ←", "Prev"), ("q", "Quit")):
            assert key in help_text and what in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_command_palette_goes_to_a_screen_and_opens_a_question(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to statistics")
        await settle(app, pilot)  # the palette searches in a worker
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open question email")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.question_ids == ["alarm-email"]


async def test_notes_render_markdown_and_open_related_question(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        text = screen_text(app)
        assert "Baselines and violations" in text
        assert "A baseline is computed from the training data." in text  # Markdown rendered, ** gone
        assert "Violations after retraining" in text and "Email on overfitting" in text
        await pilot.press("enter")  # note list -> related questions
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.question_ids == ["alarm-email"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.question_ids == ["stale-baseline", "alarm-email"]


async def test_q_quits_from_home(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_launch_path_paints_home_then_loads_content_and_store(content_dir, data_dir):
    from quizapp.ui.launch import build_app

    app = build_app(content_dir, data_dir, lazy=True)
    assert not app.data_ready and app.store is None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)  # the loader worker
        assert app.data_ready
        await pilot.pause()
        text = screen_text(app)
        assert "0/2" in text and "No session yet" in text
        await pilot.press("p")
        await pilot.pause()
        assert type(app.screen).__name__ == "PickerScreen"
    app.close_progress()


async def test_home_counts_show_before_the_questions_are_parsed(content_dir, data_dir, monkeypatch):
    """The launch path fills Home's counts from the store and the front-matter ids, while the
    full Markdown parse (held here until released) still runs in the loader thread."""
    import threading

    from quizapp.content import loader as content_loader
    from quizapp.ui.launch import build_app

    release = threading.Event()
    real_load = content_loader.load_content

    def held_load(*args, **kwargs):
        assert release.wait(30)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(content_loader, "load_content", held_load)
    app = build_app(content_dir, data_dir, lazy=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.data_ready
        home = app.screen
        assert str(home.query_one("#count-answered").content) == "0/2"
        assert str(home.query_one("#count-new").content) == "2"
        assert "Loading questions" in screen_text(app)
        release.set()
        await settle(app, pilot)
        assert app.data_ready and "No session yet" in screen_text(app)
    app.close_progress()
