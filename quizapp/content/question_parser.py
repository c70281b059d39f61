"""Turn a parsed Markdown document into a Question, in either of the two accepted styles.

1. Project style: English sections ``## Question`` / ``## Options`` / ``## Answer`` /
   ``## Explanation`` / ``## Why not the others``, then the Korean sections ``## 질문`` (stem),
   ``## 보기`` (options, same letters), ``## 설명`` (explanation) and ``## 보기별 해설``
   (per-option reasons); ``answer:`` in the front matter. The Korean stem, options and reasons
   become ``Question.translations["ko"]``; a file with only Korean sections is read with the
   Korean text as the primary text.
2. Source-note style: a ``## 관련 문제`` (related question) section holding ``**Question:**``,
   ``**Options:**`` + a list, ``**정답: C) ...**`` and ``추가 설명:`` + a list of per-option reasons;
   ``핵심 포인트`` and ``설명`` sections become the Korean explanation.

Emoji and punctuation in headings are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quizapp.content.markdown import Block, Document, Section
from quizapp.content.model import Option, Problem, Question, Translation

# Normalised heading text -> role. heading_key() has already lowercased and stripped emoji.
HEADING_ROLES = {
    "question": "question", "questions": "question", "stem": "question", "문제": "question_ko", "질문": "question_ko",
    "options": "options", "choices": "options", "answers": "options", "보기": "options_ko", "선택지": "options_ko",
    "answer": "answer", "correct answer": "answer", "정답": "answer",
    "explanation": "explanation", "explanation en": "explanation", "해설": "explanation",
    "설명": "explanation_ko", "explanation ko": "explanation_ko", "한국어 설명": "explanation_ko", "해설 ko": "explanation_ko",
    "why not the others": "reasons", "why not": "reasons", "why each option": "reasons", "option reasons": "reasons",
    "reasons": "reasons",
    "보기별 해설": "reasons_ko", "추가 설명": "reasons_ko", "오답 해설": "reasons_ko", "오답 설명": "reasons_ko", "보기 해설": "reasons_ko",
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
# Korean asks for a number of answers with a choosing verb ("두 개를 고르십시오", "두 가지를 선택"), so
# counting words alone ("히스토그램 두 개를 그렸습니다") are not a request.
_CHOOSE = re.compile(
    r"(?:choose|select|pick)\s+(?P<n>two|three|2|3)\b|(?P<ko>두|세|2|3)\s*(?:개|가지)\s*(?:를|을)?\s*(?:\S+\s+)?(?:고르|선택)",
    re.IGNORECASE,
)
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


class _Parts:
    """Stem, options and reasons found for one language."""

    def __init__(self) -> None:
        self.stem_parts: list[str] = []
        self.stem_line: int | None = None
        self.options: list[tuple[int, Option]] = []
        self.options_line: int | None = None
        self.reasons: dict[str, str] = {}
        self.reasons_line: int | None = None

    @property
    def stem(self) -> str:
        return "\n\n".join(p for p in self.stem_parts if p).strip()

    @property
    def empty(self) -> bool:
        return not (self.stem_parts or self.options or self.reasons)


class _Collected:
    """What was found in the file, before validation."""

    def __init__(self) -> None:
        self.en = _Parts()  # English sections (and every source-note label)
        self.ko = _Parts()  # ## 질문 / ## 보기 / ## 보기별 해설
        self.answer: list[str] | None = None
        self.answer_line: int | None = None
        self.explanation: dict[str, list[str]] = {"en": [], "ko": []}


def _collect_labelled(blocks: list[Block], got: _Collected, path: str, problems: list[Problem]) -> None:
    """Source-note style: labelled paragraphs followed by lists, in one section."""
    expect = None  # what the next list block is: "options" or "reasons"
    in_stem = False
    for block in blocks:
        if block.kind == "paragraph":
            text = block.text.strip()
            if m := _STEM_LABEL.match(text):
                got.en.stem_parts.append(text[m.end() :].strip())
                got.en.stem_line = block.line
                in_stem, expect = True, None
                continue
            if _OPTIONS_LABEL.match(text):
                got.en.options_line = block.line
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
                got.en.stem_parts.append(text)
        elif block.kind == "list":
            if expect == "options" or (in_stem and not got.en.options):
                got.en.options_line = got.en.options_line or block.line
                got.en.options.extend(_options_from(block, path, problems))
            elif expect == "reasons":
                got.en.reasons.update(_reasons_from(block))
            expect = None
            in_stem = False
        elif in_stem:
            got.en.stem_parts.append(block.text)


def _collect(doc: Document, path: str, problems: list[Problem]) -> _Collected:
    got = _Collected()
    for section in doc.sections:
        role = HEADING_ROLES.get(section.key)
        parts = got.ko if role in ("question_ko", "options_ko", "reasons_ko") else got.en
        if role in ("question", "question_ko") and not _has_labels(section):
            parts.stem_parts.append(section.text)
            parts.stem_line = section.blocks[0].line if section.blocks else section.line
        elif role in ("options", "options_ko"):
            parts.options_line = section.line
            for block in section.blocks:
                if block.kind == "list":
                    parts.options.extend(_options_from(block, path, problems))
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
        elif role in ("reasons", "reasons_ko"):
            parts.reasons_line = parts.reasons_line or section.line
            for block in section.blocks:
                if block.kind == "list":
                    parts.reasons.update(_reasons_from(block))
        elif role in ("related", "question", "question_ko"):
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


def string_list(meta: dict, key: str, display_path: str, line: int, problems: list[Problem]) -> list[str]:
    """A front-matter list of words (``[a, b]`` or ``"a, b"``); any other type is a problem."""
    value = meta.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    problems.append(Problem(display_path, line, f"'{key}' must be a list of words like [a, b], got {type(value).__name__} {str(value)[:40]!r}"))
    return []


def _check_options(parts: _Parts, display_path: str, problems: list[Problem], label: str) -> None:
    seen: set[str] = set()
    for line, opt in parts.options:
        if opt.letter in seen:
            problems.append(Problem(display_path, line, f"{label}option {opt.letter} appears twice"))
        seen.add(opt.letter)


def _letters(items) -> str:
    return ", ".join(sorted(items)) or "none"


def _check_translation(primary: _Parts, korean: _Parts, answer: list[str], explanation: dict, display_path: str) -> list[Problem]:
    """Korean options and reasons carry the same letters as the English ones; say what Korean text is missing."""
    problems: list[Problem] = []
    _check_options(korean, display_path, problems, "Korean (보기) ")
    letters = {o.letter for _, o in primary.options}
    if korean.options:
        ko_letters = {o.letter for _, o in korean.options}
        if ko_letters != letters:
            problems.append(Problem(
                display_path, korean.options_line or 1,
                f"Korean options (보기) have letters {_letters(ko_letters)} but the English options have {_letters(letters)}",
            ))
    if korean.reasons:
        expected = set(primary.reasons) if primary.reasons else letters
        if (primary.reasons and set(korean.reasons) != expected) or not set(korean.reasons) <= expected:
            problems.append(Problem(
                display_path, korean.reasons_line or 1,
                f"Korean reasons (보기별 해설) have letters {_letters(korean.reasons)} but the English reasons have {_letters(primary.reasons)}",
            ))
    wanted = required_count(korean.stem)
    if wanted is not None and answer and len(answer) != wanted:
        problems.append(Problem(display_path, korean.stem_line or 1, f"the Korean stem asks for {wanted} answers but the answer lists {len(answer)}"))
    if korean.stem or korean.options:  # a bilingual file: name the Korean parts still missing
        missing = [
            heading
            for heading, english, ko in (
                ("## 질문", primary.stem, korean.stem),
                ("## 보기", primary.options, korean.options),
                ("## 설명", explanation.get("en"), explanation.get("ko")),
                ("## 보기별 해설", primary.reasons, korean.reasons),
            )
            if english and not ko
        ]
        if missing:
            line = korean.stem_line or korean.options_line or 1
            problems.append(Problem(display_path, line, f"Korean text missing: {', '.join(missing)}", "warning"))
    return problems


def parse_question(doc: Document, path: Path, display_path: str) -> ParseOutcome:
    """Build a Question from ``doc``; every problem is reported with its line."""
    problems: list[Problem] = []
    meta = doc.meta
    got = _collect(doc, display_path, problems)
    korean_only = not got.en.stem and not got.en.options and not got.ko.empty
    primary, korean = (got.ko, _Parts()) if korean_only else (got.en, got.ko)
    if korean_only and not primary.reasons:
        primary.reasons = got.en.reasons

    def key_line(key: str, fallback: int | None = None) -> int:
        return doc.meta_keys.get(key) or fallback or 1

    stem = primary.stem
    h1 = next((s.heading for s in doc.sections if s.level == 1), "")
    title = h1 or str(meta.get("title") or path.stem)
    raw_id = meta.get("id")
    if raw_id is not None and (not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool)):
        problems.append(Problem(display_path, key_line("id"), f"'id' must be a word, got {str(raw_id)[:40]!r}"))
        raw_id = None
    qid = str(raw_id or slugify(str(meta.get("title") or path.stem)))

    if not stem and not primary.options:
        problems.append(Problem(display_path, 1, "no question found: expected a '## Question' section or a '**Question:**' paragraph"))
        return ParseOutcome(None, problems)
    if not stem:
        problems.append(Problem(display_path, primary.options_line or 1, "missing stem: the question has options but no question text"))

    options = [o for _, o in primary.options]
    _check_options(primary, display_path, problems, "")
    if len(options) < 2:
        problems.append(Problem(display_path, primary.options_line or primary.stem_line or 1, f"a question needs at least two options, found {len(options)}"))

    answer = meta_answer(meta.get("answer"))
    answer_line = key_line("answer") if answer is not None else got.answer_line
    if answer is None:
        answer = got.answer
    if not answer:
        problems.append(Problem(display_path, primary.stem_line or 1, "no answer given: add 'answer: B' to the front matter or an '## Answer' section"))
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
    problems.extend(_check_translation(primary, korean, answer, got.explanation, display_path))

    tags = string_list(meta, "tags", display_path, key_line("tags"), problems)
    covers = string_list(meta, "covers", display_path, key_line("covers"), problems)
    difficulty = meta.get("difficulty", 2)
    if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 1 <= difficulty <= 5:
        problems.append(Problem(display_path, key_line("difficulty"), f"difficulty must be a whole number from 1 to 5, got {difficulty!r}"[:120]))
        difficulty = 2
    simulation = meta.get("simulation")
    if simulation is not None and not isinstance(simulation, str):
        problems.append(Problem(display_path, key_line("simulation"), f"'simulation' must be a name, got {str(simulation)[:40]!r}"))
        simulation = None
    domain = meta.get("domain")
    if domain is not None and not isinstance(domain, str):
        problems.append(Problem(display_path, key_line("domain"), f"'domain' must be a word, got {str(domain)[:40]!r}"))
        domain = None

    if problems and any(p.severity == "error" for p in problems) and (len(options) < 2 or not stem or bad or not answer):
        return ParseOutcome(None, problems)

    translations = {}
    if not korean.empty:
        translations["ko"] = Translation(
            stem=korean.stem,
            options={o.letter: o.text for _, o in korean.options if o.letter in letters},
            reasons={k: v for k, v in korean.reasons.items() if k in letters},
        )
    question = Question(
        id=qid,
        title=title,
        stem=stem,
        options=options,
        answer=frozenset(answer),
        domain=domain or "monitoring",
        tags=tags,
        explanation={lang: "\n\n".join(parts).strip() for lang, parts in got.explanation.items() if any(parts)},
        reasons={k: v for k, v in primary.reasons.items() if k in letters},
        simulation=simulation or None,
        covers=[c.upper() for c in covers],
        difficulty=difficulty,
        source=path,
        line=primary.stem_line or 1,
        translations=translations,
    )
    return ParseOutcome(question, problems)
