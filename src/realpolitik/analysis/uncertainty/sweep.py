"""Sweeps: draws × scenarios × model runs (parameter grids), in seeded chunks, anywhere.

A sweep cuts every (scenario, run) pair's draws into chunks of ``chunk_size``; a chunk is a
pure function of (scenario, model, params, seed, chunk index) — see
:mod:`realpolitik.analysis.uncertainty.sampling` for the seeding — so it gives the same numbers
whether it runs in this process, on a local process pool (``workers``) or on a dask.distributed
cluster (``scheduler``), and the assembled result is identical byte for byte.

With ``checkpoint`` every finished chunk is saved to that folder atomically (written to a
temporary file, then renamed), beside a ``manifest.json`` naming the sweep and holding each
chunk's SHA-256 (:mod:`.checkpoint`). Run the same sweep again with the same folder and the
finished chunks are read back instead of computed: a killed sweep resumes without recomputing
or losing any chunk. A folder holding a different sweep, or a damaged manifest, is refused
with a located message; a damaged chunk is recomputed, not trusted, and a note says so.

Draws are shared across runs and scenarios (common random numbers): the same seed gives every
parameter set and every shocked scenario the same input draws, so differences between them
are not drowned in sampling noise.
"""

from __future__ import annotations

import itertools
import json
import os
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...scenario import Scenario
from .checkpoint import SCHEMA, Checkpoint
from .evaluate import REPLAYS, draw_seeds, evaluate
from .evaluate import batched as is_batched
from .sampling import inputs, uniforms

if TYPE_CHECKING:
    import pandas as pd  # imported where a frame is built: it is slow to import

__all__ = [
    "Run",
    "grid",
    "Chunk",
    "run_chunk",
    "SweepResult",
    "sweep",
    "progress_bar",
    "CheckpointWarning",
]


class CheckpointWarning(UserWarning):
    """A checkpoint chunk was damaged or unchecked and has been recomputed."""


@dataclass(frozen=True)
class Run:
    """One model with one parameter set."""

    model: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        args = ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.model}({args})" if args else self.model


def grid(model: str, base: Mapping[str, Any] | None = None, **axes: Sequence[Any]) -> list[Run]:
    """Every combination of the parameter values in ``axes`` (on top of ``base``).

    >>> [r.label() for r in grid("eum", q=[0.5, 1.0], rounds=[5])]
    ['eum(q=0.5,rounds=5)', 'eum(q=1.0,rounds=5)']
    """
    keys = list(axes)
    return [
        Run(model, {**(base or {}), **dict(zip(keys, combo, strict=True))})
        for combo in itertools.product(*(axes[k] for k in keys))
    ]


@dataclass(frozen=True)
class Chunk:
    """One unit of work: draws ``[start, start + size)`` of one scenario × run."""

    key: str
    scenario: Scenario
    run: Run
    seed: int
    index: int
    size: int
    engine: str = "auto"
    run_draws: int = 0  # draws of the whole scenario × run (the engine's choice; no number)


def run_chunk(chunk: Chunk) -> np.ndarray:
    """Outcomes ``(size, k issues)`` of one chunk: a pure function of the chunk."""
    spec = inputs(chunk.scenario)
    values = spec.ppf(uniforms(spec.names, chunk.seed, chunk.index, chunk.size))
    model, engine = chunk.run.model, chunk.engine
    batched = engine == "batched" or (engine == "auto" and is_batched(model, chunk.run.params,
                                                                      chunk.scenario))
    # per-draw generators only matter when the model runs draw by draw (a pure function of
    # the chunk either way, so skipping them for batched engines changes no result)
    seeds = (None if batched and model not in REPLAYS
             else draw_seeds(chunk.seed, chunk.index, model, chunk.size))
    return evaluate(spec, values, model, chunk.run.params, seeds, engine, chunk.run_draws)


@dataclass(frozen=True)
class SweepResult:
    """Outcome draws per (scenario index, run index): arrays ``(draws, k issues)``."""

    scenarios: tuple[Scenario, ...]
    runs: tuple[Run, ...]
    draws: int
    seed: int
    chunk_size: int
    outcomes: dict[tuple[int, int], np.ndarray]
    #: what the checkpoint did not trust (each such chunk was recomputed)
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per scenario × run × draw × issue (scenario, model, params, draw,
        issue, outcome, seed)."""
        import pandas as pd

        frames = []
        for (si, ri), arr in self.outcomes.items():
            sc, run = self.scenarios[si], self.runs[ri]
            d, k = arr.shape
            frames.append(
                pd.DataFrame(
                    {
                        "scenario": sc.name,
                        "scenario_index": si,
                        "model": run.model,
                        "params": json.dumps(dict(run.params), sort_keys=True, default=str),
                        "draw": np.repeat(np.arange(d), k),
                        "issue": np.tile(sc.issue_ids, d),
                        "outcome": arr.ravel(),
                        "seed": self.seed,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)


def _manifest(
    scenarios: Sequence[Scenario],
    runs: Sequence[Run],
    draws: int,
    seed: int,
    chunk_size: int,
    engine: str,
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "scenarios": [sc.content_hash() for sc in scenarios],
        "runs": [{"model": r.model, "params": dict(r.params)} for r in runs],
        "draws": draws,
        "seed": seed,
        "chunk_size": chunk_size,
        "engine": engine,
    }


def progress_bar(enabled: bool) -> Any:
    """A rich progress bar on stderr (a no-op context when disabled)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=True,
    )


