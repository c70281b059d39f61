"""GIFT, Moodle's question text format: read and write multiple-choice questions.

Reading goes in two steps. :func:`tokenize` turns text into characters, each marked as
escaped or not (``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n``), so the parser never mistakes
an escaped ``=`` for an answer; the parser then walks ``::title:: [format] stem { answers }``.
Question kinds follow Moodle's order: ``{}`` essay, ``{#...}`` numerical, any ``~`` multiple
choice, ``=`` with ``->`` matching, ``T``/``F`` true/false, else short answer. Only multiple
choice converts; the others are reported.

In the answers, ``=text`` is right, ``~text`` wrong and ``~%50%text`` carries a weight
(choose-N questions: every positive weight is a right answer). ``#text`` after an answer is
its feedback (the reason for that option), ``####text`` the general feedback (the explanation).

Writing escapes ``~ = # { } :`` and backslash, turns line breaks into ``\\n``, marks the stem
``[markdown]`` and puts what GIFT has no place for (id, domain, tags, covers, simulation,
difficulty, Korean explanation) in a ``// quizapp: {json}`` comment line, which Moodle ignores.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from quizapp.content.markdown import normalise_text
from quizapp.content.model import LETTERS, Option, Problem, Question
from quizapp.exchange.draft import MAX_OPTIONS, Draft, ParseResult, id_from_title, title_from_stem

SPECIAL = "~=#{}:"
TEXT_FORMATS = ("html", "moodle", "plain", "markdown")
META_PREFIX = "// quizapp:"
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_WEIGHT_LIKE = re.compile(r"\s*%-?[0-9]+(?:\.[0-9]+)?%")


# -- tokenizer ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Char:
    """One character of GIFT text: ``escaped`` when it was written with a backslash."""

    ch: str
    escaped: bool
    line: int

    def is_(self, ch: str) -> bool:
        return not self.escaped and self.ch == ch


def escape(text: str) -> str:
    """GIFT-escape ``text``: backslash, ``~ = # { } :`` and line breaks (CRLF/CR count as one)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch == "\\" or ch in SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


def tokenize(lines: list[tuple[int, str]]) -> list[Char]:
    """Characters of numbered lines, joined by (unescaped) line breaks, with escapes resolved.

    ``\\\\`` is a backslash, ``\\n`` a line break, ``\\~`` etc. the literal character; a
    backslash before anything else stays a backslash (as in Moodle).
    """
    chars: list[Char] = []
    for index, (number, text) in enumerate(lines):
        if index:
            chars.append(Char("\n", False, number))
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "\\":
                nxt = text[i + 1] if i + 1 < len(text) else ""
                if nxt == "\\" or (nxt and nxt in SPECIAL):
                    chars.append(Char(nxt, True, number))
                    i += 2
                    continue
                if nxt == "n":
                    chars.append(Char("\n", True, number))
                    i += 2
                    continue
                chars.append(Char("\\", True, number))
            else:
                chars.append(Char(ch, False, number))
            i += 1
    return chars


def unescape(text: str) -> str:
    """The plain text of one line of GIFT text (the inverse of :func:`escape`)."""
    return text_of(tokenize([(1, text)]))


def text_of(chars: list[Char]) -> str:
    return "".join(c.ch for c in chars)


def strip(chars: list[Char]) -> list[Char]:
    """Drop unescaped whitespace at both ends (an escaped ``\\n`` is kept)."""
    start, end = 0, len(chars)
    while start < end and not chars[start].escaped and chars[start].ch.isspace():
        start += 1
    while end > start and not chars[end - 1].escaped and chars[end - 1].ch.isspace():
        end -= 1
    return chars[start:end]


def _field(chars: list[Char]) -> str:
    return text_of(strip(chars))


def _find(chars: list[Char], start: int, ch: str) -> int:
    return next((k for k in range(start, len(chars)) if chars[k].is_(ch)), -1)


