"""Monitoring-engine benchmark: baseline a 1,000,000 x 12 frame, check a drifted one.

Both frames have 10 float columns and 2 string columns of 20 values each; the second frame
shifts 3 of its numeric columns. Each step is timed and compared with a floor measured in the
same run: ``np.sort`` of each of the 20 numeric columns (10 per frame), the least work any exact
distribution comparison needs. Goal: baseline + check within 3x the floor, peak RSS under 1 GB.

Run: ``.venv/bin/python benchmarks/engine_bench.py`` (or ``make bench``).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulations.monitoring import check_data_quality, drift_distances, suggest_baseline  # noqa: E402

ROWS = 1_000_000
NUMERIC = 10
SHIFTED = ("x0", "x3", "x7")
CATEGORIES = np.array([f"value_{i:02d}" for i in range(20)], dtype=object)
GOAL_RATIO = 3.0
GOAL_RSS_MB = 1024


def make_frame(seed: int, shifted: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    columns = {}
    for i in range(NUMERIC):
        name = f"x{i}"
        columns[name] = rng.normal(0.5 if shifted and name in SHIFTED else 0.0, 1.0 + i / 10, ROWS)
    for name in ("c0", "c1"):
        columns[name] = pd.Series(CATEGORIES[rng.integers(0, len(CATEGORIES), ROWS)], dtype="str")
    return pd.DataFrame(columns)


def best_of(runs: int, fn):
    """(result, best wall seconds, best CPU seconds) over ``runs`` runs.

    CPU time (``time.process_time``) is shown too: on a shared machine wall time includes waiting
    for a core, which says nothing about the engine.
    """
    wall = cpu = float("inf")
    for _ in range(runs):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - start_wall)
        cpu = min(cpu, time.process_time() - start_cpu)
    return result, wall, cpu


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main(runs: int = 5) -> int:
    reference, current = make_frame(1, shifted=False), make_frame(2, shifted=True)
    numeric = [f"x{i}" for i in range(NUMERIC)]
    print(f"frames: 2 x {ROWS:,} rows x {reference.shape[1]} columns "
          f"({NUMERIC} float, 2 string with {len(CATEGORIES)} values); shifted: {', '.join(SHIFTED)}")

    def floor():
        for frame in (reference, current):
            for name in numeric:
                np.sort(frame[name].to_numpy())

    _, floor_wall, floor_cpu = best_of(runs, floor)
    baseline, baseline_wall, baseline_cpu = best_of(runs, lambda: suggest_baseline(reference))
    violations, check_wall, check_cpu = best_of(runs, lambda: check_data_quality(current, baseline))
    total_wall, total_cpu = baseline_wall + check_wall, baseline_cpu + check_cpu

    print(f"{f'best of {runs} runs':<40} {'wall':>9} {'ratio':>7}   {'CPU':>9} {'ratio':>7}")
    for label, wall, cpu in (
        ("floor: np.sort of 20 numeric columns", floor_wall, floor_cpu),
        ("suggest_baseline (frame 1)", baseline_wall, baseline_cpu),
        ("check_data_quality (frame 2)", check_wall, check_cpu),
        ("baseline + check", total_wall, total_cpu),
    ):
        print(f"{label:<40} {wall * 1000:6.1f} ms {wall / floor_wall:6.2f}x   {cpu * 1000:6.1f} ms {cpu / floor_cpu:6.2f}x")
    verdict = "OK" if total_wall <= GOAL_RATIO * floor_wall else "NOT MET"
    print(f"goal: baseline + check <= {GOAL_RATIO:.0f}x floor (wall): {verdict}")

    fired = sorted({v["feature_name"] for v in violations["violations"] if v["constraint_check_type"] == "baseline_drift_check"})
    distances = drift_distances(current, baseline)
    print(f"drift violations: {', '.join(fired) or 'none'} "
          f"(distances: {', '.join(f'{k}={distances[k]:.4f}' for k in fired)}; largest unshifted: "
          f"{max(v for k, v in distances.items() if k not in SHIFTED):.4f})")
    if fired != sorted(SHIFTED):
        print("UNEXPECTED: the drifted columns should be exactly the shifted ones")
        return 1
    rss = peak_rss_mb()
    print(f"peak RSS: {rss:,.0f} MB (goal < {GOAL_RSS_MB:,} MB: {'OK' if rss < GOAL_RSS_MB else 'NOT MET'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
