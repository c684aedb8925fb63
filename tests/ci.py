"""Test resources under CI: a missing browser or database skips locally, fails under CI."""

from __future__ import annotations

import os

import pytest

__all__ = ["in_ci", "missing"]


def in_ci() -> bool:
    """True on a CI runner (``CI=true``, as GitHub Actions, GitLab and most others set it)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing(reason: str) -> None:
    """A test resource (browser, database) is absent: skip with the reason locally, but fail
    under CI, where a skipped browser or database test would let the run pass untested."""
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)
