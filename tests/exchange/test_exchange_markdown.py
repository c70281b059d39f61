"""The project-format writer: heading protection, blank-line tidying, read-back, format detection."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from quizapp.content.model import Option, Question, Translation
from quizapp.exchange.detect import detect_format
from quizapp.exchange.project_markdown import differences, protect, read_back, render, tidy_blank_lines

_MD = MarkdownIt("commonmark")
markdownish = st.text(alphabet=st.sampled_from(list("#=-> `~*a1 \n\t")), max_size=80)


@settings(max_examples=200, deadline=None)
@given(markdownish)
def test_protected_text_has_no_headings(text):
    protected, changed = protect(text)
    assert not [t for t in _MD.parse(protected) if t.type == "heading_open"]
    assert changed == (protected != text)
    assert protected.replace("\\", "") == text.replace("\\", "")  # only backslashes were added


def test_protect_leaves_code_fences_alone():
    text = "Look:\n\n```\n# not a heading\n```\n# a heading\nSetext\n---"
    assert protect(text) == ("Look:\n\n```\n# not a heading\n```\n\\# a heading\nSetext\n\\---", True)


def test_tidy_blank_lines_keeps_fenced_code():
    assert tidy_blank_lines("a\n\n\n\nb\n```\nx\n\n\ny\n```\n\n\nc") == "a\n\nb\n```\nx\n\n\ny\n```\n\nc"


def test_rendered_question_reads_back_unchanged():
    q = Question(
        id="r",
        title="Title",
        stem="Stem with **bold**.\n\n- a list\n- in the stem",
        options=[Option("A", "one"), Option("B", "two"), Option("C", "three")],
        answer=frozenset("AC"),
        explanation={"en": "Because.", "ko": "왜냐하면.\n\n### 더 보기\n\n자세히."},
        reasons={"A": "right", "B": "-1 is a sentinel", "C": "— dash"},
        tags=["x", "y z"],
        covers=["F01"],
        simulation="stale-baseline",
        difficulty=4,
        source=Path("r.md"),
    )
    text = render(q)
    assert text.startswith("---\nid: r\ndomain: monitoring\ntags: [x, y z]\nanswer: [A, C]\ncovers: [F01]\nsimulation: stale-baseline\ndifficulty: 4\n---\n# Title\n")
    back, problems = read_back(text, Path("r.md"), "r.md")
    assert not problems
    assert differences(q, back) == []


def test_korean_sections_render_and_read_back_unchanged():
    q = Question(
        id="k",
        title="T",
        stem="Which one?",
        options=[Option("A", "one"), Option("B", "two"), Option("C", "three"), Option("D", "four")],
        answer=frozenset("B"),
        explanation={"en": "Because.", "ko": "왜냐하면."},
        reasons={"A": "no", "C": "no", "D": "no"},
        translations={"ko": Translation(stem="어느 것입니까?", options={"A": "하나", "B": "둘", "C": "셋", "D": "넷"}, reasons={"A": "아님", "C": "아님", "D": "아님"})},
        source=Path("k.md"),
    )
    text = render(q)
    assert text.index("## Why not the others") < text.index("## 질문") < text.index("## 보기") < text.index("## 설명") < text.index("## 보기별 해설")
    back, problems = read_back(text, Path("k.md"), "k.md")
    assert not problems
    assert differences(q, back) == []


def test_detect_format(tmp_path):
    assert detect_format(Path("a.gift"), "anything") == "gift"
    assert detect_format(Path("a.aiken"), "anything") == "aiken"
    assert detect_format(Path("a.md"), "::T:: x {=a ~b}") == "markdown"
    assert detect_format(Path("a.txt"), "::Title:: Stem {=a ~b}") == "gift"
    assert detect_format(Path("a.txt"), "Stem {\n=a\n~b\n}") == "gift"
    assert detect_format(Path("a.txt"), "Stem?\nA) a\nB) b\nANSWER: B\n") == "aiken"
    assert detect_format(Path("a.txt"), "---\ntitle: x\n---\n**Question:** ANSWER: B\n") == "markdown"
    assert detect_format(Path("a.txt"), "## 관련 문제\n\n**Question:** What?\n") == "markdown"
    assert detect_format(Path("a.txt"), 'Some JSON {"a": 1} in a note\n') == "markdown"
