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
class Outcome:
    """What doing one answer option produces, with the numbers, and whether it works."""

    letter: str
    action: str  # short label of the option
    result: str  # what happens, with numbers
    works: bool
    why: str
    evidence: dict[str, Any] = field(default_factory=dict)  # key numbers behind the verdict

    @property
    def verdict(self) -> str:
        return "works" if self.works else "does not work"


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
                "narrative": self.narrative,
                "key_numbers": self.key_numbers,
                "outcomes": [asdict(o) | {"verdict": o.verdict} for o in self.outcomes],
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
            narrative=data.get("narrative", ""),
            key_numbers=dict(data.get("key_numbers", {})),
            outcomes=[Outcome(**{k: v for k, v in o.items() if k != "verdict"}) for o in data.get("outcomes", [])],
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
