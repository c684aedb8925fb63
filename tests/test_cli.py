"""The command line: output formats, exit codes, the JSON contract, convert round-trips."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.forecast import SCHEMA
from realpolitik.scenario.io import load

from shared_data import REPO, shared

runner = CliRunner()
TOY = """\
name: toy
salience_scale: 1
actors:
  - {id: A, capability: 3}
  - {id: B, capability: 1}
issues:
  - {id: x, scale: [0, 100], status_quo: 50}
stances:
  A: {x: {position: 0, salience: 1}}
  B: {x: {position: 100, salience: 1}}
"""


@pytest.fixture
def toy(tmp_path):
    p = tmp_path / "toy.yaml"
    p.write_text(TOY)
    return p


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_forecast_json_contract(toy):
    r = invoke("forecast", toy, "--format", "json", "--seed", "3")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == SCHEMA and doc["seed"] == 3
    assert doc["scenario"]["hash"] == load(toy).content_hash()
    got = {(f["model"], f["issue"]): f["outcome"] for f in doc["forecasts"]}
    assert got[("compromise", "x")] == 25.0
    assert got[("median", "x")] == 0.0
    assert got[("nash", "x")] == 50.0  # A and B on both sides of the status quo: pinned
    assert [m["model"] for m in doc["models"]] == ["compromise", "median", "eum", "exchange",
                                                   "smp", "nash"]


def test_forecast_default_seed_is_0_and_printed(toy):
    r = invoke("forecast", toy, "-f", "json")
    assert json.loads(r.stdout)["seed"] == 0
    assert "(seed 0)" in invoke("forecast", toy, "-m", "compromise").stdout


def test_forecast_json_is_byte_identical_for_same_seed(toy):
    a = invoke("forecast", toy, "-f", "json", "--seed", "9").stdout
    b = invoke("forecast", toy, "-f", "json", "--seed", "9").stdout
    assert a == b


def test_forecast_csv_and_table(toy):
    r = invoke("forecast", toy, "-m", "compromise", "-f", "csv")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "model,issue,outcome,low,high,status_quo,known_outcome"
    assert r.stdout.splitlines()[1].startswith("compromise,x,25.0,")
    t = invoke("forecast", toy, "-m", "median", "-p", "tie=lower")
    assert t.exit_code == 0 and "median" in t.stdout


@pytest.mark.parametrize("args,needle", [
    (["-m", "nope"], "unknown model 'nope'"),
    (["-p", "nosuch=1"], "no selected model has a parameter 'nosuch'"),
    (["-m", "median", "-p", "tie=sideways"], "--param median.tie"),
    (["-p", "novalue"], "expected KEY=VALUE"),
])
def test_bad_options_exit_2_with_a_message(toy, args, needle):
    r = invoke("forecast", toy, *args)
    assert r.exit_code == 2
    assert needle in r.stderr and "Traceback" not in r.stderr


def test_unknown_model_is_a_user_error(toy):
    from realpolitik.models import UnknownModel

    assert issubclass(UnknownModel, KeyError)


def test_validate_reports_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TOY.replace("capability: 3", "capability: -3")
                   .replace("position: 100", "position: 130"))
    r = invoke("validate", bad)
    assert r.exit_code == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("error")]
    assert len(lines) == 2
    assert f"{bad}:4: capability" in r.stderr and f"{bad}:10: position" in r.stderr


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_convert_round_trip(tmp_path, fmt):
    src = shared("data", "cases", "decide", "cop21.csv")
    out = tmp_path / f"cop21.{fmt}"
    r = invoke("convert", src, "-o", out)
    assert r.exit_code == 0, r.output
    assert load(out) == load(src)


def test_models_json_lists_reference_models():
    r = invoke("models", "--format", "json")
    models = {m["name"]: m for m in json.loads(r.stdout)}
    assert {"compromise", "median", "mean", "status-quo", "nash"} <= set(models)
    assert {p["name"]: p["default"] for p in models["median"]["params"]} == {
        "weights": "cs", "tie": "mid"}


def test_console_script_runs_the_korea_example():
    """The README's first command, as a user types it (after installation)."""
    example = REPO / "examples" / "korea-2006.yaml"
    if not example.exists():
        pytest.skip("examples/korea-2006.yaml not written yet")
    r = subprocess.run([sys.executable, "-m", "realpolitik", "forecast", str(example)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "compromise" in r.stdout and "North Korea" in r.stdout


def test_internal_error_exits_1(monkeypatch, toy):
    fc = sys.modules["realpolitik.forecast"]  # the module (the package attribute is the function)

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(fc, "forecast", boom)
    r = invoke("forecast", toy)
    assert r.exit_code == 1
    assert "internal error" in r.stderr and "Traceback" not in r.stderr
