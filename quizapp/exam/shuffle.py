"""Shuffle a question's options and re-letter every reference to them consistently."""

from __future__ import annotations

import random
import re
from dataclasses import replace

from quizapp.content.model import LETTERS, Option, Question, Translation

# Options that point at other options ("Both A and B", "All of the above") cannot move.
_REFERS_TO_OTHERS = re.compile(r"\b(all|none|both|neither) of the (above|options)\b|\b[A-E] and [A-E]\b|\b(above|below)\b", re.IGNORECASE)
# Letter references inside explanations/reasons: "option B", "options A and D", "옵션 B", "(B)", "B)".
_REFERENCE = re.compile(r"(?P<word>\b(?:[Oo]ptions?|[Cc]hoices?|옵션|보기)\s+)(?P<letter>[A-H])\b|\((?P<paren>[A-H])\)|\b(?P<close>[A-H])\)")


def can_shuffle(question: Question) -> bool:
    return not any(_REFERS_TO_OTHERS.search(o.text) for o in question.options)


def remap_text(text: str, mapping: dict[str, str]) -> str:
    """Rewrite letter references in ``text`` with ``mapping`` (old letter -> new letter)."""

    def sub(m: re.Match) -> str:
        if m.group("letter"):
            return m.group("word") + mapping.get(m.group("letter"), m.group("letter"))
        if m.group("paren"):
            return f"({mapping.get(m.group('paren'), m.group('paren'))})"
        return mapping.get(m.group("close"), m.group("close")) + ")"

    return _REFERENCE.sub(sub, text)


def shuffled(question: Question, rng: random.Random) -> tuple[Question, dict[str, str]]:
    """A copy with options in a random order and new letters; returns (copy, new letter -> original letter)."""
    if not can_shuffle(question):
        return question, {o.letter: o.letter for o in question.options}
    order = list(question.options)
    rng.shuffle(order)
    new_to_old = {LETTERS[i]: opt.letter for i, opt in enumerate(order)}
    old_to_new = {old: new for new, old in new_to_old.items()}
    copy = replace(
        question,
        options=[Option(LETTERS[i], opt.text) for i, opt in enumerate(order)],
        answer=frozenset(old_to_new[a] for a in question.answer),
        reasons={old_to_new[k]: remap_text(v, old_to_new) for k, v in question.reasons.items() if k in old_to_new},
        explanation={lang: remap_text(text, old_to_new) for lang, text in question.explanation.items()},
        translations={lang: _relettered(t, old_to_new) for lang, t in question.translations.items()},
    )
    return copy, new_to_old


def _relettered(translation: Translation, old_to_new: dict[str, str]) -> Translation:
    """A translation's options and reasons under the new letters, letter references rewritten."""
    return Translation(
        stem=translation.stem,
        options={old_to_new[k]: v for k, v in translation.options.items() if k in old_to_new},
        reasons={old_to_new[k]: remap_text(v, old_to_new) for k, v in translation.reasons.items() if k in old_to_new},
    )
