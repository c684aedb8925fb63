"""Names that denote a country: names, demonyms, capitals (as metonyms) and leaders.

Sources, all offline:

* ``countryinfo`` (MIT; REST Countries data): each country's name, alternative spellings,
  demonym ("South Korean") and capital ("Seoul" for the Seoul government, the usual metonym).
* :mod:`realpolitik.data.countrycodes`: COW state names and abbreviations (``ROK``, ``PRK``),
  matched only when written in capitals.
* A short table of English short forms the first source lacks (``U.S.``, ``America``,
  ``Britain``), listed in :data:`SHORT_FORMS`, and of seats of government and institutions
  named without their country ("the White House", "the Pentagon"), :data:`SEATS`.
* Archigos 4.1 (``peacesciencer/archigos.rda``; Goemans, Gleditsch & Chiozza 2009, *J. Peace
  Research* 46(2)): who led which state when, so that "Mr. Roh" in a 2006 article is the
  South Korean government. Leaders in office within :data:`LEADER_WINDOW` years before the
  article's year (to the year after) are known; the data end in 2015.

A demonym in the plural ("South Koreans") names the people, not the government: the
resolver (:mod:`.actors`) turns it into that country's public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CountryName", "Leader", "LEADER_WINDOW", "SHORT_FORMS", "SEATS", "country_names",
           "leaders"]

LEADER_WINDOW = 10
"""Leaders whose term ended at most this many years before the article's year are known."""

SHORT_FORMS: dict[str, tuple[str, str]] = {
    "U.S.": ("USA", "name"), "U.S.A.": ("USA", "name"), "America": ("USA", "name"),
    "United States": ("USA", "name"), "Americans": ("USA", "people"),
    "U.K.": ("GBR", "name"), "Britain": ("GBR", "name"), "Britons": ("GBR", "people"),
    "Russians": ("RUS", "people"), "Soviet Union": ("RUS", "name"),
}
"""Common English short forms missing from ``countryinfo``: alias → (ISO3, kind)."""

SEATS: dict[str, tuple[str, str]] = {
    "White House": ("USA", "capital"), "Kremlin": ("RUS", "capital"),
    "Downing Street": ("GBR", "capital"), "Elysee": ("FRA", "capital"),
    "Élysée": ("FRA", "capital"), "Zhongnanhai": ("CHN", "capital"),
    "Pentagon": ("USA", "institution:military"), "Bundeswehr": ("DEU", "institution:military"),
    "People's Liberation Army": ("CHN", "institution:military"),
    "Bundestag": ("DEU", "institution:legislature"), "Duma": ("RUS", "institution:legislature"),
    "Knesset": ("ISR", "institution:legislature"), "Sejm": ("POL", "institution:legislature"),
    "Verkhovna Rada": ("UKR", "institution:legislature"),
    "National People's Congress": ("CHN", "institution:legislature"),
    "Lok Sabha": ("IND", "institution:legislature"), "Riksdag": ("SWE", "institution:legislature"),
    "Storting": ("NOR", "institution:legislature"),
    "Folketing": ("DNK", "institution:legislature"),
}
"""Seats of government and institutions named without their country, the usual metonyms of
news writing ("the White House", "the Kremlin" for the government; "the Pentagon", "the
Bundestag" for a domestic actor): alias → (ISO3, kind), ``institution:<role>`` for a domestic
actor of that role (:data:`realpolitik.draft.actors.ROLES`). Only names that denote one country
are listed ("Congress" and "Diet" need a country beside them)."""

_NO_PLURAL = ("ese", "sh", "ch", "ss", "s")


@dataclass(frozen=True)
class CountryName:
    """One alias: the text, the ISO3 code and its kind (name, demonym, people, capital, code)."""

    text: str
    iso3: str
    kind: str


@dataclass(frozen=True)
class Leader:
    """An Archigos leader spell: the name as coded, ISO3 of the state, first and last year."""

    name: str
    iso3: str
    start: int
    end: int

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(t for t in re.split(r"[\s\-.]+", self.name) if len(t) > 1)


def _plural(demonym: str) -> str | None:
    return None if demonym.endswith(_NO_PLURAL) else demonym + "s"


