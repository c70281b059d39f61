"""Start-up time of the TUI against a minimal Textual app, and the app's idle memory.

Each run is a fresh ``python`` process started headless, built exactly as ``launch`` builds
the app, that exits as soon as the first frame is shown (Textual's ``Ready`` event). The
app paints Home first and loads the progress store and the content in a worker: the second
figure times the moment Home shows its counts (store opened, question ids read from the front
matter), the third the moment every question is parsed (the mode keys work). Prints the medians,
the ratios to the minimal app (goal for first frame and counts: <= 1.5x) and the idle RSS after
one second on Home (< 150 MB).

    python benchmarks/startup.py [--runs 7] [--content DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL = """
import os, time
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

    def on_ready(self):
        print(f"{time.time() - float(os.environ['STARTED']):.4f}")
        self.exit()

Minimal().run(headless=True)
"""

QUIZAPP = """
import os, sys, time
from quizapp.ui.app import QuizApp
from quizapp.ui.launch import build_app

MODE = sys.argv[3]  # "frame", "counts", "data" or "rss"
rss = []

def read_rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

def mark():
    print(f"{time.time() - float(os.environ['STARTED']):.4f}")

class Timed(QuizApp):
    def on_ready(self):
        if MODE == "frame":
            mark()
            self.exit()
        elif MODE == "rss":
            self.set_timer(1.0, self.measure)

    def _show_preview(self, counts):
        super()._show_preview(counts)
        if MODE == "counts":
            self.call_after_refresh(lambda: (mark(), self.exit()))

    def data_loaded(self, content, store):
        super().data_loaded(content, store)
        if MODE == "data":
            self.call_after_refresh(lambda: (mark(), self.exit()))

    def measure(self):
        rss.append(read_rss())
        self.exit()

app = build_app(sys.argv[1] or None, sys.argv[2], lazy=True)
app.__class__ = Timed
app.run(headless=True)
if app.store is not None:
    app.store.close()
if rss:
    print(f"rss {rss[0]:.1f}")
"""


def run_once(code: str, *args: str) -> tuple[float, str]:
    """(seconds from launching the process to the event it marks, its output). The child prints
    the moment itself, so tearing down (and a loader thread still parsing) is not counted."""
    env = dict(os.environ, STARTED=repr(time.time()))
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env)
    lines = out.stdout.strip().splitlines()
    marks = [float(line) for line in lines if line and not line.startswith("rss")]
    return (marks[0] if marks else float("nan")), out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--content", default="", help="content folder (default: the bundled content)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        # interleaved (one of each per round), so a busy machine slows every figure alike
        kinds = {"minimal": (MINIMAL,), "frame": (QUIZAPP, args.content, data_dir, "frame"),
                 "counts": (QUIZAPP, args.content, data_dir, "counts"), "data": (QUIZAPP, args.content, data_dir, "data")}
        for kind in kinds.values():
            run_once(*kind)  # warm-up: .pyc files, page cache, database created
        times = {name: [] for name in kinds}
        for _ in range(args.runs):
            for name, kind in kinds.items():
                times[name].append(run_once(*kind)[0])
        minimal, frame, counts, data = (times[name] for name in kinds)
        _, output = run_once(QUIZAPP, args.content, data_dir, "rss")
        rss = output.rsplit("rss ", 1)[-1]
    m = statistics.median(minimal)

    def show(label: str, times: list[float]) -> float:
        median = statistics.median(times)
        print(f"{label}: median {median * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")
        return median

    show("minimal Textual app, first frame", minimal)
    for label, times in (("quizapp Home, first frame", frame), ("quizapp Home with its counts filled", counts)):
        ratio = show(label, times) / m
        print(f"  ratio to minimal: {ratio:.2f}x (goal <= 1.5x) {'OK' if ratio <= 1.5 else 'OVER'}")
    ratio = show("quizapp every question parsed (keys enabled)", data) / m
    print(f"  ratio to minimal: {ratio:.2f}x (no goal; the counts are already on screen)")
    print(f"idle RSS on Home after 1 s: {rss} MB (goal < 150 MB) {'OK' if float(rss) < 150 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
