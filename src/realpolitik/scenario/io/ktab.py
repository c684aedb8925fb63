"""Readers for KTAB's spatial-model inputs: the CSV layout and the XML layout.

CSV (KTAB ``smpc --csv``): line 1 = scenario name, description, number of actors, number of
dimensions; line 2 = header ``Actor, Description, Power|Influence, <Dim> Position, <Dim>
Salience, …``; then one row per actor. XML (``smpc --xml``): ``<Scenario>`` with
``<ModelParameters>``, ``<Dimensions>``, ``<Actors>``. Positions are on 0–100 and saliences
on 0–100 with Σ_d s_id ≤ 100 per actor. Each dimension becomes an issue on [0, 100]; all of
them form one :class:`~realpolitik.scenario.Space` (they are bargained jointly). KTAB's model
parameters, seed and ideal adjustments are kept in ``meta["ktab"]``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..build import ScenarioBuilder
from ..ktab_settings import settings_problems
from ..model import Scenario
from ..problems import Problem, ScenarioError
from .common import read_text, split_rows, to_number

__all__ = ["read_ktab_csv", "read_ktab_xml", "looks_like_ktab_csv"]


def looks_like_ktab_csv(text: str) -> bool:
    """True if the second non-blank row is KTAB's header: an actor column and positions."""
    rows = [ln for ln in text.splitlines() if ln.strip()]
    header = rows[1].lower() if len(rows) > 1 else ""
    return "actor" in header and ("pstn" in header or "position" in header)


def _dim_id(label: str, n: int) -> str:
    s = re.sub(r"\s*(position|pstn)\s*", "", label, flags=re.I).strip()
    s = re.sub(r"[^A-Za-z0-9_-]+", "_", s).strip("_")
    return s or f"dim{n + 1}"


def read_ktab_csv(path: str | Path) -> Scenario:
    """Read a KTAB SMP CSV file (see the module docstring for the layout)."""
    name = str(path)
    rows = split_rows(read_text(path), ",", name)
    b = ScenarioBuilder(name)
    if len(rows) < 3:
        raise ScenarioError(
            [
                Problem(
                    "a KTAB CSV needs a title line, a header and actor rows",
                    file=name,
                    line=rows[-1][0] if rows else 1,
                )
            ]
        )
    (l1, title), (l2, header) = rows[0], rows[1]
    header = [h for h in header if h != ""]
    n_dims = (len(header) - 3) // 2
    if len(header) < 5 or len(header) % 2 == 0:
        raise ScenarioError(
            [
                Problem(
                    "header must be Actor, Description, Power, then position "
                    "and salience per dimension",
                    file=name,
                    line=l2,
                )
            ]
        )
    declared = [to_number(c) for c in title[2:4]]
    dims = [_dim_id(header[3 + 2 * d], d) for d in range(n_dims)]
    if len(set(dims)) < n_dims:
        dims = [f"dim{d + 1}" for d in range(n_dims)]
    for d, did in enumerate(dims):
        b.issue({"id": did, "name": header[3 + 2 * d], "low": 0, "high": 100}, l2)
    actors = rows[2:]
    for line, cells in actors:
        _ktab_actor(b, line, cells, header, dims)
    if len(declared) == 2 and isinstance(declared[0], float) and declared[0] != len(actors):
        b.problem(
            f"title line declares {declared[0]:g} actors but the file has {len(actors)}",
            line=l1,
            field="actors",
        )
    if len(declared) == 2 and isinstance(declared[1], float) and declared[1] != n_dims:
        b.problem(
            f"title line declares {declared[1]:g} dimensions but the header has {n_dims}",
            line=l1,
            field="dimensions",
        )
    return _finish(
        b,
        title[0] if title else Path(name).stem,
        title[1] if len(title) > 1 else "",
        dims,
        {"format": "ktab-csv"},
        l2,
    )


def _finish(
    b: ScenarioBuilder, name: str, desc: str, dims: list[str], meta: dict[str, Any],
    line: int | None,
) -> Scenario:
    b.space({"id": "space", "name": name, "issues": dims}, line)
    return b.build(name=name, description=desc, salience_scale=100, meta=meta)


def _ktab_actor(
    b: ScenarioBuilder, line: int, cells: list[str], header: list[str], dims: list[str]
) -> None:
    last = len(cells)  # trailing empty cells (spreadsheet padding) dropped in one slice
    while last > len(header) and cells[last - 1] == "":
        last -= 1
    cells = cells[:last]
    if len(cells) < len(header):
        b.problem(f"row has {len(cells)} cells, the header {len(header)}", line=line)
        return
    aid = cells[0]
    b.actor({"id": aid, "name": cells[1], "capability": to_number(cells[2])}, line)
    total = 0.0
    for d, did in enumerate(dims):
        pos, sal = to_number(cells[3 + 2 * d]), to_number(cells[4 + 2 * d])
        b.stance({"actor": aid, "issue": did, "position": pos, "salience": sal}, line)
        total += sal if isinstance(sal, float) else 0.0
    if total > 100 + 1e-9:
        b.problem(
            f"saliences of {aid!r} sum to {total:g} > 100 (KTAB requires Σ ≤ 100)",
            line=line,
            field="salience",
        )


