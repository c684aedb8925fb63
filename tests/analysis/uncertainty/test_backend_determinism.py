"""Same seed, any EUM backend, any worker count, seed 0 included: byte-identical JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app

pytestmark = pytest.mark.numerics
EMISSION = str(Path(__file__).resolve().parents[3] / "examples" / "emission-1994.yaml")


def _forecast(*extra: str) -> str:
    args = [
        "forecast",
        EMISSION,
        "-m",
        "eum",
        "--param",
        "variant=scholz-code",
        "--draws",
        "400",
        "--format",
        "json",
        *extra,
    ]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)  # one field names the backend: the echo of the parameter
    text = r.stdout
    assert text.count('"backend": ') == 1 and "forecasts" in doc
    return text.replace('"backend": "numpy"', '"backend": "numba"')


@pytest.mark.parametrize("seed", ["0", "1"])
def test_forecast_json_is_the_same_for_every_backend_and_worker_count(seed):
    pytest.importorskip("numba", reason="numba is not installed: one backend only")
    numba = _forecast("--seed", seed, "--param", "backend=numba")
    assert numba == _forecast("--seed", seed, "--param", "backend=numpy")
    assert numba == _forecast("--seed", seed, "--param", "backend=numba", "--workers", "2")
    assert numba == _forecast("--seed", seed, "--param", "backend=numba")
