"""The chain covers every column and the sealed run records; a kept head catches truncation and
consistent rewrites of the tail (issue 14, finding 8)."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from realpolitik.backtest import shipped
from realpolitik.cli import app
from realpolitik.forecast import forecast
from realpolitik.store import LedgerEntry, canonical_json
from realpolitik.store import chain as C
from realpolitik.store import ledger as L


@pytest.fixture
def sealed(store):
    """Two compromise runs (1 + 3 forecasts), the two pundit forecasts, one resolution."""
    for name in ("emission-1994", "korea-2003"):
        rid = store.save_forecast(forecast(shipped(name)[0].scenario, ["compromise"], seed=1))
        L.seal_run(store, rid)
    L.seal_pundits(store)
    L.resolve(store, "korea-2003:usfk_posture", 50)
    assert L.verify(store).ok
    return store


def _sql(store, sql, **params):
    with store.engine.begin() as c:
        c.execute(text(sql), params)


# every column of an entry, changed to another plausible value
COLUMN_EDITS = {
    "kind": "'resolution'",
    "question": "'korea-2003:other'",
    "forecaster": "'median'",
    "run_id": "1",
    "run_hash": "'" + "a" * 64 + "'",
    "hash_version": "NULL",
    "record": "replace(record, :a, :b)",
    "record_hash": "'" + "b" * 64 + "'",
    "sealed_at": "'2020-01-01T00:00:00.000000+00:00'",
    "prev_hash": "'" + "c" * 64 + "'",
    "entry_hash": "'" + "d" * 64 + "'",
}


@pytest.mark.parametrize("column", list(COLUMN_EDITS))
def test_an_edit_to_any_column_is_detected(sealed, column):
    sql = f"UPDATE ledger SET {column} = {COLUMN_EDITS[column]} WHERE seq = 3"
    _sql(sealed, sql, **({"a": '"seed":1', "b": '"seed":2'} if column == "record" else {}))
    v = L.verify(sealed)
    assert not v.ok
    if column == "entry_hash":  # the entry's own hash, or the next one's link, must fail
        assert any("entry 3" in p or "entry 4" in p for p in v.problems)
    else:
        assert any(p.startswith("entry 3 ") for p in v.problems), v.problems


def test_schema_has_no_column_the_test_above_misses():
    assert set(LedgerEntry.__table__.columns.keys()) - {"seq"} == set(COLUMN_EDITS)


def test_moving_an_entry_to_another_run_is_detected(sealed):
    """Finding 8: run_id was outside the seal. Now it is in the chain hash and checked
    against the sealed record's copy."""
    _sql(sealed, "UPDATE ledger SET run_id = 1 WHERE seq = 2")
    v = L.verify(sealed)
    assert any("entry 2" in p and "column run_id = 1" in p for p in v.problems), v.problems
    assert any("entry 2" in p and "chain hash" in p for p in v.problems)


RUN_EDITS = {
    "results": ("results", lambda r: {**r, "forecasts": [{**r["forecasts"][0], "outcome": 35}]}),
    "seed": ("seed", lambda _: 99),
    "note": ("note", lambda _: "edited"),
    "name": ("name", lambda _: "korea-2003b"),
    "params": ("params", lambda _: {"compromise": {"x": 1}}),
    "inputs_hash": ("inputs_hash", lambda _: "e" * 64),
}


@pytest.mark.parametrize("what", list(RUN_EDITS))
def test_an_edit_to_a_sealed_run_record_is_detected(sealed, what):
    col, change = RUN_EDITS[what]
    with sealed.session() as s:
        run = s.get(L.Run, 2)
        s.execute(update(L.Run).where(L.Run.id == 2).values({col: change(getattr(run, col))}))
    v = L.verify(sealed)
    assert not v.ok
    assert all("run 2 was changed after it was sealed" in p for p in v.problems), v.problems
    assert len(v.problems) == 3  # each of run 2's three entries says so


def test_a_deleted_run_record_is_detected(sealed):
    _sql(sealed, "DELETE FROM runs WHERE id = 1")
    v = L.verify(sealed)
    assert v.problems == [
        "entry 1 (forecast 'emission-1994:emission_standards', compromise): the run it seals "
        "(run 1) is missing from the runs table"
    ]


def test_an_unsealed_run_may_change(sealed, store):
    rid = store.save_forecast(forecast(shipped("emission-1994")[0].scenario, ["median"], seed=1))
    _sql(store, "UPDATE runs SET note = 'fine' WHERE id = :i", i=rid)
    assert L.verify(store).ok


