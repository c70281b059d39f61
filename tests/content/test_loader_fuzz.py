"""Fuzz (issue 11): mutated copies of real content files never make an exception escape the loader.

Each case takes a real question file (with Korean sections when the bank has them), a real note
and the real facts.yaml, applies a few byte-level and front-matter mutations, writes them to a
fresh folder and loads it, then runs the bank rules `content check` adds. Every failure must be
a Problem, never an exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.content import load_content
from quizapp.content.bank_rules import bank_warnings
from quizapp.content.sources import bundled_content
from tests.content.test_korean_sections import BILINGUAL

QUESTIONS = sorted((bundled_content() / "questions").glob("*.md"))[:12]
SOURCES = [p.read_bytes() for p in QUESTIONS] + [BILINGUAL.encode()]
NOTES = [p.read_bytes() for p in sorted((bundled_content() / "notes").glob("*.md"))[:3]]
FACTS = (bundled_content() / "facts.yaml").read_bytes()
GLOSSARY = (bundled_content() / "glossary.yaml").read_bytes()

# Fragments that have broken parsers before, or would: YAML syntax, aliases, tags, wrong types,
# control characters, invalid UTF-8, headings and option markers in odd places.
NASTY = [
    b"\n---\n", b"---", b"*a", b"&a ", b"[", b"]", b"{", b"}", b": ", b"- ", b"\x00", b"\x07", b"\x1b[2J", b"\x85",
    b"\xff\xfe", b"\xed\xa0\x80", b"!!python/object/apply:os.system ['x']", b"!!binary", b"? ", b"|\n", b">-\n",
    b"\n## \xeb\xb3\xb4\xea\xb8\xb0\n- A) x\n- Q) y\n", b"\n## Options\n", b"\n## Question\n", b"\n## Why not the others\n- Z) z\n",
    b"tags: 5\n", b"covers: 1.5\n", b"answer: [[A]]\n", b"id: {a: 1}\n", b"difficulty: 1e9\n", b"questions: 5\n",
    b"\r", b"\r\n", b"\xef\xbb\xbf", b"\t", b"```\n", b"<!--", b"# ", b"- A) ", b"**Question:** ", b"**\xec\xa0\x95\xeb\x8b\xb5: Z**",
]
SCALARS = ["5", "1.5", "true", "null", "~", "[]", "{}", "[1, [2]]", "{a: [b]}", "'x'", "-1", "2026-01-01", "0x1F", ".inf", "*a", "&a x", "!!str", "[A, D, Z]"]


@st.composite
def mutated(draw, source: bytes) -> bytes:
    data = bytearray(source)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "value", "random"]))
        at = draw(st.integers(0, len(data)))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(NASTY))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 80))]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif kind == "random":
            data[at:at] = draw(st.binary(max_size=12))
        else:  # give a front-matter-like "key: value" line a value of another type
            lines = bytes(data).split(b"\n")
            keyed = [i for i, line in enumerate(lines[:15]) if b":" in line]
            if keyed:
                i = draw(st.sampled_from(keyed))
                lines[i] = lines[i].split(b":", 1)[0] + b": " + draw(st.sampled_from(SCALARS)).encode()
                data = bytearray(b"\n".join(lines))
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_no_exception_escapes_the_loader(data):
    question = data.draw(mutated(data.draw(st.sampled_from(SOURCES))), label="question")
    note = data.draw(st.sampled_from(NOTES).flatmap(mutated), label="note") if NOTES else b""
    facts = data.draw(st.one_of(st.just(FACTS), mutated(FACTS)), label="facts")
    glossary = data.draw(st.one_of(st.just(GLOSSARY), mutated(GLOSSARY)), label="glossary")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "questions").mkdir()
        (root / "notes").mkdir()
        (root / "questions" / "q.md").write_bytes(question)
        (root / "questions" / "untouched.md").write_bytes(SOURCES[0])
        (root / "notes" / "n.md").write_bytes(note)
        (root / "facts.yaml").write_bytes(facts)
        (root / "glossary.yaml").write_bytes(glossary)
        content = load_content(root)
        bank_warnings(content)
        assert content.questions or content.problems  # the untouched file loads unless its id was taken
        for problem in content.problems:
            assert isinstance(problem.line, int) and problem.message
