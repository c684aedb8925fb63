"""The scenario: actors × issues with capability, position and salience, each traceable.

A :class:`Scenario` is immutable and validated. Every number may carry :class:`Provenance`
(the source it comes from and the quote or reasoning it rests on). Models read it through
:meth:`Scenario.arrays`, which exposes plain numpy arrays.

Conventions
-----------
* Each :class:`Issue` is one bargaining dimension with its own scale ``[low, high]``.
  Several issues bargained *jointly* (a multi-dimensional issue, as in KTAB's spatial model)
  are grouped in a :class:`Space`; one-dimensional models simply run issue by issue.
* Salience is stored exactly as coded, on the scale the scenario declares
  (``salience_scale`` = 1 or 100); :meth:`Scenario.arrays` normalises it to [0, 1].
* An actor may sit out an issue: it then has no :class:`Stance` on it.
* A stance may override the actor's capability on that issue (decide's per-issue power).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .problems import Problem, ScenarioError
from .validation import find_problems

__all__ = [
    "Provenance",
    "Source",
    "Actor",
    "Issue",
    "Outcome",
    "Space",
    "Stance",
    "Scenario",
    "ScenarioArrays",
    "Uncertainty",
    "UncertaintyDefaults",
]

Finite = Annotated[float, Field(allow_inf_nan=False)]
Id = Annotated[str, Field(min_length=1, max_length=200)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Provenance(_Frozen):
    """Where a number comes from: a source id (see :class:`Source`) and the quote or reasoning.

    A value drafted by a machine (``realpolitik draft``) also says ``line`` (the line of the
    source's file the quote starts on), ``method`` (how the value was obtained, e.g. "proxy:
    NMC CINC 2006") and ``draft: true`` until an analyst has reviewed it; ``validate`` lists
    the values still marked ``draft``.
    """

    source: str | None = None
    quote: str | None = None
    note: str | None = None
    line: Annotated[int, Field(ge=1)] | None = None
    method: str | None = None
    draft: bool | None = None


class Uncertainty(_Frozen):
    """How uncertain one coded value is: a distribution to draw it from in Monte Carlo runs.

    ``uniform`` on [low, high]; ``triangular`` on [low, high] with its mode at the coded value;
    ``normal`` with mean at the coded value and standard deviation ``sd``, truncated to the
    value's valid range (the issue's scale for positions, [0, scale] for salience, ≥ 0 for
    capability) and to [low, high] when given.
    """

    dist: Literal["uniform", "triangular", "normal"] = "uniform"
    low: Finite | None = None
    high: Finite | None = None
    sd: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _complete(self) -> Uncertainty:
        if self.dist == "normal" and self.sd is None:
            raise ValueError("a normal distribution needs sd")
        if self.dist != "normal" and (self.low is None or self.high is None):
            raise ValueError(f"a {self.dist} distribution needs a range [low, high]")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"range low {self.low:g} is above high {self.high:g}")
        return self


class UncertaintyDefaults(_Frozen):
    """Scenario-wide uncertainty for values without their own (0 = exact).

    ``position``: ± this share of each issue's scale width in percent (10 = ±10 points on a
    0–100 scale); ``salience`` and ``capability``: ± this fraction of the coded value
    (0.2 = ±20%). Drawn from ``dist`` (uniform, triangular or truncated normal with the
    half-width as two standard deviations).
    """

    position: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    salience: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    capability: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    dist: Literal["uniform", "triangular", "normal"] = "uniform"


class Source(_Frozen):
    """A document the scenario is coded from."""

    id: Id
    title: str = ""
    author: str | None = None
    date: str | None = None
    url: str | None = None
    file: str | None = None


class Actor(_Frozen):
    """A player: a state, a government, a public, a firm. Capability is relative clout ≥ 0.

    ``groups`` names the alliances or coalitions it belongs to; ``country`` (ISO3, ISO2 or a
    COW code) ties it to real-world data such as UN votes, for cohesion measures.
    """

    id: Id
    name: str = ""
    capability: Finite
    groups: tuple[str, ...] = ()
    country: str | None = None
    notes: str = ""
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    uncertainty: dict[Literal["capability"], Uncertainty] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.name or self.id


class Outcome(_Frozen):
    """A known outcome of an issue, for backtests: value on the issue's scale, when, per whom."""

    value: Finite
    date: str | None = None
    source: str | None = None
    note: str | None = None


