"""A country's "public opinion" is its public (invented text; the seeds do not use the phrase)."""

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
