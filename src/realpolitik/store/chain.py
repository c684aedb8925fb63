r"""The ledger's hash chain: how an entry is sealed, appended and checked.

Version 2 of the chain hash covers **every column** of an entry and the run record it seals:

.. math::
    h_k = \mathrm{SHA256}\big(\mathrm{JSON}[\texttt{"realpolitik-ledger/2"}, k, \text{kind}_k,
    \text{question}_k, \text{forecaster}_k, \text{run\_id}_k, \rho_k, r_k, t_k, h_{k-1}]\big),
    \qquad h_0 = 0^{64}

where :math:`r_k = \mathrm{SHA256}(\text{record}_k)`, :math:`t_k` is the UTC seal time and
:math:`\rho_k` is the SHA-256 of the canonical JSON of every column of the ``runs`` row the
entry seals (``None`` for a pundit forecast or a resolution). Editing any column, or the run
record behind a forecast, therefore breaks :math:`h_k`; recomputing :math:`h_k` breaks the
link of entry :math:`k+1`; and rewriting the chain's tail, or deleting its last entries,
replaces the head :math:`h_n`. The last two are caught by comparing with a head the user kept
(``realpolitik ledger head``; ``ledger verify --head HASH``) — the way transparency logs
publish a signed tree head (Laurie, Langley & Kasper 2013, RFC 6962 §3.5).

Entries written before version 2 (``hash_version`` NULL) keep the version-1 hash
``SHA256(k|kind|t|r|h_{k-1})``; they still verify, their ``run_id`` is checked against the
copy inside the sealed record, and the run fields their record copied (uid, inputs hash, seed,
engine version) against the ``runs`` row. A version-1 entry after a version-2 one is a
tampering sign (a downgrade).

Appends run inside the caller's transaction under the ledger lock (SQLite's ``BEGIN
IMMEDIATE``; a PostgreSQL advisory lock), so a batch of entries — every forecast of a run —
is sealed in one transaction: all or nothing, whenever the process dies.

References
----------
1. Haber, S. & Stornetta, W. S. (1991). How to time-stamp a digital document. *J. Cryptology*
   3(2), 99–111.
2. Laurie, B., Langley, A. & Kasper, E. (2013). Certificate Transparency. RFC 6962.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .runs import Store, canonical_json
from .schema import LedgerEntry, Run

__all__ = [
    "GENESIS",
    "HASH_VERSION",
    "run_hash",
    "entry_hash",
    "entry_hash_v1",
    "Appender",
    "Verification",
    "entries",
    "head",
    "parse_head",
    "verify",
]

GENESIS = "0" * 64
HASH_VERSION = 2
_TAG = "realpolitik-ledger/2"
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _utc(t: datetime) -> str:
    # SQLite hands back naive datetimes (stored as UTC), PostgreSQL aware ones
    t = t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    return t.isoformat(timespec="microseconds")


def run_hash(run: Run) -> str:
    """SHA-256 of the canonical JSON of every column of a ``runs`` row, as stored."""
    doc = {
        "id": run.id,
        "uid": run.uid,
        "kind": run.kind,
        "created_at": _utc(run.created_at),
        "name": run.name,
        "inputs_hash": run.inputs_hash,
        "inputs": run.inputs,
        "models": run.models,
        "params": run.params,
        "seed": run.seed,
        "engine_version": run.engine_version,
        "results": run.results,
        "note": run.note,
    }
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def entry_hash_v1(seq: int, kind: str, sealed_at: str, record_hash: str, prev: str) -> str:
    """The version-1 chain hash (entries sealed before every column was covered)."""
    blob = f"{seq}|{kind}|{sealed_at}|{record_hash}|{prev}"
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def entry_hash(
    seq: int,
    kind: str,
    question: str,
    forecaster: str | None,
    run_id: int | None,
    run_digest: str | None,
    record_hash: str,
    sealed_at: str,
    prev: str,
) -> str:
    """The version-2 chain hash: every column of the entry and its run record's hash."""
    fields = [_TAG, seq, kind, question, forecaster, run_id, run_digest, record_hash]
    blob = canonical_json([*fields, sealed_at, prev])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _hash_of(e: LedgerEntry) -> str:
    if e.hash_version is None or e.hash_version == 1:
        return entry_hash_v1(e.seq, e.kind, e.sealed_at, e.record_hash, e.prev_hash)
    return entry_hash(
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


class Appender:
    """Appends entries to the chain inside one open, locked transaction (see module doc)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        last = session.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1))
        e = last.first()
        self.seq, self.prev = (0, GENESIS) if e is None else (e.seq, e.entry_hash)

    def append(
        self, record: dict[str, Any], run_id: int | None = None, run_digest: str | None = None
    ) -> int:
        """Seal one record (``type`` ``forecast`` or ``resolution``); its sequence number."""
        kind = record.get("type")
        if kind not in ("forecast", "resolution") or not record.get("question"):
            raise ValueError("a ledger record needs type 'forecast' or 'resolution' and a question")
        text = canonical_json(record)
        rhash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        seq, stamp = self.seq + 1, datetime.now(UTC).isoformat(timespec="microseconds")
        question, forecaster = record["question"], record.get("forecaster")
        h = entry_hash(seq, kind, question, forecaster, run_id, run_digest, rhash, stamp, self.prev)
        self.session.add(
            LedgerEntry(
                seq=seq,
                kind=kind,
                question=question,
                forecaster=forecaster,
                run_id=run_id,
                run_hash=run_digest,
                hash_version=HASH_VERSION,
                record=text,
                record_hash=rhash,
                sealed_at=stamp,
                prev_hash=self.prev,
                entry_hash=h,
            )
        )
        self.seq, self.prev = seq, h
        return seq


@dataclass(frozen=True)
class Verification:
    """The result of :func:`verify`.

    ``ok``: no problem; ``n``: entries checked; ``head``: the last entry's hash (the genesis
    hash when empty); ``problems``: one line per failure, naming the entry; ``legacy``: entries
    under the version-1 hash; ``kept_head``/``kept_head_seq``: the head the user kept and the
    entry it names (``None`` when it is not in the ledger, or none was given).
    """

    ok: bool
    n: int
    head: str
    problems: list[str] = field(default_factory=list)
    legacy: int = 0
    kept_head: str | None = None
    kept_head_seq: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.n,
            "head": self.head,
            "problems": list(self.problems),
            "legacy_entries": self.legacy,
            "kept_head": None
            if self.kept_head is None
            else {"hash": self.kept_head, "found_at": self.kept_head_seq},
        }


def entries(store: Store) -> list[LedgerEntry]:
    """Every ledger entry in chain order."""
    with store.session() as s:
        return list(s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)))


def head(store: Store) -> tuple[str, int]:
    """The head hash (the last entry's chain hash; the genesis hash when empty) and entries."""
    with store.session() as s:
        last = s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1)).first()
        return (GENESIS, 0) if last is None else (last.entry_hash, last.seq)


