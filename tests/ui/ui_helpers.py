"""Helpers shared by the UI tests (a module of its own: ``conftest`` names clash across folders)."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from rich.console import Console

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def screen_text(app) -> str:
    """Plain text of what the terminal shows (textual-notes §2)."""
    w, h = app.size
    console = Console(width=w, height=h, file=io.StringIO(), force_terminal=True, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()
