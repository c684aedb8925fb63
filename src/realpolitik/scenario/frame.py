"""A scenario from a tidy table: the inverse of :meth:`Scenario.to_frame`.

Analysts keep actor × issue codings in spreadsheets and pandas; :func:`scenario_fields` turns such
a table (one row per stance, the columns :meth:`Scenario.to_frame` writes) back into a
validated :class:`Scenario`, so ``Scenario.from_frame(sc.to_frame())`` reproduces ``sc``'s
table. What a table cannot hold — provenance, sources, outcomes, uncertainty, actors without
any stance, the declaration order of issues that no actor's rows reveal — is not restored.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .problems import Problem, ScenarioError

__all__ = ["scenario_fields", "REQUIRED"]

#: Columns a table needs; the others of ``to_frame`` (names, scale, salience01) are optional.
REQUIRED = ("actor", "issue", "capability", "position", "salience")


def _text(v: Any) -> str:
    return "" if v is None or v != v else str(v)  # (NaN != NaN)


def _salience_scale(rows: list[dict[str, Any]]) -> int:
    """Declared by ``salience01`` beside ``salience`` when present, else 100 if any > 1."""
    for r in rows:
        s, s01 = r.get("salience"), r.get("salience01")
        if s01 is not None and s01 == s01 and s01 > 0:
            return 100 if s / s01 > 10 else 1
    return 100 if any(r["salience"] > 1 for r in rows) else 1


def scenario_fields(frame: Any, name: str = "frame", salience_scale: int | None = None,
                    **fields: Any) -> dict[str, Any]:
    """A scenario's fields, as plain data, from a tidy stance table (see the module docstring);
    :meth:`Scenario.from_frame <realpolitik.scenario.Scenario.from_frame>` validates them.

    An actor's capability is the value most of its rows carry (the first on a tie); a row
    whose capability differs becomes that stance's per-issue capability. ``salience_scale``
    defaults to what the ``salience01`` column implies (else 100 if a salience exceeds 1).
    Further keyword ``fields`` (``description``, ``date``, …) go to the scenario.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"actor": ["A", "B"], "issue": ["x", "x"], "capability": [2, 1],
    ...                    "position": [0, 10], "salience": [1, 1], "low": 0, "high": 10})
    >>> f = scenario_fields(df, name="toy")
    >>> [a["capability"] for a in f["actors"]], [s["position"] for s in f["stances"]]
    ([2.0, 1.0], [0.0, 10.0])
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ScenarioError([Problem(f"the table lacks column(s) {', '.join(missing)}",
                                     field="frame")])
    rows = frame.to_dict("records")
    scale = salience_scale or _salience_scale(rows)
    caps: dict[str, list[float]] = {}
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    for r in rows:
        aid, iid = str(r["actor"]), str(r["issue"])
        caps.setdefault(aid, []).append(float(r["capability"]))
        actors.setdefault(aid, {"id": aid, "name": _name(r.get("actor_name"), aid)})
        if iid not in issues:
            rec: dict[str, Any] = {"id": iid, "name": _name(r.get("issue_name"), iid)}
            for f in ("low", "high"):
                if r.get(f) is not None and r[f] == r[f]:
                    rec[f] = float(r[f])
            issues[iid] = rec
    for aid, cs in caps.items():
        actors[aid]["capability"] = Counter(cs).most_common(1)[0][0]
    stances = []
    for r in rows:  # (a malformed number is pydantic's to report, below)
        aid, cap = str(r["actor"]), float(r["capability"])
        stances.append({
            "actor": aid, "issue": str(r["issue"]), "position": float(r["position"]),
            "salience": float(r["salience"]),
            "capability": None if cap == actors[aid]["capability"] else cap,
        })
    return {"name": name, "salience_scale": scale, "actors": list(actors.values()),
            "issues": list(issues.values()), "stances": stances, **fields}


def _name(label: Any, id_: str) -> str:
    text = _text(label)
    return "" if text == id_ else text
