"""Content: the question/note model, the Markdown parsers and the folder loader.

Nothing here imports pandas, numpy or the simulations' code, so the app starts fast.
"""

from quizapp.content.model import Fact, Note, Option, Problem, Question
from quizapp.content.loader import ContentSet, load_content

__all__ = ["ContentSet", "Fact", "Note", "Option", "Problem", "Question", "load_content"]
