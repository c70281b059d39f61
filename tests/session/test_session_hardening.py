"""A classroom session under abuse: a learner that never reads, code guessing, idle and
over-long connections, name look-alikes and stolen names, formula names in the CSV export."""

from __future__ import annotations

import asyncio
import csv
import json
import time

import pytest

from quizapp.session.client import SessionClient
from quizapp.session.export import export_results
from quizapp.session.names import normalise_name, skeleton
from quizapp.session.server import ServerLimits, SessionServer
from quizapp.session.state import SessionError, SessionState
from quizapp.session.throttle import CODE_SPACE, JoinThrottle, ThrottleLimits, seconds_to_try_codes
from tests.session.test_session import QUESTIONS, FakeClock, make_state
from quizapp.session.plan import SessionPlan

DAY = 24 * 3600


async def serve(state: SessionState, **limits) -> tuple[SessionServer, int]:
    server = SessionServer(state, "127.0.0.1", 0, limits=ServerLimits(**limits))
    _host, port = await server.start()
    return server, port


async def raw(port: int, line: bytes | None = None, source: str = "127.0.0.1"):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0), limit=1 << 22)
    if line is not None:
        writer.write(line)
        await writer.drain()
    return reader, writer


def join_line(code: str, name: str) -> bytes:
    return (json.dumps({"type": "join", "code": code, "name": name}) + "\n").encode()


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> list[dict]:
    """Messages read until the server closes the connection; fails if it stays open ``seconds``."""
    messages = []
    async with asyncio.timeout(seconds):
        while line := await reader.readline():
            messages.append(json.loads(line))
    return messages


# --- a learner that never reads ---------------------------------------------------------------

async def test_a_flooding_client_that_never_reads_is_dropped_and_reveal_reaches_others_within_2s():
    state = make_state(seconds=60)
    server, port = await serve(state, send_queue=50)
    ana, bo = SessionClient(), SessionClient()
    try:
        await ana.connect("127.0.0.1", port, "123456", "ana")
        await bo.connect("127.0.0.1", port, "123456", "bo")
        _reader, flood = await raw(port, join_line("123456", "flood"))
        junk = b'{"type": "' + b"x" * 3500 + b'"}\n'

        async def flood_forever():
            try:
                for _ in range(20000):  # each line earns an error reply as long as itself, never read
                    flood.write(junk * 5)
                    await flood.drain()
            except ConnectionError:
                pass

        flooding = asyncio.create_task(flood_forever())
        await asyncio.sleep(0.3)  # the flood is under way
        started = time.perf_counter()
        await asyncio.wait_for(server.start_question(0), 0.5)  # the presenter never waits on a learner
        await asyncio.wait_for(server.reveal(), 0.5)
        for client in (ana, bo):
            while (message := await client.next_message(timeout=2)).get("type") != "reveal":
                pass
        assert time.perf_counter() - started < 2.0
        async with asyncio.timeout(10):  # the flooder fell behind and was dropped
            while state.participants["flood"].connected:
                await asyncio.sleep(0.05)
        flooding.cancel()
        assert state.participants["ana"].connected and state.participants["bo"].connected
    finally:
        for client in (ana, bo):
            await client.close()
        await server.stop()


# --- join-code throttling ---------------------------------------------------------------------

def test_covering_the_code_space_takes_more_than_a_day_at_the_best_rate():
    limits = ThrottleLimits()
    one_machine = seconds_to_try_codes(limits, addresses=1)
    assert one_machine > 50 * DAY  # 5 tries, then one per 5 s: about 5.0e6 s (58 days)
    assert seconds_to_try_codes(limits, addresses=254) > 4 * DAY  # a whole /24 of aliases: about 4.8 days
    assert seconds_to_try_codes(limits, addresses=1000) > DAY


