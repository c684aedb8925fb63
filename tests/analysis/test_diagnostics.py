"""Flags for degenerate forecasts: each on a case that must raise it and one that must not."""

from __future__ import annotations

from pathlib import Path

import pytest

import realpolitik as rp
from realpolitik.analysis.diagnostics import (
    KNIFE_EDGE_SHARE,
    diagnose,
    flags_of,
    knife_edge,
    smp_flags,
)
from realpolitik.models.base import IssueForecast
from realpolitik.scenario import Actor, Issue, Scenario, Stance

KOREA = Path(__file__).resolve().parents[2] / "examples" / "korea-2006.yaml"


def toy(positions: dict[str, float], caps: dict[str, float] | None = None,
        veto: tuple[str, ...] | None = None, sq: float | None = 20) -> Scenario:
    caps = caps or dict.fromkeys(positions, 1.0)
    return Scenario(
        name="toy", actors=[Actor(id=a, capability=caps[a]) for a in positions],
        issues=[Issue(id="x", status_quo=sq, veto=veto)],
        stances=[Stance(actor=a, issue="x", position=p, salience=1)
                 for a, p in positions.items()],
    )


def kinds(f: rp.Forecast, model: str) -> list[str]:
    return [fl["flag"] for m, _, fl in flags_of(f) if m == model]


def test_nash_pinned_names_the_actor_and_a_free_veto_does_not_flag() -> None:
    pinned = diagnose(rp.forecast(toy({"A": 40, "B": 100, "C": 20}), "nash"))
    (_, _, fl), = flags_of(pinned)
    assert fl["flag"] == "nash-pinned" and fl["actors"] == ["C"] and "C sits at" in fl["message"]
    free = diagnose(rp.forecast(toy({"A": 40, "B": 100, "C": 20}, veto=("A", "B")), "nash"))
    assert flags_of(free) == []


def test_korea_2006_nash_flag_names_the_six_party_vetoes() -> None:
    f = diagnose(rp.forecast(rp.load(KOREA), "nash"), knife_edges=False)
    flagged = {i: fl for _, i, fl in flags_of(f)}
    assert set(flagged) == {"nk_policy"}  # the bilateral issues are no longer pinned
    assert "DPRK" in flagged["nk_policy"]["actors"] and "USA" in flagged["nk_policy"]["actors"]


def test_smp_stalled_when_nobody_moves_and_not_otherwise() -> None:
    still = diagnose(rp.forecast(toy({"A": 30, "B": 30, "C": 30}, sq=None), "smp"),
                     knife_edges=False)
    assert kinds(still, "smp") == ["smp-stalled"]
    moving = diagnose(rp.forecast(rp.load(KOREA), "smp"), knife_edges=False)
    assert "smp-stalled" not in kinds(moving, "smp")


def test_smp_not_converged_at_max_turns_and_converged_by_default() -> None:
    sc = rp.load(KOREA)
    cut = diagnose(rp.forecast(sc, "smp", params={"max_turns": 2, "min_turns": 1}),
                   knife_edges=False)
    assert "smp-not-converged" in kinds(cut, "smp")
    full = diagnose(rp.forecast(sc, "smp"), knife_edges=False)
    assert "smp-not-converged" not in kinds(full, "smp")


def _rounds(states: list[float]) -> IssueForecast:
    return IssueForecast("x", states[-1], [{"round": t, "positions": {"A": v, "B": 50.0}}
                                           for t, v in enumerate(states)], {"turns": 4})


def test_smp_oscillation_is_flagged_with_its_cycle() -> None:
    (fl,) = smp_flags(_rounds([10.0, 20.0, 30.0, 20.0, 30.0]), 100, 100.0)
    assert fl["flag"] == "smp-oscillating" and fl["period"] == 2
    assert [s["A"] for s in fl["cycle"]] == [20.0, 30.0]
    assert smp_flags(_rounds([10.0, 20.0, 30.0, 30.0, 30.0]), 100, 100.0) == []


def test_knife_edge_on_korea_eum_and_not_on_a_dominated_issue() -> None:
    sc = rp.load(KOREA)
    res = rp.forecast(sc, "eum").result("eum")
    edges = knife_edge(sc, res)
    assert "nk_policy" in edges
    e = edges["nk_policy"]
    assert e["high"] - e["low"] > KNIFE_EDGE_SHARE * 100 and e["swing"] == pytest.approx(
        e["high"] - e["low"])
    calm = toy({"A": 40, "B": 60, "C": 45}, caps={"A": 100, "B": 1, "C": 1}, sq=None)
    assert knife_edge(calm, rp.forecast(calm, "eum").result("eum")) == {}


