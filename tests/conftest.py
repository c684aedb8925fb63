"""Shared pytest fixtures (helpers for ../shared live in ``shared_data.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
    running instance per thread, so every browser test shares it); skipped when absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"headless browser tests need Debian's chromium at {CHROMIUM} "
                    "(.ci/browser.sh installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
