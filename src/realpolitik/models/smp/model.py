"""KTAB's spatial model of politics (SMP): multi-dimensional bargaining turn by turn.

The model runs jointly over each declared :class:`~realpolitik.scenario.Space` (the
dimensions of one multi-dimensional issue, e.g. every dimension of a KTAB input) and over
each remaining issue alone. Positions are scaled from each issue's ``[low, high]`` to
[0, 1] inside and back on output; saliences are the scenario's, normalised to [0, 1].
The numerics live in :mod:`.core` (votes, PCE, risk) and :mod:`.dynamics` (turns).

References
----------
1. KAPSARC, KTAB — KAPSARC Toolkit for Behavioral Analysis (MIT licence),
   ``examples/smp/libsrc/smp.cpp``, ``smpbcn.cpp``, ``kmodel/libsrc/kmodel.cpp``.
2. Efird, B., Lester, L. & Wise, B. (2016). China's energy sector reform: a KTAB spatial
   model analysis of the oil and gas sector. KAPSARC discussion paper KS-1643-DP041A.
3. Wise, B., Lester, L. & Efird, B. (2015). An introduction to the KAPSARC Toolkit for
   Behavioral Analysis (KTAB) using one-dimensional spatial models. KS-1517-DP016A.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import Field

from ...scenario import Problem, Scenario, ScenarioArrays, ScenarioError
from ...scenario.ktab_settings import KtabSettings, settings_problems
from ..base import IssueForecast, Model, NoParams
from ..registry import register
from ..ties import argmax
from .core import BigRAdjust, BigRRange, PCEModel, VictoryProbModel, VotingRule
from .dynamics import BargnModel, InterVecBrgn, Rules, ThirdPartyCommit, run_smp
from .prng import KtabPRNG

__all__ = ["SMP", "SMPParams"]

#: KTAB XML ``<ModelParameters>`` tag → our parameter.
KTAB_PARAMETERS = {
    "VictoryProbModel": "victory_prob_model",
    "VotingRule": "voting_rule",
    "PCEModel": "pce_model",
    "StateTransitions": "state_transitions",
    "BigRRange": "big_r_range",
    "BigRAdjust": "big_r_adjust",
    "ThirdPartyCommit": "third_party_commit",
    "InterVecBrgn": "inter_vec_brgn",
    "BargnModel": "bargn_model",
}


class SMPParams(NoParams):
    """KTAB's switches (same names, KTAB's defaults) plus the stopping rule and input options.

    ``state_transitions``: ``Deterministic`` adopts each actor's most probable bargain,
    ``Stochastic`` draws it (reproducible from the run's seed). ``prng``: ``numpy`` (the run's
    generator) or ``ktab`` (KTAB's own stream, seeded by a KTAB XML's ``prngSeed``).
    ``file_parameters``: apply a KTAB XML's ``<ModelParameters>`` to every switch not given
    explicitly (KTAB's ``smpc`` ignores them). ``ideal_adjustment``: use a KTAB XML's
    ``<IdealAdjustment>`` matrix (ideals drift toward positions), as ``smpc`` does.
    ``actor_order``: KTAB breaks ties (equal gains, equal bargain probabilities, positions
    within 0.1 of each other counted as one) by actor index; ``id`` (default) runs the actors
    sorted by id so the order they are listed in cannot matter, ``given`` keeps the
    scenario's order and reproduces ``smpc`` exactly.
    """

    victory_prob_model: VictoryProbModel = "Linear"
    voting_rule: VotingRule = "Prop"
    pce_model: PCEModel = "Conditional"
    state_transitions: Literal["Deterministic", "Stochastic"] = "Deterministic"
    big_r_range: BigRRange = "Mid"
    big_r_adjust: BigRAdjust = "OneThird"
    third_party_commit: ThirdPartyCommit = "SemiCommit"
    inter_vec_brgn: InterVecBrgn = "S2P2"
    bargn_model: BargnModel = "InitOnlyInterp"
    min_turns: int = Field(2, ge=1)
    max_turns: int = Field(100, ge=1)
    min_delta_ratio: float = Field(0.02, ge=0)
    ideal_adjustment: bool = True
    actor_order: Literal["id", "given"] = "id"
    file_parameters: bool = False
    prng: Literal["numpy", "ktab"] = "numpy"


@dataclass(frozen=True)
class _Group:
    """Issues bargained jointly (a space, or one issue alone) and their participants."""

    id: str
    issues: list[int]
    actors: np.ndarray  # indices into the scenario's actors


def _groups(scenario: Scenario, a: ScenarioArrays, by_id: bool) -> list[_Group]:
    index = {iid: j for j, iid in enumerate(a.issue_ids)}
    out: list[_Group] = []
    used: set[str] = set()
    for sp in scenario.spaces:
        cols = [index[i] for i in sp.issues if i not in used]
        used.update(sp.issues)
        if cols:
            members = _members(a, np.asarray(a.present[:, cols].any(1)), by_id)
            out.append(_Group(sp.id, cols, members))
    for iid, j in index.items():
        if iid not in used:
            out.append(_Group(iid, [j], _members(a, a.present[:, j], by_id)))
    return out


def _members(a: ScenarioArrays, member: np.ndarray, by_id: bool) -> np.ndarray:
    """Participants, sorted by actor id when ``by_id`` (see ``SMPParams.actor_order``)."""
    rows = np.nonzero(member)[0]
    return rows[np.argsort([a.actor_ids[i] for i in rows], kind="stable")] if by_id else rows


@register
class SMP(Model):
    """KTAB's spatial model of politics, vectorised, matching KTAB's ``smpc`` turn for turn.

    Each turn every actor estimates risk attitudes from a probabilistic Condorcet election,
    challenges the actor whose defeat gains it most (third parties joining the side they
    prefer), interpolates a bargain per dimension, and adopts the bargain its queue's PCE
    favours; the run stops when movement falls below 2 % of the first turn's. See
    :mod:`.dynamics` for the equations and ``docs/models/smp.md`` for the choices.

    The forecast of an issue is the coordinate, on that issue, of the most probable final
    position (the distinct position that wins the final PCE); ``details["distribution"]``
    lists every final distinct position with its probability.

    Examples
    --------
    >>> from realpolitik.scenario import Actor, Issue, Scenario, Stance
    >>> sc = Scenario(name="toy", actors=[Actor(id=a, capability=c) for a, c in
    ...               (("A", 3), ("B", 2), ("C", 1))], issues=[Issue(id="x")],
    ...               stances=[Stance(actor=a, issue="x", position=p, salience=0.8)
    ...                        for a, p in (("A", 20), ("B", 60), ("C", 90))])
    >>> res = SMP().run(sc, rng=1)
    >>> round(res.outcome("x"), 1), len(res.rounds) > 2
    (54.0, True)

    From turn 4, C's PCE between its status quo and its bargain is 0.5 ± 2·10⁻¹⁵: a tie,
    which the stated rule (the first in KTAB's queue order) decides and ``details`` records:

    >>> sorted({t["decision"] for t in res.details["ties"]})
    ['bargain']
    """

    name = "smp"
    summary = "KTAB's spatial model of politics: challenges, bargains, PCE, multi-dimensional"
    Params = SMPParams
    dynamic = True
    stochastic = True
    multidimensional = True

    def solve(
        self, scenario: Scenario, rng: np.random.Generator
    ) -> tuple[list[IssueForecast], list[dict[str, Any]] | None, dict[str, Any]]:
        a = scenario.arrays()
        rules, prng_seed = self._rules(scenario)
        forecasts: dict[int, IssueForecast] = {}
        joint: list[dict[str, Any]] = []
        groups = []
        ties: list[dict[str, Any]] = []
        for g in _groups(scenario, a, self.params.actor_order == "id"):  # type: ignore
            tr, sal_scale = self._run(g, a, scenario, rules, rng, prng_seed)
            groups.append(
                {
                    "id": g.id,
                    "issues": [a.issue_ids[j] for j in g.issues],
                    "actors": [a.actor_ids[i] for i in g.actors],
                    "turns": len(tr.positions) - 1,
                    "salience_divisor": sal_scale,
                }
            )
            forecasts.update(_forecasts(g, a, tr))
            _merge_rounds(joint, g, a, tr)
            ids = [a.actor_ids[i] for i in g.actors]
            ties.extend({"space": g.id, **t, "actor": ids[int(t["actor"])]} for t in tr.ties)
            if argmax(tr.final_option_probabilities)[1]:
                ties.append({"space": g.id, "turn": len(tr.positions) - 1,
                             "decision": "outcome", "actor": None})
        issues = [forecasts[j] for j in range(len(a.issue_ids))]
        return issues, joint, {"groups": groups, "rules": rules.__dict__, "ties": ties}

    def _rules(self, scenario: Scenario) -> tuple[Rules, int | None]:
        p = self.params.model_dump()
        ktab = _ktab_settings(scenario)
        if self.params.file_parameters:  # type: ignore[attr-defined]
            for tag, value in ktab.parameters.items():
                key = KTAB_PARAMETERS.get(tag)
                if key and key not in self.params.model_fields_set:
                    p[key] = value
        SMPParams(**p)  # validate values taken from the file
        seed = ktab.prngSeed
        rules = Rules(
            victory_prob_model=p["victory_prob_model"],
            voting_rule=p["voting_rule"],
            pce_model=p["pce_model"],
            stochastic=p["state_transitions"] == "Stochastic",
            big_r_range=p["big_r_range"],
            big_r_adjust=p["big_r_adjust"],
            third_party_commit=p["third_party_commit"],
            inter_vec_brgn=p["inter_vec_brgn"],
            bargn_model=p["bargn_model"],
            min_turns=p["min_turns"],
            max_turns=p["max_turns"],
            min_delta_ratio=p["min_delta_ratio"],
        )
        return rules, seed

    def _run(
        self,
        g: _Group,
        a: ScenarioArrays,
        scenario: Scenario,
        rules: Rules,
        rng: np.random.Generator,
        prng_seed: int | None,
    ) -> tuple[Any, float]:
        rows, cols = g.actors, g.issues
        span = a.high[cols] - a.low[cols]
        x = (a.position[np.ix_(rows, np.asarray(cols))] - a.low[cols]) / span
        present = a.present[np.ix_(rows, np.asarray(cols))]
        x = np.where(present, x, 0.5)  # an absent actor's coordinate carries no salience
        sal = np.where(present, a.salience[np.ix_(rows, np.asarray(cols))], 0.0)
        divisor = float(len(cols)) if sal.sum(1).max() > 1 + 1e-9 else 1.0
        cap = np.where(present, a.capability[np.ix_(rows, np.asarray(cols))], np.nan)
        cap = np.nanmean(cap, axis=1)
        acc = self._accommodation(scenario, [a.actor_ids[i] for i in rows])
        if not rules.stochastic:
            uniform = _never
        elif self.params.prng == "ktab":  # type: ignore[attr-defined]
            uniform = KtabPRNG(prng_seed if prng_seed is not None else int(rng.integers(2**63)))
        else:
            uniform = rng.random
        return run_smp(x, sal / divisor, cap, rules, uniform, acc), divisor

    def _accommodation(self, scenario: Scenario, ids: list[str]) -> np.ndarray | None:
        pairs = _ktab_settings(scenario).ideal_adjustment
        if not (self.params.ideal_adjustment and pairs):  # type: ignore[attr-defined]
            return None
        where = {aid: k for k, aid in enumerate(ids)}
        acc = np.eye(len(ids))
        for p in pairs:
            i, j = where.get(p.adjustingIdeal), where.get(p.referencePos)
            if i is not None and j is not None:
                acc[i, j] = p.adjust
        return acc


def _ktab_settings(scenario: Scenario) -> KtabSettings:
    """``meta["ktab"]`` checked by the same rules ``validate`` applies to a KTAB XML file."""
    problems = settings_problems(scenario.meta.get("ktab") or {})
    if problems:
        raise ScenarioError(
            Problem(msg, field=".".join(["meta", "ktab", *map(str, loc)])) for loc, msg in problems
        )
    return KtabSettings.model_validate(scenario.meta.get("ktab") or {})


def _never() -> float:
    return 0.0


def _scale(a: ScenarioArrays, cols: list[int], x: np.ndarray) -> np.ndarray:
    return a.low[cols] + x * (a.high[cols] - a.low[cols])


def _forecasts(g: _Group, a: ScenarioArrays, tr: Any) -> dict[int, IssueForecast]:
    ids = [a.actor_ids[i] for i in g.actors]
    present = a.present[np.ix_(g.actors, np.asarray(g.issues))]
    options = _scale(a, g.issues, tr.final_options)
    p_opt = tr.final_option_probabilities
    best = argmax(p_opt)[0]  # equal probabilities: the first distinct position (actor order)
    final = _scale(a, g.issues, tr.positions[-1])
    out = {}
    for k, j in enumerate(g.issues):
        dist = []
        for o in range(len(options)):
            near = np.sqrt(((tr.positions[-1] - tr.final_options[o]) ** 2).sum(1)) < 1e-3
            members = [ids[i] for i in np.nonzero(near & present[:, k])[0]]
            dist.append(
                {
                    "position": float(options[o, k]),
                    "probability": float(p_opt[o]),
                    "actors": members,
                }
            )
        rounds = [
            {
                "round": t,
                "positions": {
                    ids[i]: float(v)
                    for i, v in enumerate(_scale(a, g.issues, x)[:, k])
                    if present[i, k]
                },
            }
            for t, x in enumerate(tr.positions)
        ]
        out[j] = IssueForecast(
            a.issue_ids[j],
            float(options[best, k]),
            rounds,
            {
                "space": g.id,
                "turns": len(tr.positions) - 1,
                "distribution": dist,
                "final_positions": {
                    ids[i]: float(final[i, k]) for i in range(len(ids)) if present[i, k]
                },
                "outcome_rule": "coordinate of the most probable final position",
            },
        )
    return out


def _merge_rounds(joint: list[dict[str, Any]], g: _Group, a: ScenarioArrays, tr: Any) -> None:
    """Add this group's states to the joint per-turn record (a settled group stays put)."""
    ids = [a.actor_ids[i] for i in g.actors]
    issue_ids = [a.issue_ids[j] for j in g.issues]
    last = len(tr.positions) - 1
    while len(joint) <= last:
        joint.append(
            {
                "round": len(joint),
                "positions": {},
                "probabilities": {},
                "risk": {},
                "challenges": {},
            }
        )
    for t, entry in enumerate(joint):
        s = min(t, last)
        x = _scale(a, g.issues, tr.positions[s])
        for k, iid in enumerate(issue_ids):
            entry["positions"][iid] = {aid: float(x[i, k]) for i, aid in enumerate(ids)}
        entry["probabilities"][g.id] = {
            aid: float(v) for aid, v in zip(ids, tr.probabilities[s], strict=True)
        }
        entry["risk"][g.id] = {aid: float(v) for aid, v in zip(ids, tr.risk[s], strict=True)}
        entry["challenges"][g.id] = (
            [[ids[i], ids[j]] for i, j in tr.challenges[t - 1]] if 0 < t <= last else []
        )
