"""Classroom sessions: plan validation, the rules, a real server over 127.0.0.1, export."""

from __future__ import annotations

import asyncio
import csv
import time

import pytest

from quizapp.content.model import Option, Question
from quizapp.session.client import SessionClient
from quizapp.session.export import export_results
from quizapp.session.plan import PlanError, SessionPlan, load_plan
from quizapp.session.server import SessionServer
from quizapp.session.state import SessionError, SessionState


def question(qid: str, answer: str, tags=("drift",)) -> Question:
    return Question(
        id=qid, title=f"Title {qid}", stem=f"Stem {qid}?", tags=list(tags),
        options=[Option(letter, f"option {letter}") for letter in "ABCD"], answer=frozenset(answer),
    )


QUESTIONS = {"q1": question("q1", "B"), "q2": question("q2", "AD", tags=("baseline",)), "q3": question("q3", "C")}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_state(seconds: int = 30, clock=None, anonymous=False) -> SessionState:
    plan = SessionPlan("Week 3", ["q1", "q2", "q3"], seconds_per_question=seconds, anonymous=anonymous)
    return SessionState(plan, QUESTIONS, code="123456", clock=clock or time.monotonic)


# --- plans -------------------------------------------------------------------------------------

def test_plan_by_ids_and_tags(write):
    plan = load_plan(write("s.yaml", "title: Week 3\nquestions: [q3]\ntags: [drift]\nseconds_per_question: 45\n"), QUESTIONS)
    assert plan.question_ids == ["q3", "q1"] and plan.seconds_per_question == 45 and plan.title == "Week 3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: x\nquestions: [q1, nope]\n", "s.yaml:2: unknown question id nope"),
        ("title: x\nquestions: [q1]\nseconds_per_question: 2\n", "s.yaml:3: seconds_per_question must be a whole number from 5 to 3600, got 2"),
        ("title: x\nquestions: [q1\nanonymous: true\n", "s.yaml:3: bad YAML"),
        ("title: x\nquestion: [q1]\n", "s.yaml:2: unknown key 'question'"),
        ("title: x\ntags: [nothing]\n", "s.yaml:2: no question has any of the tags nothing"),
        ("title: x\nquestions: [q1]\nanonymous: maybe\n", "s.yaml:3: anonymous must be true or false"),
    ],
)
def test_plan_errors_name_file_and_line(write, text, expected):
    path = write("s.yaml", text)
    with pytest.raises(PlanError) as err:
        load_plan(path, QUESTIONS)
    assert any(str(p).replace(str(path), "s.yaml").startswith(expected) for p in err.value.problems), str(err.value)


# --- rules -------------------------------------------------------------------------------------

def test_join_rules_and_rejoin_keeps_score():
    clock = FakeClock()
    state = make_state(clock=clock)
    with pytest.raises(SessionError, match="wrong join code"):
        state.join("ana", "000000")
    token = state.join("ana", "123456").token
    with pytest.raises(SessionError, match="already taken"):
        state.join("ana", "123456")
    state.start_question(0)
    state.answer("ana", "q1", ["b"])
    state.reveal()
    state.leave("ana")
    with pytest.raises(SessionError, match="belongs to a learner who left"):
        state.join("ana", "123456")
    with pytest.raises(SessionError, match="belongs to a learner who left"):
        state.join("ana", "123456", token="not-" + token)
    again = state.join("ana", "123456", token=token)
    assert again.score(state.questions, state.revealed) == 1
    assert state.leaderboard() == [("ana", 1)]


def test_answer_rules_timer_pause_and_counts():
    clock = FakeClock()
    state = make_state(seconds=30, clock=clock)
    state.join("ana", "123456")
    state.join("bo", "123456")
    state.start_question(1)  # q2 needs two answers
    with pytest.raises(SessionError, match="not the current question"):
        state.answer("ana", "q1", ["B"])
    with pytest.raises(SessionError, match="choose exactly 2 options"):
        state.answer("ana", "q2", ["A"])
    with pytest.raises(SessionError, match="choose from A, B, C, D"):
        state.answer("ana", "q2", ["A", "Z"])
    state.answer("ana", "q2", ["D", "A"])
    with pytest.raises(SessionError, match="already answered"):
        state.answer("ana", "q2", ["A", "D"])
    state.pause()
    clock.now += 100
    with pytest.raises(SessionError, match="paused"):
        state.answer("bo", "q2", ["A", "B"])
    state.resume()
    assert state.remaining() == pytest.approx(30)
    clock.now += 31
    with pytest.raises(SessionError, match="time is up"):
        state.answer("bo", "q2", ["A", "B"])
    state.extend(10)
    state.answer("bo", "q2", ["A", "B"])
    assert state.distribution("q2") == {"A": 2, "B": 1, "C": 0, "D": 1}
    state.reveal()
    assert state.correct_names("q2") == ["ana"]
    with pytest.raises(SessionError, match="time is up"):
        state.answer("bo", "q2", ["A", "D"])


