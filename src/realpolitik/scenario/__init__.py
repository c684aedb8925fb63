"""Scenarios: the data every model reads — actors × issues, validated, with provenance.

The model classes (pydantic, numpy) are imported on first use, so code that only needs
:class:`Problem` and :class:`ScenarioError` (the command line before it reads a file) stays
light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .problems import Problem, ScenarioError

if TYPE_CHECKING:
    from .io import load, save
    from .model import (
        Actor,
        Issue,
        Outcome,
        Provenance,
        Scenario,
        ScenarioArrays,
        Source,
        Space,
        Stance,
        Uncertainty,
        UncertaintyDefaults,
    )

__all__ = [
    "Actor",
    "Issue",
    "Outcome",
    "Provenance",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Space",
    "Stance",
    "Uncertainty",
    "UncertaintyDefaults",
    "Problem",
    "ScenarioError",
    "load",
    "save",
]


def __getattr__(name: str) -> Any:
    """The model classes and ``load``/``save`` on first use (io imports model, not back)."""
    if name in ("load", "save"):
        from . import io

        return getattr(io, name)
    if name in __all__:
        from . import model

        value = getattr(model, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
