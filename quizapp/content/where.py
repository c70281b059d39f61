"""`quizapp content path`: where each part of what the app studies comes from.

Counts files, parses nothing: it answers at once even for a broken bank.
"""

from __future__ import annotations

import sys
from pathlib import Path

from quizapp.content.files import content_files
from quizapp.content.sources import ContentNotFound, ContentSources, content_sources, session_plans
from quizapp.data_dir import resolve_data_dir
from quizapp.terminal_text import echo, echo_json


def folder_counts(folder: Path) -> dict[str, int]:
    """Question, note and session plan files in a content folder (0 for what is not there)."""
    def count(sub: str) -> int:
        return len(content_files(folder / sub)) if (folder / sub).is_dir() else 0

    plans = len(session_plans(ContentSources(folder, None))) if folder.is_dir() else 0
    return {"questions": count("questions"), "notes": count("notes"), "session_plans": plans}


def describe(sources: ContentSources, data_dir: Path) -> dict:
    bank = {"path": str(sources.bank), "exists": sources.bank.is_dir(), **folder_counts(sources.bank),
            "source": "--content" if sources.replaced else "bundled"}
    user = None
    if sources.user is not None:
        user = {"path": str(sources.user), "exists": sources.user.is_dir(), **folder_counts(sources.user)}
    return {"bank": bank, "user": user, "data_dir": str(data_dir)}


def _counts_text(entry: dict) -> str:
    q, n, p = entry["questions"], entry["notes"], entry["session_plans"]
    return f"{q} question{'s' * (q != 1)}, {n} note{'s' * (n != 1)}, {p} session plan{'s' * (p != 1)}"


def format_where(info: dict) -> str:
    bank, user = info["bank"], info["user"]
    rows = []
    if bank["source"] == "--content":
        state = _counts_text(bank) if bank["exists"] else "does not exist"
        rows.append(("content", bank["path"], f"{state}; given with --content, it replaces the bundled bank and your content"))
    else:
        rows.append(("bundled bank", bank["path"], _counts_text(bank) if bank["exists"] else "missing: reinstall quizapp"))
    if user is not None:
        state = _counts_text(user) if user["exists"] else "not created yet"
        rows.append(("your content", user["path"],
                     f"{state}; `quizapp import FILE` writes here, read on top of the bundled bank "
                     "(a question with a bundled question's id replaces it)"))
    rows.append(("progress", info["data_dir"], "progress.db, settings.json"))
    width = max(len(label) for label, _, _ in rows)
    return "\n".join(f"{label:<{width}}  {path}\n{'':<{width}}  {note}" for label, path, note in rows)


def main(content_dir: Path | None, data_dir: Path | None, as_json: bool) -> int:
    try:
        sources = content_sources(content_dir, data_dir)
    except ContentNotFound as exc:
        echo(f"quizapp content path: error: {exc}", file=sys.stderr)
        return 1
    info = describe(sources, resolve_data_dir(data_dir))
    if as_json:
        echo_json(info)
    else:
        echo(format_where(info))
    return 0
