"""Rebuild ``tables/countrycodes.csv`` from the state lists (a maintainer's tool).

Run ``python -m realpolitik.data._build_countrycodes DATA_DIR`` with ``DATA_DIR`` the
``shared/data/ir`` folder. One row per COW state-system spell (``states/cowstates.rda``),
with

* ``gwn``/``gwc`` — the Gleditsch–Ward state overlapping that spell (``states/gwstates.rda``)
  with the same code, or a documented override (Germany, Yemen, Serbia);
* ``iso3`` — from ``stevedata/rok_unga.rda`` (its ``ccode2``→``iso3c`` pairs), plus
  overrides for states that ended before 1991;
* ``iso2``/``unvotes_name`` — the country name and ISO2 code used in the unvotes tables,
  matched on the COW name (with a short list of spelling overrides).

The output is reviewed by hand and committed; the loaders never run this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from realpolitik.data._io import read_rda

# COW name -> unvotes name where the spellings differ.
_UN_NAMES = {
    "United States of America": "United States",
    "Bosnia and Herzegovina": "Bosnia & Herzegovina",
    "Congo": "Congo - Brazzaville",
    "Democratic Republic of the Congo": "Congo - Kinshasa",
    "Czech Republic": "Czechia",
    "Ivory Coast": "Côte d’Ivoire",
    "Swaziland": "Eswatini",
    "German Federal Republic": "Federal Republic of Germany",
    "Federated States of Micronesia": "Micronesia (Federated States of)",
    "Myanmar": "Myanmar (Burma)",
    "Macedonia": "North Macedonia",
    "St. Kitts and Nevis": "St. Kitts & Nevis",
    "St. Vincent and the Grenadines": "St. Vincent & Grenadines",
    "Sao Tome and Principe": "São Tomé & Príncipe",
    "East Timor": "Timor-Leste",
    "Trinidad and Tobago": "Trinidad & Tobago",
}
# (cown, first spell year) -> ISO codes where rok_unga (1991-) cannot tell us.
_ISO = {
    (255, 1816): ("DE", "DEU"),
    (260, 1955): ("DE", "DEU"),
    (265, 1954): ("DD", "DDR"),
    (678, 1926): ("YE", "YEM"),
    (680, 1967): ("YD", "YMD"),
    (315, 1918): ("CS", "CSK"),
    (315, 1945): ("CS", "CSK"),
    (345, 1878): ("YU", "YUG"),
    (365, 1816): ("RU", "RUS"),
    (347, 2008): ("XK", "XKX"),
    (732, 1949): ("KR", "KOR"),
}
# (cown, first spell year) -> G-W code when the same number is not the same state.
_GW = {(255, 1990): 260, (679, 1990): 678}
_NOTES = {
    255: "COW 255 = Germany to 1945 and again from 1990; G-W codes unified Germany 260",
    260: "West Germany 1955-1990 (COW); G-W 260 continues as unified Germany",
    265: "GDR; ISO DD/DDR withdrawn 1990",
    678: "North Yemen; COW ends it 1990 (unified Yemen = 679); G-W 678 continues",
    679: "unified Yemen from 1990 (COW); G-W keeps 678",
    680: "South Yemen; ISO YD/YMD withdrawn 1990",
    816: "COW 816 = (North) Vietnam, unified Vietnam from 1976",
    817: "Republic of (South) Vietnam to 1975; no ISO code used here",
    730: "Korea to 1905; COW abbreviation KOR is NOT ISO3 KOR (= ROK, 732)",
    731: "North Korea (DPRK), ISO KP/PRK",
    732: "South Korea (ROK), ISO KR/KOR",
    345: "Yugoslavia; Serbia from 2006 (ISO RS/SRB, G-W 340); unvotes keeps 'Yugoslavia'",
    365: "Russia/USSR; unvotes codes the USSR as RU",
}


def build(root: Path) -> pd.DataFrame:
    """Assemble the table from the three source files under ``root``."""
    cow = read_rda(root / "states" / "cowstates.rda")
    gw = read_rda(root / "states" / "gwstates.rda")
    rok = read_rda(root / "stevedata" / "rok_unga.rda")
    votes = read_rda(root / "unvotes" / "un_votes.rda")
    iso3 = dict(zip(rok.ccode2.astype(int), rok.iso3c, strict=False))
    un = votes[["country", "country_code"]].drop_duplicates().set_index("country").country_code
    rows = []
    for rec in cow.to_dict("records"):
        code, start, end = int(rec["cowcode"]), int(str(rec["start"])[:4]), int(str(rec["end"])[:4])
        gwn = _GW.get((code, start), _gw_overlap(gw, code, str(rec["start"]), str(rec["end"])))
        gwc = gw.loc[gw.gwcode == gwn, "gwc"].iloc[0] if gwn is not None else ""
        name = str(rec["country_name"])
        un_name = _UN_NAMES.get(name, name)
        un_name = un_name if un_name in un.index else ""
        i2, i3 = _ISO.get((code, start), (un.get(un_name, ""), iso3.get(code, "")))
        rows.append(
            dict(
                name=name,
                cown=code,
                cowc=rec["cowc"],
                gwn=gwn,
                gwc=gwc,
                iso2="" if pd.isna(i2) else i2,
                iso3=i3,
                unvotes_name=un_name,
                start=start,
                end=end,
                note=_NOTES.get(code, ""),
            )
        )
    table = pd.DataFrame(rows)
    return _split_serbia(table)


def _gw_overlap(gw: pd.DataFrame, code: int, start: str, end: str) -> int | None:
    same = gw[(gw.gwcode == code) & (gw.start.astype(str) <= end) & (gw.end.astype(str) >= start)]
    return code if len(same) else None


def _split_serbia(table: pd.DataFrame) -> pd.DataFrame:
    """COW 345 from 1944: Yugoslavia to 2006 (G-W 345), Serbia after (G-W 340, ISO SRB)."""
    mask = (table.cown == 345) & (table.start == 1944)
    yug: dict[str, object] = {str(k): v for k, v in table[mask].iloc[0].items()}
    srb = dict(yug, start=2006, iso2="RS", iso3="SRB", gwn=340, gwc="SER")
    yug.update(end=2006, iso2="YU", iso3="YUG")
    rest = table[~mask]
    out = pd.concat([rest, pd.DataFrame([yug, srb])], ignore_index=True)
    out["gwn"] = out["gwn"].astype("Int64")
    return out.sort_values(["cown", "start"], kind="stable").reset_index(drop=True)


if __name__ == "__main__":  # pragma: no cover
    root = Path(sys.argv[1])
    dest = Path(__file__).parent / "tables" / "countrycodes.csv"
    build(root).to_csv(dest, index=False)
    print(f"wrote {dest}")
