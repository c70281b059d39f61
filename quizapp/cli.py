"""The ``quizapp`` command: the TUI by default, plus content, simulation and exchange subcommands.

Heavy modules (Textual, pandas, the simulations) are imported inside the subcommand that
needs them, so ``quizapp --help`` and ``quizapp content check`` stay fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _add_app_options(parser: argparse.ArgumentParser, top: bool = False) -> None:
    """--content/--data-dir, accepted before or after the subcommand (a subcommand never resets them)."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--content", type=Path, metavar="DIR", default=default,
                        help="study this content folder instead of the bundled bank and your own content")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", default=default,
        help="where progress is stored (default: $QUIZAPP_DATA_DIR or the user data dir)",
    )


def build_parser(plans_epilog: str = "") -> argparse.ArgumentParser:
    """The parser; ``plans_epilog`` (the bundled plans, for ``session --help``) is only worked out
    when the command is ``session``, so other commands do not pay for finding the bank."""
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Study and quiz app for monitoring ML models in production (SageMaker Model Monitor, "
        "CloudWatch alarms, SNS). With no command it opens the terminal app.",
    )
    from quizapp import __version__

    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    _add_app_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="open the terminal app (the default)")
    _add_app_options(run)

    content = sub.add_parser("content", help="work with question content")
    content_sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = content_sub.add_parser("check", help="validate a content folder and report fact coverage")
    check.add_argument("path", nargs="?", type=Path,
                       help="content folder or file (default: what the app studies: the bundled bank and your own content)")
    check.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    check.add_argument("--facts", type=Path, metavar="FILE", help="facts list (YAML) to check coverage against")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too (option counts, cue limits, glossary)")
    _add_app_options(check)
    edit = content_sub.add_parser("edit", help="change a question for yourself: a bundled one is copied into your own content first")
    edit.add_argument("id", metavar="ID", help="the question's id (`quizapp content check --json` lists them)")
    edit.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                      help="the data folder whose content/ holds your copy (default: $QUIZAPP_DATA_DIR or the user data dir)")
    where = content_sub.add_parser("path", help="print where the questions come from: the bundled bank, your own content, --content")
    where.add_argument("--json", action="store_true", help="print one JSON object")
    _add_app_options(where)

    stats = sub.add_parser("stats", help="print your progress: counts, accuracy by domain and tag, due forecast, exams")
    stats.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    _add_app_options(stats)
    sim = sub.add_parser("sim", help="list, describe and run the teaching simulations", add_help=False)
    sim.add_argument("sim_args", nargs=argparse.REMAINDER)

    exam = sub.add_parser("exam", help="sit a timed practice exam (no feedback until the end)")
    _add_app_options(exam)
    exam.add_argument("--count", type=int, help="number of questions (default: all)")
    exam.add_argument("--minutes", type=float, help="time limit (default: 2 minutes per question)")
    exam.add_argument("--seed", type=int, help="order and option shuffling seed (default: random)")
    exam.add_argument("--pass-mark", type=float, default=72, metavar="PERCENT", help="pass mark in percent (default 72)")

    session = sub.add_parser("session", help="present a classroom session from a plan (a bundled plan's name or a YAML file)",
                             epilog=plans_epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_app_options(session)
    session.add_argument("plan", nargs="?", metavar="PLAN",
                         help="a plan's name (see below; yours in <data dir>/content/sessions/ too) or a plan YAML file")
    session.add_argument("--check", action="store_true", help="check the plan against the questions and print it; do not start")
    session.add_argument("--host", action="store_true", help="let learners join from their terminals over the network")
    session.add_argument("--bind", default="127.0.0.1", metavar="ADDR", help="address to listen on with --host (default 127.0.0.1; 0.0.0.0 for the LAN)")
    session.add_argument("--port", type=int, default=8765, help="port to listen on with --host (default 8765; 0 picks a free one)")
    session.add_argument("--out", type=Path, metavar="DIR", help="folder for the results export (CSV + Markdown)")
    session.add_argument("--max-learners", type=int, default=200, metavar="N", help="refuse joins past N learners (default 200)")

    join = sub.add_parser("join", help="join a classroom session as a learner")
    join.add_argument("address", metavar="HOST:PORT", help="the address the presenter screen shows")
    join.add_argument("--code", required=True, help="the join code the presenter screen shows")
    join.add_argument("--name", required=True, help="your name on the leaderboard")

    imp = sub.add_parser("import", help="convert questions from source notes, Aiken or GIFT files into the project format")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--out", type=Path, metavar="DIR",
                     help="content folder to write into (questions go to DIR/questions/; default: your own content, "
                     "<data dir>/content, which the app reads on top of the bundled bank)")
    imp.add_argument("--overwrite", action="store_true", help="replace question files that already exist")
    imp.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                     help="the data folder whose content/ receives the questions (default: $QUIZAPP_DATA_DIR or the user data dir)")

    exp = sub.add_parser("export", help="write the question bank for Anki, an LMS (Aiken/GIFT) or as Markdown")
    exp.add_argument("--format", required=True, choices=("anki-tsv", "aiken", "gift", "markdown"), dest="fmt")
    exp.add_argument("out", type=Path, metavar="OUT", help="output file (a folder for markdown)")
    _add_app_options(exp)
    return parser


