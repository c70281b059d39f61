"""Monitoring-engine benchmark: baseline + check at 1M x 12 in memory and in chunks; 4M x 12 streamed.

Frames have 10 float columns and 2 string columns of 20 values each; the checked frame shifts 3
numeric columns. Each step (baseline of frame 1 + check of frame 2, timed as one) is timed by
its median over the runs and compared with a floor measured the same way in the same run:
``np.sort`` of each of the 20 numeric columns (10 per frame), the least work any exact
distribution comparison needs.

Goals (issue 12):
- in memory, 1M x 12: baseline + check within 2x the floor;
- in chunks of 500k rows, 1M x 12: within 2.5x the floor, every drift distance within 0.002 of
  the in-memory one and the same drifted columns;
- streamed, 4M x 12 in chunks of 500k rows (chunks made on the fly, the whole frame never
  exists; whole frames would need about 2.1 GB): peak RSS under 700 MB, measured in a fresh
  process so the 1M frames above do not count.

Run: ``.venv/bin/python benchmarks/engine_bench.py`` (or ``make bench``); ``--runs N`` (default 5).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulations.monitoring import data_quality_report, suggest_baseline  # noqa: E402

ROWS = 1_000_000
CHUNK = 500_000
STREAM_ROWS = 4_000_000
NUMERIC = 10
SHIFTED = ("x0", "x3", "x7")
CATEGORIES = np.array([f"value_{i:02d}" for i in range(20)], dtype=object)
GOAL_MEMORY_RATIO = 2.0
GOAL_CHUNKED_RATIO = 2.5
GOAL_DISTANCE = 0.002
GOAL_STREAM_RSS_MB = 700


def make_frame(seed: int, shifted: bool, rows: int = ROWS) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    columns = {}
    for i in range(NUMERIC):
        name = f"x{i}"
        columns[name] = rng.normal(0.5 if shifted and name in SHIFTED else 0.0, 1.0 + i / 10, rows)
    for name in ("c0", "c1"):
        columns[name] = pd.Series(CATEGORIES[rng.integers(0, len(CATEGORIES), rows)], dtype="str")
    return pd.DataFrame(columns)


def chunks_of(frame: pd.DataFrame, size: int = CHUNK):
    return (frame.iloc[start:start + size] for start in range(0, len(frame), size))


def generated_chunks(seed: int, shifted: bool, rows: int = STREAM_ROWS, size: int = CHUNK):
    """``rows`` rows in chunks made one at a time (the whole frame never exists)."""
    for k in range(rows // size):
        yield make_frame(seed * 1000 + k, shifted, size)


def median_timing(runs: int, fn):
    """(last result, median wall seconds, median CPU seconds) over ``runs`` runs of the whole step."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start_wall)
        cpus.append(time.process_time() - start_cpu)
    return result, statistics.median(walls), statistics.median(cpus)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def drifted(report) -> list[str]:
    return sorted({v["feature_name"] for v in report.violations["violations"] if v["constraint_check_type"] == "baseline_drift_check"})


def stream_only() -> int:
    """Child process: baseline 4M x 12 and check another 4M x 12, in generated chunks; print RSS."""
    baseline = suggest_baseline(generated_chunks(1, shifted=False))
    report = data_quality_report(generated_chunks(2, shifted=True), baseline)
    print(f"{peak_rss_mb():.0f} {','.join(drifted(report))}")
    return 0


def main(runs: int) -> int:
    reference, current = make_frame(1, shifted=False), make_frame(2, shifted=True)
    numeric = [f"x{i}" for i in range(NUMERIC)]
    print(f"frames: 2 x {ROWS:,} rows x {reference.shape[1]} columns ({NUMERIC} float, 2 string with "
          f"{len(CATEGORIES)} values); shifted: {', '.join(SHIFTED)}; median of {runs} runs per step")

    def floor():
        for frame in (reference, current):
            for name in numeric:
                np.sort(frame[name].to_numpy())

    _, floor_wall, floor_cpu = median_timing(runs, floor)
    whole, memory_wall, memory_cpu = median_timing(
        runs, lambda: data_quality_report(current, suggest_baseline(reference)))
    chunked, chunked_wall, chunked_cpu = median_timing(
        runs, lambda: data_quality_report(chunks_of(current), suggest_baseline(chunks_of(reference))))

    print(f"{'step':<52} {'wall':>9} {'ratio':>7}   {'CPU':>9} {'ratio':>7}")
    for label, wall, cpu in (
        ("floor: np.sort of 20 numeric columns", floor_wall, floor_cpu),
        ("in memory: baseline + check", memory_wall, memory_cpu),
        (f"chunks of {CHUNK:,}: baseline + check", chunked_wall, chunked_cpu),
    ):
        print(f"{label:<52} {wall * 1000:6.0f} ms {wall / floor_wall:6.2f}x   {cpu * 1000:6.0f} ms {cpu / floor_cpu:6.2f}x")
    ok = True
    for label, wall, goal in (("in memory", memory_wall, GOAL_MEMORY_RATIO), ("chunked", chunked_wall, GOAL_CHUNKED_RATIO)):
        met = wall <= goal * floor_wall
        ok &= met
        print(f"goal: {label} <= {goal}x floor (median wall): {'OK' if met else 'NOT MET'}")

    gap = max(abs(chunked.distances[k] - v) for k, v in whole.distances.items())
    print(f"largest |chunked - in-memory| drift distance: {gap:.6f} (goal < {GOAL_DISTANCE}: "
          f"{'OK' if gap < GOAL_DISTANCE else 'NOT MET'})")
    print(f"drift violations: in memory {', '.join(drifted(whole))}; chunked {', '.join(drifted(chunked))}")
    if drifted(whole) != sorted(SHIFTED) or drifted(chunked) != sorted(SHIFTED):
        print("UNEXPECTED: the drifted columns should be exactly the shifted ones")
        ok = False
    print(f"peak RSS of this process (two 1M x 12 frames in memory): {peak_rss_mb():,.0f} MB")

    del reference, current, whole, chunked
    child = subprocess.run([sys.executable, __file__, "--stream-only"], capture_output=True, text=True, check=True)
    rss, fired = child.stdout.split()
    met = float(rss) < GOAL_STREAM_RSS_MB
    ok &= met and fired.split(",") == sorted(SHIFTED)
    print(f"streamed {STREAM_ROWS:,} x 12 twice in chunks of {CHUNK:,}: peak RSS {float(rss):,.0f} MB "
          f"(goal < {GOAL_STREAM_RSS_MB} MB: {'OK' if met else 'NOT MET'}); drift violations: {fired.replace(',', ', ')}")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stream-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    sys.exit(stream_only() if arguments.stream_only else main(arguments.runs))
