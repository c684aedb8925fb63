"""Shared helpers for readers: safe text decoding, number parsing, delimiter sniffing."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ..problems import Problem, ScenarioError

__all__ = [
    "read_text", "to_number", "sniff_delimiter", "atomic_write", "split_rows", "csv_problem"
]

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
                    line=data.count(b"\n", 0, data.index(b"\x00")) + 1,
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
            [Problem("binary file (contains NUL bytes), not a scenario", file=name,
                     line=text.count("\n", 0, text.index("\x00")) + 1)]
        )
    if not text.strip():
        raise ScenarioError([Problem("file is empty", file=name)])
    # universal newlines, as Python's text mode reads them: a lone CR (old Mac files, a stray
    # byte) is a line break, never a "new-line character seen in unquoted field" crash
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: How deeply a JSON cell or YAML document may nest. Scenarios need about 7 levels; a cap keeps
#: the recursive parsers and validators far from Python's recursion limit whatever the input.
MAX_DEPTH = 64
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]')


def json_depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` in JSON ``text`` (strings skipped), in one pass."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def loads_json(text: str) -> Any:
    """``json.loads`` with bounded nesting; every failure a :class:`ValueError` with a reason.

    Raises ``ValueError`` (not ``RecursionError``, nor the int-digit-limit ``ValueError``
    with Python's advice) so callers can turn it into a located problem.
    """
    if json_depth(text) > MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{e.msg} (column {e.colno})") from None
    except (ValueError, RecursionError) as e:  # e.g. an integer of 5,000 digits
        raise ValueError(str(e).split(";")[0]) from None


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


def csv_problem(err: csv.Error, file: str | None, line: int | None) -> ScenarioError:
    """A :class:`csv.Error` as a located problem (the csv module's wording made plain).

    The only errors :mod:`csv` raises on text :func:`read_text` returned are a cell over
    :func:`csv.field_size_limit` characters (kept at its default: it bounds memory per cell)
    and malformed quoting in strict dialects.
    """
    msg = str(err)
    if "field larger than field limit" in msg:
        msg = (f"a cell is longer than {csv.field_size_limit():,} characters; "
               "is a quote left unclosed?")
    return ScenarioError([Problem(f"not valid CSV: {msg}", file=file, line=line)])


def split_rows(
    text: str, delimiter: str, file: str | None = None
) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row; cells stripped of spaces and quotes.

    Lines are split on ``\n`` only (:func:`read_text` has normalised line ends), so line
    numbers are the ones an editor shows.
    """
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            cells = next(csv.reader([line], delimiter=delimiter, quotechar='"'))
        except csv.Error as e:
            raise csv_problem(e, file, n) from None
        out.append((n, [c.strip().strip("'").strip() for c in cells]))
    return out


def file_mode(path: Path) -> int:
    """The mode a new file at ``path`` gets: an existing file's own, else 0666 minus umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file in the same folder, then rename)."""
    p = Path(path)
    fd, tmp = tempfile.mkstemp(dir=p.parent or ".", prefix=f".{p.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, file_mode(p))  # mkstemp's 0600 is for secrets, not for scenarios
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
