"""Progress: answers, sessions and FSRS spaced-review state in SQLite (``progress.db``).

>>> store = open_store()                     # $QUIZAPP_DATA_DIR or the user data dir
>>> store.record_answer("q-id", ["B"], correct=True, seconds=12.5)
>>> store.review_queue(current_question_ids)
"""

from quizapp.progress.schema import MIGRATIONS, SCHEMA_VERSION, NewerSchemaError
from quizapp.progress.scheduling import card_id_for, rating_for
from quizapp.progress.store import (
    DB_NAME,
    ENV_VAR,
    AnswerRecord,
    ExamRecord,
    ProgressStore,
    ReviewOutcome,
    Summary,
    open_store,
    resolve_data_dir,
)

__all__ = [
    "DB_NAME",
    "ENV_VAR",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AnswerRecord",
    "ExamRecord",
    "NewerSchemaError",
    "ProgressStore",
    "ReviewOutcome",
    "Summary",
    "card_id_for",
    "open_store",
    "rating_for",
    "resolve_data_dir",
]
