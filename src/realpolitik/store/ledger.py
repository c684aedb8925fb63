r"""The forecast ledger: sealed, hash-chained forecasts, their resolutions, and their scores.

A forecast is only honest if it cannot be quietly edited once the outcome is known. The
ledger is an append-only list of entries, each either a **forecast** (a model's outcome for one
issue of a saved run, or a pundit's verbal forecast) or a **resolution** (what happened).
Sealing an entry stores its canonical JSON record with
:math:`r_k = \mathrm{SHA256}(\text{record}_k)` and a chain hash :math:`h_k` over every
column of the entry, the run record it seals and
:math:`h_{k-1}` (the formula and its checks: :mod:`realpolitik.store.chain`). Changing a record
changes :math:`r_k`; recomputing :math:`r_k` to match breaks :math:`h_k`; rewriting the chain
after entry :math:`k`, or deleting its last entries, changes the head hash :math:`h_n`, which
``realpolitik ledger head`` prints — keep or publish it (a commit, an e-mail) and ``ledger
verify --head HASH`` detects any later rewrite or truncation. Sealing a run is one transaction
and idempotent (:func:`seal_run`).

Questions are named ``<scenario name>:<issue id>`` (``korea-2003:usfk_posture``); a
resolution names the same question. Scores (:func:`score`, in :mod:`realpolitik.store.scores`)
use the issue's scale rescaled to 0–100: absolute error of the point value, whether the
outcome fell in the forecast's interval, and the CRPS — of the Monte Carlo samples when the
record has them, of the uniform distribution on the interval for a range forecast (a verbal
forecast), and of the point (which equals the absolute error) otherwise.

A **probability forecast of a yes/no event** is a record with ``distribution: "bernoulli"``,
``scale: [0, 1]``, ``value`` = P(yes) and a resolution of 0 or 1. Its proper score is the
Brier score :math:`(p - y)^2` (Brier 1950), in its own ``brier`` column (NaN for every other
record); its CRPS equals it (the CRPS of a Bernoulli(p) forecast of y is
:math:`\int_0^1 (F(x) - 1\{x \ge y\})^2\,dx = (p - y)^2`), shown ×100 like every CRPS on
the 0–100 scale. :func:`seal_new` seals such records (any records) idempotently.

Pundit forecasts (a verbal claim turned into a number) follow one rule, recorded in each
record's ``mapping`` field: the verbal claim is read as the range of the issue's anchors that
are consistent with it, the point value is the range's midpoint, and the forecast
distribution is uniform on the range. See ``pundits.yaml`` and ``docs/store.md``.

References
----------
1. Haber, S. & Stornetta, W. S. (1991). How to time-stamp a digital document. *J. Cryptology*
   3(2), 99–111 (linked time-stamping: each stamp includes the previous hash).
2. Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
   estimation. *JASA* 102(477), 359–378.
3. Tetlock, P. E. (2005). *Expert Political Judgment*. Princeton UP (scoring pundits'
   forecasts with the same rules as models').
4. Brier, G. W. (1950). Verification of forecasts expressed in terms of probability. *Monthly
   Weather Review* 78(1), 1–3.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from .chain import (
    GENESIS,
    Appender,
    Verification,
    entries,
    head,
    parse_head,
    run_hash,
    verify,
)
from .db import LOCK_LEDGER, advisory_lock
from .runs import Store, canonical_json
from .schema import LedgerEntry, Run
from .scores import score, summarise  # scoring lives in .scores; kept importable here

__all__ = [
    "GENESIS",
    "question_key",
    "seal",
    "seal_run",
    "sealed_forecasts",
    "seal_pundits",
    "seal_new",
    "resolve",
    "resolve_case",
    "verify",
    "Verification",
    "head",
    "parse_head",
    "entries",
    "score",
    "summarise",
    "PUNDITS",
]

PUNDITS = "pundits.yaml"


def question_key(scenario_name: str, issue_id: str) -> str:
    """The ledger's name of an issue: ``<scenario name>:<issue id>``."""
    return f"{scenario_name}:{issue_id}"


