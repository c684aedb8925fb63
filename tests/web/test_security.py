"""Security basics: CSRF, trusted hosts, access token, upload limit, no path traversal, safe
YAML, jobs private to their session."""

from __future__ import annotations

import warnings
from pathlib import Path

from realpolitik.web import create_app

with warnings.catch_warnings():  # starlette warns at import that httpx will be replaced
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]


def test_forms_need_the_session_csrf_token(client):
    http = client.http
    assert http.post("/open", data={"example": "korea-2006"}).status_code == 403
    assert http.post("/open", data={"csrf": "forged", "example": "korea-2006"}
                     ).status_code == 403
    cross = http.post("/open", data={"csrf": client.csrf, "example": "korea-2006"},
                      headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    ok = http.post("/open", data={"csrf": client.csrf, "example": "korea-2006"},
                   headers={"Origin": "http://127.0.0.1"}, follow_redirects=False)
    assert ok.status_code == 303


def test_a_token_from_another_session_does_not_work(client):
    with TestClient(client.http.app, base_url="http://127.0.0.1") as other:  # same app
        other.get("/")  # its own session
        r = other.post("/open", data={"csrf": client.csrf, "example": "korea-2006"})
        assert r.status_code == 403


def test_json_endpoints_need_json_and_the_header(client):
    client.open_example()
    http = client.http
    body = {"values": {"cap:USA": "1"}}
    assert http.post("/api/validate", json=body).status_code == 403  # no X-CSRF-Token
    r = http.post("/api/validate", data={"values": "x"}, headers={"X-CSRF-Token": client.csrf})
    assert r.status_code == 415  # a cross-site form could send this content type
    r = http.post("/api/validate", json=body, headers={"X-CSRF-Token": client.csrf})
    assert r.status_code == 200 and r.json() == {"ok": True, "errors": {}}
    r = http.post("/api/forecast", json={"example": "korea-2006"},
                  headers={"Origin": "http://evil.example"})
    assert r.status_code == 403


def test_only_loopback_host_names_without_a_token(settings):
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"Host": "localhost:8000"}).status_code == 200
        assert c.get("/", headers={"Host": "attacker.example"}).status_code == 400


def test_token_required_and_kept_out_of_the_url(settings):
    settings.token = "s3cret-token"
    with TestClient(create_app(settings), base_url="http://10.0.0.5") as c:
        assert c.get("/").status_code == 401
        assert c.get("/?token=wrong").status_code == 401
        r = c.get("/cohesion?token=s3cret-token&a=USA", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/cohesion?a=USA"
        assert "httponly" in r.headers["set-cookie"].lower()
        assert c.get("/").status_code == 200  # the cookie carries it from now on
    with TestClient(create_app(settings), base_url="http://10.0.0.5") as c:
        r = c.get("/", headers={"Authorization": "Bearer s3cret-token"})
        assert r.status_code == 200


def test_upload_size_limit(client, settings):
    big = b"name: x\n" + b"#" * (settings.max_upload * 2)
    r = client.http.post("/upload", data={"csrf": client.csrf},
                         files={"file": ("big.yaml", big, "text/yaml")})
    assert r.status_code == 413
    just_over = b"#" * (settings.max_upload + 10)  # within the envelope, over the file limit
    r = client.http.post("/upload", data={"csrf": client.csrf},
                         files={"file": ("big.yaml", just_over, "text/yaml")})
    assert r.status_code == 413 and "larger than the limit" in r.text


def test_no_path_traversal(client, tmp_path):
    http = client.http
    for url in ("/static/..%2F..%2F..%2Fpyproject.toml", "/static/app.py",
                "/static/%2e%2e%2fapp.py", "/static/../web/app.py"):
        r = http.get(url)
        assert r.status_code == 404, url
        assert "[project]" not in r.text and "def create_app" not in r.text
    r = http.post("/open", data={"csrf": client.csrf, "example": "../../pyproject"})
    assert r.status_code == 404 and "no example named" in r.text
    # an upload's name picks at most the extension: nothing is written where it points
    target = tmp_path / "evil.yaml"
    text = (REPO / "examples" / "korea-2006.yaml").read_bytes()
    r = client.http.post("/upload", data={"csrf": client.csrf},
                         files={"file": (f"../../../../{target}", text, "text/yaml")})
    assert r.status_code == 200 and r.url.path == "/scenario"
    assert not target.exists()


def test_yaml_cannot_run_code(client, tmp_path):
    marker = tmp_path / "pwned"
    evil = (f'name: !!python/object/apply:os.system ["touch {marker}"]\n'
            "actors: []\nissues: []\nstances: {}\n").encode()
    r = client.http.post("/upload", data={"csrf": client.csrf},
                         files={"file": ("evil.yaml", evil, "text/yaml")})
    assert r.status_code == 400
    assert "is not allowed" in r.text and "evil.yaml" in r.text
    assert not marker.exists()


def test_jobs_are_private_to_their_session(client):
    client.open_example()
    r = client.http.post("/run", data={"csrf": client.csrf, "model": "compromise"},
                         follow_redirects=False)
    job = r.headers["location"].split("/jobs/")[1].split("?")[0]
    assert client.http.get(f"/api/jobs/{job}").status_code == 200
    with TestClient(client.http.app, base_url="http://127.0.0.1") as other:  # same app
        other.get("/")
        assert other.get(f"/api/jobs/{job}").status_code == 404
