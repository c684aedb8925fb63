"""The report and web pages' examples run (docs that contain code are doctested)."""

from __future__ import annotations

import doctest
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("page", ["report.md", "web.md"])
def test_doc_examples(page):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette: httpx will be replaced
        result = doctest.testfile(str(DOCS / page), module_relative=False,
                                  optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 3 and result.failed == 0
