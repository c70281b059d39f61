"""Learner names: one normal form, and a look-alike key so "Аna" (Cyrillic А) cannot pose as "Ana".

``normalise_name`` applies Unicode NFKC (full-width and compatibility forms become plain
letters) and collapses whitespace. ``skeleton`` maps a name to a key that two names share when
they look alike on a terminal: case folded, common Cyrillic and Greek homoglyphs of Latin
letters mapped to them, digits that pass for letters (0 → o, 1 → l) and combining marks dropped.
The mapping is a deliberately small subset of Unicode's confusables list (UTS #39) covering the
scripts a classroom is likely to see; the installable libraries detect mixed scripts but do not
compare two names, which is what the session needs.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 32

# Cyrillic and Greek letters that render like a Latin letter (lower case; names are case folded first).
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "ӏ": "l",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ү": "y", "ɡ": "g", "ԍ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "γ": "y", "ζ": "z", "μ": "u", "σ": "o", "ϲ": "c", "ϳ": "j",
    # Latin and digits that pass for other letters
    "0": "o", "1": "l", "|": "l", "ı": "i", "ł": "l", "ø": "o",
}
# Capitals whose lower case looks different (Greek Ν is an N, but ν looks like v): mapped before case folding.
_CAPITALS = {
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    "А": "a", "В": "b", "Е": "e", "Н": "h", "І": "i", "Ј": "j", "К": "k", "М": "m", "О": "o", "Р": "p",
    "С": "c", "Т": "t", "У": "y", "Х": "x", "Ѕ": "s",
}
_CAPITALS_TABLE = str.maketrans(_CAPITALS)
_TABLE = str.maketrans(_HOMOGLYPHS)


def normalise_name(name: object) -> str:
    """The name as the session stores it: NFKC, whitespace runs collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", str(name)).split())


def name_problem(name: str) -> str | None:
    """Why a normalised ``name`` cannot be used (None when it can)."""
    if not name or len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        return f"choose a name of 1 to {MAX_NAME} printable characters"
    return None


def skeleton(name: str) -> str:
    """A key shared by names that look alike: "Ana", "АNА" (Cyrillic), "ANA" and "Anа" all give "ana"."""
    folded = unicodedata.normalize("NFKD", normalise_name(name).translate(_CAPITALS_TABLE).casefold())
    without_marks = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return without_marks.translate(_TABLE).casefold()
