"""Settings of the expected-utility model: every ambiguity in the sources is a parameter.

See :mod:`realpolitik.models.eum.core` for the equations and ``docs/models/eum.md`` for what
each reading means and which one the sources support.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from ..base import NoParams

__all__ = ["EUMParams", "PRESETS", "KINDS", "GIVES", "UTILITY_SCALE"]

#: The scale of expected utilities for the tie rule of :mod:`realpolitik.models.ties`: every
#: utility lies in [−2, 2], so two expected utilities (or one and zero) are compared with the
#: absolute tolerance ``RTOL × UTILITY_SCALE``. Positions are compared relative to the range R.
UTILITY_SCALE = 2.0

#: Dyad kinds, coded 0..4 in the ``kind`` arrays (0: same position, no dyad).
KINDS = ("none", "stalemate", "conflict", "compromise", "compel")
NONE, STALEMATE, CONFLICT, COMPROMISE, COMPEL = range(5)
#: Who gives way in a dyad ``[i, j]`` as ``i`` sees it: nobody, ``i`` (row) or ``j`` (column).
GIVES = ("nobody", "row", "column")

#: Named variants: the values they give to parameters the caller leaves unset.
PRESETS: dict[str, dict[str, Any]] = {
    "paper": {},
    "scholz-code": dict(
        probability="global",
        votes="risk",
        perspective="observer",
        security="actors",
        offer="scholz-code",
        capitulation=False,
        q=1.0,
        t_rule="median",
        scale="initial",
        median_tie="lower",
        risk="every-round",
        stop="rounds",
        rounds=10,
    ),
}


class EUMParams(NoParams):
    """The EUM's settings; every ambiguity in the sources is one of them (see the docs page).

    ``variant`` fills the parameters the caller does not set: ``paper`` (default) is the
    paper-faithful reading, ``scholz-code`` reproduces the jmckib port of Scholz's code.
    """

    variant: Literal["paper", "scholz-code"] = "paper"
    #: P_ij normalised per pair (sums to 1 with P_ji) or by Scholz's one global constant.
    probability: Literal["pairwise", "global"] = "pairwise"
    #: Votes linear in distance, or curved by each voter's risk exponent (Scholz's code).
    votes: Literal["linear", "risk"] = "linear"
    #: E_j(U_ji) with j's own r ("own") or as the observer i sees it, with r_i ("observer").
    perspective: Literal["own", "observer"] = "own"
    #: Security max/min over all actors, or over i's hypothetical positions (BdM's intent).
    security: Literal["actors", "positions"] = "actors"
    #: Which accepted offer an actor takes among those of its most pressing kind.
    offer: Literal["least-move", "highest-eu", "scholz-code"] = "least-move"
    #: Whether compel (capitulation) offers are accepted; the port's test never fires.
    capitulation: bool = True
    q: float = Field(1.0, ge=0.0, le=1.0, description="probability the status quo persists")
    #: T = 1 iff |x_i − μ| < |x_i − x_j| ("median"), or T fixed at 1, 0 or 0.5.
    t_rule: Literal["median", "better", "worse", "half"] = "median"
    #: R: range of the initial positions, of the current ones, or the issue's scale.
    scale: Literal["initial", "current", "issue"] = "initial"
    median_tie: Literal["mid", "lower", "upper"] = "mid"
    #: Risk exponents recomputed every round, fixed after round 1, or all 1 (neutral).
    risk: Literal["every-round", "first-round", "neutral"] = "every-round"
    #: Fixed rounds; stop once the median is stable; stop before the total payoff would fall.
    stop: Literal["rounds", "stable", "payoff"] = "rounds"
    rounds: int = Field(10, ge=0, le=10_000, description="rounds to run (the maximum)")
    tol: float = Field(1e-9, ge=0.0, description="tolerance of the stopping rules, × R")
    #: Code that runs untraced batches (Monte Carlo): the compiled numba kernel when numba is
    #: installed, the batch suits it and the kernel is compiled already ("auto": never waits
    #: for a compile), always numpy, or always numba.
    backend: Literal["auto", "numpy", "numba"] = "auto"
    #: Keep every round's detail in the forecast record (risk, security, P and EU matrices,
    #: dyads, offers: n² numbers per round); without it each round records its median, mean
    #: and positions only. Not a reading of the model: the outcome is the same either way.
    trace: bool = False

    @model_validator(mode="before")
    @classmethod
    def _fill_from_variant(cls, data: Any) -> Any:
        if isinstance(data, dict):
            preset = PRESETS.get(str(data.get("variant", "paper")), {})
            data = {**preset, **data}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> EUMParams:
        if self.security == "positions" and self.probability != "pairwise":
            raise ValueError("security='positions' needs probability='pairwise'")
        return self
