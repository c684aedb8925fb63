"""Shared helpers for readers: safe text decoding, number parsing, delimiter sniffing."""

from __future__ import annotations

import csv
import math
import os
import tempfile
from pathlib import Path

from ..problems import Problem, ScenarioError

__all__ = ["read_text", "to_number", "sniff_delimiter", "atomic_write", "split_rows"]

MAX_BYTES = 50 * 1024 * 1024


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file (BOM allowed); a located error if missing, empty or not UTF-8."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise ScenarioError([Problem("file not found", file=name)])
    if p.is_dir():
        raise ScenarioError([Problem("is a directory, not a scenario file", file=name)])
    data = p.read_bytes()
    if len(data) > MAX_BYTES:
        raise ScenarioError([Problem(f"file is larger than {MAX_BYTES // 2**20} MiB", file=name)])
    if b"\x00" in data[:8192]:  # before decoding: binary data is rarely valid UTF-8
        raise ScenarioError(
            [
                Problem(
                    "binary file (contains NUL bytes), not a scenario; "
                    "if it is UTF-16 text, save it as UTF-8",
                    file=name,
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ScenarioError(
            [
                Problem(
                    f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
                    "save the file as UTF-8",
                    file=name,
                    line=line,
                )
            ]
        ) from None
    if "\x00" in text:
        raise ScenarioError(
            [Problem("binary file (contains NUL bytes), not a scenario", file=name)]
        )
    if not text.strip():
        raise ScenarioError([Problem("file is empty", file=name)])
    return text


def to_number(cell: str | float | int | None) -> float | None | str:
    """Parse a cell as a float; ``None`` if blank, the original string if not a number."""
    if cell is None:
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    s = str(cell).strip().strip("'\"").strip()
    if s == "":
        return None
    try:
        return float(s.replace(",", ".")) if s.count(",") == 1 and "." not in s else float(s)
    except ValueError:
        return str(cell).strip()


def is_finite(x: object) -> bool:
    return isinstance(x, float) and math.isfinite(x)


def sniff_delimiter(text: str, candidates: str = ",;\t|") -> str:
    """The delimiter that splits the most lines consistently (robust to ragged rows)."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    best, score = ",", -1.0
    for d in candidates:
        counts = [ln.count(d) for ln in lines]
        hits = sum(1 for c in counts if c > 0)
        if not hits:
            continue
        s = hits + (max(set(counts), key=counts.count) > 0) * 0.5
        if s > score:
            best, score = d, s
    return best


def split_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row; cells stripped of spaces and quotes."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        cells = next(csv.reader([line], delimiter=delimiter, quotechar='"'))
        out.append((n, [c.strip().strip("'").strip() for c in cells]))
    return out


def atomic_write(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file in the same folder, then rename)."""
    p = Path(path)
    fd, tmp = tempfile.mkstemp(dir=p.parent or ".", prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
