"""Fixtures for the web app: a TestClient with a session and CSRF token, a live server on
127.0.0.1 and headless Chromium (Debian's ``/usr/bin/chromium``; skipped when absent)."""

from __future__ import annotations

import re
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from realpolitik.web import Settings, create_app

with warnings.catch_warnings():  # starlette warns at import that httpx will be replaced
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "web"


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m, "page without a CSRF token"
    return m.group(1)


class Client:
    """A TestClient that knows its session's CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.http = client
        self.csrf = csrf_of(client.get("/").text)

    def open_example(self, name: str = "korea-2006") -> None:
        r = self.http.post("/open", data={"csrf": self.csrf, "example": name})
        assert r.status_code == 200 and r.url.path == "/scenario", r.text[:500]

    def run(self, *models: str, seed: int = 0, draws: int = 0) -> dict:
        r = self.http.post("/run", data={"csrf": self.csrf, "model": list(models),
                                         "seed": str(seed), "draws": str(draws)},
                           follow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        job = r.headers["location"].split("/jobs/")[1].split("?")[0]
        for _ in range(600):
            status = self.http.get(f"/api/jobs/{job}").json()
            if status["status"] in ("done", "failed"):
                return status
            time.sleep(0.05)
        raise AssertionError("job did not finish")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store_url=f"sqlite:///{tmp_path / 'runs.db'}", max_upload=64 * 1024,
                    report_draws=0, report_sobol=0, data_dir=tmp_path / "no-data")


@pytest.fixture
def client(settings: Settings) -> Iterator[Client]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as tc:
        yield Client(tc)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 in a thread; yields its base URL."""
    import uvicorn

    db = tmp_path_factory.mktemp("store") / "runs.db"
    app = create_app(Settings(store_url=f"sqlite:///{db}", report_draws=100, report_sobol=32))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser: object, live_server: str) -> Iterator[object]:
    """A fresh browser context (its own cookies) with a page on the live server; every
    request to another host fails the test (the app must work offline)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},  # type: ignore
                                  base_url=live_server, accept_downloads=True)
    outside: list[str] = []

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(live_server) or url.startswith(("data:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield pg
    context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"JavaScript errors: {errors}"
