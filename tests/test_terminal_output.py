"""CLI output never carries raw terminal control codes, and a closed pipe ends a command quietly."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from quizapp.terminal_text import visible
from tests.conftest import REPO

CONTROLS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A)}
# an id and a tag that set the window title, write the clipboard and clear the screen; a C1 CSI and DEL in the title
HOSTILE = (
    '---\nid: "evil\\u001b]0;pwned\\u0007\\u001b]52;c;Y2FsYw==\\u0007"\nanswer: A\ntags: ["t\\u001b[2J"]\n---\n'
    "# Title \u009b31m red \u007f\n## Question\nWhich?\n## Options\n- A) a\n- B) b\n"
)


def run(*args: str, input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=REPO, timeout=120, input=input_text)


def raw_controls(text: str) -> set[str]:
    return {ch for ch in text if ch in CONTROLS}


@given(st.text())
def test_visible_leaves_no_control_character_and_keeps_plain_text(text):
    shown = visible(text)
    assert not raw_controls(shown)
    if not raw_controls(text) and not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text):
        assert shown == text


def test_visible_convention():
    assert visible("a\x1b[2Jb\tc\nd\x9b\x7f\u202e") == "a\\x1b[2Jb\tc\nd\\x9b\\x7f\\u202e"


def test_content_check_shows_escape_codes_from_ids_tags_and_file_names(write):
    write("c/questions/evil.md", HOSTILE)
    write("c/questions/\x1b[2Jbroken.md", "---\nid: [\n---\n")
    out = run("-m", "quizapp", "content", "check", str(write("c/x.txt", "").parent))
    assert not raw_controls(out.stdout + out.stderr), repr(out.stdout)
    assert "\\x1b]0;pwned\\x07" in out.stdout and "t\\x1b[2J" in out.stdout and "\\x1b[2Jbroken.md" in out.stdout


def test_content_check_json_has_no_raw_controls_and_reads_back(write):
    write("c/questions/evil.md", HOSTILE)
    out = run("-m", "quizapp", "content", "check", str(write("c/x.txt", "").parent), "--json")
    assert not raw_controls(out.stdout), repr(out.stdout)
    data = json.loads(out.stdout)
    assert data["questions"][0]["title"] == "Title \u009b31m red \u007f"
    assert data["questions"][0]["tags"] == ["t\x1b[2J"]


def test_export_and_import_reports_show_escape_codes(write, tmp_path):
    write("bank/questions/evil.md", HOSTILE)
    write("bank/questions/\x1b]0;x\x07.md", "---\nid: [\n---\n")  # a broken file: the export warns about it
    export = run("-m", "quizapp", "export", "--format", "gift", str(tmp_path / "out.gift"), "--content", str(tmp_path / "bank"))
    assert "warning:" in export.stdout and "\\x1b]0;x\\x07.md" in export.stdout
    assert not raw_controls(export.stdout + export.stderr), repr(export.stdout)
    imported = run("-m", "quizapp", "import", str(tmp_path / "bank" / "questions"), "--out", str(tmp_path / "new"))
    assert "\\x1b" in imported.stdout
    assert not raw_controls(imported.stdout + imported.stderr), repr(imported.stdout)


def test_session_plan_problems_show_escape_codes(write):
    plan = write("\x1b]0;t\x07.yaml", "title: x\nquestions: [nope]\n")
    out = run("-m", "quizapp", "session", str(plan))
    assert out.returncode == 2 and "\\x1b]0;t\\x07.yaml:2: unknown question id nope" in out.stderr
    assert not raw_controls(out.stderr), repr(out.stderr)


def closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """Run a command whose stdout reader has gone away before it writes (like ``| head`` exiting)."""
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=120)
    return subprocess.CompletedProcess(args, proc.returncode, "", stderr)


def test_closed_pipe_ends_quizapp_commands_quietly():
    for args in (("content", "check"), ("content", "check", "--json"), ("sim", "list")):
        done = closed_pipe("-m", "quizapp", *args)
        assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, (args, done.stderr)
        assert done.returncode == 141, (args, done.returncode)


def test_closed_pipe_ends_python_m_simulations_quietly():
    for args in (("list", "--json"), ("run", "stale-baseline", "--json", "--quiet")):
        done = closed_pipe("-m", "simulations", *args)
        assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, (args, done.stderr)
        assert done.returncode == 141, (args, done.returncode)
