"""The question ids of a content folder from the front matter alone (YAML, no Markdown parse).

Home fills its counts from these ids while the full load runs; this module imports only
PyYAML, so it costs a fraction of ``load_content``. A file whose front matter cannot be read
(or uses YAML aliases) is skipped here; ``load_content`` reports it, and Home's counts are
redrawn from the loaded questions when it finishes."""

from __future__ import annotations

from pathlib import Path

import yaml

from quizapp.content.files import content_files, read_text

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


def quick_question_files(root: Path | str) -> dict[str, Path]:
    """Question id -> file under ``root`` (its ``questions/`` folder if it has one), first file wins."""
    root = Path(root)
    folder = root / "questions" if (root / "questions").is_dir() else root
    files = content_files(folder) if folder.is_dir() else [folder] if folder.is_file() else []
    ids: dict[str, Path] = {}
    for path in files:
        try:
            front = _front_matter(read_text(path))
            qid = _id_of(front) if front else None
        except Exception:  # load_content says what is wrong with it
            continue
        if qid:
            ids.setdefault(qid, path)
    return ids


def quick_question_ids(root: Path | str | None = None, user: Path | str | None = None) -> list[str]:
    """The ids under ``root`` (the bundled bank by default), then those in ``user``'s ``questions/``."""
    from quizapp.content.sources import bundled_content

    ids = list(quick_question_files(root if root is not None else bundled_content()))
    if user is not None:  # a missing folder has no ids
        ids += list(quick_question_files(Path(user) / "questions"))
    return list(dict.fromkeys(ids))
