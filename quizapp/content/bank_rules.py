"""Rules for the bundled question bank that `quizapp content check` enforces as warnings.

These are authoring rules (issue 13), not parsing rules: an imported quiz with two options is a
valid question, so the loader stays quiet and only `content check` names what a bank question
should change. Each rule returns ``Problem`` warnings with the file and line to edit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.content.glossary import load_glossary, variant_warnings
from quizapp.content.files import read_text
from quizapp.content.loader import ContentSet, display_path
from quizapp.content.model import Problem, Question

# answers wanted -> options wanted: single-answer A-D, choose-two A-E
OPTIONS_FOR_ANSWERS = {1: 4, 2: 5}
# Cue limits (issue 13): each letter keys 20-30 % of single-answer questions; the key is the
# strictly longest option in at most 30 % of questions. Below MIN_QUESTIONS shares mean nothing.
KEY_SHARE_RANGE = (0.20, 0.30)
LONGEST_KEY_MAX = 0.30
MIN_QUESTIONS = 20


def shown_path(question: Question, content: ContentSet) -> str:
    return display_path(question.source, content.root) if question.source else question.id


def option_count_warnings(content: ContentSet, questions: Iterable[Question] | None = None) -> list[Problem]:
    """Single-answer questions have four options (A-D); choose-two have five (A-E)."""
    problems = []
    for q in questions if questions is not None else content.questions.values():
        wanted = OPTIONS_FOR_ANSWERS.get(len(q.answer))
        if wanted is None or len(q.options) == wanted:
            continue
        kind = "single-answer" if len(q.answer) == 1 else "choose-two"
        message = f"{kind} questions have {wanted} options, this one has {len(q.options)}"
        problems.append(Problem(shown_path(q, content), q.line, message, "warning"))
    return problems


def missing_reason_warnings(content: ContentSet) -> list[Problem]:
    """Every wrong option has a reason ('## Why not the others'; in Korean too when the file has Korean)."""
    problems = []
    for q in content.questions.values():
        wrong = [o.letter for o in q.options if o.letter not in q.answer]
        missing = [letter for letter in wrong if not q.reasons.get(letter)]
        if missing:
            message = f"no reason for wrong option {', '.join(missing)} under '## Why not the others'"
            problems.append(Problem(shown_path(q, content), q.line, message, "warning"))
    return problems


def glossary_problems(content: ContentSet) -> list[Problem]:
    """Glossary variants in the Korean text of every question and note (``glossary.yaml`` in the folder)."""
    path = content.root / "glossary.yaml"
    if not content.root.is_dir() or not path.is_file():
        return []
    glossary, problems = load_glossary(path, display_path(path, content.root))
    sources = [q.source for q in content.questions.values()] + [n.source for n in content.notes.values()]
    for source in sorted({s for s in sources if s is not None}):
        try:
            text = read_text(source)
        except OSError:
            continue  # the loader has already reported an unreadable file
        problems.extend(variant_warnings(text, display_path(source, content.root), glossary))
    return problems


def key_is_longest(question: Question) -> bool:
    """True when one option is strictly longer than every other one and it is a correct option."""
    lengths = sorted((len(o.text), o.letter) for o in question.options)
    if len(lengths) < 2 or lengths[-1][0] == lengths[-2][0]:
        return False
    return lengths[-1][1] in question.answer


@dataclass
class CueStats:
    """Answer cues a test-taker could use without knowing the subject, over the whole bank."""

    questions: int
    single_keys: Counter  # letter -> single-answer questions keyed on it
    longest_key: int  # questions whose key is the strictly longest option
    options_per_question: Counter  # number of options -> questions

    @property
    def single(self) -> int:
        return sum(self.single_keys.values())

    def key_share(self, letter: str) -> float:
        return self.single_keys[letter] / self.single if self.single else 0.0

    @property
    def longest_share(self) -> float:
        return self.longest_key / self.questions if self.questions else 0.0

    @property
    def checked(self) -> bool:
        """Shares are judged only for a bank of at least MIN_QUESTIONS questions."""
        return self.questions >= MIN_QUESTIONS

    def letters(self) -> list[str]:
        """A-D, plus any other letter some single-answer question is keyed on."""
        return sorted(set("ABCD") | set(self.single_keys))

    def report_lines(self) -> list[str]:
        low, high = KEY_SHARE_RANGE
        keys = ", ".join(f"{letter} {self.single_keys[letter]} ({self.key_share(letter):.0%})" for letter in self.letters())
        lines = [
            f"single-answer keys: {keys} (limit {low:.0%}-{high:.0%} each)",
            f"key is the longest option: {self.longest_key} of {self.questions} ({self.longest_share:.0%}; limit {LONGEST_KEY_MAX:.0%})",
            "options per question: " + ", ".join(f"{n}: {count}" for n, count in sorted(self.options_per_question.items())),
        ]
        if not self.checked:
            lines.append(f"cue limits: not checked (fewer than {MIN_QUESTIONS} questions)")
        return lines

    def to_dict(self) -> dict:
        return {
            "single_answer_keys": {letter: self.single_keys[letter] for letter in self.letters()},
            "key_is_longest": self.longest_key,
            "questions": self.questions,
            "options_per_question": {str(n): c for n, c in sorted(self.options_per_question.items())},
            "checked": self.checked,
        }


def cue_stats(questions: Iterable[Question]) -> CueStats:
    qs = list(questions)
    return CueStats(
        questions=len(qs),
        single_keys=Counter(next(iter(q.answer)) for q in qs if len(q.answer) == 1),
        longest_key=sum(key_is_longest(q) for q in qs),
        options_per_question=Counter(len(q.options) for q in qs),
    )


def cue_warnings(stats: CueStats, where: str) -> list[Problem]:
    """Bank-wide warnings for letter balance and the longest-option cue (``where``: the questions folder)."""
    if not stats.checked:
        return []
    low, high = KEY_SHARE_RANGE
    problems = []
    for letter in stats.letters():
        share = stats.key_share(letter)
        if not low <= share <= high:
            problems.append(Problem(where, 0, f"letter {letter} keys {share:.0%} of single-answer questions ({stats.single_keys[letter]} of {stats.single}); keep each letter within {low:.0%}-{high:.0%}", "warning"))
    if stats.longest_share > LONGEST_KEY_MAX:
        problems.append(Problem(where, 0, f"the key is the longest option in {stats.longest_share:.0%} of questions ({stats.longest_key} of {stats.questions}); keep it at most {LONGEST_KEY_MAX:.0%}", "warning"))
    return problems


def bank_warnings(content: ContentSet) -> list[Problem]:
    """Every bank rule's problems: option counts, reasons, glossary, cue limits."""
    where = display_path(content.root / "questions", content.root) if (content.root / "questions").is_dir() else str(content.root)
    stats = cue_stats(content.questions.values())
    return option_count_warnings(content) + missing_reason_warnings(content) + glossary_problems(content) + cue_warnings(stats, where)