def _execute(
    todo: list[Chunk], workers: int, scheduler: str | None
) -> Iterator[tuple[Chunk, np.ndarray]]:
    """Yield (chunk, outcomes) as chunks finish: serially, on a process pool or on dask."""
    if not todo:
        return
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler) as client:
            futures = {
                client.submit(run_chunk, c, pure=False, key=f"rp-{c.key}-{id(c)}"): c for c in todo
            }
            for fut in dask_completed(list(futures)):
                yield futures[fut], fut.result()
        return
    n = (os.cpu_count() or 1) if workers == 0 else workers
    if n <= 1 or len(todo) == 1:
        for c in todo:
            yield c, run_chunk(c)
        return
    with ProcessPoolExecutor(min(n, len(todo)), mp_context=get_context("spawn")) as pool:
        pending: dict[Future[np.ndarray], Chunk] = {pool.submit(run_chunk, c): c for c in todo}
        for fut in as_completed(pending):
            yield pending[fut], fut.result()


def sweep(
    scenarios: Scenario | Sequence[Scenario],
    runs: Run | Sequence[Run],
    draws: int,
    seed: int,
    *,
    chunk_size: int = 1000,
    workers: int = 1,
    scheduler: str | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    progress: bool = False,
    engine: str = "auto",
    on_note: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Run ``draws`` Monte Carlo draws of every scenario under every run.

    Parameters
    ----------
    scenarios, runs : one or several
    draws : int — draws per scenario × run
    seed : int — the root of every chunk's seed
    chunk_size : int, default 1000 — draws per chunk (with ``seed``, fixes the numbers)
    workers : int, default 1 — local processes (1 = serial, 0 = one per core)
    scheduler : str, optional — a dask.distributed scheduler address (overrides ``workers``)
    checkpoint : path, optional — folder that keeps finished chunks (resume by re-running)
    progress : bool — show a rich progress bar on stderr
    engine : ``auto``, ``batched`` or ``per-draw`` (see :func:`~.evaluate.evaluate`)
    on_note : callable, optional — told of each checkpoint chunk that was recomputed because
        it was damaged (default: a :class:`CheckpointWarning`); also kept in ``notes``
    on_progress : callable, optional — told ``(chunks done, chunks in all)`` as each chunk
        finishes (and once at the start), e.g. for a web page's progress bar

    Examples
    --------
    >>> from realpolitik.scenario.io import load
    >>> sc = load("examples/emission-1994.yaml").replace(uncertainty={"position": 10})
    >>> res = sweep(sc, grid("compromise", weights=["cs", "c"]), draws=500, seed=3)
    >>> res.outcomes[(0, 0)].shape, res.to_frame().shape
    ((500, 1), (1000, 8))
    """
    scs = (scenarios,) if isinstance(scenarios, Scenario) else tuple(scenarios)
    rns = (runs,) if isinstance(runs, Run) else tuple(runs)
    if draws < 1 or chunk_size < 1:
        raise ValueError("draws and chunk_size must be positive")
    sizes = [min(chunk_size, draws - s) for s in range(0, draws, chunk_size)]
    chunks = [
        Chunk(f"s{si}-r{ri}-c{ci}", sc, run, seed, ci, size, engine, draws)
        for si, sc in enumerate(scs)
        for ri, run in enumerate(rns)
        for ci, size in enumerate(sizes)
    ]
    done: dict[str, np.ndarray] = {}
    notes: list[str] = []

    def note(msg: str) -> None:
        notes.append(msg)
        if on_note is not None:
            on_note(msg)
        else:
            warnings.warn(msg, CheckpointWarning, stacklevel=3)

    ckpt = None
    if checkpoint is not None:
        identity = _manifest(scs, rns, draws, seed, chunk_size, engine)
        ckpt = Checkpoint(Path(checkpoint), identity, note)
        for c in chunks:
            arr = ckpt.load(c.key, c.size)
            if arr is not None:
                done[c.key] = arr
    todo = [c for c in chunks if c.key not in done]
    with progress_bar(progress) as bar:
        task = bar.add_task(
            f"{draws} draws × {len(scs)} scenario(s) × {len(rns)} run(s)",
            total=len(chunks),
            completed=len(done),
        )
        if on_progress is not None:
            on_progress(len(done), len(chunks))
        for c, arr in _execute(todo, workers, scheduler):
            done[c.key] = arr
            if ckpt is not None:
                ckpt.save(c.key, arr)
            bar.advance(task)
            if on_progress is not None:
                on_progress(len(done), len(chunks))
    outcomes = {
        (si, ri): np.concatenate([done[f"s{si}-r{ri}-c{ci}"] for ci in range(len(sizes))])
        for si in range(len(scs))
        for ri in range(len(rns))
    }
    return SweepResult(scs, rns, draws, seed, chunk_size, outcomes, tuple(notes))
