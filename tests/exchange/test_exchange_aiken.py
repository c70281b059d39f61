"""Aiken: reading good and bad blocks (with path:line), writing, and what cannot be written."""

from __future__ import annotations

from textwrap import dedent

from quizapp.content.model import Option, Question
from quizapp.exchange.aiken import cannot_write, parse_aiken, write_aiken

GOOD = dedent(
    """\
    Which job compares live data with the baseline?
    A) The baseline job
    B) The monitoring schedule
    C. The training job
    ANSWER: B
    A scenario over
    two lines. Which one?
    A. first
    B. second
    ANSWER: A
    """
)


def test_good_blocks_with_or_without_blank_lines():
    result = parse_aiken(GOOD, "g.txt")
    assert result.failed == 0 and not result.problems
    one, two = (d.question for d in result.drafts)
    assert one.stem == "Which job compares live data with the baseline?"
    assert [(o.letter, o.text) for o in one.options] == [("A", "The baseline job"), ("B", "The monitoring schedule"), ("C", "The training job")]
    assert one.answer == {"B"}
    assert one.id == "which-job-compares-live-data-with-the-baseline"
    assert two.stem == "A scenario over\ntwo lines. Which one?" and two.answer == {"A"}
    assert [d.line for d in result.drafts] == [1, 6]
    assert not any(d.id_given for d in result.drafts)


BAD = dedent(
    """\
    What is A?
    A) one
    B) two
    ANSWER: B

    No answer here?
    A) x
    B) y

    Bad letter?
    A) x
    B) y
    ANSWER: E

    Out of order?
    A) x
    C) y
    ANSWER: A

    ANSWER: C

    Not a letter?
    A) x
    B) y
    ANSWER: yes

    Only one option?
    A) x
    ANSWER: A

    Only text, no options.
    """
)


def test_each_bad_block_is_reported_at_its_line_and_the_rest_still_read():
    result = parse_aiken(BAD, "bad.txt")
    assert [d.question.stem for d in result.drafts] == ["What is A?"]
    assert [str(p) for p in result.problems] == [
        "bad.txt:6: question has no 'ANSWER:' line",
        "bad.txt:13: ANSWER E is not among the options A-B",
        "bad.txt:17: expected option 'B) ...' or 'ANSWER: X', got 'C) y'",
        "bad.txt:20: 'ANSWER:' line without options before it",
        "bad.txt:25: 'ANSWER:' must be followed by an option letter, got 'yes'",
        "bad.txt:27: a question needs at least two options, found 1",
        "bad.txt:31: text without options or an 'ANSWER:' line (expected 'A) ...' lines, then 'ANSWER: X')",
    ]
    assert result.failed == 7


def test_two_letters_read_as_choose_two_with_a_warning():
    result = parse_aiken("Pick two.\nA) a\nB) b\nC) c\nANSWER: A, C\n", "m.txt")
    assert result.drafts[0].question.answer == {"A", "C"}
    assert [str(p) for p in result.problems] == ["m.txt:5: warning: Aiken has one answer per question; read 'ANSWER: A, C' as a choose-2 question"]


def test_more_than_eight_options_is_an_error():
    options = "\n".join(f"{letter}) option {letter}" for letter in "ABCDEFGHI")
    result = parse_aiken(f"Many?\n{options}\nANSWER: A\n", "nine.txt")
    assert [str(p) for p in result.problems] == ["nine.txt:10: 9 options; at most 8 (A-H) are supported"]


def q(stem: str, answer: str = "A", letters: str = "AB") -> Question:
    return Question(id="x", title="t", stem=stem, options=[Option(letter, f"opt {letter}") for letter in letters], answer=frozenset(answer))


def test_writer_puts_the_stem_on_one_line_and_reletters():
    text = write_aiken([q("First line.\n\nSecond   line.", "C", "ACD")])
    assert text == "First line. Second   line.\nA) opt A\nB) opt C\nC) opt D\nANSWER: B\n"


def test_what_aiken_cannot_write():
    assert cannot_write(q("Pick two.", "AB")) == "choose-2 question: Aiken has one answer per question"
    assert "starts like an option" in cannot_write(q("B) looks like an option"))
    assert cannot_write(q("ANSWER: is in the stem")) == "the stem starts with 'ANSWER:'"
    assert cannot_write(q("A fine stem. A) inside is fine")) is None
