"""Turn a parsed Markdown document into a Question, in either of the two accepted styles.

1. Project style: ``## Question`` / ``## Options`` / ``## Answer`` / ``## Explanation`` /
   ``## 설명`` / ``## Why not the others`` sections, ``answer:`` in the front matter.
2. Source-note style: a ``## 관련 문제`` (related question) section holding ``**Question:**``,
   ``**Options:**`` + a list, ``**정답: C) ...**`` and ``추가 설명:`` + a list of per-option reasons;
   ``핵심 포인트`` and ``설명`` sections become the Korean explanation.

English and Korean headings are interchangeable; emoji and punctuation in headings are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quizapp.content.markdown import Block, Document, Section
from quizapp.content.model import LETTERS, Option, Problem, Question

# Normalised heading text -> role. heading_key() has already lowercased and stripped emoji.
HEADING_ROLES = {
    "question": "question", "questions": "question", "stem": "question", "문제": "question", "질문": "question",
    "options": "options", "choices": "options", "answers": "options", "보기": "options", "선택지": "options",
    "answer": "answer", "correct answer": "answer", "정답": "answer",
    "explanation": "explanation", "explanation en": "explanation", "해설": "explanation",
    "설명": "explanation_ko", "explanation ko": "explanation_ko", "한국어 설명": "explanation_ko", "해설 ko": "explanation_ko",
    "why not the others": "reasons", "why not": "reasons", "why each option": "reasons", "option reasons": "reasons",
    "reasons": "reasons", "추가 설명": "reasons", "오답 해설": "reasons", "오답 설명": "reasons", "보기 해설": "reasons",
    "핵심 포인트": "key_point", "key point": "key_point", "key points": "key_point",
    "주요개념": "concepts", "주요 개념": "concepts", "key concepts": "concepts",
    "관련 문제": "related", "related question": "related", "related questions": "related", "exam question": "related",
}

_LABEL = r"\*{{0,2}}\s*(?P<label>{names})\s*[:：]\s*\*{{0,2}}\s*"
_STEM_LABEL = re.compile(_LABEL.format(names="question|문제|질문"), re.IGNORECASE)
_OPTIONS_LABEL = re.compile(_LABEL.format(names="options|choices|보기|선택지") + r"$", re.IGNORECASE)
_ANSWER_LABEL = re.compile(r"\*{0,2}\s*(?:정답|answer|correct answer)\s*[:：]\s*(?P<rest>.*?)\s*\*{0,2}\s*$", re.IGNORECASE | re.DOTALL)
_REASONS_LABEL = re.compile(r"\*{0,2}\s*(?:추가 설명|오답 해설|why not the others|why not|reasons)\s*[:：]?\s*\*{0,2}\s*$", re.IGNORECASE)

# "A) text", "A. text", "(A) text", "A: text", "**A)** text"
_OPTION = re.compile(r"^\*{0,2}\(?(?P<letter>[A-Ha-h])(?:\)|\.|:)\*{0,2}\s+(?P<text>.+)$", re.DOTALL)
# Reasons: "**Option A** - why", "**옵션 A** - why", "**A) label** - why" (bold head) ...
_REASON_BOLD = re.compile(r"^\*\*(?P<head>[^*]+)\*\*\s*(?:[-–—:]\s*)?(?P<text>.*)$", re.DOTALL)
_REASON_HEAD = re.compile(r"^\s*(?:option|옵션|보기|선택지)?\s*\(?(?P<letter>[A-Ha-h])\)?(?:[.:)]|\s|$)\s*(?P<label>.*)$", re.IGNORECASE | re.DOTALL)
# ... or plain: "A) why", "A. why", "A: why", "Option A - why"
_REASON_PLAIN = re.compile(
    r"^(?:option|옵션|보기|선택지)?\s*\(?(?P<letter>[A-Ha-h])(?:[).:]|\s+[-–—])\s*(?:[-–—]\s*)?(?P<text>.*)$", re.IGNORECASE | re.DOTALL
)
_CHOOSE = re.compile(r"(?:choose|select|pick)\s+(?P<n>two|three|2|3)\b|(?P<ko>두|세)\s*(?:개|가지)", re.IGNORECASE)
_NUMBERS = {"two": 2, "2": 2, "three": 3, "3": 3, "두": 2, "세": 3}


@dataclass
class ParseOutcome:
    question: Question | None
    problems: list[Problem]


def parse_answer_letters(text: str) -> list[str]:
    """Letters at the start of an answer text: "C) Create ..." -> [C]; "A, D" -> [A, D]; "[B, E]" -> [B, E]."""
    letters = []
    pos = 0
    text = text.strip().strip("[]*").strip()
    pattern = re.compile(r"\s*(?:,|and|&|및|/|\s)?\s*\(?([A-Ha-h])\)?(?=[\s,.)\]/&:]|$)")
    while True:
        m = pattern.match(text, pos)
        if not m or m.end() == pos:
            break
        letters.append(m.group(1).upper())
        pos = m.end()
        rest = text[pos:]
        if rest.startswith((")", ".", ":")) or not re.match(r"\s*(?:,|and\b|&|및|/)", rest):
            break
    return letters


def meta_answer(value) -> list[str] | None:
    """The ``answer:`` front-matter value as letters (accepts "B", "A, D", [A, D])."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [str(v).strip().upper() for v in value]
    return [part.strip().upper() for part in re.split(r"[,\s/]+", str(value)) if part.strip()]


