"""Load a content folder: questions, study notes and the fact list, with every problem as data.

A folder laid out like the bundled one has ``questions/``, ``notes/`` and ``facts.yaml``.
Any other folder (e.g. a set of source notes) is read file by file: every ``.md``/``.txt``
file that holds a question yields one. A broken file never stops the others.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quizapp.content.files import CONTENT_SUFFIXES, SKIPPED_NAMES, ContentFileError, content_files, read_text  # noqa: F401
from quizapp.content.markdown import Document, FrontMatterError, parse_document, safe_load
from quizapp.content.model import Fact, Note, Problem, Question
from quizapp.content.question_parser import parse_question, slugify, string_list

@dataclass
class ContentSet:
    root: Path
    questions: dict[str, Question] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    user_root: Path | None = None  # the learner's folder read on top of ``root``, if any
    replaced: dict[str, Path | None] = field(default_factory=dict)  # id -> the file a user question replaced

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def domains(self) -> list[str]:
        return sorted({q.domain for q in self.questions.values()})

    def tags(self) -> list[str]:
        return sorted({t for q in self.questions.values() for t in q.tags})


def display_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent if root.is_dir() else root))
    except ValueError:
        return str(path)


_content_files = content_files


def read_document(path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one Markdown file; unreadable files and bad front matter become problems."""
    try:
        return parse_document(read_text(path)), []
    except FrontMatterError as exc:
        return None, [Problem(shown, exc.line, exc.message)]
    except ContentFileError as exc:
        return None, [Problem(shown, 1, exc.message)]


def load_question_file(path: Path, shown: str) -> tuple[Question | None, list[Problem], dict[str, int]]:
    """Parse one question file: (question or None, problems, line of each front-matter key)."""
    doc, problems = read_document(path, shown)
    if doc is None:
        return None, problems, {}
    outcome = parse_question(doc, path, shown)
    return outcome.question, outcome.problems, doc.meta_keys


def load_note_file(path: Path, shown: str) -> tuple[Note | None, list[Problem], dict[str, int]]:
    doc, problems = read_document(path, shown)
    if doc is None:
        return None, problems, {}
    meta = doc.meta
    body_start = next((s.line for s in doc.sections if s.level > 0 or s.blocks), 1)
    body = "\n".join(doc.lines[body_start - 1 :]).strip()
    title = str(meta.get("title") or next((s.heading for s in doc.sections if s.level == 1), path.stem))
    questions = meta.get("questions") or []
    if not isinstance(questions, list) or not all(isinstance(q, (str, int)) for q in questions):
        problems.append(Problem(shown, doc.meta_keys.get("questions", 1), "'questions' must be a list of question ids"))
        questions = []
    tags = string_list(meta, "tags", shown, doc.meta_keys.get("tags", 1), problems)
    note_id = meta.get("id")
    if note_id is not None and not isinstance(note_id, (str, int)):
        problems.append(Problem(shown, doc.meta_keys.get("id", 1), f"'id' must be a word, got {str(note_id)[:40]!r}"))
        note_id = None
    note = Note(
        id=str(note_id or slugify(path.stem)),
        title=title,
        body=body,
        sections={s.heading: s.text for s in doc.sections if s.level == 2},
        questions=[str(q) for q in questions],
        tags=tags,
        source=path,
    )
    return note, problems, doc.meta_keys


def load_facts(path: Path, shown: str | None = None) -> tuple[dict[str, Fact], list[Problem]]:
    """Read a facts YAML file: a list of {id, statement, topic}."""
    shown = shown or str(path)
    try:
        text = read_text(path)
    except ContentFileError as exc:
        return {}, [Problem(shown, 1, f"facts file: {exc.message}")]
    try:
        data = safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return {}, [Problem(shown, line, f"bad YAML: {exc.problem}")]
    except yaml.reader.ReaderError as exc:  # a control character or other unacceptable character
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "\0")
        return {}, [Problem(shown, line, f"bad YAML: unacceptable character (code {code:#04x})")]
    except yaml.YAMLError as exc:
        return {}, [Problem(shown, 1, f"bad YAML: {' '.join(str(exc).split())[:160]}")]
    except RecursionError:
        return {}, [Problem(shown, 1, "bad YAML: nested too deeply")]
    if isinstance(data, dict) and "facts" in data:
        data = data["facts"]
    if not isinstance(data, list):
        return {}, [Problem(shown, 1, "facts file must be a list of {id, statement, topic} entries")]
    facts, problems = {}, []
    for entry in data:
        fid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(fid, (str, int)) or isinstance(fid, bool):
            problems.append(Problem(shown, 1, f"fact entry without an id: {entry!r}"[:120]))
            continue
        fid = str(fid).strip().upper()
        facts[fid] = Fact(fid, str(entry.get("statement", "")), str(entry.get("topic", "")))
    return facts, problems


