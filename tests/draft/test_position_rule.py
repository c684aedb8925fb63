"""The stated-direction rule reads negation and whose preference it is (invented texts, so
nothing here is fitted to the seeds): "opposes the withdrawal" is a vote against withdrawal,
"no operation" in a label speaks for the other end, and a preference stated by another actor
in the same sentence is not the actor's."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from realpolitik.draft.build import draft  # noqa: E402
from realpolitik.draft.issues import read_issues  # noqa: E402

ISSUES = """
issues:
- id: troops
  name: U.S. troops in Europe
  scale: [0, 100]
  low_label: U.S. troops stay in Europe
  high_label: withdrawal of U.S. troops from Europe
  keywords: [troops, withdrawal, Europe]
- id: syria
  name: Turkish operation in Syria
  scale: [0, 100]
  low_label: no operation; Kurdish militia protected
  high_label: full offensive and buffer zone
  keywords: [Syria, operation, offensive, buffer zone]
- id: sanctions
  name: Sanctions on North Korea
  scale: [0, 100]
  low_label: engagement and aid
  high_label: sanctions and pressure
  keywords: [sanctions, North Korea, pressure]
"""


#: A second actor on each issue (an issue needs two), stating no preference.
OTHERS = ("Poland has said little about the troops in Europe. Russia watches the operation in "
          "Syria. China has talked about sanctions and pressure on North Korea.")


def _positions(tmp_path, text: str) -> dict[tuple[str, str], tuple[float, str]]:
    art = tmp_path / "article.txt"
    art.write_text(f"{text} {OTHERS}", encoding="utf-8")
    issues = tmp_path / "issues.yaml"
    issues.write_text(ISSUES, encoding="utf-8")
    sc = draft([art], read_issues(issues), year=2019).scenario
    return {(s.actor, s.issue): (s.position, s.provenance["position"].method or "")
            for s in sc.stances}


@pytest.mark.parametrize(("text", "actor", "issue", "expected"), [
    ("Germany opposes the withdrawal of U.S. troops from Europe.", "DEU", "troops", 25.0),
    ("Germany wants the withdrawal of U.S. troops from Europe.", "DEU", "troops", 75.0),
    ("The Turkish parliament has voted to support the operation in Syria.",
     "TUR_legislature", "syria", 75.0),
    ("Germany does not want the withdrawal of U.S. troops from Europe.", "DEU", "troops", 25.0),
    ("Germany never sought the withdrawal of U.S. troops from Europe.", "DEU", "troops", 25.0),
    # "sanctions" is in half the sentences here: Okapi's idf of it is 0 unless floored
    ("Japan does not want sanctions on North Korea.", "JPN", "sanctions", 25.0),
    ("Japan wants sanctions on North Korea.", "JPN", "sanctions", 75.0),
])
def test_direction_reads_negation(tmp_path, text, actor, issue, expected):
    got = _positions(tmp_path, text)
    value, method = got[(actor, issue)]
    assert method.startswith("rule: stated direction"), got
    assert value == expected


def test_anothers_preference_is_not_the_actors(tmp_path):
    got = _positions(tmp_path, "Turkey wants a buffer zone and a full offensive in Syria, "
                               "against the Kurdish militia that the United States armed.")
    assert got[("TUR", "syria")] == (75.0, "rule: stated direction (high end), confidence low")
    value, method = got[("USA", "syria")]
    assert (value, method) == (50.0, "placeholder: scale midpoint")


def test_articles_that_tie_no_issue_to_two_actors_are_a_clear_error(tmp_path):
    from realpolitik.draft.text import ArticleError

    art = tmp_path / "one.txt"
    art.write_text("Germany opposes the withdrawal of U.S. troops from Europe.", encoding="utf-8")
    issues = tmp_path / "issues.yaml"
    issues.write_text(ISSUES, encoding="utf-8")
    with pytest.raises(ArticleError, match="no issue is tied to two actors or more"):
        draft([art], read_issues(issues), year=2019)


def test_a_word_in_half_the_sentences_keeps_a_positive_weight():
    from rank_bm25 import BM25Okapi

    from realpolitik.draft.evidence import _floor_idf

    corpus = [["sanction", "japan"], ["troop", "poland"], ["operation", "russia"],
              ["sanction", "china"]]
    bm25 = BM25Okapi(corpus)
    rare = bm25.idf["troop"]
    assert bm25.idf["sanction"] == 0.0  # the library's value: log(2.5 / 2.5)
    _floor_idf(bm25)
    assert 0 < bm25.idf["sanction"] < rare and bm25.idf["troop"] == rare
    assert bm25.get_scores(["sanction"])[0] > 0 == bm25.get_scores(["sanction"])[1]


ISLANDS = """
issues:
- id: islands
  name: Sovereignty over the disputed islands
  scale: [0, 100]
  low_label: Japan's administration unchallenged; no talks on sovereignty
  high_label: sovereignty negotiated or transferred to China
  keywords: [islands, sovereignty, dispute]
- id: hotline
  name: Crisis-management mechanism
  scale: [0, 100]
  low_label: no mechanism
  high_label: hotline and regular talks
  keywords: [hotline, crisis-management, talks]
"""


def test_two_preferences_in_one_sentence_are_read_apart(tmp_path):
    """"wants a hotline but rejects talks on sovereignty": the hotline is wanted (high end of
    the hotline issue), talks on sovereignty are rejected (low end of the islands issue); the
    label's "China" says who, not which policy, and does not pull "with China" to the high end."""
    art = tmp_path / "a.txt"
    art.write_text("Japan wants a crisis-management hotline with China but rejects any talks "
                   "on sovereignty over the islands. China insists on talks about the islands "
                   "and the hotline.", encoding="utf-8")
    issues = tmp_path / "issues.yaml"
    issues.write_text(ISLANDS, encoding="utf-8")
    sc = draft([art], read_issues(issues), year=2014).scenario
    got = {(s.actor, s.issue): s.position for s in sc.stances}
    assert got[("JPN", "islands")] == 25.0 and got[("JPN", "hotline")] == 75.0


def test_a_demonym_several_countries_share_means_the_state():
    from realpolitik.draft.gazetteer import country_names

    names = {c.text: c.iso3 for c in country_names()}
    assert names["American"] == "USA" and names["Americans"] == "USA"  # not the N. Marianas
    assert names["Indian"] == "IND"  # not the British Indian Ocean Territory
    assert names["Dominican"] == "DOM"  # the Dominican Republic, not Dominica
