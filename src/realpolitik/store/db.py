"""Where the store lives and how to connect: a URL, an engine, migrations applied on open.

URL resolution, first match wins:

1. an explicit URL (``--db`` on the command line, ``url=`` in Python);
2. the ``REALPOLITIK_DB`` environment variable;
3. SQLite at ``$REALPOLITIK_HOME/realpolitik.db``, where ``REALPOLITIK_HOME`` defaults to the
   platform's user data directory (``$XDG_DATA_HOME/realpolitik`` or
   ``~/.local/share/realpolitik`` on Linux, ``~/Library/Application Support/realpolitik`` on
   macOS, ``%APPDATA%\\realpolitik`` on Windows).

PostgreSQL URLs look like ``postgresql+psycopg://user@host:5432/dbname`` (install the
``postgres`` extra for the driver); a bare ``postgresql://`` is read as psycopg 3.

Concurrency: on SQLite every transaction starts with ``BEGIN IMMEDIATE`` (it takes the write
lock at once, so two writers queue behind SQLite's busy timeout instead of failing half-way),
following SQLAlchemy's documented pysqlite recipe; on PostgreSQL migrations and ledger appends
take a transaction-scoped advisory lock.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

__all__ = ["data_home", "resolve_url", "make_engine", "migrate", "advisory_lock", "MIGRATIONS"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: advisory-lock keys (PostgreSQL): schema migrations, ledger appends
LOCK_MIGRATE, LOCK_LEDGER = 74_201_001, 74_201_002
BUSY_TIMEOUT_MS = 60_000


def data_home() -> Path:
    """The user's realpolitik data directory (``REALPOLITIK_HOME`` or the platform default)."""
    env = os.environ.get("REALPOLITIK_HOME")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "realpolitik"


def resolve_url(url: str | None = None) -> str:
    """The database URL to use (see the module docstring for the order)."""
    url = url or os.environ.get("REALPOLITIK_DB")
    if not url:
        return f"sqlite:///{data_home() / 'realpolitik.db'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (resolved with :func:`resolve_url`); creates SQLite's folder."""
    u = make_url(resolve_url(url))
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_setup(engine)
        return engine
    return create_engine(u, pool_pre_ping=True)


def advisory_lock(conn: Any, key: int) -> None:
    """Serialise with other writers until the transaction ends (PostgreSQL; SQLite already is)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic, in one locked transaction."""
    cfg = alembic_config()
    with engine.begin() as conn:
        advisory_lock(conn, LOCK_MIGRATE)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
