"""Hostile content is shown literally (no markup, no escape codes) and cannot act; Korean lays out."""

from __future__ import annotations

import subprocess
import sys

from ui_helpers import screen_text, settle
from rich.cells import cell_len
from ui_content import write_content

from quizapp.ui.text import clean


def test_clean_makes_controls_visible_and_keeps_text():
    assert clean("a\x1b[31mb\x07\r\n\tc") == "a␛[31mb␇␍\n\tc"
    assert clean("\x9b2J") == "\\x9b2J"
    assert clean("[bold]한국어[/bold]") == "[bold]한국어[/bold]"


async def test_hostile_question_is_literal_and_harmless(make_app, tmp_path):
    app = make_app(content=write_content(tmp_path / "hostile", hostile=True))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("p", "enter")
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        screen = app.screen
        assert screen.question.id == "hostile"
        text = screen_text(app)
        assert "Markup [bold]title[/bold]" in text
        assert "[bold]not bold[/bold] and [@click=app.quit]x[/] and ␛[31mred␛[0m text." in text
        assert "A) Option [@click=app.quit]click me[/]" in text
        assert "B) Option ␛[31mB␛[0m" in text
        assert "\x1b" not in text
        for selector in ("#q-title", "#q-stem", "#options"):
            await pilot.click(selector)
            await pilot.click(selector, offset=(12, 0))
            await pilot.pause()
            assert app.is_running
        await pilot.press("a", "enter")
        await pilot.pause()
        assert screen.answers["hostile"] == (frozenset("A"), True)
        panel = screen.query_one("#feedback")
        panel.scroll_visible(animate=False)
        await pilot.pause()
        text = screen_text(app)
        assert "Explanation [@click=app.quit]quit[/] ␛[31m" in text
        assert "B) Reason [red]B[/red]" in text
        await pilot.click("#explanation")
        await pilot.click("#reasons", offset=(20, 1))
        await pilot.pause()
        assert app.is_running
        # the command palette shows the title literally too
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Markup")
        await settle(app, pilot)  # the palette searches in a worker
        assert "[bold]title[/bold]" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_korean_explanation_lays_out_within_the_screen(make_app):
    app = make_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.press("p", "enter", "b", "enter", "k")
        await pilot.pause()
        explanation = app.screen.query_one("#explanation")
        explanation.scroll_visible(animate=False)
        await pilot.pause()
        text = screen_text(app)
        joined = "".join(line.strip("│ ") for line in text.splitlines())
        assert "이전 기준선은 이전 데이터를 설명합니다." in joined.replace("  ", " ") or "이전 기준선은" in text
        assert all(cell_len(line) <= 60 for line in text.splitlines())


def test_launch_path_does_not_import_heavy_modules():
    code = (
        "import sys, quizapp.ui.launch, quizapp.ui.app, quizapp.ui.home_screen, quizapp.progress, quizapp.content;"
        "from quizapp.content import load_content; load_content();"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('pandas', 'numpy', 'textual_plot', 'sklearn')"
        " or (m.startswith('simulations.') and m != 'simulations.catalog')];"
        "print(','.join(sorted(heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
