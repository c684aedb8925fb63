"""Where ../shared is, and a skip (with the reason) when it is absent.

Import as ``from shared_data import SHARED, shared`` (``tests/`` is on pytest's pythonpath).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared(*parts: str) -> Path:
    """A path under ../shared; skips the calling test if it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"reference data not available: {p} (../shared is absent)")
    return p
