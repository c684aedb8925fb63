"""One model solved on a batch of draws of a scenario's uncertain inputs: the engine under
Monte Carlo (:mod:`.montecarlo`), sweeps (:mod:`.sweep`), sensitivity and levers.

:func:`evaluate` solves a batch of input values with one model. Static reference models
(compromise, median, mean, status quo, Nash — each draw bit for bit the model's own), the
expected-utility model, the SMP and the exchange
model (for the parameter sets their batched cores support, :func:`batched`) are solved
**batched** — all draws at once through cores that take a leading axis of draws (the SMP's
numpy core, the exchange model's compiled kernel); those two give every draw exactly the
draw-by-draw model's result (the exchange kernel hands back a draw whose best gains tie under
``tie_break="random"``, replayed here draw by draw with its seed). Every other registered
model (and parameter set) runs draw by draw (``create(name, **params).run(perturbed,
rng=...)``), correct but slower, each draw with its own seed (:func:`draw_seeds`).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...models import create
from ...models.reference import compromise, weighted_median, weights
from ...scenario import Scenario
from .sampling import Inputs

__all__ = ["BATCHED", "batched", "evaluate", "draw_seeds"]

#: Models solved batched (all draws at once); every other model runs draw by draw. The SMP
#: and the exchange model are batched for the parameter sets :func:`batched` accepts, draw by
#: draw for the others.
BATCHED = ("compromise", "median", "mean", "status-quo", "nash", "eum", "smp", "exchange")
#: Batched models that may replay a draw draw by draw (so every draw needs its seed).
REPLAYS = ("exchange",)
#: Draws × actors³ (the SMP's challenge tensor) per batched block: bounds its memory.
_SMP_BLOCK = 4_000_000


def batched(model: str, params: Mapping[str, Any] | None = None,
            scenario: Scenario | None = None) -> bool:
    """Whether ``evaluate(engine="auto")`` solves ``model`` with ``params`` batched."""
    if model not in BATCHED:
        return False
    if model == "smp" and scenario is not None:
        from ...models.smp.batch import supports

        smp: Any = create(model, **dict(params or {}))
        return supports(smp, scenario)
    if model == "exchange":
        from ...models.exchange.batch import supports as exchange_supports

        exchange: Any = create(model, **dict(params or {}))
        return exchange_supports(exchange)
    return True


def draw_seeds(seed: int, chunk: int, model: str, size: int) -> list[np.random.SeedSequence]:
    """Per-draw seeds of a stochastic model: ``SeedSequence(seed, (chunk, 1, crc32(model), i))``."""
    key = zlib.crc32(model.encode())
    return [np.random.SeedSequence(seed, spawn_key=(chunk, 1, key, i)) for i in range(size)]


def _batched(spec: Inputs, values: np.ndarray, model: str, m: Any,
             seeds: Sequence[np.random.SeedSequence] | None, engine: str,
             run_draws: int) -> np.ndarray:
    params = m.params
    if model == "exchange":
        from ...models.exchange.batch import outcomes as exchange_outcomes
        from ...models.exchange.batch import use_kernel

        if engine == "auto" and not use_kernel(max(len(values), run_draws)):  # no small run
            # waits for a cold compile (engine="batched" asks for the kernel whatever it costs)
            return _per_draw(spec, values, m, seeds)
        e = spec.arrays(values, exact=True)
        out, replay = exchange_outcomes(m, spec.scenario, e.capability, e.position,
                                        e.salience)
        for i in map(int, np.flatnonzero(replay)):  # a tie broken 50/50: the model's own draw
            out[i] = _per_draw(spec, values[i : i + 1], m,
                               None if seeds is None else [seeds[i]])[0]
        return out
    if model == "smp":
        from ...models.smp.batch import outcomes

        n = max(1, len(spec.scenario.actors))
        step = max(1, _SMP_BLOCK // n**3)
        parts = []
        for lo in range(0, len(values), step):  # blocks of draws: memory stays bounded
            e = spec.arrays(values[lo : lo + step], exact=True)
            parts.append(outcomes(m, spec.scenario, e.capability, e.position, e.salience))
        return np.concatenate(parts) if parts else np.empty((0, len(spec.scenario.issues)))
    if model == "nash":
        from ...models.nash import outcomes as nash_outcomes

        e = spec.arrays(values, exact=True)
        return nash_outcomes(params, spec.scenario, e.capability, e.position, e.salience)
    d = spec.arrays(values)
    base = spec.base
    c, x, s = (np.moveaxis(a, 1, 2) for a in (d.capability, d.position, d.salience))  # (B,k,n)
    if model == "compromise":
        return compromise(c, s, x, params.weights)
    if model == "median":
        return weighted_median(x, weights(c, s, x, params.weights), params.tie)
    if model == "mean":
        return np.nanmean(x, axis=-1)
    if model == "status-quo":
        return np.broadcast_to(base.status_quo, x.shape[:2]).copy()
    from ...models.eum.core import run_batch  # model == "eum"

    out = np.full(x.shape[:2], np.nan)
    for j in range(x.shape[1]):
        m = base.present[:, j]
        if m.any():
            width = float(base.high[j] - base.low[j])
            out[:, j] = run_batch(
                c[:, j, m], x[:, j, m], s[:, j, m], params, issue_range=width, trace=False
            )["outcome"]
    return out


def evaluate(
    spec: Inputs,
    values: np.ndarray,
    model: str,
    params: Mapping[str, Any] | None = None,
    seeds: Sequence[np.random.SeedSequence] | None = None,
    engine: str = "auto",
    run_draws: int = 0,
) -> np.ndarray:
    """Outcomes ``(B, k issues)`` of ``model`` for input values ``(B, m)`` (NaN = no forecast).

    ``engine``: ``auto`` (batched where available), ``batched`` or ``per-draw`` (the model's
    own ``run`` on each perturbed scenario, with ``seeds[i]`` as draw ``i``'s generator).
    ``run_draws``: the draws of the whole run this batch is a chunk of (a sweep's), so that
    ``auto`` judges whether the exchange kernel pays for itself on the run, not on one chunk
    (either engine gives the same numbers).
    """
    values = np.atleast_2d(np.asarray(values, float))
    m = create(model, **dict(params or {}))
    if engine == "batched" or (engine == "auto" and batched(model, params, spec.scenario)):
        if not batched(model, params, spec.scenario):
            raise ValueError(f"model {model!r} has no batched engine for these parameters")
        return _batched(spec, values, model, m, seeds, engine, run_draws)
    return _per_draw(spec, values, m, seeds)


def _per_draw(spec: Inputs, values: np.ndarray, m: Any,
              seeds: Sequence[np.random.SeedSequence] | None) -> np.ndarray:
    ids = spec.scenario.issue_ids
    out = np.full((values.shape[0], len(ids)), np.nan)
    for i, row in enumerate(values):
        rng = np.random.default_rng(seeds[i] if seeds is not None else 0)
        res = m.run(spec.perturb(row), rng=rng).outcomes()
        out[i] = [np.nan if res[iid] is None else res[iid] for iid in ids]
    return out
