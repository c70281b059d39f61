"""Aiken, the one-answer multiple-choice format many LMSs read (Moodle, Canvas converters).

::

    Which job compares live data with the baseline?
    A) The baseline job
    B) The monitoring schedule
    ANSWER: B

A question is its stem, options ``A)`` or ``A.`` in order, then ``ANSWER: X``; a blank line
may separate questions. Aiken has no titles, ids, explanations or per-option reasons, and
one answer per question: ids are derived from the stem, and on export choose-N questions are
skipped with a note. The stem is written on one line (Aiken readers take a new line for a new
question); reading accepts stems over several lines. ``ANSWER: A, C`` is read as a choose-2
question, with a warning, since some tools write it.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from quizapp.content.markdown import normalise_text
from quizapp.content.model import LETTERS, Option, Problem, Question
from quizapp.exchange.draft import MAX_OPTIONS, Draft, ParseResult, id_from_title, one_line, title_from_stem

_OPTION = re.compile(r"^(?P<letter>[A-Z])[.)][ \t]+(?P<text>\S.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(?P<rest>.*)$")
_ANSWER_LETTERS = re.compile(r"^[A-Z](?:\s*[,\s]\s*[A-Z])*$")
_ALPHABET = string.ascii_uppercase


class _Block:
    def __init__(self, line: int) -> None:
        self.line = line
        self.stem: list[str] = []
        self.options: list[tuple[int, str]] = []
        self.broken = False


def parse_aiken(text: str, shown: str, source: Path | None = None) -> ParseResult:
    """Every question in an Aiken file; a bad block is reported and the next one still read."""
    result = ParseResult()
    source = source or Path(shown)
    block: _Block | None = None

    def unfinished(b: _Block) -> None:
        if b.broken:
            return
        if not b.options:
            result.fail(Problem(shown, b.line, "text without options or an 'ANSWER:' line (expected 'A) ...' lines, then 'ANSWER: X')"))
        else:
            result.fail(Problem(shown, b.line, "question has no 'ANSWER:' line"))

    for number, raw in enumerate(normalise_text(text).split("\n"), 1):
        line = raw.strip()
        if not line:
            if block is not None:
                unfinished(block)
                block = None
            continue
        if m := _ANSWER.match(line):
            if block is None or not block.options:
                if block is None or not block.broken:
                    result.fail(Problem(shown, number, "'ANSWER:' line without options before it"))
            elif not block.broken:
                _finish(block, m.group("rest").strip(), number, shown, source, result)
            block = None
            continue
        if block is None:
            block = _Block(number)
        if block.broken:
            continue
        expected = _ALPHABET[len(block.options)] if len(block.options) < len(_ALPHABET) else ""
        m = _OPTION.match(line)
        if m and m.group("letter") == expected and (block.stem or block.options):
            block.options.append((number, m.group("text").strip()))
        elif block.options:
            block.broken = True
            result.fail(Problem(shown, number, f"expected option '{expected}) ...' or 'ANSWER: X', got {line[:40]!r}"))
        else:
            block.stem.append(line)
    if block is not None:
        unfinished(block)
    if not result.drafts and not result.failed:
        result.fail(Problem(shown, 1, "no Aiken questions found"))
    return result


def _finish(block: _Block, rest: str, number: int, shown: str, source: Path, result: ParseResult) -> None:
    if not _ANSWER_LETTERS.match(rest):
        result.fail(Problem(shown, number, f"'ANSWER:' must be followed by an option letter, got {rest[:20]!r}"))
        return
    letters = sorted(set(re.findall(r"[A-Z]", rest)))
    available = _ALPHABET[: len(block.options)]
    bad = [x for x in letters if x not in available]
    if bad:
        result.fail(Problem(shown, number, f"ANSWER {', '.join(bad)} is not among the options A-{available[-1]}"))
        return
    if len(block.options) < 2:
        result.fail(Problem(shown, block.line, f"a question needs at least two options, found {len(block.options)}"))
        return
    if len(block.options) > MAX_OPTIONS:
        line = block.options[MAX_OPTIONS][0]
        result.fail(Problem(shown, line, f"{len(block.options)} options; at most {MAX_OPTIONS} (A-{LETTERS[-1]}) are supported"))
        return
    if len(letters) > 1:
        result.problems.append(
            Problem(shown, number, f"Aiken has one answer per question; read 'ANSWER: {rest}' as a choose-{len(letters)} question", "warning")
        )
    stem = "\n".join(block.stem)
    title = title_from_stem(stem)
    question = Question(
        id=id_from_title(title),
        title=title,
        stem=stem,
        options=[Option(LETTERS[k], text) for k, (_line, text) in enumerate(block.options)],
        answer=frozenset(letters),
        source=source,
        line=block.line,
    )
    result.drafts.append(Draft(question, shown, block.line, id_given=False, plain_text=True))


def aiken_stem(q: Question) -> str:
    """The stem as Aiken holds it: on one line."""
    return one_line(q.stem)


def cannot_write(q: Question) -> str | None:
    """Why ``q`` cannot be written as Aiken (None when it can)."""
    if q.is_multi:
        return f"choose-{len(q.answer)} question: Aiken has one answer per question"
    stem = aiken_stem(q)
    if _OPTION.match(stem):
        return "the stem starts like an option ('A) ...'), which Aiken readers take for an option"
    if _ANSWER.match(stem):
        return "the stem starts with 'ANSWER:'"
    return None


def question_to_aiken(q: Question) -> str:
    lines = [aiken_stem(q)]
    lines += [f"{_ALPHABET[k]}) {one_line(o.text)}" for k, o in enumerate(q.options)]
    (right,) = q.answer
    lines.append(f"ANSWER: {_ALPHABET[q.letters.index(right)]}")
    return "\n".join(lines)


def write_aiken(questions: list[Question]) -> str:
    """Aiken text for questions that :func:`cannot_write` accepts."""
    return "\n\n".join(question_to_aiken(q) for q in questions) + "\n"
