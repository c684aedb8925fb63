"""``realpolitik serve``: localhost by default, a token off localhost; failed jobs reported."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.scenario import Problem, ScenarioError


@pytest.fixture
def served(monkeypatch):
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda asgi, **kw: calls.append((asgi, kw)))
    monkeypatch.delenv("REALPOLITIK_TOKEN", raising=False)
    return calls


def test_serve_binds_localhost_without_a_token(served):
    r = CliRunner().invoke(app, ["serve"])
    assert r.exit_code == 0, r.output
    (asgi, kw), = served
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8000
    assert asgi.state.rp.settings.token is None and "token=" not in r.output


def test_serve_off_localhost_requires_a_token(served):
    r = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert r.exit_code == 0, r.output
    token = re.search(r"\?token=(\S+)", r.output).group(1)
    (asgi, kw), = served
    assert kw["host"] == "0.0.0.0" and asgi.state.rp.settings.token == token
    assert len(token) >= 24
    r = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--token", "mine"])
    assert served[1][0].state.rp.settings.token == "mine"


def test_failed_job_is_shown(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ScenarioError([Problem("the model could not run", field="eum")])

    monkeypatch.setattr("realpolitik.web.pages_analysis.run_models", broken)
    client.open_example()
    status = client.run("eum")
    assert status["status"] == "failed"
    assert status["error"] == ["eum: the model could not run"]
    assert "The scenario changed" not in client.http.get("/run").text  # no run kept
