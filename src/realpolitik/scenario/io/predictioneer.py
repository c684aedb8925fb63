"""Reader for the one-issue "Predictioneer" table: ``Actor, Capability, Position, Salience``.

The layout of Bueno de Mesquita's published tables and of the public expected-utility
replications (header synonyms accepted: name/stakeholder, resources/clout/power/c,
x, s). Comma, semicolon or tab separated. One file = one issue, named after the file.

The salience scale is declared by the caller (``salience_scale=1`` or ``100``). If it is not,
it is inferred from the data — any salience above 1 means 0–100 — and the inference is
recorded in ``meta["inferred"]`` (never silently). The issue's scale is the range of positions
unless ``scale=(low, high)`` is given; that too is noted.
"""

from __future__ import annotations

from pathlib import Path

from ..build import ScenarioBuilder
from ..model import Scenario
from ..problems import Problem, ScenarioError
from .common import read_text, sniff_delimiter, split_rows, to_number

__all__ = ["read_predictioneer", "looks_like_predictioneer"]

COLUMNS = {
    "actor": ("actor", "name", "stakeholder", "player"),
    "capability": ("capability", "resources", "clout", "power", "influence", "c"),
    "position": ("position", "x", "pstn"),
    "salience": ("salience", "s", "sal"),
}


def _columns(header: list[str]) -> dict[str, int] | None:
    low = [h.strip().lower() for h in header]
    out = {}
    for field, names in COLUMNS.items():
        hit = next((low.index(n) for n in names if n in low), None)
        if hit is None:
            return None
        out[field] = hit
    return out


def looks_like_predictioneer(text: str) -> bool:
    """True if the first line is a header naming actor, capability, position and salience."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    rows = split_rows(first, sniff_delimiter(first))
    return bool(rows) and _columns(rows[0][1]) is not None


def read_predictioneer(
    path: str | Path,
    salience_scale: int | None = None,
    scale: tuple[float, float] | None = None,
    issue: str | None = None,
) -> Scenario:
    """Read an ``Actor, Capability, Position, Salience`` table as a one-issue scenario."""
    name = str(path)
    text = read_text(path)
    delim = sniff_delimiter(text)
    rows = split_rows(text, delim, name)
    cols = _columns(rows[0][1])
    if cols is None:
        hint = ""
        if len(rows[0][1]) == 1:  # the header did not split: another delimiter than the rows'
            hint = (
                f" (the rows look {delim!r}-separated but the header does not split on "
                f"{delim!r}: use one delimiter throughout)"
            )
        raise ScenarioError(
            [
                Problem(
                    "header must name Actor, Capability, Position and "
                    f"Salience columns; got {rows[0][1]}{hint}",
                    file=name,
                    line=rows[0][0],
                )
            ]
        )
    b = ScenarioBuilder(name)
    iid = issue or Path(name).stem
    data = []
    for line, cells in rows[1:]:
        if len(cells) <= max(cols.values()):
            b.problem(
                f"row has {len(cells)} cells; expected at least {max(cols.values()) + 1}", line=line
            )
            continue
        rec = {f: to_number(cells[c]) if f != "actor" else cells[c] for f, c in cols.items()}
        data.append((line, rec))
    notes = []
    sal = [r["salience"] for _, r in data if isinstance(r["salience"], float)]
    if salience_scale is None:
        salience_scale = 100 if any(s > 1 for s in sal) else 1
        notes.append(
            f"salience scale inferred as 0–{salience_scale} from the data "
            f"(max salience {max(sal, default=0):g}); pass salience_scale to declare it"
        )
    pos = [r["position"] for _, r in data if isinstance(r["position"], float)]
    if scale is None:
        scale = (min(pos, default=0.0), max(pos, default=1.0))
        notes.append(f"issue scale taken as the range of positions [{scale[0]:g}, {scale[1]:g}]")
        if scale[0] == scale[1]:  # nothing to infer a scale from
            if len(pos) > 1:
                b.problem(
                    f"every position is {scale[0]:g}, so the issue's scale cannot be "
                    "taken from the data; pass scale=(low, high)",
                    line=rows[0][0],
                    field="position",
                )
            scale = (scale[0], scale[0] + 1.0)
    b.issue({"id": iid, "name": iid, "low": scale[0], "high": scale[1]}, rows[0][0])
    for line, r in data:
        b.actor({"id": r["actor"], "name": r["actor"], "capability": r["capability"]}, line)
        b.stance(
            {
                "actor": r["actor"],
                "issue": iid,
                "position": r["position"],
                "salience": r["salience"],
            },
            line,
        )
    return b.build(
        name=Path(name).stem,
        salience_scale=salience_scale,
        meta={"format": "predictioneer", "inferred": notes},
    )
