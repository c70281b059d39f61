"""run_import / run_export as the CLI calls them: reports, exit codes, ids, overwrite, bad arguments."""

from __future__ import annotations

from textwrap import dedent

import pytest

from quizapp.content import load_content
from quizapp.exchange import FORMATS, run_export, run_import

GIFT = dedent(
    """\
    // quiz from an LMS
    ::Drift:: Which check finds drift? {=distribution ~type ~completeness}

    ::Essay:: Describe drift. {}

    ::Drift:: Which metric is weekly? {=MAE ~count}
    """
)

AIKEN = "Which job profiles data?\nA) baseline\nB) training\nANSWER: A\n"

NOTE = dedent(
    """\
    # 모니터링 노트

    ## 핵심 포인트

    기준선을 다시 만든다.

    ## 관련 문제

    **Question:** Violations continue after retraining. What should the team do?

    **Options:**

    - A) Nothing
    - B) Re-run the baseline job on the new training data

    **정답: B) Re-run the baseline job on the new training data**

    추가 설명:

    - **옵션 A** - 위반이 계속된다
    """
)


def test_mixed_formats_in_one_run(write, tmp_path, capsys):
    gift = write("in/quiz.gift", GIFT)
    aiken = write("in/lms.txt", AIKEN)
    note = write("in/note.txt", NOTE)
    assert run_import([gift, aiken, note], tmp_path / "content") == 1  # the essay question cannot be converted
    out = capsys.readouterr().out
    folder = tmp_path / "content" / "questions"
    assert f"{gift} (GIFT): 2 converted, 1 not converted" in out
    assert f"  {gift}:2: drift -> {folder / 'drift.md'}" in out
    assert f"  {gift}:4: question 'Essay' is a GIFT essay question, not multiple choice; skipped" in out
    assert f"  {gift}:6: drift-2 -> {folder / 'drift-2.md'}" in out  # same title: the id is made unique
    assert f"{aiken} (Aiken): 1 converted" in out
    assert f"{note} (Markdown): 1 converted" in out
    assert out.rstrip().endswith(f"imported 4 questions into {folder}; 1 could not be converted")

    bank = load_content(tmp_path / "content")
    assert not bank.problems
    assert sorted(bank.questions) == ["drift", "drift-2", "note", "which-job-profiles-data"]
    note_q = bank.questions["note"]
    assert note_q.answer == {"B"} and note_q.reasons == {"A": "위반이 계속된다"} and note_q.explanation == {"ko": "기준선을 다시 만든다."}
    text = (folder / "drift.md").read_text(encoding="utf-8")
    assert text == (
        "---\nid: drift\ndomain: monitoring\ntags: []\nanswer: A\ncovers: []\ndifficulty: 2\n---\n# Drift\n\n"
        "## Question\n\nWhich check finds drift?\n\n## Options\n\n- A) distribution\n- B) type\n- C) completeness\n\n"
        "## Answer\n\nA) distribution\n"
    )


def test_duplicate_given_ids_are_reported(write, tmp_path, capsys):
    first = write("a.gift", '// quizapp: {"id": "same"}\n::One:: Stem one {=a ~b}\n')
    second = write("b.md", "---\nid: same\nanswer: A\n---\n# Two\n## Question\nStem two\n## Options\n- A) a\n- B) b\n")
    assert run_import([first, second], tmp_path / "content") == 1
    out = capsys.readouterr().out
    assert f"  {second}:7: duplicate id 'same': already used by {first}:2" in out
    assert [p.name for p in (tmp_path / "content" / "questions").iterdir()] == ["same.md"]


def test_existing_file_needs_overwrite(write, tmp_path, capsys):
    aiken = write("q.txt", AIKEN)
    out_dir = tmp_path / "content"
    assert run_import([aiken], out_dir) == 0
    target = out_dir / "questions" / "which-job-profiles-data.md"
    target.write_text("edited by hand", encoding="utf-8")
    capsys.readouterr()
    assert run_import([aiken], out_dir) == 1
    assert f"  {aiken}:1: {target} already exists; use --overwrite to replace it" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == "edited by hand"
    assert run_import([aiken], out_dir, overwrite=True) == 0
    assert target.read_text(encoding="utf-8").startswith("---\nid: which-job-profiles-data\n")


def test_id_already_used_by_another_file_in_the_target(write, tmp_path, capsys):
    write("content/questions/other-name.md", "---\nid: which-job-profiles-data\nanswer: A\n---\n# X\n## Question\nS\n## Options\n- A) a\n- B) b\n")
    aiken = write("q.txt", AIKEN)
    assert run_import([aiken], tmp_path / "content", overwrite=True) == 1
    assert f"{aiken}:1: id 'which-job-profiles-data' is already used by {tmp_path / 'content/questions/other-name.md'}" in capsys.readouterr().out


def test_unusable_id_and_unwritable_question(write, tmp_path, capsys):
    gift = write(
        "x.gift",
        '// quizapp: {"id": "../evil"}\n::A:: Stem {=a ~b}\n\n::B:: Which two apply? (Choose two.) {=a ~b ~c}\n',
    )
    assert run_import([gift], tmp_path / "content") == 1
    out = capsys.readouterr().out
    assert f"{gift}:2: id '../evil' cannot be used as a file name" in out
    assert f"{gift}:4: cannot be written in the project format: the stem asks for 2 answers but the answer lists 1" in out
    assert not (tmp_path / "content" / "questions").exists()


