"""The simulation view and Simulation lab: pick a simulation, set its parameters, run it in a
thread worker with a progress bar, then read its outcomes per option, charts, timeline and numbers.

The simulations (numpy/pandas) and textual_plot are imported only inside the worker and when
results are drawn, never when this module is imported.
"""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    OptionList,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from quizapp.content import Question
from quizapp.ui.text import clean, plain, styled
from quizapp.ui.widgets.outcome_table import OutcomeTable
from quizapp.ui.widgets.param_form import ParamForm

TABS = ("outcomes", "charts", "timeline", "numbers", "tables")
TAB_KEYS = Binding.Group("Tabs")


class SimulationScreen(Screen):
    CSS_PATH = "simulation_screen.tcss"
    BINDINGS = [
        Binding("ctrl+r", "run", "Run", priority=True),
        Binding("r", "run", "Run", show=False),
        Binding("p", "next_preset", "Next world"),
        *(Binding(str(i + 1), f"tab('{name}')", name.capitalize(), group=TAB_KEYS) for i, name in enumerate(TABS)),
        Binding("escape", "back", "Back"),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    running = reactive(False)

    def __init__(self, name: str | None = None, question: Question | None = None, chosen: frozenset[str] = frozenset(),
                 letters: dict[str, str] | None = None) -> None:
        """``question`` and ``chosen`` as the learner saw them; ``letters``: their letter on screen ->
        the question file's letter (practice shuffles options), so outcomes show under the learner's letters."""
        super().__init__()
        self.simulation = name
        self.question = question
        self.chosen = chosen
        self.letters = dict(letters or {})
        self.info = None
        self.result = None
        self.preset = "default"

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        from simulations.catalog import SIMULATION_NAMES  # names only, costs nothing

        yield Header()
        with Horizontal(id="sim"):
            with VerticalScroll(id="sim-side"):
                yield OptionList(*[Option(name, id=name) for name in SIMULATION_NAMES], id="sim-list")
                yield Static("", id="sim-summary", markup=False)
                yield OptionList(id="preset-list")
                yield Vertical(id="sim-form")
                yield Button("Run (ctrl+r)", id="sim-run", variant="primary")
            with Vertical(id="sim-main"):
                yield Static("", id="sim-status", markup=False)
                yield ProgressBar(id="sim-progress", show_eta=False)
                with TabbedContent(id="sim-tabs", initial="outcomes"):
                    with TabPane("Outcomes", id="outcomes"):
                        with VerticalScroll(id="outcome-scroll"):
                            yield Static("", id="sim-question", markup=False)
                            yield OutcomeTable(id="outcome-table")
                            yield Static("", id="sim-narrative", markup=False)
                    with TabPane("Charts", id="charts"):
                        yield Vertical(id="chart-host")
                    with TabPane("Timeline", id="timeline"):
                        yield DataTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
                    with TabPane("Numbers", id="numbers"):
                        yield DataTable(id="numbers-table", cursor_type="row", zebra_stripes=True)
                    with TabPane("Tables", id="tables"):
                        yield VerticalScroll(id="tables-host")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Simulation lab"
        self.query_one("#sim-list").border_title = "Simulations"
        self.query_one("#preset-list").border_title = "Worlds (p: next)"
        self.query_one("#preset-list").display = False
        self.query_one("#sim-progress").display = False
        self.query_one("#sim-tabs").display = False
        self.query_one("#timeline-table", DataTable).add_columns("Time", "Kind", "Event")
        self.query_one("#numbers-table", DataTable).add_columns("Number", "Value")
        if self.question is not None:
            moved = {shown: file for shown, file in sorted(self.letters.items()) if shown != file}
            note = ("\nOutcomes use your letters; the narrative and tables use the question file's: "
                    + ", ".join(f"your {shown} = {file}" for shown, file in moved.items())) if moved else ""
            self.query_one("#sim-question", Static).update(
                plain(f"Question: {self.question.title}\nYour choice: {', '.join(sorted(self.chosen)) or 'none yet'}"
                      f" · correct: {', '.join(sorted(self.question.answer))}{note}")
            )
        if self.simulation:
            sim_list = self.query_one("#sim-list", OptionList)
            sim_list.highlighted = sim_list.get_option_index(self.simulation)
            self.load(self.simulation, run=True)
        else:
            self._status("Choose a simulation on the left (↑/↓, enter) to see its parameters and run it.")
            self.query_one("#sim-list").focus()

    # -- choosing and describing a simulation -----------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "preset-list":
            self.choose_preset(event.option.id)
        elif event.option.id != self.simulation or self.info is None:
            self.load(event.option.id, run=False)

    # -- worlds (presets) ------------------------------------------------------------------
    def choose_preset(self, name: str, run: bool = True) -> None:
        """Fill the form with the preset's parameters and run that world."""
        if self.info is None:
            return
        preset = self.info.preset(name)
        self.preset = name
        values = self.info.defaults | preset.params
        form = self.query_one(ParamForm)
        form.set_values(values)
        presets = self.query_one("#preset-list", OptionList)
        presets.highlighted = presets.get_option_index(name)
        if run:
            self.action_run()

    def action_next_preset(self) -> None:
        if self.info is None or self.running:
            return
        names = list(self.info.all_presets())
        self.choose_preset(names[(names.index(self.preset) + 1) % len(names)] if self.preset in names else names[0])

    def _preset_label(self, name: str) -> str:
        preset = self.info.all_presets()[name] if self.info else None
        if preset is None:
            return name
        if preset.control:
            return f"{name} (control: {preset.premise})"
        return name

    def load(self, name: str, run: bool) -> None:
        self.simulation, self.info, self.result = name, None, None
        self.sub_title = f"Simulation · {name}"
        self.query_one("#sim-tabs").display = False
        self._status(f"Loading {name} …")
        self._load_info(name, run)

    @work(thread=True, exclusive=True, group="simulation")
    def _load_info(self, name: str, run: bool) -> None:
        from simulations import registry

        try:
            info = registry.get_info(name)
        except ModuleNotFoundError as exc:
            message = f"The simulation {name!r} is not installed yet ({exc.name} is missing)."
            self.app.call_from_thread(self._status, message, True)
            return
        except Exception as exc:  # a broken simulation module is a message, not a crash
            self.app.call_from_thread(self._status, f"Cannot load simulation {name!r}: {type(exc).__name__}: {exc}", True)
            return
        self.app.call_from_thread(self._show_info, info, run)

    async def _show_info(self, info, run: bool) -> None:
        self.info = info
        self.query_one("#sim-summary", Static).update(plain(f"{info.title}\n\n{info.summary}"))
        host = self.query_one("#sim-form", Vertical)
        await host.remove_children()
        await host.mount(ParamForm(info.params, id="params"))
        presets = self.query_one("#preset-list", OptionList)
        presets.clear_options()
        presets.add_options([Option(plain(self._preset_label(name)), id=name) for name in info.all_presets()])
        presets.display = True
        self.preset = "default"
        presets.highlighted = 0
        self._status(f"{info.title} — set the parameters and press ctrl+r (or r) to run.")
        if run:
            self.action_run()

    # -- running ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("run", "next_preset"):
            return self.info is not None and not self.running
        if action == "tab":
            return self.result is not None
        return True

    def action_run(self) -> None:
        if self.info is None or self.running:
            return
        form = self.query_one(ParamForm)
        from simulations.params import ParameterError, validate_params  # light: no numpy

        seed = form.seed_value()
        try:
            if seed is None:
                raise ParameterError("seed must be a whole number ≥ 0")
            params = validate_params(self.info.params, form.values())
        except ParameterError as exc:
            form.show_error(str(exc))
            self._status("Fix the parameter shown on the left, then run again.", True)
            return
        form.show_error(None)
        self.running = True
        bar = self.query_one("#sim-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._status(f"Running {self.info.title} …")
        question = self.question.id if self.question is not None and self.question.id in self.info.question_ids else None
        self._run(self.info.name, params, seed, self.preset, question)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "sim-run":
            event.stop()
            self.action_run()

    @work(thread=True, exclusive=True, group="simulation")
    def _run(self, name: str, params: dict, seed: int, preset: str = "default", question: str | None = None) -> None:
        from simulations import registry
        from simulations.params import ParameterError

        worker = get_current_worker()

        def progress(step: int, total: int, message: str = "") -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, step, total, message)

        try:
            result = registry.run_simulation(name, params, seed=seed, progress=progress, preset=preset, question=question)
        except ParameterError as exc:
            self.app.call_from_thread(self._failed, str(exc), True)
            return
        except Exception as exc:  # the screen stays usable whatever the simulation does
            self.app.call_from_thread(self._failed, f"The simulation failed: {type(exc).__name__}: {exc}", False)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_result, result)

    def _progress(self, step: int, total: int, message: str) -> None:
        self.query_one("#sim-progress", ProgressBar).update(total=max(total, 1), progress=step)
        if message:
            self._status(message)

    def _failed(self, message: str, parameter: bool) -> None:
        self.running = False
        self.query_one("#sim-progress").display = False
        if parameter:
            self.query_one(ParamForm).show_error(message)
            self._status("Fix the parameter shown on the left, then run again.", True)
        else:
            self._status(message, True)

    def watch_running(self) -> None:
        self.refresh_bindings()
        if self.is_mounted:
            self.query_one("#sim-run", Button).disabled = self.running

    # -- showing the result ---------------------------------------------------------------
    def _as_seen(self, outcomes: list) -> list:
        """The outcomes under the letters the learner saw, in that order (file letter -> screen letter)."""
        if not self.letters:
            return list(outcomes)
        shown_of = {file: shown for shown, file in self.letters.items()}
        seen = [dataclasses.replace(o, letter=shown_of.get(o.letter, o.letter)) for o in outcomes]
        return sorted(seen, key=lambda o: o.letter)

    async def _show_result(self, result) -> None:
        self.query_one("#sim-progress").display = False
        world = self._preset_label(getattr(result, "preset", "default"))
        self._status(f"{result.title or result.name} — world: {world}, seed {result.seed}. p: next world, 1–5 tabs, ctrl+r runs again.")
        linked = self.question is not None and self.question.simulation == result.name and result.question_id == self.question.id
        answer = self.question.answer if linked else frozenset()
        chosen = self.chosen if answer else frozenset()
        outcomes = self._as_seen(result.outcomes) if linked else result.outcomes
        await self.query_one(OutcomeTable).show(outcomes, chosen, answer)
        self.query_one("#outcome-table").display = bool(result.outcomes)
        self.query_one("#sim-narrative", Static).update(plain(result.narrative))
        timeline = self.query_one("#timeline-table", DataTable)
        timeline.clear()
        for event in result.timeline:
            timeline.add_row(styled(event.time), styled(event.kind, _kind_style(event.kind)), styled(event.text))
        numbers = self.query_one("#numbers-table", DataTable)
        numbers.clear()
        for key, value in result.key_numbers.items():
            numbers.add_row(styled(key), styled(_format(value)))
        await self._show_tables(result.tables)
        await self._show_charts(result.series)
        tabs = self.query_one("#sim-tabs", TabbedContent)
        tabs.display = True
        tabs.active = "outcomes"
        self.query_one("#outcome-scroll").focus()
        self.result = result  # set last: the result is complete on screen
        self.running = False

    async def _show_charts(self, series) -> None:
        from quizapp.ui.widgets.chart_panel import ChartPanel  # textual_plot + numpy: only now

        host = self.query_one("#chart-host", Vertical)
        await host.remove_children()
        await host.mount(ChartPanel(series, id="chart-panel"))

    async def _show_tables(self, tables) -> None:
        host = self.query_one("#tables-host", VerticalScroll)
        await host.remove_children()
        widgets = []
        for name, frame in tables.items():
            widgets.append(Static(Text(clean(name), style="bold"), classes="table-title"))
            table = DataTable(classes="result-table", zebra_stripes=True)
            table.add_columns(*[styled(c) for c in frame.columns])
            for row in frame.head(200).itertuples(index=False):
                table.add_row(*[styled(_format(v)) for v in row])
            widgets.append(table)
            if len(frame) > 200:
                widgets.append(Static(f"… {len(frame) - 200} more rows (export with `quizapp sim run --out`)", markup=False))
        if not widgets:
            widgets.append(Static("No tables in this result.", markup=False))
        await host.mount_all(widgets)

    def action_tab(self, name: str) -> None:
        if self.result is not None:
            self.query_one("#sim-tabs", TabbedContent).active = name

    def _status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#sim-status", Static)
        status.update(plain(message))
        status.set_class(error, "-error")

    def action_back(self) -> None:
        self.workers.cancel_group(self, "simulation")
        self.app.pop_screen()


def _kind_style(kind: str) -> str:
    return {"alarm": "bold red", "violation": "red", "email": "magenta", "retrain": "green", "baseline": "cyan"}.get(kind, "")


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return _format(value.item())
        except (ValueError, AttributeError):
            pass
    return str(value)
