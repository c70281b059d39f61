"""The content loader on good files, each kind of bad file, CRLF/BOM, multi-answer and both styles."""

from __future__ import annotations

from textwrap import dedent

import pytest

from quizapp.content import load_content
from quizapp.content.question_parser import parse_answer_letters

GOOD = dedent(
    """\
    ---
    id: stale-baseline
    domain: monitoring
    tags: [model-monitor, baseline]
    answer: B
    simulation: stale-baseline
    covers: [F06, F07]
    difficulty: 2
    ---
    # Violations after retraining
    ## Question
    Model Monitor keeps flagging violations after the model was retrained.
    What fixes it?
    ## Options
    - A) Re-run the monitoring job.
    - B) Run the baseline job on the new training set.
    - C) Recreate the endpoint.
    - D) Retrain on combined data.
    ## Answer
    B) Run the baseline job on the new training set.
    ## Explanation
    The old baseline describes old data.
    ## 설명
    이전 기준선은 이전 데이터를 설명합니다.
    ## Why not the others
    - A) Same data, same baseline, same violations.
    - C) The endpoint is not the problem.
    - D) The baseline is still the old one.
    """
)

FACTS = "- {id: F06, statement: a}\n- {id: F07, statement: b}\n- {id: F09, statement: c}\n"


def project(write, files: dict[str, str], facts: str = FACTS):
    write("content/facts.yaml", facts)
    for name, text in files.items():
        write(f"content/questions/{name}", text)
    return load_content(write("content/facts.yaml", facts).parent)


def messages(content) -> list[str]:
    return [str(p) for p in content.problems]


def test_good_question_parses_every_part(write):
    content = project(write, {"stale.md": GOOD})
    assert messages(content) == []
    q = content.questions["stale-baseline"]
    assert q.title == "Violations after retraining"
    assert q.stem == "Model Monitor keeps flagging violations after the model was retrained.\nWhat fixes it?"
    assert q.letters == ["A", "B", "C", "D"]
    assert q.option("B").text == "Run the baseline job on the new training set."
    assert q.answer == {"B"}
    assert q.explanation["en"] == "The old baseline describes old data."
    assert q.explanation["ko"] == "이전 기준선은 이전 데이터를 설명합니다."
    assert q.reasons == {
        "A": "Same data, same baseline, same violations.",
        "C": "The endpoint is not the problem.",
        "D": "The baseline is still the old one.",
    }
    assert q.reason_for("B") == "The old baseline describes old data."
    assert q.simulation == "stale-baseline" and q.covers == ["F06", "F07"] and q.tags == ["model-monitor", "baseline"]
    assert q.line == 12


def test_crlf_and_bom_give_the_same_question(write):
    plain = project(write, {"stale.md": GOOD}).questions["stale-baseline"]
    crlf = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8")
    other = project(write, {"stale.md": crlf}).questions["stale-baseline"]
    assert (other.stem, other.options, other.answer, other.reasons, other.explanation) == (
        plain.stem,
        plain.options,
        plain.answer,
        plain.reasons,
        plain.explanation,
    )


def test_dot_options_korean_headings_and_emoji(write):
    text = dedent(
        """\
        ---
        id: korean-headings
        answer: C
        ---
        # 🚀 제목
        ## ❓ 문제
        Which is right?
        ## 📝 보기
        - A. one
        - B. two
        - C. three
        ## 해설
        Because three.
        ## 오답 해설
        - **옵션 A** - not one
        - **Option B** - not two
        """
    )
    content = project(write, {"k.md": text})
    q = content.questions["korean-headings"]
    assert messages(content) == []
    assert [o.text for o in q.options] == ["one", "two", "three"]
    assert q.answer == {"C"} and q.explanation["en"] == "Because three."
    assert q.reasons == {"A": "not one", "B": "not two"}


def test_multi_answer_from_front_matter_and_choose_two(write):
    text = GOOD.replace("answer: B", "answer: [B, D]").replace("What fixes it?", "What fixes it? (Choose two.)")
    content = project(write, {"m.md": text})
    assert messages(content) == []
    assert content.questions["stale-baseline"].answer == {"B", "D"}
    assert content.questions["stale-baseline"].is_multi


def test_choose_two_with_one_answer_is_reported(write):
    text = GOOD.replace("What fixes it?", "What fixes it? (Choose two.)")
    content = project(write, {"m.md": text})
    assert messages(content) == ["content/questions/m.md:5: the stem asks for 2 answers but the answer lists 1"]


