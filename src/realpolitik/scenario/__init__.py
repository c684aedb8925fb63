"""Scenarios: the data every model reads — actors × issues, validated, with provenance."""

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
from .problems import Problem, ScenarioError

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


def __getattr__(name: str):  # lazy: io imports model, not the other way round
    if name in ("load", "save"):
        from . import io

        return getattr(io, name)
    raise AttributeError(name)
