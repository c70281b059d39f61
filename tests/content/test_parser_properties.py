"""Property tests: any question written in the project format parses back to what was written."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.content.markdown import heading_key, normalise_text, parse_document
from quizapp.content.question_parser import parse_answer_letters, parse_question

# Plain prose: letters (Latin and Hangul), digits, spaces and common punctuation; no Markdown syntax.
words = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789가나다라마바사 ,;'?%$()")),
    min_size=1,
    max_size=40,
).map(lambda s: " ".join(s.split())).filter(lambda s: s and s[0].isalnum() and not s[0:2].rstrip(".)").isdigit())


@st.composite
def questions(draw):
    n = draw(st.integers(2, 5))
    letters = "ABCDE"[:n]
    answer = draw(st.sets(st.sampled_from(letters), min_size=1, max_size=2))
    stem = draw(words)
    options = [draw(words) for _ in letters]
    style = draw(st.sampled_from([")", "."]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.booleans())
    return letters, sorted(answer), stem, options, style, newline, bom


def render(letters, answer, stem, options, style, newline, bom) -> str:
    lines = ["---", "id: prop", f"answer: [{', '.join(answer)}]", "---", "# T", "## Question", stem, "## Options"]
    lines += [f"- {letter}{style} {text}" for letter, text in zip(letters, options)]
    text = newline.join(lines) + newline
    return ("\ufeff" if bom else "") + text


@settings(max_examples=150, deadline=None)
@given(case=questions())
def test_round_trip(case):
    letters, answer, stem, options, *_ = case
    doc = parse_document(render(*case))
    outcome = parse_question(doc, Path("p.md"), "p.md")
    q = outcome.question
    assert q is not None, outcome.problems
    assert q.stem == stem
    assert [o.text for o in q.options] == options
    assert q.letters == list(letters)
    assert sorted(q.answer) == answer


@given(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=3, unique=True), st.sampled_from([", ", " and ", ",", " & "]))
def test_answer_letters_lists(letters, sep):
    assert parse_answer_letters(sep.join(letters) + ") rest") == letters


@given(st.text(max_size=200))
def test_normalise_never_leaves_cr_or_bom(text):
    out = normalise_text("\ufeff" + text)
    assert "\r" not in out and not out.startswith("\ufeff")


@given(st.text(max_size=60))
def test_heading_key_is_idempotent(text):
    assert heading_key(heading_key(text)) == heading_key(text)
