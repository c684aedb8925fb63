"""A sweep's checkpoint folder: finished chunks, a manifest naming the sweep, a checksum each.

The folder holds ``manifest.json`` — the sweep's identity (scenario hashes, runs, draws, seed,
chunk size, engine) and, under ``chunks``, the SHA-256 of each finished chunk file — and one
``<key>.npy`` per finished chunk. Every file is written atomically (a temporary file, then a
rename). A chunk's checksum is entered in the manifest *before* its file is renamed into
place, so a kill between the two leaves a chunk that is merely missing (recomputed, to the
same bytes), never one that is trusted unchecked.

What is user error, and what is not:

* a folder that holds another sweep, a manifest that is not valid JSON or not a sweep's
  manifest, a folder path that is a file: a located :class:`~realpolitik.scenario.ScenarioError`
  (the CLI exits 2), naming ``manifest.json`` and, where it can, the line and field;
* a chunk whose bytes do not match its checksum, that does not load, has the wrong shape, or
  has no checksum (written by an older version): not trusted — recomputed, and a note says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ...scenario import Problem, ScenarioError

__all__ = ["MANIFEST", "SCHEMA", "Checkpoint", "atomic_write"]

MANIFEST = "manifest.json"
SCHEMA = "realpolitik.sweep/1"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _line_of(text: str, key: str) -> int | None:
    """The line of a top-level key in a manifest written with ``indent=1``."""
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f' "{key}":'):
            return n
    return None


def _short(v: Any) -> str:
    s = json.dumps(v, sort_keys=True, default=str)
    return s if len(s) <= 60 else s[:57] + "..."


class Checkpoint:
    """An open checkpoint folder for the sweep named by ``identity`` (see module doc)."""

    def __init__(self, folder: Path, identity: dict[str, Any], note: Callable[[str], None]) -> None:
        # compared as JSON, as it is stored (tuples become lists, odd values strings)
        self.identity = json.loads(json.dumps(identity, sort_keys=True, default=str))
        self.folder, self.note = folder, note
        self.path = folder / MANIFEST
        if folder.exists() and not folder.is_dir():
            raise ScenarioError(
                [Problem("the checkpoint folder is a file; give a folder", file=str(folder))]
            )
        folder.mkdir(parents=True, exist_ok=True)
        self.chunks: dict[str, str] = {}
        if self.path.exists():
            self.chunks = self._read()
            for stale in folder.glob(".tmp-*"):  # half-written by a run that was killed
                stale.unlink(missing_ok=True)
        else:
            self._write()

    def _problem(self, message: str, line: int | None = None, fld: str | None = None) -> Problem:
        return Problem(message, file=str(self.path), line=line, field=fld)

    def _read(self) -> dict[str, str]:
        fix = "; use a new checkpoint folder, or delete this one"
        try:
            text = self.path.read_text(encoding="utf-8")
            doc = json.loads(text)
        except UnicodeDecodeError:
            raise ScenarioError([self._problem(f"not UTF-8 text (damaged?){fix}", 1)]) from None
        except json.JSONDecodeError as e:
            raise ScenarioError(
                [self._problem(f"not valid JSON ({e.msg}; damaged?){fix}", e.lineno)]
            ) from None
        except OSError as e:
            raise ScenarioError([self._problem(f"cannot be read: {e.strerror}")]) from None
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
            line = _line_of(text, "schema") if isinstance(doc, dict) else 1
            raise ScenarioError(
                [self._problem(f"not a realpolitik sweep manifest ({SCHEMA}){fix}", line, "schema")]
            )
        chunks = doc.pop("chunks", {})
        if not isinstance(chunks, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in chunks.items()
        ):
            line = _line_of(text, "chunks")
            raise ScenarioError(
                [
                    self._problem(
                        f"chunks must map chunk names to SHA-256 hashes{fix}", line, "chunks"
                    )
                ]
            )
        differ = sorted(set(doc) | set(self.identity), key=str)
        problems = [
            self._problem(
                f"this folder holds the checkpoint of a different sweep ({k} {_short(doc.get(k))} "
                f"there, {_short(self.identity.get(k))} now){fix}",
                _line_of(text, k),
                k,
            )
            for k in differ
            if doc.get(k) != self.identity.get(k)
        ]
        if problems:
            raise ScenarioError(problems)
        return dict(chunks)

    def _write(self) -> None:
        doc = {**self.identity, "chunks": dict(sorted(self.chunks.items()))}
        blob = json.dumps(doc, sort_keys=True, indent=1, default=str)
        atomic_write(self.path, blob.encode("utf-8"))

    def load(self, key: str, rows: int) -> np.ndarray | None:
        """Chunk ``key`` (``rows`` draws) if it is saved and intact; ``None`` to recompute it."""
        f = self.folder / f"{key}.npy"
        if not f.exists():
            return None
        why = None
        try:
            data = f.read_bytes()
        except OSError as e:
            data, why = b"", f"cannot be read ({e.strerror})"
        want = self.chunks.get(key)
        if why is None and want is None:
            why = "has no checksum in the manifest (written by an older version)"
        elif why is None and hashlib.sha256(data).hexdigest() != want:
            why = "does not match its checksum (damaged)"
        arr = None
        if why is None:
            try:
                arr = np.load(io.BytesIO(data), allow_pickle=False)
            except (ValueError, OSError, EOFError):
                why = "does not load as an array (damaged)"
        if arr is not None and (arr.ndim != 2 or arr.shape[0] != rows):
            why = f"has shape {arr.shape}, not {rows} draws (damaged)"
        if why is not None:
            self.note(f"checkpoint chunk {f} {why}: recomputed, not trusted")
            self.chunks.pop(key, None)
            return None
        assert arr is not None
        return arr

    def save(self, key: str, arr: np.ndarray) -> None:
        """Save a finished chunk: its checksum into the manifest first, then the file."""
        buf = io.BytesIO()
        np.save(buf, arr, allow_pickle=False)
        data = buf.getvalue()
        self.chunks[key] = hashlib.sha256(data).hexdigest()
        self._write()
        atomic_write(self.folder / f"{key}.npy", data)