@pytest.mark.parametrize("addresses", [1, 20])
def test_a_greedy_attacker_never_beats_the_computed_rate(addresses):
    """Simulate an attacker who tries a code the moment any of its addresses may; count tries in an hour."""
    clock = FakeClock()
    throttle = JoinThrottle(ThrottleLimits(), clock)
    start, hour, tries = clock.now, 3600.0, 0
    names = [f"10.0.0.{i}" for i in range(addresses)]
    while True:
        waits = [(throttle.wait(a), a) for a in names]
        wait, best = min(waits)
        if clock.now + wait - start > hour:
            break
        clock.now += wait
        throttle.failed(best)
        tries += 1
    assert tries > 0
    assert seconds_to_try_codes(ThrottleLimits(), codes=tries, addresses=addresses) <= hour
    # at that rate a day covers far less than the code space
    assert tries * 24 < CODE_SPACE


def test_a_throttled_address_is_refused_before_its_code_is_checked():
    clock = FakeClock()
    throttle = JoinThrottle(ThrottleLimits(address_burst=2, address_interval=10), clock)
    throttle.failed("10.0.0.1")
    assert throttle.wait("10.0.0.1") == 0
    throttle.failed("10.0.0.1")
    assert throttle.wait("10.0.0.1") == pytest.approx(10)
    assert throttle.wait("10.0.0.2") == 0  # another machine is not slowed
    clock.now += 10
    assert throttle.wait("10.0.0.1") == 0


async def test_live_guessing_is_throttled_while_a_learner_with_the_code_joins_at_once():
    limits = ThrottleLimits(address_burst=3, address_interval=0.25, global_burst=5, global_interval=0.1)
    state = make_state()
    server, port = await serve(state, throttle=limits)
    checked = refused = 0
    stop = asyncio.Event()

    async def guess_loop(worker: int):
        nonlocal checked, refused
        n = worker
        while not stop.is_set():
            reader, writer = await raw(port, join_line(f"{n % 1000:06d}", "mallory"), source="127.0.0.2")
            reply = json.loads(await reader.readline())
            writer.close()
            if reply["message"] == "wrong join code":
                checked += 1
            else:
                assert reply["message"].startswith("too many wrong join codes"), reply
                refused += 1
            n += 50

    try:
        started = time.perf_counter()
        attackers = [asyncio.create_task(guess_loop(i)) for i in range(50)]  # 50 connections at a time
        await asyncio.sleep(0.5)
        joined_at = time.perf_counter()
        ana = SessionClient()
        await asyncio.wait_for(ana.connect("127.0.0.1", port, "123456", "ana"), 1.0)
        join_seconds = time.perf_counter() - joined_at
        await asyncio.sleep(0.7)
        stop.set()
        await asyncio.gather(*attackers)
        elapsed = time.perf_counter() - started
        assert join_seconds < 1.0
        assert checked <= limits.address_burst + elapsed / limits.address_interval + 1, (checked, refused, elapsed)
        assert refused > checked  # the attacker tried far more than were looked at
        # the right code from the throttled address is refused too: a refusal tells nothing
        reader, writer = await raw(port, join_line("123456", "mallory"), source="127.0.0.2")
        assert json.loads(await reader.readline())["message"].startswith("too many wrong join codes")
        writer.close()
        assert "mallory" not in state.participants
        await ana.close()
    finally:
        await server.stop()


# --- caps, timeouts and line size -------------------------------------------------------------

def test_participants_are_capped_and_a_rejoin_still_fits():
    state = SessionState(SessionPlan("x", ["q1"]), QUESTIONS, code="123456", max_participants=2)
    token = state.join("ana", "123456").token
    state.join("bo", "123456")
    with pytest.raises(SessionError, match=r"the session is full \(2 learners\)"):
        state.join("cy", "123456")
    state.leave("ana")
    assert state.join("ana", "123456", token=token).connected


