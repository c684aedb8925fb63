"""The run store and the forecast ledger (see ``docs/store.md``).

>>> from realpolitik.store import Store
>>> store = Store("sqlite://")   # default URL: REALPOLITIK_DB, else SQLite in the data directory
>>> store.runs()
[]
"""

from .db import data_home, resolve_url
from .runs import Store, canonical_json, diff_runs, sha256_json
from .schema import LedgerEntry, Run

__all__ = [
    "Store",
    "Run",
    "LedgerEntry",
    "data_home",
    "resolve_url",
    "diff_runs",
    "canonical_json",
    "sha256_json",
]