def slugify(text: str) -> str:
    slug = re.sub(r"[^0-9a-zA-Z가-힣]+", "-", text.strip().lower()).strip("-")
    return slug or "question"


def required_count(stem: str) -> int | None:
    """How many answers the stem asks for ("choose two" -> 2), or None when it does not say."""
    m = _CHOOSE.search(stem)
    if not m:
        return None
    return _NUMBERS[(m.group("n") or m.group("ko")).lower()]


def _options_from(block: Block, path: str, problems: list[Problem]) -> list[tuple[int, Option]]:
    out = []
    for line, raw in block.items:
        m = _OPTION.match(raw)
        if not m:
            problems.append(Problem(path, line, f"option does not start with a letter like 'A)' or 'A.': {raw[:40]!r}"))
            continue
        out.append((line, Option(m.group("letter").upper(), " ".join(m.group("text").split("\n")).strip())))
    return out


def _reasons_from(block: Block) -> dict[str, str]:
    reasons = {}
    for _line, raw in block.items:
        letter = text = None
        if (bold := _REASON_BOLD.match(raw)) and (head := _REASON_HEAD.match(bold.group("head"))):
            letter, text = head.group("letter"), bold.group("text").strip()
            label = head.group("label").strip(" -–—")
            if label:
                text = f"{label}: {text}" if text else label
        elif plain := _REASON_PLAIN.match(raw):
            letter, text = plain.group("letter"), plain.group("text").strip()
        if letter and text:
            reasons[letter.upper()] = " ".join(text.split("\n"))
    return reasons


class _Collected:
    """What was found in the file, before validation."""

    def __init__(self) -> None:
        self.stem_parts: list[str] = []
        self.stem_line: int | None = None
        self.options: list[tuple[int, Option]] = []
        self.options_line: int | None = None
        self.answer: list[str] | None = None
        self.answer_line: int | None = None
        self.reasons: dict[str, str] = {}
        self.explanation: dict[str, list[str]] = {"en": [], "ko": []}


def _collect_labelled(blocks: list[Block], got: _Collected, path: str, problems: list[Problem]) -> None:
    """Source-note style: labelled paragraphs followed by lists, in one section."""
    expect = None  # what the next list block is: "options" or "reasons"
    in_stem = False
    for block in blocks:
        if block.kind == "paragraph":
            text = block.text.strip()
            if m := _STEM_LABEL.match(text):
                got.stem_parts.append(text[m.end() :].strip())
                got.stem_line = block.line
                in_stem, expect = True, None
                continue
            if _OPTIONS_LABEL.match(text):
                got.options_line = block.line
                in_stem, expect = False, "options"
                continue
            if m := _ANSWER_LABEL.match(text):
                got.answer = parse_answer_letters(m.group("rest"))
                got.answer_line = block.line
                in_stem, expect = False, None
                continue
            if _REASONS_LABEL.match(text):
                in_stem, expect = False, "reasons"
                continue
            if in_stem:
                got.stem_parts.append(text)
        elif block.kind == "list":
            if expect == "options" or (in_stem and not got.options):
                got.options_line = got.options_line or block.line
                got.options.extend(_options_from(block, path, problems))
            elif expect == "reasons":
                got.reasons.update(_reasons_from(block))
            expect = None
            in_stem = False
        elif in_stem:
            got.stem_parts.append(block.text)


