"""Start-up time of the TUI against a minimal Textual app, and the app's idle memory.

Each run is a fresh ``python`` process started headless that exits as soon as the first
frame is shown (Textual's ``Ready`` event), so the figure includes interpreter start,
imports, content loading and opening the progress store. Prints the medians, the ratio
(goal <= 1.5x) and the idle RSS after one second on Home (goal < 150 MB).

    python benchmarks/startup.py [--runs 7] [--content DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

    def on_ready(self):
        self.exit()

Minimal().run(headless=True)
"""

QUIZAPP = """
import sys
from quizapp.ui.app import QuizApp
from quizapp.ui.launch import build_app

IDLE = float(sys.argv[3])
rss = []

def read_rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

class Timed(QuizApp):
    def on_ready(self):
        if IDLE:
            self.set_timer(IDLE, self.measure)
        else:
            self.exit()

    def measure(self):
        rss.append(read_rss())
        self.exit()

app = build_app(sys.argv[1] or None, sys.argv[2])
app.__class__ = Timed
app.run(headless=True)
app.store.close()
if rss:
    print(f"{rss[0]:.1f}")
"""


def run_once(code: str, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout.strip()


def median_time(code: str, runs: int, *args: str) -> list[float]:
    run_once(code, *args)  # warm-up: .pyc files, page cache, database created
    return [run_once(code, *args)[0] for _ in range(runs)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--content", default="", help="content folder (default: the bundled content)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        minimal = median_time(MINIMAL, args.runs)
        app = median_time(QUIZAPP, args.runs, args.content, data_dir, "0")
        _, rss = run_once(QUIZAPP, args.content, data_dir, "1.0")
    m, a = statistics.median(minimal), statistics.median(app)
    print(f"minimal Textual app: median {m * 1000:.0f} ms (min {min(minimal) * 1000:.0f}, max {max(minimal) * 1000:.0f}, {args.runs} runs)")
    print(f"quizapp first screen: median {a * 1000:.0f} ms (min {min(app) * 1000:.0f}, max {max(app) * 1000:.0f}, {args.runs} runs)")
    ratio = a / m
    print(f"ratio: {ratio:.2f}x (goal <= 1.5x) {'OK' if ratio <= 1.5 else 'OVER'}")
    print(f"idle RSS on Home after 1 s: {rss} MB (goal < 150 MB) {'OK' if float(rss) < 150 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
