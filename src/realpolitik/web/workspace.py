"""Per-browser workspaces (the open scenario and its last run) and background jobs.

Workspaces live in memory, keyed by a random session id held in an HttpOnly cookie; the
least recently used are dropped beyond :attr:`Workspaces.capacity`. A :class:`Job` runs a
long computation on a small thread pool and reports its progress, which the page polls.
"""

from __future__ import annotations

import secrets
import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..scenario import Scenario, ScenarioError

__all__ = ["Workspace", "Workspaces", "Job", "Jobs"]


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
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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


class Workspaces:
    """A bounded, thread-safe map session id → :class:`Workspace`."""

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, Workspace] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sid: str | None) -> Workspace | None:
        with self._lock:
            ws = self._items.get(sid or "")
            if ws is not None:
                self._items.move_to_end(ws.id)
            return ws

    def new(self) -> Workspace:
        ws = Workspace(id=secrets.token_urlsafe(24), csrf=secrets.token_urlsafe(24))
        with self._lock:
            self._items[ws.id] = ws
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
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
