"""The run store's tables (SQLAlchemy 2 declarative). Changes go through an Alembic migration.

``runs``
    One row per saved forecast, sweep, Monte Carlo or backtest: the inputs (the scenario or
    the cases), their SHA-256, the models and parameters, the seed, the engine version and the
    full results record (the JSON contract of ``docs/json-schema.md`` for forecasts).
``ledger``
    The forecast ledger: an append-only, hash-chained list of sealed forecasts and
    resolutions (see :mod:`realpolitik.store.ledger`). ``record`` is the canonical JSON text
    that ``record_hash`` seals; the other columns are copies for querying and are checked
    against it by ``ledger verify``. ``run_hash`` seals the ``runs`` row a forecast entry
    points at and ``hash_version`` names the chain hash (NULL: version 1, before migration
    0002; see :mod:`realpolitik.store.chain`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "Run", "LedgerEntry"]


class Base(DeclarativeBase):
    pass


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    name: Mapped[str] = mapped_column(String(300))
    inputs_hash: Mapped[str] = mapped_column(String(64), index=True)
    inputs: Mapped[Any] = mapped_column(JSON)
    models: Mapped[Any] = mapped_column(JSON)
    params: Mapped[Any] = mapped_column(JSON)
    seed: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    engine_version: Mapped[str] = mapped_column(String(40))
    results: Mapped[Any] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")


class LedgerEntry(Base):
    __tablename__ = "ledger"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))  # "forecast" | "resolution"
    question: Mapped[str] = mapped_column(String(300), index=True)
    forecaster: Mapped[str | None] = mapped_column(String(200), nullable=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    run_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)  # of the runs row
    hash_version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # NULL = 1
    record: Mapped[str] = mapped_column(Text)
    record_hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC, part of the hash
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
