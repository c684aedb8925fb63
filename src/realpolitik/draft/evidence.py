"""Evidence: for each actor × issue, the sentences that tie the actor to the issue, ranked.

**Relevance.** Each sentence is scored against the issue's text (:func:`.issues.issue_query`:
name, description, labels, anchors, keywords) with Okapi BM25 (Robertson & Zaragoza 2009,
*Found. Trends Inf. Retr.* 3(4); ``rank-bm25``, k1 = :data:`K1`, b = :data:`B`) over the
content lemmas of all sentences of the articles; a hyphenated token that spaCy keeps whole
("U.S.-ROK", "U.S.-led") is split into its parts, so it matches the words it joins. A
sentence that opens on a word pointing back ("Both are ...", "This puts ...", "The second
is ...", "They ...") is about what the previous sentence of its paragraph said: it adds
:data:`CONTEXT` × that sentence's relevance (itself in context) to its own.

**Tie to the actor.** The relevance is weighted by how closely the sentence is tied to the
actor: 1 if the actor acts in it (subject, possessor, agent), :data:`MENTIONED` if it is
only mentioned there, :data:`NEIGHBOUR` if the previous or next sentence of the same
paragraph names it (op-eds often name the actor once, then argue), :data:`PARAGRAPH` if only
the paragraph does, 0 otherwise. A sentence that refers to the actor without naming it —
"they", "his", "the two countries", "critics" for a public (:mod:`.reference`) — counts as
naming it. The :data:`TOP` best are kept, each with its file:line and exact text.

Measured on the two seed op-eds (docs/draft.md), each of the context rule, the references and
the hyphen split raises evidence recall@3 on one seed without lowering it on the other;
diversity among the top 3 (maximal marginal relevance), saturating repeated query words
and leaving country names out of the query lowered it, so none of these is done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .actors import DraftActor
from .issues import DraftIssue, issue_query
from .nlp import Sentence, pipeline
from .reference import references

__all__ = ["CONTEXT", "MENTIONED", "NEIGHBOUR", "PARAGRAPH", "TOP", "Evidence",
           "rank_evidence"]

MENTIONED = 0.7
NEIGHBOUR = 0.5
PARAGRAPH = 0.25
TOP = 3
CONTEXT = 0.5
"""Share of the previous sentence's relevance a sentence that refers back to it inherits."""
K1 = 1.5
B = 0.75
ANAPHORS = frozenset({"this", "these", "that", "those", "such", "both", "either", "neither",
                      "it", "its", "they", "their", "he", "his", "she", "her", "each"})
"""Opening words that point at the previous sentence ("both" only as a pronoun, not in
"both X and Y")."""
ORDINALS = frozenset({"first", "second", "third", "former", "latter", "same", "last"})
"""Words that, after an opening "the", point back ("The second is designed to ...")."""
_DASHES = re.compile(r"[-‐‑‒–—]")


@dataclass(frozen=True)
class Evidence:
    """One sentence as evidence for (actor, issue): its score, tie and where it is."""

    actor: str
    issue: str
    sentence: Sentence
    score: float
    relevance: float  # BM25 in context (before the tie)
    tie: float

    @property
    def quote(self) -> str:
        return self.sentence.text


def _lemmas(span: Any) -> list[str]:
    """Content lemmas, lower case; a hyphenated token ("U.S.-ROK") split into its parts."""
    out = []
    for t in span:
        if t.is_stop or t.is_punct or t.is_space or t.like_num:
            continue
        lemma = t.lemma_.lower() if t.lemma_ else t.lower_
        parts = [p for p in _DASHES.split(lemma) if p]
        out += parts if len(parts) > 1 else [lemma]
    return out


def _refers_back(span: Any) -> bool:
    """Does the sentence open on a word that points at the previous one ("Both are ...",
    "This puts ...", "The second is ...")? Leading conjunctions and adverbs are skipped."""
    toks = [t for t in span if not (t.is_punct or t.is_space)]
    k = 0
    while k < len(toks) - 1 and toks[k].pos_ in ("CCONJ", "ADV", "SCONJ") and \
            toks[k].lower_ not in ANAPHORS:
        k += 1
    if k >= len(toks):
        return False
    w = toks[k].lower_
    if w in ("both", "either", "neither") and (toks[k].dep_ == "preconj" or (
            k + 1 < len(toks) and any(c.dep_ == "conj" for c in toks[k + 1].children))):
        return False  # "Both X and Y ...": a coordination, not a pointer
    if w in ANAPHORS:
        return True
    return w == "the" and k + 1 < len(toks) and toks[k + 1].lower_ in ORDINALS


