"""Run store: records round-trip, migrations, list/show/diff, URL resolution, concurrency."""

from __future__ import annotations

import multiprocessing as mp
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from realpolitik.backtest import shipped
from realpolitik.forecast import forecast
from realpolitik.store import Store, diff_runs
from realpolitik.store.db import data_home, resolve_url
from realpolitik.store.schema import Base


@pytest.fixture(scope="module")
def fc():
    return forecast(shipped("korea-2003")[0].scenario, ["compromise", "median"], seed=7)


def test_forecast_record_round_trips(store, fc):
    rid = store.save_forecast(fc, note="a note")
    r = store.run(rid)
    assert r.results == fc.to_dict()
    assert r.inputs_hash == fc.scenario.content_hash() == r.results["scenario"]["hash"]
    assert (r.kind, r.name, r.seed, r.note) == ("forecast", "korea-2003", 7, "a note")
    assert r.models == ["compromise", "median"]
    assert r.params == {m.model: m.params for m in fc.results}
    assert r.inputs == fc.scenario.model_dump(mode="json")


def test_schema_is_at_head_and_matches_the_models(store, db_url):
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []
    Store(db_url).close()  # reopening migrates nothing and keeps the data
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_list_show_diff(store, fc):
    a = store.save_forecast(fc)
    b = store.save_forecast(forecast(fc.scenario, ["compromise", "median"], seed=8))
    store.save_run("sweep", "s", {"x": 1}, ["compromise"], {}, None, {"ok": True})
    assert [r.id for r in store.runs()][:2] == [max(a, b) + 1, b]
    assert [r.kind for r in store.runs(kind="sweep")] == ["sweep"]
    assert len(store.runs(limit=1)) == 1
    d = diff_runs(store.run(a), store.run(b))
    assert d["fields"]["seed"] == {"a": 7, "b": 8}
    assert "inputs_hash" not in d["fields"]
    assert {(r["model"], r["issue"]) for r in d["outcomes"]} == {
        (m, i) for m in ("compromise", "median") for i in fc.scenario.issue_ids
    }
    comp = [r for r in d["outcomes"] if r["model"] == "compromise"]
    assert all(r["delta"] == 0 for r in comp)  # deterministic model, same inputs
    with pytest.raises(KeyError, match="no run 999"):
        store.run(999)


def test_results_must_be_json(store):
    with pytest.raises(ValueError):
        store.save_run("forecast", "x", {}, [], {}, 1, {"bad": float("nan")})
    assert store.runs() == []


def test_url_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("REALPOLITIK_DB", raising=False)
    monkeypatch.setenv("REALPOLITIK_HOME", str(tmp_path / "home"))
    assert data_home() == tmp_path / "home"
    assert resolve_url() == f"sqlite:///{tmp_path / 'home' / 'realpolitik.db'}"
    monkeypatch.setenv("REALPOLITIK_DB", "postgresql://u@h/db")
    assert resolve_url() == "postgresql+psycopg://u@h/db"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"  # explicit beats the environment
    monkeypatch.delenv("REALPOLITIK_DB")
    with Store() as s:  # the default store is created, folder and all
        assert s.runs() == []
    assert (tmp_path / "home" / "realpolitik.db").exists()


def _save_many(url: str, tag: str, n: int, barrier) -> None:
    s = Store(url)
    barrier.wait()
    for k in range(n):
        s.save_run("forecast", f"{tag}-{k}", {"k": k}, ["compromise"], {}, k, {"k": k})
    s.close()


def _ctx():
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def test_concurrent_writers_lose_nothing(db_url):
    """Two processes open the same fresh database and save runs at the same time."""
    ctx, n = _ctx(), 40
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_save_many, args=(db_url, t, n, barrier)) for t in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with Store(db_url) as s:
        runs = s.runs()
    assert sorted(r.name for r in runs) == sorted(f"{t}-{k}" for t in "ab" for k in range(n))
    assert len({r.uid for r in runs}) == len({r.id for r in runs}) == 2 * n