def seal(store: Store, record: dict[str, Any], run_id: int | None = None) -> int:
    """Append one record (``type`` ``forecast`` or ``resolution``) to the chain; its sequence no.

    Appends are serialised (SQLite's ``BEGIN IMMEDIATE``; a PostgreSQL advisory lock), and the
    unique ``prev_hash`` column makes a fork impossible even without the lock. With ``run_id``
    the entry also seals that run's record (see :mod:`realpolitik.store.chain`).
    """
    with store.session() as s:
        advisory_lock(s.connection(), LOCK_LEDGER)
        digest = None
        if run_id is not None:
            run = s.get(Run, run_id)
            if run is None:
                raise KeyError(f"no run {run_id} in {store.display_url}")
            digest = run_hash(run)
        return Appender(s).append(record, run_id, digest)


def _run_records(run: Run) -> list[dict[str, Any]]:
    doc = run.results or {}
    if "forecasts" not in doc or "scenario" not in doc:
        raise ValueError(f"run {run.id} is a {run.kind} record, not a forecast")
    issues = {i["id"]: i for i in doc["scenario"]["issues"]}
    params = {m["model"]: m.get("params", {}) for m in doc.get("models", [])}
    out = []
    for f in doc["forecasts"]:
        if f.get("outcome") is None:
            continue
        issue = issues[f["issue"]]
        dist = f.get("distribution") or {}
        pct = (doc.get("draw_percentiles") or {}).get(f["model"], {}).get(f["issue"])
        out.append(
            {
                "type": "forecast",
                "question": question_key(doc["scenario"]["name"], f["issue"]),
                "forecaster": f["model"],
                "forecaster_kind": "model",
                "value": f["outcome"],
                "interval": [dist["p10"], dist["p90"]] if dist else None,
                "samples": pct,
                "scale": [issue["low"], issue["high"]],
                "outcome_in_inputs": issue.get("known_outcome") is not None,
                "made": run.created_at.isoformat(),
                "run": {
                    "id": run.id,
                    "uid": run.uid,
                    "inputs_hash": run.inputs_hash,
                    "params": params.get(f["model"], {}),
                    "seed": run.seed,
                    "engine_version": run.engine_version,
                },
            }
        )
    return out


def sealed_forecasts(store: Store, run_id: int) -> int:
    """How many ledger entries seal forecasts of run ``run_id``."""
    with store.session() as s:
        q = select(func.count()).where(LedgerEntry.run_id == run_id)
        return int(s.scalar(q.where(LedgerEntry.kind == "forecast")) or 0)


def seal_run(store: Store, run_id: int, models: list[str] | None = None) -> list[int]:
    """Seal every model × issue forecast of a saved forecast run, in ONE transaction.

    Idempotent: a forecast of the run that is already sealed (same question and model) is not
    sealed again, so sealing twice adds nothing, and a run left part-sealed (by a version that
    committed one entry at a time) is completed without duplicates. Returns the new entries'
    sequence numbers. For a Monte Carlo run the record also keeps the 80% interval (10th–90th
    percentile of the draws) and the draws' 1st–99th percentiles, from which the CRPS is scored.
    """
    with store.session() as s:
        advisory_lock(s.connection(), LOCK_LEDGER)
        run = s.get(Run, run_id)
        if run is None:
            raise KeyError(f"no run {run_id} in {store.display_url}")
        records = [r for r in _run_records(run) if not models or r["forecaster"] in models]
        done = {
            (q, f)
            for q, f in s.execute(
                select(LedgerEntry.question, LedgerEntry.forecaster).where(
                    LedgerEntry.run_id == run_id, LedgerEntry.kind == "forecast"
                )
            )
        }
        chain, digest = Appender(s), run_hash(run)
        return [
            chain.append(r, run.id, digest)
            for r in records
            if (r["question"], r["forecaster"]) not in done
        ]


