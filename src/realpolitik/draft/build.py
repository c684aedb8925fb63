"""Assemble a draft scenario from articles: every drafted value with its source and quote.

:func:`draft` runs the steps — read the articles (:mod:`.text`), split and parse them
(:mod:`.nlp`), find the actors (:mod:`.actors`), rank the evidence for each actor × issue
(:mod:`.evidence`), estimate capability, salience and position (:mod:`.estimate`) — and
returns a :class:`~realpolitik.scenario.Scenario` that validates. Every drafted value carries
``source`` (the article, or the dataset), ``quote`` and ``line`` where a sentence backs it,
``method`` and ``draft: true``; each stance keeps its top evidence sentences as
``provenance.evidence-1…3``. ``meta.draft`` lists the aliases of each actor, the minor
mentions left out, candidate issues and, with ``--llm``, the prompts and replies.

An issue that fewer than two actors are tied to is left out (a scenario needs two
participants per issue) and named in ``meta.draft.issues_left_out``; if that leaves no issue,
:class:`~.text.ArticleError` says so (the CLI: a located error, exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from realpolitik.scenario import Actor, Issue, Provenance, Scenario, Source, Stance

from .actors import DraftActor, find_actors
from .estimate import Estimate, capabilities, position, saliences
from .evidence import Evidence, rank_evidence
from .issues import DraftIssue, candidate_issues
from .nlp import pipeline, pipeline_name, sentences
from .text import Article, ArticleError, read_article

__all__ = ["DraftResult", "draft", "source_id"]

NMC_SOURCE = Source(id="cow-nmc-7", title="COW National Material Capabilities 7.0 (CINC)",
                    author="Greig & Enterline 2021")


@dataclass
class DraftResult:
    """The draft scenario, the evidence behind it and what the LLM step recorded."""

    scenario: Scenario
    evidence: dict[tuple[str, str], list[Evidence]]
    actors: list[DraftActor]
    issues: list[DraftIssue]
    errors: list[str] = field(default_factory=list)


def source_id(path: str | Path, taken: set[str]) -> str:
    """A source id from a file name (``seed-2006.txt`` → ``seed-2006``), unique in ``taken``."""
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(path).stem).strip("-") or "article"
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}-{n}", n + 1
    taken.add(sid)
    return sid


def _prov(e: Estimate, draft: bool = True) -> Provenance:
    return Provenance(source=e.source, quote=e.quote, line=e.line, method=e.method,
                      note=e.note or None, draft=draft)


def _evidence_prov(ev: list[Evidence]) -> dict[str, Provenance]:
    return {
        f"evidence-{n}": Provenance(
            source=e.sentence.source_id, quote=e.quote, line=e.sentence.line,
            method=f"evidence rank {n}: BM25 {e.relevance:.2f} × tie {e.tie:g}", draft=True)
        for n, e in enumerate(ev, start=1)
    }


def _candidate_issue(c: dict[str, Any]) -> DraftIssue:
    """A candidate key phrase as a provisional issue the analyst must define."""
    where, _, quote = c["sentences"][0].partition(": ")
    path, _, line = where.rpartition(":")
    prov = Provenance(quote=quote, method="candidate issue: key phrase (df × idf)", draft=True,
                      note="needs: issue definition (name, scale labels) or removal")
    issue = Issue(id=c["id"], name=c["phrase"], low_label="needs: label",
                  high_label="needs: label", provenance={"name": prov})
    return DraftIssue(issue, (c["phrase"],))


def draft(paths: list[str | Path], issues: list[DraftIssue], year: int | None = None,
          data_dir: str | None = None, name: str = "draft") -> DraftResult:
    """Draft a scenario from article files (see the module docstring)."""
    taken: set[str] = set()
    articles: list[Article] = [read_article(p, source_id(p, taken)) for p in paths]
    sents = sentences(articles)
    kept, minor = find_actors(sents, year, data_dir)
    candidates = candidate_issues(sents) if not issues else []
    if not issues:
        issues = [_candidate_issue(c) for c in candidates]
    evidence = rank_evidence(sents, kept, issues)
    by_issue: dict[str, list[str]] = {}
    for actor_id, issue_id in evidence:
        by_issue.setdefault(issue_id, []).append(actor_id)
    used_issues = [d for d in issues if len(by_issue.get(d.issue.id, [])) >= 2]
    left_out = [d.issue.id for d in issues if d not in used_issues]
    if not used_issues:
        found = ", ".join(a.id for a in kept) or "none"
        raise ArticleError(
            f"{', '.join(str(p) for p in paths)}: no issue is tied to two actors or more in "
            f"the articles (actors found: {found}; issues tried: "
            f"{', '.join(d.issue.id for d in issues) or 'none'}), so there is no scenario to "
            "draft; add articles, or keywords to the issues file")
    evidence = {k: v for k, v in evidence.items() if k[1] not in left_out}
    caps, nmc_used = capabilities(kept, year, data_dir)
    sal = saliences(evidence)
    nlp = pipeline()
    sources = [Source(id=a.source_id, title=a.title or Path(a.path).name, file=a.path)
               for a in articles]
    if nmc_used:
        sources.append(NMC_SOURCE)
    actors = []
    for a in kept:
        cap = caps[a.id]
        prov = _prov(Estimate(cap.value, cap.method, cap.note,
                              source=NMC_SOURCE.id if cap.method.startswith("proxy") else None))
        actors.append(Actor(id=a.id, name=a.name, capability=cap.value, country=a.country,
                            notes=f"aliases: {', '.join(a.aliases)}",
                            provenance={"capability": prov}))
    stances = []
    for d in used_issues:
        for a in kept:
            ev = evidence.get((a.id, d.issue.id))
            if not ev:
                continue
            pos = position(d.issue, ev, nlp, a.aliases)
            stances.append(Stance(
                actor=a.id, issue=d.issue.id, position=pos.value,
                salience=sal[(a.id, d.issue.id)].value,
                provenance={"position": _prov(pos), "salience": _prov(sal[(a.id, d.issue.id)]),
                            **_evidence_prov(ev)}))
    meta: dict[str, Any] = {"draft": {
        "pipeline": pipeline_name(),
        "year": year,
        "articles": [{"source": a.source_id, "file": a.path, "paragraphs": len(a.paragraphs)}
                     for a in articles],
        "actors": {a.id: {"role": a.role, "aliases": a.aliases, "mentions": len(a.mentions)}
                   for a in kept},
        "minor_mentions": {a.id: {"aliases": a.aliases, "mentions": len(a.mentions)}
                           for a in minor},
        "issues_left_out": left_out,
    }}
    if candidates:
        meta["draft"]["candidate_issues"] = candidates
    sc = Scenario(name=name, description="Drafted from articles by `realpolitik draft`; "
                  "every value marked draft: true is still to review.",
                  date=None if year is None else str(year), salience_scale=100,
                  sources=tuple(sources), actors=tuple(actors),
                  issues=tuple(d.issue for d in used_issues), stances=tuple(stances),
                  meta=meta)
    return DraftResult(sc, evidence, kept, used_issues)
