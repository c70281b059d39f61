"""The bundled question bank: data only (questions/, notes/, sessions/, facts.yaml, glossary.yaml).

pyproject.toml installs this folder as the package ``quizapp_content`` so the app finds it with
importlib.resources wherever it is installed (see quizapp/content/sources.py).
"""
