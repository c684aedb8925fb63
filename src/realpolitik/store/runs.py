"""The run store: save forecasts, sweeps and backtests; list, show and diff them.

Every record keeps what reproduces it — the inputs and their SHA-256, the models and their
parameters, the seed, the engine version — beside the results, so any summary can be rebuilt
from what was saved.

Examples
--------
>>> from realpolitik.backtest import shipped
>>> from realpolitik.forecast import forecast
>>> store = Store("sqlite://")              # in memory; default: the user's data directory
>>> run_id = store.save_forecast(forecast(shipped("emission-1994")[0].scenario,
...                                       ["compromise"], seed=1))
>>> r = store.run(run_id)
>>> (r.kind, r.name, r.seed, round(r.results["forecasts"][0]["outcome"], 3))
('forecast', 'emission-1994', 1, 7.39)
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .._version import __version__
from .db import make_engine, migrate, resolve_url
from .schema import Run

__all__ = ["Store", "canonical_json", "sha256_json", "diff_runs"]


def canonical_json(obj: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 kept (the text that gets hashed)."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_json(obj: Any) -> str:
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()


class Store:
    """A run store at ``url`` (see :mod:`realpolitik.store.db`); migrates the schema on open."""

    def __init__(self, url: str | None = None, migrate_schema: bool = True) -> None:
        self.url = resolve_url(url)
        if self.url == "sqlite://":  # one shared in-memory database, not one per connection
            from sqlalchemy import create_engine
            from sqlalchemy.pool import StaticPool

            from .db import _sqlite_setup

            self.engine = create_engine(
                self.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
            _sqlite_setup(self.engine)
        else:
            self.engine = make_engine(self.url)
        if migrate_schema:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def display_url(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    # -- writing -------------------------------------------------------------------------
    def save_run(
        self,
        kind: str,
        name: str,
        inputs: Any,
        models: list[str],
        params: Any,
        seed: int | None,
        results: Any,
        note: str = "",
        engine_version: str = __version__,
        inputs_hash: str | None = None,
    ) -> int:
        """Save one run record; returns its id. ``inputs`` and ``results`` must be JSON-ready.

        ``inputs_hash`` defaults to the SHA-256 of the inputs' canonical JSON.
        """
        json.dumps(results, allow_nan=False)  # fail here, not half-way into the database
        run = Run(
            uid=uuid.uuid4().hex,
            kind=kind,
            created_at=datetime.now(UTC),
            name=name,
            inputs_hash=inputs_hash or sha256_json(inputs),
            inputs=inputs,
            models=list(models),
            params=params,
            seed=seed,
            engine_version=engine_version,
            results=results,
            note=note,
        )
        with self.session() as s:
            s.add(run)
            s.flush()
            return int(run.id)

    def save_forecast(self, fc: Any, kind: str = "forecast", note: str = "") -> int:
        """Save a :class:`realpolitik.forecast.Forecast` (its JSON contract is the results)."""
        doc = fc.to_dict()
        return self.save_run(
            kind=kind,
            name=fc.scenario.name,
            inputs=fc.scenario.model_dump(mode="json"),
            models=[r.model for r in fc.results],
            params={r.model: r.params for r in fc.results},
            seed=fc.seed,
            results=doc,
            note=note,
            inputs_hash=fc.scenario.content_hash(),  # = the record's scenario.hash
        )

    def save_montecarlo(self, mc: Any, note: str = "") -> int:
        """Save a Monte Carlo forecast (:mod:`realpolitik.analysis.uncertainty.montecarlo`).

        Beside its JSON record (which summarises the draws) the run keeps, per model × issue,
        the 1st–99th percentiles of the draws under ``draw_percentiles``: enough to score the
        forecast distribution later (CRPS, any interval) without storing every draw.
        """
        import numpy as np

        doc = mc.to_dict()
        sc = mc.base.scenario
        pct = np.arange(1, 100) / 100
        doc["draw_percentiles"] = {
            m: {
                iid: [float(v) for v in np.quantile(col[np.isfinite(col)], pct)]
                for iid, col in zip(sc.issue_ids, out.T, strict=True)
                if np.isfinite(col).any()
            }
            for m, out in mc.outcomes.items()
        }
        return self.save_run(
            kind="montecarlo",
            name=sc.name,
            inputs=sc.model_dump(mode="json"),
            models=[r.model for r in mc.base.results],
            params={r.model: r.params for r in mc.base.results},
            seed=mc.base.seed,
            results=doc,
            note=note,
            inputs_hash=sc.content_hash(),
        )

    def save_backtest(self, bt: Any, note: str = "") -> int:
        """Save a :class:`realpolitik.backtest.Backtest` record."""
        doc = bt.to_dict()
        return self.save_run(
            kind="backtest",
            name=", ".join(
                c["name"] + (f"[{c['variant']}]" if c["variant"] else "") for c in doc["cases"]
            )[:300],
            inputs={"cases": doc["cases"], "split": doc["split"], "subset": doc["subset"]},
            models=doc["models"],
            params={"baseline": doc["baseline"], **doc["bootstrap"]},
            seed=bt.seed,
            results=doc,
            note=note,
        )

    # -- reading -------------------------------------------------------------------------
    def runs(self, kind: str | None = None, limit: int | None = None) -> list[Run]:
        """Saved runs, newest first."""
        q = select(Run).order_by(Run.id.desc())
        if kind:
            q = q.where(Run.kind == kind)
        if limit:
            q = q.limit(limit)
        with self.session() as s:
            return list(s.scalars(q))

    def run(self, run_id: int) -> Run:
        """One run by id (``KeyError`` if there is none)."""
        with self.session() as s:
            r = s.get(Run, run_id)
        if r is None:
            raise KeyError(f"no run {run_id} in {self.display_url}")
        return r


def _outcomes(run: Run) -> dict[tuple[str, str], float | None]:
    res = run.results or {}
    if "forecasts" in res and run.kind != "backtest":
        return {(f["model"], f["issue"]): f.get("outcome") for f in res["forecasts"]}
    return {(b["model"], "MAE"): b.get("mae") for b in res.get("leaderboard", [])}


def diff_runs(a: Run, b: Run) -> dict[str, Any]:
    """What differs between two runs: inputs hash, engine, seed, parameters and outcomes."""
    fields = {}
    for f in ("kind", "inputs_hash", "engine_version", "seed", "models", "params"):
        va, vb = getattr(a, f), getattr(b, f)
        if va != vb:
            fields[f] = {"a": va, "b": vb}
    oa, ob = _outcomes(a), _outcomes(b)
    rows = []
    for key in sorted(set(oa) | set(ob)):
        x, y = oa.get(key), ob.get(key)
        delta = None if x is None or y is None else y - x
        rows.append({"model": key[0], "issue": key[1], "a": x, "b": y, "delta": delta})
    return {"a": a.id, "b": b.id, "fields": fields, "outcomes": rows}