def _collect(doc: Document, path: str, problems: list[Problem]) -> _Collected:
    got = _Collected()
    for section in doc.sections:
        role = HEADING_ROLES.get(section.key)
        if role == "question" and not _has_labels(section):
            got.stem_parts.append(section.text)
            got.stem_line = section.blocks[0].line if section.blocks else section.line
        elif role == "options":
            got.options_line = section.line
            for block in section.blocks:
                if block.kind == "list":
                    got.options.extend(_options_from(block, path, problems))
        elif role == "answer":
            for block in section.blocks:
                letters = parse_answer_letters(block.text)
                if letters:
                    got.answer = got.answer or letters
                    got.answer_line = got.answer_line or block.line
                    break
        elif role == "explanation":
            got.explanation["en"].append(section.text)
        elif role in ("explanation_ko", "key_point"):
            # in source notes these are Korean prose; project files use '## 설명' for Korean.
            got.explanation["ko"].append(section.text)
            _subsections_into(doc, section, got)
        elif role == "reasons":
            for block in section.blocks:
                if block.kind == "list":
                    got.reasons.update(_reasons_from(block))
        elif role in ("related", "question"):
            _collect_labelled(section.blocks, got, path, problems)
    return got


def _subsections_into(doc: Document, section: Section, got: _Collected) -> None:
    """Include the ### subsections that sit under a ## 설명 heading in its text."""
    idx = doc.sections.index(section)
    for sub in doc.sections[idx + 1 :]:
        if sub.level <= section.level:
            break
        got.explanation["ko"].append(f"{'#' * sub.level} {sub.heading}\n\n{sub.text}".strip())


def _has_labels(section: Section) -> bool:
    return any(b.kind == "paragraph" and _STEM_LABEL.match(b.text) for b in section.blocks)


def parse_question(doc: Document, path: Path, display_path: str) -> ParseOutcome:
    """Build a Question from ``doc``; every problem is reported with its line."""
    problems: list[Problem] = []
    meta = doc.meta
    got = _collect(doc, display_path, problems)

    def key_line(key: str, fallback: int | None = None) -> int:
        return doc.meta_keys.get(key) or fallback or 1

    stem = "\n\n".join(p for p in got.stem_parts if p).strip()
    h1 = next((s.heading for s in doc.sections if s.level == 1), "")
    title = h1 or str(meta.get("title") or path.stem)
    qid = str(meta.get("id") or slugify(str(meta.get("title") or path.stem)))

    if not stem and not got.options:
        problems.append(Problem(display_path, 1, "no question found: expected a '## Question' section or a '**Question:**' paragraph"))
        return ParseOutcome(None, problems)
    if not stem:
        problems.append(Problem(display_path, got.options_line or 1, "missing stem: the question has options but no question text"))

    options = [o for _, o in got.options]
    seen: set[str] = set()
    for line, opt in got.options:
        if opt.letter in seen:
            problems.append(Problem(display_path, line, f"option {opt.letter} appears twice"))
        seen.add(opt.letter)
    if len(options) < 2:
        problems.append(Problem(display_path, got.options_line or got.stem_line or 1, f"a question needs at least two options, found {len(options)}"))

    answer = meta_answer(meta.get("answer"))
    answer_line = key_line("answer") if answer is not None else got.answer_line
    if answer is None:
        answer = got.answer
    if not answer:
        problems.append(Problem(display_path, got.stem_line or 1, "no answer given: add 'answer: B' to the front matter or an '## Answer' section"))
        answer = []
    letters = {o.letter for o in options}
    bad = [a for a in answer if a not in letters]
    if bad and options:
        problems.append(
            Problem(display_path, answer_line or 1, f"answer {', '.join(bad)} is not among the options {', '.join(sorted(letters))}")
        )
    wanted = required_count(stem)
    if wanted is not None and answer and len(answer) != wanted:
        problems.append(Problem(display_path, answer_line or 1, f"the stem asks for {wanted} answers but the answer lists {len(answer)}"))

    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    covers = meta.get("covers") or []
    if isinstance(covers, str):
        covers = [c.strip() for c in covers.split(",") if c.strip()]
    difficulty = meta.get("difficulty", 2)
    if not isinstance(difficulty, int) or not 1 <= difficulty <= 5:
        problems.append(Problem(display_path, key_line("difficulty"), f"difficulty must be a whole number from 1 to 5, got {difficulty!r}"))
        difficulty = 2
    simulation = meta.get("simulation")

    if problems and any(p.severity == "error" for p in problems) and (len(options) < 2 or not stem or bad or not answer):
        return ParseOutcome(None, problems)

    question = Question(
        id=qid,
        title=title,
        stem=stem,
        options=options,
        answer=frozenset(answer),
        domain=str(meta.get("domain") or "monitoring"),
        tags=[str(t) for t in tags],
        explanation={lang: "\n\n".join(parts).strip() for lang, parts in got.explanation.items() if any(parts)},
        reasons={k: v for k, v in got.reasons.items() if k in letters},
        simulation=str(simulation) if simulation else None,
        covers=[str(c).strip().upper() for c in covers],
        difficulty=difficulty,
        source=path,
        line=got.stem_line or 1,
    )
    return ParseOutcome(question, problems)
