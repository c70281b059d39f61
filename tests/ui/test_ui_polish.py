"""Everyday polish: inline code, letter hints, `s` without a simulation, notes order, the palette
by id, and theme/language that persist across restarts."""

from __future__ import annotations

import json
from textwrap import dedent

from ui_content import write_content
from ui_helpers import screen_text, settle

from quizapp.ui.practice_screen import PracticeScreen
from quizapp.ui.text import CODE_STYLE

CODE = dedent(
    """\
    ---
    id: code-spans
    domain: alerting
    tags: [cloudwatch]
    answer: A
    ---
    # Publishing a metric
    ## Question
    Which call sends `ValidationLoss` to CloudWatch? Keep `[bold]x[/bold]` literal.
    ## Options
    - A) `PutMetricData`
    - B) `GetMetricData`
    - C) `DescribeAlarms`
    - D) `PutLogEvents`
    ## Answer
    A
    ## Explanation
    Only `PutMetricData` writes a data point.
    """
)

REVERSED_NOTE = dedent(
    """\
    ---
    id: baselines
    title: Baselines and violations
    questions: [alarm-email, stale-baseline]
    ---
    # Baselines and violations
    ## Key point
    Text.
    """
)


def content_with_code(tmp_path):
    folder = write_content(tmp_path)
    (folder / "questions" / "q0_code.md").write_text(CODE, encoding="utf-8")  # first in the bank
    (folder / "notes" / "baselines.md").write_text(REVERSED_NOTE, encoding="utf-8")
    return folder


async def test_inline_code_spans_render_as_code_and_the_hint_names_a_to_d(make_app, tmp_path):
    app = make_app(content_with_code(tmp_path / "c"))
    async with app.run_test(size=(100, 32)) as pilot:
        app.action_open_question("code-spans")
        await pilot.pause()
        text = screen_text(app)
        assert "sends ValidationLoss to CloudWatch" in text and "`" not in text
        assert "Keep [bold]x[/bold] literal" in text  # still data, never markup
        assert all(name in text for name in ("PutMetricData", "GetMetricData", "DescribeAlarms", "PutLogEvents"))
        assert "Choose one option (a–d or ↑/↓)" in text
        stem = app.screen.query_one("#q-stem").content
        code = [stem.plain[s.start:s.end] for s in stem.spans if str(s.style) == CODE_STYLE]
        assert code == ["ValidationLoss", "[bold]x[/bold]"]


async def test_s_on_a_question_without_a_simulation_says_so(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.action_open_question("alarm-email")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert any("no simulation" in n.message for n in app._notifications)


async def test_practice_all_follows_the_study_notes_order(make_app, tmp_path):
    app = make_app(content_with_code(tmp_path / "c"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert "All questions (study-notes order)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.question_ids == ["alarm-email", "stale-baseline", "code-spans"]


async def test_the_palette_finds_a_question_by_id_and_keeps_the_language(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.action_open_question("stale-baseline")
        await pilot.pause()
        await pilot.press("k")  # Korean
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"alarm-email")  # the id, not the title
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.question_ids == ["alarm-email"] and app.screen.language == "ko"
    assert json.loads((data_dir / "settings.json").read_text())["language"] == "ko"


async def test_theme_and_language_persist_across_restarts(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert json.loads((data_dir / "settings.json").read_text())["theme"] == "nord"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        again.action_open_question("stale-baseline")
        await pilot.pause()
        assert again.screen.language == "en"


def footer_line(app) -> str:
    return screen_text(app).rstrip("\n").split("\n")[-1]


async def test_every_screen_fits_80x24_start_button_and_footers(make_app):
    from quizapp.exam import ExamConfig

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "q Quit" in footer_line(app) and "? Keys" in footer_line(app)
        await pilot.press("e")
        await pilot.pause()
        start = app.screen.query_one("#start")
        assert start.region.bottom <= 24 and start.region.y >= 0 and start.region.height == 3  # on screen, whole
        assert await pilot.click("#start")
        await pilot.pause()
        assert "? Keys" in footer_line(app)  # the exam's footer is not cut
        await pilot.press("escape")
        await pilot.pause()
        for key in ("n", "t", "l"):
            await pilot.press(key)
            await settle(app, pilot)
            assert "? Keys" in footer_line(app), (key, footer_line(app))
            await pilot.press("escape")
            await settle(app, pilot)
        app.action_open_question("stale-baseline")
        await pilot.pause()
        assert "? Keys" in footer_line(app)
        await pilot.press("b", "enter")
        app.settle_progress(10)
        await pilot.pause()
        await pilot.pause()
        assert "? Keys" in footer_line(app) and "Rate" in footer_line(app)
        text = screen_text(app)
        assert "Next review in" in text and "Correct" in text  # schedule and verdict without scrolling
