"""UN General Assembly votes: row counts from PROVENANCE.md, tidy columns, version record."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from realpolitik.data.unvotes import data_version, load_issues


def test_tidy_votes(unvotes_table: pd.DataFrame) -> None:
    v = unvotes_table
    assert len(v) == 870_109
    assert list(v.columns) == [
        "rcid",
        "session",
        "year",
        "date",
        "country",
        "country_code",
        "vote",
        "vote_code",
    ]
    assert (v["year"] == v["session"] + 1945).all()
    assert v["year"].min() == 1946 and v["year"].max() == 2019
    codes = v.groupby("vote", observed=True)["vote_code"].unique().map(list).to_dict()
    assert codes == {"yes": [0], "abstain": [1], "no": [2]}


def test_historical_states_have_no_iso2(unvotes_table: pd.DataFrame) -> None:
    names = unvotes_table.drop_duplicates("country").set_index("country")["country_code"]
    assert pd.isna(names["Federal Republic of Germany"])
    assert names["German Democratic Republic"] == "DD"
    assert names["Namibia"] == "NA"
    assert (names["South Korea"], names["North Korea"]) == ("KR", "KP")


def test_us_rok_roll_calls_2003(unvotes_table: pd.DataFrame) -> None:
    s58 = unvotes_table[unvotes_table["session"] == 58]
    us = set(s58.loc[s58["country"] == "United States", "rcid"])
    rok = set(s58.loc[s58["country"] == "South Korea", "rcid"])
    assert len(us & rok) == 93  # cohesion.md check table


def test_issues_and_version(ir_dir: Path) -> None:
    issues = load_issues(data_dir=ir_dir)
    assert len(issues) == 5_745 and issues["short_name"].nunique() == 6
    version = data_version(ir_dir)
    assert version["sessions"] == "1-74" and version["roll_calls"] == "6203"
    assert version["sha256"] == "cf814a48bc536e8f"  # SHA256SUMS prefix of un_votes.rda
