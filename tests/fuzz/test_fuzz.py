"""The fuzz suite: damaged inputs of every format through the readers and every model.

Budget and seed come from the environment so CI runs a short, fixed-seed pass and a developer
can run a long one::

    REALPOLITIK_FUZZ_SECONDS=3600 REALPOLITIK_FUZZ_SEED=7 python -m pytest tests/fuzz

``REALPOLITIK_FUZZ_SECONDS`` (default 84) is the wall-clock budget shared by the seven
formats; ``REALPOLITIK_FUZZ_SEED`` (default 0) seeds the mutations. Every input that breaks
the contract is written to ``tests/fuzz/regressions/`` — commit it: the replay test below
then checks it forever.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from fuzz import engine
from realpolitik.scenario.io import load

SECONDS = float(os.environ.get("REALPOLITIK_FUZZ_SECONDS", "84"))
SEED = int(os.environ.get("REALPOLITIK_FUZZ_SEED", "0"))


@pytest.mark.parametrize("fmt", list(engine.EXT))
def test_seed_inputs_are_valid_files_of_their_format(fmt, tmp_path):
    """A fuzzer that starts from broken files would only test the first error path."""
    path = tmp_path / f"seed{engine.EXT[fmt]}"
    path.write_bytes(engine.seed_inputs()[fmt])
    assert load(path, format=fmt).stances
    assert engine.check(path, fmt) in (None,) or "took" in str(engine.check(path, fmt))


def test_mutations_are_reproducible_from_the_seed():
    data = engine.seed_inputs()["decide"]
    a = engine.mutants(data, random.Random("1:decide"))
    b = engine.mutants(data, random.Random("1:decide"))
    c = engine.mutants(data, random.Random("2:decide"))
    first = [next(a) for _ in range(50)]
    assert first == [next(b) for _ in range(50)]
    assert first != [next(c) for _ in range(50)]
    assert len(set(first)) > 40  # the mutations really vary the input


def test_the_contract_check_catches_what_it_must(tmp_path, monkeypatch):
    """The oracle can fail: a reader that raises a bare exception, or gives an unlocated
    problem, is reported."""
    path = tmp_path / "x.csv"
    path.write_bytes(engine.seed_inputs()["decide"])
    from realpolitik.scenario import Problem, ScenarioError
    from realpolitik.scenario.io import READERS

    def crash(p, **_):
        raise KeyError("boom")

    def unlocated(p, **_):
        raise ScenarioError([Problem("bad", file=str(p))])

    monkeypatch.setitem(READERS, "decide", crash)
    assert "KeyError" in str(engine.check(path, "decide"))
    monkeypatch.setitem(READERS, "decide", unlocated)
    assert "without a line" in str(engine.check(path, "decide"))


@pytest.mark.parametrize("fmt", list(engine.EXT))
def test_fuzz_format(fmt, tmp_path):
    n, failures = engine.fuzz(fmt, SECONDS / len(engine.EXT), SEED, tmp_path)
    kept = [engine.keep(f) for f in failures]
    assert n > 0
    report = [f"{p.name}: {f.what}" for p, f in zip(kept, failures, strict=True)]
    assert not failures, "\n".join(report)


REGRESSIONS = sorted(p for p in engine.REGRESSIONS.glob("*__*") if p.is_file())


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_every_input_the_fuzzer_ever_broke_us_with(path: Path, tmp_path):
    fmt = path.name.split("__")[0]
    copy = tmp_path / f"input{engine.EXT[fmt]}"
    copy.write_bytes(path.read_bytes())
    assert engine.check(copy, fmt) is None
