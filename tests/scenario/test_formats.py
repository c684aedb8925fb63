"""Every peer format loads with the right shape; YAML and CSV round-trips are lossless."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from realpolitik.scenario import ScenarioError
from realpolitik.scenario.io import detect_format, dumps, load, save
from realpolitik.testing import scenarios

from shared_data import shared

PEER_FILES = {
    # file: (format, actors, issues, salience_scale)
    "emission-1994/emission_jmckib_salience01.csv": ("predictioneer", 10, 1, 1),
    "emission-1994/emission_dmasad_salience100.csv": ("predictioneer", 10, 1, 100),
    "ktab/dummyData_3Dim.csv": ("ktab-csv", 7, 3, 100),
    "ktab/dummyData_6Dim.csv": ("ktab-csv", 27, 6, 100),
    "ktab/dummyData-a040.csv": ("ktab-csv", 40, 1, 100),
    "ktab/dummyData-a160.csv": ("ktab-csv", 160, 1, 100),
    "ktab/SOE-Pol-Comp.csv": ("ktab-csv", 13, 2, 100),
    "ktab/SOE-Policy.csv": ("ktab-csv", 26, 1, 100),
    "ktab/SOE-Competitive.csv": ("ktab-csv", 34, 1, 100),
    "ktab/smpExample-fixed.xml": ("ktab-xml", 5, 3, 100),
    "decide/cop21.csv": ("decide", 15, 13, 1),
    "decide/copenhagen.csv": ("decide", 11, 7, 1),
    "decide/sample_data.txt": ("decide", 10, 6, 1),
    "decide/nl_election_2012_coalition.csv": ("decide", 11, 11, 1),
    "deu3/deu_sample_SYNTHETIC_fixture.csv": ("deu", 5, 5, 100),
    "bdm-examples/sultan_oil_price_bdm1997__jmckib.csv": ("predictioneer", 17, 1, 1),
    "bdm-examples/argentina__decisionmechanics.tsv": ("predictioneer", 17, 1, 1),
}


@pytest.mark.parametrize("name", sorted(PEER_FILES))
def test_peer_file_loads_with_its_shape(name):
    fmt, n, k, scale = PEER_FILES[name]
    path = shared("data", "cases", *name.split("/"))
    assert detect_format(path) == fmt
    sc = load(path)
    assert (len(sc.actors), len(sc.issues), sc.salience_scale) == (n, k, scale)
    a = sc.arrays()
    assert a.present.sum() == len(sc.stances)
    assert np.all(a.salience[a.present] <= 1)


def test_emission_copies_agree():
    a = load(shared("data/cases/emission-1994/emission_jmckib_salience01.csv")).arrays()
    b = load(shared("data/cases/emission-1994/emission_dmasad_salience100.csv")).arrays()
    np.testing.assert_allclose(a.salience, b.salience)
    np.testing.assert_allclose(a.position, b.position)
    np.testing.assert_allclose(a.capability, b.capability)


def test_ktab_csv_values_and_space():
    sc = load(shared("data/cases/ktab/dummyData_3Dim.csv"))
    assert sc.actor_ids[0] == "SActor-00"
    assert sc.spaces[0].issues == sc.issue_ids
    first = sc.stance("SActor-00", sc.issue_ids[0])
    assert (first.position, first.salience) == (75.79, 49.53)
    assert sc.actor("SActor-00").capability == 102.543


def test_ktab_xml_keeps_parameters():
    sc = load(shared("data/cases/ktab/smpExample-fixed.xml"))
    assert sc.actor("Alice").capability == 117.7
    assert sc.stance("Alice", "FirstDim").position == 52.8
    assert sc.meta["ktab"]["parameters"]["VictoryProbModel"] == "Linear"


def test_decide_per_issue_power_and_sitting_out():
    sc = load(shared("data/cases/decide/copenhagen.csv"))
    assert sc.stance("Russia", "Commitments") is None  # Russia sits this issue out
    a = sc.arrays()
    usa = sc.actor_ids.index("USA")
    assert np.all(a.capability[usa] == 0.26)


def test_decide_marks_set_the_scale():
    sc = load(shared("data/cases/decide/sample_data.txt"))
    hoogte = sc.issue("tol-hoogte")
    assert (hoogte.low, hoogte.high) == (0.5, 7.0)
    assert sc.issue("wanneer-tol").description == "Wat is dit voor onzin?"


def test_copenhagen_with_errors_is_located():
    path = shared("data/cases/decide/copenhagen_with_errors.csv")
    with pytest.raises(ScenarioError) as e:
        load(path)
    where = {(p.line, p.field) for p in e.value.problems}
    assert (86, "position") in where and (87, "capability") in where
    assert all(p.file == str(path) for p in e.value.problems)


def test_deu_missing_and_reference_point():
    sc = load(shared("data/cases/deu3/deu_sample_SYNTHETIC_fixture.csv"))
    i = sc.issue("t01i1")
    assert i.status_quo == 0 and i.outcome.value == 50
    assert sc.issue("t02i2").outcome is None  # 999 = missing
    assert sc.actor("com").capability == 29  # from the documented table, not the file


@pytest.mark.parametrize("name", sorted(PEER_FILES))
@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_peer_round_trip_is_lossless(name, fmt, tmp_path):
    sc = load(shared("data", "cases", *name.split("/")))
    out = tmp_path / f"x.{fmt}"
    save(sc, out)
    back = load(out)
    assert back == sc
    assert back.content_hash() == sc.content_hash()


@settings(max_examples=40, deadline=None)
@given(sc=scenarios())
def test_property_yaml_and_csv_round_trip(sc, tmp_path_factory):
    d = tmp_path_factory.mktemp("rt")
    for fmt in ("yaml", "csv"):
        path = d / f"s.{fmt}"
        path.write_text(dumps(sc, fmt), encoding="utf-8")
        assert load(path) == sc
