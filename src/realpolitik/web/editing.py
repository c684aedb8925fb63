"""The editable scenario table: cells ↔ scenario, with every problem pinned to its cell.

A cell is named ``cap:ACTOR`` (capability), ``pos:ACTOR:ISSUE`` and ``sal:ACTOR:ISSUE``
(position and salience on the scenario's own scales) or ``sq:ISSUE`` (status quo; empty =
none). :func:`apply_edits` returns either the edited, validated scenario or the problems,
each keyed by the cell it belongs to (``""`` for problems no single cell owns).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..scenario import Problem, Scenario, ScenarioError

__all__ = ["Edit", "cells", "apply_edits", "cell_of"]

SEP = ":"


@dataclass
class Edit:
    """The result of applying edits: a scenario, or messages by cell."""

    scenario: Scenario | None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.errors


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def cells(sc: Scenario) -> dict[str, str]:
    """The table's cell values as the user sees them (``%g``)."""
    out = {f"cap{SEP}{a.id}": _fmt(a.capability) for a in sc.actors}
    for s in sc.stances:
        out[f"pos{SEP}{s.actor}{SEP}{s.issue}"] = _fmt(s.position)
        out[f"sal{SEP}{s.actor}{SEP}{s.issue}"] = _fmt(s.salience)
    for i in sc.issues:
        out[f"sq{SEP}{i.id}"] = _fmt(i.status_quo)
    return out


def cell_of(p: Problem) -> str:
    """The cell a problem belongs to, from its key (``""`` if none)."""
    k = p.key
    if len(k) >= 3 and k[0] == "actor" and k[2] == "capability":
        return f"cap{SEP}{k[1]}"
    if len(k) >= 4 and k[0] == "stance" and k[3] in ("position", "salience"):
        return f"{k[3][:3]}{SEP}{k[1]}{SEP}{k[2]}"
    if len(k) >= 3 and k[0] == "issue" and k[2] == "status_quo":
        return f"sq{SEP}{k[1]}"
    return ""


def _number(text: str, optional: bool = False) -> float | None | str:
    """A finite number, ``None`` for an empty optional cell, or an error message."""
    t = text.strip().replace("\u2212", "-")
    if not t:
        return None if optional else "a number is required"
    try:
        x = float(t)
    except ValueError:
        return f"{text.strip()[:40]!r} is not a number"
    return x if math.isfinite(x) else "must be a finite number"


def _problems(err: Exception) -> list[Problem]:
    if isinstance(err, ScenarioError):
        return err.problems
    out: list[Problem] = []
    for e in err.errors() if isinstance(err, ValidationError) else []:
        inner = (e.get("ctx") or {}).get("error")
        if isinstance(inner, ScenarioError):
            out.extend(inner.problems)
        else:
            out.append(Problem(e["msg"], field=".".join(map(str, e["loc"]))))
    return out or [Problem(str(err))]


def apply_edits(sc: Scenario, values: Mapping[str, str]) -> Edit:
    """Apply cell ``values`` (unknown cells are ignored) to ``sc`` and validate the result."""
    doc: dict[str, Any] = sc.model_dump(mode="python")
    errors: dict[str, list[str]] = {}
    actors = {a["id"]: a for a in doc["actors"]}
    issues = {i["id"]: i for i in doc["issues"]}
    stances = {(s["actor"], s["issue"]): s for s in doc["stances"]}
    for name, raw in values.items():
        kind, _, rest = name.partition(SEP)
        parts = rest.split(SEP)
        target: dict[str, Any] | None = None
        key = ""
        if kind == "cap" and len(parts) == 1 and parts[0] in actors:
            target, key = actors[parts[0]], "capability"
        elif kind in ("pos", "sal") and len(parts) == 2 and tuple(parts) in stances:
            target, key = stances[(parts[0], parts[1])], {"pos": "position",
                                                           "sal": "salience"}[kind]
        elif kind == "sq" and len(parts) == 1 and parts[0] in issues:
            target, key = issues[parts[0]], "status_quo"
        if target is None:
            continue
        x = _number(str(raw), optional=kind == "sq")
        if isinstance(x, str):
            errors.setdefault(name, []).append(x)
        elif x != target[key]:
            target[key] = x
            target.get("uncertainty", {}).pop(key, None)  # an old range may not fit the value
    try:  # cells that are not numbers keep their old value: every other problem shows too
        edited = Scenario.model_validate(doc)
    except (ScenarioError, ValidationError) as e:
        for p in _problems(e):
            errors.setdefault(cell_of(p), []).append(p.message)
        return Edit(None, errors)
    return Edit(None, errors) if errors else Edit(edited)
