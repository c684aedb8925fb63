"""Case library: shipped cases are the examples, DEU III loads with swept weights and
located errors for malformed rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik.backtest import deu_capability, load_cases, shipped_names
from realpolitik.scenario import ScenarioError

from shared_data import shared

REPO = Path(__file__).resolve().parents[2]


def test_shipped_cases_are_the_examples():
    """examples/*.yaml are links to the packaged cases (one copy, shipped in the wheel)."""
    assert shipped_names() == ["emission-1994", "korea-2003", "korea-2006"]
    pkg = REPO / "src" / "realpolitik" / "cases"
    for name in shipped_names():
        example = REPO / "examples" / f"{name}.yaml"
        assert (pkg / f"{name}.yaml").read_bytes() == example.read_bytes(), name


def test_shipped_outcomes():
    cases = {c.name: c for c in load_cases()}
    em = cases["emission-1994"].scenario.issue("emission_standards")
    assert (em.outcome.value, em.low, em.high) == (8.833, 4.0, 10.0)
    assert cases["korea-2003"].resolved_issues() == ["nk_policy", "usfk_posture", "iraq_troops"]
    assert cases["korea-2006"].resolved_issues() == [
        "nk_policy",
        "usfk_posture",
        "opcon",
        "korus_fta",
    ]
    assert all(c.origin.startswith("package:") for c in cases.values())


def test_deu_fixture_with_swept_weights():
    path = shared("data", "cases", "deu3", "deu_sample_SYNTHETIC_fixture.csv")
    cases = load_cases([str(path)], deu_weights=[(29, 29), (10, 50)])
    assert [c.variant for c in cases] == ["com=29,ep=29", "com=10,ep=50"]
    a, b = (c.scenario for c in cases)
    assert (a.actor("com").capability, a.actor("ep").capability) == (29, 29)
    assert (b.actor("com").capability, b.actor("ep").capability) == (10, 50)
    assert a.actor("de").capability == b.actor("de").capability == 29  # Council votes (Nice)
    # t02i2's outcome is 999 (missing): not a resolved issue
    assert cases[0].resolved_issues() == ["t01i1", "t01i2", "t02i1", "t03i1"]
    assert cases[0].clusters == {
        "t01i1": "t01",
        "t01i2": "t01",
        "t02i1": "t02",
        "t02i2": "t02",
        "t03i1": "t03",
    }
    assert deu_capability(1, 2)["mt"] == 3


def test_malformed_deu_rows_are_located(tmp_path):
    src = shared("data", "cases", "deu3", "deu_sample_SYNTHETIC_fixture.csv")
    lines = src.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(";")
    cells[13] = "eighty"  # pcom of the second issue row (file line 3)
    lines[2] = ";".join(cells)
    lines[4] = ";".join(lines[4].split(";")[:20])  # a ragged row (file line 5)
    bad = tmp_path / "deu_bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_cases([str(bad)])
    where = {(p.line, p.field) for p in e.value.problems}
    assert (3, "position") in where
    assert any(line == 5 for line, _ in where)
    assert all(str(p).startswith(f"{bad}:") for p in e.value.problems)


def test_folders_and_unknown_specs(tmp_path):
    (tmp_path / "a.yaml").write_bytes((REPO / "examples" / "korea-2006.yaml").read_bytes())
    assert [c.name for c in load_cases([str(tmp_path)])] == ["a"]
    assert [c.name for c in load_cases(["korea-2003"])] == ["korea-2003"]
    with pytest.raises(FileNotFoundError, match="not a shipped case"):
        load_cases(["no-such-case"])
