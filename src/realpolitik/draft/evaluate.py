"""Score a draft against a key: the analyst's own coding of the same articles.

Key format (YAML; see docs/draft.md)::

    key: korea-2006
    actors:
      - {id: ROK, country: KOR, role: state, aliases: [South Korea, Seoul], in_text: true}
      - {id: ROK_public, country: KOR, role: public}
    stances:
      - {actor: ROK, issue: nk_policy, position: 20, direction: low,
         evidence: ["Seoul prefers engagement"]}

A draft actor matches a key actor of the same country (any code system) and role (``state``
or a domestic role of :data:`.actors.ROLES`). Scores:

* **actor recall**: matched key actors / key actors (``in_text: false`` ones — never named in
  the articles, not even by their country — are left out); **precision**: draft actors that
  match a key actor / draft actors.
* **evidence recall@3**: over the stances both cover (the key gives evidence, the draft has the
  actor × issue), the share where a key fragment is in one of the draft's top 3 sentences (or
  contains it), compared after folding case, quotes, dashes and spaces.
* **direction accuracy** and **position MAE**: over the covered stances whose position the
  draft proposes (not the analyst's placeholder), against the key's direction and position.

:func:`key_from_scenario` turns a hand-coded scenario into a key: its actors with roles read
from their ids and names, and per stance the position, its direction (:func:`direction_of`)
and the quotes of its position, salience and stance provenance as evidence fragments.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from realpolitik.scenario import Problem, Scenario, ScenarioError

from .actors import ROLES

__all__ = ["direction_of", "key_from_scenario", "read_key", "score"]


def direction_of(value: float, low: float, high: float) -> str:
    """``low`` below 40% of the scale, ``high`` above 60%, else ``middle``."""
    x = (value - low) / (high - low)
    return "low" if x < 0.4 else "high" if x > 0.6 else "middle"


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"[‘’`´]", "'", t)
    t = re.sub(r"[“”«»]", '"', t)
    t = re.sub(r"[‐‑‒–—−]", "-", t)
    t = re.sub(r"[\"'.,;:!?()]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _iso3(code: str | None) -> str | None:
    from realpolitik.data.countrycodes import CountryCodeError, convert

    if not code:
        return None
    try:
        out = convert(code, "iso3")
    except CountryCodeError:
        return str(code).upper()
    return str(out) if out else str(code).upper()


def _role(actor_id: str, name: str) -> str:
    words = re.split(r"[^a-z]+", f"{actor_id} {name}".lower())
    for w in words:
        if w in ROLES and w != "people":
            return ROLES[w]
    return "state"


def _aliases(name: str) -> list[str]:
    return [p.strip() for p in re.split(r"[()/,;]", name) if len(p.strip()) >= 3]


def key_from_scenario(sc: Scenario, texts: list[str] | None = None) -> dict[str, Any]:
    """A key from a hand-coded scenario; with the articles' ``texts``, actors whose aliases and
    country name never occur in them are marked ``in_text: false``."""
    from realpolitik.data.countrycodes import CountryCodeError, lookup

    folded = _fold(" ".join(texts)) if texts is not None else None
    actors = []
    for a in sc.actors:
        aliases = _aliases(a.name) + [a.id]
        country = _iso3(a.country)
        rec: dict[str, Any] = {"id": a.id, "country": country, "role": _role(a.id, a.name),
                               "aliases": aliases}
        if folded is not None:
            names = list(aliases)
            if country:
                with contextlib.suppress(CountryCodeError):
                    names.append(str(lookup(country, code="iso3")["name"]))
            rec["in_text"] = any(f" {_fold(n)} " in f" {folded} " for n in names if n)
        actors.append(rec)
    stances = []
    for s in sc.stances:
        issue = sc.issue(s.issue)
        quotes = [p.quote for f in ("position", "salience", "stance")
                  if (p := s.provenance.get(f)) is not None and p.quote]
        stances.append({"actor": s.actor, "issue": s.issue, "position": s.position,
                        "direction": direction_of(s.position, issue.low, issue.high),
                        "evidence": list(dict.fromkeys(quotes))})
    return {"key": sc.name, "actors": actors, "stances": stances}


def read_key(path: str | Path) -> dict[str, Any]:
    """Read a key file; :class:`ScenarioError` (file:line) if it is not one."""
    name = str(path)
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise ScenarioError([Problem(f"cannot read the key ({e.strerror})", file=name)]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ScenarioError([Problem(f"not valid YAML: {getattr(e, 'problem', e)}", file=name,
                                     line=mark.line + 1 if mark else None)]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("actors"), list):
        raise ScenarioError([Problem("a key needs a list 'actors' (and 'stances')", file=name,
                                     line=1, field="actors")])
    for n, a in enumerate(doc["actors"]):
        if not isinstance(a, dict) or "id" not in a:
            raise ScenarioError([Problem(f"actors[{n}] needs an id", file=name,
                                         field="actors")])
    if not isinstance(doc.get("stances", []), list):
        raise ScenarioError([Problem("'stances' must be a list", file=name, field="stances")])
    return doc


def _ratio(hits: int, n: int) -> float | None:
    return None if n == 0 else round(hits / n, 4)


def score(draft: Scenario, key: dict[str, Any]) -> dict[str, Any]:
    """Actor recall/precision, evidence recall@3, direction accuracy, position MAE."""
    def sig(country: str | None, role: str) -> tuple[str | None, str]:
        return (_iso3(country), role)

    draft_sig = {a.id: sig(a.country, (a.id.partition("_")[2] or "state")) for a in draft.actors}
    key_actors = [a for a in key["actors"] if a.get("in_text", True)]
    key_sig = {a["id"]: sig(a.get("country"), a.get("role") or _role(a["id"], a.get("name", "")))
               for a in key["actors"]}
    match = {}  # key actor id → draft actor id
    for kid, ks in key_sig.items():
        found = next((did for did, ds in draft_sig.items() if ds == ks), None)
        if found is not None:
            match[kid] = found
    recalled = [a["id"] for a in key_actors if a["id"] in match]
    matched_draft = set(match.values())
    covered = hits = 0
    dir_n = dir_hits = 0
    errors: list[float] = []
    per_stance = []
    for ks in key.get("stances", []):
        did = match.get(ks["actor"])
        st = draft.stance(did, ks["issue"]) if did else None
        frags = [_fold(f) for f in ks.get("evidence", []) if f and _fold(f)]
        if st is None or not frags:
            continue
        quotes = [_fold(p.quote) for k, p in sorted(st.provenance.items())
                  if k.startswith("evidence") and p.quote][:3]
        hit = any(f in q or q in f for f in frags for q in quotes)
        covered += 1
        hits += int(hit)
        per_stance.append({"actor": ks["actor"], "issue": ks["issue"], "hit": hit})
        pos = st.provenance.get("position")
        if pos is not None and pos.method and not pos.method.startswith("placeholder"):
            issue = draft.issue(ks["issue"])
            if ks.get("direction"):
                dir_n += 1
                dir_hits += direction_of(st.position, issue.low, issue.high) == ks["direction"]
            if ks.get("position") is not None:
                errors.append(abs(st.position - float(ks["position"])))
    return {
        "key": key.get("key"),
        "actor_recall": _ratio(len(recalled), len(key_actors)),
        "actor_precision": _ratio(len(matched_draft), len(draft.actors)),
        "actors_missed": [a["id"] for a in key_actors if a["id"] not in match],
        "actors_extra": [a.id for a in draft.actors if a.id not in matched_draft],
        "stances_covered": covered,
        "evidence_recall_at_3": _ratio(hits, covered),
        "direction_accuracy": _ratio(dir_hits, dir_n),
        "position_mae": None if not errors else round(sum(errors) / len(errors), 3),
        "stances": per_stance,
    }