@lru_cache(maxsize=1)
def country_names() -> tuple[CountryName, ...]:
    """Every alias of every country, longest first (so "South Korea" wins over "Korea")."""
    from countryinfo import all_countries

    from realpolitik.data.countrycodes import country_table

    out: dict[str, CountryName] = {}
    shared: dict[str, list[CountryName]] = {}  # demonyms several countries claim
    table = country_table()
    states = {str(r.iso3) for r in table.itertuples() if r.iso3 and int(r.end) >= 1946}
    names = {}

    def add(text: str, iso3: str, kind: str) -> None:
        text = text.strip()
        if len(text) < 3:
            return
        if kind in ("demonym", "people") and text in out and out[text].kind == kind:
            shared.setdefault(text, [out[text]]).append(CountryName(text, iso3, kind))
        if text not in out:
            out[text] = CountryName(text, iso3, kind)

    for alias, (iso3, kind) in {**SHORT_FORMS, **SEATS}.items():
        add(alias, iso3, kind)
    entries = [c.info() for c in all_countries()]
    for info in entries:
        names[str((info.get("ISO") or {}).get("alpha3") or "")] = str(info.get("name", ""))
    for info in entries:
        iso3 = str((info.get("ISO") or {}).get("alpha3") or "")
        if not iso3:
            continue
        add(str(info.get("name", "")), iso3, "name")
        for alt in info.get("altSpellings") or []:
            if alt.isascii() and (len(alt) > 3 or alt.isupper()) and "," not in alt:
                add(alt, iso3, "code" if alt.isupper() else "name")
        dem = str(info.get("demonym") or "")
        if dem.isascii() and dem:
            add(dem, iso3, "demonym")
            plural = _plural(dem)
            if plural:
                add(plural, iso3, "people")
    for info in entries:  # capitals last: a country's own name wins a clash ("Singapore")
        code = str((info.get("ISO") or {}).get("alpha3") or "")
        cap = str(info.get("capital") or "")
        if code and cap.isascii() and cap:
            add(cap, code, "capital")
            short = re.sub(r",?\s*D\.?C\.?$", "", cap)
            if short != cap:
                add(short, code, "capital")
    for row in table.itertuples():
        if row.iso3 and int(row.end) >= 1946:
            add(str(row.name), str(row.iso3), "name")
            add(str(row.cowc), str(row.iso3), "code")
    for text, claims in shared.items():
        out[text] = _likeliest(text, claims, states, names)
    return tuple(sorted(out.values(), key=lambda c: (-len(c.text), c.text)))


def _likeliest(text: str, claims: list[CountryName], states: set[str],
               names: dict[str, str]) -> CountryName:
    """The country a demonym several countries share most likely means: a state of the COW
    system (since 1946) before a territory ("American": the United States, not the Northern
    Mariana Islands; "Indian": India, not the British Indian Ocean Territory), then one whose
    name contains the word ("Dominican": the Dominican Republic, not Dominica), then the
    first listed."""
    stem = text[:-1] if text.endswith("s") and claims[0].kind == "people" else text
    return min(claims, key=lambda c: (c.iso3 not in states,
                                      stem.lower() not in names.get(c.iso3, "").lower(),
                                      claims.index(c)))


@lru_cache(maxsize=8)
def leaders(year: int, data_dir: str | None = None) -> tuple[Leader, ...]:
    """Archigos leaders in office between ``year - LEADER_WINDOW`` and ``year + 1``.

    Empty (not an error) when the data are absent: the draft then records that leaders were
    not resolved.
    """
    from realpolitik.data._io import DataError, locate, read_rda
    from realpolitik.data.countrycodes import CountryCodeError, convert

    try:
        frame = read_rda(locate("peacesciencer/archigos.rda", None, data_dir))
    except DataError:
        return ()
    out = []
    for row in frame.itertuples():
        start, end = row.startdate.year, row.enddate.year
        if end < year - LEADER_WINDOW or start > year + 1:
            continue
        try:
            iso3 = convert(int(row.gwcode), "iso3", year=min(max(year, start), end), code="gwn")
        except (CountryCodeError, ValueError):
            continue
        if iso3:
            out.append(Leader(str(row.leader), str(iso3), start, end))
    return tuple(out)
