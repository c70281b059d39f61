"""A small content folder for the UI tests: single, multi-answer, hostile-markup and a note."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

SINGLE = dedent(
    """\
    ---
    id: stale-baseline
    domain: monitoring
    tags: [model-monitor, baseline]
    answer: B
    simulation: stale-baseline
    covers: [F06]
    ---
    # Violations after retraining
    ## Question
    Model Monitor keeps flagging violations after the model was retrained. What fixes it?
    ## Options
    - A) Re-run the monitoring job.
    - B) Run the baseline job on the new training set.
    - C) Recreate the endpoint.
    - D) Retrain on combined data.
    ## Answer
    B) Run the baseline job on the new training set.
    ## Explanation
    The old baseline describes old data.
    ## 설명
    이전 기준선은 이전 데이터를 설명합니다. 새 학습 데이터로 기준선 작업을 다시 실행하세요.
    ## Why not the others
    - A) Same data, same baseline, same violations.
    - C) The endpoint is not the problem.
    - D) The baseline is still the old one.
    """
)

MULTI = dedent(
    """\
    ---
    id: alarm-email
    domain: alerting
    tags: [cloudwatch, sns]
    answer: [A, C]
    covers: [F07]
    ---
    # Email on overfitting
    ## Question
    Which two steps send an email when validation loss rises? (Choose two.)
    ## Options
    - A) Publish the metric with PutMetricData.
    - B) Write the metric to a local log file.
    - C) Create a CloudWatch alarm that notifies an SNS topic with an email subscription.
    - D) Poll the training job every hour by hand.
    ## Answer
    A, C
    ## Explanation
    The alarm needs a metric and an SNS topic.
    ## Why not the others
    - B) A local file is not a CloudWatch metric.
    - D) Manual polling is not an alert.
    """
)

HOSTILE = dedent(
    """\
    ---
    id: hostile
    domain: security
    tags: [markup]
    answer: A
    ---
    # Markup [bold]title[/bold]
    ## Question
    Stem with [bold]not bold[/bold] and [@click=app.quit]x[/] and \x1b[31mred\x1b[0m text.
    ## Options
    - A) Option [@click=app.quit]click me[/]
    - B) Option \x1b[31mB\x1b[0m
    ## Answer
    A
    ## Explanation
    Explanation [@click=app.quit]quit[/] \x1b[31m
    ## Why not the others
    - B) Reason [red]B[/red]
    """
)

NOTE = dedent(
    """\
    ---
    id: baselines
    title: Baselines and violations
    questions: [stale-baseline, alarm-email]
    tags: [baseline]
    ---
    # Baselines and violations
    ## Key point
    A **baseline** is computed from the *training* data.

    - statistics.json
    - constraints.json
    """
)

FACTS = "- {id: F06, statement: baseline}\n- {id: F07, statement: alarm}\n"


def write_content(root: Path, *, hostile: bool = False, broken: bool = False) -> Path:
    folder = root / "content"
    (folder / "questions").mkdir(parents=True, exist_ok=True)
    (folder / "notes").mkdir(parents=True, exist_ok=True)
    (folder / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (folder / "questions" / "q1_stale.md").write_text(SINGLE, encoding="utf-8")
    (folder / "questions" / "q2_alarm.md").write_text(MULTI, encoding="utf-8")
    if hostile:
        (folder / "questions" / "q3_hostile.md").write_text(HOSTILE, encoding="utf-8")
    if broken:
        (folder / "questions" / "q4_broken.md").write_text("---\nid: broken\nanswer: [\n---\n# Broken\n", encoding="utf-8")
    (folder / "notes" / "baselines.md").write_text(NOTE, encoding="utf-8")
    return folder
