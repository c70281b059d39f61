"""An exam attempt: questions in a seeded order, answers, flags, a countdown and the result.

The attempt serialises to a dict after every change so a closed app can resume it with the
time that was left.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from quizapp.content.model import Question
from quizapp.exam.shuffle import shuffled

SECONDS_PER_QUESTION = 120  # the real exam's pace: about 2 minutes per question
DEFAULT_PASS_MARK = 0.72  # MLA-C01 passes at 720 of 1000


@dataclass
class ExamConfig:
    count: int | None = None  # None: every selected question
    minutes: float | None = None  # None: SECONDS_PER_QUESTION per question
    seed: int = 0
    pass_mark: float = DEFAULT_PASS_MARK
    shuffle_options: bool = True
    domain: str | None = None
    tag: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class QuestionResult:
    question_id: str
    chosen: list[str]  # original letters
    correct: bool
    seconds: float
    flagged: bool


@dataclass
class ExamResult:
    score: int
    total: int
    passed: bool
    pass_mark: float
    seconds_used: float
    questions: list[QuestionResult]
    by_domain: dict[str, tuple[int, int]]  # name -> (correct, total)
    by_tag: dict[str, tuple[int, int]]

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0

    @property
    def missed(self) -> list[str]:
        return [q.question_id for q in self.questions if not q.correct]

    @classmethod
    def from_dict(cls, data: dict) -> "ExamResult":
        """The result as stored by the progress store (``dataclasses.asdict``) -> ExamResult."""
        return cls(
            score=int(data["score"]), total=int(data["total"]), passed=bool(data["passed"]),
            pass_mark=float(data.get("pass_mark", DEFAULT_PASS_MARK)), seconds_used=float(data.get("seconds_used", 0)),
            questions=[QuestionResult(**row) for row in data.get("questions", [])],
            by_domain={k: tuple(v) for k, v in data.get("by_domain", {}).items()},
            by_tag={k: tuple(v) for k, v in data.get("by_tag", {}).items()},
        )


def select_questions(questions: dict[str, Question], config: ExamConfig) -> list[str]:
    pool = [q.id for q in questions.values() if (config.domain is None or q.domain == config.domain) and (config.tag is None or config.tag in q.tags)]
    rng = random.Random(config.seed)
    rng.shuffle(pool)
    return pool[: config.count] if config.count else pool


def build_exam(questions: dict[str, Question], config: ExamConfig, clock: Callable[[], float] = time.time) -> "ExamAttempt":
    ids = select_questions(questions, config)
    if not ids:
        raise ValueError("no questions match this exam's domain/tag filter")
    seconds = config.minutes * 60 if config.minutes else SECONDS_PER_QUESTION * len(ids)
    return ExamAttempt(questions, ids, config, time_limit=seconds, clock=clock)


class ExamAttempt:
    def __init__(self, bank: dict[str, Question], ids: list[str], config: ExamConfig, time_limit: float, clock=time.time, state: dict | None = None):
        self.config = config
        self.clock = clock
        self.time_limit = float(time_limit)
        self.items: list[Question] = []
        self.mappings: list[dict[str, str]] = []  # per item: shown letter -> original letter
        for qid in ids:
            rng = random.Random(f"{config.seed}:{qid}")  # per question: resuming after deletions keeps letters
            q, mapping = shuffled(bank[qid], rng) if config.shuffle_options else (bank[qid], {o.letter: o.letter for o in bank[qid].options})
            self.items.append(q)
            self.mappings.append(mapping)
        self.answers: dict[int, list[str]] = {}
        self.flags: set[int] = set()
        self.seconds_on: dict[int, float] = defaultdict(float)
        self.elapsed_before = 0.0  # time used in earlier runs of the app (resume)
        self.started_at = clock()
        self.current = 0
        self._viewing_since = self.started_at
        self.submitted = False
        if state:
            self._restore(state)

    # --- navigation and answers --------------------------------------------------------------
    def go(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            raise IndexError(f"question {index + 1} is outside 1..{len(self.items)}")
        self._account_view()
        self.current = index

    def _account_view(self) -> None:
        now = self.clock()
        self.seconds_on[self.current] += max(0.0, now - self._viewing_since)
        self._viewing_since = now

    def answer(self, letters: set[str] | list[str], index: int | None = None) -> None:
        index = self.current if index is None else index
        q = self.items[index]
        letters = sorted({letter.upper() for letter in letters})
        unknown = [letter for letter in letters if letter not in q.letters]
        if unknown:
            raise ValueError(f"option {unknown[0]} is not one of {', '.join(q.letters)}")
        if letters:
            self.answers[index] = letters
        else:
            self.answers.pop(index, None)

    def toggle_flag(self, index: int | None = None) -> bool:
        index = self.current if index is None else index
        self.flags ^= {index}
        return index in self.flags

    def status(self, index: int) -> str:
        """'flagged', 'answered' or 'unanswered' (flagged wins, as in the navigator)."""
        if index in self.flags:
            return "flagged"
        return "answered" if index in self.answers else "unanswered"

    def unanswered(self) -> list[int]:
        return [i for i in range(len(self.items)) if i not in self.answers]

    # --- time ----------------------------------------------------------------------------------
    def elapsed(self) -> float:
        return self.elapsed_before + (self.clock() - self.started_at)

    def remaining(self) -> float:
        return max(0.0, self.time_limit - self.elapsed())

    def is_time_up(self) -> bool:
        return self.remaining() <= 0

    # --- result --------------------------------------------------------------------------------
    def submit(self) -> ExamResult:
        self._account_view()
        self.submitted = True
        rows, by_domain, by_tag = [], defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
        for i, q in enumerate(self.items):
            chosen = self.answers.get(i, [])
            right = bool(chosen) and q.is_correct(set(chosen))
            original = sorted(self.mappings[i][letter] for letter in chosen)
            rows.append(QuestionResult(q.id, original, right, round(self.seconds_on.get(i, 0.0), 1), i in self.flags))
            for bucket in [by_domain[q.domain], *(by_tag[t] for t in q.tags)]:
                bucket[0] += right
                bucket[1] += 1
        score = sum(r.correct for r in rows)
        total = len(rows)
        return ExamResult(
            score=score,
            total=total,
            passed=total > 0 and score / total >= self.config.pass_mark,
            pass_mark=self.config.pass_mark,
            seconds_used=round(min(self.elapsed(), self.time_limit), 1),
            questions=rows,
            by_domain={k: tuple(v) for k, v in sorted(by_domain.items())},
            by_tag={k: tuple(v) for k, v in sorted(by_tag.items())},
        )

    # --- persistence (resume after closing the app) ---------------------------------------------
    def to_state(self) -> dict:
        self._account_view()
        return {
            "ids": [q.id for q in self.items],
            "config": self.config.to_dict(),
            "time_limit": self.time_limit,
            "elapsed": self.elapsed(),
            "answers": {self.items[k].id: v for k, v in self.answers.items()},
            "flags": sorted(self.items[i].id for i in self.flags),
            "seconds_on": {self.items[k].id: v for k, v in self.seconds_on.items()},
            "current": self.items[self.current].id,
        }

    def _restore(self, state: dict) -> None:
        index = {q.id: i for i, q in enumerate(self.items)}
        self.elapsed_before = float(state.get("elapsed", 0.0))
        self.answers = {index[k]: list(v) for k, v in state.get("answers", {}).items() if k in index}
        self.flags = {index[k] for k in state.get("flags", []) if k in index}
        self.seconds_on.update({index[k]: float(v) for k, v in state.get("seconds_on", {}).items() if k in index})
        self.current = index.get(state.get("current"), 0)

    @classmethod
    def resume(cls, bank: dict[str, Question], state: dict, clock=time.time) -> "ExamAttempt":
        """Rebuild a saved attempt (same seed -> same order and letters); questions since deleted are dropped."""
        config = ExamConfig(**state["config"])
        ids = [qid for qid in state["ids"] if qid in bank]
        if not ids:
            raise ValueError("none of this exam's questions exist any more")
        return cls(bank, ids, config, time_limit=state["time_limit"], clock=clock, state=state)
