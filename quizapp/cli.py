"""The ``quizapp`` command: the TUI by default, plus content, simulation and exchange subcommands.

Heavy modules (Textual, pandas, the simulations) are imported inside the subcommand that
needs them, so ``quizapp --help`` and ``quizapp content check`` stay fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, metavar="DIR", help="content folder (default: the bundled content/)")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="where progress is stored (default: $QUIZAPP_DATA_DIR or the user data dir)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Study and quiz app for monitoring ML models in production (SageMaker Model Monitor, "
        "CloudWatch alarms, SNS). With no command it opens the terminal app.",
    )
    _add_app_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="open the terminal app (the default)")
    _add_app_options(run)

    content = sub.add_parser("content", help="work with question content")
    content_sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = content_sub.add_parser("check", help="validate a content folder and report fact coverage")
    check.add_argument("path", nargs="?", type=Path, help="content folder or file (default: the bundled content/)")
    check.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    check.add_argument("--facts", type=Path, metavar="FILE", help="facts list (YAML) to check coverage against")

    sim = sub.add_parser("sim", help="list, describe and run the teaching simulations", add_help=False)
    sim.add_argument("sim_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "sim":  # one implementation with `python -m simulations`
        from simulations.cli import main as sim_main

        return sim_main(argv[1:], prog="quizapp sim")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "content":
        from quizapp.content.check import main as check_main

        return check_main(args.path, args.facts, args.json)
    from quizapp.ui.launch import launch

    return launch(content_dir=args.content, data_dir=args.data_dir)
