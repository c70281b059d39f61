"""Find simulations by name and run them with validated parameters, a preset and a question.

Each simulation module (``simulations/<name>.py``) defines ``INFO`` (a SimulationInfo) and
``run(params, seed, progress=None) -> SimulationResult``. Modules load on first use.

A simulation judges its options under its own keys (``Outcome.key``, e.g. "new-baseline"); each
``QuestionLink`` maps one question's letters onto those keys, so one simulation can serve several
questions. Presets are named parameter sets; control presets remove the scenario's premise.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from simulations.catalog import SIMULATION_NAMES, module_name
from simulations.params import ParameterError, ParamSpec, validate_params
from simulations.result import SimulationResult

Progress = Callable[[int, int, str], None]


class UnknownSimulationError(LookupError):
    pass


@dataclass(frozen=True)
class Preset:
    """A named world. A control preset is one where the scenario's premise is absent."""

    name: str
    params: dict[str, Any]
    summary: str = ""
    control: bool = False
    premise: str = ""  # for a control: what is absent, e.g. "no drift"

    def to_dict(self, defaults: dict[str, Any]) -> dict:
        out: dict[str, Any] = {"params": defaults | self.params}
        if self.summary:
            out["summary"] = self.summary
        if self.control:
            out["control"] = True
            out["premise"] = self.premise
        return out


@dataclass(frozen=True)
class QuestionLink:
    """One question served by a simulation: its letters -> the simulation's option keys."""

    question_id: str
    letters: dict[str, str] = field(default_factory=dict)  # empty: the outcomes' own letters

    def to_dict(self) -> dict:
        return {"question_id": self.question_id, "letters": dict(self.letters)}


@dataclass(frozen=True)
class SimulationInfo:
    name: str
    title: str
    summary: str
    questions: tuple[QuestionLink | str, ...]
    params: tuple[ParamSpec, ...]
    facts: tuple[str, ...] = ()
    presets: tuple[Preset, ...] = ()

    @property
    def links(self) -> tuple[QuestionLink, ...]:
        return tuple(q if isinstance(q, QuestionLink) else QuestionLink(q) for q in self.questions)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(link.question_id for link in self.links)

    def link(self, question_id: str | None) -> QuestionLink | None:
        """The link for ``question_id`` (default: the first linked question)."""
        if question_id is None:
            return self.links[0] if self.links else None
        for link in self.links:
            if link.question_id == question_id:
                return link
        known = ", ".join(self.question_ids) or "none"
        raise ParameterError(f"simulation {self.name!r} does not serve question {question_id!r}; it serves: {known}")

    @property
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def all_presets(self) -> dict[str, Preset]:
        """"default" first, then the declared presets, by name."""
        out = {"default": Preset("default", {}, "the scenario as the question describes it")}
        out.update({p.name: p for p in self.presets})
        return out

    def preset(self, name: str) -> Preset:
        presets = self.all_presets()
        if name not in presets:
            raise ParameterError(f"unknown preset {name!r} for {self.name}; presets: {', '.join(presets)}")
        return presets[name]

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "question_ids": list(self.question_ids),
            "questions": [link.to_dict() for link in self.links],
            "facts": list(self.facts),
            "params": [p.to_dict() for p in self.params],
            "presets": {name: p.to_dict(self.defaults) for name, p in self.all_presets().items()},
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


def run_world(
    name: str,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    *,
    preset: str = "default",
) -> SimulationResult:
    """Run ``name`` on ``preset``'s parameters overlaid with ``params``, every option under its own
    key (no question's lettering). Same input, same result."""
    module = _module(name)
    info: SimulationInfo = module.INFO
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ParameterError(f"seed must be a non-negative whole number, got {seed!r}")
    chosen = info.preset(preset)
    values = validate_params(info.params, chosen.params | dict(params or {}))
    if progress is None:
        result = module.run(values, seed, None)
    else:
        last = [0, 1]  # the latest (step, total) a simulation reported

        def report(step: int, total: int, message: str) -> None:
            last[:] = [step, total]
            progress(step, total, message)

        result = module.run(values, seed, report)
        if last[0] < last[1]:  # every run ends at 100 %, whatever the simulation last reported
            progress(last[1], last[1], "done")
    result.preset = chosen.name
    return result


def for_question_result(result: SimulationResult, question: str | None) -> SimulationResult:
    """A copy of a world's result with outcomes lettered for ``question`` (default: the first linked)."""
    info = get_info(result.name)
    link = info.link(question)
    if link is None:
        return result
    outcomes = letter_outcomes(result.outcomes, link, info.name) if link.letters else list(result.outcomes)
    return replace(result, outcomes=outcomes, question_id=link.question_id)


def run_simulation(
    name: str,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    *,
    preset: str = "default",
    question: str | None = None,
) -> SimulationResult:
    """Run a world (see run_world) and letter its outcomes for ``question`` (default: the first
    question the simulation serves)."""
    info = get_info(name)
    info.link(question)  # an unknown question is an error before the run, not after
    return for_question_result(run_world(name, params, seed, progress, preset=preset), question)


def letter_outcomes(outcomes: list, link: QuestionLink, name: str) -> list:
    """The outcomes for ``link``'s question, in its letter order, each relettered."""
    by_key = {o.key: o for o in outcomes}
    missing = [key for key in link.letters.values() if key not in by_key]
    if missing:
        raise KeyError(f"simulation {name!r} has no outcome {missing[0]!r} for question {link.question_id}; it has: {', '.join(by_key)}")
    return [replace(by_key[key], letter=letter) for letter, key in sorted(link.letters.items())]
