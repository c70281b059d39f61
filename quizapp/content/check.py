"""`quizapp content check`: validate a content folder and summarise what it covers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from quizapp.content.bank_rules import bank_warnings, cue_stats
from quizapp.content.loader import ContentSet, load_content
from quizapp.content.sources import content_sources
from quizapp.content.model import Problem
from quizapp.terminal_text import echo, echo_json


def coverage(content: ContentSet, facts: dict) -> tuple[list[str], list[str]]:
    covered_ids = {c for q in content.questions.values() for c in q.covers}
    covered = sorted(f for f in facts if f in covered_ids)
    uncovered = sorted(f for f in facts if f not in covered_ids)
    return covered, uncovered


def run_check(path: Path | None, facts_file: Path | None, data_dir: Path | None = None,
              ) -> tuple[ContentSet, dict | None, list[str], list[str]]:
    """Load and check ``path``, or what the app studies (the bundled bank and the learner's own
    content under ``data_dir``); returns (content, facts used for coverage or None, covered, uncovered)."""
    sources = content_sources(path, data_dir)
    root = sources.bank
    content = load_content(root, facts_file, user=sources.user)
    content.problems.extend(bank_warnings(content))
    bundled = not sources.replaced  # the bundled bank must have its facts list
    applies = facts_file is not None or (Path(root) / "facts.yaml").exists() or bundled
    facts = content.facts if applies else None
    if applies and not facts:
        content.problems.append(Problem(str(facts_file or Path(root) / "facts.yaml"), 1, "the facts list is empty or missing"))
    covered, uncovered = coverage(content, facts) if facts else ([], [])
    return content, facts, covered, uncovered


def as_json(content: ContentSet, covered: list[str], uncovered: list[str]) -> dict:
    return {
        "questions": [
            {
                "id": q.id,
                "path": str(q.source),
                "title": q.title,
                "domain": q.domain,
                "tags": q.tags,
                "answer": sorted(q.answer),
                "options": q.letters,
                "simulation": q.simulation,
                "covers": q.covers,
            }
            for q in content.questions.values()
        ],
        "notes": [{"id": n.id, "path": str(n.source), "questions": n.questions} for n in content.notes.values()],
        "folders": {"bank": str(content.root), "user": str(content.user_root) if content.user_root else None},
        "replaced": {qid: str(path) for qid, path in sorted(content.replaced.items())},
        "problems": [p.to_dict() for p in content.problems],
        "facts": {"covered": covered, "uncovered": uncovered},
        "cues": cue_stats(content.questions.values()).to_dict(),
    }


def format_report(content: ContentSet, facts: dict | None, covered: list[str], uncovered: list[str]) -> str:
    lines = [str(p) for p in content.problems]
    if lines:
        lines.append("")
    qs = list(content.questions.values())
    errors = len(content.errors)
    warnings = len(content.problems) - errors
    lines.append(f"{len(qs)} questions, {len(content.notes)} notes, {errors} errors, {warnings} warnings")
    if content.user_root is not None:
        lines.append(your_content_line(content))
    by_domain = Counter(q.domain for q in qs)
    if by_domain:
        lines.append("by domain: " + ", ".join(f"{d} {n}" for d, n in sorted(by_domain.items())))
    by_tag = Counter(t for q in qs for t in q.tags)
    if by_tag:
        lines.append("by tag: " + ", ".join(f"{t} {n}" for t, n in sorted(by_tag.items(), key=lambda kv: (-kv[1], kv[0]))))
    multi = sum(q.is_multi for q in qs)
    if multi:
        lines.append(f"multi-answer questions: {multi}")
    if facts:
        lines.append(f"facts covered: {len(covered)}/{len(facts)}")
        lines.append("facts not covered: " + (", ".join(uncovered) if uncovered else "none"))
    else:
        lines.append("fact coverage: not checked (no facts list; use --facts FILE)")
    lines.extend(cue_stats(qs).report_lines())
    no_sim = [q.id for q in qs if not q.simulation]
    lines.append(f"questions without a simulation: {len(no_sim)}" + (f" ({', '.join(no_sim)})" if 0 < len(no_sim) <= 12 else ""))
    return "\n".join(lines)


def your_content_line(content: ContentSet) -> str:
    """How many questions come from the learner's folder, and which bundled ones they replace."""
    own = [q for q in content.questions.values() if q.source and content.user_root in q.source.parents]
    line = f"your content: {len(own)} question{'s' * (len(own) != 1)} from {content.user_root}"
    if content.replaced:
        line += f" (replacing bundled {', '.join(sorted(content.replaced))})"
    return line


def main(path: Path | None, facts_file: Path | None, as_json_output: bool, strict: bool = False,
         data_dir: Path | None = None) -> int:
    """Exit 1 on errors or uncovered facts; warnings (bank rules, cues, glossary) only with ``strict``."""
    content, facts, covered, uncovered = run_check(path, facts_file, data_dir)
    if as_json_output:
        echo_json(as_json(content, covered, uncovered))
    else:
        echo(format_report(content, facts, covered, uncovered))
    return 1 if content.errors or uncovered or (strict and content.problems) else 0
