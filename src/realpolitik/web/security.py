"""Security basics of the app: access token, trusted hosts, CSRF, bounded uploads.

* **Access token** (required when the app listens beyond this machine): given once as
  ``?token=…`` (then kept in an HttpOnly, SameSite=Strict cookie) or as
  ``Authorization: Bearer …``; compared in constant time.
* **Trusted hosts**: without a token only ``localhost``/``127.0.0.1``/``[::1]`` are accepted
  in the ``Host`` header, so a web page cannot reach the app through DNS rebinding.
* **CSRF**: every state-changing request (POST) must carry the workspace's secret token
  (form field ``csrf`` or header ``X-CSRF-Token``) and, if the browser sends one, an
  ``Origin`` of this very host; the session cookie is SameSite=Strict as well.
* **Uploads**: a request larger than the limit is refused with 413 before its body is read.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

__all__ = ["LOOPBACK_HOSTS", "access_guard", "csrf_ok", "same_origin", "TOKEN_COOKIE"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
TOKEN_COOKIE = "rp_token"
Call = Callable[[Request], Awaitable[Response]]


def _host(request: Request) -> str:
    host = request.headers.get("host", "")
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def access_guard(token: str | None,
                 max_body: int) -> Callable[[Request, Call], Awaitable[Response]]:
    """HTTP middleware: host check or token check, then the body-size limit."""

    async def guard(request: Request, call_next: Call) -> Response:
        if token is None:
            if _host(request) not in LOOPBACK_HOSTS:
                return PlainTextResponse("unknown host", status_code=400)
        else:
            given = (request.query_params.get("token")
                     or request.cookies.get(TOKEN_COOKIE)
                     or request.headers.get("authorization", "").removeprefix("Bearer ").strip())
            if not given or not secrets.compare_digest(given.encode(), token.encode()):
                return PlainTextResponse("access token required: open the URL printed by "
                                         "`realpolitik serve` (…?token=…)", status_code=401)
            if "token" in request.query_params and request.method == "GET":
                # keep the token out of the address bar, history and Referer headers
                rest = urlencode([(k, v) for k, v in request.query_params.multi_items()
                                  if k != "token"])
                resp = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""),
                                        status_code=303)
                resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
                return resp
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            return PlainTextResponse(f"request too large (limit {max_body // 1024} KiB)",
                                     status_code=413)
        return await call_next(request)

    return guard


def same_origin(request: Request) -> bool:
    """True unless the browser says the request comes from another origin."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def csrf_ok(request: Request, expected: str, given: str | None) -> bool:
    """The CSRF check of a POST: the right token, from this origin."""
    given = given or request.headers.get("x-csrf-token")
    return bool(given) and secrets.compare_digest(str(given).encode(), expected.encode()) and \
        same_origin(request)
