"""The result object every simulation returns; the CLI and the TUI both render it.

It is plain data: series for charts, tables (DataFrames), a timeline of events, artifacts
(files the engine wrote, kept as text), a narrative, and one outcome per answer option.
``to_dict``/``from_dict`` round-trip through JSON.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SERIES_KINDS = ("line", "bar", "histogram", "scatter")


@dataclass
class Series:
    """One drawable series. ``chart`` groups series drawn on the same axes."""

    name: str
    x: list
    y: list
    kind: str = "line"
    x_label: str = ""
    y_label: str = ""
    chart: str = ""  # chart title; series with the same chart title share axes

    def __post_init__(self) -> None:
        if self.kind not in SERIES_KINDS:
            raise ValueError(f"series kind must be one of {', '.join(SERIES_KINDS)}, got {self.kind!r}")
        if len(self.x) != len(self.y):
            raise ValueError(f"series {self.name!r}: x has {len(self.x)} values but y has {len(self.y)}")


@dataclass
class Event:
    time: str  # ISO timestamp, or a label such as "week 7" / "epoch 12"
    kind: str  # e.g. capture, baseline, violation, alarm, email, retrain, info
    text: str


@dataclass
class Criterion:
    """One measured test an outcome is judged by.

    ``measured`` is a number or a bool computed from the simulated world (never None);
    ``threshold`` is the number it is compared with, or None for a yes/no test; ``says`` is the
    sentence the result text is built from, naming what was tested with its numbers.
    """

    name: str
    measured: float | int | bool
    threshold: float | int | None
    passed: bool
    says: str

    def __post_init__(self) -> None:
        if self.measured is None:
            raise ValueError(f"criterion {self.name!r}: measured must be a number or a bool, not None")
        if isinstance(self.measured, float) and not math.isfinite(self.measured):
            raise ValueError(f"criterion {self.name!r}: measured must be finite, got {self.measured!r}")
        self.passed = bool(self.passed)


# Comparison words for criterion(): operator -> (test, phrase used in the sentence)
_OPERATORS = {
    "<=": (lambda m, t: m <= t, "at most"),
    "<": (lambda m, t: m < t, "below"),
    ">=": (lambda m, t: m >= t, "at least"),
    ">": (lambda m, t: m > t, "above"),
    "==": (lambda m, t: m == t, "exactly"),
}


def _num(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    return str(value)


def criterion(name: str, measured, op: str, threshold, detail: str = "", unit: str = "") -> Criterion:
    """A numeric test: ``measured op threshold``. The sentence names both numbers and the result.

    >>> criterion("violations after the fix", 0, "<=", 0).says
    'violations after the fix: 0, at most 0 - passed'
    """
    if op not in _OPERATORS:
        raise ValueError(f"operator must be one of {', '.join(_OPERATORS)}, got {op!r}")
    if hasattr(measured, "item"):
        measured = measured.item()
    if hasattr(threshold, "item"):
        threshold = threshold.item()
    test, phrase = _OPERATORS[op]
    passed = bool(test(measured, threshold))
    suffix = f" {unit}" if unit else ""
    head = f"{name}: {_num(measured)}{suffix}, {phrase} {_num(threshold)}{suffix}"
    says = f"{head} ({detail})" if detail else head
    return Criterion(name, measured, threshold, passed, f"{says} - {'passed' if passed else 'failed'}")


def check(name: str, holds: bool, yes: str, no: str) -> Criterion:
    """A yes/no test; ``yes``/``no`` describe what was observed in either case (with numbers)."""
    holds = bool(holds.item() if hasattr(holds, "item") else holds)
    return Criterion(name, holds, None, holds, f"{name}: {yes if holds else no} - {'passed' if holds else 'failed'}")


@dataclass
class Outcome:
    """What doing one answer option produces, judged by measured criteria.

    ``works`` is exactly "every criterion passed"; ``result`` and ``why`` are generated from the
    criteria (plus ``finding``, an optional sentence of observations the simulation computed), so
    when the world changes and a verdict flips, the words change with it.
    """

    letter: str
    action: str  # short label of the option
    criteria: list[Criterion]
    evidence: dict[str, Any] = field(default_factory=dict)  # key numbers behind the verdict
    finding: str = ""  # what was observed, built from numbers (optional)
    key: str = ""  # the simulation's own name for the option; question links map letters onto it

    def __post_init__(self) -> None:
        self.criteria = [c if isinstance(c, Criterion) else Criterion(**c) for c in self.criteria]
        if not self.criteria:
            raise ValueError(f"outcome {self.letter}: at least one criterion is needed to judge it")
        if not self.key:
            self.key = self.letter

    @property
    def works(self) -> bool:
        return all(c.passed for c in self.criteria)

    @property
    def verdict(self) -> str:
        return "works" if self.works else "does not work"

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.passed]

    @property
    def result(self) -> str:
        """What happens, with numbers: the finding, then every criterion's sentence."""
        tests = "; ".join(c.says for c in self.criteria)
        return f"{self.finding} {tests}".strip() if self.finding else tests

    @property
    def why(self) -> str:
        """The verdict in words, naming the criteria that decided it."""
        n = len(self.criteria)
        if self.works:
            names = ", ".join(c.name for c in self.criteria)
            return f"Works: {'the' if n == 1 else 'all ' + str(n)} criteri{'on' if n == 1 else 'a'} passed ({names})."
        failed = self.failed
        return f"Does not work: {len(failed)} of {n} criteri{'on' if n == 1 else 'a'} failed - " + "; ".join(c.says for c in failed) + "."

    def to_dict(self) -> dict:
        return {
            "letter": self.letter, "key": self.key, "action": self.action, "works": self.works, "verdict": self.verdict,
            "result": self.result, "why": self.why, "finding": self.finding,
            "criteria": [asdict(c) for c in self.criteria], "evidence": self.evidence,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Outcome":
        return cls(
            letter=data["letter"], action=data["action"], criteria=[Criterion(**c) for c in data["criteria"]],
            evidence=dict(data.get("evidence", {})), finding=data.get("finding", ""), key=data.get("key", ""),
        )


@dataclass
class Artifact:
    """A file the engine wrote (statistics.json, capture .jsonl, alarm history, email ...)."""

    path: str  # relative path, e.g. "baseline/statistics.json"
    content: str
    description: str = ""


@dataclass
class SimulationResult:
    name: str
    params: dict[str, Any]
    seed: int
    title: str = ""
    narrative: str = ""
    series: list[Series] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)  # name -> pandas.DataFrame
    timeline: list[Event] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    key_numbers: dict[str, Any] = field(default_factory=dict)
    question_id: str | None = None
    preset: str = "default"

    def outcome(self, letter: str) -> Outcome:
        for o in self.outcomes:
            if o.letter == letter:
                return o
        raise KeyError(f"no outcome for option {letter!r}")

    def artifact_text(self, path: str) -> str:
        """The content of the artifact written at ``path`` (e.g. "baseline/statistics.json")."""
        for art in self.artifacts:
            if art.path == path:
                return art.content
        raise KeyError(f"no artifact {path!r}; artifacts: {', '.join(a.path for a in self.artifacts)}")

    @property
    def correct_letters(self) -> list[str]:
        return [o.letter for o in self.outcomes if o.works]

    def to_dict(self) -> dict:
        return _clean(
            {
                "name": self.name,
                "title": self.title,
                "params": self.params,
                "seed": self.seed,
                "question_id": self.question_id,
                "preset": self.preset,
                "narrative": self.narrative,
                "key_numbers": self.key_numbers,
                "outcomes": [o.to_dict() for o in self.outcomes],
                "series": [asdict(s) for s in self.series],
                "tables": {name: _table_to_dict(df) for name, df in self.tables.items()},
                "timeline": [asdict(e) for e in self.timeline],
                "artifacts": [asdict(a) for a in self.artifacts],
            }
        )

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict) -> "SimulationResult":
        import pandas as pd

        return cls(
            name=data["name"],
            title=data.get("title", ""),
            params=dict(data.get("params", {})),
            seed=data["seed"],
            question_id=data.get("question_id"),
            preset=data.get("preset", "default"),
            narrative=data.get("narrative", ""),
            key_numbers=dict(data.get("key_numbers", {})),
            outcomes=[Outcome.from_dict(o) for o in data.get("outcomes", [])],
            series=[Series(**s) for s in data.get("series", [])],
            tables={name: pd.DataFrame(t["data"], columns=t["columns"]) for name, t in data.get("tables", {}).items()},
            timeline=[Event(**e) for e in data.get("timeline", [])],
            artifacts=[Artifact(**a) for a in data.get("artifacts", [])],
        )

    def write_artifacts(self, folder: Path) -> list[Path]:
        """Write every artifact, plus result.json and one CSV per table, under ``folder``."""
        folder = Path(folder)
        written = []
        for art in self.artifacts:
            target = (folder / art.path).resolve()
            if folder.resolve() not in target.parents:
                raise ValueError(f"artifact path escapes the output folder: {art.path}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(art.content, encoding="utf-8")
            written.append(target)
        for name, df in self.tables.items():
            target = folder / "tables" / f"{name}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            df.to_csv(target, index=False)
            written.append(target)
        target = folder / "result.json"
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(self.to_json(), encoding="utf-8")
        written.append(target)
        return written


def _table_to_dict(df) -> dict:
    return {"columns": [str(c) for c in df.columns], "data": df.astype(object).where(df.notna(), None).values.tolist()}


def _clean(value):
    """Make numpy scalars and NaN JSON-safe (NaN/inf -> None)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value
