"""Render a report record as one self-contained HTML page (and optionally a PDF).

:func:`render` is a pure function of the record: no clock, no random ids, charts embedded as
Vega-Lite specs and the Vega JavaScript inlined, so the same record gives the same bytes and
the file opens with no network. :func:`to_pdf` prints it with headless Chromium.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .._version import __version__
from . import charts, charts_survival
from .assets import LICENCE_NOTICE, inline_scripts

__all__ = ["render", "to_pdf", "PANELS", "chart_specs", "json_for_script"]

#: The report's panels, in order: (element id, heading).
PANELS = (
    ("scenario", "Scenario"),
    ("actor-map", "Actor map: position × clout"),
    ("trajectories", "Round by round"),
    ("distributions", "Outcome distributions"),
    ("sensitivity", "Which input matters most: tornado and Sobol"),
    ("comparison", "Model comparison beside the compromise baseline"),
    ("cohesion", "Alliance cohesion"),
    ("survival", "Will the alliance hold? Survival from two centuries of alliances"),
)

_env = Environment(loader=PackageLoader("realpolitik.report", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                   lstrip_blocks=True, keep_trailing_newline=True)


def json_for_script(obj: Any) -> str:
    """JSON safe inside ``<script type="application/json">`` (no ``</``, no ``<!--``)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _names(record: dict[str, Any]) -> dict[str, str]:
    issues = record["forecast"]["scenario"]["issues"]
    return {i["id"]: i.get("name") or i["id"] for i in issues}


def _year(sc: dict[str, Any] | None) -> int | None:
    date = (sc or {}).get("date") or ""
    return int(date[:4]) if date[:4].isdigit() else None


def chart_specs(record: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """Every chart of the report, by element id (``None`` = nothing to draw)."""
    sc, fc, names = record.get("scenario"), record["forecast"], _names(record)
    dist, sens, coh = record.get("distributions"), record.get("sensitivity"), record.get(
        "cohesion") or {}
    strains = coh.get("scenario") or []
    surv = record.get("survival") or {}
    first = fc["models"][0]["model"] if fc["models"] else "compromise"
    hist_model = next((r["model"] for r in (dist or {}).get("rows", [])
                       if r["model"] == "compromise"), first)
    return {
        "chart-actor-map": charts.actor_map(sc, fc) if sc else None,
        "chart-trajectories": charts.trajectories(fc, names),
        "chart-intervals": (charts.distributions(dist, names, charts.scales(fc, names))
                            if dist else None),
        "chart-histograms": charts.histograms(dist, hist_model, names) if dist else None,
        "chart-tornado": charts.tornado(sens["tornado"], names) if sens else None,
        "chart-sobol": (charts.sobol(sens["sobol"], names)
                        if sens and sens.get("sobol") else None),
        "chart-comparison": charts.model_comparison(fc, names),
        "chart-cohesion-rounds": charts.cohesion_rounds(strains),
        "chart-cohesion-components": charts.cohesion_components(strains),
        "chart-cohesion-data": (charts.cohesion_data(coh["data"], _year(sc))
                                if coh.get("data") else None),
        "chart-survival-km": charts_survival.km_by_type(surv.get("km_by_type")),
        "chart-survival-forest": charts_survival.forest(surv.get("forest")),
        "chart-survival-line": charts_survival.dyad_line(surv.get("line")),
    }


def _provenance(prov: dict[str, Any] | None, field: str, sources: dict[str, str]) -> str:
    p = (prov or {}).get(field)
    if not p:
        return ""
    parts = []
    if p.get("source"):
        parts.append(f"source: {sources.get(p['source'], p['source'])}")
    if p.get("quote"):
        parts.append(f"“{p['quote']}”")
    if p.get("note"):
        parts.append(p["note"])
    return "\n".join(parts)


def _scenario_table(sc: dict[str, Any]) -> dict[str, Any]:
    """Rows of the scenario table with the provenance text of every cell."""
    sources = {s["id"]: s.get("title") or s["id"] for s in sc.get("sources", [])}
    stance = {(s["actor"], s["issue"]): s for s in sc["stances"]}
    rows = []
    for a in sc["actors"]:
        cells: list[dict[str, Any] | None] = []
        for i in sc["issues"]:
            s = stance.get((a["id"], i["id"]))
            if s is None:
                cells.append(None)
                continue
            prov = "\n\n".join(
                f"{f}: {t}" for f in ("position", "salience", "capability")
                if (t := _provenance(s.get("provenance"), f, sources)))
            cells.append({"position": s["position"], "salience": s["salience"],
                          "capability": s.get("capability"), "provenance": prov})
        rows.append({"id": a["id"], "name": a.get("name") or a["id"],
                     "capability": a["capability"], "groups": ", ".join(a.get("groups", [])),
                     "provenance": _provenance(a.get("provenance"), "capability", sources),
                     "cells": cells})
    issues = [{**i, "provenance": "\n\n".join(
        f"{f}: {t}" for f in ("status_quo",) if (t := _provenance(i.get("provenance"), f,
                                                                   sources)))}
        for i in sc["issues"]]
    return {"rows": rows, "issues": issues, "sources": sc.get("sources", [])}


def _comparison_table(fc: dict[str, Any]) -> dict[str, Any]:
    issues = [i["id"] for i in fc["scenario"]["issues"]]
    out: dict[str, dict[str, Any]] = {}
    for r in fc["forecasts"]:
        out.setdefault(r["model"], {})[r["issue"]] = r["outcome"]
    base = out.get("compromise", {})
    rows = []
    for model, by_issue in out.items():
        cells = []
        for i in issues:
            v, b = by_issue.get(i), base.get(i)
            cells.append({"value": v, "delta": None if v is None or b is None else v - b})
        rows.append({"model": model, "cells": cells})
    known = [(i.get("known_outcome") or {}).get("value") for i in fc["scenario"]["issues"]]
    from ..backtest.trust import summary  # track record, verdict, flags (if the doc has them)

    return {"issues": fc["scenario"]["issues"], "rows": rows, "known": known,
            "trust": summary(fc)}


def record_hash(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render(record: dict[str, Any], *, title: str | None = None) -> str:
    """The report page for ``record`` (see :mod:`realpolitik.report.record`)."""
    sc, fc = record.get("scenario"), record["forecast"]
    specs = chart_specs(record)
    coh = record.get("cohesion") or {}
    return _env.get_template("report.html.j2").render(
        title=title or f"realpolitik report: {fc['scenario']['name']}",
        record=record, sc=sc, fc=fc, panels=PANELS,
        table=_scenario_table(sc) if sc else None,
        comparison=_comparison_table(fc),
        strains=coh.get("scenario") or [], data_cohesion=coh.get("data"),
        survival=record.get("survival"),
        specs={k: json_for_script(v) for k, v in specs.items() if v is not None},
        has=dict.fromkeys((k for k, v in specs.items() if v is not None), True),
        notes=record.get("notes") or [], version=__version__, record_hash=record_hash(record),
        scripts=inline_scripts(), licence=LICENCE_NOTICE,
    )


def to_pdf(html: str, out: str | Path, chromium: str | None = None, timeout: float = 120) -> Path:
    """Print the report to PDF with headless Chromium (``/usr/bin/chromium`` or on PATH)."""
    exe = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe or not Path(exe).exists():
        raise FileNotFoundError("PDF export needs Chromium (apt-get install chromium)")
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=20000",
               f"--print-to-pdf={out}", page.as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError("Chromium wrote no PDF")
    return out