@pytest.mark.parametrize(
    ("text", "letters"),
    [("C) Create a line chart", ["C"]), ("A, D", ["A", "D"]), ("[B, E]", ["B", "E"]), ("A and C) both", ["A", "C"]),
     ("Create a chart", []), ("B", ["B"]), ("(D) the last", ["D"])],
)
def test_answer_letters(text, letters):
    assert parse_answer_letters(text) == letters


def test_seed_style_multi_answer_in_korean(write):
    text = dedent(
        """\
        ---
        title: seed-like
        tags: [a]
        ---
        # 노트
        ## 관련 문제
        **Question:** Pick the two right ones. (Choose two.)

        **Options:**

        - A) one
        - B) two
        - C) three
        - D) four

        **정답: A, D**

        추가 설명:

        - **옵션 B** - wrong
        - **옵션 C** - wrong too
        """
    )
    write("seeds/note.txt", text)
    content = load_content(write("seeds/other.md", text.replace("seed-like", "seed-two")).parent)
    assert messages(content) == []
    q = content.questions["seed-like"]
    assert q.answer == {"A", "D"} and q.stem == "Pick the two right ones. (Choose two.)"
    assert q.reasons == {"B": "wrong", "C": "wrong too"}


# --- bad files: each reports the exact path:line and the others still load ---------------------

BAD_CASES = {
    "bad-yaml": (GOOD.replace("tags: [model-monitor, baseline]", "tags: [model-monitor, baseline"), ":5: bad YAML in front matter"),
    "answer-not-option": (GOOD.replace("answer: B", "answer: F"), ":5: answer F is not among the options A, B, C, D"),
    "no-stem": (GOOD.replace("Model Monitor keeps flagging violations after the model was retrained.\nWhat fixes it?\n", ""), ":12: missing stem"),
    "one-option": (GOOD.replace("- A) Re-run the monitoring job.\n", "").replace("- C) Recreate the endpoint.\n- D) Retrain on combined data.\n", ""),
                   ":14: a question needs at least two options, found 1"),
    "unknown-sim": (GOOD.replace("simulation: stale-baseline", "simulation: no-such-sim"), ":6: unknown simulation 'no-such-sim'"),
    "unknown-fact": (GOOD.replace("covers: [F06, F07]", "covers: [F06, F99]"), ":7: unknown fact id F99"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_file_reports_path_and_line_and_others_still_load(write, case):
    text, expected = BAD_CASES[case]
    other = GOOD.replace("id: stale-baseline", "id: fine-one")
    content = project(write, {f"{case}.md": text, "fine.md": other})
    found = [m for m in messages(content) if m.startswith(f"content/questions/{case}.md")]
    assert len(found) == 1, messages(content)
    assert found[0].startswith(f"content/questions/{case}.md{expected}"), found[0]
    assert "fine-one" in content.questions


def test_duplicate_id_names_both_files(write):
    content = project(write, {"a.md": GOOD, "b.md": GOOD})
    assert messages(content) == ["content/questions/b.md:2: duplicate id 'stale-baseline': already used by content/questions/a.md"]
    assert list(content.questions) == ["stale-baseline"]


def test_unclosed_front_matter_and_undecodable_bytes(write):
    write("content/facts.yaml", FACTS)
    write("content/questions/open.md", "---\nid: x\n# no end\n")
    write("content/questions/bytes.md", GOOD.encode("utf-8").replace(b"What fixes it?", b"What \xff fixes it?"))
    content = load_content(write("content/facts.yaml", FACTS).parent)
    assert "content/questions/open.md:1: front matter starts with '---' but never ends (no closing '---' line)" in messages(content)
    assert "What \ufffd fixes it?" in content.questions["stale-baseline"].stem


def test_note_links_and_unknown_question(write):
    write("content/notes/n.md", "---\ntitle: Baselines\nquestions: [stale-baseline, gone]\n---\n# Baselines\n## Key points\ntext\n")
    content = project(write, {"s.md": GOOD})
    note = content.notes["n"]
    assert note.title == "Baselines" and note.questions == ["stale-baseline"]
    assert "Key points" in note.sections
    assert messages(content) == ["content/notes/n.md:3: note links to unknown question id gone"]


def test_markup_and_escape_codes_are_kept_as_raw_text(write):
    hostile = GOOD.replace("What fixes it?", "What [bold]fixes[/bold] it? [@click=app.quit]x[/] \x1b[31mred")
    q = project(write, {"h.md": hostile}).questions["stale-baseline"]
    assert "[bold]fixes[/bold]" in q.stem and "[@click=app.quit]x[/]" in q.stem and "\x1b[31mred" in q.stem
