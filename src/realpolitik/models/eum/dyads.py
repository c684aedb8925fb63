"""Dyads and offers in the expected-utility model: who challenges whom, who gives way.

:func:`classify` codes each dyad from the two expected utilities; :func:`choose_offers` picks
each actor's accepted offer; :func:`reference_round` composes one whole round from the
documented functions (batch axes first), the specification the fused round in
:mod:`realpolitik.models.eum.round` is tested against.
"""

from __future__ import annotations

import numpy as np

from .params import COMPEL, COMPROMISE, CONFLICT, NONE, STALEMATE, EUMParams
from .utility import _better_or_worse, expected_utility, risk_exponent, security
from .votes import win_probability

__all__ = ["classify", "choose_offers", "reference_round"]


def classify(
    a: np.ndarray, b: np.ndarray, same: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each dyad as its row actor i sees it, from a = E_i(U_ij) and b = E_j(U_ji).

    Both > 0: conflict, the smaller EU gives way entirely; opposite signs: the loser moves
    the fraction f = min(1, |loser|/winner) toward the winner (compromise if f < 1, else
    compel); both ≤ 0: stalemate. Returns ``(kind, gives, fraction)`` coded as in
    :data:`KINDS` and :data:`GIVES`.
    """
    conflict = (a > 0) & (b > 0)
    i_wins = (a > 0) & (b < 0)
    j_wins = (b > 0) & (a < 0)
    winner = np.where(i_wins, a, np.where(j_wins, b, 1.0))
    f = np.abs(np.where(i_wins, b, np.where(j_wins, a, 0.0)) / winner)
    compel = (i_wins | j_wins) & (f >= 1)
    kind = np.where(conflict, CONFLICT, np.where(i_wins | j_wins, COMPROMISE, STALEMATE))
    kind = np.where(same, NONE, np.where(compel, COMPEL, kind)).astype(np.int8)
    gives = np.where((conflict & (b > a)) | j_wins, 1, 0)
    gives = np.where(same, 0, np.where((conflict & (a > b)) | i_wins, 2, gives)).astype(np.int8)
    fraction = np.where(conflict | compel, 1.0, f)
    return kind, gives, np.where(gives > 0, fraction, 0.0)


def choose_offers(
    x: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    kind: np.ndarray,
    gives: np.ndarray,
    fraction: np.ndarray,
    p: EUMParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's accepted offer: (proposer index or −1, kind code, new position)."""
    xi, xj = x[..., :, None], x[..., None, :]
    new = np.where(fraction == 1, xj, xi + fraction * (xj - xi))  # exact when moving all the way
    mine = gives == 1
    kinds = [CONFLICT, COMPROMISE] + ([COMPEL] if p.capitulation else [])
    rank = np.full(kind.shape, len(kinds), np.int8)
    for k, code in enumerate(kinds):
        rank = np.where(mine & (kind == code), k, rank)
    best = rank.min(-1, keepdims=True)
    move = np.abs(new - xi)
    if p.offer == "scholz-code":  # the port: first in actor order among equal keys
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted = (np.abs(a) * xi + np.abs(b) * xj) / (np.abs(a) + np.abs(b))
        key = np.where(rank == best, np.where(kind == COMPROMISE, weighted, move), np.inf)
        j = np.argmin(key, axis=-1)
    else:  # least movement then highest proposer EU, or the other way round
        first, then = (-b, move) if p.offer == "highest-eu" else (move, -b)
        first = np.where(rank == best, first, np.inf)
        low = first.min(-1, keepdims=True)
        tied = first <= low + 1e-12 * (1 + np.abs(low))
        j = np.argmin(np.where(tied, then, np.inf), axis=-1)
    has = best[..., 0] < len(kinds)
    take = np.take_along_axis
    chosen_kind = take(kind, j[..., None], -1)[..., 0]
    chosen_x = take(new, j[..., None], -1)[..., 0]
    return (
        np.where(has, j, -1),
        np.where(has, chosen_kind, NONE).astype(np.int8),
        np.where(has, chosen_x, x),
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
    offer_from, offer_kind, new = choose_offers(x, eu, seen, kind, gives, fraction, p)
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
        new=new,
    )
