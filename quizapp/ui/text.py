"""Show untrusted content as plain text: never markup, never raw terminal control codes.

Every string that comes from a content file (question stems, options, reasons,
explanations, note titles, problem messages) goes through ``clean`` before it is displayed.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

_PLACEHOLDERS: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}  # ␀ … ␛ …
_PLACEHOLDERS[0x7F] = "␡"
_PLACEHOLDERS.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})  # C1 controls (e.g. CSI 0x9b)
_PLACEHOLDERS.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})  # bidi overrides
_TABLE = str.maketrans(_PLACEHOLDERS)


def clean(text: object) -> str:
    """``text`` with control characters (ESC, CR, C1, bidi overrides) made visible; newline and tab kept."""
    return str(text).translate(_TABLE)


def plain(text: object) -> Content:
    """Content shown literally: ``[bold]`` stays ``[bold]``."""
    return Content(clean(text))


def styled(text: object, style: str = "") -> Text:
    """A rich Text (for DataTable cells and OptionList prompts) with ``style`` and no markup parsing."""
    return Text(clean(text), style=style)


def one_line(text: object, limit: int = 80) -> str:
    """First line of ``text``, cleaned and cut to ``limit`` characters."""
    first = clean(text).strip().split("\n", 1)[0]
    return first if len(first) <= limit else first[: limit - 1] + "…"


CODE_STYLE = "bold #e6c07b on #2b2b2b"  # inline `code` in stems, options and reasons


def inline_text(text: object, style: str = "") -> Text:
    """Content with its inline Markdown code spans (`PutMetricData`) shown as code, the rest as
    plain text. Built from markdown-it tokens (only the backticks rule is on, so ``*``, ``[..]``
    and backslashes stay exactly as written); never parsed as console markup."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("zero").enable(["backticks"]).parseInline(clean(text))[0].children or []
    result = Text(style=style)
    for token in tokens:
        if token.type == "code_inline":
            result.append(token.content, style=CODE_STYLE)
        else:
            result.append(token.content)
    return result
