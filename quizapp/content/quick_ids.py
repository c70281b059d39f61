"""The question ids of a content folder from the front matter alone (YAML, no Markdown parse).

Home fills its counts from these ids while the full load runs; this module imports only
PyYAML, so it costs a fraction of ``load_content``. A file whose front matter cannot be read
(or uses YAML aliases) is skipped here; ``load_content`` reports it, and Home's counts are
redrawn from the loaded questions when it finishes."""

from __future__ import annotations

from pathlib import Path

import yaml

from quizapp.content.files import content_files, read_text

BUNDLED_CONTENT = Path(__file__).resolve().parents[2] / "content"  # as in loader.py
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _front_matter(text: str) -> str | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i])
    return None


def _id_of(front: str) -> str | None:
    if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(front, Loader=_LOADER)):
        return None  # never expand aliases (see markdown.refuse_aliases)
    loader = _LOADER(front)  # the safe loader, as markdown.safe_load uses
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    qid = data.get("id") if isinstance(data, dict) else None
    return qid.strip() if isinstance(qid, str) and qid.strip() else None


def quick_question_ids(root: Path | str | None = None) -> list[str]:
    root = Path(root) if root is not None else BUNDLED_CONTENT
    folder = root / "questions" if (root / "questions").is_dir() else root
    files = content_files(folder) if folder.is_dir() else [folder] if folder.is_file() else []
    ids: list[str] = []
    for path in files:
        try:
            front = _front_matter(read_text(path))
            qid = _id_of(front) if front else None
        except Exception:  # load_content says what is wrong with it
            continue
        if qid:
            ids.append(qid)
    return list(dict.fromkeys(ids))
