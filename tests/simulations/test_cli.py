"""`python -m simulations` and `quizapp sim` as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from simulations.catalog import SIMULATION_NAMES
from tests.conftest import REPO


def sim(*args: str, module: str = "simulations") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", module, *(["sim"] if module == "quizapp" else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=120)


def test_list_names_every_simulation_and_its_questions():
    run = sim("list")
    assert run.returncode == 0, run.stderr
    for name in SIMULATION_NAMES:
        assert name in run.stdout
    data = json.loads(sim("list", "--json").stdout)
    assert [d["name"] for d in data] == list(SIMULATION_NAMES)
    assert all(d["question_ids"] for d in data)


def test_describe_shows_parameters_with_defaults_and_ranges():
    run = sim("describe", "sales-drift")
    assert run.returncode == 0
    data = json.loads(sim("describe", "sales-drift", "--json").stdout)
    for p in data["params"]:
        assert p["name"] in run.stdout and f"default {p['default']!r}" in run.stdout


def test_run_prints_an_outcome_for_every_option():
    run = sim("run", "stale-baseline", "--quiet")
    assert run.returncode == 0, run.stderr
    for letter in "ABCD":
        assert f"{letter}) [" in run.stdout
    assert run.stdout.count("[WORKS]") == 1


def test_run_json_is_deterministic_and_complete():
    first = sim("run", "sales-drift", "--json", "--seed", "7", "--quiet")
    second = sim("run", "sales-drift", "--json", "--seed", "7", "--quiet")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["seed"] == 7 and data["question_id"] == "weekly-mae-line-chart"
    assert [o["letter"] for o in data["outcomes"]] == ["A", "B", "C", "D"]
    assert [o["letter"] for o in data["outcomes"] if o["works"]] == ["C"]


def test_out_writes_artifacts_a_user_can_open(tmp_path):
    run = sim("run", "stale-baseline", "--out", str(tmp_path / "out"), "--quiet")
    assert run.returncode == 0, run.stderr
    files = {p.name for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert "result.json" in files
    assert {"statistics.json", "constraints.json", "constraint_violations.json"} <= files
    for path in (tmp_path / "out").rglob("*.json"):
        json.loads(path.read_text())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "no-such"), "unknown simulation 'no-such'"),
        (("run", "sales-drift", "--set", "bogus=1"), "unknown parameter 'bogus'"),
        (("run", "sales-drift", "--set", "oops"), "expected NAME=VALUE"),
        (("describe", "nope"), "unknown simulation 'nope'"),
    ],
)
def test_bad_arguments_exit_2_with_a_message_on_stderr(args, message):
    run = sim(*args)
    assert run.returncode == 2
    assert message in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_quizapp_sim_shares_the_implementation():
    assert sim("list", module="quizapp").stdout == sim("list").stdout
    assert sim("run", "nope", module="quizapp").returncode == 2


@pytest.mark.parametrize("name", SIMULATION_NAMES)
def test_plot_draws_charts_without_colour_codes_when_piped(name):
    run = sim("run", name, "--plot", "--quiet")
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("┌") >= 1 and "└" in run.stdout
    assert "\x1b[" not in run.stdout


def test_describe_lists_presets_and_questions_and_run_takes_them():
    data = json.loads(sim("describe", "stale-baseline", "--json").stdout)
    presets = data["presets"]
    assert list(presets)[0] == "default" and presets["default"]["params"]["age_shift"] == 15.0
    control = presets["no-drift"]
    assert control["control"] is True and control["premise"] and control["params"]["age_shift"] == 0.0
    assert data["question_ids"] == [q["question_id"] for q in data["questions"]]
    text = sim("describe", "stale-baseline").stdout
    assert "presets (run with --preset NAME):" in text and "no-drift [control:" in text
    run = json.loads(sim("run", "stale-baseline", "--preset", "no-drift", "--json", "--quiet").stdout)
    assert run["preset"] == "no-drift" and run["params"]["age_shift"] == 0.0
    assert all(o["criteria"] and o["works"] == all(c["passed"] for c in o["criteria"]) for o in run["outcomes"])
    question = data["question_ids"][0]
    assert json.loads(sim("run", "stale-baseline", "--question", question, "--json", "--quiet").stdout)["question_id"] == question


@pytest.mark.parametrize(("args", "message"), [
    (("run", "stale-baseline", "--preset", "nope"), "unknown preset 'nope' for stale-baseline; presets: default, no-drift"),
    (("run", "stale-baseline", "--question", "nope"), "does not serve question 'nope'"),
])
def test_a_bad_preset_or_question_exits_2_naming_what_exists(args, message):
    run = sim(*args)
    assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr


def test_two_series_of_a_chart_have_their_own_marker_and_colour():
    from simulations.render import render_plots
    from simulations.result import Series, SimulationResult

    result = SimulationResult("demo", {}, 0, series=[
        Series("actual", [1, 2, 3], [1.0, 2.0, 3.0], chart="Sales"),
        Series("forecast", [1, 2, 3], [1.5, 2.5, 2.0], chart="Sales"),
    ])
    plain = render_plots(result, width=60, height=12, color=False)
    legend = [line for line in plain.splitlines() if "actual" in line or "forecast" in line]
    assert any("•• actual" in line for line in legend) and any("xx forecast" in line for line in legend)
    coloured = render_plots(result, width=60, height=12, color=True)
    codes = {code for code in __import__("re").findall(r"\x1b\[[0-9;]*m", coloured)}
    assert len(codes) >= 2  # on a terminal the two series are drawn in different colours


def test_progress_is_not_written_into_a_log_file(tmp_path):
    """stderr redirected to a file: no carriage-return progress frames end up in it."""
    import subprocess
    import sys

    log = tmp_path / "stderr.log"
    with log.open("w") as err:
        done = subprocess.run([sys.executable, "-m", "simulations", "run", "stale-baseline", "--json"], stdout=subprocess.DEVNULL,
                              stderr=err, timeout=120)
    assert done.returncode == 0
    assert "\r" not in log.read_text() and "%]" not in log.read_text()
