"""Shared pytest fixtures (helpers for ../shared live in ``shared_data.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ci import missing

from shared_data import shared

#: Debian's Chromium, driven by Playwright (never a downloaded browser).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def shared_path():
    """The :func:`shared_data.shared` helper as a fixture."""
    return shared


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session (Playwright's sync API allows one
    running instance per thread, so every browser test shares it); skipped when absent,
    a failure under CI (see :func:`missing`)."""
    if not CHROMIUM.exists():
        missing(f"headless browser tests need Debian's chromium at {CHROMIUM} "
                "(.ci/browser.sh installs it)")
    try:
        import playwright.sync_api as playwright
    except ImportError:
        missing("headless browser tests need the playwright package (pip install -e .[dev])")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


#: Tests of peers' oracles and of backend equality whose agreement could hinge on the last
#: bits of floating point. They carry the ``numerics`` marker, and CI runs them a second time
#: with numpy's SIMD dispatch cut to its baseline (.ci/run). Files mark themselves with
#: ``pytestmark``; the oracle tests of models whose test files carry other tests are listed
#: here by node-id prefix.
NUMERICS = (
    "tests/models/eum/test_eum.py::test_scholz_code_reproduces_the_port",
    "tests/models/smp/test_smp.py::test_matches_ktab",
    "tests/models/smp/test_smp.py::test_default_actor_order",
    "tests/models/smp/test_smp.py::test_ktab",
    "tests/models/smp/test_smp.py::test_soe_competitive",
    "tests/models/exchange/test_exchange.py::test_round1_",
    "tests/models/exchange/test_exchange.py::test_decide_mode",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(NUMERICS):
            item.add_marker(pytest.mark.numerics)
