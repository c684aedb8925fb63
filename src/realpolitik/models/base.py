"""The model protocol: what every bargaining model takes and gives back.

A model is a class with keyword hyper-parameters (a pydantic ``Params`` model, stored
unchanged) and one verb, :meth:`Model.run`, that turns a validated scenario into a
:class:`ModelResult`: per issue the forecast outcome on the issue's own scale and, for
dynamic models, the per-round trajectory. Metadata (dynamic, stochastic, multidimensional,
needs a status quo) is declared on the class and checked by the conformance tests.

Adding a model = one module under ``models/`` with a ``@register``-ed subclass of
:class:`Model`, plus its import in ``models/__init__.py``. Nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..scenario import Scenario

__all__ = ["Model", "ModelResult", "IssueForecast", "NoParams", "as_rng"]


class NoParams(BaseModel):
    """Base for model parameters: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class IssueForecast:
    """One model's forecast of one issue.

    ``outcome`` is on the issue's own scale (``None`` if the model cannot forecast this issue,
    e.g. it needs a status quo the issue lacks; ``details["skipped"]`` then says why).
    ``rounds`` (dynamic models) is a list of JSON-ready dicts, one per round, starting with the
    initial state as round 0.
    ``details`` holds model-specific extras (e.g. a final distribution of positions).
    """

    issue: str
    outcome: float | None
    rounds: list[dict[str, Any]] | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelResult:
    """What :meth:`Model.run` returns: the model's name, its parameters and per-issue forecasts.

    ``rounds`` carries a joint per-round trajectory for models that bargain over all issues at
    once (exchange, SMP); per-issue models put theirs on each :class:`IssueForecast`.
    """

    model: str
    params: dict[str, Any]
    issues: tuple[IssueForecast, ...]
    rounds: list[dict[str, Any]] | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def outcome(self, issue_id: str) -> float | None:
        return next(f.outcome for f in self.issues if f.issue == issue_id)

    def outcomes(self) -> dict[str, float | None]:
        return {f.issue: f.outcome for f in self.issues}


class Model:
    """Base class of every model. Subclasses set the class attributes and implement ``solve``.

    Parameters are passed as keywords and validated by the subclass's ``Params``.
    """

    name: ClassVar[str]
    summary: ClassVar[str]
    Params: ClassVar[type[BaseModel]] = NoParams
    dynamic: ClassVar[bool] = False
    stochastic: ClassVar[bool] = False
    multidimensional: ClassVar[bool] = False
    needs_status_quo: ClassVar[bool] = False
    #: True if the outcome always lies in the hull (range) of participants' positions.
    within_hull: ClassVar[bool] = True

    def __init__(self, **params: Any):
        self.params = self.Params(**params)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.model_dump().items())
        return f"{type(self).__name__}({args})"

    def run(self, scenario: Scenario, rng: np.random.Generator | int | None = None) -> ModelResult:
        """Forecast every issue of ``scenario``; ``rng`` seeds stochastic models."""
        issues, rounds, details = self.solve(scenario, as_rng(rng))
        return ModelResult(
            self.name, self.params.model_dump(mode="json"), tuple(issues), rounds, details
        )

    def solve(
        self, scenario: Scenario, rng: np.random.Generator
    ) -> tuple[list[IssueForecast], list[dict[str, Any]] | None, dict[str, Any]]:
        """Return (per-issue forecasts, joint rounds or None, details). Override this."""
        raise NotImplementedError


def as_rng(seed: np.random.Generator | int | None) -> np.random.Generator:
    """The one place a seed becomes a :class:`numpy.random.Generator` (SPEC 7)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)