def _at(chars: list[Char], pos: int, seq: str) -> bool:
    return pos + len(seq) <= len(chars) and all(chars[pos + k].is_(c) for k, c in enumerate(seq))


def _skip_space(chars: list[Char], pos: int) -> int:
    while pos < len(chars) and not chars[pos].escaped and chars[pos].ch.isspace():
        pos += 1
    return pos


# -- parser ------------------------------------------------------------------------------------


@dataclass
class _Answer:
    right: bool  # written with '='
    weight: float | None  # '%50%' after '~'
    text: str
    feedback: str
    line: int


@dataclass
class _Chunk:
    lines: list[tuple[int, str]]
    meta: list[tuple[int, str]]


def _chunks(text: str) -> list[_Chunk]:
    """Questions are separated by blank lines; ``//`` lines are comments (``// quizapp:`` is metadata)."""
    chunks: list[_Chunk] = []
    lines: list[tuple[int, str]] = []
    meta: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            if stripped.startswith(META_PREFIX):
                meta.append((number, stripped[len(META_PREFIX) :]))
            continue
        if not stripped:
            if lines:
                chunks.append(_Chunk(lines, meta))
                lines, meta = [], []
            continue
        lines.append((number, stripped))
    if lines:
        chunks.append(_Chunk(lines, meta))
    return chunks


def classify(answers: list[Char]) -> str:
    """The GIFT question kind of an answer block, decided as Moodle does."""
    body = strip(answers)
    if not body:
        return "essay"
    if body[0].is_("#"):
        return "numerical"
    if any(c.is_("~") for c in body):
        return "multiple-choice"
    if any(c.is_("=") for c in body) and any(a.is_("-") and b.is_(">") for a, b in zip(body, body[1:])):
        return "matching"
    cut = _find(body, 0, "#")
    head = text_of(strip(body[:cut] if cut >= 0 else body))
    if head in ("T", "F", "TRUE", "FALSE"):
        return "true/false"
    return "short-answer"


def _weight(chars: list[Char], pos: int) -> tuple[float | None, int]:
    """A ``%50%`` weight at ``pos`` (after optional spaces): (weight, position after it) or (None, pos)."""
    k = _skip_space(chars, pos)
    if k < len(chars) and chars[k].is_("%"):
        end = _find(chars, k + 1, "%")
        if end > k + 1 and not any(c.escaped for c in chars[k + 1 : end]):
            number = text_of(chars[k + 1 : end])
            if _NUMBER.fullmatch(number):
                return float(number), end + 1
    return None, pos


def _general_at(chars: list[Char], pos: int) -> bool:
    return _at(chars, pos, "####")


def _answers(chars: list[Char]) -> tuple[list[_Answer], str, Problem | None]:
    """Parse a multiple-choice answer block: (answers, general feedback, first problem)."""
    items: list[_Answer] = []
    general = ""
    i = _skip_space(chars, 0)
    if i < len(chars) and not (chars[i].is_("=") or chars[i].is_("~") or _general_at(chars, i)):
        return [], "", Problem("", chars[i].line, "text before the first answer: start each answer with '=' (right) or '~' (wrong)")
    n = len(chars)
    while i < n:
        if _general_at(chars, i):
            general = _field(chars[i + 4 :])
            break
        mark = chars[i]
        i += 1
        weight = None
        if mark.ch == "~":
            weight, i = _weight(chars, i)
        j = i
        while j < n and not (chars[j].is_("=") or chars[j].is_("~") or chars[j].is_("#")):
            j += 1
        text = chars[i:j]
        feedback: list[Char] = []
        if j < n and chars[j].is_("#") and not _general_at(chars, j):
            k = j + 1
            while k < n and not (chars[k].is_("=") or chars[k].is_("~") or _general_at(chars, k)):
                k += 1
            feedback, j = chars[j + 1 : k], k
        items.append(_Answer(mark.ch == "=", weight, _field(text), _field(feedback), mark.line))
        i = j
    return items, general, None


