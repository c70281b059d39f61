"""Where the learner's files live (progress.db, settings.json). Light: imports nothing heavy."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "QUIZAPP_DATA_DIR"
APP_NAME = "quizapp"


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """The data folder: ``data_dir`` > ``$QUIZAPP_DATA_DIR`` > the platform's user data dir."""
    if data_dir is not None and str(data_dir) != "":
        return Path(data_dir).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
