"""The compiled EUM kernel (``eum_numba``) against the numpy core, setting by setting.

The numpy core is itself held to the jmckib-port oracles (``test_eum.py``); here the kernel
must give the same positions, medians and means (to 1e-10), the same rounds played and the same
accepted offers (proposer and kind, every round) on random seeded batches under every setting.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.models import create
from realpolitik.models.eum import core
from realpolitik.models.eum.core import EUMParams, run_batch

pytestmark = pytest.mark.numerics

numba = pytest.importorskip("numba", reason="numba is not installed: no compiled EUM kernel")
eum_numba = pytest.importorskip("realpolitik.models.eum.kernel")

#: Every value of every setting at least once, alone and in the combinations that interact.
SETTINGS = [
    {},
    {"variant": "scholz-code"},
    {"probability": "global"},
    {"votes": "risk"},
    {"perspective": "observer"},
    {"perspective": "observer", "votes": "risk", "probability": "global"},
    {"security": "positions"},
    {"security": "positions", "votes": "risk", "perspective": "observer", "q": 0.5},
    {"offer": "highest-eu"},
    {"offer": "scholz-code"},
    {"offer": "highest-eu", "capitulation": False},
    {"variant": "scholz-code", "capitulation": True, "offer": "least-move"},
    {"q": 0.5, "t_rule": "median"},
    {"q": 0.7, "t_rule": "better"},
    {"q": 0.3, "t_rule": "worse"},
    {"q": 0.6, "t_rule": "half", "perspective": "observer", "votes": "risk"},
    {"q": 0.0, "t_rule": "median", "perspective": "observer"},
    {"scale": "current"},
    {"scale": "issue"},
    {"variant": "scholz-code", "scale": "current", "q": 0.5},
    {"median_tie": "lower"},
    {"median_tie": "upper"},
    {"risk": "first-round"},
    {"risk": "neutral"},
    {"variant": "scholz-code", "risk": "first-round"},
    {"stop": "stable"},
    {"stop": "payoff", "rounds": 15},
    {"variant": "scholz-code", "stop": "stable", "rounds": 12},
    {"variant": "scholz-code", "stop": "payoff", "rounds": 20, "tol": 0.0},
    {"rounds": 0},
    {"rounds": 1, "variant": "scholz-code"},
]


def _draws(seed: int, batch: int = 40, n: int = 7):
    """Random draws with two actors at one position, and others clipped onto the bounds."""
    rng = np.random.default_rng(seed)
    x = np.clip(rng.uniform(-1, 11, (batch, n)), 0, 10)
    x[:, 3] = x[:, 1]
    c, s = rng.uniform(0.05, 1, (batch, n)), rng.uniform(0.05, 1, (batch, n))
    return c, x, s


def _assert_same(c, x, s, params, issue_range=None):
    p = EUMParams(**params)
    want = run_batch(c, x, s, p, issue_range=issue_range, trace=True)  # the numpy core
    span = core._initial_span(p, np.atleast_2d(x), issue_range)
    got = eum_numba.solve(c, x, s, span, p, record_offers=True)
    for key in ("position", "median", "mean", "outcome", "final_mean"):
        np.testing.assert_allclose(got[key], want[key], rtol=0, atol=1e-10, err_msg=key)
    np.testing.assert_array_equal(got["rounds"], want["rounds"])
    for key in ("offer_from", "offer_kind") if p.rounds else ():
        played = np.arange(p.rounds)[None, :] < want["rounds"][:, None]  # the kernel: -1 after
        mine = np.where(played[..., None], got[key], want[key])
        np.testing.assert_array_equal(mine, want[key], err_msg=key)
    return want


@pytest.mark.parametrize("params", SETTINGS, ids=lambda p: ",".join(map(str, p.values())) or "-")
def test_kernel_equals_the_numpy_core(params):
    c, x, s = _draws(len(str(params)))
    width = 10.0 if params.get("scale") == "issue" else None
    want = _assert_same(c, x, s, params, issue_range=width)
    if want["position"].shape[1] > 2:  # the draws do move (offers are taken)
        assert (want["offer_from"] >= 0).any()


@pytest.mark.parametrize("variant", ["paper", "scholz-code"])
def test_kernel_equals_the_numpy_core_on_the_emission_case(variant):
    c = np.array([0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08])
    x = np.array([4.0, 7, 4, 4, 10, 10, 10, 7, 4, 7])
    s = np.array([0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7])
    rng = np.random.default_rng(1)
    cs = c * rng.uniform(0.8, 1.2, (200, c.size))
    xs = np.clip(x + rng.normal(0, 0.5, (200, x.size)), 4, 10)
    _assert_same(cs, xs, np.broadcast_to(s, xs.shape), {"variant": variant})
    _assert_same(c[None], x[None], s[None], {"variant": variant})  # the unperturbed case


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    n=st.integers(1, 6),
    params=st.sampled_from(SETTINGS),
)
def test_property_kernel_equals_the_numpy_core(data, n, params):
    grid = st.floats(0, 100, allow_nan=False, allow_subnormal=False)
    x = np.array(data.draw(st.lists(grid, min_size=n, max_size=n)))
    c = np.array(data.draw(st.lists(st.floats(0.01, 1), min_size=n, max_size=n)))
    s = np.array(data.draw(st.lists(st.floats(0.01, 1), min_size=n, max_size=n)))
    width = 100.0 if params.get("scale") == "issue" else None
    _assert_same(c[None], x[None], s[None], params, issue_range=width)


# --- dispatch: run_batch's backend argument and the model parameter ---------------------


def test_run_batch_dispatches_by_backend(monkeypatch):
    eum_numba.warm()  # "auto" takes the kernel once it is compiled (test_eum_warm.py)
    c, x, s = _draws(3, batch=5)
    calls = []
    real = eum_numba.solve
    monkeypatch.setattr(eum_numba, "solve", lambda *a, **k: calls.append(1) or real(*a, **k))
    numpy = run_batch(c, x, s, {}, trace=False, backend="numpy")
    assert calls == []
    auto = run_batch(c, x, s, {}, trace=False)  # params.backend = "auto"
    assert calls == [1]
    forced = run_batch(c, x, s, {"backend": "numba"}, trace=False)
    assert calls == [1, 1]
    run_batch(c, x, s, {"backend": "numba"}, trace=True)  # traces come from numpy
    assert calls == [1, 1]
    for key in ("position", "median", "mean", "rounds", "outcome", "final_mean"):
        np.testing.assert_allclose(auto[key], numpy[key], rtol=0, atol=1e-10)
        np.testing.assert_array_equal(forced[key], auto[key])
    one = run_batch(c[0], x[0], s[0], {}, trace=False)  # unbatched shapes as numpy's
    assert calls == [1, 1, 1]
    plain = run_batch(c[0], x[0], s[0], {}, trace=False, backend="numpy")
    assert {k: (v.shape, v.dtype) for k, v in one.items()} == {
        k: (v.shape, v.dtype) for k, v in plain.items()
    }
    monkeypatch.setattr(core, "NUMBA_MAX_ACTORS", 3)  # many actors: auto stays with numpy
    run_batch(c, x, s, {}, trace=False)
    assert len(calls) == 3
    with pytest.raises(ValueError, match="backend"):
        run_batch(c, x, s, {}, trace=False, backend="fortran")


def test_backend_is_a_model_parameter():
    assert create("eum").params.backend == "auto"
    assert create("eum", backend="numba", variant="scholz-code").params.backend == "numba"
    with pytest.raises(ValueError):
        EUMParams(backend="cuda")


def test_without_numba_auto_falls_back_and_numba_errors(monkeypatch):
    c, x, s = _draws(4, batch=3)
    monkeypatch.setitem(sys.modules, "numba", None)  # `import numba` now raises ImportError
    got = run_batch(c, x, s, {}, trace=False)
    want = run_batch(c, x, s, {}, trace=False, backend="numpy")
    np.testing.assert_array_equal(got["position"], want["position"])
    with pytest.raises(ImportError):
        run_batch(c, x, s, {}, trace=False, backend="numba")
