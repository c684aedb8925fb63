"""Actors named without a country name: "public opinion", seats of government, institutions
(invented texts; the seeds use few of these)."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from realpolitik.draft.actors import find_actors  # noqa: E402
from realpolitik.draft.nlp import sentences  # noqa: E402
from realpolitik.draft.text import parse_article  # noqa: E402


def test_public_opinion_is_the_countrys_public():
    text = ("Turkish public opinion is hostile to the United States. French opinion backs the "
            "government. The opinion of the court was not published.")
    kept, minor = find_actors(sentences([parse_article(text, "a.txt", "a")]), 2019, None)
    ids = {a.id for a in kept} | {a.id for a in minor}
    assert {"TUR_public", "FRA_public"} <= ids
    assert not any(i.endswith("_public") and i not in ("TUR_public", "FRA_public") for i in ids)


def test_seats_of_government_and_named_institutions():
    """News metonyms that name no country: "the White House" and "the Kremlin" are the
    governments; "the Pentagon" and "the Bundestag" domestic actors of theirs."""
    text = ("The White House pressed Berlin to spend more. The Kremlin dismissed the dispute. "
            "The Pentagon drew up plans. The Bundestag will vote on the budget.")
    kept, minor = find_actors(sentences([parse_article(text, "a.txt", "a")]), 2015, None)
    aliases = {a.id: set(a.aliases) for a in [*kept, *minor]}
    assert "White House" in aliases["USA"] and "Kremlin" in aliases["RUS"]
    assert aliases["USA_military"] == {"Pentagon"}
    assert aliases["DEU_legislature"] == {"Bundestag"}