def _pundit_file(path: str | Path | None) -> dict[str, Any]:
    if path is None:
        text = (resources.files("realpolitik.store") / PUNDITS).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def seal_pundits(store: Store, path: str | Path | None = None) -> list[int]:
    """Seal the verbal forecasts of a pundit file (default: the shipped op-ed forecasts).

    One transaction; a forecast whose identical record is already sealed is skipped, so sealing
    the same file twice adds nothing.
    """
    doc = _pundit_file(path)
    records = []
    for p in doc["forecasts"]:
        lo, hi = (float(x) for x in p["range"])
        record = {
            "type": "forecast",
            "question": p["question"],
            "forecaster": p["forecaster"],
            "forecaster_kind": "pundit",
            "value": (lo + hi) / 2,
            "interval": [lo, hi],
            "distribution": "uniform",
            "samples": None,
            "scale": [float(x) for x in p["scale"]],
            "made": str(p["made"]),
            "verbal": p["verbal"],
            "source": p.get("source"),
            "mapping": p["mapping"],
        }
        records.append(record)
    with store.session() as s:  # one transaction; a forecast already sealed is not repeated
        advisory_lock(s.connection(), LOCK_LEDGER)
        done = set(
            s.scalars(
                select(LedgerEntry.record).where(
                    LedgerEntry.run_id.is_(None), LedgerEntry.kind == "forecast"
                )
            )
        )
        chain = Appender(s)
        return [chain.append(r) for r in records if canonical_json(r) not in done]


def seal_new(store: Store, records: list[dict[str, Any]]) -> tuple[list[int], int]:
    """Seal the records not sealed yet, in ONE transaction: ``(new sequence numbers, skipped)``.

    Idempotent, so a command that enters the same questions can run any number of times: a
    forecast is skipped when the same forecaster already has a forecast of the question (a
    sealed forecast stands; it is never re-sealed with new numbers), a resolution when an
    identical resolution record is already sealed (a *different* outcome is sealed, and
    supersedes the earlier one as in :func:`resolve`). Records without a run only.
    """
    with store.session() as s:
        advisory_lock(s.connection(), LOCK_LEDGER)
        forecasts: set[tuple[Any, Any]] = {
            (q, f)
            for q, f in s.execute(
                select(LedgerEntry.question, LedgerEntry.forecaster).where(
                    LedgerEntry.kind == "forecast"
                )
            )
        }
        resolutions = set(
            s.scalars(select(LedgerEntry.record).where(LedgerEntry.kind == "resolution"))
        )
        chain, seqs = Appender(s), []
        for r in records:
            if r.get("type") == "forecast":
                key = (r.get("question"), r.get("forecaster"))
                if key in forecasts:
                    continue
                forecasts.add(key)
            elif r.get("type") == "resolution":
                text = canonical_json(r)
                if text in resolutions:
                    continue
                resolutions.add(text)
            seqs.append(chain.append(r))
        return seqs, len(records) - len(seqs)


def resolve(
    store: Store,
    question: str,
    outcome: float,
    date: str | None = None,
    source: str | None = None,
    note: str | None = None,
) -> int:
    """Seal what happened on ``question``; a later resolution of it supersedes an earlier one."""
    record = {
        "type": "resolution",
        "question": question,
        "value": float(outcome),
        "date": date,
        "source": source,
        "note": note,
    }
    return seal(store, record)


def resolve_case(store: Store, scenario: Any) -> list[int]:
    """Resolve every issue of a scenario that records a known outcome."""
    return [
        resolve(
            store,
            question_key(scenario.name, i.id),
            i.outcome.value,
            i.outcome.date,
            i.outcome.source,
            i.outcome.note,
        )
        for i in scenario.issues
        if i.outcome is not None
    ]

