"""The scenario workbench: build a scenario from nothing or fix one, in the browser.

The page is rendered here with the scenario *document* embedded; ``static/editor.js`` edits
it (actors, issues, participation, provenance, pasted tables, undo/redo, a draft autosaved
in the browser session) and asks ``/api/editor/check`` to validate it as the user types:
:func:`realpolitik.scenario.document.check` runs the same builder as every file reader, so
the messages are the CLI's. *Apply* makes the document the workspace's scenario; the
download routes write it as YAML or CSV (an invalid draft as YAML only, marked as such).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import yaml
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..scenario.document import check, document, empty, problem_record
from ..scenario.io import dumps
from .pages_scenario import _json_body, _slug

if TYPE_CHECKING:
    from .app import App

__all__ = ["register"]

MAX_DOC = 1_000_000  # characters of a posted document


def _doc_of(body: dict[str, Any]) -> Any:
    doc = body.get("doc")
    if len(json.dumps(doc)) > MAX_DOC:
        raise HTTPException(413, "the scenario document is too large")
    return doc


def register(api: FastAPI, state: App) -> None:
    @api.get("/editor", response_class=HTMLResponse)
    def editor_page(request: Request, new: int = 0) -> Response:
        ws, fresh = state.workspace(request)
        problems: list[dict[str, Any]] = []
        if new:
            doc, source = empty(), "new scenario"
        elif ws.draft is not None:
            doc, source = ws.draft["doc"], ws.draft["source"]
            problems = ws.draft["problems"]
        elif ws.scenario is not None:
            doc, source = document(ws.scenario), ws.source
        else:
            doc, source = empty(), "new scenario"
        return state.page(request, "editor.html", {
            "doc": doc, "problems": problems, "source": source,
            "base": "new" if source == "new scenario" else hashlib.sha256(json.dumps(
                doc, sort_keys=True).encode()).hexdigest()[:16],
        }, ws=ws, new=fresh)

    @api.post("/api/editor/check")
    async def editor_check(request: Request) -> Response:
        state.post_workspace(request, None)
        sc, problems = check(_doc_of(await _json_body(request)))
        return JSONResponse({"ok": sc is not None,
                             "problems": [problem_record(p) for p in problems]})

    @api.post("/api/editor/apply")
    async def editor_apply(request: Request) -> Response:
        ws = state.post_workspace(request, None)
        sc, problems = check(_doc_of(await _json_body(request)))
        if sc is None:
            return JSONResponse({"ok": False, "problems": [problem_record(p)
                                                            for p in problems]}, 422)
        if ws.scenario is None or ws.draft is not None:
            ws.open(sc, ws.draft["source"] + " (fixed)" if ws.draft else "built in the editor")
        elif sc != ws.scenario:
            ws.edit(sc)
        ws.draft = None
        return JSONResponse({"ok": True, "next": "/run", "hash": sc.content_hash()})

    @api.post("/editor/download")
    async def editor_download(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=8, max_part_size=MAX_DOC)
        state.post_workspace(request, str(form.get("csrf") or ""))
        fmt = str(form.get("format") or "yaml")
        if fmt not in ("yaml", "csv"):
            raise HTTPException(404, "download as yaml or csv")
        try:
            doc = json.loads(str(form.get("doc") or ""))
        except json.JSONDecodeError:
            raise HTTPException(400, "malformed scenario document") from None
        sc, problems = check(doc)
        name = _slug(str(doc.get("name") or "scenario") if isinstance(doc, dict) else "")
        if sc is not None:
            text = dumps(sc, fmt)
        elif fmt == "yaml":  # a draft with problems: kept as typed, marked as such
            head = "".join(f"# problem: {p}\n" for p in problems[:50])
            text = ("# realpolitik draft with problems (`realpolitik validate` lists them)\n"
                    + head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
            name += "-draft"
        else:
            raise HTTPException(400, "fix the problems first to download CSV (YAML keeps a "
                                     "draft): " + "; ".join(str(p) for p in problems[:5]))
        return Response(text, media_type="text/plain; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
