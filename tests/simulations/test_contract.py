"""Every simulation keeps the shared contract: verdicts computed from criteria, control worlds
that change the story, and outcomes lettered exactly like each question it serves.

Runs every simulation x every preset x seeds 0-4 once (cached) and checks them all.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from quizapp.content import load_content
from simulations.catalog import SIMULATION_NAMES
from simulations.params import ParameterError
from simulations.registry import for_question_result, get_info, run_simulation, run_world
from simulations.result import SimulationResult

BANK = load_content().questions
SEEDS = range(5)
WORLDS = [(name, preset) for name in SIMULATION_NAMES for preset in get_info(name).all_presets()]


@lru_cache(maxsize=None)
def world(name: str, preset: str, seed: int) -> SimulationResult:
    return run_world(name, seed=seed, preset=preset)


def lettered(name: str, preset: str, seed: int, question: str | None = None) -> SimulationResult:
    return for_question_result(world(name, preset, seed), question)


@pytest.mark.slow  # every simulation x every preset x 5 seeds
@pytest.mark.parametrize(("name", "preset"), WORLDS)
def test_every_verdict_is_all_criteria_passed_and_nothing_measured_is_null(name, preset):
    for seed in SEEDS:
        data = json.loads(world(name, preset, seed).to_json())
        assert data["outcomes"], f"{name}/{preset}: no outcomes"
        for o in data["outcomes"]:
            assert o["criteria"], f"{name}/{preset} {o['key']}: no criteria"
            for c in o["criteria"]:
                assert isinstance(c["measured"], (int, float, bool)), f"{name}/{preset} {o['key']}: {c}"
                assert c["threshold"] is None or isinstance(c["threshold"], (int, float)), c
                assert c["name"] and c["says"]
            assert o["works"] == all(c["passed"] for c in o["criteria"])
            assert o["verdict"] == ("works" if o["works"] else "does not work")


@pytest.mark.slow  # 5 seeds of every simulation
@pytest.mark.parametrize("name", SIMULATION_NAMES)
def test_when_a_verdict_differs_between_runs_its_words_differ(name):
    runs = [world(name, preset, seed) for preset in get_info(name).all_presets() for seed in SEEDS]
    by_key: dict[str, list] = {}
    for result in runs:
        for o in result.outcomes:
            by_key.setdefault(o.key, []).append(o)
    for key, outcomes in by_key.items():
        for a in outcomes:
            for b in outcomes:
                if a.works != b.works:
                    assert a.why != b.why and a.result != b.result, f"{name} {key}: the verdict flipped but the text did not"


@pytest.mark.parametrize("name", SIMULATION_NAMES)
def test_every_simulation_has_a_control_world_that_changes_the_story(name):
    info = get_info(name)
    controls = [p for p in info.all_presets().values() if p.control]
    assert controls, f"{name} has no control preset"
    for preset in controls:
        assert preset.premise, f"{name}/{preset.name}: a control names the premise it removes"
        for seed in SEEDS:
            base, ctrl = lettered(name, "default", seed), lettered(name, preset.name, seed)
            assert ctrl.narrative != base.narrative, f"{name}/{preset.name} seed {seed}: same narrative as the default world"
            verdicts = [o.works for o in base.outcomes] != [o.works for o in ctrl.outcomes]
            answer = BANK[base.question_id].answer
            answer_text = [o.result for o in base.outcomes if o.letter in answer] != [o.result for o in ctrl.outcomes if o.letter in answer]
            assert verdicts or answer_text, f"{name}/{preset.name} seed {seed}: no verdict and not the answer's result changed"


LINKS = [(name, link.question_id) for name in SIMULATION_NAMES for link in get_info(name).links]


@pytest.mark.parametrize(("name", "qid"), LINKS)
def test_outcomes_match_each_linked_question_letter_for_letter(name, qid):
    question = BANK[qid]
    assert question.simulation == name, f"{qid} does not link back to {name}"
    for seed in SEEDS:
        result = lettered(name, "default", seed, qid)
        assert result.question_id == qid
        assert [o.letter for o in result.outcomes] == question.letters
        assert sorted(result.correct_letters) == sorted(question.answer), f"{name} seed {seed} for {qid}"


def test_every_question_that_names_a_simulation_is_served_by_it():
    for qid, question in BANK.items():
        if question.simulation:
            assert qid in get_info(question.simulation).question_ids, f"{qid} names {question.simulation}, which does not serve it"


def test_run_with_question_and_preset_through_the_registry():
    name = SIMULATION_NAMES[0]
    info = get_info(name)
    result = run_simulation(name, seed=0, question=info.question_ids[-1])
    assert result.question_id == info.question_ids[-1] and result.preset == "default"
    with pytest.raises(ParameterError, match="does not serve question 'no-such-question'"):
        run_simulation(name, question="no-such-question")
    with pytest.raises(ParameterError, match="unknown preset 'no-such-preset'"):
        run_simulation(name, preset="no-such-preset")


@pytest.mark.parametrize("name", SIMULATION_NAMES)
def test_same_seed_same_json_and_the_json_round_trips(name):
    text = lettered(name, "default", 0).to_json()
    assert run_simulation(name, seed=0).to_json() == text
    assert SimulationResult.from_dict(json.loads(text)).to_json() == text


@pytest.mark.parametrize("name", SIMULATION_NAMES)
def test_progress_callback_reaches_the_end(name):
    calls = []
    run_simulation(name, seed=0, progress=lambda step, total, message: calls.append((step, total, message)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


@pytest.mark.parametrize("name", SIMULATION_NAMES)
def test_out_of_range_parameters_are_rejected_by_name(name):
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
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_at_least_forty_questions_of_the_bank_run_a_simulation():
    linked = {qid for name in SIMULATION_NAMES for qid in get_info(name).question_ids}
    assert len(linked) >= 40, f"only {len(linked)} questions are linked to a simulation"
    assert len(linked) == sum(len(get_info(name).question_ids) for name in SIMULATION_NAMES), "a question is served twice"
