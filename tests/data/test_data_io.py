"""Data directory resolution and clear DataError messages for bad paths and files."""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik.data import DATA_ENV_VAR, DataError, data_dir
from realpolitik.data.atop import load_atop
from realpolitik.data.cameo import load_goldstein
from realpolitik.data.nmc import load_nmc
from realpolitik.data.states import load_states
from realpolitik.data.unvotes import load_roll_calls, load_votes


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    assert data_dir() == tmp_path / ".." / "shared" / "data" / "ir"
    monkeypatch.setenv(DATA_ENV_VAR, str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    assert data_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_missing_file_names_file_and_hint(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"un_votes\.rda: file not found.*REALPOLITIK_DATA"):
        load_votes(data_dir=tmp_path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a directory"):
        load_nmc(path=tmp_path)


def test_garbage_rda(tmp_path: Path) -> None:
    bad = tmp_path / "atop.rda"
    bad.write_bytes(b"not an R file at all")
    with pytest.raises(DataError, match=r"atop\.rda: cannot be read as an R data file"):
        load_atop(path=bad)


def test_csv_missing_column_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "nmc.csv"
    bad.write_text("ccode,year,milex\n2,2000,1\n")
    with pytest.raises(DataError, match=r"nmc\.csv: missing column\(s\) \['milper'"):
        load_nmc(path=bad)


def test_unvotes_csv_equivalent_keeps_namibia(tmp_path: Path) -> None:
    votes = tmp_path / "un_votes.csv"
    votes.write_text("rcid,country,country_code,vote\n1,Namibia,NA,yes\n1,Zanzibar,,no\n")
    frame = load_votes(path=votes)
    assert frame["country_code"].tolist()[0] == "NA"  # Namibia's ISO2, not a missing value
    assert frame["country_code"].isna().tolist() == [False, True]
    assert frame["vote"].cat.ordered and list(frame["vote"].cat.categories) == [
        "yes",
        "abstain",
        "no",
    ]


def test_unvotes_csv_found_in_data_dir(tmp_path: Path) -> None:
    (tmp_path / "unvotes").mkdir()
    (tmp_path / "unvotes" / "un_roll_calls.csv").write_text(
        "rcid,session,date\n3,1,1946-01-01\n5,58,2003-10-01\n"
    )
    calls = load_roll_calls(data_dir=tmp_path)
    assert calls["year"].tolist() == [1946, 2003]


def test_unknown_vote_value(tmp_path: Path) -> None:
    votes = tmp_path / "un_votes.csv"
    votes.write_text("rcid,country,country_code,vote\n1,Chad,TD,maybe\n")
    with pytest.raises(DataError, match=r"un_votes\.csv: unknown vote value\(s\) \['maybe'\]"):
        load_votes(path=votes)


def test_undecodable_cameo_rda_is_a_data_error(ir_dir: Path) -> None:
    # Known pitfall: cameo_codes.rda has a non-UTF-8 byte (0x82); use the cp1252 CSV.
    with pytest.raises(DataError, match="cameo_codes.rda: cannot be read"):
        load_goldstein("icews", path=ir_dir / "icews" / "cameo_codes.rda")


def test_state_list_wrong_layout(ir_dir: Path) -> None:
    with pytest.raises(DataError, match="not a recognised state list"):
        load_states(path=ir_dir / "peacesciencer" / "cow_majors.rda")
