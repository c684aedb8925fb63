"""A wrong or damaged checkpoint is a user error (located, exit 2) or a chunk recomputed, never
an internal error and never a damaged number trusted (issue 14, finding 9)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import realpolitik.analysis.uncertainty.sweep as sw
from realpolitik.analysis.uncertainty.sampling import with_default_uncertainty
from realpolitik.analysis.uncertainty.sweep import CheckpointWarning, Run, sweep
from realpolitik.scenario import ScenarioError
from realpolitik.scenario.io import load

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
EMISSION = EXAMPLES / "emission-1994.yaml"
SHAPE = dict(draws=40, seed=3, chunk_size=10)


@pytest.fixture(scope="module")
def emission():
    return with_default_uncertainty(load(EMISSION))


def _line(path: Path, key: str) -> int:
    lines = path.read_text().splitlines()
    return next(n for n, ln in enumerate(lines, start=1) if ln.startswith(f' "{key}":'))


def test_manifest_records_a_checksum_per_chunk(emission, tmp_path):
    sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    doc = json.loads((tmp_path / "manifest.json").read_text())
    import hashlib

    assert doc["chunks"] == {
        f"s0-r0-c{i}": hashlib.sha256((tmp_path / f"s0-r0-c{i}.npy").read_bytes()).hexdigest()
        for i in range(4)
    }


def test_another_seed_is_a_located_user_error(emission, tmp_path):
    sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    with pytest.raises(ScenarioError) as info:
        sweep(emission, Run("mean"), checkpoint=tmp_path, **{**SHAPE, "seed": 4})
    (p,) = info.value.problems
    manifest = tmp_path / "manifest.json"
    assert (p.file, p.line, p.field) == (str(manifest), _line(manifest, "seed"), "seed")
    assert "different sweep (seed 3 there, 4 now)" in p.message


def test_other_inputs_are_named(emission, tmp_path):
    sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    other = emission.replace(name="emission-other")
    with pytest.raises(ScenarioError) as info:
        sweep(other, Run("median"), checkpoint=tmp_path, **SHAPE)
    assert {p.field for p in info.value.problems} == {"scenarios", "runs"}


def _damage(path: Path, at: int = -5) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_damaged_chunk_is_recomputed_not_trusted(emission, tmp_path, monkeypatch):
    whole = sweep(emission, Run("mean"), **SHAPE)
    sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    _damage(tmp_path / "s0-r0-c2.npy")  # one float of the data changed: loads fine, wrong
    (tmp_path / "s0-r0-c1.npy").write_bytes(b"\x93NUMPY garbage")  # does not load
    calls: list[str] = []
    real = sw.run_chunk
    monkeypatch.setattr(sw, "run_chunk", lambda c: calls.append(c.key) or real(c))
    notes: list[str] = []
    again = sweep(emission, Run("mean"), checkpoint=tmp_path, on_note=notes.append, **SHAPE)
    assert sorted(calls) == ["s0-r0-c1", "s0-r0-c2"]
    np.testing.assert_array_equal(again.outcomes[(0, 0)], whole.outcomes[(0, 0)])
    assert len(notes) == 2 and all("recomputed, not trusted" in n for n in notes)
    assert "s0-r0-c2.npy does not match its checksum" in " ".join(notes)
    assert again.notes == tuple(notes)
    # repaired: the next run trusts every chunk again
    calls.clear()
    sweep(emission, Run("mean"), checkpoint=tmp_path, on_note=notes.append, **SHAPE)
    assert calls == [] and len(notes) == 2


def test_a_chunk_of_the_wrong_shape_is_recomputed(emission, tmp_path):
    import hashlib
    import io

    sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    buf = io.BytesIO()
    np.save(buf, np.zeros((3, 1)))
    (tmp_path / "s0-r0-c0.npy").write_bytes(buf.getvalue())
    manifest = tmp_path / "manifest.json"
    doc = json.loads(manifest.read_text())
    doc["chunks"]["s0-r0-c0"] = hashlib.sha256(buf.getvalue()).hexdigest()
    manifest.write_text(json.dumps(doc, sort_keys=True, indent=1))
    with pytest.warns(CheckpointWarning, match="has shape"):
        again = sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    np.testing.assert_array_equal(
        again.outcomes[(0, 0)], sweep(emission, Run("mean"), **SHAPE).outcomes[(0, 0)]
    )


def test_chunks_without_a_checksum_are_recomputed(emission, tmp_path):
    """A folder written before checksums: its chunks are recomputed once, then checked."""
    sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    manifest = tmp_path / "manifest.json"
    doc = json.loads(manifest.read_text())
    del doc["chunks"]
    manifest.write_text(json.dumps(doc, sort_keys=True, indent=1))
    with pytest.warns(CheckpointWarning, match="no checksum"):
        sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    assert len(json.loads(manifest.read_text())["chunks"]) == 4


@pytest.mark.parametrize(
    ("content", "line", "says"),
    [
        (b'{\n "chunks": {},\n "draws": 40,\n "seed": ', 4, "not valid JSON"),
        (b"\xff\xfe garbage", 1, "not UTF-8"),
        (b"[1, 2]", 1, "not a realpolitik sweep manifest"),
        (b'{\n "schema": "something/9"\n}', 2, "not a realpolitik sweep manifest"),
    ],
)
def test_a_damaged_manifest_is_a_located_user_error(emission, tmp_path, content, line, says):
    sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    (tmp_path / "manifest.json").write_bytes(content)
    with pytest.raises(ScenarioError) as info:
        sweep(emission, Run("mean"), checkpoint=tmp_path, **SHAPE)
    (p,) = info.value.problems
    assert (p.file, p.line) == (str(tmp_path / "manifest.json"), line)
    assert says in p.message and "new checkpoint folder" in p.message


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "realpolitik", "forecast", str(EMISSION), "-m", "compromise",
         "--draws", "20", "-f", "json", *args],
        capture_output=True, text=True, timeout=300,
    )


def test_cli_exit_codes(tmp_path):
    """Exit 2 with the located message for a reused folder, a damaged manifest and a file for a
    folder; a damaged chunk is recomputed with a note and the output is unchanged."""
    folder = tmp_path / "ckpt"
    first = _cli("--checkpoint", str(folder), "--seed", "1")
    assert first.returncode == 0, first.stderr
    other = _cli("--checkpoint", str(folder), "--seed", "2")
    manifest = folder / "manifest.json"
    assert other.returncode == 2, other.stderr
    assert f"error {manifest}:{_line(manifest, 'seed')}: seed: this folder holds" in other.stderr
    assert "internal error" not in other.stderr and "Traceback" not in other.stderr

    chunk = next(folder.glob("s0-*.npy"))
    _damage(chunk)
    again = _cli("--checkpoint", str(folder), "--seed", "1")
    assert again.returncode == 0, again.stderr
    assert f"note: checkpoint chunk {chunk} does not match its checksum" in again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)

    manifest.write_text("{ broken")
    bad = _cli("--checkpoint", str(folder), "--seed", "1")
    assert bad.returncode == 2 and f"error {manifest}:1: not valid JSON" in bad.stderr

    afile = tmp_path / "afile"
    afile.write_text("x")
    r = _cli("--checkpoint", str(afile))
    assert r.returncode == 2 and "is a file" in r.stderr and "internal error" not in r.stderr
