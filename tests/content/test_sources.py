"""Where content comes from: the bundled bank (through the installed package), the learner's own
folder read on top of it, ``--content`` replacing both, and session plans found by name."""

from __future__ import annotations

from textwrap import dedent

import pytest

from quizapp.content.loader import load_bank, load_content
from quizapp.content.quick_ids import quick_question_ids
from quizapp.content.sources import ContentSources, bundled_content, content_sources, find_plan, session_plans
from tests.conftest import REPO

BUNDLED_COUNT = len(list((REPO / "content" / "questions").glob("*.md")))
BUNDLED_ID = "stale-baseline-after-retraining"


def question(qid: str, stem: str = "Which one is right?") -> str:
    return dedent(
        f"""\
        ---
        id: {qid}
        answer: A
        ---
        # {qid}
        ## Question
        {stem}
        ## Options
        - A) this
        - B) that
        ## Why not the others
        - B) no
        """
    )


def test_the_bundled_bank_is_the_package_quizapp_content():
    folder = bundled_content()
    assert (folder / "questions").is_dir() and (folder / "facts.yaml").is_file()
    assert folder.resolve() == (REPO / "content").resolve()  # the editable install maps it onto the checkout


def test_without_own_content_the_app_studies_the_bundled_bank(tmp_path):
    content = load_bank(data_dir=tmp_path)
    assert len(content.questions) == BUNDLED_COUNT
    assert content.user_root is None and content.replaced == {}


def test_own_questions_are_added_and_a_bundled_id_is_replaced(write, tmp_path):
    write("data/content/questions/mine.md", question("my-own-question"))
    write("data/content/questions/edit.md", question(BUNDLED_ID, "My edited wording of the bundled question?"))
    content = load_bank(data_dir=tmp_path / "data")
    assert len(content.questions) == BUNDLED_COUNT + 1
    assert content.questions["my-own-question"].stem == "Which one is right?"
    assert content.questions[BUNDLED_ID].stem == "My edited wording of the bundled question?"
    assert content.replaced[BUNDLED_ID].name == f"{BUNDLED_ID}.md"
    assert content.user_root == tmp_path / "data" / "content"
    assert content.errors == []  # replacing is what the folder is for: not a problem shown at start-up


def test_problems_in_own_content_name_the_full_path_and_the_bank_still_loads(write, tmp_path):
    bad = write("data/content/questions/broken.md", "---\nid: [unclosed\n---\n")
    dup = write("data/content/questions/dup.md", question("twice"))
    write("data/content/questions/dup2.md", question("twice"))
    content = load_bank(data_dir=tmp_path / "data")
    shown = [str(p) for p in content.errors]
    assert any(s.startswith(f"{bad}:") for s in shown)
    assert any(s.startswith(f"{dup.parent / 'dup2.md'}:") and f"already used by {dup}" in s for s in shown)
    assert len(content.questions) == BUNDLED_COUNT + 1


def test_own_notes_may_link_bundled_questions(write, tmp_path):
    write("data/content/notes/mine.md", f"---\ntitle: My note\nquestions: [{BUNDLED_ID}, nowhere]\n---\n# My note\nText.\n")
    content = load_bank(data_dir=tmp_path / "data")
    note = next(n for n in content.notes.values() if n.title == "My note")
    assert note.questions == [BUNDLED_ID]
    (problem,) = [p for p in content.errors if "nowhere" in p.message]
    assert problem.path.endswith("mine.md") and problem.line == 3


def test_content_dir_replaces_the_bank_and_own_content(write, tmp_path):
    write("data/content/questions/mine.md", question("my-own-question"))
    write("other/questions/only.md", question("only-this"))
    content = load_bank(tmp_path / "other", tmp_path / "data")
    assert list(content.questions) == ["only-this"]
    sources = content_sources(tmp_path / "other", tmp_path / "data")
    assert sources.replaced and sources.user is None and sources.folders == [tmp_path / "other"]


def test_home_counts_include_own_questions(write, tmp_path):
    write("data/content/questions/mine.md", question("my-own-question"))
    write("data/content/questions/edit.md", question(BUNDLED_ID))
    sources = content_sources(None, tmp_path / "data")
    ids = quick_question_ids(sources.bank, sources.user)
    assert len(ids) == BUNDLED_COUNT + 1 and ids[-1] == "my-own-question"
    assert ids == list(dict.fromkeys(ids))  # a replaced question is counted once
    assert set(ids) == set(load_content(sources.bank, user=sources.user).questions)


def test_plans_are_found_by_name_and_the_learners_plan_wins(write, tmp_path):
    sources = content_sources(None, tmp_path / "data")
    bundled = session_plans(sources)
    assert {"scenarios", "data-capture-drill"} <= set(bundled)
    assert find_plan("scenarios", sources) == bundled["scenarios"] == bundled_content() / "sessions" / "scenarios.yaml"
    assert find_plan("scenarios.yaml", sources) == bundled["scenarios"]
    mine = write("data/content/sessions/scenarios.yaml", "title: Mine\nquestions: [x]\n")
    assert find_plan("scenarios", content_sources(None, tmp_path / "data")) == mine


def test_a_plan_path_that_is_not_there_is_never_swapped_for_a_named_plan(write, tmp_path, monkeypatch):
    sources = content_sources(None, tmp_path / "data")
    assert find_plan(tmp_path / "typo" / "scenarios.yaml", sources) is None
    assert find_plan("nope", sources) is None
    monkeypatch.chdir(tmp_path)
    here = write("scenarios", "title: A file that happens to share the name\nquestions: [x]\n")
    assert find_plan("scenarios", sources).resolve() == here.resolve()  # an existing file is taken as given


def test_a_missing_bundled_package_is_a_clear_error(monkeypatch):
    from quizapp.content import sources

    monkeypatch.setattr(sources, "BUNDLED_PACKAGE", "quizapp_content_not_installed")
    with pytest.raises(sources.ContentNotFound, match="not installed; reinstall quizapp"):
        sources.bundled_content()


def test_plan_folders_list_the_learners_first(tmp_path):
    (tmp_path / "bank" / "sessions").mkdir(parents=True)
    (tmp_path / "mine" / "sessions").mkdir(parents=True)
    sources = ContentSources(tmp_path / "bank", tmp_path / "mine")
    assert sources.plan_folders() == [tmp_path / "mine" / "sessions", tmp_path / "bank" / "sessions"]


async def test_the_app_says_the_bank_is_missing_and_exits(monkeypatch, tmp_path, capsys):
    from quizapp.content import sources
    from quizapp.ui.launch import build_app

    monkeypatch.setattr(sources, "BUNDLED_PACKAGE", "quizapp_content_not_installed")
    app = build_app(data_dir=tmp_path, lazy=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if not app.is_running:
                break
            await pilot.pause(0.05)
    assert app.return_code == 1
    said = " ".join(capsys.readouterr().err.split())
    assert "quizapp could not start: ContentNotFound" in said and "reinstall quizapp" in said
    app.close_progress()


@pytest.mark.parametrize("argv", [["content", "check"], ["content", "path"], ["stats"], ["session", "scenarios", "--check"]])
def test_commands_say_the_bank_is_missing_without_a_traceback(monkeypatch, capsys, argv):
    from quizapp.cli import main
    from quizapp.content import sources

    monkeypatch.setattr(sources, "BUNDLED_PACKAGE", "quizapp_content_not_installed")
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "error: the bundled questions (package 'quizapp_content_not_installed') are not installed" in err
    assert "Traceback" not in err
