"""Proxies for capability, salience and (sometimes) position, each labelled as a proxy.

* **Capability** of a state: its COW CINC score (Singer, Bremer & Stuckey 1972; NMC 7.0) in
  the draft's year (the latest earlier year if that one is missing), scaled so the strongest
  drafted state is 100. Domestic actors have no CINC: they get a placeholder, a quarter of
  their state's value, flagged ``needs: capability``.
* **Salience**: the share of the actor's evidence that concerns the issue — the summed
  evidence scores of its top sentences on the issue over those on its most-evidenced issue,
  × 100 (so each actor's most-discussed issue is 100). A proxy for attention, not for stakes.
* **Position**: left to the analyst (the scale's midpoint as a placeholder, flagged ``needs:
  position``) unless the **stated-direction rule** fires: a top sentence that mentions the
  actor and states a preference (:data:`PREFERENCE_CUES`) shares more content words with one
  end of the scale (its label and the anchors on that side) than with the other. The position
  is then the quarter of the scale on that side (25 or 75 on 0–100), confidence low.
  Negation is read from the parse, both ways: a word negated in a label or anchor ("no
  operation", "without sanctions") speaks for the *other* end, and a preference that is
  negative ("oppose", "reject", "resist") or negated ("does not want", "never sought") points
  away from the end its words share — "Germany opposes the withdrawal" is not a vote for
  withdrawal. A sentence stating several preferences ("wants a hotline but rejects talks on
  sovereignty") is read preference by preference, each on its own object, before the whole
  sentence. Country names in a label ("transferred to China") say who, not which policy, and
  do not count.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from realpolitik.scenario import Issue

from .evidence import Evidence

__all__ = ["PREFERENCE_CUES", "NEGATIVE_CUES", "Estimate", "capabilities", "saliences",
           "position"]

PREFERENCE_CUES = frozenset({
    "prefer", "want", "favor", "favour", "seek", "support", "insist", "demand", "push",
    "urge", "propose", "oppose", "reject", "resist", "intend", "plan", "wish", "desire",
    "tolerate", "advocate", "back"})
"""Lemmas of verbs that state what an actor wants."""

NEGATIVE_CUES = frozenset({"oppose", "reject", "resist"})
"""Preference verbs whose object is what the actor does *not* want."""


def _negated(token: Any) -> bool:
    """A token negated in the parse: a ``neg`` child ("not", "never"), the determiner "no",
    or the object of "without"."""
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children):
        return True
    return token.dep_ == "pobj" and token.head.lower_ == "without"


@dataclass(frozen=True)
class Estimate:
    """A drafted number with how it was obtained and what the analyst still needs to do."""

    value: float
    method: str
    note: str = ""
    quote: str | None = None
    source: str | None = None
    line: int | None = None


def capabilities(actors: list[Any], year: int | None, data_dir: str | None
                 ) -> tuple[dict[str, Estimate], bool]:
    """Capability per actor id, and whether NMC data were used."""
    from realpolitik.data._io import DataError
    from realpolitik.data.countrycodes import CountryCodeError, to_cow
    from realpolitik.data.nmc import load_nmc

    cinc: dict[str, tuple[float, int]] = {}
    used = False
    if year is not None:
        try:
            nmc = load_nmc(data_dir=data_dir)
            used = True
        except DataError:
            nmc = None
        for a in actors:
            if a.role != "state" or nmc is None:
                continue
            try:
                ccode = to_cow(a.country, year=year, code="iso3")
            except CountryCodeError:
                continue
            rows = nmc[(nmc.ccode == ccode) & (nmc.year <= year)].dropna(subset=["cinc"])
            if not rows.empty:
                last = rows.iloc[-1]
                cinc[a.id] = (float(last.cinc), int(last.year))
    top = max((c for c, _ in cinc.values()), default=0.0)
    out: dict[str, Estimate] = {}
    for a in actors:
        if a.id in cinc and top > 0:
            c, y = cinc[a.id]
            out[a.id] = Estimate(round(100 * c / top, 1), f"proxy: COW NMC CINC {y}",
                                 f"CINC {c:.4f}; scaled so the strongest drafted state = 100")
    for a in actors:
        if a.id in out:
            continue
        host = out.get(a.country)
        if a.role != "state" and host is not None:
            out[a.id] = Estimate(round(host.value / 4, 1),
                                 "placeholder: a quarter of its state's capability",
                                 "needs: capability (a domestic actor has no CINC)")
        else:
            out[a.id] = Estimate(10.0, "placeholder: no capability data",
                                 "needs: capability (no CINC for this actor and year)")
    return out, used


def saliences(evidence: dict[tuple[str, str], list[Evidence]]) -> dict[tuple[str, str], Estimate]:
    """Salience per (actor, issue) from the share of the actor's evidence on the issue."""
    mass = {k: sum(e.score for e in ev) for k, ev in evidence.items()}
    best: dict[str, float] = {}
    for (actor, _), m in mass.items():
        best[actor] = max(best.get(actor, 0.0), m)
    out = {}
    for (actor, issue), m in mass.items():
        value = max(5.0, round(100 * m / best[actor])) if best[actor] > 0 else 5.0
        top = evidence[(actor, issue)][0].sentence
        out[(actor, issue)] = Estimate(
            value, "proxy: share of the actor's evidence on this issue",
            "salience as attention in the articles, not stakes; review", top.text,
            top.source_id, top.line)
    return out


