"""The shipped example scenarios: they load, have the required shape, and every number is traceable.

Quotes attributed to a seed op-ed must appear verbatim in that seed (after normalising
whitespace and curly/straight quotes), so the Korea scenarios stay anchored to their texts.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from realpolitik.scenario.io import load
from realpolitik.scenario.model import Provenance, Scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EMISSION_CSV = SHARED / "data" / "cases" / "emission-1994" / "emission_jmckib_salience01.csv"

KOREA = ("korea-2003.yaml", "korea-2006.yaml")
ALL = (*KOREA, "emission-1994.yaml")

REQUIRED_KOREA_ACTORS = {"USA", "ROK", "DPRK", "Japan", "China"}
EXPECTED = {
    "korea-2003.yaml": {
        "actors": ("USA", "ROK", "ROK_military", "ROK_public", "DPRK", "Japan", "China"),
        "issues": ("nk_policy", "usfk_posture", "iraq_troops"),
    },
    "korea-2006.yaml": {
        "actors": ("USA", "ROK", "ROK_public", "DPRK", "Japan", "China"),
        "issues": ("nk_policy", "usfk_posture", "opcon", "korus_fta"),
    },
    "emission-1994.yaml": {
        "actors": ("Netherlands", "Belgium", "Luxembourg", "Germany", "France", "Italy", "UK",
                   "Ireland", "Denmark", "Greece"),
        "issues": ("emission_standards",),
    },
}

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u00a0": " "})


def normalise(text: str) -> str:
    """Collapse whitespace and map curly quotes/apostrophes to straight ones."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def scenario(name: str) -> Scenario:
    return load(EXAMPLES / name)


def all_provenance(sc: Scenario) -> list[tuple[str, Provenance]]:
    """Every provenance record in a scenario, labelled by where it sits."""
    out: list[tuple[str, Provenance]] = []
    for a in sc.actors:
        out += [(f"actor {a.id} {k}", p) for k, p in a.provenance.items()]
    for i in sc.issues:
        out += [(f"issue {i.id} {k}", p) for k, p in i.provenance.items()]
    for s in sc.stances:
        out += [(f"stance {s.actor}/{s.issue} {k}", p) for k, p in s.provenance.items()]
    return out


def seed_texts(sc: Scenario) -> dict[str, str]:
    """Normalised text of each seed source (those whose file lives under shared/seeds)."""
    if not SEEDS.is_dir():
        pytest.skip(f"shared seeds not found at {SEEDS}")
    out = {}
    for src in sc.sources:
        if src.file and "/seeds/" in src.file:
            out[src.id] = normalise((SEEDS / Path(src.file).name).read_text(encoding="utf-8"))
    return out


# -- loading and shape ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_example_loads_with_expected_actors_and_issues(name: str) -> None:
    sc = scenario(name)
    assert sc.actor_ids == EXPECTED[name]["actors"]
    assert sc.issue_ids == EXPECTED[name]["issues"]


@pytest.mark.parametrize("name", KOREA)
def test_korea_required_actors_issues_and_groups(name: str) -> None:
    sc = scenario(name)
    assert set(sc.actor_ids) >= REQUIRED_KOREA_ACTORS
    assert {"nk_policy", "usfk_posture"} <= set(sc.issue_ids)
    assert sc.salience_scale == 100
    groups = sc.groups()
    assert {"USA", "ROK"} <= set(groups["US-ROK alliance"])
    assert set(groups["US-Japan alliance"]) == {"USA", "Japan"}
    if "ROK_military" in sc.actor_ids:
        assert "ROK_military" in groups["US-ROK alliance"]
    assert sc.actor("USA").capability == 100
    for i in sc.issues:
        assert (i.low, i.high) == (0, 100)
        assert i.low_label and i.high_label and i.anchors and i.description
        assert i.status_quo is not None and "status_quo" in i.provenance


def test_korea_2006_has_opcon_and_fta() -> None:
    assert {"opcon", "korus_fta"} <= set(scenario("korea-2006.yaml").issue_ids)


# -- provenance -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_every_number_has_provenance(name: str) -> None:
    sc = scenario(name)
    source_ids = {s.id for s in sc.sources}

    def check(where: str, p: Provenance | None) -> None:
        assert p is not None, f"{where}: no provenance"
        assert p.source in source_ids, f"{where}: unknown source {p.source!r}"
        assert p.quote or p.note, f"{where}: neither quote nor note"

    for a in sc.actors:
        check(f"actor {a.id} capability", a.provenance.get("capability"))
    for s in sc.stances:
        whole = s.provenance.get("stance")
        for f in ("position", "salience"):
            check(f"stance {s.actor}/{s.issue} {f}", s.provenance.get(f) or whole)
        if s.capability is not None:
            check(f"stance {s.actor}/{s.issue} capability",
                  s.provenance.get("capability") or whole)


@pytest.mark.parametrize("name", KOREA)
def test_seed_quotes_are_verbatim(name: str) -> None:
    sc = scenario(name)
    seeds = seed_texts(sc)
    assert seeds, "no seed source declared"
    cited = 0
    for where, p in all_provenance(sc):
        if p.quote is None:
            continue
        assert p.source in seeds, f"{where}: quote cites {p.source!r}, which is not a seed"
        assert normalise(p.quote) in seeds[p.source], f"{where}: quote not in seed: {p.quote!r}"
        cited += 1
    assert cited >= 20


def test_seed_sources_point_at_the_right_texts() -> None:
    texts = {name: seed_texts(scenario(name)) for name in KOREA}
    assert "beyond repair" in texts["korea-2003.yaml"]["seed-2003"]
    assert "not destined to come true" in texts["korea-2006.yaml"]["seed-2006"]


# -- outcomes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_outcomes_inside_scale_with_date_and_source(name: str) -> None:
    sc = scenario(name)
    source_ids = {s.id for s in sc.sources}
    for i in sc.issues:
        if i.outcome is None:
            continue
        assert i.low <= i.outcome.value <= i.high
        assert i.outcome.date and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", i.outcome.date)
        assert i.outcome.source in source_ids
        assert i.outcome.note or name == "emission-1994.yaml"


def test_korea_outcomes_recorded() -> None:
    s03, s06 = scenario("korea-2003.yaml"), scenario("korea-2006.yaml")
    for sc in (s03, s06):
        assert all(i.outcome is not None for i in sc.issues)
        assert sc.issue("usfk_posture").outcome.value == 50  # type: ignore[union-attr]
    assert s06.issue("korus_fta").outcome.date == "2012-03-15"  # type: ignore[union-attr]


# -- the emission case ------------------------------------------------------------------------

def test_emission_matches_shared_csv() -> None:
    if not EMISSION_CSV.exists():
        pytest.skip(f"shared emission case not found at {EMISSION_CSV}")
    ours = scenario("emission-1994.yaml")
    theirs = load(EMISSION_CSV, salience_scale=1)
    assert ours.salience_scale == 1
    with EMISSION_CSV.open(encoding="utf-8") as f:
        assert list(ours.actor_ids) == [r["Actor"] for r in csv.DictReader(f)]
    a, b = ours.arrays(), theirs.arrays()
    assert a.actor_ids == b.actor_ids
    for field in ("capability", "position", "salience"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
    issue = ours.issue("emission_standards")
    assert (issue.low, issue.high) == (4, 10)
    assert issue.outcome is not None and issue.outcome.value == pytest.approx(8.833)


def test_emission_weighted_mean_is_7_390() -> None:
    c, x, s = scenario("emission-1994.yaml").arrays().issue(0)
    assert round(float((c * s * x).sum() / (c * s).sum()), 3) == 7.390