def _read_meta(chunk: _Chunk, shown: str, problems: list[Problem]) -> dict:
    meta: dict = {}
    for line, raw in chunk.meta:
        try:
            value = json.loads(raw)
        except ValueError as exc:
            problems.append(Problem(shown, line, f"ignored unreadable quizapp metadata: {exc}", "warning"))
            continue
        if isinstance(value, dict):
            meta.update(value)
        else:
            problems.append(Problem(shown, line, "ignored quizapp metadata that is not a JSON object", "warning"))
    return meta


def _str_list(value) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")]
    return [str(v) for v in value or [] if str(v).strip()]


def _parse_chunk(chunk: _Chunk, shown: str, source: Path, result: ParseResult) -> None:
    start = chunk.lines[0][0]
    problems: list[Problem] = []
    meta = _read_meta(chunk, shown, problems)
    result.problems.extend(problems)

    def fail(line: int, message: str) -> None:
        result.fail(Problem(shown, line, message))

    chars = tokenize(chunk.lines)
    pos = _skip_space(chars, 0)
    title = ""
    if _at(chars, pos, "::"):
        end = next((k for k in range(pos + 2, len(chars)) if _at(chars, k, "::")), -1)
        if end < 0:
            return fail(chars[pos].line, "the title opens with '::' but never closes with '::'")
        title = " ".join(_field(chars[pos + 2 : end]).split())
        pos = _skip_space(chars, end + 2)
    if pos < len(chars) and chars[pos].is_("["):
        close = _find(chars, pos + 1, "]")
        if close > 0 and text_of(chars[pos + 1 : close]).lower() in TEXT_FORMATS:
            pos = close + 1
    name = f"question {title!r}" if title else "question"
    open_at = _find(chars, pos, "{")
    stray = _find(chars[:open_at] if open_at >= 0 else chars, pos, "}")
    if stray >= 0:
        return fail(chars[stray].line, "unescaped '}' outside the answers (write '\\}' for a literal brace)")
    if open_at < 0:
        return fail(start, f"{name} has no answer block '{{...}}' (a GIFT description, not a question); skipped")
    close_at = _find(chars, open_at + 1, "}")
    if close_at < 0:
        return fail(chars[open_at].line, "the answers open with '{' but no '}' closes them")
    nested = _find(chars, open_at + 1, "{")
    if 0 <= nested < close_at:
        return fail(chars[nested].line, "unescaped '{' inside the answers (write '\\{' for a literal brace)")
    after = chars[close_at + 1 :]
    extra = next((c for c in after if c.is_("{") or c.is_("}")), None)
    if extra is not None:
        return fail(extra.line, "a question can have only one answer block")

    kind = classify(chars[open_at + 1 : close_at])
    if kind != "multiple-choice":
        return fail(start, f"{name} is a GIFT {kind} question, not multiple choice; skipped")
    items, general, problem = _answers(chars[open_at + 1 : close_at])
    if problem is not None:
        return fail(problem.line, problem.message)

    before, tail = _field(chars[pos:open_at]), _field(after)
    stem = f"{before} _____ {tail}".strip() if tail else before
    if not stem:
        return fail(start, f"{name} has no question text")
    if len(items) < 2:
        return fail(chars[open_at].line, f"{name} needs at least two answers, found {len(items)}")
    if len(items) > MAX_OPTIONS:
        return fail(items[MAX_OPTIONS].line, f"{name} has {len(items)} answers; at most {MAX_OPTIONS} (A-{LETTERS[-1]}) are supported")
    empty = next((a for a in items if not a.text), None)
    if empty is not None:
        return fail(empty.line, "an answer has no text")
    full = [k for k, a in enumerate(items) if a.right or (a.weight is not None and a.weight >= 100)]
    if full:
        right = full
        for k, a in enumerate(items):
            if k not in full and a.weight is not None and a.weight > 0:
                result.problems.append(
                    Problem(shown, a.line, f"partial credit ({a.weight:g}%) for option {LETTERS[k]} is not kept: it counts as wrong", "warning")
                )
    else:
        right = [k for k, a in enumerate(items) if a.weight is not None and a.weight > 0]
    if not right:
        return fail(start, f"{name} has no right answer: mark one with '=' or give right answers a positive weight like '~%50%'")

    ko = str(meta["ko"]) if meta.get("ko") else ""
    explanation = {}
    if general and general != ko:
        explanation["en"] = general
    if ko:
        explanation["ko"] = ko
    title = title or title_from_stem(stem)
    given_id = str(meta["id"]).strip() if meta.get("id") not in (None, "") else ""
    difficulty = meta.get("difficulty", 2)
    question = Question(
        id=given_id or id_from_title(title),
        title=title,
        stem=stem,
        options=[Option(LETTERS[k], a.text) for k, a in enumerate(items)],
        answer=frozenset(LETTERS[k] for k in right),
        domain=str(meta.get("domain") or "monitoring"),
        tags=_str_list(meta.get("tags")),
        explanation=explanation,
        reasons={LETTERS[k]: a.feedback for k, a in enumerate(items) if a.feedback},
        simulation=str(meta["simulation"]) if meta.get("simulation") else None,
        covers=[c.upper() for c in _str_list(meta.get("covers"))],
        difficulty=difficulty if isinstance(difficulty, int) else 2,
        source=source,
        line=start,
    )
    result.drafts.append(Draft(question, shown, start, id_given=bool(given_id), plain_text=True))


