"""Bueno de Mesquita's EUM: the jmckib-port oracles, analytic values, batching, parameters.

Oracles: ``../shared/oracles/eum/`` (the jmckib port of Scholz et al.'s code, run for 10
rounds on the emission and Sultan cases). Analytic values: ``../shared/docs/models.md``.
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import numpy as np
import pytest

from realpolitik.models import create
from realpolitik.models.eum import core, votes
from realpolitik.models.eum.core import EUMParams, run_batch, utilities, win_probability
from realpolitik.models.eum.dyads import reference_round
from realpolitik.models.eum.round import play_round
from realpolitik.models.reference import weighted_median
from realpolitik.scenario import Actor, Issue, Scenario, Stance
from realpolitik.scenario.io import load

from shared_data import shared

EMISSION = ("data", "cases", "emission-1994", "emission_jmckib_salience01.csv")
SULTAN = ("data", "cases", "bdm-examples", "sultan_oil_price_bdm1997__jmckib.csv")
PORT_KIND = {"confrontation": "conflict", "compromise": "compromise", "capitulation": "compel"}
TOL = 1e-9


def _emission_arrays():
    sc = load(shared(*EMISSION))
    c, x, s = sc.arrays().issue(0)
    return c, x, s


def _check_against_port(case: tuple[str, ...], oracle_name: str) -> None:
    oracle = json.loads(shared("oracles", "eum", oracle_name).read_text())
    res = create("eum", variant="scholz-code", rounds=len(oracle["rounds"]), trace=True).run(
        load(shared(*case))
    )
    rounds = res.issues[0].rounds
    assert rounds[0]["median"] == pytest.approx(oracle["initial"]["median"], abs=TOL)
    assert rounds[0]["mean"] == pytest.approx(oracle["initial"]["mean"], abs=TOL)
    for want in oracle["rounds"]:
        got = rounds[want["round"]]
        for actor, r in want["r"].items():
            assert got["risk"][actor] == pytest.approx(r, abs=TOL)
            for other, p in want["P"][actor].items():
                assert got["probability"][actor][other] == pytest.approx(p, abs=TOL)
            for other, e in want["EU_i_perspective"][actor].items():
                assert got["eu"][actor][other] == pytest.approx(e, abs=TOL)
            offer, mine = want["accepted_offer"][actor], got["offers"][actor]
            if offer is None:
                assert mine is None, (want["round"], actor)
            else:
                assert mine["from"] == offer["from"]
                assert mine["kind"] == PORT_KIND[offer["type"]]
                assert mine["to"] == pytest.approx(offer["new_x"], abs=TOL)
            assert got["positions"][actor] == pytest.approx(want["positions_after"][actor], abs=TOL)
        assert got["median"] == pytest.approx(want["median_after"], abs=TOL)
        assert got["mean"] == pytest.approx(want["mean_after"], abs=TOL)


def test_scholz_code_reproduces_the_port_on_the_emission_case():
    _check_against_port(EMISSION, "oracle_jmckib_emission_standards.json")


def test_scholz_code_reproduces_the_port_on_the_sultan_case():
    _check_against_port(SULTAN, "oracle_jmckib_sultan_oil_price.json")


def test_default_variant_on_the_emission_case_is_pinned():
    """Regression pin of the paper variant (discussed against Scholz Table 2 in the docs)."""
    res = create("eum").run(load(shared(*EMISSION)))
    f = res.issues[0]
    assert [r["median"] for r in f.rounds] == pytest.approx([7.0] * 11)
    means = [round(r["mean"], 3) for r in f.rounds][:5]
    assert means == [7.39, 7.846, 6.805, 6.978, 7.0]
    assert f.outcome == 7.0 and f.details["final_mean"] == pytest.approx(7.0)


# --- analytic values ------------------------------------------------------------------


def test_two_actors_at_the_ends_of_the_range():
    c, s = np.array([3.0, 2.0]), np.array([0.5, 0.8])
    x = np.array([0.0, 10.0])
    p = win_probability(x, c * s, 10.0)
    assert p[0, 1] == pytest.approx(1.5 / (1.5 + 1.6))
    assert p[1, 0] == pytest.approx(1.6 / (1.5 + 1.6))
    u = utilities(np.array(1.0), None)
    assert (float(u["s"]), float(u["f"]), float(u["sq"])) == (2.0, -2.0, 0.0)


@pytest.mark.parametrize(
    ("r", "d", "us", "uf", "usq"),
    [(2.0, 0.5, 1.75, -0.25, 1.0), (0.5, 0.5, None, None, -0.8284271247)],
)
def test_utility_spot_values(r, d, us, uf, usq):
    u = utilities(np.array(d), np.array(r))
    assert float(u["sq"]) == pytest.approx(usq, abs=1e-10)
    if us is not None:
        assert (float(u["s"]), float(u["f"])) == pytest.approx((us, uf))


def test_better_and_worse_utilities_bracket_the_status_quo():
    u = utilities(np.array(0.3), np.array(1.5), g=np.array(0.6))
    assert float(u["w"]) < float(u["sq"]) < float(u["b"])


def test_risk_map():
    sec = np.array([-3.0, 1.0, 5.0])  # R = -1, 0, +1
    r = core.risk_exponent(sec, sec.max(), sec.min())
    assert r == pytest.approx([2.0, 1.0, 0.5])
    assert core.risk_exponent(np.ones(3), np.array(1.0), np.array(1.0)) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("a", "b", "kind", "gives", "fraction"),
    [
        (0.5, 0.2, "conflict", "column", 1.0),
        (0.2, 0.5, "conflict", "row", 1.0),
        (0.8, -0.2, "compromise", "column", 0.25),
        (-0.2, 0.8, "compromise", "row", 0.25),
        (0.2, -0.8, "compel", "column", 1.0),
        (-0.3, -0.1, "stalemate", "nobody", 0.0),
    ],
)
def test_classification(a, b, kind, gives, fraction):
    k, g, f = core.classify(np.array(a), np.array(b), np.array(False))
    assert (core.KINDS[int(k)], core.GIVES[int(g)]) == (kind, gives)
    assert float(f) == pytest.approx(fraction)


# --- batching and the fast paths ------------------------------------------------------


def test_batch_equals_one_at_a_time_and_blocks_agree(monkeypatch):
    c, x, s = _emission_arrays()
    rng = np.random.default_rng(7)
    xs = np.clip(x + rng.normal(0, 1.0, (6, x.size)), 4, 10)
    cs = c * rng.uniform(0.8, 1.2, (6, x.size))
    for variant in ("paper", "scholz-code"):
        batch = run_batch(cs, xs, s, {"variant": variant})
        monkeypatch.setattr(core, "_BLOCK_ELEMENTS", 2 * x.size**3)  # blocks of two draws
        blocked = run_batch(cs, xs, s, {"variant": variant})
        monkeypatch.undo()
        for b in range(6):
            one = run_batch(cs[b], xs[b], s, {"variant": variant})
            for key in ("position", "median", "mean", "eu", "risk", "offer_from"):
                np.testing.assert_allclose(batch[key][b], one[key], atol=1e-12)
                np.testing.assert_allclose(blocked[key][b], one[key], atol=1e-12)


@pytest.mark.parametrize("probability", ["pairwise", "global"])
def test_prefix_sum_support_equals_the_direct_sum(monkeypatch, probability):
    rng = np.random.default_rng(3)
    x = np.round(rng.uniform(0, 10, (3, 40)), 1)  # ties and shared midpoints on purpose
    w, e = rng.uniform(0.1, 1, (3, 40)), rng.uniform(0.5, 2, (3, 40))
    direct = win_probability(x, w, 10.0, e, probability)
    monkeypatch.setattr(votes, "_DIRECT_LIMIT", 0)
    np.testing.assert_allclose(win_probability(x, w, 10.0, e, probability), direct, atol=1e-13)
    monkeypatch.setattr(votes, "_COUNT_LIMIT", 0)  # sort-based (batch) and binary-search counts
    np.testing.assert_allclose(win_probability(x, w, 10.0, e, probability), direct, atol=1e-13)
    one = win_probability(x[1], w[1], 10.0, e[1], probability)
    np.testing.assert_allclose(one, direct[1], atol=1e-13)


def test_security_over_positions_matches_moving_the_actor():
    c, x, s = _emission_arrays()
    x = x + np.linspace(0, 0.5, x.size)  # distinct positions
    w, span = c * s, np.array(np.ptp(x))
    p = EUMParams(security="positions")
    mu = np.array(np.median(x))
    sec, hi, lo = core.security(x, w, s, span, mu, p)
    base = EUMParams()
    for i in range(x.size):
        at = []
        for m in range(x.size):
            y = x.copy()
            y[i] = x[m]
            prob = win_probability(y, w, span)
            d = np.abs(y[:, None] - y[None, :]) / span
            e = core.expected_utility(prob, d, s[None, :], None, 1.0, 0.0, d)
            at.append(sum(e[j, i] for j in range(x.size) if j != i))
        assert sec[i] == pytest.approx(at[i])
        assert (hi[i], lo[i]) == pytest.approx((max(at), min(at)))
    assert base.security == "actors"


# --- parameters, stopping, issues -----------------------------------------------------


def test_params_coerce_from_strings_and_presets_yield_to_explicit_values():
    m = create("eum", variant="scholz-code", rounds="3", q="0.5", capitulation="true")
    p = m.params
    assert (p.rounds, p.q, p.capitulation, p.probability) == (3, 0.5, True, "global")
    assert create("eum").params.probability == "pairwise"
    with pytest.raises(ValueError, match="positions"):
        EUMParams(variant="scholz-code", security="positions")
    with pytest.raises(ValueError):
        EUMParams(offer="nearest")


def test_capitulation_switch():
    # Actor 2's loss to actor 0 outweighs 0's gain: 2 should capitulate (compel).
    c, x, s = np.full(3, 5.0), np.array([3.0, 1.0, 5.0]), np.array([0.9, 0.4, 0.9])
    on = run_batch(c, x, s, {"rounds": 1})
    off = run_batch(c, x, s, {"rounds": 1, "capitulation": False})
    kinds = [core.KINDS[k] for k in on["offer_kind"][0]]
    assert "compel" in kinds
    assert "compel" not in [core.KINDS[k] for k in off["offer_kind"][0]]
    i = kinds.index("compel")
    assert on["position"][1, i] == x[on["offer_from"][0, i]]
    assert off["position"][1, i] == x[i]


def test_stable_stop_ends_when_the_median_stops_moving():
    c, x, s = _emission_arrays()
    out = run_batch(c, x, s, {"variant": "scholz-code", "stop": "stable"})
    med = out["median"]
    t = int(out["rounds"])
    assert t == 4 and med[t] == med[t - 1] and len(set(np.round(med[:t], 9))) == t
    assert out["outcome"] == med[t] and np.all(med[t:] == med[t])


def test_payoff_stop_never_lowers_the_total_payoff():
    c, x, s = _emission_arrays()
    out = run_batch(c, x, s, {"variant": "scholz-code", "stop": "payoff", "rounds": 30})
    pay = [(s * (1 - np.abs(x - m) / 6)).sum() for m in out["median"][: out["rounds"] + 1]]
    assert np.all(np.diff(pay) >= -1e-9)
    assert out["rounds"] < 30


def test_each_issue_uses_only_its_participants():
    actors = [Actor(id=a, capability=1.0) for a in "ABCD"]
    issues = [Issue(id="p", low=0, high=10), Issue(id="q", low=0, high=10)]
    pos = {"A": 0, "B": 3, "C": 6, "D": 10}
    stances = [Stance(actor=a, issue="p", position=pos[a], salience=0.6) for a in "ABCD"]
    stances += [Stance(actor=a, issue="q", position=pos[a], salience=0.6) for a in "ABC"]
    sc = Scenario(name="t", salience_scale=1, actors=actors, issues=issues, stances=stances)
    res = create("eum", rounds=2).run(sc)
    q = res.issues[1]
    assert set(q.rounds[0]["positions"]) == {"A", "B", "C"}
    alone = run_batch(np.ones(3), np.array([0.0, 3, 6]), np.full(3, 0.6), {"rounds": 2})
    assert q.outcome == pytest.approx(float(alone["outcome"]))
    json.dumps([f.rounds for f in res.issues], allow_nan=False)


def test_docs_page_examples_run():
    page = Path(__file__).resolve().parents[3] / "docs" / "models" / "eum.md"
    result = doctest.testfile(str(page), module_relative=False)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("stop", ["stable", "payoff"])
def test_stopping_rules_batch_equals_one_at_a_time(stop):
    c, x, s = _emission_arrays()
    rng = np.random.default_rng(11)
    xs = np.clip(x + rng.normal(0, 1.5, (8, x.size)), 4, 10)
    params = {"variant": "scholz-code", "stop": stop, "rounds": 12}
    batch = run_batch(c, xs, s, params)
    assert len(set(batch["rounds"].tolist())) > 1  # rows really stop at different rounds
    for b in range(8):
        one = run_batch(c, xs[b], s, params)
        assert batch["rounds"][b] == one["rounds"]
        assert batch["outcome"][b] == pytest.approx(float(one["outcome"]), abs=1e-12)
        np.testing.assert_allclose(batch["position"][b], one["position"], atol=1e-12)


def test_risk_and_scale_settings():
    c, x, s = _emission_arrays()
    first = run_batch(c, x, s, {"risk": "first-round", "rounds": 4})
    assert np.all(first["risk"] == first["risk"][0]) and np.ptp(first["risk"][0]) > 0
    neutral = run_batch(c, x, s, {"risk": "neutral", "rounds": 2})
    assert np.all(neutral["risk"] == 1.0)
    same = run_batch(c, x, s, {"scale": "issue", "rounds": 3}, issue_range=6.0)
    np.testing.assert_array_equal(same["position"], run_batch(c, x, s, {"rounds": 3})["position"])
    wide = run_batch(c, x, s, {"scale": "issue", "rounds": 1}, issue_range=60.0)
    assert not np.allclose(wide["eu"], same["eu"][:1])
    with pytest.raises(ValueError, match="issue_range"):
        run_batch(c, x, s, {"scale": "issue"})


# --- the fused round against the readable composition ----------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"variant": "scholz-code"},
        {"perspective": "observer", "offer": "highest-eu", "capitulation": False},
        {"q": 0.5, "t_rule": "median"},
        {"q": 0.7, "t_rule": "half", "votes": "risk", "probability": "global"},
        {"security": "positions", "votes": "risk"},
    ],
)
def test_fused_round_equals_the_reference_round(params):
    rng = np.random.default_rng(5)
    b, n = 6, 7
    x = rng.uniform(0, 10, (b, n))
    x[:, 3] = x[:, 1]  # two actors at one position in every draw
    c, s = rng.uniform(0.1, 1, (b, n)), rng.uniform(0.1, 1, (b, n))
    w, span = c * s, np.ptp(x, axis=-1)
    mu = weighted_median(x, w)
    p = EUMParams(**params)
    ref = reference_round(x, w, s, span, mu, p, None)
    got = play_round(*(np.ascontiguousarray(a.T) for a in (x, w, s)), span, mu, p, None, True)
    for key in ("risk", "security", "new"):
        np.testing.assert_allclose(got[key].T, ref[key], rtol=0, atol=1e-12)
    for key in ("probability", "eu", "eu_seen"):
        np.testing.assert_allclose(np.moveaxis(got[key], -1, 0), ref[key], rtol=0, atol=1e-12)
    for key in ("kind", "gives"):
        np.testing.assert_array_equal(np.moveaxis(got[key], -1, 0), ref[key])
    for key in ("offer_from", "offer_kind"):
        np.testing.assert_array_equal(got[key].T, ref[key])
    assert (ref["kind"] > core.STALEMATE).any()  # the draws do make offers


@pytest.mark.parametrize("probability", ["pairwise", "global"])
@pytest.mark.parametrize("loop_actors", [128, 0])  # voter loop, or the prefix-sum reference
def test_batch_last_probability_equals_the_reference(monkeypatch, probability, loop_actors):
    monkeypatch.setattr(votes, "_LOOP_ACTORS", loop_actors)
    rng = np.random.default_rng(9)
    x = np.round(rng.uniform(0, 10, (4, 12)), 0)  # ties and shared midpoints on purpose
    w, e = rng.uniform(0.1, 1, (4, 12)), rng.uniform(0.5, 2, (4, 12))
    span = np.full(4, 10.0)
    for exponent in (None, e):
        want = win_probability(x, w, 10.0, exponent, probability)
        d = np.abs(x.T[:, None, :] - x.T[None, :, :]) / span
        got = votes.win_probability_last(
            x.T.copy(), w.T.copy(), d, span, None if exponent is None else exponent.T, probability
        )
        np.testing.assert_allclose(np.moveaxis(got, -1, 0), want, rtol=0, atol=1e-13)


def test_actors_at_one_position_get_bit_identical_probabilities():
    """Ties between proposers at one position break by actor order, so they must be exact."""
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 10, (8, 9))
    x[:, 6] = x[:, 2]
    w = rng.uniform(0.1, 1, (8, 9))
    d = np.abs(x.T[:, None, :] - x.T[None, :, :]) / 10.0
    p = votes.win_probability_last(x.T.copy(), w.T.copy(), d, np.full(8, 10.0))
    others = [k for k in range(9) if k not in (2, 6)]
    assert np.array_equal(p[2, others], p[6, others])
    assert np.array_equal(p[others, 2], p[others, 6])
