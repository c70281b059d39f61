"""`quizapp stats [--json]`: the Statistics screen's figures for the shell, from the real store."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from quizapp.content import load_content
from quizapp.progress import open_store
from tests.conftest import REPO

CONTENT = load_content()


def answered(data_dir) -> list[str]:
    """Three answers to two questions, one wrong; returns the question ids."""
    ids = sorted(CONTENT.questions)[:2]
    now = datetime.now(timezone.utc)
    store = open_store(data_dir, tz=timezone.utc)
    store.record_answer(ids[0], ["A"], True, 20, now=now - timedelta(days=2))
    store.record_answer(ids[0], ["B"], False, 30, now=now - timedelta(days=1))
    store.record_answer(ids[1], ["C"], True, 25, now=now - timedelta(hours=1))
    store.close()
    return ids


def stats(data_dir, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quizapp", "stats", "--data-dir", str(data_dir), *extra],
                          capture_output=True, text=True, cwd=REPO, timeout=60)


def test_stats_json_counts_what_was_answered(tmp_path):
    ids = answered(tmp_path / "data")
    run = stats(tmp_path / "data", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    total = len(CONTENT.questions)
    assert (data["questions"], data["answered"], data["attempts"], data["correct"]) == (total, 2, 3, 2)
    assert data["accuracy"] == round(2 / 3, 4)
    assert data["new"] == total - 2 and data["learning"] + data["review"] == 2
    assert data["due"] >= 1  # the question answered wrong yesterday is due again
    domains = {d["name"]: d for d in data["by_domain"]}
    expected = {}
    for qid, right in ((ids[0], 1), (ids[0], 0), (ids[1], 1)):
        entry = expected.setdefault(CONTENT.questions[qid].domain, [0, 0])
        entry[0] += 1
        entry[1] += right
    assert {k: [v["attempts"], v["correct"]] for k, v in domains.items()} == expected
    assert len(data["due_forecast"]) == 7 and data["exams"] == []


def test_stats_text_matches_the_json(tmp_path):
    answered(tmp_path / "data")
    text = stats(tmp_path / "data").stdout
    data = json.loads(stats(tmp_path / "data", "--json").stdout)
    assert f"Answered 2 of {data['questions']} questions; 3 attempts, 2 correct (67%)" in text
    assert f"New {data['new']} · learning {data['learning']} · review {data['review']} · due now {data['due']}" in text
    assert "(no exam yet)" in text


def test_stats_keep_exam_answers_apart_by_mode(tmp_path):
    ids = answered(tmp_path / "data")
    store = open_store(tmp_path / "data", tz=timezone.utc)
    store.record_answer(ids[1], ["D"], False, 40, mode="exam", now=datetime.now(timezone.utc))
    store.close()
    data = json.loads(stats(tmp_path / "data", "--json").stdout)
    modes = {row["mode"]: (row["attempts"], row["correct"]) for row in data["by_mode"]}
    assert modes == {"practice": (3, 2), "exam": (1, 0)}
    assert data["attempts"] == 4  # the totals show both
    assert "By mode: exam 0/1 (0%) · practice 2/3 (67%)" in stats(tmp_path / "data").stdout
