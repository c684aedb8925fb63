"""Scenario files in and out: native YAML, tidy CSV and the peers' formats.

:func:`load` reads any supported format (chosen by ``format=`` or detected from the file's
extension and content); :func:`save` writes YAML or tidy CSV atomically.

========================  ==========================================================
format                    what
========================  ==========================================================
``yaml``                  realpolitik's native format (``.yaml``/``.yml``)
``csv``                   tidy CSV, one row per actor × issue
``predictioneer``         ``Actor, Capability, Position, Salience`` (one issue)
``ktab-csv``/``ktab-xml`` KTAB's spatial-model inputs
``decide``                decide-exchange-model's ``#A/#P/#M/#D`` files
``deu``                   DEU III semicolon layout
========================  ==========================================================

Detection (:mod:`.detect`) reads only the first rows of a file, whatever its size.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import Scenario
from ..problems import Problem, ScenarioError
from .common import atomic_write
from .decide import read_decide
from .detect import FORMATS, detect_format
from .deu import read_deu
from .ktab import read_ktab_csv, read_ktab_xml
from .native_yaml import dumps_yaml, read_yaml
from .predictioneer import read_predictioneer
from .tidy_csv import dumps_tidy_csv, read_tidy_csv

__all__ = ["load", "save", "dumps", "detect_format", "READERS", "WRITERS", "FORMATS"]

READERS: dict[str, Callable[..., Scenario]] = {
    "yaml": read_yaml,
    "csv": read_tidy_csv,
    "predictioneer": read_predictioneer,
    "ktab-csv": read_ktab_csv,
    "ktab-xml": read_ktab_xml,
    "decide": read_decide,
    "deu": read_deu,
}
WRITERS: dict[str, Callable[[Scenario], str]] = {"yaml": dumps_yaml, "csv": dumps_tidy_csv}


def load(path: str | Path, format: str | None = None, **options: Any) -> Scenario:
    """Read a scenario file of any supported format.

    Examples
    --------
    >>> sc = load("examples/emission-1994.yaml")  # doctest: +SKIP
    """
    fmt = format or detect_format(path)
    if fmt not in READERS:
        raise ScenarioError(
            [Problem(f"unknown format {fmt!r}; known: {', '.join(READERS)}", file=str(path))]
        )
    return READERS[fmt](path, **options)


def dumps(scenario: Scenario, format: str = "yaml") -> str:
    """The scenario as text in ``format`` (``yaml`` or ``csv``)."""
    if format not in WRITERS:
        raise ValueError(f"cannot write format {format!r}; writable: {', '.join(WRITERS)}")
    return WRITERS[format](scenario)


def save(scenario: Scenario, path: str | Path, format: str | None = None) -> None:
    """Write the scenario atomically; format from ``format`` or the extension."""
    fmt = format or ("csv" if Path(path).suffix.lower() == ".csv" else "yaml")
    atomic_write(path, dumps(scenario, fmt))
