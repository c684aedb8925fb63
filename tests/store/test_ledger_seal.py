"""Sealing a run is one transaction and idempotent: kill -9 at many points, seal twice,
complete a run an older version left part-sealed — never a partial or duplicated run."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.store import LedgerEntry, Store
from realpolitik.store import chain as C
from realpolitik.store import ledger as L

ISSUES = 300  # two models × 300 issues = 600 forecasts per run


def big_run(store: Store, name: str, issues: int = ISSUES) -> int:
    """A saved forecast run with many forecasts (what the ledger reads of one, no more)."""
    results = {
        "scenario": {
            "name": name,
            "issues": [{"id": f"i{k}", "low": 0, "high": 100} for k in range(issues)],
        },
        "models": [{"model": "a", "params": {}}, {"model": "b", "params": {"x": 1}}],
        "forecasts": [
            {"model": m, "issue": f"i{k}", "outcome": (k * 7 + len(m)) % 101}
            for m in ("a", "b")
            for k in range(issues)
        ],
    }
    return store.save_run("forecast", name, {"n": issues}, ["a", "b"], {}, 0, results)


def per_run(store: Store) -> dict[int, Counter]:
    """For each run: how many times each (question, model) of it is sealed."""
    out: dict[int, Counter] = {}
    for e in L.entries(store):
        if e.run_id is not None:
            out.setdefault(e.run_id, Counter())[(e.question, e.forecaster)] += 1
    return out


def test_sealing_twice_adds_nothing(store):
    rid = big_run(store, "twice", issues=20)
    first = L.seal_run(store, rid)
    assert first == list(range(1, 41))
    assert L.seal_run(store, rid) == []
    assert L.seal_run(store, rid, ["a"]) == []
    assert len(L.entries(store)) == 40 and L.sealed_forecasts(store, rid) == 40
    assert L.verify(store).ok


def test_sealing_by_model_then_all_completes_the_run(store):
    rid = big_run(store, "bymodel", issues=5)
    assert len(L.seal_run(store, rid, ["b"])) == 5
    assert len(L.seal_run(store, rid)) == 5  # only model a's are new
    assert set(per_run(store)[rid].values()) == {1} and sum(per_run(store)[rid].values()) == 10


def test_pundits_sealed_twice_are_sealed_once(store):
    assert len(L.seal_pundits(store)) == 2
    assert L.seal_pundits(store) == []
    assert len(L.entries(store)) == 2


def _legacy_append(store: Store, records: list[dict], run_id: int) -> None:
    """What version 1 wrote: one committed transaction per entry, the version-1 hash, no run
    hash (the formula is public: it is in the verifier)."""
    for rec in records:
        with store.session() as s:
            last = s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1)).first()
            seq, prev = (1, C.GENESIS) if last is None else (last.seq + 1, last.entry_hash)
            text = L.canonical_json(rec)
            rh = C.hashlib.sha256(text.encode()).hexdigest()
            stamp = "2026-01-01T00:00:00.000000+00:00"
            s.add(
                LedgerEntry(
                    seq=seq,
                    kind="forecast",
                    question=rec["question"],
                    forecaster=rec["forecaster"],
                    run_id=run_id,
                    record=text,
                    record_hash=rh,
                    sealed_at=stamp,
                    prev_hash=prev,
                    entry_hash=C.entry_hash_v1(seq, "forecast", stamp, rh, prev),
                )
            )


def test_a_run_an_older_version_left_part_sealed_is_completed_without_duplicates(store):
    rid = big_run(store, "legacy", issues=6)
    with store.session() as s:
        records = L._run_records(s.get(L.Run, rid))
    _legacy_append(store, records[:7], rid)  # killed after 7 of 12 entries
    v = L.verify(store)
    assert v.ok and v.legacy == 7, v.problems
    new = L.seal_run(store, rid)
    assert new == list(range(8, 13))
    counts = per_run(store)[rid]
    assert len(counts) == 12 and set(counts.values()) == {1}
    v = L.verify(store)
    assert v.ok and (v.n, v.legacy) == (12, 7), v.problems
    # the new entries are version 2 and seal the run record
    assert {e.hash_version for e in L.entries(store)} == {None, C.HASH_VERSION}
    assert L.seal_run(store, rid) == []


CHILD = """
import sys
from realpolitik.store import Store
from realpolitik.store import ledger as L
store = Store(sys.argv[1])
print("ready", flush=True)
for rid in sys.argv[2].split(","):
    L.seal_run(store, int(rid))