def parse_head(text: str) -> str:
    """A kept head hash (64 hex digits, any case); ``ValueError`` with the reason otherwise."""
    h = text.strip().lower()
    if not _HEX64.fullmatch(h):
        raise ValueError(f"a head hash is 64 hexadecimal digits, got {text!r}")
    return h


def _who(e: LedgerEntry) -> str:
    return f"entry {e.seq} ({e.kind} {e.question!r}{', ' + e.forecaster if e.forecaster else ''})"


def _check_record(e: LedgerEntry, who: str) -> tuple[list[str], dict[str, Any] | None]:
    out = []
    if hashlib.sha256(e.record.encode("utf-8")).hexdigest() != e.record_hash:
        out.append(f"{who}: its record does not match its seal (the record was changed)")
    try:
        rec = json.loads(e.record)
    except json.JSONDecodeError:
        return [*out, f"{who}: the record is not valid JSON"], None
    if not isinstance(rec, dict):
        return [*out, f"{who}: the record is not a JSON object"], None
    if canonical_json(rec) != e.record:
        out.append(f"{who}: the record is not in canonical form")
    sealed_run = rec.get("run")
    copies = {
        "kind": rec.get("type"),
        "question": rec.get("question"),
        "forecaster": rec.get("forecaster"),
        "run_id": sealed_run.get("id") if isinstance(sealed_run, dict) else None,
    }
    for col, val in copies.items():
        if getattr(e, col) != val:
            out.append(
                f"{who}: column {col} = {getattr(e, col)!r} disagrees with the "
                f"sealed record ({val!r})"
            )
    return out, rec


