"""service-limits: the refusals, the capture gap and the file layout, checked against the rules
(F21-F24, F33, F35) computed here independently."""

from __future__ import annotations

import numpy as np
import pytest

from simulations.registry import run_simulation, run_world
from simulations.service_limits import CAPTURE_DISK_LIMIT

NAME = "service-limits"


@pytest.fixture(scope="module")
def world():
    return run_world(NAME, seed=0)


def outcome(result, key):
    return next(o for o in result.outcomes if o.key == key)


def test_capture_gap_is_exactly_the_requests_of_hours_at_or_above_the_limit(world):
    day = world.tables["sales_day"]
    expected = day.loc[day["disk_percent"] >= CAPTURE_DISK_LIMIT, "served"].sum()
    assert world.key_numbers["skipped"] == expected > 0
    assert (day["served"] >= day["captured"]).all()
    assert outcome(world, "disk:capture-paused-keep-below-75").works


@pytest.mark.parametrize("peak", [50.0, 74.0, 76.0, 99.0])
def test_gap_appears_only_above_the_limit(peak):
    result = run_world(NAME, {"disk_peak": peak}, seed=2)
    day = result.tables["sales_day"]
    assert (result.key_numbers["skipped"] > 0) == bool((day["disk_percent"] >= CAPTURE_DISK_LIMIT).any())


def test_multi_model_endpoint_refuses_every_schedule_and_own_endpoints_catch_the_drift(world):
    per_model = outcome(world, "mme:schedule-per-model").evidence
    assert per_model["accepted"] == 0 and "multi-model" in per_model["refusal"]
    own = outcome(world, "mme:own-endpoints").evidence
    assert own["accepted"] == world.params["models"] and own["flagged"] and own["typical_quiet"]


def test_only_deleting_the_schedule_first_frees_the_endpoint(world):
    refused = {o.key: bool(o.evidence["refused"]) for o in world.outcomes if o.key.startswith("delete:")}
    assert refused == {"delete:force": True, "delete:schedule-first": False, "delete:disable-capture-first": True,
                       "delete:empty-prefix-first": True, "delete:stop-schedule-first": True, "delete:endpoint-config-first": True}
    assert outcome(world, "delete:schedule-first").evidence["executions_kept"] == 2  # history survives (02:00 and 01:00 runs)


def test_cross_region_capture_is_refused_whatever_else_changes(world):
    for key in ("region:bucket-policy", "region:custom-container", "region:lower-sampling"):
        assert "must be in the schedule's Region" in outcome(world, key).evidence["refused"]
    replicate = outcome(world, "region:same-region-then-replicate").evidence
    assert replicate["refused"] == "" and replicate["records_in_eu"] == 120


def test_capture_path_layout_and_delay(world):
    assert [o.key for o in world.outcomes if o.key.startswith("path:") and o.works] == ["path:endpoint-variant-hour"]
    delay = outcome(world, "async:asynchronous-delayed").evidence
    assert delay["files_right_away"] == 0 and delay["files_after_upload"] == 1
    upload = world.params["upload_minutes"]
    assert 0 < delay["delivery_minutes"] <= upload


def test_pipeline_capture_holds_only_the_outer_request_and_response(world):
    assert outcome(world, "pipeline:as-a-whole").works
    assert not outcome(world, "pipeline:per-container-index").works


def test_control_world_lifts_the_limits():
    control = run_simulation(NAME, seed=0, preset="single-model-endpoints")
    assert all(o.works for o in run_world(NAME, seed=0, preset="single-model-endpoints").outcomes if o.key.startswith("mme:"))
    assert "below the 75 % limit" in control.narrative
    assert not outcome(run_world(NAME, seed=0, preset="single-model-endpoints"), "disk:capture-paused-keep-below-75").works


def test_requirement_checklist(world):
    works = sorted(o.key for o in run_world(NAME, seed=1).outcomes if o.works and o.key.startswith("needed:"))
    assert works == ["needed:disk-below-75", "needed:same-region"]
    assert np.isclose(world.key_numbers["captured_share_disk_low"], 1.0)
