"""The command line starts without importing what a command does not use (issue 16).

Behaviour, not timing: each check runs the command in a fresh interpreter and lists the heavy
libraries that ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from shared_data import shared

#: Slow to import and needed only by some commands (tables, database, web, sensitivity, …).
HEAVY = (
    "pandas",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "uvicorn",
    "numba",
    "dask",
    "SALib",
    "altair",
    "pyreadr",
    "scipy",
    "matplotlib",
)

_PROBE = """
import json, sys
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["realpolitik", *args]
from realpolitik.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nLOADED " + json.dumps(sorted(m for m in heavy if m in sys.modules)) + "\\n")
"""


def loaded_after(*args: str) -> list[str]:
    """Heavy modules imported by ``realpolitik ARGS`` in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(list(args)), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = proc.stderr.rsplit("LOADED ", 1)
    assert len(line) == 2, proc.stderr
    return json.loads(line[1])


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["forecast", "--help"],
        ["sensitivity", "--help"],
        ["serve", "--help"],
        ["runs", "--help"],
    ],
)
def test_help_imports_nothing_heavy(args):
    assert loaded_after(*args) == []


def test_import_realpolitik_is_light_and_still_complete():
    code = (
        "import sys, json, realpolitik as rp\n"
        f"heavy = {list(HEAVY) + ['numpy', 'pydantic']!r}\n"
        "before = sorted(m for m in heavy if m in sys.modules)\n"
        "names = [type(getattr(rp, n)).__name__ for n in rp.__all__]\n"
        "import realpolitik.forecast\n"
        "print(json.dumps([before, names, callable(rp.forecast)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, names, still_function = json.loads(out.stdout)
    assert before == []
    assert names == ["ModelMetaclass", "type", "type", "function", "function", "function", "str"]
    assert still_function  # importing the module of the same name does not hide the function


def test_small_smp_forecast_imports_nothing_heavy():
    # the trust step reads the packaged track record (no backtest, no pandas), the knife-edge
    # check ranks the tornado's arrays (no frame), the sampler imports scipy only for normal
    # distributions, and a 57-draw SMP batch runs on the numpy core (no numba)
    path = shared("data", "cases", "ktab", "dummyData_3Dim.csv")
    for fmt in ("table", "json"):
        assert loaded_after("forecast", str(path), "-m", "smp", "-f", fmt) == []


def test_track_record_off_the_packaged_sets_still_backtests():
    # another seed is not packaged: the backtest runs (and imports pandas), as it must
    path = shared("data", "cases", "ktab", "dummyData_3Dim.csv")
    assert "pandas" in loaded_after("forecast", str(path), "-m", "smp", "--seed", "1")
