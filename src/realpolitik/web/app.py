"""The FastAPI application: :func:`create_app` wires settings, security, pages and the API.

Pages are rendered on the server (Jinja2) with a little JavaScript for inline validation,
progress bars and charts (the same Vega-Lite specs as the report, drawn by the vendored Vega
scripts served from this app: no CDN). See ``docs/web.md``.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates

from .._version import __version__
from ..report.assets import SCRIPTS, script
from ..report.html import json_for_script
from ..scenario import Scenario, ScenarioError
from ..wording import counted
from .security import AccessGuard, csrf_ok
from .workspace import Jobs, TooManySessions, Workspace, Workspaces

__all__ = ["Settings", "create_app", "App", "examples"]

SESSION_COOKIE = "rp_session"
UPLOAD_SUFFIXES = (".yaml", ".yml", ".csv", ".xml", ".txt", ".dat", ".tsv")


def examples() -> dict[str, Path]:
    """Scenarios the app offers to open, by name: the repository's ``examples/`` (when run
    from a checkout) and the cases shipped in the package."""
    found: dict[str, Path] = {}
    shipped = resources.files("realpolitik") / "cases"
    checkout = Path(__file__).resolve().parents[3] / "examples"
    for folder in (Path(str(shipped)), checkout):
        if folder.is_dir():
            for p in sorted(folder.glob("*.y*ml")):
                found[p.stem] = p
    return dict(sorted(found.items()))


@dataclass
class Settings:
    """How the app runs. ``token``: required access token (``None`` = localhost only)."""

    token: str | None = None
    store_url: str | None = None
    data_dir: Path | None = None
    max_upload: int = 2 * 1024 * 1024
    max_draws: int = 5000
    report_draws: int = 300
    report_sobol: int = 64
    workers: int = 2
    examples: dict[str, Path] = field(default_factory=examples)


class App:
    """The state behind the routes: settings, workspaces, jobs, templates, the store."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.workspaces = Workspaces()
        self.jobs = Jobs(workers=settings.workers)
        folder = resources.files("realpolitik.web") / "templates"
        self.templates = Jinja2Templates(directory=str(folder))
        self.templates.env.globals.update(version=__version__, tojson_script=json_for_script)
        self.templates.env.filters["counted"] = counted
        self._examples: dict[str, Scenario] = {}
        self._lock = threading.Lock()

    @cached_property
    def store(self) -> Any:
        """The run store, or the reason it is unavailable (a string)."""
        try:
            from ..store import Store

            return Store(self.settings.store_url)
        except Exception as e:  # no store module, bad URL, unreachable database …
            return f"the run store is unavailable: {type(e).__name__}: {e}"

    def example(self, name: str) -> Scenario:
        """A shipped example by name, parsed once (scenarios are immutable)."""
        path = self.settings.examples.get(name)
        if path is None:
            raise HTTPException(404, f"no example named {name[:60]!r}")
        with self._lock:
            if name not in self._examples:
                from ..scenario.io import load

                self._examples[name] = load(path)
            return self._examples[name]

    # -- sessions ------------------------------------------------------------------------
    def workspace(self, request: Request) -> tuple[Workspace, bool]:
        """The caller's workspace and whether it is new (429 when there is no room for one)."""
        ws = self.workspaces.get(request.cookies.get(SESSION_COOKIE))
        if ws is not None:
            return ws, False
        try:
            return self.workspaces.new(request.client.host if request.client else ""), True
        except TooManySessions as e:
            raise HTTPException(429, f"{e}: try again later") from None

    def page(self, request: Request, name: str, ctx: dict[str, Any], status: int = 200,
             ws: Workspace | None = None, new: bool = False) -> Response:
        if ws is None:
            ws, new = self.workspace(request)
        resp = self.templates.TemplateResponse(
            request, name, {"ws": ws, "csrf": ws.csrf, "nav": name.split(".")[0], **ctx},
            status_code=status)
        resp.headers["Cache-Control"] = "no-store"
        if new:
            self.set_session(resp, ws)
        return resp

    @staticmethod
    def set_session(resp: Response, ws: Workspace) -> None:
        resp.set_cookie(SESSION_COOKIE, ws.id, httponly=True, samesite="strict")

    def post_workspace(self, request: Request, given: str | None) -> Workspace:
        """The caller's workspace for a POST, after the CSRF check (403 if it fails)."""
        ws = self.workspaces.get(request.cookies.get(SESSION_COOKIE))
        if ws is None or not csrf_ok(request, ws.csrf, given):
            raise HTTPException(403, "the form has expired or did not come from this app: "
                                     "reload the page and try again")
        return ws

    def require_scenario(self, ws: Workspace) -> Scenario:
        if ws.scenario is None:
            raise HTTPException(409, "open a scenario first")
        return ws.scenario

    def load_upload(self, filename: str, data: bytes, fmt: str | None) -> Scenario:
        """Parse uploaded bytes with the ordinary readers, from a private temporary file
        whose name is ours (the client's file name only chooses the extension)."""
        from ..scenario.io import load

        suffix = Path(filename or "").suffix.lower()
        suffix = suffix if suffix in UPLOAD_SUFFIXES else ".txt"
        with tempfile.TemporaryDirectory(prefix="rp-upload-") as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            try:
                return load(path, format=fmt or None)
            except ScenarioError as e:  # name the file as the user knows it
                shown = Path(filename or "upload").name[:100]
                named = ScenarioError([p.__class__(p.message, shown, p.line, p.field, p.key)
                                       for p in e.problems])
                named.draft = e.draft  # what was read, for the editor to open
                raise named from None


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app (run it with uvicorn, or ``realpolitik serve``)."""
    settings = settings or Settings()
    state = App(settings)
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.jobs.shutdown()

    api = FastAPI(title="realpolitik", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url=None, lifespan=lifespan)
    api.state.rp = state
    api.add_middleware(AccessGuard, token=settings.token, max_body=settings.max_upload + 64 * 1024)

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        try:
            return state.page(request, "error.html", {"status": exc.status_code,
                                                      "detail": exc.detail}, exc.status_code)
        except HTTPException:  # no session to render a page with (429): plain text
            return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    @api.get("/static/{name}")
    def static(name: str) -> Response:
        if name in SCRIPTS:
            return Response(script(name), media_type="text/javascript",
                            headers={"Cache-Control": "max-age=86400"})
        if name in ("app.js", "app.css", "embed.js", "editor.js", "editor.css"):
            pkg = "realpolitik.report" if name == "embed.js" else "realpolitik.web"
            folder = "templates" if name == "embed.js" else "static"
            text = (resources.files(pkg) / folder / name).read_text("utf-8")
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            return Response(text, media_type=kind)
        raise HTTPException(404, "no such file")

    @api.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @api.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        return state.page(request, "home.html", {"examples": list(settings.examples),
                                                 "problems": []})

    from . import pages_analysis, pages_editor, pages_scenario

    pages_scenario.register(api, state)
    pages_analysis.register(api, state)
    pages_editor.register(api, state)

    return api
