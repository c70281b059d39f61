"""The learner's own content as the CLI shows it: `import` writes under the data dir (never into
the installed bank), `content check` and `content path` report both folders, `session` finds
plans by name. Every command runs as a subprocess from a folder that is not the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

BUNDLED_COUNT = len(list((REPO / "content" / "questions").glob("*.md")))
AIKEN = "Which job profiles the training data?\nA) the baseline job\nB) the monitoring job\nANSWER: A\n"


@pytest.fixture
def quizapp(tmp_path):
    data = tmp_path / "data"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "quizapp", *args, "--data-dir", str(data)], capture_output=True, text=True,
                              cwd=elsewhere, timeout=60, stdin=subprocess.DEVNULL)

    run.data = data
    return run


def test_import_writes_into_own_content_and_the_bank_grows(quizapp, write):
    before = {p.name for p in (REPO / "content" / "questions").iterdir()}
    source = write("in/lms.txt", AIKEN)
    result = quizapp("import", str(source))
    assert result.returncode == 0, result.stdout + result.stderr
    written = list((quizapp.data / "content" / "questions").glob("*.md"))
    assert len(written) == 1 and f"into {quizapp.data / 'content' / 'questions'}" in result.stdout
    assert {p.name for p in (REPO / "content" / "questions").iterdir()} == before  # the bundled bank is untouched
    check = quizapp("content", "check")
    assert check.returncode == 0, check.stdout
    assert f"{BUNDLED_COUNT + 1} questions" in check.stdout
    assert f"your content: 1 question from {quizapp.data / 'content'}" in check.stdout


def test_import_refuses_a_bundled_id_and_suffixes_a_derived_one(quizapp, write):
    given = write("in/given.md", "---\nid: stale-baseline-after-retraining\nanswer: A\n---\n# T\n## Question\nWhich?\n"
                                 "## Options\n- A) a\n- B) b\n## Why not the others\n- B) no\n")
    result = quizapp("import", str(given))
    assert result.returncode == 1
    assert "already used by the bundled question" in result.stdout
    assert not (quizapp.data / "content" / "questions").exists()


def test_content_path_names_both_folders(quizapp):
    text = quizapp("content", "path")
    assert text.returncode == 0, text.stderr
    assert "bundled bank" in text.stdout and str(REPO / "content") in text.stdout
    assert str(quizapp.data / "content") in text.stdout and "not created yet" in text.stdout
    info = json.loads(quizapp("content", "path", "--json").stdout)
    assert info["bank"]["questions"] == BUNDLED_COUNT and info["bank"]["source"] == "bundled"
    assert info["user"] == {"path": str(quizapp.data / "content"), "exists": False, "questions": 0, "notes": 0,
                            "session_plans": 0}


def test_content_path_with_content_dir_says_it_replaces_the_bank(quizapp, tmp_path):
    result = quizapp("content", "path", "--content", str(tmp_path / "nowhere"))
    assert result.returncode == 0
    assert "does not exist; given with --content, it replaces the bundled bank and your content" in result.stdout
    assert not any(line.startswith("your content") for line in result.stdout.splitlines())


def test_session_plan_by_name_checks_without_starting(quizapp):
    result = quizapp("session", "scenarios", "--check")
    assert result.returncode == 0, result.stderr
    assert "scenarios.yaml: Monitoring scenarios" in result.stdout and " questions, " in result.stdout


def test_an_unknown_plan_lists_the_plans_there_are(quizapp, write):
    write("data/content/sessions/my-week.yaml", "title: My week\nquestions: [stale-baseline-after-retraining]\n")
    result = quizapp("session", "no-such-plan")
    assert result.returncode == 2
    assert "no session plan 'no-such-plan'" in result.stderr
    for name in ("scenarios", "data-capture-drill", "my-week"):
        assert name in result.stderr
    mine = quizapp("session", "my-week", "--check")
    assert mine.returncode == 0 and "My week: 1 questions" in mine.stdout


def test_edit_copies_a_bundled_question_into_own_content_and_checks_the_edit(quizapp, tmp_path):
    bundled = REPO / "content" / "questions" / "stale-baseline-after-retraining.md"
    before = bundled.read_bytes()
    first = quizapp("content", "edit", "stale-baseline-after-retraining")
    copy = quizapp.data / "content" / "questions" / "stale-baseline-after-retraining.md"
    assert first.returncode == 0 and str(copy) in first.stdout and "copied the bundled question" in first.stdout
    assert copy.read_bytes() == before
    editor = tmp_path / "editor.py"
    editor.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('## Question\\n', '## Question\\nMY WORDING. ', 1))\n")
    edited = subprocess.run([sys.executable, "-m", "quizapp", "content", "edit", "stale-baseline-after-retraining",
                             "--data-dir", str(quizapp.data)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert edited.returncode == 0, edited.stderr
    assert "already in your own content" in edited.stdout and "checked: stale-baseline-after-retraining loads" in edited.stdout
    assert bundled.read_bytes() == before  # the bundled bank is never written
    from quizapp.content.loader import load_bank

    assert load_bank(data_dir=quizapp.data).questions["stale-baseline-after-retraining"].stem.startswith("MY WORDING.")
    broken = subprocess.run([sys.executable, "-m", "quizapp", "content", "edit", "stale-baseline-after-retraining",
                             "--data-dir", str(quizapp.data)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "EDITOR": f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write('---\\nid: [\\n')\"",
                                 "VISUAL": ""})
    assert broken.returncode == 1 and "does not load" in broken.stdout and f"{copy}:" in broken.stdout


def test_edit_of_an_unknown_id_suggests_close_ones(quizapp):
    result = quizapp("content", "edit", "stale-baseline-after-retrain")
    assert result.returncode == 2
    assert "no question 'stale-baseline-after-retrain'; did you mean stale-baseline-after-retraining?" in result.stderr
