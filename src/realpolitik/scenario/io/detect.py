"""Which reader a scenario file needs: its extension, else the structure of its first rows.

Detection reads the file as a stream of lines and stops after :data:`SNIFF_ROWS` non-blank
rows or :data:`SNIFF_BYTES` bytes, whichever comes first, so its work is bounded whatever the
file's size (a 100 × 50 decide file has 5,000 ``#D`` rows; only the first few dozen rows are
read). Each format is recognised by what its rows look like, not by finding every kind of row
in a fixed window: a decide file is rows tagged ``#A``/``#P``/``#M``/``#D`` (its ``#D`` rows
may start thousands of rows down), tidy CSV, predictioneer, DEU and KTAB CSV by their header
row, KTAB XML by its root element.

A file that cannot be decoded, is empty or is binary is not guessed at: the full reader's
checks (:func:`~realpolitik.scenario.io.common.read_text`) report it as a located problem.

This module imports nothing heavy: the command line uses :data:`FORMATS` for its help text.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FORMATS", "detect_format", "head_rows", "SNIFF_ROWS", "SNIFF_BYTES"]

#: Names of the readers, in the order the help text lists them (``READERS`` has the same keys).
FORMATS = ("yaml", "csv", "predictioneer", "ktab-csv", "ktab-xml", "decide", "deu")

#: Non-blank rows read for detection at most.
SNIFF_ROWS = 64
#: Bytes read for detection at most (a guard against one huge line).
SNIFF_BYTES = 1 << 20
#: Characters of each row the header checks look at (a header row is far shorter; csv's
#: own field limit is 128 KiB).
_ROW_CHARS = 1 << 16


def head_rows(path: str | Path, rows: int = SNIFF_ROWS, limit: int = SNIFF_BYTES) -> list[str]:
    """The first ``rows`` non-blank lines of a UTF-8 file (BOM dropped), read as a stream.

    Reads at most ``limit`` bytes (a line cut by the limit is dropped unless it is the only
    one). Returns ``[]`` when the head cannot be read as text (missing, a directory, NUL bytes,
    not UTF-8, blank), so that the caller can let the full reader report why.
    """
    out: list[str] = []
    read = 0
    try:
        with open(path, "rb") as f:
            while len(out) < rows and read < limit:
                raw = f.readline(limit - read)
                if not raw:
                    break
                read += len(raw)
                if not raw.endswith(b"\n") and read >= limit and out:
                    break  # cut by the byte limit: incomplete
                if b"\x00" in raw:
                    return []
                line = raw.decode("utf-8-sig" if read == len(raw) else "utf-8")
                if line.strip():
                    out.append(line.rstrip("\r\n"))
    except (OSError, UnicodeDecodeError):
        return []
    return out


def classify(rows: list[str], ext: str = "") -> str | None:
    """The format of a file whose first non-blank rows are ``rows`` (``None``: cannot tell)."""
    # imported here: the readers pull in the scenario model (pydantic, numpy)
    from .decide import looks_like_decide
    from .deu import looks_like_deu
    from .ktab import looks_like_ktab_csv
    from .predictioneer import looks_like_predictioneer
    from .tidy_csv import looks_like_tidy

    if not rows:
        return None
    first = rows[0].lstrip()
    if ext == ".xml" or first.startswith(("<?xml", "<Scenario")):
        return "ktab-xml"
    text = "\n".join(r[:_ROW_CHARS] for r in rows)
    if looks_like_decide(text):
        return "decide"
    if looks_like_deu(text):
        return "deu"
    if looks_like_tidy(text):
        return "csv"
    if looks_like_predictioneer(text):
        return "predictioneer"
    if looks_like_ktab_csv(text):
        return "ktab-csv"
    if first.startswith(("name:", "actors:", "realpolitik:")):
        return "yaml"
    return None


def detect_format(path: str | Path) -> str:
    """Guess a file's format from its extension and the structure of its first rows."""
    from ..problems import Problem, ScenarioError
    from .common import read_text

    p = Path(path)
    ext = p.suffix.lower()
    if ext in (".yaml", ".yml"):
        return "yaml"
    rows = head_rows(p)
    if not rows:
        read_text(p)  # raises the located reason (missing, binary, not UTF-8, empty)
    fmt = classify(rows, ext)
    if fmt is None:
        raise ScenarioError(
            [
                Problem(
                    "cannot tell the file's format; name it with --input-format (one of "
                    f"{', '.join(FORMATS)})",
                    file=str(path),
                    line=1,
                )
            ]
        )
    return fmt
