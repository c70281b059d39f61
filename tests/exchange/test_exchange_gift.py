"""GIFT: the escaper and tokenizer (property tests), question kinds, weights, feedback, errors."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.content.model import Option, Question
from quizapp.exchange.gift import SPECIAL, escape, parse_gift, question_to_gift, tokenize, unescape, weight_for, write_gift

# text that leans on the characters GIFT treats specially
gift_text = st.text(alphabet=st.sampled_from(list("~=#{}:%\\/[]->nT ab가\t\n") + ["é", "😀"]) | st.characters(), max_size=60)


def no_cr(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@given(gift_text)
def test_escape_then_tokenize_gives_the_text_back(text):
    assert unescape(escape(text)) == no_cr(text)


@given(gift_text)
def test_escaped_text_has_no_live_special_character(text):
    escaped = escape(text)
    assert "\n" not in escaped
    chars = tokenize([(1, escaped)])
    assert not [c for c in chars if not c.escaped and (c.ch in SPECIAL or c.ch == "\\")]


def test_tokenizer_marks_escapes_and_keeps_unknown_backslashes():
    chars = tokenize([(7, r"a\=b\\c\nd\qe")])
    assert "".join(c.ch for c in chars) == "a=b\\c\nd\\qe"
    assert [c.ch for c in chars if c.escaped] == ["=", "\\", "\n", "\\"]
    assert {c.line for c in chars} == {7}


def plain(s: str) -> str:
    return " ".join(s.split())


line_text = gift_text.map(plain).filter(bool)  # one line, no outer spaces: what options and reasons can hold
block_text = gift_text.map(lambda s: no_cr(s).strip()).filter(bool)  # stems and explanations may span lines


@st.composite
def questions(draw):
    n = draw(st.integers(2, 8))
    letters = "ABCDEFGH"[:n]
    answer = draw(st.sets(st.sampled_from(letters), min_size=1, max_size=n))
    reasons = draw(st.dictionaries(st.sampled_from(letters), line_text, max_size=n))
    en = draw(st.none() | block_text)
    ko = draw(st.none() | block_text)
    explanation = {k: v for k, v in {"en": en, "ko": ko}.items() if v}
    if en and en == ko:
        explanation.pop("en")
    return Question(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
        title=draw(line_text),
        stem=draw(block_text),
        options=[Option(letter, draw(line_text)) for letter in letters],
        answer=frozenset(answer),
        domain=draw(st.sampled_from(["monitoring", "operations"])),
        tags=draw(st.lists(line_text, max_size=3)),
        explanation=explanation,
        reasons=reasons,
        covers=draw(st.lists(st.from_regex(r"F[0-9]{2}", fullmatch=True), max_size=2)),
        difficulty=draw(st.integers(1, 5)),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=3))
def test_written_questions_parse_back_unchanged(qs):
    result = parse_gift(write_gift(qs), "p.gift")
    assert result.failed == 0, [str(p) for p in result.problems]
    assert not result.problems
    assert len(result.drafts) == len(qs)
    for draft, q in zip(result.drafts, qs):
        got = draft.question
        assert draft.id_given and got.id == q.id
        assert got.title == q.title
        assert got.stem == q.stem
        assert got.options == q.options
        assert got.answer == q.answer
        assert got.reasons == q.reasons
        assert got.explanation == q.explanation
        assert (got.domain, got.tags, got.covers, got.difficulty) == (q.domain, q.tags, q.covers, q.difficulty)


def test_writer_escapes_and_weights():
    q = Question(
        id="q",
        title="a:b",
        stem="x = {y} ~ #z",
        options=[Option("A", "%5% off"), Option("B", "one"), Option("C", "two")],
        answer=frozenset("BC"),
        reasons={"A": "no # way"},
    )
    text = question_to_gift(q)
    assert r"::a\:b::[markdown]x \= \{y\} \~ \#z {" in text
    assert "\n~%-100%%5% off #no \\# way\n~%50%one\n~%50%two\n}" in text
    single = question_to_gift(Question(id="s", title="", stem="s", options=[Option("A", "%5% off"), Option("B", "b")], answer=frozenset("B")))
    assert "\n~%0%%5% off\n=b\n}" in single
    assert [weight_for(n) for n in (1, 2, 3, 4, 6, 7)] == ["100", "50", "33.33333", "25", "16.66667", "14.28571"]


MOODLE_STYLE = dedent(
    """\
    // Questions written by hand, the way Moodle's documentation shows them.
    $CATEGORY: $course$/Monitoring

    ::Baseline job::[html]Which job computes statistics.json
    and constraints.json? {
      =The baseline job #Yes: it profiles the training data.
      ~The training job #It trains; it does not profile.
      ~%25%The endpoint #Partial credit, dropped.
      ####Baselines come from the baseline job.
    }

    What two people are entombed in Grant's tomb? {
       ~%-100%No one
       ~%50%Grant
       ~%50%Grant's wife
       ~%-100%Grant's father
    }

    Moodle costs {~lots of money =nothing ~a small amount} to download.
    """
)


def test_moodle_style_file():
    result = parse_gift(MOODLE_STYLE, "m.gift")
    assert result.failed == 0
    assert [str(p) for p in result.problems] == ["m.gift:8: warning: partial credit (25%) for option C is not kept: it counts as wrong"]
    first, tomb, missing = (d.question for d in result.drafts)
    assert first.title == "Baseline job" and first.id == "baseline-job"
    assert first.stem == "Which job computes statistics.json\nand constraints.json?"
    assert [o.text for o in first.options] == ["The baseline job", "The training job", "The endpoint"]
    assert first.answer == {"A"}
    assert first.reasons == {"A": "Yes: it profiles the training data.", "B": "It trains; it does not profile.", "C": "Partial credit, dropped."}
    assert first.explanation == {"en": "Baselines come from the baseline job."}
    assert result.drafts[0].line == 4 and not result.drafts[0].id_given
    assert tomb.answer == {"B", "C"} and tomb.title.startswith("What two people are entombed")
    assert missing.stem == "Moodle costs _____ to download." and missing.answer == {"B"}


BAD = dedent(
    """\
    ::Good:: What is 1+1? {=2 ~3 ~4}

    ::Essay:: Write about drift. {}

    ::TF:: Drift is always bad. {T}

    ::Short:: Name the job. {=baseline =suggest_baseline}

    ::Match:: Match them. {=a -> 1 =b -> 2}

    ::Num:: How many days? {#3:1}

    ::Open:: Never closed {=a ~b

    ::NoRight:: Which? {~a ~b}

    Just a description, no answers.

    ::Lonely:: One answer only {~%100%only}

    ::Untitled {=a ~b}

    ::Nested:: Braces {=a {b} ~c}
    """
)


def test_each_kind_of_problem_is_reported_at_its_line():
    result = parse_gift(BAD, "bad.gift")
    assert [d.question.title for d in result.drafts] == ["Good"]
    assert [str(p) for p in result.problems] == [
        "bad.gift:3: question 'Essay' is a GIFT essay question, not multiple choice; skipped",
        "bad.gift:5: question 'TF' is a GIFT true/false question, not multiple choice; skipped",
        "bad.gift:7: question 'Short' is a GIFT short-answer question, not multiple choice; skipped",
        "bad.gift:9: question 'Match' is a GIFT matching question, not multiple choice; skipped",
        "bad.gift:11: question 'Num' is a GIFT numerical question, not multiple choice; skipped",
        "bad.gift:13: the answers open with '{' but no '}' closes them",
        "bad.gift:15: question 'NoRight' has no right answer: mark one with '=' or give right answers a positive weight like '~%50%'",
        "bad.gift:17: question has no answer block '{...}' (a GIFT description, not a question); skipped",
        "bad.gift:19: question 'Lonely' needs at least two answers, found 1",
        "bad.gift:21: the title opens with '::' but never closes with '::'",
        "bad.gift:23: unescaped '{' inside the answers (write '\\{' for a literal brace)",
    ]
    assert result.failed == 11


def test_multi_line_answers_report_the_line_of_the_bad_answer():
    text = "::T:: Stem {\n=right\n~\n~wrong\n}\n"
    result = parse_gift(text, "x.gift")
    assert [str(p) for p in result.problems] == ["x.gift:3: an answer has no text"]


def test_bad_metadata_is_a_warning_and_the_question_still_converts():
    result = parse_gift('// quizapp: {"id": oops}\n::T:: S {=a ~b}\n', "x.gift")
    assert [str(p) for p in result.problems][0].startswith("x.gift:1: warning: ignored unreadable quizapp metadata")
    assert result.drafts and result.drafts[0].question.id == "t"


def test_crlf_and_bom_files_read_the_same():
    text = "::T:: S\\: with colon {=a #fb\n~b}\n"
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    assert parse_gift(crlf, "x").drafts[0].question == parse_gift(text, "x").drafts[0].question


def test_empty_file_is_reported():
    result = parse_gift("// only a comment\n", "e.gift")
    assert [str(p) for p in result.problems] == ["e.gift:1: no GIFT questions found"]
    assert result.failed == 1


def test_source_is_kept():
    result = parse_gift("::T:: S {=a ~b}", "x.gift", Path("/abs/x.gift"))
    assert result.drafts[0].question.source == Path("/abs/x.gift")
