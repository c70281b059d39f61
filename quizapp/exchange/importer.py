"""`quizapp import FILE...`: convert GIFT, Aiken and Markdown notes into project-format files.

Every file is read in full before anything is written: ids are then settled across the whole
batch (ids a file names must be unique; ids derived from titles get ``-2``, ``-3``...), each
question is rendered, read back with the project's own parser, and written to
``<out>/questions/<id>.md``. What cannot be converted is reported as ``path:line: message``
and never stops the rest.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.content.loader import SKIPPED_NAMES, load_question_file, read_text
from quizapp.content.markdown import FrontMatterError, parse_document
from quizapp.content.model import Problem
from quizapp.content.question_parser import HEADING_ROLES, slugify
from quizapp.exchange.aiken import parse_aiken
from quizapp.exchange.detect import AIKEN, GIFT, NAMES, detect_format
from quizapp.exchange.draft import Draft, ParseResult, id_problem, unique_id
from quizapp.exchange.gift import parse_gift
from quizapp.exchange.project_markdown import differences, prepare, read_back, render
from quizapp.terminal_text import echo

IMPORT_SUFFIXES = (".md", ".markdown", ".txt", ".gift", ".aiken")
_KEPT_ROLES = {"question", "options", "answer", "explanation", "explanation_ko", "reasons", "key_point", "related"}


@dataclass
class FileReport:
    shown: str
    fmt: str
    result: ParseResult
    written: list[tuple[Draft, str]] = field(default_factory=list)


def questions_folder(out_dir: Path) -> Path:
    """Where imported files go: ``out_dir/questions``, or ``out_dir`` itself when it is named so."""
    return out_dir if out_dir.name == "questions" else out_dir / "questions"


def _expand(files: list[Path]) -> list[tuple[Path, str, bool]]:
    """(path, shown, found in a folder) for every file named or found in a named folder."""
    out, seen = [], set()
    for given in files:
        if given.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(given):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    low = name.lower()
                    if low.endswith(IMPORT_SUFFIXES) and low not in SKIPPED_NAMES and not name.startswith("."):
                        found.append(Path(dirpath) / name)
            entries = [(p, True) for p in found]
        else:
            entries = [(given, False)]
        for path, in_folder in entries:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                out.append((path, str(path), in_folder))
    return out


def _unconverted_sections(text: str, shown: str) -> list[Problem]:
    try:
        doc = parse_document(text)
    except FrontMatterError:
        return []
    return [
        Problem(shown, s.line, f"section {s.heading!r} is not part of a question; not converted", "warning")
        for s in doc.sections
        if s.level == 2 and HEADING_ROLES.get(s.key) not in _KEPT_ROLES
    ]


def read_markdown(path: Path, shown: str, in_folder: bool = False) -> ParseResult:
    """A Markdown question file, project or source-note style, through the content loader."""
    result = ParseResult()
    question, problems, keys = load_question_file(path, shown)
    if in_folder:  # a folder of notes may hold notes without a question
        problems = [Problem(p.path, p.line, p.message, "warning") if p.message.startswith("no question found") else p for p in problems]
    errors = [p for p in problems if p.severity == "error"]
    result.problems.extend(problems)
    if errors:
        result.failed += 1
        return result
    if question is None:
        return result
    try:
        result.problems.extend(_unconverted_sections(read_text(path), shown))
    except OSError:
        pass
    result.drafts.append(Draft(question, shown, question.line, id_given="id" in keys, plain_text=False))
    return result


def read_file(path: Path, shown: str, in_folder: bool = False) -> tuple[str, ParseResult]:
    """(format, what the file gave)."""
    try:
        text = read_text(path)
    except OSError as exc:
        result = ParseResult()
        result.fail(Problem(shown, 1, f"cannot read file: {exc.strerror or exc}"))
        return "unreadable", result
    fmt = detect_format(path, text)
    if fmt == GIFT:
        return fmt, parse_gift(text, shown, path)
    if fmt == AIKEN:
        return fmt, parse_aiken(text, shown, path)
    return fmt, read_markdown(path, shown, in_folder)


def _existing_ids(folder: Path) -> dict[str, Path]:
    """Ids already used by question files in the target folder (as the loader derives them)."""
    ids: dict[str, Path] = {}
    if not folder.is_dir():
        return ids
    for path in sorted(folder.glob("*.md")):
        try:
            meta = parse_document(read_text(path)).meta
        except (OSError, FrontMatterError):
            continue
        qid = str(meta.get("id") or slugify(str(meta.get("title") or path.stem)))
        ids.setdefault(qid, path)
    return ids


def _settle_ids(reports: list[FileReport], reserved: dict[str, Path] | None = None) -> None:
    """Give every draft its final id; drafts whose id cannot be used are reported and dropped.
    ``reserved``: ids of the bundled bank the target folder is read on top of (never reused)."""
    taken: dict[str, str] = {qid: f"the bundled question {path}" for qid, path in (reserved or {}).items()}
    for report in reports:
        keep = []
        for draft in report.result.drafts:
            if draft.id_given:
                qid = draft.question.id
                problem = id_problem(qid)
                if problem is None and qid in taken:
                    problem = f"duplicate id {qid!r}: already used by {taken[qid]}"
                if problem is not None:
                    report.result.fail(Problem(draft.shown, draft.line, problem))
                    continue
                taken[qid] = draft.where
            keep.append(draft)
        report.result.drafts = keep
    for report in reports:
        for draft in report.result.drafts:
            if not draft.id_given:
                draft.question.id = unique_id(draft.question.id, taken)
                taken[draft.question.id] = draft.where


def _write(report: FileReport, folder: Path, overwrite: bool, existing: dict[str, Path]) -> None:
    from quizapp.content.loader import known_simulation_names

    simulations = known_simulation_names()
    for draft in report.result.drafts:
        question, notes = prepare(draft)
        dest = folder / f"{question.id}.md"
        dest_shown = str(dest)
        owner = existing.get(question.id)
        if owner is not None and owner.resolve() != dest.resolve():
            report.result.fail(Problem(draft.shown, draft.line, f"id {question.id!r} is already used by {owner}"))
            continue
        if dest.is_symlink():
            report.result.fail(Problem(draft.shown, draft.line, f"{dest_shown} is a symbolic link; not written through it"))
            continue
        if dest.exists() and not overwrite:
            report.result.fail(Problem(draft.shown, draft.line, f"{dest_shown} already exists; use --overwrite to replace it"))
            continue
        text = render(question)
        back, problems = read_back(text, dest, dest_shown)
        errors = [p for p in problems if p.severity == "error"]
        if back is None or errors:
            reason = errors[0].message if errors else "it does not read back as a question"
            report.result.fail(Problem(draft.shown, draft.line, f"cannot be written in the project format: {reason}"))
            continue
        for note in notes:
            report.result.problems.append(Problem(draft.shown, draft.line, note, "warning"))
        changed = differences(question, back)
        if changed:
            report.result.problems.append(
                Problem(draft.shown, draft.line, f"the written file reads back with a different {', '.join(changed)}", "warning")
            )
        if question.simulation and question.simulation not in simulations:
            report.result.problems.append(Problem(draft.shown, draft.line, f"unknown simulation {question.simulation!r}", "warning"))
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(dest, text.encode("utf-8"))
        report.written.append((draft, dest_shown))


def replace_file(dest: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file next to ``dest``, then rename it over ``dest``.

    The rename replaces a symbolic link itself, never the file it points to, and a reader
    never sees a half-written file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def format_report(reports: list[FileReport], folder: Path) -> str:
    lines = []
    for report in reports:
        result = report.result
        head = f"{report.shown} ({NAMES.get(report.fmt, report.fmt)}): {len(report.written)} converted"
        if result.failed:
            head += f", {result.failed} not converted"
        lines.append(head)
        lines += [f"  {draft.where}: {draft.question.id} -> {dest}" for draft, dest in report.written]
        lines += [f"  {p}" for p in sorted(result.problems, key=lambda p: p.line)]
    converted = sum(len(r.written) for r in reports)
    failed = sum(r.result.failed for r in reports)
    summary = f"imported {converted} question{'s' * (converted != 1)} into {folder}"
    if failed:
        summary += f"; {failed} could not be converted"
    lines.append(summary)
    return "\n".join(lines)


def import_files(files: list[Path], out_dir: Path, overwrite: bool = False, reserved: dict[str, Path] | None = None) -> int:
    files = [Path(f) for f in files]
    out_dir = Path(out_dir)
    if not files:
        echo("quizapp import: error: give at least one file to import", file=sys.stderr)
        return 2
    missing = [f for f in files if not f.exists()]
    for f in missing:
        echo(f"quizapp import: error: {f}: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    if out_dir.exists() and not out_dir.is_dir():
        echo(f"quizapp import: error: {out_dir} is a file; give a content folder to write into", file=sys.stderr)
        return 2
    folder = questions_folder(out_dir)
    reports = []
    for path, shown, in_folder in _expand(files):
        fmt, result = read_file(path, shown, in_folder)
        reports.append(FileReport(shown, fmt, result))
    _settle_ids(reports, reserved)
    existing = _existing_ids(folder)
    for report in reports:
        _write(report, folder, overwrite, existing)
    echo(format_report(reports, folder))
    return 1 if any(r.result.failed for r in reports) else 0
