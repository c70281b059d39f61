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


async def settle(app, pilot) -> None:
    """Wait until every worker of ``app`` has finished (including workers started by the ones
    that finished) and the messages they posted are handled: waiting on the event, not the clock."""
    from textual.worker import WorkerState

    while True:
        active = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not active:
            break
        for worker in active:
            try:
                await worker.wait()
            except Exception:  # a failed or cancelled worker has still finished
                pass
        await pilot.pause()
    await pilot.pause()


async def wait_until(predicate, pilot, timeout: float = 30.0) -> bool:
    """For events outside workers (sockets): re-check after each message-loop turn until
    ``predicate()`` holds. The timeout only guards against a hang; it is not the expected wait."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.01)
    return True
