"""The store suite runs twice: on SQLite (a file under tmp_path) and on a real PostgreSQL.

PostgreSQL comes from ``REALPOLITIK_TEST_PG_URL`` (``source .ci/postgres.sh`` installs and
starts a server and sets it); each test gets its own schema there, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid

import pytest

from ci import missing

PG_ENV = "REALPOLITIK_TEST_PG_URL"


def _pg_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A URL of an empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        missing(f"{PG_ENV} is not set (run `source .ci/postgres.sh` to start PostgreSQL)")
    from sqlalchemy import create_engine, text

    from realpolitik.store.db import resolve_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_url(base))
    try:
        with admin.begin() as c:
            c.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as e:  # a set but unreachable server is a failure, not a skip
        admin.dispose()
        raise RuntimeError(f"{PG_ENV}={base} is set but unusable: {e}") from e
    yield _pg_url(base, schema)
    with admin.begin() as c:
        c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def store(db_url):
    from realpolitik.store import Store

    s = Store(db_url)
    yield s
    s.close()