class Issue(_Frozen):
    """One bargaining dimension with a scale from ``low`` to ``high`` and labelled ends.

    ``tags`` classify it (e.g. ``security``, ``economic``); alliance risk-sharing measures look
    at the ``security`` issues.

    ``veto`` names the actors whose consent the settlement needs (the veto players of the
    Nash bargaining solution: only they must weakly gain over the status quo). ``None`` (the
    default) means every participant holds a veto; a list narrows it, e.g. to the two
    governments that sign a bilateral agreement. The Nash solution then bargains among the
    veto players only (their gains form the product and bound the feasible set); the other
    participants matter to the other models, not to Nash.
    """

    id: Id
    name: str = ""
    description: str = ""
    low: Finite = 0.0
    high: Finite = 100.0
    low_label: str = ""
    high_label: str = ""
    anchors: dict[str, str] = Field(default_factory=dict)
    tags: tuple[str, ...] = ()
    status_quo: Finite | None = None
    outcome: Outcome | None = None
    veto: tuple[Id, ...] | None = None
    provenance: dict[str, Provenance] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.name or self.id


class Space(_Frozen):
    """Issues bargained jointly: the dimensions of one multi-dimensional issue."""

    id: Id
    name: str = ""
    issues: tuple[str, ...]


class Stance(_Frozen):
    """An actor's position and salience on one issue (salience on the scenario's scale)."""

    actor: Id
    issue: Id
    position: Finite
    salience: Finite
    capability: Finite | None = None
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    uncertainty: dict[Literal["position", "salience", "capability"], Uncertainty] = Field(
        default_factory=dict
    )


@dataclass(frozen=True)
class ScenarioArrays:
    """Numpy view of a scenario for models. Shapes: n actors × k issues.

    ``position`` is NaN and ``salience`` 0 where an actor sits out (``present`` False);
    ``salience`` is normalised to [0, 1]; ``capability`` includes per-issue overrides.
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    present: np.ndarray
    low: np.ndarray
    high: np.ndarray
    status_quo: np.ndarray

    def issue(self, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Capability, position, salience of the actors present on issue ``j``."""
        m = self.present[:, j]
        return self.capability[m, j], self.position[m, j], self.salience[m, j]