def _parse_xml(data: bytes, name: str) -> tuple[ET.Element, dict[int, int]]:
    """Parse XML into an ElementTree, noting each element's line (``id(element)`` → line)."""
    parser = expat.ParserCreate(encoding="UTF-8")  # read_text decoded it: the declaration
    # may not contradict (and an unknown name there, encoding="UTF-9", is no LookupError)
    tree = ET.TreeBuilder()
    lines: dict[int, int] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[id(tree.start(tag, attrs))] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = tree.end
    parser.CharacterDataHandler = tree.data
    try:
        parser.Parse(data, True)
        return tree.close(), lines
    except (expat.ExpatError, AssertionError, ValueError) as e:
        line = getattr(e, "lineno", None)
        if isinstance(e, expat.ExpatError):
            msg = expat.ErrorString(e.code)
        else:
            msg = "no root element" if isinstance(e, AssertionError) else str(e)
        raise ScenarioError([Problem(f"not valid XML: {msg}", file=name, line=line)]) from None


def _settings(b: ScenarioBuilder, root: ET.Element, lines: dict[int, int]) -> dict[str, Any]:
    """``meta["ktab"]`` from the file, each value checked as the SMP will use it."""
    param_el = list(root.find("ModelParameters") or [])
    pair_el = list(root.iterfind("./IdealAdjustment/iaPair"))
    seed_el = root.find("prngSeed")
    ktab: dict[str, Any] = {
        "parameters": {c.tag: (c.text or "").strip() for c in param_el},
        "prngSeed": root.findtext("prngSeed"),
        "ideal_adjustment": [
            {k: (p.findtext(k) or "").strip() for k in ("adjustingIdeal", "referencePos", "adjust")}
            for p in pair_el
        ],
    }
    for loc, msg in settings_problems(ktab):
        el: ET.Element | None = root
        if loc[:1] == ("parameters",):
            el = next((c for c in param_el if c.tag == loc[1]), None)
        elif loc[:1] == ("prngSeed",):
            el = seed_el
        elif loc[:1] == ("ideal_adjustment",) and len(loc) > 1 and isinstance(loc[1], int):
            el = pair_el[loc[1]]
            el = el.find(str(loc[2])) if len(loc) > 2 and el.find(str(loc[2])) is not None else el
        field = str(loc[-1]) if loc and not isinstance(loc[-1], int) else "ModelParameters"
        b.problem(msg, line=lines.get(id(el), 1) if el is not None else 1, field=field)
    return ktab


def read_ktab_xml(path: str | Path) -> Scenario:
    """Read a KTAB SMP XML scenario (``smpExample.xml`` layout)."""
    name = str(path)
    text = read_text(path)
    root, lines = _parse_xml(text.encode(), name)
    b = ScenarioBuilder(name)
    dnames = list(root.iterfind("./Dimensions/dName"))
    dims = [(d.text or "").strip() for d in dnames]
    ids = [_dim_id(d, n) for n, d in enumerate(dims)]
    for did, el in zip(ids, dnames, strict=True):
        b.issue(
            {"id": did, "name": (el.text or "").strip(), "low": 0, "high": 100}, lines.get(id(el))
        )
    for actor in root.iterfind("./Actors/Actor"):
        aid = (actor.findtext("name") or "").strip()
        line = lines.get(id(actor))
        for child in actor.iter():  # problems point at the element's own line
            if child.tag in ("capability", "name", "description"):
                b.mark(("actor", aid, "id" if child.tag == "name" else child.tag), lines[id(child)])
        b.actor(
            {
                "id": aid,
                "name": (actor.findtext("description") or "").strip(),
                "capability": to_number(actor.findtext("capability")),
            },
            line,
        )
        pos_el = list(actor.iterfind("./Position/dCoord"))
        sal_el = list(actor.iterfind("./Salience/dSal"))
        pos = [to_number(x.text) for x in pos_el]
        sal = [to_number(x.text) for x in sal_el]
        if len(pos) != len(ids) or len(sal) != len(ids):
            bad = actor.find("Position" if len(pos) != len(ids) else "Salience")
            b.problem(
                f"actor {aid!r} has {len(pos)} positions and {len(sal)} saliences for "
                f"{len(ids)} dimensions",
                line=lines.get(id(bad), line),
                field="Position" if len(pos) != len(ids) else "Salience",
            )
            continue
        for did, p, s, pe, se in zip(ids, pos, sal, pos_el, sal_el, strict=True):
            b.mark(("stance", aid, did, "position"), lines[id(pe)])
            b.mark(("stance", aid, did, "salience"), lines[id(se)])
            b.stance({"actor": aid, "issue": did, "position": p, "salience": s}, line)
        total = sum(s for s in sal if isinstance(s, float))
        if total > 100 + 1e-9:
            b.problem(
                f"saliences of {aid!r} sum to {total:g} > 100 (KTAB requires Σ ≤ 100)",
                line=lines.get(id(actor.find("Salience")), line),
                field="salience",
            )
    ktab = _settings(b, root, lines)
    meta: dict[str, Any] = {"format": "ktab-xml", "ktab": ktab}
    return _finish(
        b,
        (root.findtext("name") or Path(name).stem).strip(),
        (root.findtext("desc") or "").strip(),
        ids,
        meta,
        lines.get(id(root.find("Dimensions")), lines.get(id(root))),
    )
