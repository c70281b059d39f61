"""A small question bank with the awkward cases every exchange format must survive."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from quizapp.content.model import Question

SPECIALS = dedent(
    """\
    ---
    id: specials
    domain: monitoring
    tags: [gift, escaping]
    answer: C
    simulation: stale-baseline
    covers: [F01, F02]
    difficulty: 3
    ---
    # Braces {like} these: a~b = c #1
    ## Question
    A constraint reads {"threshold": 0.1} and the path is C:\\temp\\capture. Which value = the MAE ~ weekly? Look at #3: it matters.
    ## Options
    - A) %50% of the rows
    - B) x = y ~ z
    - C) {json} with a \\ backslash and a: colon
    - D) tab\there
    ## Answer
    C) {json} with a \\ backslash and a: colon
    ## Explanation
    The right one keeps {braces}, = signs and ~ tildes.

    ```python
    # a comment in code, not a heading
    x = {"a": 1}
    ```
    ## 설명
    중괄호 {와} 등호 = 를 유지합니다.

    ### 세부 사항

    - 항목 # 하나
    ## Why not the others
    - A) Half is not a value: 50% ~ guess.
    - B) — -1 starts with a dash on purpose.
    - C) Right: it keeps {braces}.
    - D) Tabs are fine.
    """
)

CHOOSE_TWO = dedent(
    """\
    ---
    id: choose-two
    domain: operations
    tags: [multi]
    answer: [A, D]
    covers: []
    difficulty: 2
    ---
    # Two right answers
    ## Question
    A team monitors an endpoint.

    - capture is on
    - a baseline exists

    Which two steps come next? (Choose two.)
    ## Options
    - A) Schedule the monitoring job.
    - B) Delete the endpoint.
    - C) Turn capture off.
    - D) Create a CloudWatch alarm on the violations metric.
    ## Answer
    A, D
    ## Explanation
    Schedule, then alarm.
    """
)

CHOOSE_THREE = dedent(
    """\
    ---
    id: choose-three
    domain: monitoring
    tags: []
    answer: [B, C, F]
    covers: []
    difficulty: 4
    ---
    # Three of six
    ## Question
    Which three are Model Monitor monitoring types? (Choose three.)
    ## Options
    - A) Cost monitoring
    - B) Data quality
    - C) Model quality
    - D) Latency budgets
    - E) Billing alarms
    - F) Bias drift
    ## Answer
    B, C, F
    """
)

KOREAN = dedent(
    """\
    ---
    id: 한국어-문제
    domain: monitoring
    tags: [korean]
    answer: B
    covers: []
    difficulty: 1
    ---
    # 🚀 데이터 드리프트
    ## 문제
    기준선 이후 데이터 분포가 바뀌면 무엇이 보고됩니까?
    ## 보기
    - A. 아무것도 없음
    - B. 드리프트 위반
    ## 정답
    B. 드리프트 위반
    ## 설명
    기준선과 비교합니다.
    """
)

OPTION_LIKE_STEM = dedent(
    """\
    ---
    id: option-like-stem
    answer: A
    ---
    # Starts like an option
    ## Question
    A. Smith runs the monitoring team. Which job compares live data with the baseline?
    ## Options
    - A) The monitoring schedule
    - B) The training job
    """
)

BANK = {
    "specials.md": SPECIALS,
    "choose-two.md": CHOOSE_TWO,
    "choose-three.md": CHOOSE_THREE,
    "korean.md": KOREAN,
    "option-like-stem.md": OPTION_LIKE_STEM,
}


@pytest.fixture
def bank(tmp_path) -> Path:
    """tmp/content with questions/<name>.md for each bank file; returns the content folder."""
    root = tmp_path / "content"
    (root / "questions").mkdir(parents=True)
    for name, text in BANK.items():
        (root / "questions" / name).write_text(text, encoding="utf-8")
    return root


def everything(q: Question) -> dict:
    """Every field an exchange can carry, for comparing questions from different files."""
    return {
        "id": q.id,
        "title": q.title,
        "stem": q.stem,
        "options": [(o.letter, o.text) for o in q.options],
        "answer": q.answer,
        "domain": q.domain,
        "tags": q.tags,
        "explanation": q.explanation,
        "reasons": q.reasons,
        "simulation": q.simulation,
        "covers": q.covers,
        "difficulty": q.difficulty,
    }