def parse_gift(text: str, shown: str, source: Path | None = None) -> ParseResult:
    """Every multiple-choice question in a GIFT file; other kinds are reported, never fatal."""
    result = ParseResult()
    source = source or Path(shown)
    for chunk in _chunks(normalise_text(text)):
        if chunk.lines[0][1].startswith("$CATEGORY:"):
            chunk.lines = chunk.lines[1:]
            if not chunk.lines:
                continue
        _parse_chunk(chunk, shown, source, result)
    if not result.drafts and not result.failed:
        result.fail(Problem(shown, 1, "no GIFT questions found"))
    return result


# -- writer ------------------------------------------------------------------------------------


def weight_for(n_right: int) -> str:
    """The weight of each right answer when ``n_right`` are right: 2 -> "50", 3 -> "33.33333"."""
    return f"{100 / n_right:.5f}".rstrip("0").rstrip(".")


def question_to_gift(q: Question) -> str:
    meta: dict = {"id": q.id, "domain": q.domain, "tags": list(q.tags), "covers": list(q.covers), "difficulty": q.difficulty}
    if q.simulation:
        meta["simulation"] = q.simulation
    if q.explanation.get("ko"):
        meta["ko"] = q.explanation["ko"]
    lines = [f"{META_PREFIX} {json.dumps(meta, ensure_ascii=False)}"]
    head = f"::{escape(q.title)}::" if q.title.strip() else ""
    lines.append(f"{head}[markdown]{escape(q.stem)} {{")
    n_right = len(q.answer)
    for option in q.options:
        right = option.letter in q.answer
        if n_right > 1:
            mark = f"~%{weight_for(n_right)}%" if right else "~%-100%"
        elif right:
            mark = "="  # Moodle reads no weight after '=', so a text like '%5% off' stays text
        else:
            mark = "~%0%" if _WEIGHT_LIKE.match(option.text) else "~"
        line = mark + escape(option.text)
        if reason := q.reasons.get(option.letter):
            line += f" #{escape(reason)}"
        lines.append(line)
    general = q.explanation.get("en") or q.explanation.get("ko")
    if general:
        lines.append("####" + escape(general))
    lines.append("}")
    return "\n".join(lines)


def write_gift(questions: list[Question]) -> str:
    header = "// GIFT export of the quizapp question bank (multiple choice; '// quizapp:' lines keep ids and metadata)"
    return "\n\n".join([header, *(question_to_gift(q) for q in questions)]) + "\n"
