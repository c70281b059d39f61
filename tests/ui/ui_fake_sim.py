"""A tiny fake simulation for the UI tests (the real ones are slow and written elsewhere)."""

from __future__ import annotations

from simulations.params import ParamSpec, ParameterError, validate_params
from simulations.registry import Preset, SimulationInfo
from simulations.result import criterion, Event, Outcome, Series, SimulationResult

INFO = SimulationInfo(
    name="stale-baseline",
    title="Fake stale baseline",
    summary="Old baseline vs new baseline.",
    questions=("stale-baseline",),
    params=(ParamSpec("weeks", int, 8, "weeks to simulate", min=2, max=52),),
    presets=(Preset("no-drift", {"weeks": 4}, "nothing changes", control=True, premise="no drift"),),
)


def get_info(name):
    return INFO


def run_simulation(name, params=None, seed=0, progress=None, preset="default", question=None):
    values = validate_params(INFO.params, INFO.preset(preset).params | dict(params or {}))
    drift = 0 if preset == "no-drift" else 12
    for step in range(3):
        if progress:
            progress(step + 1, 3, f"week {step + 1}")
    import numpy as np
    import pandas as pd

    weeks = list(np.arange(values["weeks"]))  # numpy scalars, as real simulations produce
    return SimulationResult(
        name=name,
        params=values,
        seed=seed,
        title="Fake stale baseline",
        narrative="No drift: nothing to fix." if preset == "no-drift" else "The old baseline flags [bold]everything[/bold].",
        series=[
            Series("violations (old)", weeks, [5.0 + w for w in weeks], chart="Violations per week", x_label="week", y_label="count"),
            Series("violations (new)", weeks, [0.5 for _ in weeks], chart="Violations per week"),
            Series("feature histogram", [1, 2, 3], [4, 9, 2], kind="bar", chart="Feature distribution"),
        ],
        timeline=[Event("week 1", "baseline", "Baseline job run"), Event("week 3", "violation", "Drift found")],
        outcomes=[
            Outcome("A", "Re-run the monitoring job", [criterion("violations after re-running", drift, "<=", 0)]),
            Outcome("B", "New baseline", [criterion("violations against the new baseline", 0, "<=", 0)], {"violations": 0}),
            Outcome("C", "Recreate the endpoint", [criterion("violations after recreating", drift, "<=", 0)]),
            Outcome("D", "Retrain on combined data", [criterion("violations after retraining", 11, "<=", 0)]),
        ],
        tables={"weekly": pd.DataFrame({"week": weeks, "violations": [5 + int(w) for w in weeks], "note": ["[red]x[/red]"] * len(weeks)})},
        key_numbers={"violations_old": 12, "violations_new": 0, "drift": 0.4213},
        preset=preset,
        question_id=question or "stale-baseline",
    )


def install(monkeypatch):
    from simulations import registry

    monkeypatch.setattr(registry, "get_info", get_info)
    monkeypatch.setattr(registry, "run_simulation", run_simulation)


__all__ = ["INFO", "ParameterError", "get_info", "install", "run_simulation"]
