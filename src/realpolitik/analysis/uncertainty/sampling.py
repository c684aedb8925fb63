r"""Draws of a scenario's uncertain inputs: capability, position and salience arrays.

Every coded number may be uncertain (:class:`~realpolitik.scenario.Uncertainty` on the value,
or the scenario-wide :class:`~realpolitik.scenario.UncertaintyDefaults`). This module lists
the uncertain numbers as named **inputs** (``"USA capability"``, ``"ROK position nk_policy"``,
``"ROK salience nk_policy"``, ``"ROK capability nk_policy"`` for a per-issue override) and
maps uniform numbers :math:`u \in [0, 1]` to values through each input's inverse CDF:

* uniform on :math:`[a, b]`: :math:`a + u(b - a)`;
* triangular on :math:`[a, b]` with mode :math:`m` (the coded value):
  :math:`a + \sqrt{u(b-a)(m-a)}` if :math:`u < (m-a)/(b-a)`, else
  :math:`b - \sqrt{(1-u)(b-a)(b-m)}`;
* normal with mean :math:`m`, sd :math:`\sigma`, truncated to :math:`[a, b]`:
  :math:`m + \sigma\,\Phi^{-1}(\Phi(\alpha) + u[\Phi(\beta) - \Phi(\alpha)])`,
  :math:`\alpha = (a - m)/\sigma`, :math:`\beta = (b - m)/\sigma`.

The support :math:`[a, b]` is always inside the value's valid range (the issue's scale for
positions, :math:`[0, \text{salience scale}]`, capability :math:`\ge 0`). Defaults: ±``position``
percent of the scale width, ±``salience`` and ±``capability`` fractions of the value;
``normal`` takes the half-width as two standard deviations.

Seeding: the uniforms of input ``name`` in chunk ``c`` come from
``SeedSequence(seed, spawn_key=(c, 0, crc32(name)))`` — a child of the chunk's
``SeedSequence(seed).spawn(c + 1)[c]`` — so a draw depends only on the seed, the chunk and
the input's name: not on the actor order, nor on which other inputs exist (a what-if shock
keeps every unshocked input's draws: common random numbers), nor on where the chunk runs.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

from ...scenario import Scenario, Uncertainty, UncertaintyDefaults

__all__ = [
    "Input",
    "Inputs",
    "Draws",
    "inputs",
    "draw",
    "uniforms",
    "chunk_seed",
    "declares_uncertainty",
    "with_default_uncertainty",
    "DEFAULT_UNCERTAINTY",
]

#: The default spread applied by the CLI when a scenario declares none (the issue's example).
DEFAULT_UNCERTAINTY = UncertaintyDefaults(position=10, salience=0.2, capability=0.2)
_KIND = {"uniform": 0, "triangular": 1, "normal": 2}


@dataclass(frozen=True)
class Input:
    """One uncertain number: its name, where it sits, its coded value and its distribution.

    ``low``/``high`` is the support (for ``normal``: the truncation bounds); values are in the
    scenario's own units (salience on its declared scale).
    """

    name: str
    field: str
    actor: str
    issue: str | None
    value: float
    dist: str
    low: float
    high: float
    sd: float = math.nan


@dataclass(frozen=True)
class Draws:
    """Drawn arrays, shape ``(draws, n actors, k issues)``; salience normalised to [0, 1]."""

    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    values: np.ndarray  # (draws, m): the inputs' values, in scenario units


def chunk_seed(seed: int, chunk: int) -> np.random.SeedSequence:
    """The chunk's seed: equal to ``SeedSequence(seed).spawn(chunk + 1)[chunk]``."""
    return np.random.SeedSequence(seed, spawn_key=(chunk,))


def uniforms(names: list[str], seed: int, chunk: int, size: int) -> np.ndarray:
    """``(size, len(names))`` uniforms in [0, 1), one independent stream per input name."""
    out = np.empty((size, len(names)))
    for q, name in enumerate(names):
        ss = np.random.SeedSequence(seed, spawn_key=(chunk, 0, zlib.crc32(name.encode())))
        out[:, q] = np.random.default_rng(ss).random(size)
    return out