def _in_context(rel: Any, sentences: list[Sentence], back: list[bool]) -> Any:
    """Relevance with what a sentence refers back to: + CONTEXT × the previous sentence's
    (itself in context) when the sentence opens on an anaphor in the same paragraph."""
    out = np.array(rel, dtype=float)
    for k in range(1, len(sentences)):
        s, p = sentences[k], sentences[k - 1]
        if back[k] and (s.article, s.paragraph) == (p.article, p.paragraph):
            out[k] += CONTEXT * out[k - 1]
    return out


def _ties(actor: DraftActor, sentences: list[Sentence],
          referred: dict[int, bool] | None = None) -> list[float]:
    """How closely each sentence is tied to ``actor`` (1, MENTIONED, NEIGHBOUR, PARAGRAPH
    or 0); a sentence that refers to the actor (:mod:`.reference`) counts as naming it."""
    referred = referred or {}
    own = actor.sentences | set(referred)
    acts = {m.sentence for m in actor.mentions if m.agentive} | {
        k for k, agent in referred.items() if agent}
    paragraphs = {(sentences[i].article, sentences[i].paragraph) for i in own}
    out = []
    for s in sentences:
        if s.index in acts:
            out.append(1.0)
        elif s.index in own:
            out.append(MENTIONED)
        elif any(j in own and 0 <= j < len(sentences)
                 and (sentences[j].article, sentences[j].paragraph) == (s.article, s.paragraph)
                 for j in (s.index - 1, s.index + 1)):
            out.append(NEIGHBOUR)
        elif (s.article, s.paragraph) in paragraphs:
            out.append(PARAGRAPH)
        else:
            out.append(0.0)
    return out


def _floor_idf(bm25: Any) -> None:
    r"""Give every word in half the sentences or more a small positive weight.

    Okapi BM25's idf, :math:`\log((N - n + 0.5)/(n + 0.5))`, is 0 for a word in exactly half
    the sentences and negative above; rank_bm25 lifts the negative ones to ε × the mean idf
    (Robertson & Zaragoza 2009 discuss the floor) but leaves the zeros, so in a short article
    about one issue its main keyword ("sanctions" in 2 of 4 sentences) scored nothing and the
    issue lost its evidence. Zeros are lifted the same way here (ε × the mean of the
    positive idfs; ε itself when there are none). A word in fewer than half the sentences —
    nearly every keyword of a full article — keeps its idf, so rankings there are unchanged.
    """
    positive = [v for v in bm25.idf.values() if v > 0]
    floor = bm25.epsilon * (sum(positive) / len(positive) if positive else 1.0)
    for word, value in bm25.idf.items():
        if value <= 0:
            bm25.idf[word] = floor


def rank_evidence(sentences: list[Sentence], actors: list[DraftActor],
                  issues: list[DraftIssue], top: int = TOP
                  ) -> dict[tuple[str, str], list[Evidence]]:
    """``(actor id, issue id)`` → up to ``top`` evidence sentences, best first (ties broken
    by reading order). Pairs with no tied, relevant sentence are absent."""
    from rank_bm25 import BM25Okapi

    if not sentences:
        return {}
    corpus = [_lemmas(s.span) or ["_"] for s in sentences]
    bm25 = BM25Okapi(corpus, k1=K1, b=B)
    _floor_idf(bm25)
    nlp = pipeline()
    back = [_refers_back(s.span) for s in sentences]
    relevance = {}
    for d in issues:
        query = _lemmas(nlp(issue_query(d)))
        rel = bm25.get_scores(query) if query else np.zeros(len(sentences))
        relevance[d.issue.id] = _in_context(rel, sentences, back)
    referred = references(sentences, actors)
    out: dict[tuple[str, str], list[Evidence]] = {}
    for a in actors:
        ties = _ties(a, sentences, referred.get(a.id))
        for d in issues:
            rel = relevance[d.issue.id]
            cands = [Evidence(a.id, d.issue.id, s, float(rel[k]) * ties[k], float(rel[k]),
                              ties[k])
                     for k, s in enumerate(sentences) if ties[k] > 0 and rel[k] > 0]
            cands.sort(key=lambda e: (-round(e.score, 9), e.sentence.index))
            if cands and max(e.tie for e in cands[:top]) >= NEIGHBOUR:
                out[(a.id, d.issue.id)] = cands[:top]
    return out
