"""Where the content comes from: the bank bundled with the package, the learner's own folder,
or a folder given with ``--content``.

The bundled bank (questions, notes, facts, glossary, session plans) is the project's
``content/`` folder, installed as the package ``quizapp_content`` (pyproject maps one onto
the other), so it is found with ``importlib.resources`` wherever quizapp is installed and
whatever the working directory. A learner's own questions, notes and plans (``quizapp
import`` writes there) live in ``<data dir>/content`` and are read on top of the bundled bank:
a question with a bundled question's id replaces it. ``--content DIR`` replaces both.

Light: imports only the standard library (the app's first screen depends on it).
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path

from quizapp.data_dir import resolve_data_dir

BUNDLED_PACKAGE = "quizapp_content"
USER_FOLDER = "content"  # under the data dir
PLAN_SUFFIXES = (".yaml", ".yml")


class ContentNotFound(RuntimeError):
    """The bundled bank is not where the installed package says it is."""


def bundled_content() -> Path:
    """The folder of the bundled bank, found through the installed ``quizapp_content`` package."""
    try:
        folder = importlib.resources.files(BUNDLED_PACKAGE)
    except ModuleNotFoundError:
        raise ContentNotFound(
            f"the bundled questions (package {BUNDLED_PACKAGE!r}) are not installed; reinstall quizapp "
            "(pip install .) or give a content folder with --content DIR"
        ) from None
    if not isinstance(folder, Path):  # e.g. installed as a zip: the loader needs real files
        raise ContentNotFound(f"the bundled questions are in {folder}, which is not a folder on disk; "
                              "install quizapp unzipped or give --content DIR")
    return folder


def user_content(data_dir: Path | str | None = None) -> Path:
    """The learner's own content folder: ``<data dir>/content`` (it may not exist yet)."""
    return resolve_data_dir(data_dir) / USER_FOLDER


@dataclass(frozen=True)
class ContentSources:
    """The folders the app reads, in order: ``bank`` first, then ``user`` on top of it."""

    bank: Path
    user: Path | None  # None when --content replaced the bank
    replaced: bool = False  # True: ``bank`` is a folder given with --content

    @property
    def folders(self) -> list[Path]:
        """The folders that exist, bank first (a missing bank is kept so its absence is reported)."""
        return [self.bank] + ([self.user] if self.user is not None and self.user.is_dir() else [])

    def plan_folders(self) -> list[Path]:
        """Session plan folders, the learner's first (their plan of the same name wins)."""
        return [folder / "sessions" for folder in reversed(self.folders) if (folder / "sessions").is_dir()]


def content_sources(content_dir: Path | str | None = None, data_dir: Path | str | None = None) -> ContentSources:
    """``--content DIR`` alone, or the bundled bank plus the learner's folder under ``data_dir``."""
    if content_dir is not None:
        return ContentSources(Path(content_dir), None, replaced=True)
    return ContentSources(bundled_content(), user_content(data_dir))


def session_plans(sources: ContentSources) -> dict[str, Path]:
    """Plan name (file stem) -> file, over every plan folder; the learner's plan wins a name."""
    plans: dict[str, Path] = {}
    for folder in sources.plan_folders():
        for path in sorted(folder.iterdir()):
            if path.suffix in PLAN_SUFFIXES and not path.name.startswith("."):
                plans.setdefault(path.stem, path)
    return dict(sorted(plans.items()))


def find_plan(plan: str | Path, sources: ContentSources) -> Path | None:
    """A plan given as a file path, or by name (``scenarios``) from the plan folders; None if neither."""
    path = Path(plan)
    if path.is_file():
        return path
    if len(path.parts) != 1:  # a path that is not there: never swap in a plan of the same name
        return None
    return session_plans(sources).get(path.stem if path.suffix in PLAN_SUFFIXES else path.name)
