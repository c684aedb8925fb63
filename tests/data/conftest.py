"""Fixtures for the data-loader tests: the shared data directory and session-cached tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

IR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "ir"


@pytest.fixture(scope="session")
def ir_dir() -> Path:
    """``../shared/data/ir``; skips the test with a reason when it is absent."""
    if not IR.is_dir():
        pytest.skip(f"reference data not available: {IR.resolve()} (../shared is absent)")
    return IR


@pytest.fixture(scope="session")
def unvotes_table(ir_dir: Path) -> pd.DataFrame:
    from realpolitik.data.unvotes import load_unvotes

    return load_unvotes(ir_dir)


@pytest.fixture(scope="session")
def atop_table(ir_dir: Path) -> pd.DataFrame:
    from realpolitik.data.atop import load_atop

    return load_atop(data_dir=ir_dir)
