"""The learner's settings, kept as ``settings.json`` next to ``progress.db`` in the data folder.

Theme, explanation language and the daily limits for new questions and reviews. A missing or
broken file gives the defaults (a broken value is ignored, the rest is kept); saving writes a
temporary file and renames it, so a crash never leaves half a file. Nothing here imports Textual.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

FILE_NAME = "settings.json"
LANGUAGES = ("en", "ko")
MAX_LIMIT = 9999


@dataclass(frozen=True)
class Settings:
    theme: str = "textual-dark"
    language: str = "en"  # the explanation language practice opens with
    new_per_day: int = 20  # new questions introduced per day
    reviews_per_day: int = 200  # due reviews per day

    def with_changes(self, **changes) -> Settings:
        """A copy with ``changes`` applied; raises ValueError naming a bad value."""
        return _checked(replace(self, **changes))


def _checked(settings: Settings) -> Settings:
    if not isinstance(settings.theme, str) or not settings.theme:
        raise ValueError(f"theme must be a theme name, not {settings.theme!r}")
    if settings.language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {settings.language!r}")
    for name in ("new_per_day", "reviews_per_day"):
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LIMIT:
            raise ValueError(f"{name} must be a whole number from 0 to {MAX_LIMIT}, not {value!r}")
    return settings


def settings_path(data_dir: Path | str | None = None) -> Path:
    from quizapp.data_dir import resolve_data_dir

    return resolve_data_dir(data_dir) / FILE_NAME


def load_settings(path: Path) -> Settings:
    """The settings in ``path``; defaults for anything missing, unreadable or invalid."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    settings = Settings()
    for field in fields(Settings):
        if field.name in data:
            try:
                settings = settings.with_changes(**{field.name: data[field.name]})
            except (ValueError, TypeError):
                continue
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    """Write ``settings`` to ``path`` atomically (raises OSError when the folder cannot be written)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(asdict(_checked(settings)), indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
