"""Write a finished session's results: a CSV of every answer and a Markdown summary.

Cells that a spreadsheet would evaluate as formulas (a learner named ``=HYPERLINK(...)``) are
written as text (see ``quizapp.csv_safety``)."""

from __future__ import annotations

import csv
from pathlib import Path

from quizapp.csv_safety import safe_row
from quizapp.session.state import SessionState


def export_results(state: SessionState, folder: Path) -> list[Path]:
    """Answers, scores and a summary over the questions asked so far (a mid-session export does
    not count the questions still to come)."""
    folder = Path(folder)
    asked = asked_questions(state)
    folder.mkdir(parents=True, exist_ok=True)
    answers_csv = folder / "answers.csv"
    with answers_csv.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["learner", "question_id", "chosen", "correct_answer", "correct", "seconds"])
        for person in sorted(state.participants.values(), key=lambda p: p.name):
            for qid in asked:
                q = state.questions[qid]
                chosen = person.answers.get(qid)
                writer.writerow(
                    safe_row([
                        person.name,
                        qid,
                        "".join(chosen) if chosen else "",
                        "".join(sorted(q.answer)),
                        int(bool(chosen) and q.is_correct(set(chosen))),
                        person.answer_seconds.get(qid, ""),
                    ])
                )
    scores_csv = folder / "scores.csv"
    with scores_csv.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["learner", "score", "questions"])
        for name, score in state.leaderboard():
            writer.writerow(safe_row([name, score, len(asked)]))
    summary = folder / "summary.md"
    summary.write_text(_summary(state), encoding="utf-8")
    return [answers_csv, scores_csv, summary]


def asked_questions(state: SessionState) -> list[str]:
    """The plan's questions that were opened to learners, in plan order."""
    return [qid for qid in state.order if qid in state.asked]


def _summary(state: SessionState) -> str:
    total = len(state.participants)
    asked = asked_questions(state)
    count = f"{len(asked)} questions" if len(asked) == len(state.order) else f"{len(asked)} of {len(state.order)} questions asked"
    lines = [f"# {state.plan.title}", "", f"{total} learners, {count}.", "", "## Questions", ""]
    lines += ["| # | question | answer | " + " | ".join("ABCDE") + " | answered | correct |", "|---|---|---|" + "---|" * 7]
    for i, qid in enumerate(asked, start=1):
        q = state.questions[qid]
        dist = state.distribution(qid)
        answered = state.answered_count(qid)
        right = len(state.correct_names(qid))
        pct = f"{100 * right / answered:.0f}%" if answered else "-"
        cells = " | ".join(str(dist.get(letter, "")) for letter in "ABCDE")
        title = q.title.replace("|", "\\|")
        lines.append(f"| {i} | {title} | {''.join(sorted(q.answer))} | {cells} | {answered} | {right} ({pct}) |")
    lines += ["", "## Learners", "", "| learner | score |", "|---|---|"]
    for name, score in state.leaderboard():
        shown = name.replace("|", "\\|")
        lines.append(f"| {shown} | {score}/{len(asked)} |")
    return "\n".join(lines) + "\n"