def test_heading_like_stem_line_is_escaped_with_a_warning(write, tmp_path, capsys):
    gift = write("h.gift", "::H:: Look\\n# not a heading\\nat all {=a ~b}\n")
    assert run_import([gift], tmp_path / "questions") == 0  # a folder named questions is used as is
    out = capsys.readouterr().out
    assert f"{gift}:1: warning: a stem line would read as a Markdown heading; its marker was escaped with '\\'" in out
    question = load_content(tmp_path).questions["h"]
    assert question.stem == "Look\n\\# not a heading\nat all"


def test_folder_import_treats_notes_without_questions_as_warnings(write, tmp_path, capsys):
    write("notes/faq.md", "# FAQ\n\nJust prose.\n")
    write("notes/q.txt", AIKEN)
    assert run_import([tmp_path / "notes"], tmp_path / "content") == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'notes/faq.md'}:1: warning: no question found" in out
    # named explicitly, the same note is an error
    assert run_import([tmp_path / "notes/faq.md"], tmp_path / "content2") == 1
    assert f"{tmp_path / 'notes/faq.md'}:1: no question found" in capsys.readouterr().out


def test_bad_import_arguments(write, tmp_path, capsys):
    assert run_import([tmp_path / "missing.gift"], tmp_path / "content") == 2
    assert f"{tmp_path / 'missing.gift'}: no such file or folder" in capsys.readouterr().err
    assert run_import([], tmp_path / "content") == 2
    aiken = write("q.txt", AIKEN)
    assert run_import([aiken], aiken) == 2
    assert "is a file" in capsys.readouterr().err


def test_bad_export_arguments(bank, tmp_path, capsys):
    assert set(FORMATS) == {"anki-tsv", "aiken", "gift", "markdown"}
    assert run_export("qti", tmp_path / "x", bank) == 2
    assert "unknown format 'qti'" in capsys.readouterr().err
    assert run_export("gift", tmp_path, bank) == 2  # a folder where a file is needed
    assert run_export("markdown", bank / "questions", bank) == 2  # never rewrite the bank in place
    assert run_export("gift", tmp_path / "x.gift", tmp_path / "nope") == 2
    (tmp_path / "file").write_text("x")
    assert run_export("markdown", tmp_path / "file", bank) == 2


def test_export_reports_bank_errors_and_still_writes_the_rest(bank, tmp_path, capsys):
    (bank / "questions" / "broken.md").write_text("---\nid: broken\n---\n# B\n## Question\nNo options.\n", encoding="utf-8")
    assert run_export("gift", tmp_path / "out.gift", bank) == 1
    out = capsys.readouterr().out
    assert "content/questions/broken.md:" in out and "wrote 5 questions" in out


def test_empty_bank(tmp_path, capsys):
    (tmp_path / "empty" / "questions").mkdir(parents=True)
    assert run_export("aiken", tmp_path / "x.txt", tmp_path / "empty") == 1
    assert "no questions to export" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["gift", "markdown"])
def test_export_output_names(bank, tmp_path, capsys, fmt):
    out = tmp_path / ("folder" if fmt == "markdown" else "bank.gift")
    assert run_export(fmt, out, bank) == 0
    assert capsys.readouterr().out.startswith(f"wrote 5 questions to {out} ")
    if fmt == "markdown":
        assert sorted(p.name for p in out.iterdir()) == ["choose-three.md", "choose-two.md", "option-like-stem.md", "specials.md", "한국어-문제.md"]


def test_id_with_a_trailing_newline_is_refused(write, tmp_path, capsys):
    md = write("n.md", '---\nid: "ok\\n"\nanswer: A\n---\n# T\n## Question\nS\n## Options\n- A) a\n- B) b\n')
    assert run_import([md], tmp_path / "content") == 1
    assert "id 'ok\\n' cannot be used as a file name" in capsys.readouterr().out
    assert not (tmp_path / "content" / "questions").exists()


def test_overwrite_never_writes_through_a_symlink(write, tmp_path, capsys):
    outside = write("outside.txt", "precious")
    aiken = write("q.txt", AIKEN)
    folder = tmp_path / "content" / "questions"
    folder.mkdir(parents=True)
    target = folder / "which-job-profiles-data.md"
    target.symlink_to(outside)
    assert run_import([aiken], tmp_path / "content", overwrite=True) == 1
    assert f"{target} is a symbolic link; not written through it" in capsys.readouterr().out
    assert outside.read_text() == "precious" and target.is_symlink()


def test_overwrite_replaces_the_file_in_one_rename(write, tmp_path, monkeypatch):
    aiken = write("q.txt", AIKEN)
    out_dir = tmp_path / "content"
    assert run_import([aiken], out_dir) == 0
    target = out_dir / "questions" / "which-job-profiles-data.md"
    target.write_text("edited by hand", encoding="utf-8")
    renames = []
    real_replace = __import__("os").replace
    monkeypatch.setattr("os.replace", lambda src, dst: (renames.append((str(src), str(dst))), real_replace(src, dst))[1])
    assert run_import([aiken], out_dir, overwrite=True) == 0
    assert len(renames) == 1 and renames[0][1] == str(target)
    assert renames[0][0].startswith(str(target.parent) + "/")  # the temporary file is in the target folder
    assert target.read_text(encoding="utf-8").startswith("---\nid: which-job-profiles-data\n")
    assert sorted(p.name for p in target.parent.iterdir()) == ["which-job-profiles-data.md"]
