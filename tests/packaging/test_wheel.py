"""Install anywhere: build the wheel, install it into a fresh virtual environment, and run it
from a folder that is not the checkout. Nothing here imports the checkout's quizapp: every
check runs the installed console script or the installed package in a subprocess.

Slow (about 20 s: sdist and wheel builds and a venv install, dependencies from the package index or
pip's cache); the tests share one installation, so they run on one xdist worker (loadgroup).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

SOURCES = ("pyproject.toml", "README.md", "quizapp", "simulations", "content")
BIN = "Scripts" if os.name == "nt" else "bin"


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _clean_env(data_dir: Path) -> dict[str, str]:
    """The environment without anything that points back at the checkout or its venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["QUIZAPP_DATA_DIR"] = str(data_dir)
    env["NO_COLOR"] = "1"
    return env


class Installed:
    def __init__(self, wheel: Path, venv: Path, elsewhere: Path, data_dir: Path, sdist: Path):
        self.wheel, self.venv, self.elsewhere, self.data_dir, self.sdist = wheel, venv, elsewhere, data_dir, sdist
        self.env = _clean_env(data_dir)

    def quizapp(self, *args: str) -> subprocess.CompletedProcess:
        return _run([str(self.venv / BIN / "quizapp"), *args], self.elsewhere, self.env)

    def python(self, script: str) -> subprocess.CompletedProcess:
        path = self.elsewhere / "script.py"
        path.write_text(textwrap.dedent(script), encoding="utf-8")
        return _run([str(self.venv / BIN / "python"), str(path)], self.elsewhere, self.env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """The sdist built from a copy of the sources, the wheel built from that sdist (what pip and
    pipx get from an index), installed with its dependencies into a new venv."""
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "src"
    tree.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".*")
    for name in SOURCES:
        source = REPO / name
        shutil.copytree(source, tree / name, ignore=skip) if source.is_dir() else shutil.copy2(source, tree / name)
    env = _clean_env(work / "data")
    built = _run([sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(tree)], work, env)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("quizapp-*.whl")
    (sdist,) = (work / "dist").glob("quizapp-*.tar.gz")
    venv = work / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], work, env)
    assert made.returncode == 0, made.stderr
    got = _run([str(venv / BIN / "python"), "-m", "pip", "install", "--quiet", str(wheel)], work, env, timeout=600)
    assert got.returncode == 0, got.stdout + got.stderr
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return Installed(wheel, venv, elsewhere, work / "data", sdist)


def _tree_files() -> set[str]:
    """What the wheel must hold, as paths inside it (content/ is installed as quizapp_content/)."""
    wanted = {str(p.relative_to(REPO)) for top in ("quizapp", "simulations") for p in (REPO / top).rglob("*")
              if p.suffix in (".py", ".tcss") and "__pycache__" not in p.parts}
    content = REPO / "content"
    wanted |= {"quizapp_content/" + str(p.relative_to(content)) for p in content.rglob("*")
               if p.suffix in (".md", ".yaml", ".py") and "__pycache__" not in p.parts}
    return wanted


def test_the_wheel_holds_every_module_and_every_content_file(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    missing = sorted(_tree_files() - names)
    assert not missing, f"left out of the wheel: {missing[:10]}"
    assert any(n.startswith("quizapp_content/questions/") for n in names)


def test_the_sdist_holds_the_content_folder(installed):
    with tarfile.open(installed.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    wanted = {str(p.relative_to(REPO)) for p in (REPO / "content").rglob("*") if p.suffix in (".md", ".yaml")}
    assert wanted and not sorted(wanted - names)


def test_content_check_from_another_folder_finds_the_whole_bank(installed):
    expected = len(list((REPO / "content" / "questions").glob("*.md")))
    assert expected >= 100
    result = installed.quizapp("content", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{expected} questions" in result.stdout and ", 0 errors" in result.stdout


def test_content_path_points_inside_the_installed_package(installed):
    result = installed.quizapp("content", "path", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    bank = Path(info["bank"]["path"])
    assert bank.is_relative_to(installed.venv) and bank.name == "quizapp_content"
    assert info["bank"]["questions"] == len(list((REPO / "content" / "questions").glob("*.md")))
    assert info["bank"]["session_plans"] == len(list((REPO / "content" / "sessions").glob("*.yaml")))
    assert Path(info["user"]["path"]) == installed.data_dir / "content"


def test_a_simulation_runs_from_the_installed_package(installed):
    result = installed.quizapp("sim", "run", "sales-drift", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["name"] == "sales-drift"
    assert sum(o["works"] for o in data["outcomes"]) >= 1 and all(o["criteria"] for o in data["outcomes"])


def test_a_bundled_session_plan_is_found_by_name(installed):
    helped = installed.quizapp("session", "scenarios", "--help")
    assert helped.returncode == 0, helped.stderr
    assert "bundled plans:" in helped.stdout and "scenarios" in helped.stdout and "data-capture-drill" in helped.stdout
    checked = installed.quizapp("session", "scenarios", "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "quizapp_content" in checked.stdout and "questions" in checked.stdout


def test_the_app_starts_headless_with_the_full_bank(installed):
    """The installed app, started through the launch path (Home first, then the loader worker)."""
    result = installed.python(
        """
        import asyncio, quizapp
        from quizapp.ui.launch import build_app

        async def main():
            app = build_app(lazy=True)
            async with app.run_test(size=(100, 32)) as pilot:
                for _ in range(600):
                    if app.data_ready:
                        break
                    await asyncio.sleep(0.05)
                await pilot.pause()
                print("module", quizapp.__file__)
                print("answered", app.screen.query_one("#count-answered").content)
            app.close_progress()

        asyncio.run(main())
        """
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    expected = len(list((REPO / "content" / "questions").glob("*.md")))
    assert Path(lines["module"]).is_relative_to(installed.venv)
    assert lines["answered"] == f"0/{expected}"  # answered / questions in the bank
