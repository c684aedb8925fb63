"""Format detection by structure: large files of every format, bounded reading, honest errors."""

from __future__ import annotations

import numpy as np
import pytest

from realpolitik.scenario import Scenario, ScenarioError
from realpolitik.scenario.io import FORMATS, READERS, detect_format, load, save
from realpolitik.scenario.io.detect import SNIFF_BYTES, head_rows

N_ACTORS, N_ISSUES = 100, 50


def _values(seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pos = rng.integers(0, 101, (N_ACTORS, N_ISSUES))
    sal = rng.integers(1, 100, (N_ACTORS, N_ISSUES)) / 100
    cap = rng.integers(1, 100, N_ACTORS) / 100
    return pos, sal, cap


def _decide(path, sep="\t"):
    """decide's layout: every #A row, then #P/#M rows, then 5,000 #D rows far below."""
    pos, sal, cap = _values()
    rows = [sep.join(["'#A'", f"'a{i}'", f"'Actor {i}'", "''"]) for i in range(N_ACTORS)]
    for k in range(N_ISSUES):
        rows += [sep.join(["'#P'", f"'i{k}'", f"'Issue {k}'", "''"])]
        rows += [sep.join(["'#M'", f"'i{k}'", str(v)]) for v in (0, 100)]
    for i in range(N_ACTORS):
        for k in range(N_ISSUES):
            rows.append(
                sep.join(
                    ["'#D'", f"'a{i}'", f"'i{k}'", str(pos[i, k]), str(sal[i, k]), str(cap[i])]
                )
            )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _ktab_csv(path):
    pos, sal, cap = _values()
    head = ["Actor", "Description", "Power"]
    for k in range(N_ISSUES):
        head += [f"Pstn{k + 1}", f"Sal{k + 1}"]
    rows = [f"Generated,big scenario,{N_ACTORS},{N_ISSUES}", ",".join(head)]
    for i in range(N_ACTORS):
        cells = [f"A{i:03d}", "generated", str(cap[i] * 100)]
        for k in range(N_ISSUES):
            cells += [str(pos[i, k]), str(sal[i, k] / N_ISSUES * 100)]  # KTAB: Σ salience ≤ 100
        rows.append(",".join(cells))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _scenario() -> Scenario:
    pos, sal, cap = _values()
    return Scenario.model_validate(
        {
            "name": "big",
            "actors": [{"id": f"a{i}", "capability": float(cap[i])} for i in range(N_ACTORS)],
            "issues": [{"id": f"i{k}", "low": 0, "high": 100} for k in range(N_ISSUES)],
            "stances": [
                {
                    "actor": f"a{i}",
                    "issue": f"i{k}",
                    "position": float(pos[i, k]),
                    "salience": float(sal[i, k]),
                }
                for i in range(N_ACTORS)
                for k in range(N_ISSUES)
            ],
        }
    )


def test_formats_name_the_readers():
    assert tuple(READERS) == FORMATS


@pytest.mark.parametrize("sep", ["\t", ";", ","])
def test_large_decide_file_is_detected_and_loads(tmp_path, sep):
    path = _decide(tmp_path / "big.csv", sep)
    assert detect_format(path) == "decide"
    sc = load(path)
    assert (len(sc.actors), len(sc.issues), len(sc.stances)) == (100, 50, 5000)
    pos, sal, _ = _values()
    a = sc.arrays()
    np.testing.assert_array_equal(a.position, pos)


def test_large_ktab_csv_is_detected_and_loads(tmp_path):
    path = _ktab_csv(tmp_path / "big.csv")
    assert detect_format(path) == "ktab-csv"
    sc = load(path)
    assert (len(sc.actors), len(sc.issues)) == (100, 50)


def test_large_tidy_csv_is_detected_and_round_trips(tmp_path):
    sc = _scenario()
    path = tmp_path / "big.csv"
    save(sc, path)
    assert detect_format(path) == "csv"
    assert load(path).content_hash() == sc.content_hash()


def test_large_predictioneer_table_is_detected(tmp_path):
    rng = np.random.default_rng(3)
    rows = ["Actor,Capability,Position,Salience"]
    rows += [f"A{i},{rng.integers(1, 100)},{rng.integers(0, 101)},0.5" for i in range(5000)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert detect_format(path) == "predictioneer"
    assert len(load(path).actors) == 5000


def test_detection_reads_only_the_head(tmp_path):
    """Bytes far below the head are never read: a non-UTF-8 tail does not stop detection
    (the reader, which reads everything, then reports it at its line)."""
    path = _decide(tmp_path / "big.csv")
    with open(path, "ab") as f:
        f.write(b"'#D'\t'a0'\t'i0'\t1\t0.5\t0.5 \xff\n")
    assert detect_format(path) == "decide"
    with pytest.raises(ScenarioError) as e:
        load(path)
    assert "not UTF-8" in str(e.value) and e.value.problems[0].line == 5251


def test_one_huge_line_is_read_up_to_the_limit(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(b"x" * (3 * SNIFF_BYTES) + b"\n")
    rows = head_rows(path)
    assert len(rows) == 1 and len(rows[0]) == SNIFF_BYTES
    with pytest.raises(ScenarioError, match="cannot tell the file's format"):
        detect_format(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfeA\x00c\x00t\x00", "binary file"),
        (b"actor,capability\n\xe9t\xe9,1\n", "not UTF-8"),
        (b"\n  \n\n", "file is empty"),
    ],
)
def test_unreadable_heads_get_the_readers_located_reason(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ScenarioError, match=message):
        detect_format(path)


def test_missing_file_is_located(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        detect_format(tmp_path / "nope.csv")
