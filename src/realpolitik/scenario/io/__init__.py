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

Detection (:mod:`.detect`) reads only the first rows of a file, whatever its size. The readers
(:mod:`.formats`) are imported on first use, so this package is light to import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .detect import FORMATS, detect_format

if TYPE_CHECKING:
    from ..model import Scenario
    from .formats import READERS, WRITERS

__all__ = ["load", "save", "dumps", "detect_format", "READERS", "WRITERS", "FORMATS"]


def __getattr__(name: str) -> Any:
    if name in ("READERS", "WRITERS"):
        from . import formats

        return getattr(formats, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(path: str | Path, format: str | None = None, **options: Any) -> Scenario:
    """Read a scenario file of any supported format.

    Examples
    --------
    >>> sc = load("examples/emission-1994.yaml")  # doctest: +SKIP
    """
    from ..problems import Problem, ScenarioError
    from .formats import READERS

    fmt = format or detect_format(path)
    if fmt not in READERS:
        raise ScenarioError(
            [Problem(f"unknown format {fmt!r}; known: {', '.join(READERS)}", file=str(path))]
        )
    return READERS[fmt](path, **options)


def dumps(scenario: Scenario, format: str = "yaml") -> str:
    """The scenario as text in ``format`` (``yaml`` or ``csv``)."""
    from .formats import WRITERS

    if format not in WRITERS:
        raise ValueError(f"cannot write format {format!r}; writable: {', '.join(WRITERS)}")
    return WRITERS[format](scenario)


def save(scenario: Scenario, path: str | Path, format: str | None = None) -> None:
    """Write the scenario atomically; format from ``format`` or the extension."""
    from .common import atomic_write

    fmt = format or ("csv" if Path(path).suffix.lower() == ".csv" else "yaml")
    atomic_write(path, dumps(scenario, fmt))