def test_flags_show_in_json_and_table() -> None:
    from typer.testing import CliRunner

    from realpolitik.cli import app

    r = CliRunner().invoke(app, ["forecast", str(KOREA), "-m", "nash", "-m", "compromise",
                                 "-f", "json"])
    import json

    doc = json.loads(r.stdout)
    row = next(x for x in doc["forecasts"] if x["model"] == "nash" and x["issue"] == "nk_policy")
    assert row["details"]["flags"][0]["flag"] == "nash-pinned"
    assert {x["level"] for x in row["prediction_intervals"]} == {0.8, 0.95}
    assert "compromise" in doc["track_record"]["verdict"]
    t = CliRunner().invoke(app, ["forecast", str(KOREA), "-m", "nash", "--no-track-record"])
    assert "⚑ nash" in t.stdout and "pinned by the veto of" in t.stdout


def test_draws_carry_the_point_forecasts_flags_and_track_record() -> None:
    """``forecast --draws`` shows what the point forecast shows beside its distributions: the
    same flags in each row's details (JSON) and under the tables, the track record and its
    verdict; ``--no-knife-edge`` and ``--no-track-record`` work there too."""
    import json

    from typer.testing import CliRunner

    from realpolitik.cli import app

    run = CliRunner().invoke
    args = ["forecast", str(KOREA), "-m", "eum", "-m", "nash", "-m", "compromise"]
    point = json.loads(run(app, [*args, "-f", "json"]).stdout)
    drawn = json.loads(run(app, [*args, "--draws", "40", "-f", "json"]).stdout)

    def flags(doc):
        return {(x["model"], x["issue"]): [f["flag"] for f in
                                           (x.get("details") or {}).get("flags", [])]
                for x in doc["forecasts"]}

    assert flags(drawn) == flags(point)
    assert flags(drawn)[("nash", "nk_policy")] == ["nash-pinned"]
    assert "knife-edge" in flags(drawn)[("eum", "nk_policy")]
    assert drawn["track_record"]["verdict"] == point["track_record"]["verdict"]
    assert all(x["distribution"] for x in drawn["forecasts"])
    table = run(app, [*args, "--draws", "40"]).stdout
    assert "⚑ nash" in table and "pinned by the veto of" in table and "⚑ eum" in table
    assert point["track_record"]["verdict"].split(":")[0] in table
    quiet = json.loads(run(app, [*args, "--draws", "40", "--no-knife-edge", "--no-track-record",
                                 "-f", "json"]).stdout)
    assert "knife-edge" not in flags(quiet)[("eum", "nk_policy")]
    assert flags(quiet)[("nash", "nk_policy")] == ["nash-pinned"]
    assert "track_record" not in quiet


def test_levers_of_a_knife_edge_forecast_come_from_the_distribution(tmp_path) -> None:
    from typer.testing import CliRunner

    from realpolitik.cli import app

    r = CliRunner().invoke(app, ["advise", str(KOREA), "--actor", "ROK", "-m", "eum",
                                 "--grid", "3", "-f", "json"])
    assert r.exit_code == 0, r.output
    import json

    assert "mean over 200 draws" in json.loads(r.stdout)["method"]
    calm = tmp_path / "calm.yaml"
    rp.save(toy({"A": 40, "B": 60, "C": 45}, caps={"A": 100, "B": 1, "C": 1}, sq=None), calm)
    c = CliRunner().invoke(app, ["advise", str(calm), "--actor", "B", "-m", "eum", "--grid", "3",
                                 "-f", "json"])
    assert c.exit_code == 0, c.output
    assert "point forecast" in json.loads(c.stdout)["method"]


def test_report_shows_track_record_verdict_and_flags() -> None:
    from realpolitik.report.html import render
    from realpolitik.report.record import collect

    sc = rp.load(KOREA)
    rec = collect(sc, ["compromise", "nash"], draws=0, sensitivity_model=None,
                  dynamic_model=None, cohesion_years=(2000, 2000))
    html = render(rec)
    assert "track record: error vs compromise" in html and 'id="verdict"' in html
    assert "⚑ nash · nk_policy" in html and "pinned by the veto of" in html


