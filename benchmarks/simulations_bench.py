"""Each simulation, in every preset, should use under 1 s of CPU at its default size, and a whole
``python -m simulations run NAME`` process no more than 1 s of CPU above ``import numpy, pandas``.

In-process: CPU (``time.process_time``, all threads of this process) and wall time of
``run_world(name, preset=...)``, median of several runs after a warm-up, against a reference
measured in the same process (baselining and checking a 100,000-row, 4-column frame with the
engine). CPU well above wall means threads spinning (BLAS): the goal is CPU, not wall.

Processes: the CPU of each child (``resource.getrusage(RUSAGE_CHILDREN)``) minus the CPU of a
child that only imports numpy and pandas.

    .venv/bin/python benchmarks/simulations_bench.py [--runs 3] [--no-processes]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulations.catalog import SIMULATION_NAMES  # noqa: E402
from simulations.registry import get_info, run_world  # noqa: E402

GOAL_CPU = 1.0


def timed(fn, runs: int) -> tuple[float, float]:
    """Median (cpu, wall) seconds of ``fn`` over ``runs`` runs."""
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall)


def reference(runs: int) -> tuple[float, float]:
    import numpy as np
    import pandas as pd

    from simulations.monitoring import check_data_quality, suggest_baseline

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"x{i}": rng.normal(size=100_000) for i in range(3)} | {"c": rng.choice(list("abcde"), 100_000)})
    return timed(lambda: check_data_quality(frame, suggest_baseline(frame)), runs)


def child_cpu(args: list[str]) -> float:
    """CPU seconds (user + system) of one child process running ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def in_process(runs: int) -> bool:
    ref_cpu, ref_wall = reference(runs)
    print(f"reference (baseline + check, 100k x 4): cpu {ref_cpu * 1000:6.0f} ms, wall {ref_wall * 1000:6.0f} ms\n")
    print(f"{'simulation':<26} {'preset':<24} {'cpu ms':>7} {'wall ms':>8} {'cpu/ref':>8}")
    ok = True
    for name in SIMULATION_NAMES:
        for preset in get_info(name).all_presets():
            run_world(name, preset=preset)  # warm-up: imports, caches
            cpu, wall = timed(lambda: run_world(name, preset=preset), runs)
            ok &= cpu < GOAL_CPU
            print(f"{name:<26} {preset:<24} {cpu * 1000:7.0f} {wall * 1000:8.0f} {cpu / ref_cpu:7.1f}x  {'OK' if cpu < GOAL_CPU else 'over 1 s CPU'}")
    return ok


def processes() -> bool:
    floor = statistics.median(child_cpu([sys.executable, "-c", "import numpy, pandas"]) for _ in range(3))
    print(f"\nprocess floor (python -c 'import numpy, pandas'): {floor * 1000:.0f} ms CPU")
    ok = True
    for name in SIMULATION_NAMES:
        cpu = statistics.median(child_cpu([sys.executable, "-m", "simulations", "run", name, "--quiet"]) for _ in range(3))
        ok &= cpu - floor <= GOAL_CPU
        print(f"{name:<26} process {cpu * 1000:6.0f} ms CPU, {(cpu - floor) * 1000:6.0f} ms above the floor  "
              f"{'OK' if cpu - floor <= GOAL_CPU else 'over 1 s above the floor'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-processes", action="store_true")
    args = parser.parse_args()
    ok = in_process(args.runs)
    if not args.no_processes:
        ok &= processes()
    print("\ngoal: under 1 s CPU per simulation and preset, and per process above the floor ->", "OK" if ok else "NOT MET")


if __name__ == "__main__":
    main()