def _plans_epilog() -> str:
    """The bundled plans by name and title, for ``quizapp session --help`` (empty if the bank is missing)."""
    from quizapp.content.sources import ContentNotFound, ContentSources, bundled_content, session_plans

    try:
        plans = session_plans(ContentSources(bundled_content(), None))
    except ContentNotFound:
        return ""
    if not plans:
        return ""
    return "bundled plans:\n" + "\n".join(f"  {name:<22} {_plan_title(path)}" for name, path in plans.items())


def _plan_title(path: Path) -> str:
    """The plan's ``title`` (the file name when it cannot be read; the plan loader reports why)."""
    import yaml

    from quizapp.content.files import ContentFileError, read_text
    from quizapp.content.markdown import safe_load

    try:
        data = safe_load(read_text(path))
    except (ContentFileError, yaml.YAMLError, RecursionError):
        return path.name
    title = data.get("title") if isinstance(data, dict) else None
    return str(title) if title else path.name


def main(argv: list[str] | None = None) -> int:
    """Run one command; a closed stdout pipe (``quizapp content check | head``) ends it quietly."""
    from quizapp.terminal_text import quiet_on_closed_pipe

    return quiet_on_closed_pipe(lambda: _run(argv))


def _run(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "sim":  # one implementation with `python -m simulations`
        from simulations.cli import main as sim_main

        return sim_main(argv[1:], prog="quizapp sim")
    parser = build_parser(_plans_epilog() if "session" in argv else "")
    args = parser.parse_args(argv)
    from quizapp.content.sources import ContentNotFound

    try:
        return _dispatch(parser, args)
    except ContentNotFound as exc:
        from quizapp.terminal_text import echo

        echo(f"quizapp: error: {exc}", file=sys.stderr)
        return 1


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "content" and args.content_command == "edit":
        from quizapp.content.edit import main as edit_main

        return edit_main(args.id, args.data_dir)
    if args.command == "content" and args.content_command == "path":
        from quizapp.content.where import main as where_main

        return where_main(args.content, args.data_dir, args.json)
    if args.command == "content":
        from quizapp.content.check import main as check_main

        return check_main(args.path or args.content, args.facts, args.json, args.strict, args.data_dir)
    if args.command == "stats":
        from quizapp.progress.report import main as stats_main

        return stats_main(args.content, args.data_dir, args.json)
    if args.command == "import":
        from quizapp.exchange import run_import

        return run_import(args.files, args.out, overwrite=args.overwrite, data_dir=args.data_dir)
    if args.command == "export":
        from quizapp.exchange import run_export

        return run_export(args.fmt, args.out, args.content, args.data_dir)
    if args.command == "session":
        if not 0 <= args.port < 65536:
            parser.error("--port must be from 0 to 65535")
        if args.max_learners < 1:
            parser.error("--max-learners must be at least 1")
        from quizapp.ui.classroom import launch_session

        return launch_session(args.plan, args.content, args.data_dir, args.host, args.bind, args.port, args.out, args.max_learners,
                              check_only=args.check)
    if args.command == "join":
        from quizapp.ui.classroom import launch_join

        return launch_join(args.address, args.code, args.name)
    if args.command == "exam":
        if args.count is not None and args.count < 1:
            parser.error("--count must be at least 1")
        if args.minutes is not None and args.minutes <= 0:
            parser.error("--minutes must be positive")
        if not 0 < args.pass_mark <= 100:
            parser.error("--pass-mark must be a percentage from 1 to 100")
        from quizapp.exam import ExamConfig
        from quizapp.ui.launch import launch

        config = ExamConfig(count=args.count, minutes=args.minutes, seed=args.seed if args.seed is not None else _random_seed(),
                            pass_mark=args.pass_mark / 100)
        return launch(content_dir=args.content, data_dir=args.data_dir, exam=config)
    from quizapp.ui.launch import launch

    return launch(content_dir=args.content, data_dir=args.data_dir)


def _random_seed() -> int:
    import random

    return random.randrange(1_000_000)
