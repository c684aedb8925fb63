"""The report record: everything a report shows, as one JSON document.

A report is rendered from a *record* (schema ``realpolitik.report/1``) and from nothing else,
so the same record always gives the same HTML, byte for byte, and a report can be rebuilt
from what was saved. :func:`collect` runs the analyses on a scenario and assembles it;
:func:`from_forecast_json` wraps a saved ``realpolitik forecast --format json`` document (or a
run from the run store) instead.

Record layout (every part but ``forecast`` may be ``null``; ``notes`` says why)::

    {"schema": "realpolitik.report/1",
     "scenario": <Scenario.model_dump(mode="json")> | null,
     "forecast": <Forecast.to_dict(), docs/json-schema.md>,
     "distributions": {"draws": n, "uncertainty": {...}, "note": str,
                       "rows": [{"model", "issue", "point", "median", "p2_5", "p10", "p90",
                                 "p97_5", "histogram": {"edges", "counts"}}]} | null,
     "sensitivity": {"model": str, "tornado": [rows], "sobol": [rows]} | null,
     "cohesion": {"scenario": [AllianceStrain.to_dict()], "dynamic_model": str | null,
                  "data": {"dyad": [a, b], "from", "to", "years": [...]} | null} | null,
     "survival": {"dyad": [a, b], "km_by_type": [rows], "forest": [rows],
                  "line": {"rows": [...], "marks": [...], ...} | null} | null,
     "notes": [str]}

``survival`` (issue 19; :mod:`realpolitik.analysis.alliance.survival.figures`) is filled only
when asked for (``survival=True``, ``realpolitik report --survival``): the yearly refits behind
the line take a minute the first time (cached after).

Optional analyses (Monte Carlo, sensitivity, data-based cohesion) are used when their
modules and data are present; when not, the record says so in ``notes`` and the report shows
the note in the panel's place.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..jsonsafe import jsonable
from ..scenario import Scenario

__all__ = ["SCHEMA", "DEFAULT_MODELS", "collect", "from_forecast_json", "jsonable",
           "dyad_series"]

SCHEMA = "realpolitik.report/1"
#: Models a report runs by default: the static baselines and the dynamic models (expected
#: utility, exchange, KTAB's SMP), whose Monte Carlo distributions are batched (issue 16).
DEFAULT_MODELS = ("compromise", "median", "mean", "status-quo", "nash", "eum", "exchange", "smp")
#: Data-based cohesion columns a report keeps (the panel has many more).
DATA_COLUMNS = ("year", "un_n", "un_agree", "un_s_abs", "un_kappa_quadratic", "un_pi_nominal",
                "atop_tie", "atop_val_s_abs", "burden_share_a", "burden_share_b", "notes")


def _distributions(sc: Scenario, models: Sequence[str], seed: int, draws: int,
                   notes: list[str]) -> dict[str, Any] | None:
    if draws <= 0:
        return None
    from ..analysis.uncertainty.montecarlo import forecast_draws
    from ..analysis.uncertainty.sampling import declares_uncertainty, with_default_uncertainty

    note = "uncertainty as declared in the scenario"
    if not declares_uncertainty(sc):
        sc = with_default_uncertainty(sc)
        u = sc.uncertainty
        note = (f"the scenario declares no uncertainty: default ranges used (positions "
                f"±{u.position:g}% of each scale, salience ±{u.salience:.0%}, capability "
                f"±{u.capability:.0%}, {u.dist})")
    try:
        mc = forecast_draws(sc, list(models), seed=seed, draws=draws)
    except Exception as e:  # an analysis failure must not cost the whole report
        notes.append(f"outcome distributions failed: {type(e).__name__}: {e}")
        return None
    rows = []
    for r in mc.base.results:
        for f in r.issues:
            d = mc.distribution(r.model, f.issue)
            if d is not None:
                keep = ("median", "mean", "sd", "p2_5", "p10", "p90", "p97_5", "histogram")
                rows.append({"model": r.model, "issue": f.issue, "point": f.outcome,
                             **{k: d[k] for k in keep}})
    return jsonable({"draws": draws, "seed": seed, "note": note,
                     "uncertainty": sc.uncertainty.model_dump(mode="json"), "rows": rows})


def _sensitivity(sc: Scenario, model: str, seed: int, samples: int,
                 notes: list[str]) -> dict[str, Any] | None:
    from ..analysis.uncertainty.sampling import declares_uncertainty, with_default_uncertainty
    from ..analysis.uncertainty.sensitivity import sobol, tornado

    if not declares_uncertainty(sc):
        sc = with_default_uncertainty(sc)
    try:
        tor = tornado(sc, model, seed=seed)
        sob = sobol(sc, model, samples=samples, seed=seed) if samples > 0 else None
    except Exception as e:
        notes.append(f"tornado / Sobol failed: {type(e).__name__}: {e}")
        return None
    return jsonable({"model": model, "seed": seed, "samples": samples,
                     "tornado": tor.to_dict(orient="records"),
                     "sobol": None if sob is None else sob.to_dict(orient="records")})


def _data_cohesion(sc: Scenario, years: tuple[int, int], data_dir: str | Path | None,
                   notes: list[str]) -> dict[str, Any] | None:
    pair = _alliance_pair(sc)
    if pair is None:
        notes.append("data-based cohesion: no alliance of exactly two countries in the scenario")
        return None
    a, b = pair
    try:
        doc = dict(dyad_series(a, b, years[0], years[1],
                               None if data_dir is None else str(data_dir)))
    except Exception as e:  # missing data is a note, not a failure
        notes.append(f"data-based cohesion {a}–{b}: {type(e).__name__}: {e}")
        return None
    doc["years"] = [{k: y.get(k) for k in DATA_COLUMNS} for y in doc["years"]]
    return jsonable(doc)


def _alliance_pair(sc: Scenario) -> list[str] | None:
    """The first declared alliance of exactly two countries, in the actors' order."""
    pairs = [list(dict.fromkeys(a.country for a in sc.actors if a.id in m and a.country))
             for m in sc.groups().values()]
    pairs = [p for p in pairs if len(p) == 2]
    return pairs[0] if pairs else None


