"""Reader for decide-exchange-model's ``#A/#P/#M/#D`` input files.

Rows start with an identifier: ``#A`` actor (key, name), ``#P`` issue (key, name,
description), ``#M`` a labelled point on an issue's scale (issue, position, description),
``#D`` data (actor, issue, position, salience, power); ``#0``/``#/``/``#O`` are comments.
The delimiter (tab, semicolon or comma) is sniffed and cells may be quoted with ``'`` or
``"``; ragged rows are tolerated where the needed cells are present. An issue's scale is the
range of its ``#M`` points (0–100 without them). Salience and power are on 0–1. Power is per
actor × issue: the actor's capability is its most common power and a stance overrides it
where it differs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..build import ScenarioBuilder
from ..model import Scenario
from .common import read_text, sniff_delimiter, split_rows, to_number

__all__ = ["read_decide", "looks_like_decide"]


_TAGS = ("#A", "#P", "#M", "#D", "#O", "#0", "#/")


def looks_like_decide(text: str) -> bool:
    """True if most rows start with decide's row tags and some are data, not only comments.

    A judgement on the rows given (any first rows of the file): a large file's ``#D`` rows
    may start thousands of rows after its ``#A`` rows, so they are not required.
    """
    tags = [ln.lstrip("'\" ")[:2].upper() for ln in text.splitlines() if ln.strip()]
    tagged = sum(t in _TAGS for t in tags)
    return tagged * 2 > len(tags) and any(t in ("#A", "#P", "#M", "#D") for t in tags)


def read_decide(path: str | Path) -> Scenario:
    """Read a decide input file (see the module docstring)."""
    name = str(path)
    text = read_text(path)
    delim = sniff_delimiter(text, "\t;,")
    rows = split_rows(text, delim, name)
    b = ScenarioBuilder(name)
    actors: dict[str, tuple[int, str]] = {}
    issues: dict[str, dict] = {}
    data: list[tuple[int, list[str]]] = []
    title = Path(name).stem
    for line, cells in rows:
        tag = cells[0].upper()
        if tag == "#O" and len(cells) > 1:
            title = cells[1] or title
        elif tag == "#A":
            if _need(b, line, cells, 2, "#A needs an actor key"):
                actors.setdefault(cells[1], (line, cells[2] if len(cells) > 2 else cells[1]))
                b.mark(("actor", cells[1]), line)
        elif tag == "#P":
            if _need(b, line, cells, 2, "#P needs an issue key"):
                issues.setdefault(
                    cells[1],
                    {
                        "line": line,
                        "name": _get(cells, 2) or cells[1],
                        "description": _get(cells, 3),
                        "marks": {},
                    },
                )
        elif tag == "#M":
            if _need(b, line, cells, 3, "#M needs an issue key and a position"):
                _mark(b, issues, line, cells)
        elif tag == "#D":
            if _need(b, line, cells, 6, "#D needs actor, issue, position, salience and power"):
                data.append((line, cells))
        elif tag[:2] in ("#0", "#/", "#O"):  # comments (and a title without its cell)
            continue
        elif tag[:2] in ("#A", "#P", "#M", "#D"):
            b.problem(
                f"row did not split into cells (first cell {cells[0]!r}); decide files "
                "are separated by tabs, semicolons or commas",
                line=line,
            )
        else:
            b.problem(
                f"row does not start with #A, #P, #M or #D (got {cells[0]!r}); is the "
                "file delimited by tabs or semicolons?",
                line=line,
            )
    power = _common_power(data)
    for aid, (line, label) in actors.items():
        b.actor({"id": aid, "name": label, "capability": power.get(aid, 0.0)}, line)
    for iid, p in issues.items():
        _add_issue(b, iid, p)
    for line, cells in data:
        pw = to_number(cells[5])
        if cells[1] not in actors:
            b.problem(
                f"#D names actor {cells[1]!r}, which no #A row defines", line=line, field="actor"
            )
            continue
        if cells[2] not in issues:
            hint = (
                " (a ',' inside a name splits it into two cells: quote such names or use tabs)"
                if delim == "," and len(cells) > 6
                else ""
            )
            b.problem(
                f"#D names issue {cells[2]!r}, which no #P row defines{hint}",
                line=line,
                field="issue",
            )
            continue
        st = {
            "actor": cells[1],
            "issue": cells[2],
            "position": to_number(cells[3]),
            "salience": to_number(cells[4]),
        }
        if pw != power.get(cells[1]):
            st["capability"] = pw
        b.stance(st, line)
    return b.build(name=title, salience_scale=1, meta={"format": "decide"})


def _get(cells: list[str], i: int) -> str:
    return cells[i] if len(cells) > i else ""


def _need(b: ScenarioBuilder, line: int, cells: list[str], n: int, msg: str) -> bool:
    if len([c for c in cells[:n] if c != ""]) < n:
        b.problem(f"{msg} ({len(cells)} cell(s) found)", line=line)
        return False
    return True


def _mark(b: ScenarioBuilder, issues: dict[str, dict], line: int, cells: list[str]) -> None:
    if cells[1] not in issues:
        b.problem(f"#M names issue {cells[1]!r} before any #P row defines it", line=line)
        return
    x = to_number(cells[2])
    if not isinstance(x, float):
        b.problem(f"#M position must be a number (got {cells[2]!r})", line=line, field="position")
        return
    issues[cells[1]]["marks"][x] = _get(cells, 3)


def _common_power(data: list[tuple[int, list[str]]]) -> dict[str, float]:
    by_actor: dict[str, Counter[float]] = {}
    for _, cells in data:
        pw = to_number(cells[5])
        if isinstance(pw, float) and pw >= 0:  # a negative power is reported on its own row
            by_actor.setdefault(cells[1], Counter())[pw] += 1
    return {a: c.most_common(1)[0][0] for a, c in by_actor.items()}


def _add_issue(b: ScenarioBuilder, iid: str, p: dict) -> None:
    marks: dict[float, str] = p["marks"]
    low, high = (min(marks), max(marks)) if len(marks) >= 2 else (0.0, 100.0)
    b.issue(
        {
            "id": iid,
            "name": p["name"],
            "description": p["description"],
            "low": low,
            "high": high,
            "low_label": marks.get(low, ""),
            "high_label": marks.get(high, ""),
            "anchors": {f"{k:g}": v for k, v in marks.items() if v},
        },
        p["line"],
    )
