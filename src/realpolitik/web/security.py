"""Security basics of the app: access token, trusted hosts, CSRF, bounded uploads.

* **Access token** (required when the app listens beyond this machine): given once as
  ``?token=…`` (then kept in an HttpOnly, SameSite=Strict cookie) or as
  ``Authorization: Bearer …``; compared in constant time.
* **Trusted hosts**: without a token only ``localhost`` and loopback addresses (127.0.0.0/8,
  ``[::1]``; :func:`is_loopback`, the same rule ``realpolitik serve`` uses) are accepted in
  the ``Host`` header, so a web page cannot reach the app through DNS rebinding.
* **CSRF**: every state-changing request (POST) must carry the workspace's secret token
  (form field ``csrf`` or header ``X-CSRF-Token``) and, if the browser sends one, an
  ``Origin`` of this very host; the session cookie is SameSite=Strict as well.
* **Request bodies**: a declared ``Content-Length`` over the limit is refused with 413 before
  the body is read; every body is also counted as it streams in (chunked too), and reading
  stops with 413 as soon as it passes the limit.
* **HEAD** is answered wherever GET is (the GET response without its body).
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "is_loopback",
    "request_host",
    "AccessGuard",
    "BodyTooLarge",
    "csrf_ok",
    "same_origin",
    "TOKEN_COOKIE",
]

TOKEN_COOKIE = "rp_token"
Message = MutableMapping[str, Any]


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ``::1``, bracketed or not).

    The one rule for "this machine only": ``realpolitik serve`` uses it to decide whether a
    token is needed, and :class:`AccessGuard` to accept a ``Host`` header without one — so an
    address the CLI serves without a token is always one whose URL the guard accepts.
    """
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def request_host(host_header: str) -> str:
    """The host name of a ``Host`` header, without its port (``[::1]:80`` → ``[::1]``)."""
    host = host_header.strip()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class BodyTooLarge(HTTPException):
    """The request body passed the limit while it was being read."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request too large (limit {limit // 1024} KiB)")


class AccessGuard:
    """ASGI middleware in front of every route: host or token check, ``HEAD`` served as
    ``GET`` without the body, and the request-body limit.

    The body limit is enforced twice: a declared ``Content-Length`` over it is refused before
    anything is read, and the bytes actually received are counted as they stream in (chunked
    or not), so the route that reads them fails with 413 as soon as the count passes the limit
    — the body is never buffered beyond it.
    """

    def __init__(self, app: ASGIApp, token: str | None, max_body: int) -> None:
        self.app, self.token, self.max_body = app, token, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refused = self._check(request)
        if refused is not None:
            await refused(scope, receive, send)
            return
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._too_large(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:  # HEAD works wherever GET does: the same response without its body
            scope = {**scope, "method": "GET"}
        received, started = 0, False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        resp = PlainTextResponse(
            f"request too large (limit {self.max_body // 1024} KiB)", status_code=413
        )
        await resp(scope, receive, send)

    def _check(self, request: Request) -> Response | None:
        if self.token is None:
            if not is_loopback(request_host(request.headers.get("host", ""))):
                return PlainTextResponse("unknown host", status_code=400)
            return None
        given = (
            request.query_params.get("token")
            or request.cookies.get(TOKEN_COOKIE)
            or request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        )
        if not given or not secrets.compare_digest(given.encode(), self.token.encode()):
            return PlainTextResponse(
                "access token required: open the URL printed by `realpolitik serve` (…?token=…)",
                status_code=401,
            )
        if "token" in request.query_params and request.method in ("GET", "HEAD"):
            # keep the token out of the address bar, history and Referer headers
            rest = urlencode(
                [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            )
            resp = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), 303)
            resp.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            return resp
        return None


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
