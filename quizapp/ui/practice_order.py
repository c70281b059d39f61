"""Practice shows each learner the options in an order of their own, stable per question.

File order is a cue (a learner remembers "it was B"), so practice shuffles options with a seed
kept for the learner: a random ``learner-seed`` file beside the progress database. The same
learner sees the same letters for a question every time (so review and retry show the letters
they answered), another learner sees another order. Explanations and reasons are re-lettered
by ``quizapp.exam.shuffle.shuffled``, as in the exam.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import secrets
import tempfile
from pathlib import Path

from quizapp.content import Question
from quizapp.exam.shuffle import shuffled

SEED_FILE = "learner-seed"
_SEED = re.compile(r"[0-9a-f]{32}")

# One arrangement of a question: (question with shown letters, shown letter -> file letter).
View = tuple[Question, dict[str, str]]


def learner_seed(data_dir: Path | None) -> str:
    """The learner's seed from ``data_dir/learner-seed``, created on first use.

    If the folder cannot be written (read-only data directory) the seed derives from the folder's
    path instead, which is just as stable for that learner."""
    if data_dir is None:
        return "quizapp"
    path = data_dir / SEED_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        if _SEED.fullmatch(text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    seed = secrets.token_hex(16)
    try:
        fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".learner-seed-")
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(seed + "\n")
        os.replace(tmp, path)  # replaces a symlink at the path, never writes through it
    except OSError:
        return hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:32]
    return seed


def practice_view(question: Question, seed: str | None) -> View:
    """``question`` as this learner sees it in practice; ``seed`` None keeps the file order."""
    if seed is None:
        return question, {o.letter: o.letter for o in question.options}
    return shuffled(question, random.Random(f"{seed}:{question.id}"))
