"""A scenario as a plain document (JSON-shaped dicts and lists), checked like a file.

The browser workbench edits a document, not a :class:`~realpolitik.scenario.Scenario`: while
it is being typed it may be wrong in any way. :func:`check` validates a document with the
same :class:`~realpolitik.scenario.build.ScenarioBuilder` every file reader uses, so the
editor shows the CLI's own messages, each with the key of the value it is about (one
source of truth for what a valid scenario is). :func:`document` is the inverse for a valid
scenario; :func:`draft_of` recovers the document of a file that failed to load.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from .build import ScenarioBuilder
from .model import Scenario
from .problems import Problem, ScenarioError

__all__ = ["check", "document", "draft_of", "empty", "problem_record"]

_TOP = ("name", "description", "date", "salience_scale", "uncertainty", "meta")
_RECORDS = ("sources", "actors", "issues", "spaces", "stances")


def empty() -> dict[str, Any]:
    """The document of a new scenario: no actors, no issues."""
    return {"name": "New scenario", "description": "", "date": None, "salience_scale": 100,
            "actors": [], "issues": [], "stances": []}


def document(sc: Scenario) -> dict[str, Any]:
    """A valid scenario as a document (JSON types only)."""
    return sc.model_dump(mode="json")


def _plain(x: Any) -> Any:
    """JSON types only (a YAML date becomes its ISO text)."""
    return json.loads(json.dumps(x, default=str))


def draft_of(err: ScenarioError) -> dict[str, Any] | None:
    """The document a failed read got as far as (``None`` if it stopped before records)."""
    if err.draft is None:
        return None
    doc = {k: v for k, v in err.draft.items() if k in _TOP + _RECORDS}
    doc.setdefault("name", "")
    return dict(_plain(doc))


def problem_record(p: Problem) -> dict[str, Any]:
    """A problem for the browser: the CLI's text, its message, field and key."""
    where = {"actor": "actor", "issue": "issue", "stance": "stance of", "source": "source",
             "space": "space"}.get(p.key[0] if p.key else "")
    text = str(p)
    if where and len(p.key) >= 2:  # a document has no lines: name the record instead
        rec = f"{p.key[1]} on {p.key[2]}" if p.key[0] == "stance" and len(p.key) >= 3 \
            else p.key[1]
        text = f"{where} {rec}: {text}"
    return {"text": text, "message": p.message, "field": p.field, "key": list(p.key)}


def check(doc: Any, file: str | None = None) -> tuple[Scenario | None, list[Problem]]:
    """Validate a document: the scenario, or ``None`` and every problem (as the CLI reports
    them for a file, keyed by the value they are about)."""
    b = ScenarioBuilder(file)
    if not isinstance(doc, dict):
        return None, [Problem("expected a scenario document (a JSON object)")]
    for key in doc:
        if key not in _TOP + _RECORDS:
            b.problem(f"unknown section {key!r}", field=str(key))
    adders = {"sources": b.source, "actors": b.actor, "issues": b.issue, "spaces": b.space,
              "stances": b.stance}
    for key in _RECORDS:
        items = doc.get(key) or []
        if not isinstance(items, list):
            b.problem(f"section {key!r} must be a list", field=key)
            continue
        for n, item in enumerate(items):
            if isinstance(item, dict):
                adders[key](dict(item))
            else:
                b.problem(f"{key}[{n}] must be a mapping, got {item!r}", field=key)
    fields = {k: doc[k] for k in _TOP if doc.get(k) is not None}
    fields.setdefault("name", "")
    if "date" in fields:
        fields["date"] = str(fields["date"])
    try:
        return b.build(**fields), []
    except ScenarioError as e:  # a document has no lines: drop those of the builder's marks
        return None, [p if file else replace(p, line=None) for p in e.problems]