def known_simulation_names() -> set[str]:
    from simulations.catalog import SIMULATION_NAMES  # light: names only, no numpy

    return set(SIMULATION_NAMES)


def load_content(root: Path | str | None = None, facts_file: Path | str | None = None, *,
                 user: Path | str | None = None) -> ContentSet:
    """Load every question and note under ``root`` (the bundled bank by default).

    ``user``: the learner's own folder (``questions/``, ``notes/``), read on top of ``root``:
    its questions are added, and one with the id of a question in ``root`` replaces it
    (recorded in ``ContentSet.replaced``, not a problem). Its problems name full paths.
    """
    from quizapp.content.sources import bundled_content

    root = Path(root) if root is not None else bundled_content()
    result = ContentSet(root=root)
    if not root.exists():
        result.problems.append(Problem(str(root), 0, "content folder does not exist"))
        return result

    facts_path = Path(facts_file) if facts_file else (root / "facts.yaml" if (root / "facts.yaml").exists() else None)
    if facts_path is not None:
        result.facts, problems = load_facts(facts_path, display_path(facts_path, root) if not facts_file else str(facts_path))
        result.problems.extend(problems)

    project_layout = (root / "questions").is_dir()
    question_files = _content_files(root / "questions") if project_layout else _content_files(root) if root.is_dir() else [root]
    simulations = known_simulation_names()

    def in_bank(path: Path) -> str:
        return display_path(path, root)

    _add_questions(result, question_files, in_bank, simulations, loose=not project_layout)
    user = Path(user) if user is not None else None
    if user is not None and user.is_dir():
        result.user_root = user
        _add_questions(result, _content_files(user / "questions") if (user / "questions").is_dir() else [], str,
                       simulations, loose=False, replacing=True)
    for folder, shown_of in ((root, in_bank), (user, str)):
        if folder is not None and (folder / "notes").is_dir():
            _add_notes(result, _content_files(folder / "notes"), shown_of)
    return result


def _add_questions(result: ContentSet, files: list[Path], shown_of, simulations: set[str], loose: bool,
                   replacing: bool = False) -> None:
    """Parse ``files`` into ``result``; ``replacing``: a file may replace a question loaded before."""
    first_seen: dict[str, str] = {}
    for path in files:
        shown = shown_of(path)
        question, problems, doc_keys = load_question_file(path, shown)
        if loose:  # a loose folder of notes: a note without a question is fine
            problems = [_as_warning(p) if p.message.startswith("no question found") else p for p in problems]
        result.problems.extend(problems)
        if question is None:
            continue
        earlier = first_seen.get(question.id)
        if earlier is not None:
            result.problems.append(Problem(shown, doc_keys.get("id", 1), f"duplicate id {question.id!r}: already used by {earlier}"))
            continue
        first_seen[question.id] = shown
        if question.simulation and question.simulation not in simulations:
            result.problems.append(
                Problem(
                    shown,
                    doc_keys.get("simulation", 1),
                    f"unknown simulation {question.simulation!r}; known: {', '.join(sorted(simulations))}",
                )
            )
            question.simulation = None
        unknown = [c for c in question.covers if result.facts and c not in result.facts]
        if unknown:
            result.problems.append(Problem(shown, doc_keys.get("covers", 1), f"unknown fact id {', '.join(unknown)}"))
        if replacing and question.id in result.questions:
            result.replaced[question.id] = result.questions.pop(question.id).source
        result.questions[question.id] = question


def _add_notes(result: ContentSet, files: list[Path], shown_of) -> None:
    for path in files:
        shown = shown_of(path)
        note, problems, doc_keys = load_note_file(path, shown)
        result.problems.extend(problems)
        if note is None:
            continue
        missing = [q for q in note.questions if q not in result.questions]
        if missing:
            result.problems.append(
                Problem(shown, doc_keys.get("questions", 1), f"note links to unknown question id {', '.join(missing)}")
            )
            note.questions = [q for q in note.questions if q in result.questions]
        result.notes[note.id] = note


def load_bank(content_dir: Path | str | None = None, data_dir: Path | str | None = None) -> ContentSet:
    """What the app studies: ``--content DIR`` alone, or the bundled bank with the learner's folder on top."""
    from quizapp.content.sources import content_sources

    sources = content_sources(content_dir, data_dir)
    return load_content(sources.bank, user=sources.user)


def _as_warning(problem: Problem) -> Problem:
    return Problem(problem.path, problem.line, problem.message, "warning")