def _survival(sc: Scenario, data_dir: str | Path | None, notes: list[str]
              ) -> dict[str, Any] | None:
    pair = _alliance_pair(sc)
    try:
        from ..analysis.alliance.survival import figures
        from ..analysis.alliance.survival.forecast import ForecastError
        from ..analysis.alliance.survival.table import load_table

        data = load_table(data_dir)
        doc: dict[str, Any] = {"dyad": pair, **figures.overview(data), "line": None}
        if pair is None:
            notes.append("alliance survival: no alliance of exactly two countries in the "
                         "scenario (the curves and hazard ratios are shown without a line)")
            return jsonable(doc)
        try:
            doc["line"] = figures.dyad_line(data, pair[0], pair[1])
        except ForecastError as e:
            notes.append(f"alliance survival {pair[0]}–{pair[1]}: {e}")
        return jsonable(doc)
    except Exception as e:  # missing data is a note, not a failure
        notes.append(f"alliance survival: {type(e).__name__}: {e}")
        return None


@functools.lru_cache(maxsize=8)
def dyad_series(a: str, b: str, start: int, end: int, data_dir: str | None = None
                ) -> dict[str, Any]:
    """The data-based cohesion panel of a dyad as JSON (:func:`~realpolitik.analysis.
    cohesion_data.panel_json`), cached per process: building it reads large tables.
    Treat the result as read-only."""
    from ..analysis.alliance.cohesion_data import cohesion_panel, panel_json

    return jsonable(panel_json(cohesion_panel(a, b, start, end, data_dir), start, end))


