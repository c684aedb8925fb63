"""Positions from a language model the analyst runs (``--llm URL``), on the evidence only.

For each drafted stance the model at ``URL`` (an OpenAI-compatible chat-completions endpoint,
e.g. a local llama.cpp server) is asked for a position on the issue's labelled scale, given
only the issue's scale and labels and the stance's evidence quotes — no article, no name of
the analyst's hypothesis. The request asks for JSON (``response_format``) at temperature 0;
the reply must be ``{"position": number, "reason": text}`` inside the scale. Prompt and reply
are kept in ``meta.draft.llm``. A malformed, out-of-scale or slow reply leaves the stance's
placeholder in place and yields a located error (``URL: stance A on I: ...``); the rest of the
draft is kept. Nothing is sent anywhere unless ``--llm`` is given.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from realpolitik.scenario import Provenance, Scenario

__all__ = ["SYSTEM", "ask_positions", "endpoint", "prompt_for"]

SYSTEM = ("You code political positions from quoted evidence. Answer only with JSON "
          '{"position": <number on the scale>, "reason": "<one sentence>"}.')


def endpoint(url: str) -> str:
    """The chat-completions URL: ``url`` itself if it names it, else ``url/v1/chat/completions``."""
    url = url.rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    return url + ("/chat/completions" if url.endswith("/v1") else "/v1/chat/completions")


def prompt_for(sc: Scenario, actor: str, issue: str, quotes: list[str]) -> str:
    """The user message: the scale with its labels and anchors, then the evidence quotes."""
    i = sc.issue(issue)
    lines = [f"Issue: {i.label}", f"Scale: {i.low:g} = {i.low_label or 'low end'}; "
             f"{i.high:g} = {i.high_label or 'high end'}"]
    lines += [f"  {k}: {v}" for k, v in i.anchors.items()]
    lines.append(f"Actor: {sc.actor(actor).label}")
    lines.append("Evidence (quotes from the articles):")
    lines += [f"- \"{q}\"" for q in quotes]
    lines.append("Where on the scale does the evidence place this actor's preferred outcome?")
    return "\n".join(lines)


def _post(url: str, payload: dict[str, Any], timeout: float) -> str:
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (user's URL)
        return resp.read().decode("utf-8", "replace")


def _parse(reply: str, low: float, high: float) -> tuple[float, str]:
    """Position and reason from the endpoint's reply; ValueError with the reason if not."""
    try:
        content = json.loads(reply)["choices"][0]["message"]["content"]
        answer = json.loads(content)
        value = float(answer["position"])
    except (ValueError, KeyError, IndexError, TypeError) as e:
        raise ValueError(f"malformed reply ({type(e).__name__}: {str(e)[:80]})") from None
    if not low <= value <= high:
        raise ValueError(f"position {value:g} is outside the scale [{low:g}, {high:g}]")
    return value, str(answer.get("reason", ""))


def ask_positions(sc: Scenario, result: Any, url: str, timeout: float = 60.0,
                  model: str = "local") -> tuple[Scenario, list[str]]:
    """``sc`` with the model's positions where it answered well, and the errors elsewhere."""
    target = endpoint(url)
    log: list[dict[str, Any]] = []
    errors: list[str] = []
    stances = []
    for st in sc.stances:
        quotes = [p.quote for k, p in sorted(st.provenance.items())
                  if k.startswith("evidence") and p.quote]
        prompt = prompt_for(sc, st.actor, st.issue, quotes)
        payload = {"model": model, "temperature": 0, "response_format": {"type": "json_object"},
                   "messages": [{"role": "system", "content": SYSTEM},
                                {"role": "user", "content": prompt}]}
        entry: dict[str, Any] = {"actor": st.actor, "issue": st.issue, "prompt": prompt}
        try:
            reply = _post(target, payload, timeout)
            entry["reply"] = reply
            issue = sc.issue(st.issue)
            value, reason = _parse(reply, issue.low, issue.high)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
            reason_text = str(getattr(e, "reason", e)) or type(e).__name__
            msg = f"{target}: stance {st.actor} on {st.issue}: {reason_text}"
            errors.append(msg)
            entry["error"] = msg
            stances.append(st)
            log.append(entry)
            continue
        log.append(entry)
        first = st.provenance.get("evidence-1")
        prov = Provenance(source=first.source if first else None,
                          quote=first.quote if first else None,
                          line=first.line if first else None,
                          method=f"llm: {target}, temperature 0, on the evidence quotes",
                          note=reason[:300] or None, draft=True)
        stances.append(st.model_copy(update={
            "position": value, "provenance": {**st.provenance, "position": prov}}))
    meta = dict(sc.meta)
    meta["draft"] = {**meta.get("draft", {}), "llm": {"endpoint": target, "exchanges": log}}
    return sc.replace(stances=tuple(stances), meta=meta), errors
