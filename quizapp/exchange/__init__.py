"""Question import and export: GIFT, Aiken, Anki TSV and the project's own Markdown format.

``run_import(files, out_dir)`` converts source notes (``**Question:**`` style), Aiken and GIFT
multiple-choice files into ``content/questions/<id>.md`` files; ``run_export(fmt, out)``
writes the bank for Anki (``anki-tsv``), an LMS (``aiken``, ``gift``) or as a folder of
project-format files (``markdown``). Both print a report and return an exit code:
0 done, 1 something could not be converted (or the bank has errors), 2 bad arguments.

What each format keeps:

========== ===================================================================================
markdown   everything the loader reads (id, title, stem, options, answer, explanations,
           reasons, domain, tags, covers, simulation, difficulty)
gift       the same: ``::title::``, stem, options, single and choose-N answers (``~%50%``),
           per-option reasons as answer feedback, the English explanation as general
           feedback; id, domain, tags, covers, simulation, difficulty and the Korean
           explanation in a ``// quizapp: {json}`` comment (LMSs ignore it)
aiken      stem (on one line), options and the one answer; choose-N questions are skipped
           with a note; ids are derived from the stem on import; nothing else is kept
anki-tsv   export only: front = stem + options, back = answer, explanations and reasons,
           tags = tags + domain
========== ===================================================================================

Positional formats (GIFT, Aiken) re-letter options A, B, C... in order.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.exchange.exporter import FORMATS, export_bank
from quizapp.exchange.importer import import_files

__all__ = ["FORMATS", "run_export", "run_import"]


def run_import(files: list[Path], out_dir: Path | None = None, overwrite: bool = False, data_dir: Path | None = None) -> int:
    """Convert ``files`` (or folders of them) into ``out_dir/questions/<id>.md``; print a report.

    ``out_dir`` defaults to the learner's own content folder (``<data dir>/content``), which
    the app reads on top of the bundled bank; there an id the bundled bank already uses is
    refused (the question would silently replace the bundled one) and a derived id gets a suffix.

    Exit code: 0 all converted, 1 some file or question could not be converted, 2 bad
    arguments (no files, a missing file, ``out_dir`` is a file).
    """
    if out_dir is not None:
        return import_files(files, out_dir, overwrite)
    from quizapp.content.quick_ids import quick_question_files
    from quizapp.content.sources import bundled_content, user_content

    return import_files(files, user_content(data_dir), overwrite, reserved=quick_question_files(bundled_content()))


def run_export(fmt: str, out: Path, content_dir: Path | None = None, data_dir: Path | None = None) -> int:
    """Write every question of ``content_dir`` as ``fmt`` (by default what the app studies:
    the bundled bank with the learner's own content on top).

    ``fmt`` is one of :data:`FORMATS`; ``out`` is a file, or a folder for ``markdown``.
    Exit code: 0 written, 1 the bank has errors or no questions, 2 bad arguments.
    """
    return export_bank(fmt, out, content_dir, data_dir)
