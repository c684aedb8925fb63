"""Evidence: for each actor × issue, the sentences that tie the actor to the issue, ranked.

Each sentence is scored against the issue's text (:func:`.issues.issue_query`) with Okapi
BM25 (Robertson & Zaragoza 2009, *Found. Trends Inf. Retr.* 3(4); ``rank-bm25``, k1 = 1.5,
b = 0.75) over the lemmas of all sentences of the articles, and weighted by how closely it
is tied to the actor: 1 if the actor acts in the sentence (subject, possessor, agent),
:data:`MENTIONED` if it is only mentioned there, :data:`NEIGHBOUR` if the previous
or next sentence of the same paragraph does (op-eds often name the actor once, then argue),
:data:`PARAGRAPH` if only the paragraph does, 0 otherwise. The :data:`TOP` best are kept, each
with its file:line and exact text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .actors import DraftActor
from .issues import DraftIssue, issue_query
from .nlp import Sentence, pipeline

__all__ = ["MENTIONED", "NEIGHBOUR", "PARAGRAPH", "TOP", "Evidence", "rank_evidence"]

MENTIONED = 0.7
NEIGHBOUR = 0.5
PARAGRAPH = 0.25
TOP = 3


@dataclass(frozen=True)
class Evidence:
    """One sentence as evidence for (actor, issue): its score, tie and where it is."""

    actor: str
    issue: str
    sentence: Sentence
    score: float
    relevance: float  # BM25 alone
    tie: float

    @property
    def quote(self) -> str:
        return self.sentence.text


def _lemmas(span: Any) -> list[str]:
    return [t.lemma_.lower() if t.lemma_ else t.lower_ for t in span
            if not (t.is_stop or t.is_punct or t.is_space or t.like_num)]


def _ties(actor: DraftActor, sentences: list[Sentence]) -> list[float]:
    """How closely each sentence is tied to ``actor`` (1, NEIGHBOUR, PARAGRAPH or 0)."""
    own = actor.sentences
    acts = {m.sentence for m in actor.mentions if m.agentive}
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


def rank_evidence(sentences: list[Sentence], actors: list[DraftActor],
                  issues: list[DraftIssue], top: int = TOP
                  ) -> dict[tuple[str, str], list[Evidence]]:
    """``(actor id, issue id)`` → up to ``top`` evidence sentences, best first (ties broken
    by reading order). Pairs with no tied, relevant sentence are absent."""
    from rank_bm25 import BM25Okapi

    if not sentences:
        return {}
    corpus = [_lemmas(s.span) or ["_"] for s in sentences]
    bm25 = BM25Okapi(corpus)
    nlp = pipeline()
    relevance = {}
    for d in issues:
        query = _lemmas(nlp(issue_query(d)))
        relevance[d.issue.id] = bm25.get_scores(query) if query else [0.0] * len(sentences)
    out: dict[tuple[str, str], list[Evidence]] = {}
    for a in actors:
        ties = _ties(a, sentences)
        for d in issues:
            rel = relevance[d.issue.id]
            cands = [Evidence(a.id, d.issue.id, s, float(rel[k]) * ties[k], float(rel[k]),
                              ties[k])
                     for k, s in enumerate(sentences) if ties[k] > 0 and rel[k] > 0]
            cands.sort(key=lambda e: (-round(e.score, 9), e.sentence.index))
            if cands and max(e.tie for e in cands[:top]) >= NEIGHBOUR:
                out[(a.id, d.issue.id)] = cands[:top]
    return out