class Scenario(_Frozen):
    """An immutable, validated actors × issues scenario.

    Examples
    --------
    >>> sc = Scenario(
    ...     name="toy",
    ...     actors=[Actor(id="A", capability=2), Actor(id="B", capability=1)],
    ...     issues=[Issue(id="x", low=0, high=10)],
    ...     stances=[Stance(actor="A", issue="x", position=0, salience=1),
    ...              Stance(actor="B", issue="x", position=10, salience=1)],
    ... )
    >>> sc.arrays().position[:, 0].tolist()
    [0.0, 10.0]
    """

    name: str
    description: str = ""
    date: str | None = None
    salience_scale: Literal[1, 100] = 1
    sources: tuple[Source, ...] = ()
    actors: tuple[Actor, ...]
    issues: tuple[Issue, ...]
    spaces: tuple[Space, ...] = ()
    stances: tuple[Stance, ...]
    uncertainty: UncertaintyDefaults = Field(default_factory=UncertaintyDefaults)
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        problems = find_problems(self)
        if problems:
            raise ScenarioError(problems)
        # canonical stance order (actor order, then issue order): equal content, equal object
        a_ix = {a.id: n for n, a in enumerate(self.actors)}
        i_ix = {i.id: n for n, i in enumerate(self.issues)}
        ordered = tuple(sorted(self.stances, key=lambda s: (a_ix[s.actor], i_ix[s.issue])))
        if ordered != self.stances:
            object.__setattr__(self, "stances", ordered)
        return self

    # -- lookups -------------------------------------------------------------------------
    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actors)

    @property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.issues)

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)

    def issue(self, issue_id: str) -> Issue:
        return next(i for i in self.issues if i.id == issue_id)

    def stance(self, actor_id: str, issue_id: str) -> Stance | None:
        return next((s for s in self.stances if s.actor == actor_id and s.issue == issue_id), None)

    def groups(self) -> dict[str, tuple[str, ...]]:
        """Declared groups/alliances and their member actor ids, in actor order."""
        out: dict[str, list[str]] = {}
        for a in self.actors:
            for g in a.groups:
                out.setdefault(g, []).append(a.id)
        return {g: tuple(m) for g, m in out.items()}

    # -- numbers for models --------------------------------------------------------------
    def arrays(self) -> ScenarioArrays:
        """Numpy arrays (n actors × k issues) in declaration order; see :class:`ScenarioArrays`."""
        a_ix = {a.id: i for i, a in enumerate(self.actors)}
        i_ix = {s.id: j for j, s in enumerate(self.issues)}
        n, k = len(self.actors), len(self.issues)
        cap = np.repeat(np.array([a.capability for a in self.actors], float)[:, None], k, 1)
        pos = np.full((n, k), np.nan)
        sal = np.zeros((n, k))
        present = np.zeros((n, k), bool)
        for s in self.stances:
            i, j = a_ix[s.actor], i_ix[s.issue]
            pos[i, j] = s.position
            sal[i, j] = s.salience / self.salience_scale
            present[i, j] = True
            if s.capability is not None:
                cap[i, j] = s.capability
        sq = np.array([np.nan if x.status_quo is None else x.status_quo for x in self.issues])
        return ScenarioArrays(
            actor_ids=self.actor_ids,
            issue_ids=self.issue_ids,
            capability=cap,
            position=pos,
            salience=sal,
            present=present,
            low=np.array([x.low for x in self.issues], float),
            high=np.array([x.high for x in self.issues], float),
            status_quo=sq,
        )

    def to_frame(self) -> Any:
        """Tidy pandas DataFrame: one row per stance (actor × issue) with the effective
        capability and the salience normalised to [0, 1] beside the coded one."""
        import pandas as pd

        actors = {a.id: a for a in self.actors}
        issues = {i.id: i for i in self.issues}
        rows = [
            {
                "actor": s.actor,
                "actor_name": actors[s.actor].label,
                "issue": s.issue,
                "issue_name": issues[s.issue].label,
                "capability": actors[s.actor].capability if s.capability is None else s.capability,
                "position": s.position,
                "salience": s.salience,
                "salience01": s.salience / self.salience_scale,
                "low": issues[s.issue].low,
                "high": issues[s.issue].high,
            }
            for s in self.stances
        ]
        return pd.DataFrame(rows)

    @classmethod
    def from_frame(cls, frame: Any, name: str = "frame", salience_scale: int | None = None,
                   **fields: Any) -> Scenario:
        """The inverse of :meth:`to_frame`: a scenario from a tidy stance table
        (see :func:`realpolitik.scenario.frame.scenario_fields` for what a table cannot hold)."""
        from .frame import scenario_fields

        try:
            return cls.model_validate(scenario_fields(frame, name, salience_scale, **fields))
        except ValidationError as err:  # the scenario's own checks, as located problems
            raise ScenarioError(
                Problem(str(e["msg"]).removeprefix("Value error, "), field="frame")
                for e in err.errors()
            ) from None

    def content_hash(self) -> str:
        """SHA-256 of the scenario's canonical JSON: the inputs' hash recorded with results."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    def replace(self, **changes: Any) -> Scenario:
        """A validated copy with some top-level fields replaced."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        return Scenario(**data)
