"""Command line for the simulations; ``python -m simulations`` and ``quizapp sim`` share it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from simulations.catalog import SIMULATION_NAMES

EXIT_BAD_ARGS = 2


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Run the teaching simulations built on the offline monitoring engine."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    lst = sub.add_parser("list", help="list the simulations")
    lst.add_argument("--json", action="store_true", help="print JSON")
    desc = sub.add_parser("describe", help="show a simulation's parameters, defaults and ranges")
    desc.add_argument("name", help="simulation name (see 'list')")
    desc.add_argument("--json", action="store_true", help="print JSON")
    run = sub.add_parser("run", help="run a simulation and print its outcome per answer option")
    run.add_argument("name", help="simulation name (see 'list')")
    run.add_argument("--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE", help="set a parameter (repeatable)")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0); same seed, same result")
    run.add_argument("--preset", default="default", metavar="NAME", help="run a named world, e.g. a control without the scenario's premise (see 'describe')")
    run.add_argument("--question", metavar="QID", help="letter the outcomes for this linked question (default: the first one; see 'describe')")
    run.add_argument("--json", action="store_true", help="print the full result as JSON")
    run.add_argument("--out", type=Path, metavar="DIR", help="write the artifacts (JSON/JSONL files, tables as CSV) to DIR")
    run.add_argument("--plot", action="store_true", help="draw the charts in the terminal")
    run.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


class _StderrProgress:
    """Progress on stderr, shown only once a run has taken longer than a moment, and only to a
    terminal (a log file or a pipe would keep every carriage-return frame)."""

    def __init__(self, enabled: bool, delay: float = 0.3):
        self.enabled = enabled and sys.stderr is not None and sys.stderr.isatty()
        self.start = time.monotonic()
        self.delay = delay
        self.shown = False

    def __call__(self, step: int, total: int, message: str) -> None:
        if not self.enabled or time.monotonic() - self.start < self.delay:
            return
        self.shown = True
        pct = int(100 * step / total) if total else 100
        sys.stderr.write(f"\r[{pct:3d}%] {message[:60]:<60}")
        sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 68 + "\r")
            sys.stderr.flush()


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_ARGS


def main(argv: list[str] | None = None, prog: str = "python -m simulations") -> int:
    parser = build_parser(prog)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    from simulations.params import ParameterError, parse_assignments
    from simulations.registry import all_infos, get_info, run_simulation

    if args.command == "list":
        infos = all_infos()
        if args.json:
            print(json.dumps([i.to_dict() for i in infos], indent=2))
            return 0
        width = max(len(i.name) for i in infos)
        for info in infos:
            print(f"{info.name:<{width}}  {info.title}")
            print(f"{'':<{width}}  questions: {', '.join(info.question_ids)}")
        return 0

    if args.name not in SIMULATION_NAMES:
        return _error(f"unknown simulation {args.name!r}; known: {', '.join(SIMULATION_NAMES)}")
    info = get_info(args.name)

    if args.command == "describe":
        if args.json:
            print(json.dumps(info.to_dict(), indent=2))
            return 0
        print(f"{info.name}: {info.title}\n{info.summary}\nquestions: {', '.join(info.question_ids)}\n\nparameters:")
        for p in info.params:
            print(f"  {p.name} ({p.type.__name__}, default {p.default!r}, {p.range_text()})\n      {p.help}")
        print("\npresets (run with --preset NAME):")
        for name, preset in info.all_presets().items():
            tag = f" [control: {preset.premise}]" if preset.control else ""
            changed = ", ".join(f"{k}={v}" for k, v in preset.params.items()) or "defaults"
            print(f"  {name}{tag}: {preset.summary or changed}\n      {changed}")
        return 0

    if args.seed < 0:
        return _error("--seed must be a non-negative whole number")
    progress = _StderrProgress(enabled=not args.quiet)
    try:
        params = parse_assignments(args.assignments)
        result = run_simulation(args.name, params, seed=args.seed, progress=progress, preset=args.preset, question=args.question)
    except ParameterError as exc:
        progress.done()
        return _error(str(exc))
    progress.done()
    if args.out is not None:
        try:
            written = result.write_artifacts(args.out)
        except OSError as exc:
            return _error(f"cannot write to {args.out}: {exc.strerror or exc}")
        print(f"wrote {len(written)} files to {args.out.resolve()} (result.json, artifacts, tables/*.csv)", file=sys.stderr)
    if args.json:
        print(result.to_json())
        return 0
    from simulations.render import render_plots, render_text

    print(render_text(result))
    if args.plot:
        print()
        print(render_plots(result, color=sys.stdout.isatty()))
    return 0
