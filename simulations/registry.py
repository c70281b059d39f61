"""Find simulations by name and run them with validated parameters.

Each simulation module (``simulations/<name>.py``) defines ``INFO`` (a SimulationInfo) and
``run(params, seed, progress=None) -> SimulationResult``. Modules load on first use.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from simulations.catalog import SIMULATION_NAMES, module_name
from simulations.params import ParameterError, ParamSpec, validate_params
from simulations.result import SimulationResult

Progress = Callable[[int, int, str], None]


class UnknownSimulationError(LookupError):
    pass


@dataclass(frozen=True)
class SimulationInfo:
    name: str
    title: str
    summary: str
    question_ids: tuple[str, ...]
    params: tuple[ParamSpec, ...]
    facts: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "question_ids": list(self.question_ids),
            "facts": list(self.facts),
            "params": [p.to_dict() for p in self.params],
        }


def _module(name: str):
    if name not in SIMULATION_NAMES:
        raise UnknownSimulationError(f"unknown simulation {name!r}; known: {', '.join(SIMULATION_NAMES)}")
    return importlib.import_module(module_name(name))


def get_info(name: str) -> SimulationInfo:
    return _module(name).INFO


def all_infos() -> list[SimulationInfo]:
    return [get_info(name) for name in SIMULATION_NAMES]


def for_question(question_id: str) -> SimulationInfo | None:
    return next((info for info in all_infos() if question_id in info.question_ids), None)


def run_simulation(name: str, params: dict[str, Any] | None = None, seed: int = 0, progress: Progress | None = None) -> SimulationResult:
    """Validate ``params`` against the simulation's spec and run it. Same input, same result."""
    module = _module(name)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ParameterError(f"seed must be a non-negative whole number, got {seed!r}")
    values = validate_params(module.INFO.params, params)
    if progress is None:
        return module.run(values, seed, None)
    last = [0, 1]  # the latest (step, total) a simulation reported

    def report(step: int, total: int, message: str) -> None:
        last[:] = [step, total]
        progress(step, total, message)

    result = module.run(values, seed, report)
    if last[0] < last[1]:  # every run ends at 100 %, whatever the simulation last reported
        progress(last[1], last[1], "done")
    return result
