"""Inputs an attacker (or a broken export) would send: each is a located problem, never a crash.

Every case here once escaped as an exception the CLI called an internal error (issue 14's
fuzzing): a CSV cell over the csv module's field limit, a lone CR inside a row, YAML nested
2,000 deep, a control character, a 5,000-digit integer, an XML encoding declaration Python
does not know, KTAB model settings the SMP could not use. The quadratic trim of trailing
empty cells is checked by counting, not timing.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from realpolitik.scenario import ScenarioError
from realpolitik.scenario.io import load, save
from realpolitik.scenario.io.common import json_depth, loads_json

TIDY_HEAD = '# realpolitik {"salience_scale": 100}\nactor,capability,issue,position,salience\n'


def _problem(path: Path, fmt: str | None = None):
    with pytest.raises(ScenarioError) as info:
        load(path, format=fmt)
    problems = info.value.problems
    assert problems and all(p.file == str(path) for p in problems)
    return problems


@pytest.mark.parametrize("fmt,text,line", [
    ("csv", TIDY_HEAD + "A,1,x,{big},5\nB,1,x,3,5\n", 3),
    ("predictioneer", "Actor,Capability,Position,Salience\nA,1,2,3\nB,1,{big},4\n", 3),
    ("ktab-csv", "t,d,2,1\nActor,Description,Power,D Position,D Salience\nA,a,1,{big},3\n", 3),
    ("decide", "#A;a;a\n#P;x;x\n#M;x;0;a\n#D;a;x;{big};1;1\n", 4),
    ("deu", "isnr;ep;com\nt1;{big};3\n", 2),
])
def test_a_cell_over_the_csv_field_limit_is_located(tmp_path, fmt, text, line):
    path = tmp_path / "big.csv"
    path.write_text(text.replace("{big}", "9" * 140_000))
    problems = _problem(path, fmt)
    assert [p.line for p in problems] == [line]
    assert "longer than 131,072 characters" in problems[0].message


def test_a_lone_cr_is_a_line_break(tmp_path):
    """Universal newlines: the row split by a stray CR is two short rows, each located."""
    path = tmp_path / "cr.csv"
    path.write_bytes((TIDY_HEAD + "A,1,x,2\r5,5\nB,1,x,3,5\n").encode())
    problems = _problem(path)
    assert [(p.line, "cells" in p.message) for p in problems] == [(3, True), (4, True)]


def test_line_numbers_match_an_editor_with_unicode_line_separators(tmp_path):
    """U+2028 inside a cell is not a line break for the reader's line numbers."""
    path = tmp_path / "ls.csv"
    path.write_text(TIDY_HEAD + "A\u2028x,1,x,2,5\nB,1,x,oops,5\n", encoding="utf-8")
    assert {p.line for p in _problem(path)} == {4}


@pytest.mark.parametrize("doc,line,needle", [
    ("a: " + "[" * 2000 + "]" * 2000 + "\n", 1, "nested more than 64"),
    ("name: x\nmeta:\n" + "".join("  " * k + "- \n" for k in range(1, 300)), 66, "nested"),
    ("name: a\x1fb\nactors: []\n", 1, "U+001F"),
    ("name: a\nactors: []\nsalience_scale: " + "9" * 5000 + "\n", 3, "4300 digits"),
    ("name: a\ndate: 2020-13-45\n", 2, "month must be in 1..12"),
])
def test_yaml_that_would_crash_the_parser_is_located(tmp_path, doc, line, needle):
    path = tmp_path / "bad.yaml"
    path.write_text(doc, encoding="utf-8")
    (p,) = _problem(path)
    assert p.line == line and needle in p.message, p


def test_json_cells_are_bounded_too():
    assert json_depth('["[[[", {"a": [1]}]') == 3
    for text, needle in (("[" * 100_000, "nested"), ("9" * 5000, "digits"), ("{", "column")):
        with pytest.raises(ValueError, match=needle):
            loads_json(text)


def test_tidy_csv_provenance_cell_nested_deep_is_located(tmp_path):
    path = tmp_path / "deep.csv"
    path.write_text('# realpolitik {"salience_scale": 100}\n'
                    "actor,capability,issue,position,salience,provenance\n"
                    f"A,1,x,2,5,{'[' * 5000}\nB,1,x,3,5,\n")
    (p,) = _problem(path)
    assert (p.line, p.field) == (3, "provenance") and "nested" in p.message


def test_xml_with_an_unknown_encoding_name_is_read_as_the_utf8_it_is(tmp_path):
    path = tmp_path / "enc.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-9"?>\n<Scenario><name>x</name>'
                    "</Scenario>\n")
    assert {p.field for p in _problem(path)} == {"actors", "issues"}  # no LookupError


