"""Start the presenter (``quizapp session PLAN``) or a learner client (``quizapp join``)."""

from __future__ import annotations

import sys
from pathlib import Path

from quizapp.terminal_text import echo


def launch_session(plan_name: str | Path | None, content_dir: Path | None, data_dir: Path | None, host: bool, bind: str,
                   port: int, results_dir: Path | None, max_learners: int = 200, check_only: bool = False) -> int:
    """Present ``plan_name`` (a plan's name or a YAML file); ``check_only``: validate and describe it, do not start."""
    from quizapp.content.loader import load_content
    from quizapp.content.sources import content_sources, find_plan, session_plans
    from quizapp.session.plan import PlanError, load_plan

    sources = content_sources(content_dir, data_dir)
    plan_path = find_plan(plan_name, sources) if plan_name is not None else None
    if plan_path is None:
        plans = session_plans(sources)
        known = "\n".join(f"  {name:<22} {path}" for name, path in plans.items()) or "  (none)"
        asked = f"no session plan {str(plan_name)!r}" if plan_name is not None else "choose a session plan"
        echo(f"quizapp session: error: {asked}; give a plan's name or a YAML file. Plans:\n{known}", file=sys.stderr)
        return 2
    content = load_content(sources.bank, user=sources.user)
    try:
        plan = load_plan(plan_path, content.questions)
    except PlanError as exc:
        echo(f"error: the session plan has problems:\n{exc}", file=sys.stderr)
        return 2
    if check_only:
        echo(f"{plan_path}: {plan.title}: {len(plan.question_ids)} questions, {plan.seconds_per_question} s each")
        return 0

    from quizapp.progress import open_store
    from quizapp.ui.app import QuizApp
    from quizapp.ui.presenter_screen import PresenterScreen

    class SessionApp(QuizApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.push_screen(PresenterScreen(plan, host=host, bind=bind, port=port, results_dir=results_dir, max_learners=max_learners))

        def on_screen_resume(self) -> None:  # ending the presenter ends the app
            if len(self.screen_stack) == 1:
                self.exit(0)

    store = open_store(data_dir)
    app = SessionApp(content, store)
    try:
        app.run()
    finally:
        app.close_progress()
    return 0


def parse_address(address: str) -> tuple[str, int]:
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected HOST:PORT (e.g. 192.168.1.20:8765), got {address!r}")
    return host.strip("[]"), int(port)


def launch_join(address: str, code: str, name: str) -> int:
    from quizapp.progress import resolve_data_dir
    from quizapp.session.tokens import TOKENS_FILE
    from quizapp.ui.join_app import JoinApp

    try:
        host, port = parse_address(address)
    except ValueError as exc:
        echo(f"error: {exc}", file=sys.stderr)
        return 2
    app = JoinApp(host, port, code, name, token_file=resolve_data_dir(None) / TOKENS_FILE)
    app.run()
    return 1 if app.join_failed else (app.return_code or 0)
