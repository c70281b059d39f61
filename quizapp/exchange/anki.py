"""Anki: a tab-separated notes file for Anki's File > Import (Basic note type).

Columns: Front (stem and lettered options), Back (the answer, the explanations and why each
option is right or wrong), Tags (the question's tags and its domain, spaces made '_').
The csv module quotes any field holding a tab, a line break or a quote, which is how Anki
reads multi-line fields; header lines tell Anki the separator, that fields are plain text
(``#html:false``: '<' stays '<') and which column holds the tags.
"""

from __future__ import annotations

import csv
import io

from quizapp.content.model import Question

HEADER = ("#separator:tab", "#html:false", "#columns:Front\tBack\tTags", "#tags column:3")


def front(q: Question) -> str:
    options = "\n".join(f"{o.letter}) {o.text}" for o in q.options)
    return f"{q.stem}\n\n{options}"


def back(q: Question) -> str:
    right = [o for o in q.options if o.letter in q.answer]
    label = "Answer" if len(right) == 1 else "Answers"
    parts = [f"{label}: " + "; ".join(f"{o.letter}) {o.text}" for o in right)]
    for lang in ("en", "ko"):
        if q.explanation.get(lang):
            parts.append(q.explanation[lang])
    reasons = [f"{o.letter}) {q.reasons[o.letter]}" for o in q.options if q.reasons.get(o.letter)]
    if reasons:
        parts.append("Why each option:\n" + "\n".join(reasons))
    return "\n\n".join(parts)


def tags(q: Question) -> str:
    seen: list[str] = []
    for tag in [*q.tags, q.domain]:
        tag = "_".join(str(tag).split())
        if tag and tag not in seen:
            seen.append(tag)
    return " ".join(seen)


def write_anki_tsv(questions: list[Question]) -> str:
    buffer = io.StringIO()
    buffer.write("\n".join(HEADER) + "\n")
    writer = csv.writer(buffer, delimiter="\t", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    for q in questions:
        writer.writerow([front(q), back(q), tags(q)])
    return buffer.getvalue()