def _pole_words(issue: Issue, nlp: Any) -> tuple[set[str], set[str]]:
    mid = (issue.low + issue.high) / 2
    low, high = [issue.low_label], [issue.high_label]
    for k, text in issue.anchors.items():
        try:
            v = float(k)
        except ValueError:
            continue
        (low if v < mid else high if v > mid else []).append(text)

    countries = _country_texts()

    def words(texts: list[str]) -> tuple[set[str], set[str]]:
        """(words, negated words) of a pole's texts."""
        said: set[str] = set()
        denied: set[str] = set()
        for doc in nlp.pipe(t for t in texts if t):
            who = {t.i for ent in doc.ents if ent.text in countries for t in ent}
            for t in doc:  # countries ("transferred to China") say who, not which policy
                if t.is_alpha and not t.is_stop and t.i not in who:
                    (denied if _negated(t) else said).add(t.lemma_.lower())
        return said, denied

    (lw, lneg), (hw, hneg) = words(low), words(high)
    lw, hw = lw | hneg, hw | lneg  # "no operation" at one end speaks for the other
    return lw - hw, hw - lw


@lru_cache(maxsize=1)
def _country_texts() -> frozenset[str]:
    """Names, demonyms and peoples of every country (who, not which policy, in a label)."""
    from .gazetteer import country_names

    return frozenset(c.text for c in country_names() if c.kind in ("name", "demonym", "people"))


def _subject(verb: Any) -> str | None:
    """The text of a verb's subject, climbing from a complement to the verb that has one
    ("the parliament voted to support" → "The parliament"); None if the parse has none."""
    t = verb
    for _ in range(4):
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return " ".join(x.text for x in subj.subtree)
        if t.dep_ not in ("xcomp", "ccomp", "conj", "advcl") or t.head is t:
            return None
        t = t.head
    return None


_OBJECTS = frozenset({"dobj", "obj", "xcomp", "ccomp", "prep", "attr", "oprd", "acomp",
                      "dative"})


def _object_words(verb: Any) -> set[str]:
    """Lemmas of what a preference verb is about: its complements, not its subject nor a
    verb coordinated with it."""
    return {t.lemma_.lower() for c in verb.children if c.dep_ in _OBJECTS
            for t in c.subtree if t.is_alpha}


def _theirs(cue: Any, names: Collection[str]) -> bool:
    """Whether the preference is the actor's: its subject names the actor (one of ``names``,
    the actor's mentions), or the parse gives no subject to tell (then the sentence's tie to
    the actor decides, as before)."""
    subject = _subject(cue)
    if subject is None or not names:
        return True
    low = subject.lower()
    return any(n.lower() in low or low in n.lower() for n in names if n)


def position(issue: Issue, evidence: list[Evidence], nlp: Any,
             names: Collection[str] = ()) -> Estimate:
    """The stated-direction rule (module docstring), else the midpoint placeholder.

    ``names``: how the actor is mentioned in the articles; a preference whose subject is
    someone else ("Turkey wants a buffer zone, which the United States opposes" is Turkey's
    preference, not the United States') does not fire the rule for the actor."""
    low_words, high_words = _pole_words(issue, nlp)
    width = issue.high - issue.low
    for e in evidence:
        if e.tie < 1:
            continue
        cues = [t for t in e.sentence.span if t.lemma_.lower() in PREFERENCE_CUES
                and _theirs(t, names)]
        if not cues:
            continue
        # one preference: read on the whole sentence; several ("wants a hotline but rejects
        # talks on sovereignty"): each on its own object first, then the whole sentence
        sentence = {t.lemma_.lower() for t in e.sentence.span if t.is_alpha}
        own = [(c, _object_words(c)) for c in cues] if len(cues) > 1 else []
        readings = [*own, (cues[0], sentence)]
        decided = next(((c, len(w & low_words), len(w & high_words)) for c, w in readings
                        if len(w & low_words) != len(w & high_words)), None)
        if decided is not None:
            cue, lo, hi = decided
            side = "low" if lo > hi else "high"
            if (cue.lemma_.lower() in NEGATIVE_CUES) != _negated(cue):  # wants the other end
                side = "high" if side == "low" else "low"
            value = issue.low + (0.25 if side == "low" else 0.75) * width
            label = issue.low_label if side == "low" else issue.high_label
            return Estimate(value, f"rule: stated direction ({side} end), confidence low",
                            f"a stated preference nearer '{label}'; review the position",
                            e.quote, e.sentence.source_id, e.sentence.line)
    return Estimate(issue.low + width / 2, "placeholder: scale midpoint",
                    "needs: position (read the evidence)")