class Inputs:
    """The uncertain inputs of a scenario and the maps u → values → arrays / scenarios."""

    def __init__(self, scenario: Scenario, items: list[Input]):
        self.scenario = scenario
        self.items = tuple(items)
        self.names = [x.name for x in items]
        self.coded = np.array([x.value for x in items], float)
        self._kind = np.array([_KIND[x.dist] for x in items], int)
        self._lo = np.array([x.low for x in items], float)
        self._hi = np.array([x.high for x in items], float)
        self._sd = np.array([x.sd for x in items], float)
        self.base = scenario.arrays()
        self._scatter = _scatter_plan(scenario, items)

    def __len__(self) -> int:
        return len(self.items)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values ``(B, m)`` from uniforms ``(B, m)`` through each input's inverse CDF."""
        u = np.clip(np.asarray(u, float), 0.0, 1.0)
        v, a, b = self.coded, self._lo, self._hi
        out = a + u * (b - a)  # uniform
        tri = self._kind == 1
        if tri.any():
            ut, at, bt, mt = u[:, tri], a[tri], b[tri], v[tri]
            width = np.where(bt > at, bt - at, 1.0)
            fc = (mt - at) / width
            left = at + np.sqrt(ut * width * (mt - at))
            right = bt - np.sqrt((1 - ut) * width * (bt - mt))
            out[:, tri] = np.where(ut < fc, left, right)
        nor = self._kind == 2
        if nor.any():
            from scipy.special import ndtr, ndtri  # here: scipy is slow to import (issue 16)

            un, an, bn, mn, sn = u[:, nor], a[nor], b[nor], v[nor], self._sd[nor]
            pa, pb = ndtr((an - mn) / sn), ndtr((bn - mn) / sn)
            z = ndtri(np.clip(pa + un * (pb - pa), 1e-300, 1 - 1e-16))
            out[:, nor] = np.clip(mn + sn * z, an, bn)
        return out

    def arrays(self, values: np.ndarray, exact: bool = False) -> Draws:
        """Capability, position, salience arrays ``(B, n, k)`` with ``values`` ``(B, m)`` set.

        ``exact``: salience divided by the scale, as :meth:`Scenario.arrays` computes it, so
        each draw's arrays are bit for bit those of :meth:`perturb` (a batched core that must
        equal its draw-by-draw model asks for that; the default multiplies by the reciprocal).
        """
        values = np.atleast_2d(values)
        size = values.shape[0]
        out = {}
        for f in ("capability", "position", "salience"):
            arr = np.repeat(getattr(self.base, f)[None], size, 0)
            cells, cols, factor = self._scatter[f]
            if len(cells):
                flat = arr.reshape(size, -1)
                if exact and f == "salience":
                    flat[:, cells] = values[:, cols] / float(self.scenario.salience_scale)
                else:
                    flat[:, cells] = values[:, cols] * factor
            out[f] = arr
        return Draws(out["capability"], out["position"], out["salience"], values)

    def perturb(self, row: np.ndarray) -> Scenario:
        """The scenario with the inputs set to ``row`` (unvalidated copy; values stay valid)."""
        sc = self.scenario
        pairs = list(zip(self.items, row, strict=True))
        cap = {x.actor: float(r) for x, r in pairs if x.field == "capability" and x.issue is None}
        cell = {(x.field, x.actor, x.issue): float(r) for x, r in pairs if x.issue is not None}
        actors = tuple(
            a.model_copy(update={"capability": cap[a.id]}) if a.id in cap else a for a in sc.actors
        )
        stances = []
        for s in sc.stances:
            upd = {
                f: cell[(f, s.actor, s.issue)]
                for f in ("position", "salience", "capability")
                if (f, s.actor, s.issue) in cell
            }
            stances.append(s.model_copy(update=upd) if upd else s)
        return sc.model_copy(update={"actors": actors, "stances": tuple(stances)})


def _scatter_plan(
    sc: Scenario, items: list[Input]
) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    a_ix = {a.id: i for i, a in enumerate(sc.actors)}
    i_ix = {x.id: j for j, x in enumerate(sc.issues)}
    k = len(sc.issues)
    override = {(s.actor, s.issue) for s in sc.stances if s.capability is not None}
    plan: dict[str, tuple[list[int], list[int]]] = {
        f: ([], []) for f in ("capability", "position", "salience")
    }
    for q, x in enumerate(items):
        cells, cols = plan[x.field]
        i = a_ix[x.actor]
        if x.issue is None:  # actor-wide capability: every issue without a per-issue override
            js = [j for iid, j in i_ix.items() if (x.actor, iid) not in override]
        else:
            js = [i_ix[x.issue]]
        cells.extend(i * k + j for j in js)
        cols.extend([q] * len(js))
    return {
        f: (np.array(c, int), np.array(q, int), 1.0 / sc.salience_scale if f == "salience" else 1.0)
        for f, (c, q) in plan.items()
    }


