"""One survival table per test session, built from ../shared into a temporary cache.

Building it reads every raw file (~30 s); the modules that need the assembled table share it.
"""

from __future__ import annotations

import pytest

from shared_data import shared


@pytest.fixture(scope="session")
def survival_env(tmp_path_factory):
    """``(SurvivalData, cache dir)`` with REALPOLITIK_CACHE/REALPOLITIK_DATA set for the
    session (so the CLI and web app find the same table)."""
    from realpolitik.analysis.alliance.survival import table as tb

    base = shared("data", "ir")
    cache = tmp_path_factory.mktemp("survival-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("REALPOLITIK_CACHE", str(cache))
    mp.setenv("REALPOLITIK_DATA", str(base))
    data = tb.load_table(base)
    yield data, cache
    mp.undo()
