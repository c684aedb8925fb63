"""``--llm`` against a stub OpenAI-compatible server on 127.0.0.1 (started by the test)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from realpolitik.scenario import Actor, Issue, Provenance, Scenario, Stance

pytest.importorskip("spacy")

from realpolitik.draft.llm import ask_positions  # noqa: E402

QUOTES = {"A": "A prefers engagement with the North.", "B": "B wants the regime to collapse."}


def _scenario() -> Scenario:
    issue = Issue(id="nk", name="North policy", low=0, high=100, low_label="engagement",
                  high_label="regime collapse", anchors={"50": "a negotiated freeze"})
    stances = [Stance(actor=a, issue="nk", position=50, salience=100, provenance={
        "position": Provenance(method="placeholder: scale midpoint", draft=True),
        "evidence-1": Provenance(source="art", quote=q, line=n + 1, draft=True)})
        for n, (a, q) in enumerate(QUOTES.items())]
    return Scenario(name="t", salience_scale=100, actors=[Actor(id="A", capability=1),
                    Actor(id="B", capability=1)], issues=[issue], stances=stances)


class _Stub(BaseHTTPRequestHandler):
    mode = "good"
    seen: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Stub.seen.append(body)
        prompt = body["messages"][-1]["content"]
        if self.path.startswith("/slow") and "Actor: B" in prompt:
            time.sleep(1.5)
        if self.path.startswith("/bad") and "Actor: B" in prompt:
            content = "not json at all"
        else:
            content = json.dumps({"position": 20 if "Actor: A" in prompt else 90,
                                  "reason": "per the quote"})
        data = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def server():
    _Stub.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_prompt_carries_evidence_and_labels_and_reply_sets_position(server):
    sc, errors = ask_positions(_scenario(), None, server + "/good", timeout=5)
    assert errors == []
    assert [s.position for s in sc.stances] == [20, 90]
    body = _Stub.seen[0]
    assert body["temperature"] == 0 and body["response_format"] == {"type": "json_object"}
    prompt = body["messages"][-1]["content"]
    assert QUOTES["A"] in prompt and "engagement" in prompt and "regime collapse" in prompt
    assert "a negotiated freeze" in prompt
    assert sc.stances[0].provenance["position"].method.startswith("llm:")
    assert sc.stances[0].provenance["position"].draft is True
    log = sc.meta["draft"]["llm"]["exchanges"]
    assert len(log) == 2 and all("prompt" in e and "reply" in e for e in log)


@pytest.mark.parametrize("mode,needle", [("bad", "malformed reply"), ("slow", "timed out")])
def test_malformed_or_slow_reply_is_a_located_error_and_the_rest_is_kept(server, mode, needle):
    sc, errors = ask_positions(_scenario(), None, server + f"/{mode}", timeout=0.5)
    assert len(errors) == 1
    assert "stance B on nk" in errors[0] and needle in errors[0] and server in errors[0]
    a, b = sc.stances
    assert a.position == 20  # the good answer is kept
    assert b.position == 50 and b.provenance["position"].method.startswith("placeholder")
    assert sc.meta["draft"]["llm"]["exchanges"][1]["error"] == errors[0]
