"""The malformed-input corpus: every bad file gets a located message, exit 2, no traceback.

``tests/bad_inputs/`` holds small hand-written bad files in every supported format; its
``MANIFEST.csv`` names, per file, the line (empty where a line makes no sense: an empty,
binary or missing file), the field (empty where none applies) and a substring of the message
the reader must give. ``does_not_exist.yaml`` is listed but deliberately absent.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import pytest

from realpolitik.scenario import ScenarioError
from realpolitik.scenario.io import load

from shared_data import shared

HERE = Path(__file__).parent / "bad_inputs"


def _manifest() -> list[dict[str, object]]:
    with open(HERE / "MANIFEST.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [{"path": HERE / r["file"], "line": int(r["line"]) if r["line"] else None,
             "field": r["field"] or None, "message": r["message"], "what": r["what"]}
            for r in rows]


CASES = _manifest()
IDS = [Path(str(c["path"])).name for c in CASES]


def test_corpus_is_complete_and_large_enough():
    listed = {Path(str(c["path"])).name for c in CASES}
    present = {p.name for p in HERE.iterdir() if p.name != "MANIFEST.csv"}
    assert present - listed == set(), "corpus files without a MANIFEST entry"
    assert listed - present == {"does_not_exist.yaml"}, "MANIFEST entries without a file"
    assert len(CASES) >= 200
    prefixes = {name.split("_")[0] for name in listed}
    assert {"yaml", "tidy", "pred", "ktab", "ktabxml", "decide", "deu"} <= prefixes
    generated = {name.split("_")[0] for name in listed if "_gen_" in name}
    assert {"yaml", "tidy", "pred", "ktab", "ktabxml", "decide", "deu"} <= generated


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_api_reports_a_located_problem(case):
    path = case["path"]
    start = time.process_time()
    with pytest.raises(ScenarioError) as info:
        load(path)
    # a hang guard, not a speed claim: the bound of 2 s per bad file, in CPU time
    # (so a loaded machine does not trip it); a reader needs milliseconds for these files
    assert time.process_time() - start < 2.0, f"{path.name}: reading it did not finish in 2 s"
    problems = info.value.problems
    assert problems, "ScenarioError without problems"
    for p in problems:  # every problem names its file
        assert p.file == str(path), p
        assert p.message.strip(), p
    hits = [p for p in problems if case["message"] in p.message]
    assert hits, f"no problem says {case['message']!r}; got: {[str(p) for p in problems]}"
    hit = hits[0]
    assert hit.line == case["line"], f"{hit} (expected line {case['line']})"
    assert hit.field == case["field"], f"{hit} (expected field {case['field']!r})"


def test_yaml_code_execution_is_not_run():
    """``!!python/object/apply:os.system`` is rejected without running anything."""
    marker = Path("/tmp/realpolitik_pwned")
    marker.unlink(missing_ok=True)
    with pytest.raises(ScenarioError):
        load(HERE / "yaml_python_object.yaml")
    assert not marker.exists()


def _validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "realpolitik", "validate",
                           *(str(p) for p in paths)],
                          capture_output=True, text=True, timeout=120)


def test_cli_validate_every_bad_file_exits_2_with_located_messages():
    """One ``realpolitik validate`` over the whole corpus (fast): exit 2, every file named
    with its expected line, no traceback."""
    r = _validate(*(c["path"] for c in CASES))
    assert r.returncode == 2, r.stderr[-2000:]
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert r.stdout.strip() == "", f"a bad file validated as ok:\n{r.stdout}"
    for c in CASES:
        where = str(c["path"]) + (f":{c['line']}" if c["line"] is not None else "")
        lines = [ln for ln in r.stderr.splitlines() if ln.startswith(f"error {where}")]
        needle = str(c["message"])
        assert any(needle in ln for ln in lines), f"stderr lacks {where}: …{needle}…"


def test_cli_prints_problem_text_verbatim():
    """Brackets in a message survive the terminal (rich markup is escaped)."""
    r = _validate(HERE / "yaml_scale_wrong_shape.yaml")
    assert r.returncode == 2
    assert "scale must be [low, high], got [10]" in r.stderr


@pytest.mark.parametrize("name", ["yaml_empty.yaml", "decide_negative_power.csv",
                                  "ktabxml_wrong_coords.xml", "does_not_exist.yaml"])
def test_cli_validate_one_bad_file(name):
    c = next(c for c in CASES if Path(str(c["path"])).name == name)
    r = _validate(c["path"])
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    where = str(c["path"]) + (f":{c['line']}" if c["line"] is not None else "")
    assert where in r.stderr and c["message"] in r.stderr


def test_validate_reports_every_problem_at_once():
    """A file with five independent problems: five messages, one per problem, each located."""
    path = HERE / "yaml_many_problems.yaml"
    with pytest.raises(ScenarioError) as info:
        load(path)
    got = {(p.line, p.field) for p in info.value.problems}
    expected = {(6, "id"), (4, "capability"), (8, "status_quo"), (11, "position"),
                (13, "salience")}
    assert got == expected, [str(p) for p in info.value.problems]
    r = _validate(path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error ")]
    assert len(errors) == 5, r.stderr
    for line, field in expected:
        assert any(ln.startswith(f"error {path}:{line}: {field}: ") for ln in errors), (
            line, field, r.stderr)


def test_good_and_bad_files_together():
    """``validate`` checks every file: the good one is reported ok, the bad one's problem
    still makes the exit code 2."""
    good = shared("data", "cases", "emission-1994", "emission_dmasad_salience100.csv")
    bad = HERE / "pred_negative_capability.csv"
    r = _validate(good, bad)
    assert r.returncode == 2
    assert f"ok {good}" in r.stdout
    assert f"{bad}:3: capability" in r.stderr


def test_copenhagen_with_errors_yields_located_errors():
    path = shared("data", "cases", "decide", "copenhagen_with_errors.csv")
    with pytest.raises(ScenarioError) as info:
        load(path)
    problems = info.value.problems
    assert problems
    for p in problems:
        assert p.file == str(path) and p.line is not None and p.field, p
    text = path.read_text(encoding="utf-8").splitlines()
    for p in problems:  # each line named is a #D row about the actor in the message
        row = text[p.line - 1]
        assert row.lstrip("'\"").startswith("#D"), (p, row)
    assert {p.field for p in problems} >= {"position", "capability"}
    r = _validate(path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    for p in problems:
        assert f"{path}:{p.line}: {p.field}:" in r.stderr
