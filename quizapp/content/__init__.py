"""Content: the question/note model, the Markdown parsers and the folder loader.

Nothing here imports pandas, numpy or the simulations' code, so the app starts fast. The
model classes import instantly; the loader (markdown-it, PyYAML) loads on first use.
"""

from quizapp.content.model import Fact, Note, Option, Problem, Question, Translation

__all__ = ["ContentSet", "Fact", "Note", "Option", "Problem", "Question", "Translation", "load_content"]


def __getattr__(name: str):
    if name in ("ContentSet", "load_content"):
        from quizapp.content import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'quizapp.content' has no attribute {name!r}")
