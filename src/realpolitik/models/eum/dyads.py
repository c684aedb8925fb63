"""Dyads and offers in the expected-utility model: who challenges whom, who gives way.

:func:`classify` codes each dyad from the two expected utilities; :func:`choose_offers` picks
each actor's accepted offer; :func:`reference_round` composes one whole round from the
documented functions (batch axes first), the specification the fused round in
:mod:`realpolitik.models.eum.round` is tested against.
"""

from __future__ import annotations

import numpy as np

from ..ties import first_true, greater, tied, within_best
from .params import COMPEL, COMPROMISE, CONFLICT, NONE, STALEMATE, UTILITY_SCALE, EUMParams
from .utility import _better_or_worse, expected_utility, risk_exponent, security
from .votes import win_probability

__all__ = ["classify", "choose_offers", "pick_offers", "reference_round"]

U = UTILITY_SCALE


def _gives_way_fully(winner: np.ndarray, loser: np.ndarray) -> np.ndarray:
    """|loser| ≥ winner within the tolerance: the loser moves all the way (compel)."""
    return ~greater(winner, np.abs(loser), U)


def classify(
    a: np.ndarray, b: np.ndarray, same: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each dyad as its row actor i sees it, from a = E_i(U_ij) and b = E_j(U_ji).

    Both > 0: conflict, the smaller EU gives way entirely; opposite signs: the loser moves
    the fraction f = min(1, |loser|/winner) toward the winner (compromise if f < 1, else
    compel); both ≤ 0: stalemate. Returns ``(kind, gives, fraction)`` coded as in
    :data:`KINDS` and :data:`GIVES`. Every sign and comparison is a test of
    :mod:`~realpolitik.models.ties` on the utility scale (:data:`UTILITY_SCALE`): an EU within
    the tolerance of zero counts as zero, two EUs within it of each other as equal.
    """
    a_pos, a_neg = greater(a, 0.0, U), greater(0.0, a, U)
    b_pos, b_neg = greater(b, 0.0, U), greater(0.0, b, U)
    conflict = a_pos & b_pos
    i_wins = a_pos & b_neg
    j_wins = b_pos & a_neg
    winner = np.where(i_wins, a, np.where(j_wins, b, 1.0))
    f = np.abs(np.where(i_wins, b, np.where(j_wins, a, 0.0)) / winner)
    compel = (i_wins & _gives_way_fully(a, b)) | (j_wins & _gives_way_fully(b, a))
    kind = np.where(conflict, CONFLICT, np.where(i_wins | j_wins, COMPROMISE, STALEMATE))
    kind = np.where(same, NONE, np.where(compel, COMPEL, kind)).astype(np.int8)
    gives = np.where((conflict & greater(b, a, U)) | j_wins, 1, 0)
    gives = np.where(same, 0, np.where((conflict & greater(a, b, U)) | i_wins, 2, gives))
    gives = gives.astype(np.int8)
    fraction = np.where(conflict | compel, 1.0, f)
    return kind, gives, np.where(gives > 0, fraction, 0.0)


def pick_offers(
    eligible: np.ndarray,
    compromise: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    xi: np.ndarray,
    xj: np.ndarray,
    target: np.ndarray,
    scale: np.ndarray,
    p: EUMParams,
    axis: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Among each actor's ``eligible`` offers (along ``axis``, the proposers), the one it takes.

    The offer rule ranks the offers by one key, then another among those tied on the first
    (:func:`~realpolitik.models.ties.within_best`: positions and moves within the tolerance
    × R, ``scale``; expected utilities within it × :data:`UTILITY_SCALE`); the lowest proposer
    index among what is still tied wins. ``scholz-code``: least EU-weighted midpoint
    (compromises) or move; ``least-move``: least move, then highest proposer EU;
    ``highest-eu``: the other way round. Returns ``(proposer, target, tied)``: ``tied`` is
    where the tie rule decided, i.e. offers with different targets (beyond the tolerance)
    were tied. ``scale`` broadcasts against the dyad arrays.
    """
    move = np.abs(target - xi)
    keys: list[tuple[np.ndarray, np.ndarray | float]]
    if p.offer == "scholz-code":  # the port: first in actor order among equal keys
        with np.errstate(invalid="ignore", divide="ignore"):
            aa, ab = np.abs(a), np.abs(b)
            weighted = (aa * xi + ab * xj) / (aa + ab)
        keys = [(np.where(compromise, weighted, move), scale)]
    elif p.offer == "least-move":
        keys = [(move, scale), (-b, U)]
    else:  # highest-eu
        keys = [(-b, U), (move, scale)]
    near = eligible
    for key, key_scale in keys:
        near = within_best(np.where(near, key, np.inf), axis, key_scale) & near
    j = first_true(near, axis)
    chosen = np.take_along_axis(target, np.expand_dims(j, axis), axis)
    rival = near & ~tied(target, chosen, scale)
    return j, np.squeeze(chosen, axis), rival.any(axis)


def choose_offers(
    x: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    kind: np.ndarray,
    gives: np.ndarray,
    fraction: np.ndarray,
    p: EUMParams,
    scale: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's accepted offer: (proposer index or −1, kind code, new position, tied).

    ``scale`` is R (batch-shaped); the choice is :func:`pick_offers`'s.
    """
    xi, xj = x[..., :, None], x[..., None, :]
    new = np.where(fraction == 1, xj, xi + fraction * (xj - xi))  # exact when moving all the way
    mine = gives == 1
    kinds = [CONFLICT, COMPROMISE] + ([COMPEL] if p.capitulation else [])
    rank = np.full(kind.shape, len(kinds), np.int8)
    for k, code in enumerate(kinds):
        rank = np.where(mine & (kind == code), k, rank)
    best = rank.min(-1, keepdims=True)
    has = best[..., 0] < len(kinds)
    r = np.asarray(scale, float)[..., None, None]
    j, chosen_x, tie = pick_offers(
        (rank == best) & has[..., None], kind == COMPROMISE, a, b, xi, xj, new, r, p, -1
    )
    chosen_kind = np.take_along_axis(kind, j[..., None], -1)[..., 0]
    return (
        np.where(has, j, -1),
        np.where(has, chosen_kind, NONE).astype(np.int8),
        np.where(has, chosen_x, x),
        has & tie,
    )


def reference_round(
    x: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    scale: np.ndarray,
    mu: np.ndarray,
    p: EUMParams,
    r_fixed: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """One round from start-of-round positions ``x``: risk, P, EUs, dyads and offers.

    The readable composition of the documented functions, batch axes first. ``run_batch``
    plays rounds with the fused equivalent :func:`realpolitik.models.eum.round.play_round`;
    the tests hold the two equal.
    """
    linear = win_probability(x, w, scale, None, p.probability)
    sec, hi, lo = security(x, w, s, scale, mu, p, linear)
    if p.risk == "neutral":
        r = np.ones_like(x)
    elif r_fixed is not None:
        r = r_fixed
    else:
        r = risk_exponent(sec, hi, lo)
    prob = linear if p.votes == "linear" else win_probability(x, w, scale, r, p.probability)
    xi, xj = x[..., :, None], x[..., None, :]
    d = np.abs(xi - xj) / scale[..., None, None]
    t, g = _better_or_worse(p, x, mu, scale, d)
    ri = r[..., :, None]
    eu = expected_utility(prob, d, s[..., None, :], ri, p.q, t, g)
    if p.perspective == "own":
        seen = np.swapaxes(eu, -1, -2)
    else:  # E_j(U_ji) as i sees it: i's exponent, j's challenge of i
        tt = t if np.ndim(t) == 0 else np.swapaxes(t, -1, -2)
        seen = expected_utility(
            np.swapaxes(prob, -1, -2), d, s[..., :, None], ri, p.q, tt, np.swapaxes(g, -1, -2)
        )
    kind, gives, fraction = classify(eu, seen, xi == xj)
    offer_from, offer_kind, new, tie = choose_offers(x, eu, seen, kind, gives, fraction, p, scale)
    return dict(
        risk=r,
        security=sec,
        probability=prob,
        eu=eu,
        eu_seen=seen,
        kind=kind,
        gives=gives,
        offer_from=offer_from,
        offer_kind=offer_kind,
        offer_tied=tie,
        new=new,
    )
