"""Every simulation keeps the shared contract, and agrees with the question it explains."""

from __future__ import annotations

import json

import pytest

from quizapp.content import load_content
from simulations.catalog import SIMULATION_NAMES
from simulations.params import ParameterError
from simulations.registry import get_info, run_simulation
from simulations.result import SimulationResult

BANK = load_content().questions


@pytest.fixture(scope="module", params=SIMULATION_NAMES)
def name_and_result(request):
    return request.param, run_simulation(request.param, seed=0)


def test_outcomes_match_the_linked_question_letter_for_letter(name_and_result):
    name, result = name_and_result
    info = get_info(name)
    assert result.question_id in info.question_ids
    question = BANK[result.question_id]
    assert question.simulation == name
    assert [o.letter for o in result.outcomes] == question.letters
    assert sorted(result.correct_letters) == sorted(question.answer)
    assert all(o.result and o.why and o.evidence for o in result.outcomes)


def test_every_linked_question_exists_and_links_back():
    for name in SIMULATION_NAMES:
        for qid in get_info(name).question_ids:
            assert BANK[qid].simulation == name


def test_same_seed_same_json_and_the_json_round_trips(name_and_result):
    name, result = name_and_result
    text = result.to_json()
    assert run_simulation(name, seed=0).to_json() == text
    assert SimulationResult.from_dict(json.loads(text)).to_json() == text


def test_progress_callback_reaches_the_end(name_and_result):
    name, _ = name_and_result
    calls = []
    run_simulation(name, seed=0, progress=lambda step, total, message: calls.append((step, total, message)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_out_of_range_parameters_are_rejected_by_name(name_and_result):
    name, _ = name_and_result
    for spec in get_info(name).params:
        if spec.max is not None:
            with pytest.raises(ParameterError, match=f"parameter '{spec.name}' must be"):
                run_simulation(name, {spec.name: spec.max + 1000})
        if spec.choices:
            with pytest.raises(ParameterError, match=f"parameter '{spec.name}' must be one of"):
                run_simulation(name, {spec.name: "no-such-choice"})


def test_simulations_never_import_the_app_or_textual():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from simulations.catalog import SIMULATION_NAMES\n"
        "from simulations.registry import run_simulation\n"
        "for name in SIMULATION_NAMES: run_simulation(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('quizapp', 'textual'))\n"
        "print(bad)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
