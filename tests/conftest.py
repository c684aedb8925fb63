"""Shared pytest fixtures (helpers for ../shared live in ``shared_data.py``)."""

from __future__ import annotations

import pytest

from shared_data import shared


@pytest.fixture
def shared_path():
    """The :func:`shared_data.shared` helper as a fixture."""
    return shared
