"""Similarity measures: hand-computed values and hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from realpolitik.analysis.alliance import similarity as sim


def _pairs(k: int) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    n = st.integers(min_value=1, max_value=60)
    return n.flatmap(
        lambda size: st.tuples(
            hnp.arrays(np.int64, size, elements=st.integers(0, k - 1)),
            hnp.arrays(np.int64, size, elements=st.integers(0, k - 1)),
        )
    )


def _kappa_by_loop(x: np.ndarray, y: np.ndarray, k: int, weighting: str, pooled: bool) -> float:
    """Textbook weighted kappa/pi, written out unit by unit (an independent oracle)."""
    n = len(x)

    def v(a: int, b: int) -> float:
        d = abs(a - b) / (k - 1)
        return {"nominal": float(a != b), "linear": d, "quadratic": d**2}[weighting]

    d_o = sum(v(a, b) for a, b in zip(x, y, strict=True)) / n
    pa = [np.mean(x == c) for c in range(k)]
    pb = [np.mean(y == c) for c in range(k)]
    if pooled:
        pa = pb = [(p + q) / 2 for p, q in zip(pa, pb, strict=True)]
    d_e = sum(v(a, b) * pa[a] * pb[b] for a in range(k) for b in range(k))
    return math.nan if d_e <= 1e-12 else 1 - d_o / d_e


def test_hand_computed_votes() -> None:
    # i: yes yes no abstain ; j: yes no no yes   (yes=0, abstain=1, no=2)
    t = sim.contingency([0, 0, 2, 1], [0, 2, 2, 0], 3)
    assert sim.identical_share(t) == 0.5
    assert sim.voeten_agreement(t) == pytest.approx(1 - (0 + 1 + 0 + 0.5) / 4)
    assert sim.s_score(t) == pytest.approx(1 - 2 * 3 / (4 * 2))  # Σ|d| = 0 + 2 + 0 + 1
    assert sim.s_score(t, "squared") == pytest.approx(1 - 2 * (0 + 4 + 0 + 1) / (4 * 4))


def test_kappa_and_pi_2x2() -> None:
    t = np.array([[20, 5], [10, 15]])
    assert sim.cohen_kappa(t) == pytest.approx(0.4)
    assert sim.scott_pi(t) == pytest.approx((0.7 - 0.505) / 0.495)


def test_weighted_s() -> None:
    x, y = np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])
    w = np.array([0.5, 0.2, 0.2, 0.1])
    s_w = sim.s_score(sim.contingency(x, y, 2, weights=w))
    assert s_w == pytest.approx(1 - 2 * 0.2 / (1 * 1.0))
    assert sim.s_score(sim.contingency(x, y, 2, weights=np.ones(4))) == sim.s_score(
        sim.contingency(x, y, 2)
    )


def test_undefined_kappa_is_nan_not_zero() -> None:
    no_allies = sim.contingency(np.zeros(10), np.zeros(10), 2)  # both: no tie to anyone
    assert math.isnan(sim.cohen_kappa(no_allies)) and math.isnan(sim.scott_pi(no_allies))
    assert sim.s_score(no_allies) == 1.0  # S is not chance-corrected (Häge 2011)
    empty = np.zeros((3, 3))
    assert all(math.isnan(v) for k, v in sim.all_measures(empty).items() if k != "n")


@settings(max_examples=150, deadline=None)
@given(_pairs(3))
def test_property_votes(pair: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = pair
    t, t_swapped = sim.contingency(x, y, 3), sim.contingency(y, x, 3)
    m, m_swapped = sim.all_measures(t), sim.all_measures(t_swapped)
    assert -1 - 1e-12 <= m["s_abs"] <= 1 + 1e-12 and -1 - 1e-12 <= m["s_sq"] <= 1 + 1e-12
    assert m["s_abs"] == pytest.approx(2 * m["agree"] - 1)
    for key, value in m.items():  # symmetric in i and j
        assert value == pytest.approx(m_swapped[key], nan_ok=True), key
    for w in ("nominal", "linear", "quadratic"):
        for pooled, name in ((False, "kappa"), (True, "pi")):
            oracle = _kappa_by_loop(x, y, 3, w, pooled)
            assert m[f"{name}_{w}"] == pytest.approx(oracle, nan_ok=True, abs=1e-9)
            assert math.isnan(m[f"{name}_{w}"]) or m[f"{name}_{w}"] <= 1 + 1e-12


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.int64, st.integers(2, 40), elements=st.integers(0, 3)))
def test_property_identical_records(x: np.ndarray) -> None:
    m = sim.all_measures(sim.contingency(x, x, 4))
    for key in ("s_abs", "s_sq", "agree", "identical"):
        assert m[key] == pytest.approx(1.0), key
    if len(np.unique(x)) > 1:
        assert m["kappa_nominal"] == pytest.approx(1.0) and m["pi_quadratic"] == pytest.approx(1)
    else:
        assert math.isnan(m["kappa_nominal"])


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, (5, 12), elements=st.sampled_from([0.0, 1.0, 2.0, np.nan])))
def test_property_pairwise_equals_single(codes: np.ndarray) -> None:
    w = np.linspace(0.1, 1.0, codes.shape[1])
    tables = sim.pairwise_contingency(codes, 3, weights=w)
    for i in range(5):
        for j in range(5):
            np.testing.assert_allclose(tables[i, j], sim.contingency(codes[i], codes[j], 3, w))


def test_burden_share() -> None:
    assert sim.burden_share(14632.0, 404920.0) == pytest.approx(0.03488, abs=1e-5)
    assert math.isnan(sim.burden_share(np.nan, 1.0)) and math.isnan(sim.burden_share(0.0, 0.0))


def test_goldstein_index_hand_example() -> None:
    events = pd.DataFrame({
        "date": pd.to_datetime(["2012-04-01", "2012-04-02", "2012-04-03", "2013-01-01"]),
        "source": ["USA", "USA", "GEO", "USA"], "target": ["GEO", "GEO", "USA", "RUS"],
        "goldstein": [3.0, -2.0, 7.0, 1.0], "quad_class": [1, 3, 2, 1],
    })  # fmt: skip
    out = sim.goldstein_index(events, "USA", "GEO").loc["2012"]
    assert (out["n_ab"], out["nc_ab"], out["mean_ab"]) == (2, 1.0, 0.5)
    assert out["balance_ab"] == pytest.approx((3 - 2) / 5) and out["balance_ba"] == 1.0
    assert (out["nc"], out["reciprocity"]) == (8.0, -6.0)
    assert [out[f"quad{q}"] for q in (1, 2, 3, 4)] == pytest.approx([1 / 3, 1 / 3, 1 / 3, 0])
    assert list(sim.goldstein_index(events, "USA", "GEO").index) == ["2012"]  # no 2013 row
