"""Timed practice exams: building one (order, option shuffling), the attempt (answers, flags,
timer), scoring with a per-domain/tag breakdown. No Textual, no SQLite here."""

from quizapp.exam.attempt import ExamAttempt, ExamConfig, ExamResult, build_exam

__all__ = ["ExamAttempt", "ExamConfig", "ExamResult", "build_exam"]