async def test_silent_connection_and_idle_learner_are_closed_a_pinging_one_is_kept():
    state = make_state()
    server, port = await serve(state, join_timeout=0.3, idle_timeout=0.6)
    try:
        reader, _writer = await raw(port)  # never sends its join line
        assert (await closed_within(reader, 2))[0]["message"] == "join timed out"
        idle, pinging = SessionClient(ping_every=3600), SessionClient(ping_every=0.1)
        await idle.connect("127.0.0.1", port, "123456", "idle")
        await pinging.connect("127.0.0.1", port, "123456", "pinging")
        messages = []
        while (message := await idle.next_message(timeout=3))["type"] != "closed":
            messages.append(message)
        assert "nothing received" in messages[-1]["message"]
        assert not state.participants["idle"].connected and state.participants["pinging"].connected
    finally:
        await pinging.close()
        await server.stop()


async def test_a_line_over_the_size_limit_ends_the_connection():
    state = make_state()
    server, port = await serve(state, max_line=4096)
    try:
        reader, writer = await raw(port, join_line("123456", "ana"))
        assert json.loads(await reader.readline())["type"] == "welcome"
        writer.write(b'{"type": "answer", "choice": ["' + b"A" * 5000 + b'"]}\n')
        messages = await closed_within(reader, 2)
        assert "line too long" in messages[-1]["message"]
        assert not state.participants["ana"].connected
        reader, _writer = await raw(port, b'{"type": "join", "name": "' + b"b" * 5000 + b'"}\n')
        assert "line too long" in (await closed_within(reader, 2))[-1]["message"]
    finally:
        await server.stop()


# --- names and rejoin tokens ------------------------------------------------------------------

def test_names_are_nfkc_normalised_and_look_alikes_refused():
    assert normalise_name("Ａｎａ  Ｋｉｍ") == "Ana Kim"
    assert skeleton("Аna") == skeleton("ANA") == skeleton("ΑΝΑ") == skeleton("Ana")  # Cyrillic А, Greek Α Ν
    assert skeleton("Ana") != skeleton("Ann")
    state = make_state()
    state.join("Ana", "123456")
    assert state.join("Ｂｏｂ", "123456").name == "Bob"
    for look_alike in ("Аna", "ana", "ANA", "Anа", "Ａｎａ"):  # Cyrillic а/А, case, full width
        with pytest.raises(SessionError, match="looks like 'Ana'|already taken"):
            state.join(look_alike, "123456")
    state.leave("Ana")
    with pytest.raises(SessionError, match="looks like 'Ana'"):
        state.join("Аna", "123456")  # not even while Ana is away


async def test_a_name_is_taken_back_only_with_its_token():
    state = make_state()
    server, port = await serve(state)
    try:
        ana = SessionClient()
        welcome = await ana.connect("127.0.0.1", port, "123456", "ana")
        token = welcome["token"]
        assert len(token) >= 16
        await ana.close()
        async with asyncio.timeout(5):
            while state.participants["ana"].connected:
                await asyncio.sleep(0.02)
        with pytest.raises(SessionError, match="belongs to a learner who left"):
            await SessionClient().connect("127.0.0.1", port, "123456", "ana")
        with pytest.raises(SessionError, match="belongs to a learner who left"):
            await SessionClient().connect("127.0.0.1", port, "123456", "ana", token="guess")
        back = SessionClient()
        assert (await back.connect("127.0.0.1", port, "123456", "ana", token=token))["name"] == "ana"
        await back.close()
    finally:
        await server.stop()


# --- CSV injection ----------------------------------------------------------------------------

def test_formula_names_are_written_as_text_in_every_csv(tmp_path):
    state = make_state()
    names = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "-2+3", "ana"]
    for name in names:
        state.join(name, "123456")
    state.start_question(0)
    state.answer("ana", "q1", ["B"])
    state.reveal()
    answers, scores, _summary = export_results(state, tmp_path)
    for path in (answers, scores):
        rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
        learners = {row[0] for row in rows[1:]}
        assert learners == {"'" + n for n in names if n != "ana"} | {"ana"}, path
        for row in rows:
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    assert list(csv.reader(scores.open()))[1] == ["ana", "1", "1"]  # numbers stay numbers (1 question asked so far)


def test_the_session_command_checks_max_learners(write):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "quizapp", "session", str(write("s.yaml", "title: x\n")), "--max-learners", "0"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--max-learners must be at least 1" in run.stderr
