"""Start-up time of the TUI against a minimal Textual app, and the app's idle memory.

Each run is a fresh ``python`` process started headless, built exactly as ``launch`` builds
the app, that exits as soon as the first frame is shown (Textual's ``Ready`` event). The
app paints Home first and loads the content and the progress store in a worker, so a second
figure times the moment Home shows the real counts (content parsed, store opened). Prints
the medians, the ratios (goal <= 1.5x) and the idle RSS after one second on Home (< 150 MB).

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

MODE = sys.argv[3]  # "frame", "data" or "rss"
rss = []

def read_rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

class Timed(QuizApp):
    def on_ready(self):
        if MODE == "frame":
            self.exit()
        elif MODE == "rss":
            self.set_timer(1.0, self.measure)

    def data_loaded(self, content, store):
        super().data_loaded(content, store)
        if MODE == "data":
            self.call_after_refresh(self.exit)

    def measure(self):
        rss.append(read_rss())
        self.exit()

app = build_app(sys.argv[1] or None, sys.argv[2], lazy=True)
app.__class__ = Timed
app.run(headless=True)
if app.store is not None:
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
        frame = median_time(QUIZAPP, args.runs, args.content, data_dir, "frame")
        data = median_time(QUIZAPP, args.runs, args.content, data_dir, "data")
        _, rss = run_once(QUIZAPP, args.content, data_dir, "rss")
    m = statistics.median(minimal)

    def show(label: str, times: list[float]) -> float:
        median = statistics.median(times)
        print(f"{label}: median {median * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")
        return median

    show("minimal Textual app, first frame", minimal)
    for label, times in (("quizapp Home, first frame", frame), ("quizapp Home with counts (content + store loaded)", data)):
        ratio = show(label, times) / m
        print(f"  ratio to minimal: {ratio:.2f}x (goal <= 1.5x) {'OK' if ratio <= 1.5 else 'OVER'}")
    print(f"idle RSS on Home after 1 s: {rss} MB (goal < 150 MB) {'OK' if float(rss) < 150 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
