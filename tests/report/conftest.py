"""Shared report fixtures: the Korea 2006 record (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik.report import collect
from realpolitik.scenario.io import load

REPO = Path(__file__).resolve().parents[2]
KOREA = REPO / "examples" / "korea-2006.yaml"
ARTIFACTS = REPO / "test-artifacts" / "report"


@pytest.fixture(scope="session")
def korea():
    return load(KOREA)


@pytest.fixture(scope="session")
def korea_record(korea):
    """Every panel's analysis on Korea 2006, kept small (the data series is cached)."""
    return collect(korea, seed=0, draws=200, sobol_samples=32)


@pytest.fixture(scope="session")
def korea_html(korea_record):
    from realpolitik.report import render

    return render(korea_record)
