"""The progress figures the Statistics screen shows, as plain data: one source for the screen and
for ``quizapp stats [--json]``."""

from __future__ import annotations

from datetime import datetime

from quizapp.progress.store import ProgressStore

FORECAST_DAYS = 7
EXAM_HISTORY = 10


def _share(correct: int, attempts: int) -> float | None:
    return round(correct / attempts, 4) if attempts else None


def stats_report(store: ProgressStore, content, now: datetime) -> dict:
    """Counts, accuracy by domain and tag, weakest facts, due forecast and exam history."""
    questions = content.questions
    ids = list(questions)
    summary = store.summary(ids, now=now)
    cards = store.card_counts(ids, now=now)
    exams = []
    for record in store.exam_history(limit=EXAM_HISTORY):
        by_domain = record.result.get("by_domain", {})
        weakest = min(by_domain.items(), key=lambda kv: kv[1][0] / kv[1][1] if kv[1][1] else 1.0, default=None)
        exams.append({
            "id": record.id, "finished_at": record.finished_at.isoformat(),
            "score": record.score, "total": record.total, "share": _share(record.score, record.total),
            "passed": record.passed, "seconds_used": float(record.result.get("seconds_used", 0)),
            "weakest_domain": None if weakest is None else {"name": weakest[0], "correct": weakest[1][0], "total": weakest[1][1]},
        })
    return {
        "questions": summary.questions, "answered": summary.answered, "attempts": summary.attempts,
        "correct": summary.correct, "accuracy": None if summary.accuracy is None else round(summary.accuracy, 4),
        "streak_days": summary.streak_days,
        "new": cards["new"], "learning": cards["learning"], "review": cards["review"], "due": cards["due"],
        "by_mode": [{"mode": m, "attempts": a, "correct": c, "accuracy": _share(c, a)} for m, a, c in store.accuracy_by_mode(ids)],
        "by_domain": [{"name": n, "attempts": a, "correct": c, "accuracy": _share(c, a)} for n, a, c in store.accuracy_by(questions, "domain")],
        "by_tag": [{"name": n, "attempts": a, "correct": c, "accuracy": _share(c, a)} for n, a, c in store.accuracy_by(questions, "tag")],
        "weakest_facts": [{"fact": f, "attempts": a, "accuracy": round(share, 4),
                           "statement": content.facts[f].statement if f in content.facts else ""}
                          for f, a, share in store.weakest_facts(questions, limit=5)],
        "due_forecast": [{"date": day.isoformat(), "due": n} for day, n in store.due_forecast(ids, days=FORECAST_DAYS, now=now)],
        "exams": exams,
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def stats_text(report: dict) -> str:
    """The report as lines for a terminal."""
    r = report
    lines = [
        f"Answered {r['answered']} of {r['questions']} questions; {r['attempts']} attempts, {r['correct']} correct "
        f"({_pct(r['accuracy'])}); streak {r['streak_days']} day{'s' if r['streak_days'] != 1 else ''}",
        f"New {r['new']} · learning {r['learning']} · review {r['review']} · due now {r['due']}",
        "By mode: " + (" · ".join(f"{row['mode']} {row['correct']}/{row['attempts']} ({_pct(row['accuracy'])})" for row in r["by_mode"])
                       or "(no answers yet)"),
    ]
    for title, rows in (("By domain", r["by_domain"]), ("By tag", r["by_tag"])):
        lines += ["", title]
        lines += [f"  {row['name']:<28} {row['correct']:>4}/{row['attempts']:<4} {_pct(row['accuracy']):>5}" for row in rows] or ["  (no answers yet)"]
    lines += ["", "Weakest facts"]
    lines += [f"  {row['fact']:<6} {_pct(row['accuracy']):>5} of {row['attempts']}  {row['statement'][:70]}" for row in r["weakest_facts"]] or ["  (no answers yet)"]
    lines += ["", f"Due in the next {FORECAST_DAYS} days"]
    lines += [f"  {row['date']}  {row['due']}" for row in r["due_forecast"]]
    lines += ["", "Exams"]
    lines += [f"  {e['finished_at'][:16]}  {e['score']}/{e['total']} {_pct(e['share']):>5}  {'pass' if e['passed'] else 'fail'}"
              + (f"  weakest: {e['weakest_domain']['name']}" if e["weakest_domain"] else "") for e in r["exams"]] or ["  (no exam yet)"]
    return "\n".join(lines)


def main(content_dir, data_dir, as_json: bool) -> int:
    """``quizapp stats``: the figures of the Statistics screen, for the shell and scripts."""
    import json
    from datetime import timezone

    from quizapp.content.loader import load_bank
    from quizapp.progress.store import open_store

    content = load_bank(content_dir, data_dir)
    store = open_store(data_dir)
    try:
        report = stats_report(store, content, datetime.now(timezone.utc))
    finally:
        store.close()
    from quizapp.terminal_text import echo, echo_json  # content text is shown with control characters escaped

    if as_json:
        echo_json(report)
    else:
        echo(stats_text(report))
    return 0