KTAB_XML = """<?xml version="1.0"?>
<Scenario>
  <name>t</name>
  <prngSeed>{seed}</prngSeed>
  <ModelParameters>
    <VotingRule>{rule}</VotingRule>
  </ModelParameters>
  <Dimensions><dName>d</dName></Dimensions>
  <Actors>
    <Actor><name>A</name><description>a</description><capability>10</capability>
      <Position><dCoord>20</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>
    <Actor><name>B</name><description>b</description><capability>20</capability>
      <Position><dCoord>80</dCoord></Position><Salience><dSal>60</dSal></Salience></Actor>
  </Actors>
  <IdealAdjustment>
    <iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>B</referencePos>
      <adjust>{adjust}</adjust></iaPair>
  </IdealAdjustment>
</Scenario>
"""


def test_ktab_model_settings_are_validated_as_the_smp_uses_them(tmp_path):
    path = tmp_path / "k.xml"
    path.write_text(KTAB_XML.format(seed="1e309", rule="Nope", adjust="1,5"))
    got = {(p.line, p.field) for p in _problem(path)}
    assert got == {(4, "prngSeed"), (6, "VotingRule"), (17, "adjust")}
    path.write_text(KTAB_XML.format(seed="03507583219545544127", rule="PropCbc", adjust="0.5"))
    sc = load(path)
    from realpolitik.models.registry import create

    assert sc.meta["ktab"]["prngSeed"] == "03507583219545544127"
    res = create("smp", prng="ktab", file_parameters=True, state_transitions="Stochastic").run(
        sc, rng=0)
    assert res.outcome("d") is not None


def test_smp_refuses_bad_settings_in_a_scenario_built_in_python(tmp_path):
    path = tmp_path / "k.xml"
    path.write_text(KTAB_XML.format(seed="7", rule="Prop", adjust="0.5"))
    sc = load(path)
    bad = sc.model_copy(update={"meta": {"ktab": {**sc.meta["ktab"], "prngSeed": "1e309"}}})
    from realpolitik.models.registry import create

    with pytest.raises(ScenarioError, match="meta.ktab.prngSeed"):
        create("smp").run(bad, rng=0)


def test_ktab_smp_choices_match_the_models_parameter_types():
    """One list of KTAB's switch values: the SMP's parameter types say the same."""
    from typing import get_args

    from realpolitik.models.smp import KTAB_PARAMETERS, SMPParams
    from realpolitik.scenario.ktab_settings import KTAB_CHOICES

    for tag, field in KTAB_PARAMETERS.items():
        assert set(get_args(SMPParams.model_fields[field].annotation)) == set(KTAB_CHOICES[tag])


def test_ktab_trailing_empty_cells_are_trimmed(tmp_path):
    """200,000 trailing commas (spreadsheet padding) took 23 s, one list copy per cell; the
    trim is now one slice (the benchmark-free check: the padded row reads as the plain one)."""
    path = tmp_path / "t.csv"
    path.write_text("t,d,2,1\nActor,Description,Power,D Position,D Salience\n"
                    "A,a,10,20,30" + "," * 200_000 + "\nB,b,10,40,30\n")
    sc = load(path, format="ktab-csv")
    assert [s.position for s in sc.stances] == [20.0, 40.0]


def test_salience_scale_100_with_saliences_at_most_1_warns(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nsalience_scale: 100\nactors: [{id: A, capability: 1}, "
                    "{id: B, capability: 1}]\nissues: [{id: x}]\nstances:\n"
                    "  A: {x: {position: 1, salience: 0.5}}\n"
                    "  B: {x: {position: 9, salience: 1}}\n")
    r = subprocess.run([sys.executable, "-m", "realpolitik", "validate", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0
    assert f"warning {path}: salience_scale: salience scale is 100" in r.stderr
    path.write_text(path.read_text().replace("salience: 1}", "salience: 60}"))
    r = subprocess.run([sys.executable, "-m", "realpolitik", "validate", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "warning" not in r.stderr


def test_saved_files_get_ordinary_permissions(tmp_path):
    """Atomic, yet not mkstemp's 0600: 0666 minus the umask, or the replaced file's mode."""
    sc = load(Path(__file__).parents[2] / "examples" / "emission-1994.yaml")
    old = os.umask(0o022)
    try:
        save(sc, tmp_path / "a.yaml")
        assert stat.S_IMODE((tmp_path / "a.yaml").stat().st_mode) == 0o644
        (tmp_path / "a.yaml").chmod(0o640)
        save(sc, tmp_path / "a.yaml")
        assert stat.S_IMODE((tmp_path / "a.yaml").stat().st_mode) == 0o640
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