@pytest.mark.parametrize("model", ["eum", "smp"])
@pytest.mark.parametrize("case", ["korea-2006", "korea-2003", "emission-1994"])
def test_knife_edge_names_the_tornados_top_input(model: str, case: str) -> None:
    # the check ranks the tornado's arrays without building its frame (a small forecast need
    # not import pandas): it must pick what the ranked tornado puts first, for every issue
    from realpolitik.analysis.diagnostics import _bare
    from realpolitik.analysis.uncertainty.sensitivity import tornado

    sc = rp.load(KOREA.parent / f"{case}.yaml")
    res = rp.forecast(sc, model).result(model)
    edges = knife_edge(sc, res, share=0.0)  # flag every issue whose outcome moves at all
    df = tornado(_bare(sc), model, res.params, 0, quantiles=(0.0, 1.0))
    df = df[df["field"] != "position"]
    assert edges, "no issue moves: the comparison would be empty"
    for issue in sc.issues:
        rows = df[df["issue"] == issue.id]
        top = rows.loc[rows["swing"].idxmax()]
        if not top["swing"] > 0:
            assert issue.id not in edges
            continue
        e = edges[issue.id]
        assert (e["input"], e["swing"]) == (top["input"], top["swing"])
        trio = [top["outcome"], top["outcome_low"], top["outcome_high"]]
        assert (e["low"], e["high"]) == (min(trio), max(trio))


def crowd(n: int, heavy_flip: bool) -> Scenario:
    """``n`` actors on one issue: two heavy actors at 10 and 90 (capability 50 each) and a
    light crowd around 50 (salience ~0.01); with ``heavy_flip`` the heavy pair balances, so
    ±20% of either's capability flips the weighted median between them; without, H1
    dominates."""
    actors = [Actor(id="H1", capability=50.0), Actor(id="H2", capability=50.0 if heavy_flip
                                                     else 10.0)]
    actors += [Actor(id=f"c{k:03d}", capability=1.0 + (k % 3) / 10) for k in range(n - 2)]
    pos = {"H1": 10.0, "H2": 90.0} | {f"c{k:03d}": 48.0 + (k % 5) for k in range(n - 2)}
    stances = [Stance(actor=a.id, issue="x", position=pos[a.id],
                      salience=1.0 if a.id.startswith("H") else 0.01 + (k % 7) / 1000)
               for k, a in enumerate(actors)]
    return Scenario(name="crowd", actors=actors, issues=[Issue(id="x")], stances=stances)


@pytest.mark.parametrize("n", [12, 30])
def test_knife_edge_swings_every_input_up_to_30_actors(n: int) -> None:
    from realpolitik.analysis.diagnostics import _bare, knife_edge_inputs
    from realpolitik.analysis.uncertainty.sampling import inputs

    bare = _bare(crowd(n, True))
    items = inputs(bare).items
    assert knife_edge_inputs(bare, items) == list(range(len(items))) and len(items) == 2 * n
    f = diagnose(rp.forecast(crowd(n, True), "median"), models=("median",))
    assert "knife_edge_checked" not in f.results[0].issues[0].details


@pytest.mark.parametrize("n", [40, 80, 160])
def test_a_large_scenario_swings_its_heaviest_inputs_and_says_so(n: int) -> None:
    """Beyond 30 actors the check swings ``64 (30/n)²`` inputs (at least 8), chosen by
    capability × salience: the heavy pair's capabilities and saliences are always among them,
    so the flip between them is still flagged, with how much was checked."""
    from realpolitik.analysis.diagnostics import _bare, knife_edge_inputs
    from realpolitik.analysis.uncertainty.sampling import inputs

    bare = _bare(crowd(n, True))
    items = inputs(bare).items
    checked = knife_edge_inputs(bare, items)
    assert len(checked) == max(8, int(64 * (30 / n) ** 2)) < len(items)
    names = {items[q].name for q in checked}
    assert {"H1 capability", "H2 capability", "H1 salience x", "H2 salience x"} <= names
    sc = crowd(n, True)
    cap = {a.id: a.capability for a in sc.actors}
    sal = {st.actor: st.salience for st in sc.stances}  # one issue: total salience = salience
    weight = [cap[x.actor] * sal[x.actor] for x in items]
    top = sorted(range(len(items)), key=lambda q: -weight[q])[:len(checked)]
    assert checked == sorted(top)
    f = diagnose(rp.forecast(crowd(n, True), "median"), models=("median",))
    (fc,) = f.results[0].issues
    assert fc.details["knife_edge_checked"] == {"inputs": len(checked), "of": len(items)}
    (fl,) = fc.details["flags"]
    assert fl["flag"] == "knife-edge" and fl["input"].startswith("H")
    assert f"checked the {len(checked)} heaviest of {len(items)} inputs" in fl["message"]
    calm = diagnose(rp.forecast(crowd(n, False), "median"), models=("median",))
    assert "flags" not in calm.results[0].issues[0].details
