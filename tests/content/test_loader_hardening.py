"""Issue 11: a broken content file never stops the others, never hangs and never costs minutes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from textwrap import dedent

import pytest

from quizapp.content import load_content
from quizapp.content.files import MAX_FILE_BYTES
from tests.conftest import REPO

GOOD = dedent(
    """\
    ---
    id: good
    answer: B
    tags: [a]
    covers: [F01]
    ---
    # Good
    ## Question
    Which one?
    ## Options
    - A) one
    - B) two
    - C) three
    - D) four
    """
)
FACTS = "- {id: F01, statement: a}\n"


def folder(write, **files: str):
    write("c/facts.yaml", FACTS)
    write("c/questions/good.md", GOOD)
    for name, text in files.items():
        write("c/" + name.replace("__", "/").removesuffix("_md") + ".md", text)
    return write("c/facts.yaml", FACTS).parent


def messages(content) -> list[str]:
    return [str(p) for p in content.problems]



@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("tags", "5", "'tags' must be a list of words like [a, b], got int '5'"),
        ("covers", "1.5", "'covers' must be a list of words like [a, b], got float '1.5'"),
        ("tags", "[{a: 1}]", "'tags' must be a list of words like [a, b], got list"),
        ("id", "[x, y]", "'id' must be a word, got \"['x', 'y']\""),
        ("domain", "{a: 1}", "'domain' must be a word, got \"{'a': 1}\""),
        ("simulation", "7", "'simulation' must be a name, got '7'"),
        ("difficulty", "true", "difficulty must be a whole number from 1 to 5, got True"),
    ],
)
def test_wrong_type_in_question_front_matter_is_a_problem_with_its_line(write, key, value, message):
    text = GOOD.replace("id: good", "id: bad")
    lines = text.split("\n")
    lines = [ln for ln in lines if not ln.startswith(f"{key}:")]
    lines.insert(2, f"{key}: {value}")
    content = load_content(folder(write, questions__bad_md="\n".join(lines)))
    got = [m for m in messages(content) if "bad.md" in m]
    assert any(m.startswith("c/questions/bad.md:3: " + message) for m in got), got
    assert "good" in content.questions


def test_wrong_type_in_note_front_matter_is_a_problem(write):
    note = "---\nid: n\ntags: 5\nquestions: [good]\n---\n# Note\ntext\n"
    content = load_content(folder(write, notes__n_md=note))
    assert "c/notes/n.md:3: 'tags' must be a list of words like [a, b], got int '5'" in messages(content)
    assert content.notes["n"].questions == ["good"] and "good" in content.questions


def test_cli_and_app_survive_wrong_types(write):
    root = folder(write, questions__bad_md=GOOD.replace("id: good", "id: bad").replace("tags: [a]", "tags: 5"),
                  notes__n_md="---\ntags: 5\n---\n# N\n")
    run = subprocess.run([sys.executable, "-m", "quizapp", "content", "check", str(root)], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert "Traceback" not in run.stderr
    assert "c/questions/bad.md:4: 'tags' must be a list" in run.stdout and "c/notes/n.md:2: 'tags' must be a list" in run.stdout


async def test_app_starts_with_wrong_types_in_content(write, tmp_path):
    from quizapp.ui.launch import build_app
    from quizapp.ui.problems_screen import ProblemsScreen

    root = folder(write, questions__bad_md=GOOD.replace("id: good", "id: bad").replace("covers: [F01]", "covers: 1.5"))
    (tmp_path / "data").mkdir()
    app = build_app(root, tmp_path / "data")
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen)
            assert set(app.content.questions) == {"good", "bad"}
    finally:
        app.store.close()


def test_facts_with_a_control_character_is_a_problem(write):
    write("c/questions/good.md", GOOD)
    root = write("c/facts.yaml", FACTS + "- {id: F02, statement: \"bell \x07\"}\n").parent
    content = load_content(root)
    assert "c/facts.yaml:2: bad YAML: unacceptable character (code 0x07)" in messages(content)
    assert "good" in content.questions


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)


def test_yaml_aliases_are_refused_fast_in_front_matter_and_facts(write):
    question = "---\nid: laughs\nanswer: A\n" + BILLION_LAUGHS + "---\n## Question\nQ?\n## Options\n- A) a\n- B) b\n"
    write("c/questions/laughs.md", question)
    root = write("c/facts.yaml", FACTS + "- {id: F02, statement: &s x}\n- {id: F03, statement: *s}\n").parent
    start = time.perf_counter()
    content = load_content(root)
    assert time.perf_counter() - start < 1.0
    got = messages(content)
    assert "c/questions/laughs.md:5: bad YAML in front matter: YAML aliases (*name) are not allowed in content files" in got
    assert "c/facts.yaml:3: bad YAML: YAML aliases (*name) are not allowed in content files" in got


def test_file_over_the_size_limit_is_skipped_fast(write):
    root = folder(write)
    big = root / "questions" / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(50 * MAX_FILE_BYTES)  # a sparse 50 MB file
    start = time.perf_counter()
    content = load_content(root)
    assert time.perf_counter() - start < 1.0
    assert "c/questions/big.md:1: file is larger than 1 MB (50,000,000 bytes); skipped" in messages(content)
    assert "good" in content.questions


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_and_symlink_loop_are_skipped_without_blocking(write):
    root = folder(write)
    os.mkfifo(root / "questions" / "x.md")
    os.symlink(root / "questions" / "loop.md", root / "questions" / "loop.md")
    run = subprocess.run([sys.executable, "-m", "quizapp", "content", "check", str(root)],
                         capture_output=True, text=True, cwd=REPO, timeout=20)  # a blocked open() fails here
    assert "c/questions/x.md:1: not a regular file (FIFO, device or folder); skipped" in run.stdout
    assert "c/questions/loop.md:1: cannot read file: Too many levels of symbolic links" in run.stdout
    assert "1 questions" in run.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_facts_file_is_a_problem(write):
    write("c/questions/good.md", GOOD)
    root = (write("c/questions/good.md", GOOD)).parent.parent
    os.mkfifo(root / "facts.yaml")
    run = subprocess.run([sys.executable, "-m", "quizapp", "content", "check", str(root)], capture_output=True, text=True, cwd=REPO, timeout=20)
    assert "c/facts.yaml:1: facts file: not a regular file (FIFO, device or folder); skipped" in run.stdout