def test_export_csv_and_markdown(tmp_path):
    state = make_state()
    for name in ("ana", "bo"):
        state.join(name, "123456")
    state.start_question(0)
    state.answer("ana", "q1", ["B"])
    state.answer("bo", "q1", ["C"])
    state.reveal()
    paths = export_results(state, tmp_path / "results")
    rows = list(csv.DictReader(paths[0].open()))
    # a mid-session export: only the one question asked so far is listed and scored
    assert [(r["learner"], r["question_id"], r["chosen"], r["correct"]) for r in rows] == [("ana", "q1", "B", "1"), ("bo", "q1", "C", "0")]
    scores = list(csv.reader(paths[1].open()))
    assert scores == [["learner", "score", "questions"], ["ana", "1", "1"], ["bo", "0", "1"]]
    summary = paths[2].read_text()
    assert "2 learners, 1 of 3 questions asked." in summary
    assert "| 1 | Title q1 | B | 0 | 1 | 1 | 0 |  | 2 | 1 (50%) |" in summary
    assert "| ana | 1/1 |" in summary and "q2" not in summary.replace("Title q2", "")
    state.start_question(1)
    state.reveal()
    state.start_question(2)
    state.reveal()
    scores = list(csv.reader(export_results(state, tmp_path / "end")[1].open()))
    assert scores[1] == ["ana", "1", "3"]  # at the end every question counts
    assert "2 learners, 3 questions." in (tmp_path / "end" / "summary.md").read_text()


# --- a real server over 127.0.0.1 ---------------------------------------------------------------

async def test_clients_join_answer_reveal_reconnect():
    state = make_state(seconds=30)
    server = SessionServer(state, "127.0.0.1", 0)
    host, port = await server.start()
    try:
        with pytest.raises(SessionError, match="wrong join code"):
            await SessionClient().connect(host, port, "999999", "mallory")
        clients = {}
        for name in ("ana", "bo", "cy"):
            clients[name] = SessionClient()
            await clients[name].connect(host, port, "123456", name)
        with pytest.raises(SessionError, match="already taken"):
            await SessionClient().connect(host, port, "123456", "ana")
        await server.start_question(0)
        for name, choice in (("ana", ["B"]), ("bo", ["B"]), ("cy", ["A"])):
            msg = await clients[name].next_message(timeout=5)
            assert msg["type"] == "question" and msg["question_id"] == "q1" and msg["choose"] == 1
            assert (await clients[name].answer("q1", choice))["type"] == "ack"
        with pytest.raises(SessionError, match="not the current question"):
            await clients["cy"].answer("q2", ["A", "D"])
        await server.reveal()
        reveal = await clients["cy"].next_message(timeout=5)
        assert reveal["type"] == "reveal" and reveal["correct"] is False and reveal["distribution"]["B"] == 2
        assert reveal["leaderboard"][:2] == [["ana", 1], ["bo", 1]]
        # ana drops out and comes back under the same name: the score stays
        await clients["ana"].close()
        for _ in range(50):
            if not state.participants["ana"].connected:
                break
            await asyncio.sleep(0.02)
        with pytest.raises(SessionError, match="belongs to a learner who left"):
            await SessionClient().connect(host, port, "123456", "ana")
        back = SessionClient()
        welcome = await back.connect(host, port, "123456", "ana", token=clients["ana"].token)
        assert welcome["score"] == 1
        await server.start_question(1)
        msg = await back.next_message(timeout=5)
        assert msg["question_id"] == "q2" and msg["choose"] == 2
        await back.close()
        for client in clients.values():
            await client.close()
    finally:
        await server.stop()


async def test_sixty_clients_answer_within_one_second():
    """Bounded load test: 60 learners on 127.0.0.1 all get an ack within a second."""
    state = make_state(seconds=60)
    server = SessionServer(state, "127.0.0.1", 0)
    host, port = await server.start()
    clients = [SessionClient() for _ in range(60)]
    try:
        await asyncio.wait_for(asyncio.gather(*(c.connect(host, port, "123456", f"learner{i:02d}") for i, c in enumerate(clients))), 20)
        await server.start_question(0)
        await asyncio.wait_for(asyncio.gather(*(c.next_message() for c in clients)), 10)
        started = time.perf_counter()
        acks = await asyncio.wait_for(asyncio.gather(*(c.answer("q1", ["B"]) for c in clients)), 10)
        elapsed = time.perf_counter() - started
        assert [a["type"] for a in acks] == ["ack"] * 60
        assert state.answered_count("q1") == 60
        assert elapsed < 1.0, f"60 answers took {elapsed:.2f} s"
    finally:
        for c in clients:
            await c.close()
        await server.stop()


async def test_a_shown_question_reaches_learners_only_when_started():
    state = make_state(seconds=30)
    server = SessionServer(state, "127.0.0.1", 0)
    host, port = await server.start()
    try:
        state.show_question(0)
        client = SessionClient()
        await client.connect(host, port, "123456", "ana")
        with pytest.raises(asyncio.TimeoutError):
            await client.next_message(timeout=0.3)
        with pytest.raises(SessionError, match="wait for the presenter to start this question"):
            await client.answer("q1", ["B"])
        await server.start_question(0)
        assert (await client.next_message(timeout=5))["question_id"] == "q1"
        await client.close()
    finally:
        await server.stop()
