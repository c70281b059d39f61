"""`quizapp content edit ID`: change a question for yourself, never in the installed package.

A bundled question is first copied into your own content folder (``<data dir>/content/
questions/``), where the app reads it on top of the bundled bank, so your copy replaces the
bundled one; deleting the copy brings the bundled question back. The file opens in
``$VISUAL``/``$EDITOR`` if one is set (otherwise its path is printed), and is checked after.
"""

from __future__ import annotations

import difflib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from quizapp.content.quick_ids import quick_question_files
from quizapp.content.sources import bundled_content, user_content
from quizapp.terminal_text import echo


def _editor() -> list[str] | None:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    return shlex.split(command) if command and command.strip() else None


def own_copy(qid: str, mine: dict[str, Path], bundled: dict[str, Path], folder: Path) -> tuple[Path, str] | None:
    """(the learner's file for ``qid``, what happened), copying the bundled file into ``folder`` first
    if needed; ``mine`` and ``bundled``: id -> file of the learner's questions and of the bundled bank."""
    if qid in mine:
        return mine[qid], "already in your own content"
    if qid not in bundled:
        return None
    dest = folder / bundled[qid].name
    if dest.exists():  # a file of that name that holds another id: never overwrite it
        dest = dest.with_name(f"{qid}.edited.md")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled[qid], dest)
    return dest, "copied the bundled question here; your copy replaces it (delete the file to get the bundled one back)"


def main(qid: str, data_dir: Path | None) -> int:
    folder = user_content(data_dir) / "questions"
    mine, bundled = quick_question_files(folder), quick_question_files(bundled_content())
    found = own_copy(qid, mine, bundled, folder)
    if found is None:
        close = difflib.get_close_matches(qid, list(dict.fromkeys([*bundled, *mine])), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `quizapp content check --json` lists the ids"
        echo(f"quizapp content edit: error: no question {qid!r}{hint}", file=sys.stderr)
        return 2
    path, what = found
    echo(f"{path}\n  {what}")
    editor = _editor()
    if editor is None:
        echo("  set $EDITOR to open it from here; `quizapp content check` checks it after an edit")
        return 0
    try:
        subprocess.run([*editor, str(path)], check=False)
    except OSError as exc:
        echo(f"quizapp content edit: error: cannot start the editor {editor[0]!r}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return _check_file(path)


def _check_file(path: Path) -> int:
    """Load the edited file alone and say what is wrong with it, if anything."""
    from quizapp.content.loader import load_question_file

    question, problems, _ = load_question_file(path, str(path))
    for problem in problems:
        echo(f"  {problem}")
    if question is None:
        echo("  the file does not load as it is: the app skips it (a bundled question of that id stays) until it does")
        return 1
    if any(p.severity == "error" for p in problems):
        echo(f"  {question.id} loads, with the problems above")
        return 1
    echo(f"  checked: {question.id} loads ({len(question.options)} options, answer {', '.join(sorted(question.answer))})")
    return 0
