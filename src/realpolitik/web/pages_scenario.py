"""Pages that open, edit and export the scenario: open/upload, the table, the report."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..scenario import Scenario, ScenarioError
from ..scenario.io import READERS, dumps
from .editing import apply_edits, cells
from .security import same_origin

if TYPE_CHECKING:
    from .app import App

__all__ = ["register"]


def _problems(e: ScenarioError) -> list[str]:
    return [str(p) for p in e.problems]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80] or "scenario"


class ForecastRequest(BaseModel):
    """The body of ``POST /api/forecast``; every field is checked here (422 with the field
    named), before any model runs."""

    model_config = ConfigDict(extra="forbid", strict=True)

    example: str | None = Field(None, max_length=200)
    scenario: dict[str, Any] | None = None
    models: list[Annotated[str, Field(max_length=40)]] | None = Field(None, max_length=20)
    seed: int = Field(0, ge=0, le=2**63 - 1)
    params: dict[str, Any] = Field(default_factory=dict)
    rounds: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> ForecastRequest:
        if (self.example is None) == (self.scenario is None):
            raise ValueError("give exactly one of example and scenario")
        return self


def _field_errors(e: ValidationError) -> str:
    """Pydantic's errors as ``field: message`` (the input value left out: it may be huge)."""
    out = []
    for err in e.errors(include_url=False, include_input=False)[:10]:
        where = ".".join(str(x) for x in err["loc"]) or "body"
        out.append(f"{where}: {err['msg']}")
    return "; ".join(out)


