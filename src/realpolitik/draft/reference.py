"""References to actors that do not name them: pronouns, "the two countries", critics.

Op-eds name an actor once and then argue about it: "Both Washington and Seoul realize ...
They both desire security", "the two governments have also begun negotiations", "Detractors
argue ...". A sentence like that is evidence for the actors it refers to, so
:func:`references` resolves four kinds of reference, each a shallow rule over spaCy's parse
(no coreference model, nothing specific to a region):

1. **The pair.** "the two countries", "both governments", "the two sides" (a noun of
   :data:`PAIR_NOUNS` counted by *two* or *both*), and "bilateral", refer to the article's
   pair: the two states named most often in it (none if the second is named fewer than
   :data:`~.actors.MIN_MENTIONS` times).
2. **They / their / them** refer to the actors named (or themselves referred to by "they")
   in the subject of the previous sentence of the same article — "Mr. Bush and Mr. Roh
   restated ... They spend more time ...".
3. **He / his / she / her** refer to the leader or official named last in the previous
   :data:`PERSON_WINDOW` sentences of the same article, unless the sentence names one.
4. **Voices of a public.** A sentence with a word of :data:`PUBLIC_VOICES` ("critics",
   "detractors", "protest", "poll", "sentiment") refers to the public (a domestic actor
   already found, e.g. from "South Koreans") of each state it names or refers to.

A reference is agentive when the referring word (or the noun of a pair phrase) is a
subject, possessor or agent, as a mention is (:mod:`.actors`); a voice never is. References
resolve to actors already found; they never add an actor.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .actors import MIN_MENTIONS, DraftActor
from .nlp import Sentence

__all__ = ["PAIR_NOUNS", "PERSON_WINDOW", "references"]

PAIR_NOUNS = frozenset({
    "countries", "governments", "nations", "states", "sides", "allies", "partners",
    "militaries", "capitals", "leaders", "presidents", "administrations", "parties"})
"""Plural nouns that, counted by "two" or "both", denote the article's pair of states."""

PERSON_WINDOW = 2
PUBLIC_VOICES = frozenset({
    "critic", "detractor", "opponent", "protester", "protestor", "demonstrator", "voter",
    "poll", "survey", "sentiment", "protest", "demonstration", "opinion"})
"""Lemmas of words that voice a public: the sentence refers to the publics of its states."""
_AGENT_DEPS = {"nsubj", "nsubjpass", "poss", "agent", "csubj"}
_THEY = frozenset({"they", "their", "them", "theirs"})
_HE = frozenset({"he", "his", "him", "she", "her", "hers"})


def _agentive(tok: Any) -> bool:
    return tok.dep_ in _AGENT_DEPS or (tok.dep_ == "conj" and tok.head.dep_ in _AGENT_DEPS)


def _subject_text(span: Any) -> str:
    """The words of the sentence's subjects (of its main verb and of verbs conjoined to it),
    without their modifying clauses and phrases ("critics *in Lisbon*")."""
    heads = [span.root] + [t for t in span.root.children if t.dep_ == "conj"]
    words: list[str] = []

    def walk(t: Any) -> None:
        words.append(t.text)
        for c in t.children:
            if c.dep_ not in ("prep", "relcl", "acl", "appos", "advcl"):
                walk(c)

    for h in heads:
        for t in h.children:
            if t.dep_ in ("nsubj", "nsubjpass"):
                walk(t)
    return " ".join(words)


def _is_pair_phrase(tok: Any) -> bool:
    if tok.lemma_.lower() == "bilateral":
        return True
    if tok.lower_ not in PAIR_NOUNS:
        return False
    return any(c.lower_ in ("two", "both") and c.i < tok.i for c in tok.children)


def _pairs(sentences: list[Sentence], actors: list[DraftActor]) -> dict[int, list[str]]:
    """Article → its two most-named states (in order of first mention), if both are named
    at least MIN_MENTIONS times."""
    counts: dict[int, Counter[str]] = {}
    first: dict[str, int] = {}
    for a in actors:
        if a.role != "state":
            continue
        for m in a.mentions:
            counts.setdefault(sentences[m.sentence].article, Counter())[a.id] += 1
            first[a.id] = min(first.get(a.id, m.sentence), m.sentence)
    out = {}
    for article, c in counts.items():
        top = sorted(c.items(), key=lambda x: (-x[1], first[x[0]]))[:2]
        if len(top) == 2 and top[1][1] >= MIN_MENTIONS:
            out[article] = sorted((a for a, _ in top), key=lambda a: first[a])
    return out


def _refers(tok: Any, k: int, sentences: list[Sentence], pair: list[str],
            acting: list[set[str]], persons: list[list[str]]) -> list[str]:
    """The actors one token refers to (rules 1–3), or []."""
    s = sentences[k]
    w = tok.lower_
    if pair and _is_pair_phrase(tok):
        return pair
    if w in _THEY and k > 0 and sentences[k - 1].article == s.article:
        return sorted(acting[k - 1])
    if w in _HE and not persons[k]:
        for j in range(k - 1, max(-1, k - 1 - PERSON_WINDOW), -1):
            if sentences[j].article != s.article:
                break
            if persons[j]:
                return [persons[j][-1]]
    return []


def references(sentences: list[Sentence], actors: list[DraftActor]
               ) -> dict[str, dict[int, bool]]:
    """Actor id → {sentence index: agentive} for the sentences that refer to the actor
    without naming it (see the module docstring)."""
    named: list[dict[str, bool]] = [{} for _ in sentences]
    texts: list[dict[str, list[str]]] = [{} for _ in sentences]
    persons: list[list[str]] = [[] for _ in sentences]
    for a in actors:
        for m in a.mentions:
            named[m.sentence][a.id] = named[m.sentence].get(a.id, False) or m.agentive
            texts[m.sentence].setdefault(a.id, []).append(m.text)
            if m.kind == "leader":
                persons[m.sentence].append(a.id)
    pairs = _pairs(sentences, actors)
    publics = [a.id for a in actors if a.role == "public"]
    out: dict[str, dict[int, bool]] = {}
    acting: list[set[str]] = [set() for _ in sentences]  # named or "they" in the subject
    for s in sentences:
        k = s.index
        refs: dict[str, bool] = {}
        subject_they: set[str] = set()
        for tok in s.span:
            ids = _refers(tok, k, sentences, pairs.get(s.article, []), acting, persons)
            for i in ids:
                refs[i] = refs.get(i, False) or _agentive(tok)
            if tok.lower_ in _THEY and tok.dep_ in ("nsubj", "nsubjpass"):
                subject_they.update(ids)
        if any(t.lemma_.lower() in PUBLIC_VOICES for t in s.span):
            states = {i for i in [*named[k], *refs] if "_" not in i}
            for p in publics:
                if p.partition("_")[0] in states:
                    refs.setdefault(p, False)
        subject = _subject_text(s.span)
        acting[k] = {i for i, ts in texts[k].items() if any(t in subject for t in ts)}
        acting[k] |= subject_they
        for i, agent in refs.items():
            if i not in named[k]:
                out.setdefault(i, {})[k] = agent
    return out
