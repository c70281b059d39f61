"""Instructor sessions: a plan (YAML), the live state (questions, timer, answers, scores),
a small asyncio JSON-lines server learners join over the local network, and result export.
The presenter and learner screens live in quizapp.ui; nothing here imports Textual."""
