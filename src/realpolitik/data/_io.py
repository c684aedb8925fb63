"""File access shared by the data loaders: data directory, error type, readers.

Every loader in :mod:`realpolitik.data` goes through these helpers, so a bad path or an
unreadable file always surfaces as a :class:`DataError` naming the file and the problem.

The data directory is resolved in this order:

1. an explicit ``data_dir`` argument;
2. the environment variable ``REALPOLITIK_DATA``;
3. ``../shared/data/ir`` relative to the current working directory.

Nothing is downloaded: users bring the files.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "DATA_ENV_VAR",
    "DataError",
    "data_dir",
    "locate",
    "read_rda",
    "read_table",
    "require_columns",
    "file_version",
]

DATA_ENV_VAR = "REALPOLITIK_DATA"
"""Name of the environment variable that points at the data directory."""

_DEFAULT_RELATIVE = Path("..") / "shared" / "data" / "ir"

PathLike = str | os.PathLike[str]


class DataError(RuntimeError):
    """A data file is missing, unreadable or not in the expected layout.

    The message always names the file and says what is wrong with it.
    """


def data_dir(path: PathLike | None = None) -> Path:
    """Resolve the data directory.

    Parameters
    ----------
    path : str or path-like, optional
        Explicit directory. Wins over everything else.

    Returns
    -------
    pathlib.Path
        ``path``, else ``$REALPOLITIK_DATA``, else ``../shared/data/ir`` relative to the
        current working directory. The directory is not required to exist here; the
        loaders report a missing file with :class:`DataError`.
    """
    if path is not None:
        return Path(path)
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return Path(env)
    return Path.cwd() / _DEFAULT_RELATIVE


def locate(relative: str, path: PathLike | None = None, data_dir_: PathLike | None = None) -> Path:
    """Return the file to read: ``path`` if given, else ``data_dir / relative``.

    Raises
    ------
    DataError
        If the file does not exist or is a directory.
    """
    target = Path(path) if path is not None else data_dir(data_dir_) / relative
    if not target.exists():
        hint = "" if path is not None else f" (data directory: {target.parent.parent})"
        raise DataError(f"{target}: file not found{hint}; set --data or ${DATA_ENV_VAR}")
    if target.is_dir():
        raise DataError(f"{target}: is a directory, expected a data file")
    return target


def read_rda(path: Path, name: str | None = None) -> pd.DataFrame:
    """Read one data frame from an R ``.rda``/``.rds`` file with :mod:`pyreadr`.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    name : str, optional
        Object to take; default the first (``.rda`` files here hold exactly one).
    """
    import pyreadr  # local import: pyreadr is slow to import and only needed here

    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises several unrelated types
        raise DataError(f"{path}: cannot be read as an R data file ({exc})") from exc
    if not objects:
        raise DataError(f"{path}: contains no data frame")
    if name is None:
        return next(iter(objects.values()))
    if name not in objects:
        raise DataError(f"{path}: has no object {name!r} (found {sorted(objects)})")
    return objects[name]


def read_table(path: Path, **kwargs: Any) -> pd.DataFrame:
    """Read a delimited text file with :func:`pandas.read_csv`, wrapping its errors."""
    try:
        return pd.read_csv(path, **kwargs)
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError, OSError) as exc:
        raise DataError(f"{path}: cannot be parsed as a table ({exc})") from exc


def require_columns(frame: pd.DataFrame, columns: Sequence[str], path: Path) -> None:
    """Raise :class:`DataError` naming ``path`` if any of ``columns`` is missing."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; found {list(frame.columns)[:12]}")


def file_version(path: Path) -> dict[str, str]:
    """Identify a data file by name, size and SHA-256 prefix (for recording versions)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"file": path.name, "bytes": str(path.stat().st_size), "sha256": digest[:16]}