def test_deleting_the_last_entry_is_caught_by_the_kept_head(sealed):
    kept, n = L.head(sealed)
    assert n == 7 and L.verify(sealed, kept).kept_head_seq == 7
    _sql(sealed, "DELETE FROM ledger WHERE seq = 7")
    assert L.verify(sealed).ok  # without a kept head a truncation cannot be seen
    v = L.verify(sealed, kept)
    assert not v.ok and v.kept_head_seq is None
    assert v.problems == [
        f"the head you kept ({kept}) is not in the ledger: entries were deleted from its end, "
        f"or it was rewritten from some entry on (now 6 entries, head {v.head})"
    ]


def _rewrite_from(store, seq):
    """A consistent rewrite: change entry ``seq``'s record and re-hash it and every later entry
    with the public formula, as someone with write access to the database could."""
    with store.session() as s:
        rows = list(s.scalars(select(LedgerEntry).where(LedgerEntry.seq >= seq).order_by("seq")))
        prev = s.scalars(select(LedgerEntry.entry_hash).where(LedgerEntry.seq == seq - 1)).one()
        rec = json.loads(rows[0].record)
        rec["value"] = 50.0  # the pundit "had it right"
        rows[0].record = canonical_json(rec)
        rows[0].record_hash = hashlib.sha256(rows[0].record.encode()).hexdigest()
        for e in rows:
            e.prev_hash, e.entry_hash = f"p{e.seq}", f"h{e.seq}"
        s.flush()  # unique hashes: clear, then set the new ones
        for e in rows:
            e.prev_hash = prev
            e.entry_hash = prev = C.entry_hash(
                e.seq,
                e.kind,
                e.question,
                e.forecaster,
                e.run_id,
                e.run_hash,
                e.record_hash,
                e.sealed_at,
                e.prev_hash,
            )


def test_a_consistent_tail_rewrite_is_caught_by_the_kept_head(sealed):
    kept, _ = L.head(sealed)
    _rewrite_from(sealed, 5)
    assert json.loads(L.entries(sealed)[4].record)["value"] == 50.0
    assert L.verify(sealed).ok  # internally consistent
    v = L.verify(sealed, kept)
    assert not v.ok and "is not in the ledger" in v.problems[0]


def test_a_head_kept_earlier_still_verifies_after_appends(sealed):
    kept, n = L.head(sealed)
    L.resolve(sealed, "emission-1994:emission_standards", 8.833)
    v = L.verify(sealed, kept)
    assert v.ok and v.kept_head_seq == n and v.n == n + 1
    assert L.verify(sealed, C.GENESIS).ok  # the empty ledger's head is in every ledger


def test_a_downgrade_to_the_old_hash_is_detected(sealed):
    """Rewriting the last entry under the version-1 formula (which covers fewer columns)."""
    with sealed.session() as s:
        e = s.get(LedgerEntry, 7)
        e.hash_version = None
        e.entry_hash = C.entry_hash_v1(e.seq, e.kind, e.sealed_at, e.record_hash, e.prev_hash)
    v = L.verify(sealed)
    assert v.problems == [
        "entry 7 (resolution 'korea-2003:usfk_posture'): a version-1 entry after version-2 ones "
        "(downgraded)"
    ]


def test_cli_head_and_verify_head(db_url, sealed):
    runner = CliRunner()
    r = runner.invoke(app, ["ledger", "head", "--db", db_url])
    assert r.exit_code == 0
    kept = r.output.split()[0]
    assert r.output.strip() == f"{kept} (7 entries)" and kept == L.head(sealed)[0]
    r = runner.invoke(app, ["ledger", "verify", "--head", kept.upper(), "--db", db_url])
    assert r.exit_code == 0 and "the head you kept is entry 7" in r.output, r.output
    _sql(sealed, "DELETE FROM ledger WHERE seq = 7")
    r = runner.invoke(app, ["ledger", "verify", "--db", db_url])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ledger", "verify", "--head", kept, "--db", db_url])
    assert r.exit_code == 1 and "is not in the ledger" in r.output
    r = runner.invoke(app, ["ledger", "verify", "--head", kept, "-f", "json", "--db", db_url])
    doc = json.loads(r.stdout)
    assert r.exit_code == 1 and doc["ok"] is False and doc["entries"] == 6
    assert doc["kept_head"] == {"hash": kept, "found_at": None}
    r = runner.invoke(app, ["ledger", "verify", "--head", "abc", "--db", db_url])
    assert r.exit_code == 2 and "64 hexadecimal digits" in r.output