def _check_run(
    e: LedgerEntry, rec: dict[str, Any] | None, run: Run | None, digest: str | None, who: str
) -> list[str]:
    if e.run_id is None:
        return [f"{who}: it names a run hash but no run"] if e.run_hash is not None else []
    if run is None:
        return [f"{who}: the run it seals (run {e.run_id}) is missing from the runs table"]
    if e.hash_version == HASH_VERSION:
        if e.run_hash != digest:
            return [f"{who}: run {e.run_id} was changed after it was sealed"]
        return []
    sealed = (rec or {}).get("run")
    if not isinstance(sealed, dict):
        return []
    keys = ("uid", "inputs_hash", "seed", "engine_version")
    changed = [k for k in keys if sealed.get(k) != getattr(run, k)]
    if changed:
        return [f"{who}: run {e.run_id} differs from the sealed copy ({', '.join(changed)})"]
    return []


def verify(store: Store, kept_head: str | None = None) -> Verification:
    """Recompute every seal, link and run hash; with ``kept_head``, check it is in the chain.

    Each failure is listed by entry number and question. A kept head that is no longer in the
    chain means entries were deleted from the end, or the chain was rewritten from some entry
    on and re-hashed consistently; neither is detectable without it.
    """
    problems: list[str] = []
    prev, legacy, seen_v2 = GENESIS, 0, False
    found: int | None = 0 if kept_head == GENESIS else None
    with store.session() as s:
        rows = list(s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)))
        ids = sorted({e.run_id for e in rows if e.run_id is not None})
        runs = {r.id: r for r in s.scalars(select(Run).where(Run.id.in_(ids)))} if ids else {}
    digests = {i: run_hash(r) for i, r in runs.items()}
    for k, e in enumerate(rows, start=1):
        who = _who(e)
        if e.seq != k:
            problems.append(f"{who}: sequence gap (expected {k}): an entry was deleted")
        if e.hash_version not in (None, 1, HASH_VERSION):
            problems.append(f"{who}: unknown hash version {e.hash_version!r}")
        elif e.hash_version == HASH_VERSION:
            seen_v2 = True
        else:
            legacy += 1
            if seen_v2:
                problems.append(f"{who}: a version-1 entry after version-2 ones (downgraded)")
        found_problems, rec = _check_record(e, who)
        problems.extend(found_problems)
        run = runs.get(e.run_id) if e.run_id is not None else None
        digest = digests.get(e.run_id) if e.run_id is not None else None
        problems.extend(_check_run(e, rec, run, digest, who))
        if e.prev_hash != prev:
            problems.append(f"{who}: its link to the previous entry is broken")
        if _hash_of(e) != e.entry_hash:
            problems.append(
                f"{who}: its chain hash does not match (a column, its run or its link changed)"
            )
        if kept_head is not None and e.entry_hash == kept_head and found is None:
            found = e.seq
        prev = e.entry_hash
    if kept_head is not None and found is None:
        problems.append(
            f"the head you kept ({kept_head}) is not in the ledger: entries were deleted from "
            f"its end, or it was rewritten from some entry on (now {len(rows)} entries, "
            f"head {prev})"
        )
    return Verification(not problems, len(rows), prev, problems, legacy, kept_head, found)
