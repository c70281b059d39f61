"""`quizapp content check` as a user runs it: a subprocess, its output and exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from textwrap import dedent

from tests.conftest import REPO

QUESTION = dedent(
    """\
    ---
    id: {id}
    answer: A
    covers: [{covers}]
    ---
    # T
    ## Question
    Which one?
    ## Options
    - A) this
    - B) that
    - C) the other
    - D) none
    ## Why not the others
    - B) no
    - C) no either
    - D) none is wrong
    """
)


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "content", "check", *args], capture_output=True, text=True, cwd=REPO, timeout=60
    )


def folder(write, facts: str, **questions: str):
    write("c/facts.yaml", facts)
    for qid, covers in questions.items():
        write(f"c/questions/{qid}.md", QUESTION.format(id=qid, covers=covers))
    return write("c/facts.yaml", facts).parent


def test_all_facts_covered_exits_0_with_summary(write):
    root = folder(write, "- {id: F01, statement: a}\n- {id: F02, statement: b}\n", one="F01", two="F02")
    run = check(str(root))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 questions, 0 notes, 0 errors, 0 warnings" in run.stdout
    assert "facts covered: 2/2" in run.stdout and "facts not covered: none" in run.stdout
    assert "questions without a simulation: 2 (one, two)" in run.stdout


def test_uncovered_fact_exits_1_and_names_it(write):
    root = folder(write, "- {id: F01, statement: a}\n- {id: F02, statement: b}\n- {id: F03, statement: c}\n", one="F01")
    run = check(str(root))
    assert run.returncode == 1
    assert "facts not covered: F02, F03" in run.stdout


def test_error_exits_1_and_prints_path_line(write):
    root = folder(write, "- {id: F01, statement: a}\n", one="F01")
    write("c/questions/broken.md", "---\nid: broken\nanswer: Z\n---\n## Question\nQ?\n## Options\n- A) a\n- B) b\n")
    run = check(str(root))
    assert run.returncode == 1
    assert "c/questions/broken.md:3: answer Z is not among the options A, B" in run.stdout


def test_json_output_shape(write):
    root = folder(write, "- {id: F01, statement: a}\n- {id: F02, statement: b}\n", one="F01")
    run = check(str(root), "--json")
    data = json.loads(run.stdout)
    assert run.returncode == 1
    assert data["facts"] == {"covered": ["F01"], "uncovered": ["F02"]}
    (q,) = data["questions"]
    assert {k: q[k] for k in ("id", "answer", "options", "simulation", "covers")} == {
        "id": "one", "answer": ["A"], "options": ["A", "B", "C", "D"], "simulation": None, "covers": ["F01"],
    }
    assert q["path"].endswith("one.md")
    assert data["problems"] == []


def test_foreign_notes_folder_reports_questions_without_coverage(write):
    write("notes/a.txt", "---\ntitle: note-a\n---\n# A\n## 관련 문제\n**Question:** Why?\n\n**Options:**\n\n- A) x\n- B) y\n\n**정답: B) y**\n")
    run = check(str(write("notes/b.md", "# just a note\n").parent))
    assert run.returncode == 0, run.stdout
    assert "1 questions" in run.stdout and "warning: no question found" in run.stdout
    assert "fact coverage: not checked" in run.stdout


def test_facts_option_applies_coverage_to_any_folder(write):
    write("notes/a.txt", "---\ntitle: note-a\n---\n# A\n## 관련 문제\n**Question:** Why?\n\n**Options:**\n\n- A) x\n- B) y\n\n**정답: B) y**\n")
    facts = write("facts.yaml", "- {id: F01, statement: a}\n")
    run = check(str(facts.parent / "notes"), "--facts", str(facts))
    assert run.returncode == 1 and "facts not covered: F01" in run.stdout


def test_bundled_bank_covers_every_fact():
    run = check("--json")
    data = json.loads(run.stdout)
    assert [p for p in data["problems"] if p["severity"] == "error"] == []
    assert data["facts"]["uncovered"] == []
    covered = set(data["facts"]["covered"])
    assert {f"F{i:02d}" for i in range(1, 44)} <= covered  # every seed fact (shared FACTS.md F01-F43)
    assert len(covered) >= 60  # plus facts for the exam domain's other topics (issue 13)
    assert len(data["questions"]) >= 130
    assert run.returncode == 0
    strict = check("--strict")  # the bank meets the cue limits, the glossary and four options per single answer
    assert strict.returncode == 0, strict.stdout[-2000:]


def test_help_lists_every_command_and_version_prints():
    run = subprocess.run([sys.executable, "-m", "quizapp", "--help"], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert run.returncode == 0
    for command in ("run", "content", "sim", "exam", "session", "join", "import", "export"):
        assert f"    {command} " in run.stdout
    version = subprocess.run([sys.executable, "-m", "quizapp", "--version"], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert version.stdout.startswith("quizapp ")


def test_option_count_rule_warns_with_path_line_but_exits_0(write):
    root = folder(write, "- {id: F01, statement: a}\n- {id: F02, statement: b}\n", one="F01", two="F02")
    write("c/questions/two.md", QUESTION.format(id="two", covers="F02").replace("- D) none\n", "- D) none\n- E) more\n"))
    write("c/questions/pair.md", QUESTION.format(id="pair", covers="F01").replace("answer: A", "answer: [A, B]"))
    run = check(str(root))
    assert run.returncode == 0, run.stdout
    assert "c/questions/two.md:8: warning: single-answer questions have 4 options, this one has 5" in run.stdout
    assert "c/questions/pair.md:8: warning: choose-two questions have 5 options, this one has 4" in run.stdout
    assert "c/questions/one.md" not in run.stdout


def test_wrong_option_without_a_reason_is_a_warning(write):
    root = folder(write, "- {id: F01, statement: a}\n", one="F01")
    write("c/questions/one.md", QUESTION.format(id="one", covers="F01").replace("- C) no either\n", ""))
    run = check(str(root))
    assert run.returncode == 0
    assert "c/questions/one.md:8: warning: no reason for wrong option C under '## Why not the others'" in run.stdout
