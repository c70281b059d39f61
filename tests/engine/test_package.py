"""The engine package: its public entry points, and that it stays free of the application."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import simulations.monitoring as monitoring

PART_ONE = ["__init__", "baseline", "capture", "checks", "drift", "formatting", "model_quality", "profile"]


def test_public_entry_points():
    from simulations.monitoring import check_data_quality, suggest_baseline  # the exact outside contract

    assert callable(suggest_baseline) and callable(check_data_quality)
    for name in monitoring.__all__:
        assert hasattr(monitoring, name), name
    assert "Example::" in monitoring.__doc__


def test_importing_the_engine_loads_neither_textual_nor_quizapp():
    code = ("import sys, simulations.monitoring; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'quizapp')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_part_one_sources_do_not_mention_the_application():
    folder = Path(monitoring.__file__).parent
    for name in PART_ONE:
        text = (folder / f"{name}.py").read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, name
        assert "import quizapp" not in text and "from quizapp" not in text, name
    assert "# --- part 2 exports (ground truth, hooks, schedule, metrics) ---" in (folder / "__init__.py").read_text()
