"""`quizapp export --format FORMAT OUT`: write the question bank for Anki, an LMS or another bank.

``anki-tsv``, ``aiken`` and ``gift`` write one file; ``markdown`` writes ``OUT/<id>.md`` per
question. What a format cannot carry is reported as a note (``path:line: note: ...``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from quizapp.content.loader import display_path, load_content
from quizapp.content.sources import content_sources
from quizapp.content.model import LETTERS, Question
from quizapp.exchange.aiken import cannot_write, write_aiken
from quizapp.exchange.anki import write_anki_tsv
from quizapp.exchange.draft import id_problem
from quizapp.exchange.gift import write_gift
from quizapp.exchange.project_markdown import differences, read_back, render
from quizapp.terminal_text import echo

FORMATS = ("anki-tsv", "aiken", "gift", "markdown")
NAMES = {"anki-tsv": "Anki TSV", "aiken": "Aiken", "gift": "GIFT", "markdown": "Markdown"}


def _where(q: Question, root: Path) -> str:
    shown = display_path(q.source, root) if q.source else q.id
    return f"{shown}:{q.line}"


def _error(message: str) -> int:
    echo(f"quizapp export: error: {message}", file=sys.stderr)
    return 2


def _relettered(questions: list[Question], root: Path) -> list[str]:
    """Notes for questions whose options are not lettered A, B, C...: positional formats re-letter them."""
    return [
        f"{_where(q, root)}: note: options {', '.join(q.letters)} are written in order and read back as "
        f"{', '.join(LETTERS[: len(q.options)])}"
        for q in questions
        if q.letters != list(LETTERS[: len(q.options)])
    ]


def export_bank(fmt: str, out: Path, content_dir: Path | None = None, data_dir: Path | None = None) -> int:
    """Export ``content_dir``, or what the app studies: the bundled bank with the learner's content on top."""
    if fmt not in FORMATS:
        return _error(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    sources = content_sources(content_dir, data_dir)
    root = sources.bank
    if not root.exists():
        return _error(f"content folder {root} does not exist")
    out = Path(out)
    if fmt == "markdown":
        if out.exists() and not out.is_dir():
            return _error(f"{out} is a file; the markdown export writes a folder of <id>.md files")
        if out.resolve() in {folder.resolve() / sub for folder in sources.folders for sub in ("", "questions")}:
            return _error(f"{out} is a content folder itself; export into another folder")
    elif out.is_dir():
        return _error(f"{out} is a folder; give a file name for the {NAMES[fmt]} export")

    content = load_content(root, user=sources.user)
    lines: list[str] = []
    if content.errors:
        lines.append(f"warning: {len(content.errors)} problem(s) in {root}; questions that did not load are not exported:")
        lines += [f"  {p}" for p in content.errors]
    questions = list(content.questions.values())
    if not questions:
        lines.append(f"no questions to export in {root}")
        echo("\n".join(lines))
        return 1

    notes: list[str] = []
    if fmt == "markdown":
        written = _export_markdown(questions, out, root, notes)
    else:
        if fmt == "aiken":
            keep = []
            for q in questions:
                reason = cannot_write(q)
                if reason:
                    notes.append(f"{_where(q, root)}: note: skipped {q.id!r}: {reason}")
                else:
                    keep.append(q)
            flattened = sum("\n" in q.stem for q in keep)
            if flattened:
                notes.append(f"note: {flattened} stem(s) had line breaks and were written on one line (an Aiken question is one line)")
            notes.append("note: Aiken keeps stems, options and the answer; ids, titles, tags, explanations and reasons are not kept")
            text = write_aiken(keep) if keep else ""
            notes[:0] = _relettered(keep, root)
            written = len(keep)
        elif fmt == "gift":
            text = write_gift(questions)
            notes[:0] = _relettered(questions, root)
            written = len(questions)
        else:
            text = write_anki_tsv(questions)
            written = len(questions)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(text.encode("utf-8"))
    lines.append(f"wrote {written} question{'s' * (written != 1)} to {out} ({NAMES[fmt]})")
    lines += [f"  {n}" for n in notes]
    echo("\n".join(lines))
    return 1 if content.errors else 0


def _export_markdown(questions: list[Question], out: Path, root: Path, notes: list[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for q in questions:
        problem = id_problem(q.id)
        if problem:
            notes.append(f"{_where(q, root)}: note: skipped: {problem}")
            continue
        dest = out / f"{q.id}.md"
        text = render(q)
        back, _problems = read_back(text, dest, str(dest))
        changed = differences(q, back) if back is not None else ["question"]
        if changed:
            notes.append(f"{_where(q, root)}: note: {dest} reads back with a different {', '.join(changed)}")
        dest.write_bytes(text.encode("utf-8"))
        written += 1
    return written