def register(api: FastAPI, state: App) -> None:  # noqa: C901 - one closure per route
    settings = state.settings

    def home_with(request: Request, problems: list[str], status: int) -> Response:
        return state.page(request, "home.html", {"examples": list(settings.examples),
                                                 "problems": problems}, status)

    @api.post("/open")
    async def open_example(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=8)
        ws = state.post_workspace(request, str(form.get("csrf") or ""))
        name = str(form.get("example") or "")
        if name not in settings.examples:  # a name from our list, never a path
            return home_with(request, [f"no example named {name[:60]!r}"], 404)
        ws.open(state.example(name), f"example {name}")
        return RedirectResponse("/scenario", status_code=303)

    @api.post("/upload")
    async def upload(request: Request) -> Response:
        form = await request.form(max_files=1, max_fields=8,
                                  max_part_size=settings.max_upload)
        ws = state.post_workspace(request, str(form.get("csrf") or ""))
        file, fmt = form.get("file"), str(form.get("format") or "")
        if not isinstance(file, UploadFile):
            return home_with(request, ["choose a file to upload"], 400)
        data = await file.read(settings.max_upload + 1)
        if len(data) > settings.max_upload:
            return home_with(request, [f"the file is larger than the limit "
                                       f"({settings.max_upload // 1024} KiB)"], 413)
        if fmt and fmt not in READERS:
            return home_with(request, [f"unknown format {fmt[:30]!r}"], 400)
        try:
            sc = state.load_upload(file.filename or "", data, fmt or None)
        except ScenarioError as e:
            from ..scenario.document import draft_of, problem_record

            doc = draft_of(e)
            if doc is None or not (doc.get("actors") or doc.get("issues")):
                return home_with(request, _problems(e), 400)
            # the file was read but is wrong: open it in the editor to fix it there
            ws.draft = {"doc": doc, "problems": [problem_record(p) for p in e.problems],
                        "source": f"upload {(file.filename or 'file')[:100]}"}
            return RedirectResponse("/editor", status_code=303)
        ws.open(sc, f"upload {(file.filename or 'file')[:100]}")
        return RedirectResponse("/scenario", status_code=303)

    def table_page(request: Request, ws: Any, values: dict[str, str],
                   errors: dict[str, list[str]], status: int = 200,
                   saved: bool = False) -> Response:
        return state.page(request, "scenario.html", {
            "sc": ws.scenario, "values": values, "errors": errors, "saved": saved,
            "general": errors.get("", [])}, status, ws=ws)

    @api.get("/scenario", response_class=HTMLResponse)
    def scenario_page(request: Request, saved: int = 0) -> Response:
        ws, new = state.workspace(request)
        if ws.scenario is None:
            return RedirectResponse("/", status_code=303)
        resp = table_page(request, ws, cells(ws.scenario), {}, saved=bool(saved))
        if new:
            state.set_session(resp, ws)
        return resp

    @api.post("/scenario")
    async def scenario_save(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=20000)
        ws = state.post_workspace(request, str(form.get("csrf") or ""))
        sc = state.require_scenario(ws)
        values = {k: str(v) for k, v in form.items() if k != "csrf"}
        edit = apply_edits(sc, values)
        if not edit.ok:
            return table_page(request, ws, {**cells(sc), **values}, edit.errors, 400)
        assert edit.scenario is not None
        ws.edit(edit.scenario)
        return RedirectResponse("/scenario?saved=1", status_code=303)

    @api.post("/api/validate")
    async def validate(request: Request) -> Response:
        ws = state.post_workspace(request, None)
        sc = state.require_scenario(ws)
        body = await _json_body(request)
        values = {str(k): str(v) for k, v in (body.get("values") or {}).items()}
        edit = apply_edits(sc, values)
        return JSONResponse({"ok": edit.ok, "errors": edit.errors})

    @api.get("/scenario.{fmt}")
    def download_scenario(request: Request, fmt: str) -> Response:
        ws, _ = state.workspace(request)
        sc = state.require_scenario(ws)
        if fmt not in ("yaml", "csv"):
            raise HTTPException(404, "download as .yaml or .csv")
        return Response(dumps(sc, fmt), media_type="text/plain; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{_slug(sc.name)}.{fmt}"'})

    @api.get("/report", response_class=HTMLResponse)
    def report_page(request: Request) -> Response:
        ws, new = state.workspace(request)
        return state.page(request, "report.html", {
            "draws": settings.report_draws, "sobol": settings.report_sobol}, ws=ws, new=new)

    @api.get("/report.html")
    def report_download(request: Request, draws: int | None = None,
                        sobol: int | None = None) -> Response:
        from ..report import collect, render

        ws, _ = state.workspace(request)
        sc = state.require_scenario(ws)
        d = settings.report_draws if draws is None else max(0, min(draws, settings.max_draws))
        s = settings.report_sobol if sobol is None else max(0, min(sobol, 1024))
        run = ws.run or {}
        doc = run.get("forecast") if run.get("scenario_hash") == sc.content_hash() else None
        models = [m["model"] for m in doc["models"]] if doc else None
        seed = int(doc["seed"]) if doc else 0
        try:
            html = render(collect(sc, models, seed=seed, draws=d, sobol_samples=s,
                                  data_dir=settings.data_dir, forecast_doc=doc))
        except ScenarioError as e:
            raise HTTPException(400, "; ".join(_problems(e))) from None
        return HTMLResponse(html, headers={
            "Content-Disposition": f'attachment; filename="{_slug(sc.name)}-report.html"'})

    @api.post("/api/forecast")
    async def api_forecast(request: Request) -> Response:
        """Stateless JSON forecast: ``{"example": NAME | "scenario": {...}, "models": [...],
        "seed": N, "params": {...}}`` → the forecast JSON contract (docs/json-schema.md)."""
        from ..forecast import forecast

        if not same_origin(request):
            raise HTTPException(403, "cross-origin request refused")
        body = await _json_body(request)
        try:
            req = ForecastRequest.model_validate(body)
        except ValidationError as e:
            raise HTTPException(422, _field_errors(e)) from None
        if req.example is not None:
            sc = state.example(req.example)
        else:
            try:
                sc = Scenario.model_validate(req.scenario)
            except Exception as e:  # pydantic or ScenarioError: a client error either way
                raise HTTPException(422, f"invalid scenario: {str(e)[:500]}") from None
        models, seed, params = req.models or ["compromise"], req.seed, req.params

        def run() -> dict[str, Any]:  # CPU work off the event loop
            fc = forecast(sc, models, params, seed)
            return fc.to_dict(rounds=req.rounds)

        try:
            return JSONResponse(await run_in_threadpool(run))
        except ScenarioError as e:
            raise HTTPException(422, "; ".join(_problems(e))) from None


async def _json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; a JSON content type is required (a cross-site form cannot
    send one without a CORS preflight, which this app never grants)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(415, "send application/json")
    try:
        body = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise HTTPException(400, "malformed JSON") from None
    if not isinstance(body, dict):
        raise HTTPException(400, "expected a JSON object")
    return body
