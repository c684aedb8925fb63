r"""Strategy: what a chosen actor could do to bring the forecast closer to what it wants.

For actor :math:`a` with ideal point :math:`x_a` (its coded position) on an issue whose
forecast is :math:`O`, a lever's **benefit** is how much closer the outcome comes,
:math:`|O - x_a| - |O' - x_a|` (issue units; its share of the gap :math:`|O - x_a|` is
``gap_closed``), and its **cost** is shown apart: how far the actor must move its stated
position (issue units) or raise its salience (salience points on the scenario's scale), or
how far another actor must be persuaded to move. Levers, per issue:

* **own position** — state a position other than the ideal;
* **own salience** — care more (commit more attention and resources);
* **persuade** — move another actor's position; ranked by benefit, then by the move needed.

For the compromise model :math:`O = \sum_i w_i x_i / W` (:math:`w_i = c_i s_i`,
:math:`W = \sum_i w_i`) the answer is **exact (closed form)**: stating :math:`x'` gives
:math:`O' = O + w_a (x' - x_a)/W`, so the outcome reaches :math:`x_a` at
:math:`x^* = x_a + (x_a - O)\,W/w_a` (clipped to the scale); salience :math:`s'` gives
:math:`O' = (WO + c_a(s' - s_a)x_a)/(W + c_a(s' - s_a))`, closest at the top of the salience
scale; persuading :math:`b` to move by :math:`\delta` gives :math:`O' = O + w_b\delta/W`, so
:math:`b` must move :math:`\delta^* = (x_a - O)W/w_b` (or as far as the scale allows).

For every other model the answer is a **search** on a grid of stated positions or saliences
(``grid`` points over the scale), each solved by the model — on the point scenario, or
averaged over ``draws`` Monte Carlo draws (then ``O`` is read as :math:`E|O - x_a|`); it is
labelled as such and is only as fine as its grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ...jsonsafe import jsonable
from ...models import create
from ...models.reference import weights as weigh
from ...models.ties import first_true, greater, within_best
from ...scenario import Problem, Scenario, ScenarioError
from ..uncertainty.evaluate import evaluate
from ..uncertainty.sampling import Input, Inputs, inputs, uniforms

__all__ = ["Move", "IssueAdvice", "Advice", "advise", "closed_form", "search"]


@dataclass(frozen=True)
class Move:
    """One lever: who moves what from where to where, the outcome after, benefit and cost."""

    lever: str
    actor: str
    value_from: float
    value_to: float
    cost: float
    outcome: float
    benefit: float
    gap_closed: float


@dataclass(frozen=True)
class IssueAdvice:
    issue: str
    ideal: float
    outcome: float
    own_position: Move | None
    own_salience: Move | None
    persuade: list[Move] = field(default_factory=list)


@dataclass(frozen=True)
class Advice:
    actor: str
    model: str
    method: str
    issues: list[IssueAdvice]

    def to_dict(self) -> dict[str, Any]:
        """The ``realpolitik.advise/1`` record (``docs/uncertainty.md``)."""
        return {"schema": "realpolitik.advise/1", **jsonable(asdict(self))}


def _move(
    lever: str,
    actor: str,
    frm: float,
    to: float,
    cost: float,
    ideal: float,
    before: float,
    after: float,
) -> Move:
    gap = abs(before - ideal)
    benefit = gap - abs(after - ideal)
    return Move(
        lever,
        actor,
        float(frm),
        float(to),
        float(cost),
        float(after),
        float(benefit),
        float(benefit / gap) if gap > 0 else 0.0,
    )


def _rank(moves: list[Move], width: float) -> list[Move]:
    """Moves by benefit, benefits within the tie tolerance (× the issue's ``width``, see
    :mod:`realpolitik.models.ties`) counting as equal, then by the move needed, then by actor.

    Each place goes to the best of the rest: the candidates within the tolerance of the
    largest remaining benefit, of those the least move (within the tolerance), of those the
    first actor id — a ranking that no last-bit difference in a benefit can reorder.
    """
    rest = sorted(moves, key=lambda m: m.actor)
    out = []
    while rest:
        benefit = np.array([m.benefit for m in rest])
        move = np.array([abs(m.value_to - m.value_from) for m in rest])
        near = within_best(benefit, 0, width, best="max")
        near &= within_best(np.where(near, move, np.inf), 0, width)
        out.append(rest.pop(int(first_true(near, 0))))
    return out


def closed_form(scenario: Scenario, actor: str, weights: str = "cs") -> list[IssueAdvice]:
    """The compromise model's levers, exactly (see the module docstring)."""
    a = scenario.arrays()
    me = a.actor_ids.index(actor)
    scale = scenario.salience_scale
    out = []
    for j, iid in enumerate(a.issue_ids):
        if not a.present[me, j]:
            continue
        c, x, s = a.capability[:, j], a.position[:, j], a.salience[:, j]
        w = weigh(c, s, x, weights)  # type: ignore[arg-type]
        big_w, lo, hi = w.sum(), a.low[j], a.high[j]
        o = float((w * np.nan_to_num(x)).sum() / big_w)
        xa = x[me]
        pos = sal = None
        if w[me] > 0:
            target = float(np.clip(xa + (xa - o) * big_w / w[me], lo, hi))
            pos = _move(
                "own position",
                actor,
                xa,
                target,
                abs(target - xa),
                xa,
                o,
                o + w[me] * (target - xa) / big_w,
            )
        if weights != "c" and s[me] < 1:
            w_new = float(weigh(c[me], np.float64(1.0), xa, weights))  # type: ignore[arg-type]
            after = (big_w * o + (w_new - w[me]) * xa) / (big_w + w_new - w[me])
            sal = _move(
                "own salience", actor, s[me] * scale, scale, (1 - s[me]) * scale, xa, o, after
            )
        persuade = []
        for b, bid in enumerate(a.actor_ids):
            if b == me or not a.present[b, j] or w[b] <= 0:
                continue
            to = float(np.clip(x[b] + (xa - o) * big_w / w[b], lo, hi))
            persuade.append(
                _move(
                    "persuade", bid, x[b], to, abs(to - x[b]), xa, o, o + w[b] * (to - x[b]) / big_w
                )
            )
        out.append(IssueAdvice(iid, float(xa), o, pos, sal, _rank(persuade, hi - lo)))
    return out


