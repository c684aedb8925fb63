"""Alembic environment: migrations run on the connection handed over by ``store.db.migrate``.

From a shell (e.g. to autogenerate a new revision against a scratch database)::

    alembic -c /dev/null -x url=sqlite:///scratch.db ...   # see docs/store.md
"""

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from realpolitik.store.schema import Base


def _run(conn: Any) -> None:
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def main(config: Any) -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    with create_engine(url).begin() as conn:
        _run(conn)


_config: Any
try:
    _config = context.config
except AttributeError:  # imported outside an Alembic run (e.g. by a doctest collector)
    _config = None
if _config is not None:
    main(_config)
