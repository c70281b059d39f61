"""quizapp: a terminal study and quiz app for monitoring ML models in production."""

__version__ = "0.1.0"
