"""monitoring-scripts: logging, batch record types and tickets, checked by counting directly."""

from __future__ import annotations

import pytest

from simulations.registry import run_simulation, run_world

NAME = "monitoring-scripts"


@pytest.fixture(scope="module")
def world():
    return run_world(NAME, seed=0)


def outcome(result, key):
    return next(o for o in result.outcomes if o.key == key)


def test_the_logger_writes_exactly_the_bad_records(world):
    lines = world.artifact_text("scripts/log-stream.txt").strip().splitlines()
    assert len(lines) == world.key_numbers["bad_records"] > 0
    assert all("'N/A," in line for line in lines)


@pytest.mark.parametrize("share", [0.0, 0.1, 0.4])
def test_logged_count_follows_the_bad_share(share):
    result = run_world(NAME, {"bad_share": share, "records": 200}, seed=1)
    assert result.key_numbers["logged"] == result.key_numbers["bad_records"]
    assert outcome(result, "debug:postprocessing-script").works == (result.key_numbers["bad_records"] == 0)


def test_post_processing_opens_one_ticket_per_successful_run(world):
    assert world.key_numbers["successful"] == 2 and world.key_numbers["post"] == 2
    assert world.key_numbers["pre"] == 2 * world.params["records"]  # one per record of the two runs with data


def test_batch_records_are_plain_types(world):
    c = outcome(world, "batch:str-or-dict-records")
    assert c.works and "dict, str" in c.criteria[0].says


def test_control_and_lettering():
    control = run_simulation(NAME, seed=0, preset="clean-requests")
    assert "nothing to debug" in control.narrative
    clean = {o.key for o in run_world(NAME, seed=0, preset="clean-requests").outcomes if o.works}
    assert {"debug:postprocessing-script", "debug:handler-with-logger"} <= clean
    works = {o.key for o in run_world(NAME, seed=0).outcomes if o.works and o.key.startswith("ticket:")}
    assert works == {"ticket:postprocessing-script"}


def test_scripts_scope(world):
    assert outcome(world, "scope:data-and-model-quality").works
    assert outcome(world, "scope:batch-transform-only").criteria[0].measured > 0