def collect(
    scenario: Scenario,
    models: Sequence[str] | None = None,
    *,
    seed: int = 0,
    draws: int = 500,
    sensitivity_model: str | None = "compromise",
    sobol_samples: int = 128,
    dynamic_model: str | None = "eum",
    data_dir: str | Path | None = None,
    cohesion_years: tuple[int, int] = (1991, 2019),
    forecast_doc: dict[str, Any] | None = None,
    distribution_models: Sequence[str] | None = None,
    survival: bool = False,
) -> dict[str, Any]:
    """Run every analysis a report shows on ``scenario`` and return the record.

    Parameters
    ----------
    scenario : Scenario
    models : model names (default :data:`DEFAULT_MODELS`, less those needing a status quo
        when the scenario codes none). Always includes ``compromise``, the baseline.
    seed : seed of every stochastic step (the record is a pure function of its arguments).
    draws : Monte Carlo draws for the outcome distributions (0: none).
    sensitivity_model : model for the tornado and Sobol panel (``None``: none).
    sobol_samples : Saltelli base sample size (0: tornado only).
    dynamic_model : model whose rounds drive the alliance dynamics (``None``: none).
    data_dir : data folder for the data-based cohesion series (default: see
        :mod:`realpolitik.analysis.alliance.cohesion_data`).
    forecast_doc : an existing forecast JSON document to show instead of running ``models``.
    distribution_models : models whose outcome distributions are drawn (default: those the
        Monte Carlo solves batched, see
        :data:`realpolitik.analysis.uncertainty.evaluate.BATCHED`).
    survival : add the alliance-survival pictures (Kaplan–Meier by type, hazard ratios, the
        scenario pair's yearly probability of ending; issue 19).
    """
    from ..analysis.alliance.cohesion import alliance_strains
    from ..forecast import forecast
    from ..models import get

    notes: list[str] = []
    has_sq = any(i.status_quo is not None for i in scenario.issues)
    chosen = list(models or [m for m in DEFAULT_MODELS if has_sq or not get(m).needs_status_quo])
    if "compromise" not in chosen:
        chosen.insert(0, "compromise")
    if forecast_doc is None:  # with flags, prediction intervals and track record, as the CLI
        from ..backtest.trust import trusted

        forecast_doc = trusted(forecast(scenario, chosen, seed=seed))[2]
    dyn = None
    if dynamic_model and scenario.groups():
        dyn = forecast(scenario, [dynamic_model], seed=seed, trace=True)  # dyads: strains
    if distribution_models is None:  # the models the Monte Carlo solves batched: quick
        from ..analysis.uncertainty.evaluate import BATCHED as batched

        distribution_models = [m for m in chosen if m in batched]
        slow = [m for m in chosen if m not in batched]
        if slow and draws > 0:
            notes.append(f"outcome distributions of {', '.join(slow)} left out (solved draw "
                         "by draw: slow); name them in distribution_models to include them")
    strains = [s.to_dict() for s in alliance_strains(scenario, dyn)]
    return jsonable({
        "schema": SCHEMA,
        "scenario": scenario.model_dump(mode="json"),
        "forecast": forecast_doc,
        "distributions": _distributions(scenario, distribution_models, seed, draws, notes),
        "sensitivity": (_sensitivity(scenario, sensitivity_model, seed, sobol_samples, notes)
                        if sensitivity_model else None),
        "cohesion": {
            "scenario": strains,
            "dynamic_model": dynamic_model if dyn is not None else None,
            "data": _data_cohesion(scenario, cohesion_years, data_dir, notes),
        },
        "survival": _survival(scenario, data_dir, notes) if survival else None,
        "notes": notes,
    })


def from_forecast_json(doc: dict[str, Any], scenario: Scenario | None = None,
                       **options: Any) -> dict[str, Any]:
    """A record from a saved forecast document (``realpolitik forecast --format json``).

    With the ``scenario`` it was run on (a store run keeps it), every panel is rebuilt around
    the saved forecast; without, only the panels the forecast itself holds are shown.
    """
    if doc.get("schema") == SCHEMA:
        return doc
    if not str(doc.get("schema", "")).startswith("realpolitik.forecast/"):
        raise ValueError(f"not a forecast record: schema {doc.get('schema')!r}")
    if scenario is not None:
        if doc["scenario"].get("hash") not in (None, scenario.content_hash()):
            raise ValueError("the forecast was run on a different scenario (hash differs)")
        return collect(scenario, [m["model"] for m in doc["models"]], forecast_doc=doc,
                       seed=int(doc.get("seed") or 0), **options)
    return jsonable({
        "schema": SCHEMA, "scenario": None, "forecast": doc, "distributions": None,
        "sensitivity": None, "cohesion": None,
        "notes": ["the record holds the forecast only (no scenario): pass the scenario to show "
                  "the scenario table, actor map, distributions, sensitivity and cohesion"],
    })
