"""The instructor's presenter screen: a large question, a countdown, reveal, distribution,
leaderboard, explanation and the linked simulation. With ``--host`` learners join over the
local network and answer from their own terminals."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.session.plan import SessionPlan
from quizapp.session.server import SessionServer, new_join_code
from quizapp.session.state import MAX_PARTICIPANTS, SessionState
from quizapp.ui.exam_screen import format_clock
from quizapp.ui.text import clean, inline_text, plain

BAR_WIDTH = 30


class PresenterScreen(Screen):
    CSS_PATH = "presenter_screen.tcss"
    BINDINGS = [
        Binding("space", "timer", "Start/pause"),
        Binding("plus,equals_sign", "extend", "+30 s"),
        Binding("r", "reveal", "Reveal"),
        Binding("e", "explain", "Explanation"),
        Binding("s", "simulation", "Simulation"),
        Binding("n,right", "next", "Next"),
        Binding("b,left", "back", "Back"),
        Binding("x", "export", "Export results"),
        Binding("escape", "close", "End session"),
    ]

    def __init__(self, plan: SessionPlan, host: bool = False, bind: str = "127.0.0.1", port: int = 0,
                 results_dir: Path | None = None, code: str | None = None, max_learners: int = MAX_PARTICIPANTS) -> None:
        super().__init__()
        self.plan = plan
        self.host = host
        self.bind = bind
        self.port = port
        self.results_dir = results_dir
        self.state: SessionState | None = None
        self.server: SessionServer | None = None
        self.code = code or new_join_code()
        self.max_learners = max_learners
        self.show_explanation = False
        self._dirty = False  # learners joined, left or answered since the last refresh

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="join", markup=False)
        with Horizontal(id="presenter-top"):
            yield Static(id="presenter-position", markup=False)
            yield Static(id="presenter-clock", markup=False)
            yield Static(id="presenter-answered", markup=False)
        with VerticalScroll(id="presenter-body"):
            yield Static(id="lobby")
            # after a reveal the results come first, then the explanation, then the question
            with Horizontal(id="after-reveal"):
                with Vertical(id="results-left"):
                    yield Static(id="distribution")
                    yield Static(id="right-names")
                yield Static(id="leaderboard")
            yield Static(id="presenter-explanation")
            yield Static(id="presenter-stem")
            yield Static(id="presenter-options")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.state = SessionState(self.plan, self.app.questions, self.code, max_participants=self.max_learners)
        self.sub_title = f"Session · {self.plan.title}"
        if self.host:
            self.server = SessionServer(self.state, self.bind, self.port, on_change=self._mark_changed)
            try:
                host, port = await self.server.start()
            except OSError as exc:
                self.server = None
                self.notify(f"Could not start the session server on {self.bind}:{self.port}: {exc.strerror or exc}", severity="error", markup=False)
            else:
                self.query_one("#join", Static).update(f"Learners join with:  quizapp join {host}:{port} --code {self.code} --name YOURNAME")
        if self.server is None:
            self.query_one("#join", Static).update("Presenting without learners (start with --host to let learners answer from their terminals).")
        self.state.show_question(0)  # on screen; learners get it when space starts the timer
        self._refresh()
        self.set_interval(0.5, self._tick)

    async def on_unmount(self) -> None:
        if self.server is not None:
            await self.server.stop()

    # -- display --------------------------------------------------------------------------------
    def _mark_changed(self) -> None:
        """Learners joined, left or answered: redraw on the next tick (many at once cost one redraw)."""
        self._dirty = True

    def _tick(self) -> None:
        if self._dirty:
            self._dirty = False
            self._refresh()
        self._show_clock()

    def _show_clock(self) -> None:
        state = self.state
        clock = self.query_one("#presenter-clock", Static)
        q = state.current
        if q is None:
            clock.update("")
        elif q.id in state.revealed:
            clock.update("revealed")
        elif not state.started:
            clock.update(f"⏱ {format_clock(state.plan.seconds_per_question)} — space starts the timer")
        elif state.paused:
            clock.update(f"⏸ {format_clock(state.remaining())} paused")
        else:
            clock.update(f"⏱ {format_clock(state.remaining())}" if state.remaining() > 0 else "⏱ time is up — r reveals")
        clock.set_class(state.started and 0 < state.remaining() < 10, "-low")

    def _in_lobby(self) -> bool:
        """Before the first question is opened: the joined names, not the question."""
        return not self.state.asked

    def _show_lobby(self) -> None:
        lobby = self.query_one("#lobby", Static)
        in_lobby = self._in_lobby()
        lobby.display = in_lobby
        for widget_id in ("#presenter-stem", "#presenter-options"):
            self.query_one(widget_id).display = not in_lobby
        if not in_lobby:
            return
        names = sorted(self.state.participants)
        text = Text(f"Lobby — {self.plan.title}\n\n", style="bold")
        if not self.server:
            text.append("Presenting without learners.")
        elif names and self.plan.anonymous:
            text.append(f"{len(names)} joined (anonymous session: names are not shown).", style="bold")
        elif names:
            text.append(f"{len(names)} joined: ", style="bold")
            text.append(", ".join(clean(name) for name in names))
        else:
            text.append("Nobody has joined yet.")
        text.append(f"\n\n{len(self.state.order)} questions · space opens the first one.", style="italic")
        lobby.update(text)

    def _refresh(self) -> None:
        state = self.state
        q = state.current
        if q is None:
            return
        self._show_lobby()
        revealed = q.id in state.revealed
        self.query_one("#presenter-position", Static).update(f"Question {state.index + 1} of {len(state.order)}")
        connected = sum(p.connected for p in state.participants.values())
        self.query_one("#presenter-answered", Static).update(
            f"{state.answered_count(q.id)} answered · {connected} connected" if self.server else ""
        )
        stem = Text(clean(q.title) + "\n\n", style="bold")
        stem.append_text(inline_text(q.stem))
        if q.is_multi:
            stem.append(f"\n\n(Choose {len(q.answer)}.)", style="italic")
        self.query_one("#presenter-stem", Static).update(stem)
        options = Text()
        for option in q.options:
            right = revealed and option.letter in q.answer
            style = "bold green" if right else ("dim" if revealed else "")
            options.append(f"{'✔' if right else ' '} {option.letter}) ", style="bold " + style)
            options.append_text(inline_text(option.text, style=style))
            options.append("\n\n")
        self.query_one("#presenter-options", Static).update(options)
        after = self.query_one("#after-reveal")
        after.display = revealed
        if revealed:
            self._show_results(q)
        explanation = self.query_one("#presenter-explanation", Static)
        explanation.display = self.show_explanation
        if self.show_explanation:
            text = q.explanation.get("en") or q.explanation.get("ko") or "No explanation given."
            explanation.update(inline_text(text))
        self._show_clock()

    def _show_results(self, q) -> None:
        state = self.state
        dist = state.distribution(q.id)
        total = max(1, sum(dist.values()))
        bars = Text("Answers\n", style="bold")
        for letter, count in dist.items():
            style = "green" if letter in q.answer else "red"
            width = round(BAR_WIDTH * count / total)
            bars.append(f" {letter} ", style="bold")
            bars.append("█" * width, style=style)
            bars.append(f" {count}\n")
        self.query_one("#distribution", Static).update(bars)
        answered = state.answered_count(q.id)
        right = state.correct_names(q.id)
        pct = f"{100 * len(right) / answered:.0f}%" if answered else "—"
        line = f"{len(right)} of {answered} right ({pct})"
        if not state.plan.anonymous and right:
            line += ": " + ", ".join(right)
        self.query_one("#right-names", Static).update(plain(line))
        board = Text("Leaderboard\n", style="bold")
        if state.plan.anonymous:  # names stay hidden on the shared screen
            board.append(" (anonymous session: names are not shown)")
        else:
            for rank, (name, score) in enumerate(state.leaderboard()[:8], start=1):
                board.append(f" {rank}. {clean(name)} — {score}\n")
        self.query_one("#leaderboard", Static).update(board)

    # -- actions --------------------------------------------------------------------------------
    async def action_timer(self) -> None:
        state = self.state
        q = state.current
        if q is None or q.id in state.revealed:
            return
        if not state.started:
            if self.server:
                await self.server.start_question(state.index)
            else:
                state.start_question(state.index)
        elif state.paused:
            state.resume()
        else:
            state.pause()
        if self.server:
            await self.server.send_timer()
        self._refresh()

    async def action_extend(self) -> None:
        self.state.extend(30)
        if self.server:
            await self.server.send_timer()
        self._refresh()

    async def action_reveal(self) -> None:
        if self.state.current is None or self.state.current.id in self.state.revealed:
            return
        if self.server:
            await self.server.reveal()
        else:
            self.state.reveal()
        self._refresh()
        self.query_one("#presenter-body", VerticalScroll).scroll_home(animate=False)
        if self.plan.run_simulation_after_reveal and self.state.current.simulation:  # on a key, never instead of the results
            self.notify(f"s opens the simulation '{self.state.current.simulation}'.", markup=False)

    def action_explain(self) -> None:
        self.show_explanation = not self.show_explanation
        self._refresh()
        if self.show_explanation:  # results, then the explanation, from the top
            self.query_one("#presenter-body", VerticalScroll).scroll_home(animate=False)

    def action_simulation(self) -> None:
        q = self.state.current
        if q is None or not q.simulation:
            self.notify("This question has no linked simulation.", markup=False)
            return
        self.app.open_simulation(q.simulation, question=q)

    async def _go(self, index: int) -> None:
        self.state.show_question(index)
        self.show_explanation = False
        self._refresh()

    async def action_next(self) -> None:
        if self.state.index < len(self.state.order) - 1:
            await self._go(self.state.index + 1)
        else:
            self.notify("That was the last question — x exports the results, escape ends the session.", markup=False)

    async def action_back(self) -> None:
        if self.state.index > 0:
            await self._go(self.state.index - 1)

    def action_export(self) -> None:
        from datetime import datetime

        from quizapp.session.export import export_results

        folder = self.results_dir or Path(f"session-results-{datetime.now():%Y%m%d-%H%M%S}")
        try:
            paths = export_results(self.state, folder)
        except OSError as exc:
            self.notify(f"Could not write results to {folder}: {exc.strerror or exc}", severity="error", markup=False)
            return
        self.notify(f"Results written: {', '.join(str(p) for p in paths)}", timeout=10, markup=False)

    def action_close(self) -> None:
        """Esc: ask before ending the class for everyone."""
        from quizapp.ui.confirm_screen import ConfirmScreen

        learners = sum(p.connected for p in self.state.participants.values())
        text = "End the session for everyone?"
        if self.state.participants:
            text += f" {learners} learner(s) connected; the results are exported."

        async def decided(end: bool | None) -> None:
            if end:
                await self.end_class()

        self.app.push_screen(ConfirmScreen(text, yes="End session", no="Keep going"), decided)

    async def end_class(self) -> None:
        """Tell learners the session is over, export the results, close the presenter."""
        if self.server:
            await self.server.finish()
        if self.state.participants:
            self.action_export()
        self.app.pop_screen()
