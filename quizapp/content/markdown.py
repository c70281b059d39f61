"""Split a Markdown file into front matter and heading sections, using markdown-it-py tokens.

Everything keeps its raw source text and its line number in the file (1-based), so the
question parser can report ``path:line`` and the UI can show text literally.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt

# Only block structure is needed (headings, paragraphs, lists, code): skipping the inline
# pass halves the parse time, and raw text is taken from the source lines anyway.
_MD = MarkdownIt("commonmark").disable(["inline", "text_join"], ignoreInvalid=True)

# libyaml's safe loader when the wheel has it (several times faster), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_BLOCK_OPENERS = {
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "hr": "hr",
    "table_open": "table",
}


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Block:
    """A top-level Markdown block: its kind, first line and raw text."""

    kind: str  # paragraph, list, code, quote, html, hr, table
    line: int
    text: str
    items: list[tuple[int, str]] = field(default_factory=list)  # list blocks: (line, raw item text)


@dataclass
class Section:
    heading: str  # heading text as written (emoji and all)
    key: str  # normalised heading: lowercase letters/digits/spaces only
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks).strip()


@dataclass
class Document:
    meta: dict
    meta_line: int  # line of the opening '---' (1) or 0 when there is none
    meta_keys: dict[str, int]  # top-level front-matter key -> line
    sections: list[Section]  # a level-0 section holds any blocks before the first heading
    lines: list[str]


def normalise_text(text: str) -> str:
    """Strip the BOMs at the start (an editor may have added one to a file that had one) and turn
    CRLF/CR line ends into LF."""
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def heading_key(text: str) -> str:
    """Lowercase, keep letters, digits and single spaces: drops emoji, punctuation, markup."""
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LN":
            kept.append(ch.lower())
        elif ch.isspace() or cat[0] in "PSZ":
            kept.append(" ")
    return " ".join("".join(kept).split())


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, number of lines before the body)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 1
    raise FrontMatterError(1, "front matter starts with '---' but never ends (no closing '---' line)")


def safe_load(text: str):
    """Same as yaml.safe_load (the C loader when available), but refusing aliases (``*name``).

    Nine levels of nine aliases in 1 kB expand to billions of values ("billion laughs"); content
    files have no use for aliases, so one is a MarkedYAMLError pointing at the alias's line."""
    refuse_aliases(text)
    loader = _SafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def refuse_aliases(text: str) -> None:
    """Raise a MarkedYAMLError at the first alias event (a linear scan: nothing is expanded)."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not allowed in content files", problem_mark=event.start_mark)


def parse_front_matter(raw: str) -> tuple[dict, dict[str, int]]:
    """yaml.safe_load the front matter; report errors with a line relative to the first '---'."""
    try:
        data = safe_load(raw)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark is not None else 1
        problem = exc.problem or str(exc)
        raise FrontMatterError(line, f"bad YAML in front matter: {problem}") from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(1, f"bad YAML in front matter: {exc}") from None
    except RecursionError:
        raise FrontMatterError(1, "bad YAML in front matter: nested too deeply") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(2, "front matter must be a mapping of keys to values")
    return data, key_lines(raw, first_line=2)


def key_lines(yaml_text: str, first_line: int = 1) -> dict[str, int]:
    """Line of each top-level key of a YAML mapping (for ``path:line`` messages about a key)."""
    keys: dict[str, int] = {}
    for number, line in enumerate(yaml_text.split("\n"), start=first_line):
        if line and not line[0].isspace() and ":" in line and not line.startswith(("-", "#")):
            keys.setdefault(line.split(":", 1)[0].strip(), number)
    return keys


def parse_document(text: str) -> Document:
    """Parse a whole file. Raises FrontMatterError for unreadable front matter."""
    text = normalise_text(text)
    raw_meta, body, offset = split_front_matter(text)
    meta, meta_keys = parse_front_matter(raw_meta) if raw_meta is not None else ({}, {})
    body_lines = body.split("\n")
    tokens = _MD.parse(body)
    sections = [Section(heading="", key="", level=0, line=offset + 1)]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            line = offset + tok.map[0] + 1 if tok.map else offset + 1
            sections.append(
                Section(heading=inline.content.strip(), key=heading_key(inline.content), level=int(tok.tag[1]), line=line)
            )
            i += 3
            continue
        if tok.level == 0 and tok.type in _BLOCK_OPENERS and tok.map:
            start, end = tok.map
            raw = "\n".join(body_lines[start:end]).strip("\n")
            block = Block(kind=_BLOCK_OPENERS[tok.type], line=offset + start + 1, text=raw)
            if block.kind == "list":
                block.items = _list_items(tokens, i, body_lines, offset)
            sections[-1].blocks.append(block)
        i += 1
    return Document(meta=meta, meta_line=1 if raw_meta is not None else 0, meta_keys=meta_keys, sections=sections, lines=text.split("\n"))


def _list_items(tokens, start: int, body_lines: list[str], offset: int) -> list[tuple[int, str]]:
    """Raw text of each top-level item of the list opening at ``tokens[start]``, marker removed."""
    items = []
    depth = tokens[start].level + 1
    for tok in tokens[start + 1 :]:
        if tok.type in ("bullet_list_close", "ordered_list_close") and tok.level == depth - 1:
            break
        if tok.type == "list_item_open" and tok.level == depth and tok.map:
            s, e = tok.map
            raw_lines = body_lines[s:e]
            first = raw_lines[0].lstrip()
            first = first[len(tok.info) + len(tok.markup) :].lstrip()  # "-" / "*" or "1" + "."
            rest = [ln.strip() for ln in raw_lines[1:]]
            text = "\n".join([first, *rest]).strip()
            items.append((offset + s + 1, text))
    return items
