"""``backend="auto"`` never makes a job wait for numba's compile: it takes the compiled EUM
kernel only once the kernel is warm (compiled in the process or in numba's cache), and numpy
until then — with the same numbers either way (issue 16)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("numba")

from realpolitik.models.eum import core  # noqa: E402
from realpolitik.models.eum import kernel as eum_numba  # noqa: E402

_COLD = """
import json
import numpy as np
from realpolitik.models.eum import core as eum_core
from realpolitik.models.eum import kernel as eum_numba
calls = []
real = eum_numba.solve
eum_numba.solve = lambda *a, **k: calls.append(1) or real(*a, **k)
warm = eum_numba.is_warm()
rng = np.random.default_rng(0)
out = eum_core.run_batch(rng.uniform(1, 2, (4, 5)), rng.uniform(0, 10, (4, 5)),
                         rng.uniform(0.1, 1, (4, 5)), {}, trace=False)
print(json.dumps([warm, len(calls), eum_numba._kernel.signatures == []]))
"""


def test_cold_cache_runs_numpy_without_compiling(tmp_path):
    env = {"NUMBA_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", _COLD], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    warm, kernel_calls, nothing_compiled = json.loads(proc.stdout)
    assert (warm, kernel_calls, nothing_compiled) == (False, 0, True)


def test_warm_kernel_is_taken_and_agrees(monkeypatch):
    eum_numba.warm()
    assert eum_numba.is_warm()
    rng = np.random.default_rng(1)
    c, x, s = rng.uniform(1, 2, (6, 7)), rng.uniform(0, 10, (6, 7)), rng.uniform(0.1, 1, (6, 7))
    calls = []
    real = eum_numba.solve
    monkeypatch.setattr(eum_numba, "solve", lambda *a, **k: calls.append(1) or real(*a, **k))
    auto = core.run_batch(c, x, s, {}, trace=False)
    assert calls == [1]
    monkeypatch.setattr(eum_numba, "is_warm", lambda: False)  # as if the cache were cold
    cold = core.run_batch(c, x, s, {}, trace=False)
    assert calls == [1]
    for key in ("position", "median", "mean", "rounds", "outcome"):
        np.testing.assert_allclose(auto[key], cold[key], rtol=0, atol=1e-10)
