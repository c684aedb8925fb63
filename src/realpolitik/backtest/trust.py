"""What to show beside a forecast so it can be trusted: intervals, track record, flags.

:func:`assess` gathers, for a :class:`~realpolitik.forecast.Forecast`:

* per model × issue the **prediction intervals** (80%, 95%): the point — or, with Monte Carlo
  draws, the input-uncertainty interval — widened by the model family's conformal error
  margin (:mod:`.calibration`), with the basis of that margin named;
* per model its **track record** relative to compromise (:mod:`.track_record`) and the
  one-line verdict;
* every **flag** in the results' details (:mod:`realpolitik.analysis.diagnostics`).

:func:`extend` adds it all to the JSON contract (new keys only: ``track_record``,
``calibration`` at the top; ``prediction_intervals`` and ``interval_basis`` per forecast row).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..forecast import Forecast
from .calibration import LEVELS, packaged
from .track_record import BASELINE, Record, track_record, verdict

__all__ = ["Assessment", "assess", "extend", "input_ranges", "trusted", "trusted_draws",
           "summary"]

_INPUT_Q = {0.8: ("p10", "p90"), 0.95: ("p2_5", "p97_5")}


@dataclass(frozen=True)
class Assessment:
    """Intervals per (model, issue), records per model, the verdict, the flags."""

    intervals: dict[tuple[str, str], list[dict[str, float]]]
    basis: dict[str, str]
    records: dict[str, list[Record]]
    verdict: str
    source: str

    def interval(self, model: str, issue: str, level: float) -> tuple[float, float] | None:
        for x in self.intervals.get((model, issue), []):
            if x["level"] == level:
                return x["low"], x["high"]
        return None


def input_ranges(mc: Any) -> dict[tuple[str, str], dict[float, tuple[float, float]]]:
    """Input-uncertainty intervals of a Monte Carlo forecast at each level."""
    out: dict[tuple[str, str], dict[float, tuple[float, float]]] = {}
    for r in mc.base.results:
        for f in r.issues:
            d = mc.distribution(r.model, f.issue)
            if d is not None:
                out[(r.model, f.issue)] = {lv: (d[a], d[b]) for lv, (a, b) in _INPUT_Q.items()}
    return out


def assess(forecast: Forecast, inputs: dict[Any, dict[float, tuple[float, float]]] | None = None,
           records: bool = True) -> Assessment:
    """See the module docstring; ``inputs`` are :func:`input_ranges` of a Monte Carlo run."""
    cal = packaged()
    scale = {i.id: (i.low, i.high) for i in forecast.scenario.issues}
    intervals: dict[tuple[str, str], list[dict[str, float]]] = {}
    basis = {}
    for r in forecast.results:
        basis[r.model] = cal.margin(r.model, LEVELS[0])[1]
        for f in r.issues:
            if f.outcome is None:
                continue
            rows = []
            for lv in LEVELS:
                lo, hi = (inputs or {}).get((r.model, f.issue), {}).get(lv, (f.outcome,) * 2)
                a, b = cal.interval(r.model, lo, hi, scale[f.issue], lv)
                rows.append({"level": lv, "low": a, "high": b})
            intervals[(r.model, f.issue)] = rows
    recs = track_record([r.model for r in forecast.results], forecast.seed) if records else {}
    return Assessment(intervals, basis, recs, verdict(recs) if recs else "", cal.source)


def extend(doc: dict[str, Any], a: Assessment) -> dict[str, Any]:
    """The JSON contract with the assessment added (nothing renamed or removed)."""
    for row in doc["forecasts"]:
        iv = a.intervals.get((row["model"], row["issue"]))
        if iv is not None:
            row["prediction_intervals"] = iv
            row["interval_basis"] = a.basis[row["model"]]
    doc["calibration"] = {
        "method": "split conformal on absolute errors scaled to each issue's range; "
        "prediction interval = input-uncertainty interval (the point without --draws) "
        "widened by the model family's error quantile",
        "source": a.source,
        "levels": list(LEVELS),
    }
    if a.records:
        doc["track_record"] = {
            "baseline": BASELINE,
            "units": "mean paired absolute-error difference from the baseline, points of a "
            "0–100 scale (negative = more accurate), 95% bootstrap interval",
            "models": {m: [r.to_dict() for r in rs] for m, rs in a.records.items()},
            "verdict": a.verdict,
        }
    return doc


def trusted(forecast: Forecast, rounds: bool = True, knife_edges: bool = True,
            records: bool = True) -> tuple[Forecast, Assessment, dict[str, Any]]:
    """The flagged forecast, its assessment and the extended JSON document — what the CLI,
    the report and the web app show (one place, so they agree)."""
    from ..analysis.diagnostics import diagnose

    flagged = diagnose(forecast, knife_edges=knife_edges)
    a = assess(flagged, records=records)
    return flagged, a, extend(flagged.to_dict(rounds=rounds), a)


def trusted_draws(mc: Any, rounds: bool = True, knife_edges: bool = True,
                  records: bool = True, flagged: Forecast | None = None
                  ) -> tuple[Forecast, Assessment, dict[str, Any]]:
    """:func:`trusted` for a Monte Carlo forecast: its flagged point forecast, its assessment
    (prediction intervals = the input-uncertainty intervals widened by the model error) and
    its extended ``--draws`` JSON document, whose rows carry the point's flags. ``flagged``:
    the same point forecast flagged already (:func:`trusted`; same models, parameters, seed
    and coded values), whose results are taken instead of checking the knife edges again."""
    from dataclasses import replace

    from ..analysis.diagnostics import diagnose

    base = (diagnose(mc.base, knife_edges=knife_edges) if flagged is None
            else replace(mc.base, results=flagged.results))
    mc = replace(mc, base=base)
    a = assess(mc.base, inputs=input_ranges(mc), records=records)
    return mc.base, a, extend(mc.to_dict(rounds=rounds), a)


def summary(doc: dict[str, Any]) -> dict[str, Any]:
    """From an extended forecast document: per model its track-record text, the verdict, and
    the flags as ``(model, issue, message)`` — for the report and the web app's tables."""
    tr = doc.get("track_record") or {}
    records = {m: [Record(**r) for r in rs] for m, rs in (tr.get("models") or {}).items()}
    text = {m: "; ".join(f"{r.text()} ({r.source})" for r in rs) for m, rs in records.items()}
    flags = [(row["model"], row["issue"], fl["message"]) for row in doc.get("forecasts", [])
             for fl in (row.get("details") or {}).get("flags", [])]
    return {"records": text, "verdict": tr.get("verdict", ""), "flags": flags}
