"""Event data in GDELT 1.0 and ICEWS layouts, normalised to one tidy event table.

Inputs:

* GDELT 1.0 events (``gdelt/gdelt1_georgia_apr2012.csv``): the 57/58-column GDELT 1.0 schema,
  either comma-separated with a header row (as in the sample) or GDELT's own headerless
  tab-separated daily files (the schema's column names are then applied).
* ICEWS events, either the raw Dataverse TSV (``icews/events.2018.sample.tab``: ``Event ID``,
  ``CAMEO Code``, ``Intensity``…) or the ``icews`` R package's ``icews_sample.rda``
  (snake_case columns).

Output of both loaders (one row per event):

===============  ===========================================================
column           meaning
===============  ===========================================================
event_id         source event id
date             event date (datetime64)
source, target   ISO3 code of the actors' country (NA if none/unknown)
source_state,    True if the actor is a state actor (GDELT: the country itself
target_state     or type GOV/MIL; ICEWS: the country itself or a Government,
                 Military or Executive sector)
cameo_code       CAMEO event code (string, leading zeros kept)
goldstein        Goldstein weight (GDELT ``GoldsteinScale``; ICEWS ``Intensity``)
quad_class       1 verbal coop., 2 material coop., 3 verbal conflict, 4 material
                 conflict
is_root          GDELT ``IsRootEvent`` (always True for ICEWS)
weight           GDELT ``NumArticles`` (1 for ICEWS)
story_id,        ICEWS story and sentence (NA for GDELT), used to drop mirrored
sentence         duplicates
===============  ===========================================================

References
----------
.. [1] Leetaru, K. & Schrodt, P. A. (2013). GDELT: Global data on events, location and tone.
   ISA Annual Convention.
.. [2] Boschee, E. et al. (2015). ICEWS Coded Event Data. Harvard Dataverse,
   doi:10.7910/DVN/28075.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from realpolitik.data._io import PathLike, locate, read_rda, read_table, require_columns
from realpolitik.data.cameo import quad_class
from realpolitik.data.countrycodes import country_table

__all__ = ["GDELT1_COLUMNS", "EVENT_COLUMNS", "load_gdelt1", "load_icews", "drop_mirrored"]

GDELT1_COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]
"""The GDELT 1.0 event schema (58 columns; files before April 2013 lack SOURCEURL)."""

EVENT_COLUMNS = [
    "event_id",
    "date",
    "source",
    "target",
    "source_state",
    "target_state",
    "cameo_code",
    "goldstein",
    "quad_class",
    "is_root",
    "weight",
    "story_id",
    "sentence",
]

_CODE_COLS = {"EventCode": str, "EventBaseCode": str, "EventRootCode": str}
_ICEWS_RENAME = {
    "Event ID": "event_id",
    "Event Date": "event_date",
    "Source Name": "source_name",
    "Source Sectors": "source_sectors",
    "Source Country": "source_country",
    "CAMEO Code": "cameo_code",
    "Intensity": "intensity",
    "Target Name": "target_name",
    "Target Sectors": "target_sectors",
    "Target Country": "target_country",
    "Story ID": "story_id",
    "Sentence Number": "sentence_number",
}
_ICEWS_ALIASES = {
    "Russian Federation": "RUS",
    "Occupied Palestinian Territory": "PSE",
    "Macedonia": "MKD",
    "Czech Republic": "CZE",
    "Congo, Democratic Republic of": "COD",
    "Congo": "COG",
    "Cote d'Ivoire": "CIV",
    "Hong Kong": "HKG",
    "Taiwan": "TWN",
    "Myanmar": "MMR",
    "Bosnia and Herzegovina": "BIH",
    "Serbia": "SRB",
    "Kosovo": "XKX",
    "Vietnam": "VNM",
    "the former Yugoslav Republic of Macedonia": "MKD",
    "Democratic Republic of Congo": "COD",
    "Moldova, Republic of": "MDA",
    "Holy See": "VAT",
}
_STATE_SECTORS = ("Government", "Military", "Executive")


def _read_gdelt(target: Path) -> pd.DataFrame:
    with open(target, encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
    sep = "\t" if "\t" in first else ","
    has_header = first.lstrip('"').startswith("GLOBALEVENTID")
    names = None if has_header else GDELT1_COLUMNS[: first.count(sep) + 1]
    return read_table(
        target,
        sep=sep,
        header=0 if has_header else None,
        names=names,
        dtype=_CODE_COLS,
        keep_default_na=False,
        na_values=["", "NA"],
        low_memory=False,
    )


def load_gdelt1(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Load GDELT 1.0 events into the common layout (see module docstring)."""
    target = locate("gdelt/gdelt1_georgia_apr2012.csv", path, data_dir)
    raw = _read_gdelt(target)
    need = [
        "GLOBALEVENTID",
        "SQLDATE",
        "Actor1Code",
        "Actor1CountryCode",
        "Actor2Code",
        "Actor2CountryCode",
        "IsRootEvent",
        "EventCode",
        "GoldsteinScale",
        "NumArticles",
    ]
    require_columns(raw, need, target)

    def state(n: int) -> pd.Series:
        kind = raw.get(f"Actor{n}Type1Code", pd.Series(index=raw.index, dtype=object))
        own = raw[f"Actor{n}Code"] == raw[f"Actor{n}CountryCode"]
        return (own | kind.isin(["GOV", "MIL"])).fillna(False).astype(bool)

    out = pd.DataFrame(
        {
            "event_id": raw["GLOBALEVENTID"],
            "date": pd.to_datetime(raw["SQLDATE"].astype(str), format="%Y%m%d", errors="coerce"),
            "source": raw["Actor1CountryCode"],
            "target": raw["Actor2CountryCode"],
            "source_state": state(1),
            "target_state": state(2),
            "cameo_code": raw["EventCode"].astype(str),
            "goldstein": pd.to_numeric(raw["GoldsteinScale"], errors="coerce"),
            "quad_class": quad_class(raw["EventCode"]),
            "is_root": raw["IsRootEvent"].astype(int).astype(bool),
            "weight": pd.to_numeric(raw["NumArticles"], errors="coerce"),
            "story_id": pd.NA,
            "sentence": pd.NA,
        }
    )
    return out[EVENT_COLUMNS]


