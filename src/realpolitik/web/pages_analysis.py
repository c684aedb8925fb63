"""Pages that analyse the scenario: run and compare models (with progress), what-if shocks
and levers, saved runs and the ledger, alliance cohesion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..report import charts
from ..report.record import dyad_series
from ..scenario import Scenario, ScenarioError
from .params_form import param_fields, params_summary, submitted_params
from .workspace import Workspace

if TYPE_CHECKING:
    from .app import App

__all__ = ["register", "run_models"]

DEFAULT_RUN = ("compromise", "eum")


def run_models(sc: Scenario, models: list[str], seed: int, draws: int,
               progress: Any = lambda p, m: None,
               params: dict[str, str] | None = None) -> dict[str, Any]:
    """Forecast ``models`` (one at a time, reporting progress), then, if ``draws`` > 0, the
    Monte Carlo forecast of all of them as the CLI's ``forecast --draws`` makes it. The
    ``forecast`` record is the CLI's ``--format json`` document for the same scenario,
    models, ``params`` (``MODEL.KEY`` → text), seed and draws. Each model's stream depends
    only on the seed and its name, so running them one by one gives the same numbers."""
    from ..forecast import Forecast, forecast, split_params

    per_model = split_params(models, params or {})
    steps = len(models) + (1 if draws else 0)
    results: list[Any] = []
    for k, m in enumerate(models):
        progress(k / steps, f"running {m}")
        results.extend(forecast(sc, [m], per_model[m], seed=seed).results)
    point = Forecast(sc, tuple(results), seed)
    from ..backtest.trust import trusted  # flags, intervals, track record: as the CLI

    point, _, doc = trusted(point)
    dist = None
    if draws:
        from ..analysis.uncertainty.montecarlo import forecast_draws
        from ..exports import with_uncertainty

        drawn, note = with_uncertainty(sc)

        def chunks(done: int, total: int) -> None:  # told at the start and after each chunk
            progress((len(models) + done / total) / steps,
                     f"{draws} draws of {', '.join(models)}: chunk {done} of {total}")

        mc = forecast_draws(drawn, models, dict(params or {}), seed, draws,
                            uncertainty_note=note, on_progress=chunks)
        from ..backtest.trust import trusted_draws

        # intervals, track record and the flags of the point forecast checked above, as the CLI
        doc = trusted_draws(mc, flagged=point)[2]
        rows = [{"model": r["model"], "issue": r["issue"],
                 "point": r["distribution"]["point"],
                 **{q: r["distribution"][q] for q in ("median", "p2_5", "p10", "p90",
                                                      "p97_5", "histogram")}}
                for r in doc["forecasts"] if r.get("distribution")]
        dist = {"draws": draws, "seed": seed, "note": note or "uncertainty as declared in "
                "the scenario", "rows": rows}
    return {"forecast": doc, "point": point, "distributions": dist,
            "scenario_hash": sc.content_hash(), "models": models, "seed": seed,
            "draws": draws, "params": dict(params or {})}


def _int(text: Any, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(str(text).strip())))
    except (TypeError, ValueError):
        return default


def _names(sc: Scenario) -> dict[str, str]:
    return {i.id: i.label for i in sc.issues}


def register(api: FastAPI, state: App) -> None:  # noqa: C901 - one closure per route
    settings = state.settings

    def current(request: Request) -> tuple[Workspace, bool]:
        ws, new = state.workspace(request)
        if ws.scenario is None:
            raise HTTPException(409, "open a scenario first")
        return ws, new

    def run_context(ws: Workspace) -> dict[str, Any]:
        from ..models import get, names

        sc = ws.scenario
        assert sc is not None
        run = ws.run if ws.run and ws.run["scenario_hash"] == sc.content_hash() else None
        stale = ws.run is not None and run is None
        specs: dict[str, Any] = {}
        if run:
            fc, nm = run["forecast"], _names(sc)
            specs = {"chart-comparison": charts.model_comparison(fc, nm),
                     "chart-trajectories": charts.trajectories(fc, nm),
                     "chart-intervals": (charts.distributions(run["distributions"], nm,
                                                              charts.scales(fc, nm))
                                         if run["distributions"] else None)}
        table: dict[str, dict[str, float | None]] | None = None
        before: dict[tuple[str, str], float | None] = {}
        if run:
            table = {}
            for r in run["forecast"]["forecasts"]:
                table.setdefault(r["model"], {})[r["issue"]] = r["outcome"]
            if ws.previous and ws.previous is not run:
                for r in ws.previous["forecast"]["forecasts"]:
                    before[(r["model"], r["issue"])] = r["outcome"]
        from ..backtest.trust import summary

        trust = summary(run["forecast"]) if run else None
        return {"sc": sc, "run": run, "stale": stale, "table": table, "before": before,
                "trust": trust,
                "specs": {k: v for k, v in specs.items() if v is not None},
                "models": [(m, get(m).summary, get(m).dynamic) for m in names()],
                "param_fields": {m: param_fields(m) for m in names()},
                "param_summaries": {m: params_summary(m) for m in names()},
                "params": run.get("params", {}) if run else {},
                "chosen": run["models"] if run else list(DEFAULT_RUN)}

    @api.get("/run", response_class=HTMLResponse)
    def run_page(request: Request) -> Response:
        ws, new = current(request)
        return state.page(request, "run.html", run_context(ws), ws=ws, new=new)

    @api.get("/compare", response_class=HTMLResponse)
    def compare_page(request: Request) -> Response:
        ws, new = current(request)
        return state.page(request, "compare.html", run_context(ws), ws=ws, new=new)

    @api.post("/run")
    async def run_start(request: Request) -> Response:
        from pydantic import ValidationError

        from ..forecast import split_params
        from ..models import create, names
        from ..scenario.problems import option_problems

        form = await request.form(max_files=0, max_fields=512)
        ws = state.post_workspace(request, str(form.get("csrf") or ""))
        sc = state.require_scenario(ws)
        known = names()
        models = [m for m in form.getlist("model") if m in known]
        if form.get("all"):
            models = list(known)
        if not models:
            raise HTTPException(400, "choose at least one model")
        seed = _int(form.get("seed"), 0, 0, 2**32 - 1)
        draws = _int(form.get("draws"), 0, 0, settings.max_draws)
        params = submitted_params(form, models)
        try:  # bad parameters are the user's to fix, on the form, before a job starts
            for m, p in split_params(models, params).items():
                try:
                    create(m, **p)
                except ValidationError as e:
                    raise option_problems(e, f"{m}.") from None
        except ScenarioError as e:
            raise HTTPException(400, "; ".join(str(p) for p in e.problems)) from None

        job = state.jobs.submit(ws.id, f"{', '.join(models)} on {sc.name}",
                                lambda progress: run_models(sc, models, seed, draws, progress,
                                                            params),
                                ws.finish_run)
        back = "/compare" if form.get("back") == "compare" else "/run"
        return RedirectResponse(f"/jobs/{job.id}?next={back}", status_code=303)

    @api.get("/results.{fmt}")
    def results_download(request: Request, fmt: str) -> Response:
        """The last run as the CLI writes it: ``--format json`` or ``--format csv``."""
        from ..exports import draws_csv, forecast_csv, to_json

        ws, _ = current(request)
        sc = ws.scenario
        run = ws.run if ws.run and sc and ws.run["scenario_hash"] == sc.content_hash() \
            else None
        if run is None:
            raise HTTPException(409, "run the models on this scenario first")
        if fmt == "json":
            text, kind = to_json(run["forecast"]), "application/json"
        elif fmt == "csv":
            text = draws_csv(run["forecast"]) if run["draws"] else forecast_csv(run["point"])
            kind = "text/csv"
        else:
            raise HTTPException(404, "download results as .json or .csv")
        name = "".join(c if c.isalnum() or c in "-_." else "-" for c in sc.name)[:80]
        return Response(text, media_type=f"{kind}; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name or "forecast"}-forecast.{fmt}"'})

    @api.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str, next: str = "/run") -> Response:
        ws, new = state.workspace(request)
        job = state.jobs.get(job_id, ws.id)
        if job is None:
            raise HTTPException(404, "no such job")
        target = next if next in ("/run", "/compare") else "/run"
        return state.page(request, "job.html", {"job": job, "next": target}, ws=ws, new=new)

    @api.get("/api/jobs/{job_id}")
    def job_status(request: Request, job_id: str) -> Response:
        ws, _ = state.workspace(request)
        job = state.jobs.get(job_id, ws.id)
        if job is None:
            raise HTTPException(404, "no such job")
        return JSONResponse(job.to_dict())

    # -- what-if and levers --------------------------------------------------------------
    def whatif_page_ctx(ws: Workspace, **extra: Any) -> dict[str, Any]:
        from ..models import names

        sc = ws.scenario
        assert sc is not None
        best = []
        for i in (ws.advice or {}).get("issues", []):
            moves = [m for m in (i.get("own_position"), i.get("own_salience"),
                                 *(i.get("persuade") or [])) if m]
            # the move that closes most of the gap, the cheapest of those
            best.append(min(moves, key=lambda m: (-round(m.get("gap_closed") or 0, 9),
                                                   m.get("cost") or 0)) if moves else None)
        return {"sc": sc, "best_moves": best,
                "result": ws.whatif, "advice": ws.advice, "models": names(),
                "shocks": "", "shock_errors": [], "lever_errors": [], **extra}

    @api.get("/whatif", response_class=HTMLResponse)
    def whatif_page(request: Request) -> Response:
        ws, new = current(request)
        return state.page(request, "whatif.html", whatif_page_ctx(ws), ws=ws, new=new)

    @api.post("/whatif")
    async def whatif_run(request: Request) -> Response:
        from ..analysis.strategy.whatif import whatif

        form = await request.form(max_files=0, max_fields=64)
        ws = state.post_workspace(request, str(form.get("csrf") or ""))
        sc = state.require_scenario(ws)
        text = str(form.get("shocks") or "")[:5000]
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()
                 and not ln.strip().startswith("#")]
        models = [str(m) for m in form.getlist("model") if m] or ["compromise"]
        draws = _int(form.get("draws"), 0, 0, settings.max_draws)
        try:
            if not lines:
                raise ScenarioError([])
            drawn = sc
            if draws:
                from ..exports import with_uncertainty

                drawn = with_uncertainty(sc)[0]
            ws.whatif = whatif(drawn, lines, models, seed=0, draws=draws).to_dict()
        except ScenarioError as e:
            errs = [str(p) for p in e.problems] or ["write at least one shock"]
            return state.page(request, "whatif.html", whatif_page_ctx(
                ws, shocks=text, shock_errors=errs), 400, ws=ws)
        return RedirectResponse("/whatif#whatif-result", status_code=303)

    @api.post("/levers")
    async def levers_run(request: Request) -> Response:
        from ..analysis.strategy.levers import advise

        form = await request.form(max_files=0, max_fields=16)
        ws = state.post_workspace(request, str(form.get("csrf") or ""))
        sc = state.require_scenario(ws)
        actor, model = str(form.get("actor") or ""), str(form.get("model") or "compromise")
        draws = _int(form.get("draws"), 0, 0, min(settings.max_draws, 200))
        try:
            drawn = sc
            if draws:
                from ..exports import with_uncertainty

                drawn = with_uncertainty(sc)[0]
            ws.advice = advise(drawn, actor, model, draws=draws).to_dict()
        except (ScenarioError, KeyError) as e:
            errs = ([str(p) for p in e.problems] if isinstance(e, ScenarioError)
                    else [str(e)])
            return state.page(request, "whatif.html", whatif_page_ctx(ws, lever_errors=errs),
                              400, ws=ws)
        return RedirectResponse("/whatif#levers-result", status_code=303)

    # -- saved runs and the ledger -------------------------------------------------------
    @api.get("/runs", response_class=HTMLResponse)
    def runs_page(request: Request) -> Response:
        ws, new = state.workspace(request)
        store = state.store
        ctx: dict[str, Any] = {"unavailable": store if isinstance(store, str) else None,
                               "runs": [], "ledger": [], "verified": None}
        if ctx["unavailable"] is None:
            ctx["runs"] = store.runs(limit=100)
            ctx["url"] = store.display_url
            try:
                from ..store import ledger

                ctx["ledger"] = ledger.entries(store)[-100:]
                ctx["verified"] = ledger.verify(store)
            except Exception as e:  # the ledger is optional
                ctx["ledger_error"] = f"{type(e).__name__}: {e}"
        return state.page(request, "runs.html", ctx, ws=ws, new=new)

    @api.post("/runs/save")
    async def runs_save(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=8)
        ws = state.post_workspace(request, str(form.get("csrf") or ""))
        sc = state.require_scenario(ws)
        store = state.store
        if isinstance(store, str):
            raise HTTPException(503, store)
        run = ws.run
        if not run or run["scenario_hash"] != sc.content_hash():
            raise HTTPException(409, "run the models on this scenario first")
        doc = run["forecast"]
        store.save_run(kind="forecast", name=sc.name, inputs=sc.model_dump(mode="json"),
                       models=[m["model"] for m in doc["models"]],
                       params={m["model"]: m["params"] for m in doc["models"]},
                       seed=doc["seed"], results=doc,
                       note=str(form.get("note") or "saved from the app")[:500])
        return RedirectResponse("/runs", status_code=303)

    @api.get("/runs/{run_id}/report.html")
    def run_report(request: Request, run_id: int) -> Response:
        from ..report import from_forecast_json, render

        store = state.store
        if isinstance(store, str):
            raise HTTPException(503, store)
        try:
            run = store.run(run_id)
        except KeyError:
            raise HTTPException(404, "no such run") from None
        if run.kind != "forecast":
            raise HTTPException(400, f"run {run_id} is a {run.kind}, not a forecast")
        sc = Scenario.model_validate(run.inputs) if run.inputs else None
        rec = from_forecast_json(run.results, sc, draws=settings.report_draws,
                                 sobol_samples=settings.report_sobol,
                                 data_dir=settings.data_dir)
        return HTMLResponse(render(rec), headers={
            "Content-Disposition": f'attachment; filename="run-{run_id}-report.html"'})

    # -- cohesion ------------------------------------------------------------------------
    @api.get("/cohesion", response_class=HTMLResponse)
    def cohesion_page(request: Request, a: str = "USA", b: str = "KOR",
                      start: int = 1991, end: int = 2019, survival: bool = False) -> Response:
        from ..analysis.alliance.cohesion import alliance_strains

        ws, new = state.workspace(request)
        a, b = a.strip().upper()[:3], b.strip().upper()[:3]
        start, end = max(1946, min(start, 2030)), max(1946, min(end, 2030))
        from ..analysis.alliance import glossary as gloss

        ctx: dict[str, Any] = {"a": a, "b": b, "start": start, "end": end, "error": None,
                               "series": None, "specs": {}, "strains": [], "coverage": [],
                               "glossary": gloss.MEASURES,
                               "scenario_glossary": gloss.SCENARIO_MEASURES,
                               "thresholds": gloss.thresholds(), "scenario_year": None,
                               "survival_asked": survival, "survival": None,
                               "survival_note": None}
        if ws.scenario and ws.scenario.date and ws.scenario.date[:4].isdigit():
            ctx["scenario_year"] = int(ws.scenario.date[:4])
        try:
            doc = dyad_series(a, b, start, end,
                                  str(settings.data_dir) if settings.data_dir else None)
            ctx["series"] = doc
            ctx["coverage"] = gloss.coverage(doc)
            year = None
            if ws.scenario and ws.scenario.date and ws.scenario.date[:4].isdigit():
                year = int(ws.scenario.date[:4])
            spec = charts.cohesion_data(doc, year if year and start <= year <= end else None)
            if spec:
                ctx["specs"]["chart-cohesion-data"] = spec
        except Exception as e:  # unknown country, missing data, bad years: shown on the page
            ctx["error"] = f"{type(e).__name__}: {e}"
        if ws.scenario is not None:
            run = ws.run if ws.run and ws.run["scenario_hash"] == \
                ws.scenario.content_hash() else None
            fc = None
            if run and any(f.get("rounds") for f in run["forecast"]["forecasts"]):
                from ..forecast import forecast

                dyn = [m for m in run["models"] if m == "eum"]
                fc = forecast(ws.scenario, dyn, seed=run["seed"], trace=True) if dyn else None
            ctx["strains"] = [s.to_dict() for s in alliance_strains(ws.scenario, fc)]
            for key, fn in (("chart-cohesion-components", charts.cohesion_components),
                            ("chart-cohesion-rounds", charts.cohesion_rounds)):
                spec = fn(ctx["strains"])
                if spec:
                    ctx["specs"][key] = spec
        if survival:
            from .survival_panel import survival_context

            got = survival_context(a, b, start, end, settings.data_dir)
            ctx["specs"].update(got["specs"])
            ctx["survival"], ctx["survival_note"] = got["survival"], got["note"]
        return state.page(request, "cohesion.html", ctx, ws=ws, new=new)
