"""Export then import gives the same questions: GIFT and Markdown keep everything, Aiken what it can."""

from __future__ import annotations

import csv
import shutil

import pytest

from quizapp.content import load_content
from quizapp.content.sources import bundled_content
from quizapp.exchange import run_export, run_import
from quizapp.exchange.aiken import aiken_stem, cannot_write
from quizapp.exchange.draft import one_line
from tests.conftest import SHARED
from tests.exchange.conftest import everything

BUNDLED_MINIMUM = 10


def export_import(fmt: str, root, tmp_path, capsys) -> dict:
    out = tmp_path / ("md-out" if fmt == "markdown" else f"bank.{fmt}")
    assert run_export(fmt, out, root) == 0
    assert run_import([out], tmp_path / f"back-{fmt}") == 0
    capsys.readouterr()
    loaded = load_content(tmp_path / f"back-{fmt}")
    assert not loaded.problems, [str(p) for p in loaded.problems]
    return loaded.questions


@pytest.mark.parametrize("fmt", ["gift", "markdown"])
def test_gift_and_markdown_keep_every_field(bank, tmp_path, capsys, fmt):
    original = load_content(bank)
    assert not original.problems and len(original.questions) == 5
    back = export_import(fmt, bank, tmp_path, capsys)
    assert sorted(back) == sorted(original.questions)
    for qid, q in original.questions.items():
        assert everything(back[qid]) == everything(q), qid


def test_aiken_keeps_stem_options_and_single_answers(bank, tmp_path, capsys):
    original = load_content(bank).questions
    out = tmp_path / "bank.txt"
    assert run_export("aiken", out, bank) == 0
    report = capsys.readouterr().out
    # the two choose-N questions and the stem that reads like an option are skipped, with their path:line
    assert "content/questions/choose-two.md:11: note: skipped 'choose-two': choose-2 question: Aiken has one answer per question" in report
    assert "content/questions/choose-three.md:11: note: skipped 'choose-three': choose-3 question" in report
    assert "content/questions/option-like-stem.md:7: note: skipped 'option-like-stem': the stem starts like an option" in report
    assert "wrote 2 questions" in report

    assert run_import([out], tmp_path / "back") == 0
    back = {q.stem: q for q in load_content(tmp_path / "back").questions.values()}
    kept = [q for q in original.values() if cannot_write(q) is None]
    assert sorted(q.id for q in kept) == ["specials", "한국어-문제"]
    assert sorted(back) == sorted(aiken_stem(q) for q in kept)
    for q in kept:
        b = back[one_line(q.stem)]  # one line: Aiken has no line breaks
        assert [(o.letter, o.text) for o in b.options] == [(o.letter, o.text) for o in q.options]
        assert b.answer == q.answer
        # not kept: explanations, reasons, tags, title and id (derived from the stem's first words instead)
        assert b.explanation == {} and b.reasons == {} and b.tags == [] and b.simulation is None
    assert sorted(q.id for q in back.values()) == ["a-constraint-reads-threshold-0-1-and-the-path", "기준선-이후-데이터-분포가-바뀌면-무엇이-보고됩니까"]


def test_anki_tsv_fields_survive_a_csv_reader(bank, tmp_path, capsys):
    out = tmp_path / "deck" / "bank.tsv"
    assert run_export("anki-tsv", out, bank) == 0
    assert f"wrote 5 questions to {out} (Anki TSV)" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    header = [line for line in text.split("\n") if line.startswith("#")][:4]
    assert header == ["#separator:tab", "#html:false", "#columns:Front\tBack\tTags", "#tags column:3"]
    body = text.split("\n", 4)[4]
    rows = list(csv.reader(body.splitlines(keepends=True), delimiter="\t"))
    assert [len(r) for r in rows] == [3] * 5
    by_first_words = {r[0].split()[1]: r for r in rows}
    specials = by_first_words["constraint"]
    q = load_content(bank).questions["specials"]
    assert specials[0] == q.stem + "\n\nA) %50% of the rows\nB) x = y ~ z\nC) {json} with a \\ backslash and a: colon\nD) tab\there"
    assert specials[1].startswith("Answer: C) {json}")
    assert q.explanation["en"] in specials[1] and q.explanation["ko"] in specials[1]
    assert "B) -1 starts with a dash on purpose." in specials[1]
    assert specials[2] == "gift escaping monitoring"
    two = by_first_words["team"]
    assert two[1].startswith("Answers: A) Schedule the monitoring job.; D) Create")
    assert "\n\n- capture is on\n- a baseline exists\n\n" in two[0]


SEEDS = SHARED / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source notes folder {SEEDS} is absent")
def test_source_notes_import_then_gift_round_trip(tmp_path, capsys):
    """Source notes (**Question:** style) -> project files -> GIFT -> project files: nothing lost."""
    notes = load_content(SEEDS).questions
    assert run_import([SEEDS], tmp_path / "content") == 0
    report = capsys.readouterr().out
    assert "003_c8ef433fb62a35cf.txt:1: warning: no question found" in report  # the FAQ note, not a question
    assert "warning: section '주요개념' is not part of a question; not converted" in report
    imported = load_content(tmp_path / "content").questions
    assert sorted(imported) == sorted(notes)
    for qid, q in notes.items():
        got = imported[qid]
        assert (got.stem, got.options, got.answer, got.reasons, got.tags) == (q.stem, q.options, q.answer, q.reasons, q.tags)
        # the Korean explanation is kept; only the blank-line run left by an empty '## 설명' heading is tidied
        assert got.explanation["ko"].split() == q.explanation["ko"].split()
    back = export_import("gift", tmp_path / "content", tmp_path, capsys)
    assert {k: everything(v) for k, v in back.items()} == {k: everything(v) for k, v in imported.items()}


def test_bundled_bank_round_trips(tmp_path, capsys):
    # a snapshot of the bundled content, so questions being added meanwhile cannot change it mid-test
    root = shutil.copytree(bundled_content(), tmp_path / "bundled", ignore=shutil.ignore_patterns(".*"))
    questions = load_content(root).questions
    if len(questions) < BUNDLED_MINIMUM:
        pytest.skip(f"the bundled bank has {len(questions)} questions (fewer than {BUNDLED_MINIMUM}); it is still being written")
    for fmt in ("gift", "markdown"):
        out = tmp_path / ("md" if fmt == "markdown" else "bank.gift")
        assert run_export(fmt, out, root) in (0, 1)  # 1 only when some bank file has errors (then it is not exported)
        assert run_import([out], tmp_path / fmt) == 0, capsys.readouterr().out
        back = load_content(tmp_path / fmt).questions
        assert sorted(back) == sorted(questions)
        for qid, q in questions.items():
            assert everything(back[qid]) == everything(q), (fmt, qid)
    assert run_export("aiken", tmp_path / "bank.txt", root) in (0, 1)
    assert run_import([tmp_path / "bank.txt"], tmp_path / "aiken") == 0
    kept = [q for q in questions.values() if cannot_write(q) is None]
    back = sorted((b.stem, b.options, sorted(b.answer)) for b in load_content(tmp_path / "aiken").questions.values())
    assert back == sorted((aiken_stem(q), q.options, sorted(q.answer)) for q in kept)
    assert run_export("anki-tsv", tmp_path / "bank.tsv", root) in (0, 1)
    capsys.readouterr()