def _icews_iso3(names: pd.Series) -> pd.Series:
    table = country_table()
    table = table[table["iso3"] != ""].sort_values("end")  # latest spell wins
    lookup = dict(zip(table["name"], table["iso3"], strict=True))
    lookup.update(zip(table["unvotes_name"], table["iso3"], strict=True))
    lookup.pop("", None)
    lookup.update(_ICEWS_ALIASES)
    return names.map(lookup)


def load_icews(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Load ICEWS events (raw ``.tab`` TSV or ``icews_sample.rda``) into the common layout.

    Country names are mapped to ISO3 through the country-code table plus a short alias list;
    names that are not states (e.g. ``"International"``) give NA.
    """
    target = locate("icews/events.2018.sample.tab", path, data_dir)
    if target.suffix.lower() == ".rda":
        raw = read_rda(target)
    else:
        raw = read_table(
            target, sep="\t", dtype={"CAMEO Code": str}, keep_default_na=False, na_values=["", "NA"]
        ).rename(columns=_ICEWS_RENAME)
    require_columns(raw, list(_ICEWS_RENAME.values()), target)

    def state(side: str) -> pd.Series:
        sectors = raw[f"{side}_sectors"].fillna("").astype(str)
        own = raw[f"{side}_name"] == raw[f"{side}_country"]
        return (own | sectors.str.contains("|".join(_STATE_SECTORS))).astype(bool)

    out = pd.DataFrame(
        {
            "event_id": raw["event_id"],
            "date": pd.to_datetime(raw["event_date"].astype(str)),
            "source": _icews_iso3(raw["source_country"]),
            "target": _icews_iso3(raw["target_country"]),
            "source_state": state("source"),
            "target_state": state("target"),
            "cameo_code": raw["cameo_code"].astype(str).str.zfill(3),
            "goldstein": pd.to_numeric(raw["intensity"], errors="coerce"),
            "quad_class": quad_class(raw["cameo_code"].astype(str).str.zfill(3)),
            "is_root": True,
            "weight": 1.0,
            "story_id": raw["story_id"],
            "sentence": raw["sentence_number"],
        }
    )
    return out[EVENT_COLUMNS]


def drop_mirrored(events: pd.DataFrame) -> pd.DataFrame:
    """Drop ICEWS mirrored duplicates: same story and sentence, same CAMEO code, source and
    target reversed (the second of each pair is dropped). Rows without a story id are kept."""
    key = ["story_id", "sentence", "cameo_code"]
    has_story = events[["story_id", "source", "target"]].notna().all(axis=1)
    ev = events[has_story].reset_index()
    pair = ev.merge(
        ev,
        left_on=[*key, "source", "target"],
        right_on=[*key, "target", "source"],
        suffixes=("", "_m"),
    )
    drop = set(pair.loc[pair["index"] > pair["index_m"], "index"])
    return events[~events.index.isin(drop)]
