"""Rules for the bundled question bank that `quizapp content check` enforces as warnings.

These are authoring rules (issue 13), not parsing rules: an imported quiz with two options is a
valid question, so the loader stays quiet and only `content check` names what a bank question
should change. Each rule returns ``Problem`` warnings with the file and line to edit.
"""

from __future__ import annotations

from collections.abc import Iterable

from quizapp.content.glossary import load_glossary, variant_warnings
from quizapp.content.loader import ContentSet, display_path, read_text
from quizapp.content.model import Problem, Question

# answers wanted -> options wanted: single-answer A-D, choose-two A-E
OPTIONS_FOR_ANSWERS = {1: 4, 2: 5}


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


def bank_warnings(content: ContentSet) -> list[Problem]:
    """Every bank rule's problems: option counts, glossary."""
    return option_count_warnings(content) + glossary_problems(content)
