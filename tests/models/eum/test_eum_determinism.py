"""The EUM's decisions never hinge on the last bit of a float, on the backend or on actor order.

A machine without AVX-512 cannot show the backend disagreement that one with it shows (numpy's
SIMD ``exp``/``log``/``power`` differ in the last bit from the C library's), so these
properties catch the fragility on any CPU:

* nudging every input (capability, position, salience) by one ulp up, or down, changes no
  decision: the same dyad kinds and who gives way, the same accepted offers, the same rounds
  played, positions equal to far below the tolerance — under both backends, on the shipped
  cases and the jmckib-port oracle cases;
* listing the actors in another order gives the same outcome and positions unless the tie
  rule decided an offer (then it is recorded in ``ties``).
"""

from __future__ import annotations

import numpy as np
import pytest

from realpolitik.models import create
from realpolitik.models.eum import core
from realpolitik.models.eum.core import EUMParams, run_batch
from realpolitik.scenario import Scenario
from realpolitik.scenario.io import load

from shared_data import SHARED

pytestmark = pytest.mark.numerics

EXAMPLES = ["examples/emission-1994.yaml", "examples/korea-2003.yaml", "examples/korea-2006.yaml"]
ORACLE_CASES = [
    SHARED / "data" / "cases" / "emission-1994" / "emission_jmckib_salience01.csv",
    SHARED / "data" / "cases" / "bdm-examples" / "sultan_oil_price_bdm1997__jmckib.csv",
]
VARIANTS = [
    {"variant": "paper"},
    {"variant": "scholz-code"},
    {"variant": "scholz-code", "capitulation": True, "offer": "least-move"},
    {"offer": "highest-eu", "q": 0.5, "votes": "risk"},
]


def _issues(path) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
    if not path.exists():
        pytest.skip(f"reference data not available: {path} (../shared is absent)")
    a = load(path).arrays()
    return [(*a.issue(j), float(a.high[j] - a.low[j])) for j in range(len(a.issue_ids))]


def _cases():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    return [root / e for e in EXAMPLES] + ORACLE_CASES


def _decisions(c, x, s, width, params):
    """The numpy core's traced run and the kernel's (if numba is installed) of one issue."""
    p = EUMParams(**params)
    out = run_batch(c, x, s, p, issue_range=width, trace=True)
    runs = {"numpy": out}
    try:
        from realpolitik.models.eum import kernel as eum_numba
    except ImportError:
        return runs
    span = core._initial_span(p, np.atleast_2d(x), width)
    got = eum_numba.solve(c[None], x[None], s[None], span, p, record_offers=True)
    runs["numba"] = {k: v[0] for k, v in got.items()}
    return runs


def _same_decisions(a, b, width, where):
    played = int(a["rounds"])
    assert int(b["rounds"]) == played, where
    for key in ("offer_from", "offer_kind", "kind", "gives"):
        if key in a and key in b:
            got, want = a[key][:played], b[key][:played]
            np.testing.assert_array_equal(got, want, err_msg=f"{where} {key}")
    assert int(a["ties"]) == int(b["ties"]), where
    atol = 1e-9 * width
    np.testing.assert_allclose(a["position"], b["position"], rtol=0, atol=atol, err_msg=where)
    assert abs(float(a["outcome"]) - float(b["outcome"])) <= 1e-9 * width, where


@pytest.mark.parametrize("params", VARIANTS, ids=lambda p: ",".join(map(str, p.values())))
@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_one_ulp_changes_no_decision(case, params):
    for j, (c, x, s, width) in enumerate(_issues(case)):
        base = _decisions(c, x, s, width, params)
        for direction in (np.inf, -np.inf):
            nudged = [np.nextafter(v, direction) for v in (c, x, s)]
            for backend, run in _decisions(*nudged, width, params).items():
                where = f"{case.name} issue {j} {backend} nudged toward {direction}"
                _same_decisions(base["numpy"], run, width, where)


@pytest.mark.parametrize("params", VARIANTS, ids=lambda p: ",".join(map(str, p.values())))
@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_actor_order_changes_nothing_but_a_recorded_tie(case, params):
    rng = np.random.default_rng(7)
    for j, (c, x, s, width) in enumerate(_issues(case)):
        base = _decisions(c, x, s, width, params)
        for _ in range(3):
            perm = rng.permutation(x.size)
            for backend, run in _decisions(c[perm], x[perm], s[perm], width, params).items():
                if int(run["ties"]) or int(base["numpy"]["ties"]):
                    continue  # the tie rule (lowest index) decided: order may matter, recorded
                where = f"{case.name} issue {j} {backend} order {perm.tolist()}"
                want = base["numpy"]
                assert int(run["rounds"]) == int(want["rounds"]), where
                assert abs(float(run["outcome"]) - float(want["outcome"])) <= 1e-9 * width, where
                np.testing.assert_allclose(
                    run["position"], want["position"][:, perm], rtol=0, atol=1e-9 * width,
                    err_msg=where,
                )


def _mirror_scenario(names: str) -> Scenario:
    """B in the middle, A and C at the ends with equal weight: B's offers from A and C tie."""
    pos = dict(zip(names, (0.0, 50.0, 100.0), strict=True))
    return Scenario.model_validate(
        {
            "name": "mirror",
            "actors": [{"id": a, "capability": 1} for a in names],
            "issues": [{"id": "x", "low": 0, "high": 100}],
            "stances": [
                {"actor": a, "issue": "x", "position": pos[a], "salience": 0.3 if a == names[1]
                 else 0.9}
                for a in names
            ],
        }
    )


def test_a_tie_that_decides_is_recorded_and_broken_by_actor_order():
    """Mirror-symmetric actors: the middle one is offered the same deal from both sides; the
    first listed proposer wins, and ``details.ties`` says so."""
    res = create(
        "eum", variant="scholz-code", capitulation=True, offer="least-move", rounds=1, trace=True
    )
    first = res.run(_mirror_scenario("ABC")).issues[0]
    ties = first.details["ties"]
    assert ties, first.rounds[1]["offers"]
    assert ties[0] == {"round": 1, "actor": "B", "from": "A"}
    assert first.rounds[1]["offers"]["B"]["from"] == "A"
    swapped = res.run(_mirror_scenario("CBA")).issues[0]  # C listed first, at position 0
    assert swapped.details["ties"][0]["from"] == "C"
    assert swapped.rounds[1]["positions"]["B"] == pytest.approx(first.rounds[1]["positions"]["B"])


def test_kernel_counts_the_same_ties_as_the_numpy_core():
    pytest.importorskip("numba", reason="numba is not installed: no compiled EUM kernel")
    x, s = np.array([0.0, 50.0, 100.0]), np.array([0.9, 0.3, 0.9])
    rng = np.random.default_rng(3)
    xs = np.vstack([x, x, x + rng.normal(0, 1, (20, 3))])  # two exact mirrors, then noise
    cs, ss = np.ones_like(xs), np.broadcast_to(s, xs.shape)
    for params in VARIANTS:
        p = {**params, "rounds": 3}
        numpy = run_batch(cs, xs, ss, p, trace=False, backend="numpy")
        numba = run_batch(cs, xs, ss, p, trace=False, backend="numba")
        np.testing.assert_array_equal(numba["ties"], numpy["ties"])
        if params.get("offer") == "least-move":
            assert (numpy["ties"][:2] > 0).all() and (numpy["ties"][2:] == 0).all()