def _lever_input(sc: Scenario, field_: str, actor: str, issue: str) -> Input:
    iss = sc.issue(issue)
    st = sc.stance(actor, issue)
    lo, hi = (iss.low, iss.high) if field_ == "position" else (0.0, float(sc.salience_scale))
    return Input(
        f"lever {actor} {field_} {issue}",
        field_,
        actor,
        issue,
        float(getattr(st, field_)),
        "uniform",
        lo,
        hi,
    )


def _best(
    sc: Scenario,
    spec: Inputs,
    base_values: np.ndarray,
    lever: Input,
    model: str,
    params: Mapping[str, Any] | None,
    seed: int,
    ideal: float,
    j: int,
    grid: int,
    name: str,
) -> tuple[Move, float]:
    """The best grid value of one lever (least expected distance, then least move) and the
    expected outcome before it."""
    cand = np.unique(np.r_[np.linspace(lever.low, lever.high, grid), lever.value])
    d = base_values.shape[0]
    vals = np.concatenate([np.c_[base_values, np.full(d, g)] for g in cand])
    seeds = [np.random.SeedSequence(seed, spawn_key=(i,)) for i in range(d)] * len(cand)
    y = evaluate(Inputs(sc, [*spec.items, lever]), vals, model, params, seeds)[:, j]
    y = y.reshape(len(cand), d)
    dist = np.nanmean(np.abs(y - ideal), axis=1)
    mean = np.nanmean(y, axis=1)
    k0 = int(np.argmin(np.abs(cand - lever.value)))
    # least expected distance (ties within the tolerance × the lever's range), then least move
    width = lever.high - lever.low
    near = within_best(np.where(np.isnan(dist), np.inf, dist), 0, width)
    near &= within_best(np.where(near, np.abs(cand - lever.value), np.inf), 0, width)
    best = int(first_true(near, 0))
    benefit = float(dist[k0] - dist[best])
    move = Move(
        name,
        lever.actor,
        lever.value,
        float(cand[best]),
        float(abs(cand[best] - lever.value)),
        float(mean[best]),
        benefit,
        benefit / float(dist[k0]) if dist[k0] > 0 else 0.0,
    )
    return move, float(mean[k0])


