"""The shared simulation contract: parameter validation and the result's JSON round-trip."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulations.params import ParameterError, ParamSpec, parse_assignments, validate_params
from simulations.result import Artifact, Criterion, Event, Outcome, Series, SimulationResult, check, criterion

SPECS = (
    ParamSpec("weeks", int, 16, "weeks of history", min=8, max=52),
    ParamSpec("noise", float, 0.1, "noise level", min=0.0, max=1.0),
    ParamSpec("drift", str, "concept", "drift kind", choices=("covariate", "concept")),
    ParamSpec("auto_stop", bool, False, "stop training on alarm"),
)


def test_defaults_and_conversion_from_strings():
    assert validate_params(SPECS, None) == {"weeks": 16, "noise": 0.1, "drift": "concept", "auto_stop": False}
    assert validate_params(SPECS, {"weeks": "20", "noise": "0.5", "auto_stop": "yes"}) == {
        "weeks": 20, "noise": 0.5, "drift": "concept", "auto_stop": True,
    }


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"weeks": 7}, "parameter 'weeks' must be in 8..52, got 7"),
        ({"weeks": "2.5"}, "parameter 'weeks' must be int (8..52), got '2.5'"),
        ({"noise": "nan"}, "parameter 'noise' must be float (0.0..1.0), got 'nan'"),
        ({"drift": "sudden"}, "parameter 'drift' must be one of covariate, concept, got 'sudden'"),
        ({"auto_stop": "maybe"}, "parameter 'auto_stop' must be bool (true or false), got 'maybe'"),
        ({"colour": 1}, "unknown parameter 'colour'; this simulation takes: weeks, noise, drift, auto_stop"),
    ],
)
def test_bad_parameters_name_the_parameter_and_range(given, message):
    with pytest.raises(ParameterError) as err:
        validate_params(SPECS, given)
    assert str(err.value) == message


@given(st.integers(-100, 100))
def test_int_range_is_enforced_exactly(value):
    spec = SPECS[0]
    if 8 <= value <= 52:
        assert spec.convert(str(value)) == value
    else:
        with pytest.raises(ParameterError):
            spec.convert(value)


def test_parse_assignments():
    assert parse_assignments(["a=1", " b = x=y "]) == {"a": "1", "b": "x=y"}
    with pytest.raises(ParameterError, match="expected NAME=VALUE, got 'oops'"):
        parse_assignments(["oops"])


def make_result() -> SimulationResult:
    import numpy as np

    return SimulationResult(
        name="demo",
        title="Demo",
        params={"weeks": 16},
        seed=3,
        narrative="n",
        series=[Series("mae", [1, 2], [np.float64(0.5), float("nan")], "line", "week", "MAE", "Weekly MAE")],
        tables={"weekly": pd.DataFrame({"week": [1, 2], "mae": [0.5, None]})},
        timeline=[Event("week 2", "violation", "drift")],
        artifacts=[Artifact("baseline/statistics.json", "{}", "stats")],
        outcomes=[
            Outcome("A", "do A", [criterion("violations left", np.int64(3), "<=", 0)], {"n": np.int64(3)}),
            Outcome("B", "do B", [check("fixed", True, "0 violations", "violations remain")]),
        ],
        key_numbers={"change_week": np.int64(13)},
        question_id="q",
    )


def test_result_json_round_trip():
    result = make_result()
    data = json.loads(result.to_json())
    assert data["series"][0]["y"] == [0.5, None]  # NaN becomes null: valid JSON
    assert data["outcomes"][0]["verdict"] == "does not work" and data["outcomes"][1]["verdict"] == "works"
    assert data["key_numbers"] == {"change_week": 13}
    back = SimulationResult.from_dict(data)
    assert back.to_dict() == result.to_dict()
    assert back.correct_letters == ["B"]
    assert back.tables["weekly"]["week"].tolist() == [1, 2]
    assert back.artifact_text("baseline/statistics.json") == "{}"
    with pytest.raises(KeyError, match="no artifact 'nope.json'; artifacts: baseline/statistics.json"):
        back.artifact_text("nope.json")


def test_write_artifacts_refuses_paths_outside_the_folder(tmp_path):
    result = make_result()
    written = result.write_artifacts(tmp_path / "out")
    assert (tmp_path / "out" / "baseline" / "statistics.json").read_text() == "{}"
    assert (tmp_path / "out" / "tables" / "weekly.csv").exists() and len(written) == 3
    result.artifacts.append(Artifact("../escape.txt", "x"))
    with pytest.raises(ValueError, match="escapes the output folder"):
        result.write_artifacts(tmp_path / "out2")
    assert not (tmp_path / "escape.txt").exists()


def test_series_rejects_mismatched_lengths_and_unknown_kinds():
    with pytest.raises(ValueError, match="x has 2 values but y has 1"):
        Series("s", [1, 2], [1])
    with pytest.raises(ValueError, match="series kind must be one of"):
        Series("s", [1], [1], kind="pie")


def test_works_is_exactly_every_criterion_passed_and_the_words_follow_the_numbers():
    ok = Outcome("B", "new baseline", [criterion("violations", 0, "<=", 0), check("bad batch caught", True, "3 violations", "none")])
    assert ok.works and ok.why.startswith("Works: all 2 criteria passed")
    assert ok.result == "violations: 0, at most 0 - passed; bad batch caught: 3 violations - passed"
    flipped = Outcome("B", "new baseline", [criterion("violations", 4, "<=", 0), check("bad batch caught", True, "3 violations", "none")])
    assert not flipped.works
    assert flipped.why == "Does not work: 1 of 2 criteria failed - violations: 4, at most 0 - failed."
    assert flipped.result != ok.result


def test_an_outcome_needs_criteria_and_a_measured_value():
    with pytest.raises(ValueError, match="at least one criterion"):
        Outcome("A", "x", [])
    with pytest.raises(ValueError, match="measured must be a number or a bool"):
        Criterion("n", None, 1, True, "n")
    with pytest.raises(ValueError, match="measured must be finite"):
        criterion("distance", float("nan"), "<=", 0.1)


@pytest.mark.parametrize(("op", "measured", "passed"), [("<=", 2, True), ("<", 2, False), (">=", 2, True), (">", 3, True), ("==", 1, False)])
def test_criterion_operators(op, measured, passed):
    c = criterion("x", measured, op, 2)
    assert c.passed is passed and c.says.endswith("passed" if passed else "failed")


def test_outcome_round_trips_through_json_with_its_criteria():
    o = Outcome("C", "do C", [criterion("alarm delay", 3.5, "<=", 3, detail="fired at epoch 18.5, onset 15", unit="epochs")], {"k": 1}, "found x", key="c-key")
    back = Outcome.from_dict(json.loads(json.dumps(o.to_dict())))
    assert back == o and back.to_dict()["criteria"][0]["threshold"] == 3
    assert "alarm delay: 3.5 epochs, at most 3 epochs (fired at epoch 18.5, onset 15) - failed" in back.result
