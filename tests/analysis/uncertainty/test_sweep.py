"""Sweeps: grids, checkpoints, and a killed sweep that resumes to the uninterrupted result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import realpolitik.analysis.uncertainty.sweep as sw
from realpolitik.analysis.uncertainty.sampling import with_default_uncertainty
from realpolitik.analysis.uncertainty.sweep import Run, grid, sweep
from realpolitik.scenario.io import load

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
EMISSION = EXAMPLES / "emission-1994.yaml"
KILLED = dict(draws=200, seed=7, chunk_size=5, engine="per-draw")
EUM = Run("eum", {"rounds": 3})


@pytest.fixture(scope="module")
def emission():
    return with_default_uncertainty(load(EMISSION))


def test_grid_runs_and_tidy_frame(emission):
    runs = grid("median", tie=["lower", "upper"])
    res = sweep([emission, emission.replace(name="copy")], runs, draws=30, seed=1, chunk_size=7)
    df = res.to_frame()
    assert len(df) == 2 * 2 * 30 and set(df.model) == {"median"}
    lower, upper = res.outcomes[(0, 0)], res.outcomes[(0, 1)]
    assert (lower <= upper).all()  # common random numbers: same draws, only the tie rule differs
    np.testing.assert_array_equal(res.outcomes[(0, 0)], res.outcomes[(1, 0)])


def test_chunking_is_part_of_the_identity_but_workers_are_not(emission):
    a = sweep(emission, Run("compromise"), draws=50, seed=2, chunk_size=10).outcomes[(0, 0)]
    b = sweep(emission, Run("compromise"), draws=50, seed=2, chunk_size=10, workers=2).outcomes[
        (0, 0)
    ]
    np.testing.assert_array_equal(a, b)
    assert a.shape == (50, 1)


def test_finished_chunks_are_read_back_not_recomputed(emission, tmp_path, monkeypatch):
    first = sweep(emission, Run("mean"), draws=40, seed=3, chunk_size=10, checkpoint=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "manifest.json",
        *(f"s0-r0-c{i}.npy" for i in range(4)),
    ]

    def boom(chunk):
        raise AssertionError("recomputed a finished chunk")

    monkeypatch.setattr(sw, "run_chunk", boom)
    again = sweep(emission, Run("mean"), draws=40, seed=3, chunk_size=10, checkpoint=tmp_path)
    np.testing.assert_array_equal(first.outcomes[(0, 0)], again.outcomes[(0, 0)])


def test_a_folder_of_another_sweep_is_refused(emission, tmp_path):
    sweep(emission, Run("mean"), draws=10, seed=3, chunk_size=10, checkpoint=tmp_path)
    with pytest.raises(ValueError, match="different sweep"):
        sweep(emission, Run("mean"), draws=10, seed=4, chunk_size=10, checkpoint=tmp_path)


def test_killed_sweep_resumes_to_the_uninterrupted_result(emission, tmp_path, monkeypatch):
    folder = tmp_path / "ckpt"
    script = textwrap.dedent(f"""
        from realpolitik.analysis.uncertainty.sampling import with_default_uncertainty
        from realpolitik.analysis.uncertainty.sweep import Run, sweep
        from realpolitik.scenario.io import load
        sc = with_default_uncertainty(load({str(EMISSION)!r}))
        sweep(sc, Run("eum", {{"rounds": 3}}), checkpoint={str(folder)!r}, **{KILLED!r})
        """)
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    total = KILLED["draws"] // KILLED["chunk_size"]
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if folder.exists() and len(list(folder.glob("s0-*.npy"))) >= 3:
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = {p.name for p in folder.glob("s0-*.npy")}
    assert 3 <= len(finished) < total, f"killed too late or too early: {len(finished)}/{total}"

    calls = []
    real = sw.run_chunk
    monkeypatch.setattr(sw, "run_chunk", lambda c: calls.append(c.key) or real(c))
    resumed = sweep(emission, EUM, checkpoint=folder, **KILLED)
    assert not finished & {f"{k}.npy" for k in calls}  # nothing finished was recomputed
    assert len(calls) == total - len(finished)  # and nothing was lost
    assert not list(folder.glob(".tmp-*"))
    monkeypatch.setattr(sw, "run_chunk", real)
    whole = sweep(emission, EUM, **KILLED)
    np.testing.assert_array_equal(resumed.outcomes[(0, 0)], whole.outcomes[(0, 0)])


def test_resume_clears_half_written_chunks(emission, tmp_path):
    """A kill during a chunk's write leaves a temporary file; resuming removes it."""
    folder = tmp_path / "ckpt"
    sweep(emission, EUM, checkpoint=folder, **KILLED)
    (folder / ".tmp-halfwritten.npy").write_bytes(b"\x93NUMPY partial")
    again = sweep(emission, EUM, checkpoint=folder, **KILLED)
    assert not list(folder.glob(".tmp-*"))
    whole = sweep(emission, EUM, **KILLED)
    np.testing.assert_array_equal(again.outcomes[(0, 0)], whole.outcomes[(0, 0)])
