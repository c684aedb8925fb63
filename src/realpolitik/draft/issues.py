"""The issues to draft: the analyst's (``--issues ISSUES.yaml``) or candidates from key phrases.

An issues file is YAML with a list ``issues``, each as in a scenario (``id``, ``name``,
``description``, ``scale: [low, high]``, ``low_label``, ``high_label``, ``anchors``, ``tags``)
plus optional ``keywords`` (words or phrases that signal the issue in a text). A scenario
file can serve as an issues file: only its ``issues`` are read.

Without a file, :func:`candidate_issues` proposes the noun phrases that stand out in the
articles (noun chunks seen in at least two sentences, ranked by document frequency ×
inverse document frequency × length), each with the
sentences it occurs in, for the analyst to turn into issues.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from realpolitik.scenario import Issue, Problem, ScenarioError

from .nlp import Sentence

__all__ = ["DraftIssue", "read_issues", "issue_query", "candidate_issues"]


@dataclass(frozen=True)
class DraftIssue:
    """An issue and the keywords the analyst gave for it."""

    issue: Issue
    keywords: tuple[str, ...] = ()


def _line_of(node: yaml.Node | None) -> int | None:
    return None if node is None else node.start_mark.line + 1


def _key_line(node: yaml.Node | None, key: str) -> int | None:
    """The line of ``key`` inside a mapping node (else the node's own line)."""
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if getattr(k, "value", None) == key:
                return _line_of(k)
    return _line_of(node)


def read_issues(path: str | Path) -> list[DraftIssue]:
    """Read an issues file; :class:`ScenarioError` with file:line for every problem."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except OSError as e:
        raise ScenarioError([Problem(f"cannot read the issues file ({e.strerror})",
                                     file=name)]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ScenarioError([Problem(f"not valid YAML: {getattr(e, 'problem', e)}", file=name,
                                     line=mark.line + 1 if mark else None)]) from None
    items = doc.get("issues") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise ScenarioError([Problem("expected a mapping with a non-empty list 'issues'",
                                     file=name, line=1, field="issues")])
    nodes: list[Any] = []
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == "issues" and isinstance(v, yaml.SequenceNode):
                nodes = list(v.value)
    out, problems, seen = [], [], set()
    for n, raw in enumerate(items):
        node = nodes[n] if n < len(nodes) else None
        line = _line_of(node)
        if not isinstance(raw, dict):
            problems.append(Problem(f"issues[{n}] must be a mapping", file=name, line=line))
            continue
        rec = {k: v for k, v in raw.items() if k not in ("keywords", "scale", "outcome",
                                                           "status_quo")}
        scale = raw.get("scale")
        if scale is not None:
            if not (isinstance(scale, list) and len(scale) == 2):
                problems.append(Problem(f"scale must be [low, high], got {scale!r}", file=name,
                                        line=_key_line(node, "scale"), field="scale"))
                continue
            rec["low"], rec["high"] = scale
        if isinstance(rec.get("anchors"), dict):
            rec["anchors"] = {str(k): str(v) for k, v in rec["anchors"].items()}
        keywords = raw.get("keywords") or []
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            problems.append(Problem("keywords must be a list of words or phrases", file=name,
                                    line=_key_line(node, "keywords"), field="keywords"))
            continue
        try:
            issue = Issue(**rec)
        except Exception as e:  # pydantic's ValidationError: located, one line each
            for err in getattr(e, "errors", lambda: [])():
                loc = ".".join(str(x) for x in err.get("loc", ()))
                problems.append(Problem(err.get("msg", str(e)), file=name,
                                        line=_key_line(node, loc) if loc else line,
                                        field=loc or None))
            continue
        if issue.id in seen:
            problems.append(Problem(f"duplicate issue id {issue.id!r}", file=name, line=line,
                                    field="id"))
        seen.add(issue.id)
        out.append(DraftIssue(issue, tuple(keywords)))
    if problems:
        raise ScenarioError(problems)
    return out


def issue_query(d: DraftIssue) -> str:
    """The text an issue is searched with: name, description, labels, anchors and keywords
    (keywords repeated, as the analyst's strongest signal)."""
    i = d.issue
    parts = [i.name, i.name, i.description, i.low_label, i.high_label, *i.anchors.values(),
             *(list(d.keywords) * 3)]
    return " ".join(p for p in parts if p)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "issue"


def candidate_issues(sentences: list[Sentence], n: int = 5) -> list[dict[str, Any]]:
    """Up to ``n`` key phrases (noun chunks in ≥ 2 sentences, ranked by df × idf), each
    with the sentences (file:line) it occurs in: candidates, not issues."""
    chunks: dict[str, list[Sentence]] = {}
    for s in sentences:
        try:
            noun_chunks = list(s.span.noun_chunks)
        except ValueError:  # no parser (blank pipeline): fall back to no phrases
            return []
        for ch in noun_chunks:
            words = [t.lemma_.lower() for t in ch if not (t.is_stop or t.is_punct)
                     and t.ent_type_ not in ("GPE", "NORP", "PERSON", "DATE", "CARDINAL")]
            if len(words) >= 2 or (words and len(words[0]) > 5):
                chunks.setdefault(" ".join(words), []).append(s)
    if not chunks:
        return []
    n_docs = len(sentences)
    scored = []
    for phrase, where in chunks.items():
        df = len({s.index for s in where})
        # frequent in few sentences: document frequency × inverse document frequency
        score = df * math.log((n_docs + 1) / (df + 0.5)) * len(phrase.split())
        if df >= 2 and score > 0:
            scored.append((-score, phrase, where))
    scored.sort(key=lambda x: (x[0], x[1]))
    return [{"id": _slug(phrase), "phrase": phrase, "score": round(-neg, 3),
             "sentences": [f"{s.where}: {s.text}" for s in where[:3]]}
            for neg, phrase, where in scored[:n]]
