"""Session plans (``content/sessions/*.yaml``, bundled or the learner's own), validated with clear ``path:line`` errors.

```yaml
title: Week 3 — drift and baselines
questions: [weekly-mae-line-chart, stale-baseline-after-retraining]   # or
tags: [baseline, drift]            # every question with one of these tags
seconds_per_question: 60
run_simulation_after_reveal: true  # after a reveal, prompt that s opens the linked simulation (results stay first)
anonymous: false
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quizapp.content.loader import read_text
from quizapp.content.markdown import key_lines, safe_load
from quizapp.content.model import Problem, Question

KNOWN_KEYS = {"title", "questions", "tags", "seconds_per_question", "run_simulation_after_reveal", "anonymous", "shuffle"}


class PlanError(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class SessionPlan:
    title: str
    question_ids: list[str]
    seconds_per_question: int = 60
    run_simulation_after_reveal: bool = False
    anonymous: bool = False
    source: Path | None = None
    tags: list[str] = field(default_factory=list)


def load_plan(path: Path, questions: dict[str, Question]) -> SessionPlan:
    """Read and validate a plan against the loaded questions; raises PlanError listing every problem."""
    shown = str(path)
    try:
        text = read_text(path).replace("\r\n", "\n")
    except OSError as exc:
        raise PlanError([Problem(shown, 1, f"cannot read session plan: {exc.strerror or exc}")]) from None
    try:
        data = safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise PlanError([Problem(shown, line, f"bad YAML: {exc.problem}")]) from None
    if not isinstance(data, dict):
        raise PlanError([Problem(shown, 1, "a session plan must be a mapping (title, questions or tags, seconds_per_question, ...)")])
    lines = key_lines(text)
    problems: list[Problem] = []

    def at(key: str) -> int:
        return lines.get(key, 1)

    for key in sorted(set(data) - KNOWN_KEYS):
        problems.append(Problem(shown, at(key), f"unknown key {key!r}; known keys: {', '.join(sorted(KNOWN_KEYS))}"))
    title = str(data.get("title") or path.stem)
    ids = data.get("questions")
    tags = data.get("tags")
    if ids is None and tags is None:
        problems.append(Problem(shown, 1, "give 'questions' (a list of question ids) or 'tags' (a list of tags)"))
    chosen: list[str] = []
    if ids is not None:
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.append(Problem(shown, at("questions"), "'questions' must be a list of question ids"))
        else:
            unknown = [i for i in ids if i not in questions]
            if unknown:
                problems.append(Problem(shown, at("questions"), f"unknown question id {', '.join(unknown)}"))
            chosen = [i for i in ids if i in questions]
    tag_list: list[str] = []
    if tags is not None:
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            problems.append(Problem(shown, at("tags"), "'tags' must be a list of tags"))
        else:
            tag_list = tags
            chosen += [q.id for q in questions.values() if set(q.tags) & set(tags) and q.id not in chosen]
            if not any(set(q.tags) & set(tags) for q in questions.values()):
                problems.append(Problem(shown, at("tags"), f"no question has any of the tags {', '.join(tags)}"))
    seconds = data.get("seconds_per_question", 60)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 5 <= seconds <= 3600:
        problems.append(Problem(shown, at("seconds_per_question"), f"seconds_per_question must be a whole number from 5 to 3600, got {seconds!r}"))
    flags = {}
    for key in ("run_simulation_after_reveal", "anonymous"):
        value = data.get(key, False)
        if not isinstance(value, bool):
            problems.append(Problem(shown, at(key), f"{key} must be true or false, got {value!r}"))
        flags[key] = bool(value) if isinstance(value, bool) else False
    if not problems and not chosen:
        problems.append(Problem(shown, 1, "the plan selects no questions"))
    if problems:
        raise PlanError(problems)
    return SessionPlan(
        title=title,
        question_ids=chosen,
        seconds_per_question=seconds,
        source=path,
        tags=tag_list,
        **flags,
    )
