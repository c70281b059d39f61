"""Read one content file safely: regular files only, at most MAX_FILE_BYTES, never blocking.

A FIFO named ``x.md`` would block ``open()`` forever and a 50 MB file would take minutes to
parse, so every content file (question, note, facts, glossary) is read through ``read_text``,
which refuses both with a ``ContentFileError`` the loader turns into a ``path:line`` problem.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 1_000_000  # 1 MB: the longest real content file is a few kB


class ContentFileError(OSError):
    """A content file that is not read: not a regular file, too large, or unreadable."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        # callers that print "cannot read file: {exc.strerror}" get the reason without the prefix
        self.strerror = message.removeprefix("cannot read file: ")


def read_text(path: Path) -> str:
    """The file as UTF-8 text (a BOM is fine; undecodable bytes become U+FFFD).

    Raises ContentFileError for non-regular files, files over MAX_FILE_BYTES and OS errors
    such as a symlink loop; the file is opened non-blocking and checked again once open."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ContentFileError(f"cannot read file: {exc.strerror or exc}") from None
    _check(info)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ContentFileError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        _check(os.fstat(fd))  # the path may have been swapped since the first look
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ContentFileError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise ContentFileError(f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB; skipped")
    return data.decode("utf-8-sig", errors="replace")


def _check(info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise ContentFileError("not a regular file (FIFO, device or folder); skipped")
    if info.st_size > MAX_FILE_BYTES:
        raise ContentFileError(f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB ({info.st_size:,} bytes); skipped")


CONTENT_SUFFIXES = (".md", ".markdown", ".txt")
SKIPPED_NAMES = {"readme.md", "readme.txt", "license.md", "changelog.md"}


def content_files(folder: Path) -> list[Path]:
    """The content files under ``folder`` (sorted, hidden names and README/LICENSE skipped)."""
    files = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(CONTENT_SUFFIXES) and name.lower() not in SKIPPED_NAMES and not name.startswith("."):
                files.append(Path(dirpath) / name)
    return files
