"""The indexed selection of the exchange model against the full-scan reference.

``run_round(select="blocks")`` finds the best gains with block maxima (``_Blocks``);
``select="scan"`` scans every candidate after each execution, as the model first did (and
evaluates all candidates in one chunk). Both
must execute the same exchanges in the same order with the same numbers — including every
tie and its 50/50 draw — in every tie-break mode, with and without the randomised rate.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.models.exchange.core import TIE_TOL, _Blocks, _near_scan, run_round


def _inputs(seed: int, n: int, k: int, coarse: bool) -> tuple[np.ndarray, ...]:
    """Seeded scenario on 0–100; ``coarse`` grids (positions in steps of 25, saliences in
    quarters, equal capabilities) make many exact ties."""
    rng = np.random.default_rng(seed)
    if coarse:
        x = rng.integers(0, 5, (n, k)) * 25.0
        s = rng.integers(1, 5, (n, k)) / 4
        c = np.ones((n, k))
    else:
        x = rng.integers(0, 21, (n, k)) * 5.0
        s = rng.integers(1, 21, (n, k)) / 20
        c = np.repeat(rng.integers(1, 21, (n, 1)) / 20, k, axis=1)
    x[rng.random((n, k)) < 0.05] = np.nan  # a few absent stances
    w = np.where(np.isnan(x), 0.0, c * s)
    return x, np.where(np.isnan(x), 0.0, s), w


def _play(x, s, w, tie_break, p, seed, **kw):
    return run_round(
        x,
        s,
        w,
        p_random=p,
        tie_break=tie_break,
        rng=np.random.default_rng(seed),
        draw=random.Random(seed).random,
        **kw,
    )


@pytest.mark.parametrize("tie_break", ["first", "random", "decide"])
@pytest.mark.parametrize("p", [0.0, 0.4])
@pytest.mark.parametrize("coarse", [True, False])
def test_blocks_execute_what_the_full_scan_executes(tie_break, p, coarse):
    ties = 0
    for seed in range(3):
        x, s, w = _inputs(seed, 14, 6, coarse)
        y_ref, ref, counts_ref = _play(x, s, w, tie_break, p, seed, select="scan", chunk=1 << 21)
        for block in (8, 1024):  # many small blocks, and one block holding them all
            # the first evaluation in chunks of 64 too: the same rates drawn when p > 0
            y, done, counts = _play(
                x, s, w, tie_break, p, seed, select="blocks", block=block, chunk=64
            )
            assert len(done) == len(ref)
            for k, (mine, theirs) in enumerate(zip(done, ref, strict=True)):
                assert mine == theirs, f"seed {seed}, exchange {k}"
            np.testing.assert_array_equal(y, y_ref)
            assert counts == counts_ref
        ties += counts_ref["ties"]
    if coarse and p == 0:
        assert ties > 10  # the coarse grids do exercise the tie-breaks


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(1, 200),
    block=st.integers(1, 40),
    steps=st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(1, 30)), max_size=25),
)
def test_blocks_find_the_same_tie_band_as_a_scan(size, block, steps):
    """Random writes (raises, drops, kills to -inf) between queries: the set within the tie
    tolerance of the best gain is the scan's, and empty once every gain is -inf."""
    rng = np.random.default_rng(size * 1000 + block)
    grid = np.array([-np.inf, 0.0, 0.5, 1.0, 1.0 + TIE_TOL / 2, 2.0, 2.0 - TIE_TOL / 2, 3.0])
    q = _Blocks(rng.choice(grid, size), block)
    for seed, many in steps:
        r = np.random.default_rng(seed)
        idx = r.integers(0, size, many)
        q.gain[idx] = r.choice(grid, many)
        q.changed(idx)
        want = _near_scan(q.gain) if q.gain.max() > -np.inf else np.zeros(0, np.int64)
        np.testing.assert_array_equal(np.sort(q.near()), want)
