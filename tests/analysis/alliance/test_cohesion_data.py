"""The dyad-year cohesion panel against cohesion.md's US–ROK check values and rok_unga."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from realpolitik.analysis.alliance.cohesion_data import (
    DataBundle,
    cohesion_command,
    cohesion_panel,
    load_bundle,
    panel_json,
    render_panel,
    un_all_dyads,
)
from realpolitik.data import DataError
from realpolitik.data.countrycodes import CountryCodeError

IR = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ir"
SYMMETRIC = [
    "un_n", "un_identical", "un_agree", "un_s_abs", "un_s_sq", "un_kappa_nominal",
    "un_kappa_quadratic", "un_pi_nominal", "un_pi_linear", "atop_tie", "atop_bin_s_abs",
    "atop_bin_kappa_nominal", "atop_val_s_abs", "atop_val_s_sq", "atop_val_kappa_quadratic",
    "atop_val_pi_quadratic", "atop_val_s_wcinc",
]  # fmt: skip


@pytest.fixture(scope="module")
def bundle() -> DataBundle:
    if not IR.is_dir():
        pytest.skip(f"reference data not available: {IR.resolve()} (../shared is absent)")
    return load_bundle(IR)


@pytest.fixture(scope="module")
def us_rok(bundle: DataBundle) -> pd.DataFrame:
    return cohesion_panel("USA", "KOR", 1950, 2022, bundle=bundle).set_index("year")


@pytest.fixture(scope="module")
def rok_unga() -> pd.DataFrame:
    import pyreadr

    table = pyreadr.read_r(str(IR / "stevedata" / "rok_unga.rda"))["rok_unga"]
    return table[table["ccode2"] == 2].set_index("year")


# cohesion.md, "Check values (US–ROK ...)": session-years, roll calls where both voted.
CHECK = {
    2003: (93, 0.280, 0.457, -0.086, 0.094, 0.153, -0.120),
    2006: (112, 0.295, 0.451, -0.098, 0.098, 0.150, -0.115),
}
CHECK_COLUMNS = [
    "un_n", "un_identical", "un_agree", "un_s_abs", "un_kappa_nominal", "un_kappa_quadratic",
    "un_pi_nominal",
]  # fmt: skip


@pytest.mark.parametrize("year", sorted(CHECK))
def test_cohesion_md_check_values(us_rok: pd.DataFrame, year: int) -> None:
    got = us_rok.loc[year, CHECK_COLUMNS].astype(float).round(3).tolist()
    assert got == list(CHECK[year])


def test_pi_below_kappa_every_year(us_rok: pd.DataFrame) -> None:
    un = us_rok.loc[1991:2019]
    assert (un["un_pi_nominal"] < un["un_kappa_nominal"]).all()


def test_quadratic_kappa_equals_rok_unga_where_vote_sets_coincide(
    bundle: DataBundle, rok_unga: pd.DataFrame
) -> None:
    # rok_unga groups by calendar year of the vote and uses a later UN-votes release. Where our
    # identical-vote share equals its `agree` to 3 dp the vote sets coincide; there its quadratic
    # kappa (psych::cohen.kappa) must equal ours to 3 dp.
    panel = cohesion_panel("KOR", "USA", 1991, 2019, bundle=bundle, year_basis="calendar")
    ours = panel.set_index("year")
    theirs = rok_unga.reindex(ours.index)
    same_votes = ours["un_identical"].round(3) == theirs["agree"].round(3)
    assert {1991, 1992, 1993, 1994, 1995, 1996, 2014, 2015, 2018} <= set(ours.index[same_votes])
    pd.testing.assert_series_equal(
        ours.loc[same_votes, "un_kappa_quadratic"].round(3),
        theirs.loc[same_votes, "kappa"].round(3),
        check_names=False,
    )
    assert round(ours.loc[1993, "un_kappa_quadratic"], 3) == 0.118


def test_voeten_agreement_against_rok_unga(us_rok: pd.DataFrame, rok_unga: pd.DataFrame) -> None:
    # v_agree matches our session-year Voeten agreement to 3 dp in 20 of 29 years; the other
    # years differ by <= 0.02 because the two UN-vote releases contain different roll calls.
    ours = us_rok.loc[1991:2019, "un_agree"]
    diff = (ours - rok_unga["v_agree"].reindex(ours.index)).abs()
    assert (diff.round(3) == 0).sum() >= 20 and diff.max() < 0.02


def test_burden_share_and_atop(us_rok: pd.DataFrame) -> None:
    assert us_rok.loc[[2003, 2006], "burden_share_b"].round(4).tolist() == [0.0349, 0.0451]
    assert np.allclose(us_rok["burden_share_a"] + us_rok["burden_share_b"], 1.0)
    assert (us_rok.loc[1953:2018, "atop_tie"] == 3).all()
    assert (us_rok.loc[1950:1952, "atop_tie"] == 0).all()


def test_na_outside_coverage_never_zero(us_rok: pd.DataFrame) -> None:
    atop_cols = [c for c in us_rok.columns if c.startswith("atop_")]
    assert us_rok.loc[2019:2022, atop_cols].isna().all().all()
    assert "outside ATOP coverage" in us_rok.loc[2019, "notes"]
    un_cols = [c for c in us_rok.columns if c.startswith("un_")]
    assert us_rok.loc[2020:2022, un_cols].isna().all().all()
    assert "unvotes: outside coverage" in us_rok.loc[2020, "notes"]
    assert us_rok.loc[1950, "un_n"] == 0 and math.isnan(us_rok.loc[1950, "un_agree"])
    assert "no roll call both voted on" in us_rok.loc[1950, "notes"]  # ROK joined the UN 1991
    assert us_rok.loc[2022, "burden_share_b"] > 0  # NMC runs to 2022


def test_s_is_twice_agreement_minus_one(us_rok: pd.DataFrame) -> None:
    un = us_rok.dropna(subset=["un_agree"])
    assert np.allclose(un["un_s_abs"], 2 * un["un_agree"] - 1)
    for tag in ("atop_bin_", "atop_val_"):
        rows = us_rok.dropna(subset=[f"{tag}agree"])
        assert np.allclose(rows[f"{tag}s_abs"], 2 * rows[f"{tag}agree"] - 1)
    assert (
        us_rok[["un_s_abs", "atop_val_s_abs", "atop_val_s_wcinc"]]
        .stack()
        .dropna()
        .between(-1, 1)
        .all()
    )


def test_symmetric_in_the_dyad(bundle: DataBundle, us_rok: pd.DataFrame) -> None:
    flipped = cohesion_panel("KOR", "USA", 1950, 2022, bundle=bundle).set_index("year")
    pd.testing.assert_frame_equal(flipped[SYMMETRIC], us_rok[SYMMETRIC])
    pd.testing.assert_series_equal(
        flipped["burden_share_a"], us_rok["burden_share_b"], check_names=False
    )


@pytest.mark.parametrize("pair", [("US", "KR"), (2, 732), ("USA", "ROK"), ("2", "732")])
def test_identifier_systems(bundle: DataBundle, us_rok: pd.DataFrame, pair: tuple) -> None:
    panel = cohesion_panel(*pair, 2000, 2005, bundle=bundle).set_index("year")
    pd.testing.assert_frame_equal(panel[SYMMETRIC], us_rok.loc[2000:2005, SYMMETRIC])


def test_germany_code_changes_with_the_year(bundle: DataBundle) -> None:
    panel = cohesion_panel("USA", "DEU", 1988, 1992, bundle=bundle).set_index("year")
    assert panel.loc[1988, "cow_b"] == 260 and panel.loc[1992, "cow_b"] == 255
    assert (panel.loc[[1988, 1992], "un_n"] > 0).all()
    assert (panel.loc[[1988, 1992], "atop_tie"] == 3).all()  # NATO


def test_all_dyads_agrees_with_the_dyad_panel(bundle: DataBundle, us_rok: pd.DataFrame) -> None:
    every = un_all_dyads(bundle.votes, 2003)
    row = every[(every.country_a == "South Korea") & (every.country_b == "United States")]
    assert row["kappa_quadratic"].item() == pytest.approx(us_rok.loc[2003, "un_kappa_quadratic"])
    n_states = bundle.votes.loc[bundle.votes.year == 2003, "country"].nunique()
    assert len(every) == n_states * (n_states - 1) // 2


def _toy_bundle(atop_rows: list[tuple[int, int, int]]) -> DataBundle:
    votes = pd.DataFrame({
        "rcid": [1, 1, 2, 2], "session": 58, "year": 2003,
        "date": pd.Timestamp("2003-10-01"),
        "country": ["United States", "South Korea"] * 2, "country_code": ["US", "KR"] * 2,
        "vote": "yes", "vote_code": 0,
    })  # fmt: skip
    atop = pd.DataFrame(atop_rows, columns=["ccode1", "ccode2", "year"]).assign(
        atop_any=1, atop_value=3
    )
    nmc = pd.DataFrame({"ccode": [2, 732], "year": 2003, "milex": [3.0, 1.0], "cinc": 0.5})
    states = pd.DataFrame({"code": [2, 732], "styear": 1816, "endyear": 9999})
    return DataBundle(votes, atop, nmc, states, version={"toy": {}})


def test_undefined_kappa_is_na_with_reason() -> None:
    # Two-member system, both allied to each other, both always voting yes: every unit sits
    # in one category for both states, so D_e = 0 and kappa/pi are undefined (not 0).
    toy = _toy_bundle([(2, 732, 2003), (732, 2, 2003)])
    row = cohesion_panel("USA", "KOR", 2003, 2003, bundle=toy).iloc[0]
    assert row["un_s_abs"] == 1.0 and math.isnan(row["un_kappa_nominal"])
    assert math.isnan(row["atop_val_kappa_quadratic"]) and row["atop_val_s_abs"] == 1.0
    assert "kappa/pi undefined" in row["notes"] and "atop: kappa undefined" in row["notes"]
    assert row["burden_share_b"] == 0.25


def test_json_csv_table_renderings(us_rok: pd.DataFrame, bundle: DataBundle) -> None:
    panel = cohesion_panel("USA", "KOR", 2017, 2020, bundle=bundle)
    doc = json.loads(render_panel(panel, "json", 2017, 2020))
    assert doc == json.loads(json.dumps(panel_json(panel, 2017, 2020)))
    assert list(doc) == ["dyad", "from", "to", "year_basis", "data_version", "years"]
    assert doc["dyad"] == ["USA", "KOR"] and (doc["from"], doc["to"]) == (2017, 2020)
    assert set(doc["data_version"]) == {"unvotes", "atop", "nmc", "states"}
    assert [y["year"] for y in doc["years"]] == [2017, 2018, 2019, 2020]
    assert doc["years"][2]["atop_tie"] is None and doc["years"][3]["un_agree"] is None
    assert doc["years"][0]["atop_tie"] == 3 and doc["years"][0]["un_n"] == 120
    csv = render_panel(panel, "csv")
    assert csv.splitlines()[0].split(",") == list(panel.columns) and len(csv.splitlines()) == 5
    table = render_panel(panel, "table", 2017, 2020)
    assert table.startswith("Cohesion USA–KOR, 2017–2020") and " NA " in table


def test_command_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format must be"):
        cohesion_command("USA", "KOR", fmt="xml")
    with pytest.raises(DataError, match="file not found"):
        cohesion_command("USA", "KOR", data_dir=tmp_path)
    with pytest.raises(CountryCodeError):
        cohesion_panel("USA", "Atlantis", bundle=_toy_bundle([]))
    with pytest.raises(ValueError, match="before start"):
        cohesion_panel("USA", "KOR", 2019, 1991, bundle=_toy_bundle([]))


def test_docs_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    if not IR.is_dir():
        pytest.skip(f"reference data not available: {IR.resolve()}")
    doc = Path(__file__).resolve().parents[3] / "docs" / "cohesion-data.md"
    result = doctest.testfile(
        str(doc),
        module_relative=False,
        globs={"DATA": str(IR)},
        optionflags=doctest.NORMALIZE_WHITESPACE,
    )
    assert result.failed == 0 and result.attempted >= 4