def _input(
    name: str,
    field: str,
    actor: str,
    issue: str | None,
    value: float,
    own: Uncertainty | None,
    half: float,
    dist: str,
    valid: tuple[float, float],
) -> Input | None:
    """One input from its own uncertainty or the default half-width; None if it is exact."""
    lo_v, hi_v = valid
    if own is not None:
        dist = own.dist
        lo = lo_v if own.low is None else max(lo_v, own.low)
        hi = hi_v if own.high is None else min(hi_v, own.high)
        sd = own.sd if own.sd is not None else math.nan
    elif half > 0:
        lo, hi = max(lo_v, value - half), min(hi_v, value + half)
        sd = half / 2 if dist == "normal" else math.nan
    else:
        return None
    if not hi > lo:
        return None
    if dist != "normal" and not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    return Input(name, field, actor, issue, float(value), dist, float(lo), float(hi), float(sd))


def inputs(scenario: Scenario) -> Inputs:
    """The scenario's uncertain inputs (those with a spread), in actor, then stance order."""
    d = scenario.uncertainty
    issues = {i.id: i for i in scenario.issues}
    items: list[Input] = []
    for a in scenario.actors:
        x = _input(
            f"{a.id} capability",
            "capability",
            a.id,
            None,
            a.capability,
            a.uncertainty.get("capability"),
            d.capability * a.capability,
            d.dist,
            (0.0, math.inf),
        )
        if x is not None:
            items.append(x)
    scale = float(scenario.salience_scale)
    for s in scenario.stances:
        iss = issues[s.issue]
        specs = [
            ("position", s.position, d.position / 100 * (iss.high - iss.low), (iss.low, iss.high)),
            ("salience", s.salience, d.salience * s.salience, (0.0, scale)),
        ]
        if s.capability is not None:
            specs.append(("capability", s.capability, d.capability * s.capability, (0.0, math.inf)))
        for f, value, half, valid in specs:
            x = _input(
                f"{s.actor} {f} {s.issue}",
                f,
                s.actor,
                s.issue,
                value,
                s.uncertainty.get(f),  # type: ignore[call-overload]
                half,
                d.dist,
                valid,
            )
            if x is not None:
                items.append(x)
    return Inputs(scenario, items)


def draw(
    scenario: Scenario, size: int, seed: int, chunk: int = 0, spec: Inputs | None = None
) -> Draws:
    """``size`` draws of the scenario's arrays for chunk ``chunk`` of a run seeded ``seed``.

    Examples
    --------
    >>> from realpolitik.scenario import Actor, Issue, Scenario, Stance
    >>> sc = Scenario(name="toy", actors=[Actor(id="A", capability=2),
    ...     Actor(id="B", capability=1)], issues=[Issue(id="x")],
    ...     stances=[Stance(actor="A", issue="x", position=40, salience=1),
    ...              Stance(actor="B", issue="x", position=90, salience=1)],
    ...     uncertainty={"position": 10})
    >>> d = draw(sc, 1000, seed=1)
    >>> d.position.shape, bool((abs(d.position[:, 0, 0] - 40) <= 10).all())
    ((1000, 2, 1), True)
    >>> bool((d.position[:, 1, 0] <= 100).all())  # truncated to the scale
    True
    """
    spec = spec or inputs(scenario)
    return spec.arrays(spec.ppf(uniforms(spec.names, seed, chunk, size)))


def declares_uncertainty(scenario: Scenario) -> bool:
    """True if any value or the scenario-wide defaults carry uncertainty."""
    d = scenario.uncertainty
    return bool(
        d.position
        or d.salience
        or d.capability
        or any(a.uncertainty for a in scenario.actors)
        or any(s.uncertainty for s in scenario.stances)
    )


def with_default_uncertainty(
    scenario: Scenario, defaults: UncertaintyDefaults = DEFAULT_UNCERTAINTY
) -> Scenario:
    """The scenario with ``defaults`` as its scenario-wide uncertainty."""
    return scenario.replace(uncertainty=defaults)