def search(
    scenario: Scenario,
    actor: str,
    model: str,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    draws: int = 0,
    grid: int = 41,
) -> list[IssueAdvice]:
    """The levers of any model by grid search (see the module docstring)."""
    full = inputs(scenario) if draws else Inputs(scenario, [])
    a = scenario.arrays()
    out = []
    for j, iid in enumerate(scenario.issue_ids):
        st = scenario.stance(actor, iid)
        if st is None:
            continue
        moves: dict[tuple[str, str], Move] = {}
        before = float("nan")
        for who in scenario.actor_ids:
            for f in ("position", "salience") if who == actor else ("position",):
                if scenario.stance(who, iid) is None:
                    continue
                lever = _lever_input(scenario, f, who, iid)
                spec = Inputs(
                    scenario,
                    [x for x in full.items if (x.field, x.actor, x.issue) != (f, who, iid)],
                )
                base = spec.ppf(uniforms(spec.names, seed, 0, draws)) if draws else np.empty((1, 0))
                name = "persuade" if who != actor else f"own {f}"
                moves[(who, f)], before = _best(
                    scenario, spec, base, lever, model, params, seed, st.position, j, grid, name
                )
        width = float(a.high[j] - a.low[j])
        gains = [m for (w, _), m in moves.items() if w != actor and greater(m.benefit, 0, width)]
        persuade = _rank(gains, width)
        out.append(
            IssueAdvice(
                iid,
                st.position,
                before,
                moves[(actor, "position")],
                moves[(actor, "salience")],
                persuade,
            )
        )
    return out


def advise(
    scenario: Scenario,
    actor: str,
    model: str = "compromise",
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    draws: int = 0,
    grid: int = 41,
) -> Advice:
    """The levers of ``actor``: exact for the compromise model, a labelled search otherwise.

    Examples
    --------
    >>> from realpolitik.scenario import Actor, Issue, Scenario, Stance
    >>> sc = Scenario(name="toy", actors=[Actor(id="A", capability=1),
    ...     Actor(id="B", capability=1)], issues=[Issue(id="x")],
    ...     stances=[Stance(actor="A", issue="x", position=40, salience=1),
    ...              Stance(actor="B", issue="x", position=80, salience=1)])
    >>> adv = advise(sc, "A")
    >>> adv.method, adv.issues[0].outcome, adv.issues[0].own_position.value_to
    ('exact (closed form)', 60.0, 0.0)
    >>> [(m.actor, m.value_to, m.outcome) for m in adv.issues[0].persuade]
    [('B', 40.0, 40.0)]
    """
    if actor not in scenario.actor_ids:
        raise ScenarioError([Problem(f"unknown actor {actor!r}", field="actor")])
    m = create(model, **dict(params or {}))
    if model == "compromise" and not draws:
        by = str(m.params.weights)  # type: ignore[attr-defined]
        return Advice(actor, model, "exact (closed form)", closed_form(scenario, actor, by))
    how = f"mean over {draws} draws" if draws else "point forecast"
    return Advice(
        actor,
        model,
        f"search ({grid}-point grid per lever; {how})",
        search(scenario, actor, model, params, seed, draws, grid),
    )
