"""Load test of the browser app: N concurrent clients run forecasts for T seconds.

Starts ``realpolitik serve`` on 127.0.0.1 (a free port) unless ``--url`` names a running
server, which must be on loopback too: this script never sends load anywhere else. Each
client loops ``POST /api/forecast`` (the Korea 2006 example, the compromise model by
default) until the time is up; every request has a timeout and the number of clients is
capped, so the run is bounded. Reports requests, errors, throughput and latency percentiles
(p50, p95, p99); exits 1 if any request failed.

    python benchmarks/load_test.py                      # 50 clients × 60 s, compromise
    python benchmarks/load_test.py --clients 10 --duration 5 --model eum

On demand only (not part of the test suite).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx
import numpy as np

from realpolitik.cli.report import is_loopback

MAX_CLIENTS = 200
TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loopback(url: str) -> bool:
    """Only loopback targets: the load never leaves this machine."""
    return is_loopback(urlsplit(url).hostname or "")


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "realpolitik", "serve", "--host", "127.0.0.1", "--port",
         str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/favicon.ico", timeout=2).status_code in (204, 401):
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read().decode()[-2000:]}")
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


async def client(http: httpx.AsyncClient, body: dict, stop: float,
                 latencies: list[float], errors: list[str]) -> None:
    while time.monotonic() < stop:
        t0 = time.perf_counter()
        try:
            r = await http.post("/api/forecast", json=body)
            ok = r.status_code == 200 and r.json()["forecasts"][0]["outcome"] is not None
            if not ok:
                errors.append(f"HTTP {r.status_code}: {r.text[:200]}")
        except (httpx.HTTPError, KeyError, ValueError) as e:
            errors.append(f"{type(e).__name__}: {e}")
        latencies.append(time.perf_counter() - t0)


async def load(url: str, clients: int, duration: float, body: dict) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    token = os.environ.get("REALPOLITIK_TOKEN")  # the server reads it too
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=url, timeout=TIMEOUT, limits=limits,
                                 headers=headers) as http:
        start = time.monotonic()
        stop = start + duration
        await asyncio.gather(*(client(http, body, stop, latencies, errors)
                               for _ in range(clients)))
        elapsed = time.monotonic() - start
    lat = np.array(latencies) * 1000
    return {
        "clients": clients, "duration_s": round(elapsed, 1), "requests": len(latencies),
        "errors": len(errors), "first_errors": errors[:5],
        "throughput_rps": round(len(latencies) / elapsed, 1),
        **{f"p{q}_ms": round(float(np.percentile(lat, q)), 1) for q in (50, 95, 99)},
        "max_ms": round(float(lat.max()), 1), "body": body,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds")
    ap.add_argument("--model", action="append", help="model (repeatable; default compromise)")
    ap.add_argument("--example", default="korea-2006")
    ap.add_argument("--url", help="a running server on loopback (default: start one)")
    args = ap.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.duration <= 600:
        raise SystemExit(f"--clients must be 1…{MAX_CLIENTS} and --duration 0…600 s")
    if args.url and not loopback(args.url):
        raise SystemExit("refusing to load a server that is not on this machine (loopback)")
    body = {"example": args.example, "models": args.model or ["compromise"], "seed": 1}
    proc, url = (None, args.url.rstrip("/")) if args.url else start_server()
    try:
        result = asyncio.run(load(url, args.clients, args.duration, body))
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(json.dumps(result, indent=2))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
