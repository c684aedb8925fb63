"""Per-browser workspaces (the open scenario and its last run) and background jobs.

Workspaces live in memory, keyed by a random session id held in an HttpOnly cookie. They are
bounded without letting a stranger wipe anyone's work (:class:`Workspaces`): idle ones expire
by time, each client address has a cap that only ever evicts that client's own empty
workspaces, and a workspace with a scenario open (unsaved work: the app keeps scenarios in
memory only) is never evicted to make room — when there is no room, a new session is refused
(:class:`TooManySessions`, HTTP 429) instead. A :class:`Job` runs a long computation on a
small thread pool and reports its progress, which the page polls.
"""

from __future__ import annotations

import secrets
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..scenario import Scenario, ScenarioError

__all__ = ["Workspace", "Workspaces", "TooManySessions", "Job", "Jobs"]


@dataclass
class Workspace:
    """One browser's state: the scenario being edited, where it came from, the last run."""

    id: str
    csrf: str
    scenario: Scenario | None = None
    source: str = ""
    run: dict[str, Any] | None = None  # {"forecast": doc, "distributions": {...} | None, ...}
    previous: dict[str, Any] | None = None  # the run before, to show what changed
    whatif: dict[str, Any] | None = None
    advice: dict[str, Any] | None = None
    draft: dict[str, Any] | None = None  # {"doc", "problems", "source"}: an upload to fix
    client: str = ""  # the address that opened the session
    used: float = 0.0  # time.monotonic() of the last request
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def has_work(self) -> bool:
        """A scenario open, or an upload being fixed: work that exists nowhere else."""
        return self.scenario is not None or self.draft is not None

    def open(self, sc: Scenario, source: str) -> None:
        with self.lock:
            self.scenario, self.source = sc, source
            self.run = self.previous = self.whatif = self.advice = None

    def edit(self, sc: Scenario) -> None:
        """Replace the scenario by an edited version; the last run stays (now stale)."""
        with self.lock:
            self.scenario = sc
            self.whatif = self.advice = None
            if "(edited)" not in self.source:
                self.source += " (edited)"

    def finish_run(self, result: dict[str, Any]) -> None:
        """Keep a finished run if it is for the current scenario; the old one as previous."""
        with self.lock:
            if self.scenario is not None and result["scenario_hash"] == \
                    self.scenario.content_hash():
                self.previous, self.run = self.run, result


class TooManySessions(Exception):
    """No room for a new session without evicting someone's work."""


class Workspaces:
    """A bounded, thread-safe map session id → :class:`Workspace`.

    ``capacity``: workspaces in all; ``per_client``: per client address; ``idle_empty`` and
    ``idle_work``: seconds after its last request that a workspace without / with work
    expires. Making room evicts the least recently used *empty* workspace — the requesting
    client's own when it is at its cap, anyone's when the whole map is full — and never one
    with work; with nothing to evict, :meth:`new` raises :class:`TooManySessions`.
    """

    def __init__(
        self,
        capacity: int = 1024,
        per_client: int = 64,
        idle_empty: float = 3600.0,
        idle_work: float = 7 * 24 * 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity, self.per_client = capacity, per_client
        self.idle_empty, self.idle_work = idle_empty, idle_work
        self.clock = clock
        self._items: OrderedDict[str, Workspace] = OrderedDict()  # least recently used first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def _expired(self, ws: Workspace, now: float) -> bool:
        return now - ws.used > (self.idle_work if ws.has_work else self.idle_empty)

    def get(self, sid: str | None) -> Workspace | None:
        now = self.clock()
        with self._lock:
            ws = self._items.get(sid or "")
            if ws is None:
                return None
            if self._expired(ws, now):
                del self._items[ws.id]
                return None
            ws.used = now
            self._items.move_to_end(ws.id)
            return ws

    def _evict_empty(self, client: str | None) -> bool:
        for sid, ws in self._items.items():
            if not ws.has_work and (client is None or ws.client == client):
                del self._items[sid]
                return True
        return False

    def new(self, client: str = "") -> Workspace:
        """A new workspace for ``client`` (an address); :class:`TooManySessions` if no room."""
        now = self.clock()
        ws = Workspace(id=secrets.token_urlsafe(24), csrf=secrets.token_urlsafe(24),
                       client=client, used=now)
        with self._lock:
            for sid in [s for s, w in self._items.items() if self._expired(w, now)]:
                del self._items[sid]
            mine = sum(1 for w in self._items.values() if w.client == client)
            if mine >= self.per_client and not self._evict_empty(client):
                raise TooManySessions(f"too many sessions from {client or 'this address'}")
            if len(self._items) >= self.capacity and not self._evict_empty(None):
                raise TooManySessions("the app is full")
            self._items[ws.id] = ws
        return ws


@dataclass
class Job:
    """A background computation: ``progress`` ∈ [0, 1], then ``result`` or ``error``."""

    id: str
    owner: str
    title: str
    progress: float = 0.0
    message: str = "queued"
    status: str = "queued"  # queued | running | done | failed
    result: Any = None
    error: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "progress": round(self.progress, 4),
                "message": self.message, "status": self.status, "error": self.error}


Progress = Callable[[float, str], None]


class Jobs:
    """Runs jobs on ``workers`` threads; keeps the last ``keep`` jobs for polling."""

    def __init__(self, workers: int = 2, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rp-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.keep = keep

    def submit(self, owner: str, title: str, fn: Callable[[Progress], Any],
               done: Callable[[Any], None] | None = None) -> Job:
        job = Job(id=secrets.token_urlsafe(12), owner=owner, title=title)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                self._jobs.popitem(last=False)

        def progress(p: float, message: str) -> None:
            job.progress, job.message = max(0.0, min(1.0, p)), message

        def work() -> None:
            job.status, job.message = "running", "running"
            try:
                job.result = fn(progress)
                if done is not None:
                    done(job.result)
                job.progress, job.status, job.message = 1.0, "done", "done"
            except ScenarioError as e:
                job.status, job.error = "failed", [str(p) for p in e.problems]
            except Exception as e:  # reported on the page, not lost in a thread
                job.status = "failed"
                job.error = [f"{type(e).__name__}: {e}"]
                traceback.print_exc()

        self._pool.submit(work)
        return job

    def get(self, job_id: str, owner: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
