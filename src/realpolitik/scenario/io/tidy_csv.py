"""The tidy CSV format: one row per actor × issue.

Columns (in this order; only ``actor, capability, issue, position, salience`` are required):

``actor, actor_name, capability, groups, actor_notes, issue, issue_name, issue_description,
low, high, low_label, high_label, status_quo, outcome, outcome_date, outcome_source,
outcome_note, position, salience, stance_capability, source, quote, note, provenance,
uncertainty, actor_country, issue_tags``

``groups`` is ``;``-separated; ``source/quote/note`` are the stance's provenance;
``provenance`` is a JSON object for per-field provenance (``"position"``, ``"salience"``,
``"actor.capability"``, ``"issue.status_quo"``…) and ``uncertainty`` likewise for per-value
distributions (``{"position": {"dist": "uniform", "low": 40, "high": 60}}``). An actor who
takes no stance on any issue has one row with an empty ``issue``. A first comment line
``# realpolitik {…}`` carries the scenario-level fields (name, date, salience scale, sources,
spaces, anchors and veto players, uncertainty defaults, meta) as JSON, so that
YAML → CSV → YAML is lossless;
without it the salience scale must be given.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..build import ScenarioBuilder
from ..model import Scenario
from ..problems import Problem, ScenarioError
from .common import csv_problem, loads_json, read_text, sniff_delimiter, to_number

__all__ = ["read_tidy_csv", "dumps_tidy_csv", "COLUMNS", "looks_like_tidy"]

COLUMNS = (
    "actor",
    "actor_name",
    "capability",
    "groups",
    "actor_notes",
    "issue",
    "issue_name",
    "issue_description",
    "low",
    "high",
    "low_label",
    "high_label",
    "status_quo",
    "outcome",
    "outcome_date",
    "outcome_source",
    "outcome_note",
    "position",
    "salience",
    "stance_capability",
    "source",
    "quote",
    "note",
    "provenance",
    "uncertainty",
    "actor_country",
    "issue_tags",
)
REQUIRED = ("actor", "capability", "issue", "position", "salience")
HEADER = "# realpolitik "


def looks_like_tidy(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if text.startswith(HEADER):
        return True
    head = lines[0].lower() if lines else ""
    return all(c in head for c in REQUIRED)


def read_tidy_csv(path: str | Path, salience_scale: int | None = None) -> Scenario:
    """Read a tidy CSV scenario (see the module docstring)."""
    name = str(path)
    text = read_text(path)
    b = ScenarioBuilder(name)
    top: dict[str, Any] = {}
    lines = text.split("\n")  # read_text normalised line ends
    skip = 0
    if lines and lines[0].startswith(HEADER):
        try:
            top = loads_json(lines[0][len(HEADER) :])
        except ValueError as e:
            b.problem(
                f"header comment is not valid JSON: {e}",
                line=1,
                field="salience_scale",
            )
        if not isinstance(top, dict):
            b.problem(
                "header comment must be a JSON object, e.g. '# realpolitik "
                '{"salience_scale": 100}\'',
                line=1,
                field="salience_scale",
            )
            top = {}
        skip = 1
        b.mark(("scenario",), 1)
    body = "\n".join(lines[skip:])
    delim = sniff_delimiter(body, ",;\t")
    fed = _LineFeed(body)
    reader = csv.DictReader(fed, delimiter=delim)
    try:
        fields = [f.strip() for f in reader.fieldnames or []]
    except csv.Error as e:
        raise csv_problem(e, name, skip + fed.n) from None
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise ScenarioError(
            [
                Problem(
                    f"missing column(s) {', '.join(missing)} (delimiter "
                    f"{delim!r}; columns found: {fields})",
                    file=name,
                    line=skip + 1,
                )
            ]
        )
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    body_lines = body.split("\n")
    prev = reader.line_num
    for row in _rows(reader, fed, name, skip):
        n = prev + 1  # the row's first line (csv skips blank lines; quoted cells may span)
        while n < reader.line_num and not body_lines[n - 1].strip():
            n += 1
        prev = reader.line_num
        n += skip
        if None in row or None in row.values():
            cells = len([v for k, v in row.items() if k is not None and v is not None])
            cells += len(row.get(None) or [])
            b.problem(f"row has {cells} cells, the header {len(fields)}", line=n)
            continue
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        _row(b, n, row, actors, issues, top)
    for a in actors.values():
        b.actor(a["rec"], a["line"])
    for i in issues.values():
        b.issue(i["rec"], i["line"])
    for what, add in (("spaces", b.space), ("sources", b.source)):
        items = top.get(what, [])
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict):
                add(item, 1)
            else:
                b.problem(f"header {what} must be a list of JSON objects", line=1, field=what)
    scale = top.get("salience_scale", salience_scale)
    if scale is None and not any(p.field == "salience_scale" for p in b.problems):
        b.problem(
            'salience scale not declared: add the \'# realpolitik {"salience_scale": '
            "100}' header line or pass salience_scale",
            line=1,
            field="salience_scale",
        )
    return b.build(
        name=top.get("name", Path(name).stem),
        description=top.get("description", ""),
        salience_scale=scale,
        date=top.get("date"),
        meta=top.get("meta", {}),
        **({"uncertainty": top["uncertainty"]} if top.get("uncertainty") else {}),
    )


class _LineFeed:
    """The lines of ``text`` for :mod:`csv`, counting how many it has taken (``n``), so an
    error points at the line being read (``csv``'s own ``line_num`` lags inside a line)."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text, newline="\n"))
        self.n = 0

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.n += 1
        return line


def _rows(
    reader: csv.DictReader[str], fed: _LineFeed, name: str, skip: int
) -> Iterator[dict[Any, Any]]:
    """The reader's rows; a csv error (a cell over the field-size limit) as a located problem."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise csv_problem(e, name, skip + fed.n) from None
        yield row


def _prov(
    row: dict[str, str], b: ScenarioBuilder, line: int, column: str = "provenance"
) -> dict[str, Any]:
    if not row.get(column):
        return {}
    try:
        out = loads_json(row[column])
        if isinstance(out, dict):
            return out
        why = f"got {type(out).__name__}"
    except ValueError as e:
        why = str(e)
    b.problem(f"{column} must be a JSON object ({why})", line=line, field=column)
    return {}


def _row(
    b: ScenarioBuilder,
    line: int,
    row: dict[str, str],
    actors: dict[str, Any],
    issues: dict[str, Any],
    top: dict[str, Any],
) -> None:
    aid, iid = row.get("actor", ""), row.get("issue", "")
    if not aid:
        b.problem("actor is empty", line=line, field="actor")
        return
    prov = _prov(row, b, line)
    unc = _prov(row, b, line, "uncertainty")
    sub = {k.split(".", 1)[1]: v for k, v in prov.items() if k.startswith("actor.")}
    if aid not in actors:
        actors[aid] = {
            "line": line,
            "rec": {
                "id": aid,
                "name": row.get("actor_name", ""),
                "capability": to_number(row.get("capability")),
                "groups": [g.strip() for g in row.get("groups", "").split(";") if g.strip()],
                "notes": row.get("actor_notes", ""),
                "country": row.get("actor_country") or None,
                "provenance": sub,
                "uncertainty": {
                    k.split(".", 1)[1]: v for k, v in unc.items() if k.startswith("actor.")
                },
            },
        }
    if not iid:
        return
    if iid not in issues:
        extra = top.get("issues", {}).get(iid, {}) if isinstance(top.get("issues"), dict) else {}
        if not isinstance(extra, dict):
            b.problem(f"header issues[{iid!r}] must be a JSON object", line=1, field="issues")
            extra = {}
        rec: dict[str, Any] = {
            "id": iid,
            "name": row.get("issue_name", ""),
            "description": row.get("issue_description", ""),
            "low": to_number(row.get("low")) if row.get("low") else 0.0,
            "high": to_number(row.get("high")) if row.get("high") else 100.0,
            "low_label": row.get("low_label", ""),
            "high_label": row.get("high_label", ""),
            "tags": [t.strip() for t in row.get("issue_tags", "").split(";") if t.strip()],
            "provenance": {
                k.split(".", 1)[1]: v for k, v in prov.items() if k.startswith("issue.")
            },
            **extra,
        }
        if row.get("status_quo"):
            rec["status_quo"] = to_number(row["status_quo"])
        if row.get("outcome"):
            rec["outcome"] = {
                "value": to_number(row["outcome"]),
                **{
                    k: row[f"outcome_{k}"]
                    for k in ("date", "source", "note")
                    if row.get(f"outcome_{k}")
                },
            }
        issues[iid] = {"line": line, "rec": rec}
    st: dict[str, Any] = {
        "actor": aid,
        "issue": iid,
        "position": to_number(row.get("position")),
        "salience": to_number(row.get("salience")),
        "provenance": {k: v for k, v in prov.items() if "." not in k},
        "uncertainty": {k: v for k, v in unc.items() if "." not in k},
    }
    if row.get("stance_capability"):
        st["capability"] = to_number(row["stance_capability"])
    whole = {k: row[k] for k in ("source", "quote", "note") if row.get(k)}
    if whole:
        st["provenance"]["stance"] = whole
    b.stance(st, line)


def _num(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def dumps_tidy_csv(sc: Scenario) -> str:
    """The scenario as tidy CSV text (reads back to an equal scenario)."""
    top: dict[str, Any] = {"name": sc.name, "salience_scale": sc.salience_scale}
    if sc.description:
        top["description"] = sc.description
    if sc.date:
        top["date"] = sc.date
    if sc.sources:
        top["sources"] = [s.model_dump(exclude_defaults=True) for s in sc.sources]
    if sc.spaces:
        top["spaces"] = [s.model_dump(exclude_defaults=True) for s in sc.spaces]
    anchors: dict[str, dict[str, Any]] = {}
    for i in sc.issues:  # per-issue extras without a column: anchors, veto players
        extra: dict[str, Any] = {"anchors": dict(i.anchors)} if i.anchors else {}
        if i.veto is not None:
            extra["veto"] = list(i.veto)
        if extra:
            anchors[i.id] = extra
    if anchors:
        top["issues"] = anchors
    defaults = sc.uncertainty.model_dump(exclude_defaults=True)
    if defaults:
        top["uncertainty"] = defaults
    if sc.meta:
        top["meta"] = sc.meta
    out = io.StringIO()
    out.write(HEADER + json.dumps(top, ensure_ascii=False, sort_keys=True) + "\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    issues = {i.id: i for i in sc.issues}
    for a in sc.actors:
        mine: list[Any] = [s for s in sc.stances if s.actor == a.id] or [None]
        for s in mine:
            w.writerow(_row_cells(a, s, issues.get(s.issue) if s else None))
    return out.getvalue()


def _row_cells(a: Any, s: Any, i: Any) -> list[str]:
    prov: dict[str, Any] = {
        f"actor.{k}": v.model_dump(exclude_none=True) for k, v in a.provenance.items()
    }
    cells = {
        "actor": a.id,
        "actor_name": a.name,
        "capability": _num(a.capability),
        "groups": ";".join(a.groups),
        "actor_notes": a.notes,
        "actor_country": a.country or "",
    }
    if s is not None and i is not None:
        prov.update(
            {f"issue.{k}": v.model_dump(exclude_none=True) for k, v in i.provenance.items()}
        )
        prov.update(
            {k: v.model_dump(exclude_none=True) for k, v in s.provenance.items() if k != "stance"}
        )
        whole = s.provenance.get("stance")
        oc = i.outcome
        cells.update(
            {
                "issue": i.id,
                "issue_name": i.name,
                "issue_description": i.description,
                "issue_tags": ";".join(i.tags),
                "low": _num(i.low),
                "high": _num(i.high),
                "low_label": i.low_label,
                "high_label": i.high_label,
                "status_quo": _num(i.status_quo),
                "outcome": _num(oc.value) if oc else "",
                "outcome_date": (oc.date or "") if oc else "",
                "outcome_source": (oc.source or "") if oc else "",
                "outcome_note": (oc.note or "") if oc else "",
                "position": _num(s.position),
                "salience": _num(s.salience),
                "stance_capability": _num(s.capability),
                "source": (whole.source or "") if whole else "",
                "quote": (whole.quote or "") if whole else "",
                "note": (whole.note or "") if whole else "",
            }
        )
    cells["provenance"] = json.dumps(prov, ensure_ascii=False, sort_keys=True) if prov else ""
    unc = {f"actor.{k}": v.model_dump(exclude_none=True) for k, v in a.uncertainty.items()}
    if s is not None:
        unc.update({k: v.model_dump(exclude_none=True) for k, v in s.uncertainty.items()})
    cells["uncertainty"] = json.dumps(unc, sort_keys=True) if unc else ""
    return [cells.get(c, "") for c in COLUMNS]
