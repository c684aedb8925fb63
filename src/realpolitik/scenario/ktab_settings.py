"""KTAB's model settings carried by a scenario (``meta["ktab"]``): one validation for all.

A KTAB XML file holds, besides the scenario, the switches of KTAB's spatial model
(``<ModelParameters>``), the seed of its random stream (``<prngSeed>``) and the ideal-adjustment
matrix (``<IdealAdjustment>``). The reader keeps them in ``meta["ktab"]`` and checks them with
:class:`KtabSettings`; the SMP reads them through the same class, so a file that validates is
a file the model can run (KAPSARC, KTAB ``smp.cpp``: ``SMPModel::xmlRead``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, ValidationError, field_validator

__all__ = ["KTAB_CHOICES", "KtabSettings", "IdealPair", "settings_problems"]

#: ``<ModelParameters>`` tag → the values KTAB defines for it (``smp.h`` enums). The SMP's
#: parameter types list the same values (a test keeps the two equal).
KTAB_CHOICES: dict[str, tuple[str, ...]] = {
    "VictoryProbModel": ("Linear", "Square", "Quartic", "Octic", "Binary"),
    "VotingRule": ("Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"),
    "PCEModel": ("Conditional", "MarkovIncentive", "MarkovUniform"),
    "StateTransitions": ("Deterministic", "Stochastic"),
    "BigRRange": ("Min", "Mid", "Max"),
    "BigRAdjust": ("None", "OneThird", "Half", "TwoThirds", "Full"),
    "ThirdPartyCommit": ("NoCommit", "SemiCommit", "FullCommit"),
    "InterVecBrgn": ("S1P1", "S2P2", "S2PMax"),
    "BargnModel": ("InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"),
}


class IdealPair(BaseModel):
    """One ``<iaPair>``: how far ``adjustingIdeal``'s ideal moves toward ``referencePos``."""

    model_config = ConfigDict(extra="forbid")

    adjustingIdeal: str
    referencePos: str
    adjust: FiniteFloat


class KtabSettings(BaseModel):
    """``meta["ktab"]``: KTAB switches by tag, the PRNG seed (an unsigned 64-bit integer
    written in decimal, as KTAB writes it) and the ideal-adjustment pairs."""

    model_config = ConfigDict(extra="allow")

    parameters: dict[str, str] = Field(default_factory=dict)
    prngSeed: int | None = Field(None, ge=0, lt=2**64)
    ideal_adjustment: list[IdealPair] = Field(default_factory=list)

    @field_validator("prngSeed", mode="before")
    @classmethod
    def _decimal(cls, v: Any) -> Any:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        if isinstance(v, str) and not v.strip().isdigit():
            raise ValueError(f"must be a whole number written in decimal digits (got {v!r})")
        return v.strip() if isinstance(v, str) else v

    @field_validator("parameters")
    @classmethod
    def _known_values(cls, v: dict[str, str]) -> dict[str, str]:
        for tag, value in v.items():
            why = _bad_parameter(tag, value)
            if why:
                raise ValueError(why)
        return v


def _bad_parameter(tag: str, value: Any) -> str | None:
    allowed = KTAB_CHOICES.get(tag)
    if allowed is not None and value not in allowed:
        return f"{tag} must be one of {', '.join(allowed)} (got {value!r})"
    return None


def settings_problems(raw: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Every problem of ``raw`` (a ``meta["ktab"]`` value) as (location, message).

    The location is pydantic's, e.g. ``("prngSeed",)``, ``("ideal_adjustment", 2, "adjust")``
    or ``("parameters", "VotingRule")``, so a reader can point each at its element's line.
    """
    if not isinstance(raw, dict):
        return [((), f"must be a mapping (got {type(raw).__name__})")]
    out: list[tuple[tuple[str | int, ...], str]] = []
    params = raw.get("parameters") or {}
    if isinstance(params, dict):
        for tag, value in params.items():
            why = _bad_parameter(tag, value)
            if why:
                out.append((("parameters", tag), why))
        raw = {**raw, "parameters": {}}
    try:
        KtabSettings.model_validate(raw)
    except ValidationError as err:
        for e in err.errors():
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] in ("float_parsing", "float_type", "finite_number"):
                msg = f"must be a finite number (got {e.get('input')!r})"
            out.append((tuple(e["loc"]), msg))
    return out
