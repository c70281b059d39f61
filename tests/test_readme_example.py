"""The README's "use the engine from Python" example runs and prints what it promises."""

from __future__ import annotations

import contextlib
import io
import re

from tests.conftest import REPO


def test_readme_engine_example_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use the engine from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README's example
    printed = out.getvalue().strip()
    assert re.fullmatch(r"age - Baseline drift distance: 0\.\d+ exceeds threshold: 0\.1", printed), printed
