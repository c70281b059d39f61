"""Each simulation at default settings should run in about a second or less.

Times run_simulation(name) for every simulation in the catalogue (median of several runs,
after one warm-up that pays the import costs) and prints each against a reference measured
in the same process: baselining and checking a 100,000-row, 4-column frame with the engine.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulations.catalog import SIMULATION_NAMES  # noqa: E402
from simulations.registry import run_simulation  # noqa: E402


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def reference() -> float:
    import numpy as np
    import pandas as pd

    from simulations.monitoring import check_data_quality, suggest_baseline

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"x{i}": rng.normal(size=100_000) for i in range(3)} | {"c": rng.choice(list("abcde"), 100_000)})
    return median_time(lambda: check_data_quality(frame, suggest_baseline(frame)), 3)


def main(runs: int = 3) -> None:
    ref = reference()
    print(f"reference (baseline + check, 100k x 4): {ref * 1000:7.1f} ms")
    worst = 0.0
    for name in SIMULATION_NAMES:
        run_simulation(name)  # warm-up: imports, caches
        t = median_time(lambda: run_simulation(name), runs)
        worst = max(worst, t)
        print(f"{name:<24} {t * 1000:7.1f} ms  ({t / ref:4.1f}x reference)  {'OK' if t < 1.0 else 'over 1 s'}")
    print("goal: every simulation under 1 s at default settings ->", "OK" if worst < 1.0 else "NOT MET")


if __name__ == "__main__":
    main()
