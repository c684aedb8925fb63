"""Event data (GDELT 1.0, ICEWS) and the CAMEO tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from realpolitik.data.cameo import load_goldstein, load_plover, quad_class
from realpolitik.data.events import GDELT1_COLUMNS, drop_mirrored, load_gdelt1, load_icews


def test_gdelt_goldstein_matches_lookup(ir_dir: Path) -> None:
    events = load_gdelt1(data_dir=ir_dir)
    assert len(events) == 5_865
    assert events["cameo_code"].str.len().min() >= 3  # leading zeros kept ("040")
    table = load_goldstein("gdelt", data_dir=ir_dir).set_index("code")["goldstein"]
    assert len(table) == 311
    assert (events["cameo_code"].map(table) == events["goldstein"]).all()


def test_gdelt_quad_class_matches_column(ir_dir: Path) -> None:
    raw = pd.read_csv(ir_dir / "gdelt" / "gdelt1_georgia_apr2012.csv", dtype={"EventCode": str})
    assert (quad_class(raw["EventCode"]) == raw["QuadClass"].to_numpy()).all()


def test_gdelt_headerless_tsv(ir_dir: Path, tmp_path: Path) -> None:
    src = ir_dir / "gdelt" / "gdelt1_georgia_apr2012.csv"
    raw = pd.read_csv(src, dtype=str, keep_default_na=False, nrows=40)
    assert list(raw.columns) == GDELT1_COLUMNS
    tsv = tmp_path / "20120401.export.CSV"
    raw.to_csv(tsv, sep="\t", header=False, index=False)
    ours = load_gdelt1(path=tsv)
    expected = load_gdelt1(path=src).head(40)
    pd.testing.assert_frame_equal(ours, expected, check_dtype=False)


def test_icews_layouts(ir_dir: Path) -> None:
    tab = load_icews(data_dir=ir_dir)
    rda = load_icews(path=ir_dir / "icews" / "icews_sample.rda")
    assert (len(tab), len(rda)) == (3_705, 4_993)
    mapping = load_goldstein("icews", data_dir=ir_dir).set_index("code")["goldstein"]
    assert (tab["cameo_code"].map(mapping) == tab["goldstein"]).all()
    assert {"USA", "PRK", "KOR", "RUS"} <= set(tab["source"].dropna())
    raw = pd.read_csv(ir_dir / "icews" / "events.2018.sample.tab", sep="\t")
    unmapped = raw.loc[tab["source"].isna().to_numpy(), "Source Country"].dropna()
    assert set(unmapped) <= {"Western Sahara"}  # every named state maps to an ISO3 code


def test_icews_csv_cp1252_matches_rda(ir_dir: Path) -> None:
    csv = load_goldstein("icews", path=ir_dir / "icews" / "cameo-codes.csv")
    rda = load_goldstein("icews", data_dir=ir_dir)
    pd.testing.assert_frame_equal(csv, rda)


def test_drop_mirrored() -> None:
    base = dict(cameo_code="040", story_id=1, sentence=2, goldstein=1.0)
    events = pd.DataFrame([
        dict(base, source="BGD", target="VNM"), dict(base, source="VNM", target="BGD"),
        dict(base, source="VNM", target="BGD", cameo_code="042"),
    ])  # fmt: skip
    assert drop_mirrored(events).index.tolist() == [0, 2]


def test_plover_crosswalk(ir_dir: Path) -> None:
    plover = load_plover(data_dir=ir_dir).set_index("code")
    assert plover.index.is_unique
    assert tuple(plover.loc["0312", ["plover_type", "context"]]) == ("AGREE", "military")
    assert plover.loc["084", "plover_type"] == "RETREAT"
    assert plover.loc["08", "plover_type"] == "CONCEDE"  # first of two root headers
    assert plover.loc["190", "plover_type"] == "ASSAULT"
    assert "01" not in plover.index  # statements are not mapped in draft 0.8
