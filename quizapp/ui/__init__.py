"""The Textual terminal app. Import ``quizapp.ui.launch`` to run it; this package imports nothing."""
