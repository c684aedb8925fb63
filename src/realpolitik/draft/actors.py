"""Mentions → actors: states by name, demonym, capital or code; leaders; domestic actors.

Rules (each mention keeps its sentence, so every actor points at the text):

1. **Countries.** A gazetteer alias (:mod:`.gazetteer`) matched on word boundaries, case-
   sensitively, is a mention of that state — unless it sits inside a named event or work
   ("the Korean War"), or is an attitude ("anti-American", "pro-Chinese"). An abbreviation
   defined in parentheses after a country ("the Republic of Korea (ROK)") becomes an alias.
2. **Leaders and officials.** A person named by spaCy's entity recogniser (or after a title
   such as "Mr." or "President") whose name matches an Archigos leader in office near the
   article's year is that leader's state; a surname alone ("Mr. Roh") matches a leader whose
   full name came earlier in the same article, else one in office in the year. A person whose
   title follows a country ("U.S. Defense Secretary Donald Rumsfeld") is that country's
   official. Both count as mentions of the state (the government acts through them).
3. **Domestic actors.** A country mention that modifies an institution ("the South Korean
   military", "Japan's parliament", "the military of Japan") is a mention of a domestic actor
   of that country with the institution's role (:data:`ROLES`); so is an institution owned by
   "its"/"their" when the same or previous sentence names the countries; a demonym in the
   plural ("South Koreans") is that country's public.
4. **Who is kept.** A state is proposed when it acts at least once (subject, possessor,
   agent) or is mentioned :data:`MIN_MENTIONS` times; a domestic actor on one mention. The rest
   are listed as minor mentions for the analyst.

Actor ids: the state's ISO3 code (``KOR``); a domestic actor ``KOR_military``. Each actor lists
the aliases it was found under, so the analyst can rename or merge.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .gazetteer import CountryName, Leader, country_names, leaders
from .nlp import Sentence

__all__ = ["ROLES", "MIN_MENTIONS", "Mention", "DraftActor", "find_actors"]

ROLES: dict[str, str] = {
    "military": "military", "militaries": "military", "army": "military",
    "forces": "military", "generals": "military", "establishment": "military",
    "public": "public", "publics": "public", "voters": "public", "electorate": "public",
    "people": "public", "citizens": "public", "population": "public", "opinion": "public",
    "parliament": "legislature", "congress": "legislature", "legislature": "legislature",
    "assembly": "legislature", "senate": "legislature", "lawmakers": "legislature",
    "diet": "legislature",
    "ministry": "ministry", "opposition": "opposition", "governor": "governor",
}
"""Institution head nouns (lower case) → domestic role. "forces" counts only as "armed forces"."""

_ROLE_NAMES = {"military": "armed forces", "public": "public", "legislature": "legislature",
               "ministry": "ministry", "opposition": "opposition", "governor": "governor"}
TITLES = {"mr.", "mrs.", "ms.", "dr.", "president", "presidents", "prime", "minister",
          "secretary", "chancellor", "premier", "king", "queen", "gen.", "general", "leader",
          "vice", "defense", "defence", "foreign", "state", "deputy", "assistant", "chairman",
          "official", "ambassador", "envoy", "spokesman", "spokeswoman", "adviser", "advisor"}
MIN_MENTIONS = 3
_SKIP_LABELS = {"EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
_AGENT_DEPS = {"nsubj", "nsubjpass", "poss", "agent", "csubj"}
_MODIFIER_DEPS = {"amod", "compound", "nmod", "poss", "npadvmod"}
_ATTITUDE = ("anti-", "pro-", "non-")


@dataclass(frozen=True)
class Mention:
    """One mention of an actor in a sentence (``kind``: how it was recognised)."""

    sentence: int
    text: str
    actor: str
    kind: str
    agentive: bool


@dataclass
class DraftActor:
    """An actor found in the articles: id, country (ISO3), role, aliases and mentions."""

    id: str
    country: str
    role: str  # "state" or a domestic role
    name: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def aliases(self) -> list[str]:
        counts = Counter(m.text for m in self.mentions)
        return [a for a, _ in counts.most_common()]

    @property
    def sentences(self) -> set[int]:
        return {m.sentence for m in self.mentions}

    @property
    def kept(self) -> bool:
        if self.role != "state":
            return bool(self.mentions)
        return any(m.agentive for m in self.mentions) or len(self.mentions) >= MIN_MENTIONS


def _norm(name: str) -> str:
    return re.sub(r"[\s\-.]+", " ", name).strip().lower()


class _Resolver:
    """Walks the sentences in order, keeping what earlier ones taught (aliases, persons)."""

    def __init__(self, year: int | None, data_dir: str | None) -> None:
        self.names: dict[str, CountryName] = {c.text: c for c in country_names()}
        self.leaders: tuple[Leader, ...] = leaders(year, data_dir) if year else ()
        self.year = year
        self.persons: dict[str, str] = {}  # normalised name or surname → ISO3 (this article)
        self._compile()

    def _compile(self) -> None:
        alts = sorted(self.names, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _head_phrase(tok: Any) -> Any:
        """The noun a modifier belongs to ("South Korean" → "military"), up to 3 steps."""
        t = tok
        for _ in range(3):
            if t.dep_ in _MODIFIER_DEPS and t.head.i > t.i:
                t = t.head
            else:
                break
        return t

    @staticmethod
    def _role_of(head: Any) -> str | None:
        word = head.text.lower()
        role = ROLES.get(word)
        if role is None or head.dep_ in ("compound", "amod"):
            return None
        if word == "forces" and not any(c.lower_ == "armed" for c in head.children):
            return None
        return role

    def _leader_for(self, name: str) -> str | None:
        """ISO3 of the state a person's name denotes (rule 2), or ``None``."""
        key = _norm(name)
        if key in self.persons:
            return self.persons[key]
        full = [ld for ld in self.leaders if _norm(ld.name) == key]
        if full:
            return full[0].iso3
        last = key.split()[-1] if key else ""
        if last in self.persons:
            return self.persons[last]
        hits = [ld for ld in self.leaders if last in {t.lower() for t in ld.tokens}]
        if not hits:
            return None
        states = {ld.iso3 for ld in hits}
        if len(states) > 1 and self.year is not None:
            now = [ld for ld in hits if ld.start <= self.year <= ld.end]
            states = {ld.iso3 for ld in now} or states
        return states.pop() if len(states) == 1 else None

    def _remember(self, name: str, iso3: str) -> None:
        key = _norm(name)
        if key:
            self.persons[key] = iso3
            for part in {key.split()[0], key.split()[-1]}:
                self.persons.setdefault(part, iso3)

    # -- one sentence ----------------------------------------------------------------------
    def sentence(self, s: Sentence, previous: list[str]) -> list[Mention]:
        span = s.span
        doc = span.doc
        text = span.text
        out: list[Mention] = []
        found: list[tuple[int, int, str]] = []  # (token start, token end, iso3)
        for m in self.pattern.finditer(text):
            alias = self.names[m.group(1)]
            before = text[max(0, m.start() - 5):m.start()].lower()
            if before.endswith(_ATTITUDE):
                continue
            a, b = span.start_char + m.start(), span.start_char + m.end()
            toks = doc.char_span(a, b, alignment_mode="expand")
            if toks is None or any(t.ent_type_ in _SKIP_LABELS for t in toks):
                continue
            last = toks[-1]
            head = self._head_phrase(last)
            role = ("public" if alias.kind == "people" else alias.kind.split(":")[1]
                    if alias.kind.startswith("institution:") else self._role_of(head))
            if role is None and last.dep_ == "pobj" and last.head.head.i < last.i:
                role = self._role_of(last.head.head)  # "the military of Japan"
                head = last.head.head if role else head
            if role is None:
                agent = last.dep_ in _AGENT_DEPS or head.dep_ in _AGENT_DEPS or (
                    last.dep_ == "conj" and last.head.dep_ in _AGENT_DEPS)
                out.append(Mention(s.index, m.group(1), alias.iso3, alias.kind, agent))
            else:
                lo, hi = min(toks.start, head.i), max(toks.end, head.i + 1)
                phrase = doc[lo:hi].text
                out.append(Mention(s.index, phrase, f"{alias.iso3}_{role}", "institution", True))
            found.append((toks.start, toks.end, alias.iso3))
            self._define_abbreviation(text, m.end(), alias.iso3)
        out += self._persons(s, found)
        out += self._owned_institutions(s, found, previous)
        return out

    def _define_abbreviation(self, text: str, end: int, iso3: str) -> None:
        m = re.match(r"\s*\(([A-Z][A-Z.]{1,7})\)", text[end:])
        if m and m.group(1) not in self.names:
            self.names[m.group(1)] = CountryName(m.group(1), iso3, "code")
            self._compile()

    def _persons(self, s: Sentence, found: list[tuple[int, int, str]]) -> list[Mention]:
        span, out = s.span, []
        ends = {e: iso for _, e, iso in found}
        for ent in span.ents:
            if ent.label_ != "PERSON":
                continue
            name = ent.text.removesuffix("’s").removesuffix("'s")
            iso3 = None
            # rule 2: a title chain right after a country ("U.S. Defense Secretary")
            k = ent.start - 1
            while k >= span.start and span.doc[k].lower_ in TITLES | {"-"}:
                k -= 1
            if k < ent.start - 1 and k + 1 in ends:
                iso3 = ends[k + 1]
            iso3 = iso3 or self._leader_for(name)
            if iso3 is None:
                continue
            self._remember(name, iso3)
            head = self._head_phrase(ent[-1])
            agent = ent[-1].dep_ in _AGENT_DEPS or head.dep_ in _AGENT_DEPS or (
                ent[-1].dep_ == "conj" and ent[-1].head.dep_ in _AGENT_DEPS)
            out.append(Mention(s.index, name, iso3, "leader", agent))
        return out

    def _owned_institutions(self, s: Sentence, found: list[tuple[int, int, str]],
                            previous: list[str]) -> list[Mention]:
        """Rule 3 with a possessive pronoun: "their publics", "its military"."""
        out = []
        for tok in s.span:
            role = self._role_of(tok)
            if role is None:
                continue
            owner = [c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("its", "their")]
            if not owner:
                continue
            here = [iso for start, _, iso in found if start < tok.i]
            states = here or previous
            if not states:
                continue
            chosen = sorted(set(states)) if owner[0].lower_ == "their" else [states[-1]]
            for iso3 in chosen:
                out.append(Mention(s.index, f"{owner[0].text} {tok.text}", f"{iso3}_{role}",
                                   "institution", True))
        return out


def find_actors(sentences: list[Sentence], year: int | None,
                data_dir: str | None = None) -> tuple[list[DraftActor], list[DraftActor]]:
    """Actors mentioned in ``sentences``: (kept, minor), each in order of first mention."""
    from realpolitik.data.countrycodes import CountryCodeError, lookup

    resolver = _Resolver(year, data_dir)
    actors: dict[str, DraftActor] = {}
    previous: list[str] = []
    article = -1
    for s in sentences:
        if s.article != article:  # persons and abbreviations are per article
            article, previous = s.article, []
            resolver.persons.clear()
        mentions = resolver.sentence(s, previous)
        for m in mentions:
            iso3, _, role = m.actor.partition("_")
            if m.actor not in actors:
                try:
                    state = str(lookup(iso3, year=year, code="iso3")["name"])
                except CountryCodeError:
                    state = iso3
                label = state if not role else f"{state}: {_ROLE_NAMES.get(role, role)}"
                actors[m.actor] = DraftActor(m.actor, iso3, role or "state", label)
            actors[m.actor].mentions.append(m)
        states = [m.actor for m in mentions if "_" not in m.actor]
        previous = states or previous
    ordered = list(actors.values())
    return [a for a in ordered if a.kept], [a for a in ordered if not a.kept]
