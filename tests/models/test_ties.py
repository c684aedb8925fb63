"""The one tie rule (``models.ties``): the compiled scalar versions decide as the numpy ones.

The numba kernels compile ``greater_scalar``/``tolerance_scalar`` themselves; if they and the
numpy functions wrote the comparison differently, a value right at the tolerance could be
decided one way by one backend and the other way by the other.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.models import ties

pytestmark = pytest.mark.numerics

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)


@settings(max_examples=300, deadline=None)
@given(a=finite, b=finite, scale=st.floats(0, 1e6, allow_nan=False))
def test_scalar_and_array_forms_decide_alike(a, b, scale):
    assert ties.greater_scalar(a, b, scale) == bool(ties.greater(a, b, scale))


@pytest.mark.parametrize("steps", [-3, -1, 0, 1, 3])
def test_decisions_at_the_edge_of_the_tolerance_agree(steps):
    """b exactly one tolerance below a, give or take a few ulps: both forms agree."""
    a, scale = 7.25, 10.0
    b = a - ties.tolerance_scalar(scale)
    for _ in range(abs(steps)):
        b = np.nextafter(b, np.inf if steps > 0 else -np.inf)
    assert ties.greater_scalar(a, float(b), scale) == bool(ties.greater(a, b, scale))


def test_kernel_compiled_rule_equals_python_rule():
    numba = pytest.importorskip("numba", reason="numba is not installed")
    gt = numba.njit(ties.greater_scalar)
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, 2000)
    b = a + rng.choice([-1, 1], 2000) * ties.RTOL * rng.uniform(0.5, 1.5, 2000)
    assert [gt(x, y, 1.0) for x, y in zip(a, b, strict=True)] == ties.greater(a, b, 1.0).tolist()


def test_within_best_and_first_true_take_the_lowest_index_among_the_tied():
    v = np.array([[5.0, 2.0 + 1e-12, 2.0, 3.0], [np.inf, np.inf, 1.0, 1.5]])
    near = ties.within_best(v, axis=1, scale=10.0)
    assert near.tolist() == [[False, True, True, False], [False, False, True, False]]
    assert ties.first_true(near, axis=1).tolist() == [1, 2]
    far = ties.within_best(np.array([2.0, 2.0 + 1e-6]), axis=0, scale=1.0)
    assert far.tolist() == [True, False]  # a real difference is no tie


def test_ties_are_a_tolerance_not_rounding():
    """Values straddling a rounding boundary still tie; a difference above the tolerance does
    not (``round()`` would split the first pair and merge the second)."""
    assert ties.tied(0.12345 - 1e-13, 0.12345 + 1e-13, 1.0)
    assert not ties.tied(0.1234, 0.1234 + 5e-9, 1.0)
