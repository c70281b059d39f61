"""The simulation view: opened from a question, outcome table with the learner's choice, errors inline."""

from __future__ import annotations

import ui_fake_sim
from ui_helpers import screen_text, settle

from quizapp.ui.practice_screen import PracticeScreen
from quizapp.ui.simulation_screen import SimulationScreen


async def wait_for_result(app, pilot, screen):
    await settle(app, pilot)
    assert screen.result is not None and not screen.running, "simulation did not finish"


async def test_open_simulation_from_question_shows_outcomes_with_choice(make_app, monkeypatch):
    ui_fake_sim.install(monkeypatch)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("p", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("s")  # not before answering: the outcomes would give the answer away
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("c", "enter")  # wrong on purpose
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulationScreen)
        await wait_for_result(app, pilot, screen)
        cards = list(screen.query(".outcome-card"))
        assert [c.outcome.letter for c in cards] == ["A", "B", "C", "D"]
        assert cards[2].has_class("-chosen") and not cards[1].has_class("-chosen")
        assert cards[1].has_class("-works") and not cards[0].has_class("-works")
        text = screen_text(app)
        assert "▶ you  C) Recreate the endpoint" in text and "✔ answer  B) New baseline" in text
        # every criterion is shown, measured against its threshold
        assert "✘ violations after recreating: 12, at most 0" in text
        assert "✔ violations against the new baseline: 0, at most 0" in text
        assert "The old baseline flags [bold]everything[/bold]." in text  # narrative as text
        await pilot.press("2")  # charts tab draws textual-plot widgets
        await pilot.pause()
        from textual_plot import PlotWidget

        assert len(screen.query(PlotWidget)) == 2
        await pilot.press("3")
        await pilot.pause()
        assert "Drift found" in screen_text(app)
        await pilot.press("4")
        await pilot.pause()
        assert "0.4213" in screen_text(app)
        await pilot.press("5")
        await pilot.pause()
        assert "weekly" in screen_text(app) and "[red]x[/red]" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)


async def test_parameter_error_is_shown_inline_and_rerun_works(make_app, monkeypatch):
    ui_fake_sim.install(monkeypatch)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulationScreen)
        await pilot.press("down", "enter")  # stale-baseline is second in the catalog
        await settle(app, pilot)
        assert screen.info is not None
        field = screen.query_one("#param-weeks")
        field.value = "99"
        await pilot.press("ctrl+r")
        await pilot.pause()
        error = str(screen.query_one("#param-error").content)
        assert "weeks" in error and "2..52" in error
        assert field.has_class("-invalid-param")
        assert screen.result is None and app.is_running
        assert "weeks" in screen_text(app)
        field.value = "10"
        await pilot.press("ctrl+r")
        await wait_for_result(app, pilot, screen)
        assert not screen.query_one("#param-error").display
        assert screen.result.params == {"weeks": 10}


async def test_error_raised_by_the_simulation_is_shown_inline(make_app, monkeypatch):
    ui_fake_sim.install(monkeypatch)
    from simulations import registry

    def failing(name, params=None, seed=0, progress=None, preset="default", question=None):
        raise ui_fake_sim.ParameterError("parameter 'weeks' must be in 2..52, got 0")

    monkeypatch.setattr(registry, "run_simulation", failing)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_simulation("stale-baseline")
        await settle(app, pilot)  # loading the simulation, then its failing run
        assert not app.screen.running and app.screen.info is not None
        assert app.screen.query_one("#param-error").display
        assert "must be in 2..52" in str(app.screen.query_one("#param-error").content)
        assert app.is_running


async def test_outcome_cards_wrap_at_80_columns_and_p_runs_the_control_world(make_app, monkeypatch):
    ui_fake_sim.install(monkeypatch)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_simulation("stale-baseline")
        screen = app.screen
        await wait_for_result(app, pilot, screen)
        card = screen.query_one("#outcome-D")
        assert card.size.width <= 80 - 30  # beside the side panel, and still ...
        assert "violations after retraining: 11, at most 0" in str(card.render())  # ... nothing cut
        assert "world: default" in str(screen.query_one("#sim-status").content)
        await pilot.press("p")
        await settle(app, pilot)
        assert screen.result.preset == "no-drift"
        assert "world: no-drift (control: no drift)" in str(screen.query_one("#sim-status").content)
        assert screen.query_one("#outcome-A").has_class("-works")  # the control world flips A
        assert "No drift: nothing to fix." in str(screen.query_one("#sim-narrative").content)
        assert screen.query_one("#param-weeks").value == "4"


async def test_outcomes_follow_the_letters_the_learner_saw_when_options_were_shuffled(make_app, monkeypatch):
    """Practice shuffles options per learner: the simulation must show each outcome under the
    letter that option had on the learner's screen, with their choice and the answer on it."""
    ui_fake_sim.install(monkeypatch)
    from quizapp.ui.practice_order import practice_view

    app = make_app(shuffle=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        question = app.questions["stale-baseline"]  # the fake simulation serves it
        # a learner seed under which the file's C ("Recreate the endpoint") is shown under another letter
        app._practice_seed = next(f"learner-{i}" for i in range(100) if practice_view(question, f"learner-{i}")[1].get("C") != "C")
        await pilot.press("p", "enter")
        await pilot.pause()
        practice = app.screen
        assert practice.question.id == question.id
        question = practice.question
        mapping = practice.views[question.id][1]
        assert mapping != {letter: letter for letter in mapping}, "the learner seed must move the options here"
        shown_recreate = next(shown for shown, file in mapping.items() if file == "C")  # "Recreate the endpoint" in the file
        shown_baseline = next(shown for shown, file in mapping.items() if file == "B")
        await pilot.press(shown_recreate.lower(), "enter")  # wrong on purpose, under the letter seen
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulationScreen)
        await wait_for_result(app, pilot, screen)
        cards = {c.outcome.letter: c for c in screen.query(".outcome-card")}
        assert sorted(cards) == ["A", "B", "C", "D"]
        assert cards[shown_recreate].outcome.action == "Recreate the endpoint" and cards[shown_recreate].has_class("-chosen")
        assert cards[shown_baseline].outcome.action == "New baseline" and cards[shown_baseline].has_class("-works")
        text = screen_text(app)
        assert f"Your choice: {shown_recreate} · correct: {shown_baseline}" in text
        assert f"▶ you  {shown_recreate}) Recreate the endpoint" in text and f"✔ answer  {shown_baseline}) New baseline" in text
        assert f"your {shown_recreate} = C" in " ".join(text.split())  # the narrative's letters are the file's
