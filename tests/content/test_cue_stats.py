"""Cue statistics in `content check`: key letter balance, longest-option share, options per question."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from quizapp.content.bank_rules import MIN_QUESTIONS, cue_stats, key_is_longest
from quizapp.content.model import Option, Question
from tests.conftest import REPO

# Lead: the bundled bank meets the cue limits only once the rewritten bank (issue 13, the three
# content writers' branches) is merged. Then set this to True (or run with QUIZAPP_ENFORCE_BANK_CUES=1).


def question(key: str, lengths=(10, 10, 10, 10), qid: str = "q") -> Question:
    options = [Option(letter, "x" * n) for letter, n in zip("ABCDE", lengths)]
    return Question(id=qid, title=qid, stem="?", options=options, answer=frozenset(key.split(",")))


def test_key_is_longest_only_when_strictly_longest():
    assert key_is_longest(question("B", (10, 30, 10, 10)))
    assert not key_is_longest(question("B", (10, 30, 30, 10)))  # a tie is no cue
    assert not key_is_longest(question("A", (10, 30, 10, 10)))
    assert key_is_longest(question("A,C", (10, 10, 30, 10, 10)))


def test_stats_count_keys_longest_and_option_counts():
    qs = [question("A", (20, 10, 10, 10)), question("A"), question("C"), question("B,D", (1, 2, 3, 4, 5))]
    stats = cue_stats(qs)
    assert dict(stats.single_keys) == {"A": 2, "C": 1}
    assert stats.key_share("A") == pytest.approx(2 / 3)
    assert stats.longest_key == 1
    assert dict(stats.options_per_question) == {4: 3, 5: 1}


QUESTION = """---
id: {id}
answer: {key}
covers: [F01]
---
# T
## Question
Which one?
## Options
- A) {a}
- B) {b}
- C) {c}
- D) {d}
## Why not the others
- A) reason a
- B) reason b
- C) reason c
- D) reason d
"""


def bank(write, keys: str, longest: bool = False):
    write("c/facts.yaml", "- {id: F01, statement: a}\n")
    for i, key in enumerate(keys):
        texts = {letter: "same length" for letter in "abcd"}
        if longest:
            texts[key.lower()] = "a much longer correct option"
        write(f"c/questions/q{i:02}.md", QUESTION.format(id=f"q{i:02}", key=key, **texts))
    return write("c/facts.yaml", "- {id: F01, statement: a}\n").parent


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quizapp", "content", "check", *args], capture_output=True, text=True, cwd=REPO, timeout=60)


def test_unbalanced_bank_warns_but_exits_0_and_strict_exits_1(write):
    root = bank(write, "A" * 14 + "BCD" * 2, longest=True)
    run = check(str(root))
    assert run.returncode == 0, run.stdout
    assert "c/questions:0: warning: letter A keys 70% of single-answer questions (14 of 20); keep each letter within 20%-30%" in run.stdout
    assert "c/questions:0: warning: letter B keys 10% of single-answer questions (2 of 20)" in run.stdout
    assert "c/questions:0: warning: the key is the longest option in 100% of questions (20 of 20); keep it at most 30%" in run.stdout
    assert "single-answer keys: A 14 (70%), B 2 (10%), C 2 (10%), D 2 (10%) (limit 20%-30% each)" in run.stdout
    assert "options per question: 4: 20" in run.stdout
    assert check(str(root), "--strict").returncode == 1


def test_balanced_bank_has_no_cue_warnings(write):
    root = bank(write, "ABCD" * 5)
    run = check(str(root), "--strict")
    assert run.returncode == 0, run.stdout
    assert "warning:" not in run.stdout
    data = json.loads(check(str(root), "--json").stdout)
    assert data["cues"] == {"single_answer_keys": {"A": 5, "B": 5, "C": 5, "D": 5}, "key_is_longest": 0, "questions": 20,
                            "options_per_question": {"4": 20}, "checked": True}


def test_small_bank_is_not_judged(write):
    root = bank(write, "A" * (MIN_QUESTIONS - 1))
    run = check(str(root))
    assert "letter A keys" not in run.stdout
    assert f"cue limits: not checked (fewer than {MIN_QUESTIONS} questions)" in run.stdout


def test_bundled_bank_meets_the_cue_limits_and_option_counts():
    data = json.loads(check("--json").stdout)
    cue_rules = ("keys", "longest option", "options, this one has")
    assert [p for p in data["problems"] if any(rule in p["message"] for rule in cue_rules)] == []
    assert data["cues"]["checked"]
