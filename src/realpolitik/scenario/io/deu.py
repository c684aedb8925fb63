"""Reader for the DEU III layout (Arregui & Perarnaud 2022): one row per issue, semicolons.

Columns used: ``isnr`` (issue id), ``prname`` (proposal name), ``proc`` (procedure),
``p<actor>`` positions and ``s<actor>`` saliences on 0–100 for the Commission (``com``), the
Parliament (``ep``) and the member states (two-letter DEU codes), ``rp`` the reference point
(status quo) and ``out`` the outcome. ``999`` means missing; a blank cell means the actor took
no position (it sits the issue out). DEU files carry no capabilities: they come from
:data:`DEU_CAPABILITY`, a documented table you may replace with ``capability=``.
"""

from __future__ import annotations

from pathlib import Path

from ..build import ScenarioBuilder
from ..model import Scenario
from ..problems import Problem, ScenarioError
from .common import read_text, split_rows, to_number

__all__ = ["read_deu", "DEU_CAPABILITY", "looks_like_deu"]

#: Capability table for DEU actors. Member states: Council voting weights under the Treaty of
#: Nice (in force for the DEU III period, 2004–2014; Croatia 7 from 2013). Commission and
#: Parliament: 29 each, the weight of the largest member state — an assumption (DEU studies
#: vary; Thomson 2011 ch. 2 discusses alternatives). Pass your own table to change it.
DEU_CAPABILITY: dict[str, float] = {
    "com": 29,
    "ep": 29,
    "de": 29,
    "fr": 29,
    "it": 29,
    "uk": 29,
    "es": 27,
    "pl": 27,
    "ro": 14,
    "nl": 13,
    "be": 12,
    "cz": 12,
    "el": 12,
    "hu": 12,
    "pt": 12,
    "at": 10,
    "bu": 10,
    "se": 10,
    "dk": 7,
    "ie": 7,
    "lt": 7,
    "sk": 7,
    "fi": 7,
    "cr": 7,
    "cy": 4,
    "ee": 4,
    "lv": 4,
    "lu": 4,
    "si": 4,
    "mt": 3,
}
MISSING = 999.0


def looks_like_deu(text: str) -> bool:
    first = text.splitlines()[0].lower() if text else ""
    return ";" in first and "pcom" in first and ("isnr" in first or "scom" in first)


def read_deu(path: str | Path, capability: dict[str, float] | None = None) -> Scenario:
    """Read a DEU III file as a scenario with one issue per row."""
    name = str(path)
    caps = dict(DEU_CAPABILITY if capability is None else capability)
    rows = split_rows(read_text(path), ";", name)
    hl, header = rows[0]
    col = {h.lower(): n for n, h in enumerate(header)}
    if "isnr" not in col:
        raise ScenarioError(
            [
                Problem(
                    "DEU header must have an 'isnr' column (is the file semicolon-separated?)",
                    file=name,
                    line=hl,
                )
            ]
        )
    actors = [h[1:] for h in col if h.startswith("p") and "s" + h[1:] in col and h[1:] in caps]
    b = ScenarioBuilder(name)
    used: set[str] = set()
    for line, cells in rows[1:]:
        if len(cells) < len(header):
            b.problem(
                f"row has {len(cells)} cells, the header {len(header)} (a ragged row: "
                "leave missing values empty, but keep every ';')",
                line=line,
            )
            continue

        def cell(key: str, cells: list[str] = cells) -> str:
            return cells[col[key]] if col.get(key) is not None and col[key] < len(cells) else ""

        iid = cell("isnr")
        rp, out = to_number(cell("rp")), to_number(cell("out"))
        issue = {
            "id": iid,
            "name": cell("prname"),
            "description": cell("proc"),
            "low": 0,
            "high": 100,
        }
        if isinstance(rp, float) and rp != MISSING:
            issue["status_quo"] = rp
        if isinstance(out, float) and out != MISSING:
            issue["outcome"] = {"value": out, "source": "DEU III"}
        b.issue(issue, line)
        for a in actors:
            pos, sal = to_number(cell("p" + a)), to_number(cell("s" + a))
            if pos is None or pos == MISSING:
                continue
            if sal is None or sal == MISSING:
                sal = 50.0  # DEU's documented default when salience is missing
            b.stance({"actor": a, "issue": iid, "position": pos, "salience": sal}, line)
            used.add(a)
    for a in actors:
        if a in used:
            b.actor({"id": a, "name": a.upper(), "capability": caps[a]}, hl)
    return b.build(
        name=Path(name).stem,
        salience_scale=100,
        meta={"format": "deu", "capability_table": "Nice weights; com = ep = 29"},
    )