print("done", flush=True)
"""


def _sealer(url: str, ids: list[int]) -> subprocess.Popen[str]:
    p = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, ",".join(map(str, ids))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert p.stdout is not None
    assert p.stdout.readline().strip() == "ready"
    return p


def test_kill_9_while_sealing_leaves_every_run_sealed_zero_or_all_times(db_url):
    """A process sealing three runs of 600 forecasts is SIGKILLed at eight points spread over
    the time an uninterrupted seal takes. After each kill the chain verifies and every run is
    sealed completely or not at all; sealing again completes every run, once."""
    store = Store(db_url)
    full = 2 * ISSUES
    ids = [big_run(store, f"base{k}") for k in range(3)]
    p = _sealer(db_url, ids)
    t0 = time.perf_counter()
    assert p.wait(300) == 0
    span = time.perf_counter() - t0  # how long sealing the three runs takes, uninterrupted
    assert all(sum(per_run(store)[i].values()) == full for i in ids)

    interrupted = 0
    for k in range(8):
        ids = [big_run(store, f"kill{k}_{j}") for j in range(3)]
        p = _sealer(db_url, ids)
        time.sleep(span * k / 8)
        os.kill(p.pid, signal.SIGKILL)
        p.wait(60)
        assert p.stdout is not None
        interrupted += "done" not in p.stdout.read()
        p.stdout.close()
        v = L.verify(store)
        assert v.ok, (k, v.problems)
        for rid, counts in per_run(store).items():
            assert set(counts.values()) == {1}, f"run {rid} has duplicate entries"
        sealed = {rid: sum(per_run(store).get(rid, Counter()).values()) for rid in ids}
        assert set(sealed.values()) <= {0, full}, f"kill {k}: part-sealed runs {sealed}"
    assert interrupted >= 3, "the kills all came too late to test anything"

    all_ids = [r.id for r in store.runs()]
    for rid in all_ids:
        L.seal_run(store, rid)
    counts = per_run(store)
    assert {rid: sum(c.values()) for rid, c in counts.items()} == {rid: full for rid in all_ids}
    assert all(set(c.values()) == {1} for c in counts.values())
    v = L.verify(store)
    assert v.ok and v.n == full * len(all_ids)
    store.close()


def _seal_same(url: str, ids: list[int], barrier) -> None:
    s = Store(url)
    barrier.wait()
    for rid in ids:
        L.seal_run(s, rid)
    s.close()


def test_two_processes_sealing_the_same_runs_seal_each_once(db_url):
    with Store(db_url) as store:
        ids = [big_run(store, f"same{k}", issues=50) for k in range(4)]
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_seal_same, args=(db_url, o, barrier)) for o in (ids, ids[::-1])]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with Store(db_url) as store:
        counts = per_run(store)
        assert {rid: sum(c.values()) for rid, c in counts.items()} == {rid: 100 for rid in ids}
        assert L.verify(store).ok


def test_cli_seal_says_what_was_already_sealed(db_url, store):
    rid = big_run(store, "cli", issues=3)
    runner = CliRunner()
    r = runner.invoke(app, ["ledger", "seal", str(rid), "--db", db_url])
    assert r.exit_code == 0 and "sealed 6 forecast(s) of run 1: entries 1–6" in r.output, r.output
    r = runner.invoke(app, ["ledger", "seal", str(rid), "--db", db_url])
    assert r.exit_code == 0 and "sealed 0 forecast(s) of run 1 (6 already sealed)" in r.output
    r = runner.invoke(app, ["ledger", "head", "--format", "json", "--db", db_url])
    assert json.loads(r.output) == {"head": L.entries(store)[-1].entry_hash, "entries": 6}


def test_killed_sqlite_writer_leaves_no_lock_behind(tmp_path: Path):
    """After a kill the next writer gets the database at once (the journal is rolled back)."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    with Store(url) as store:
        ids = [big_run(store, "k")]
    p = _sealer(url, ids)
    os.kill(p.pid, signal.SIGKILL)
    p.wait(60)
    with Store(url) as store:
        assert len(L.seal_run(store, ids[0])) in (0, 2 * ISSUES)
        assert L.verify(store).ok
