"""A small mutation fuzzer for every input format and every model (issue 14).

Each case starts from a valid seed file of one format, applies one to four random mutations
(byte flips, deleted/duplicated spans and lines, swapped lines, and tokens that broke readers
before: huge numbers, NaN, control characters, stray CRs, deep brackets, YAML tags, XML
entities, separators) and checks the contract of the README:

* the reader either returns a scenario or raises :class:`ScenarioError` whose every problem
  names the file and says what is wrong, with a line wherever the input has lines;
* every model either forecasts the scenario or raises :class:`ScenarioError`;
* nothing else escapes (that would be exit 1, "internal error"), and one input takes under
  ``CPU_LIMIT`` seconds of CPU (CPU, not wall-clock time: the machine may be loaded).

Random choices come from one :class:`random.Random` seeded per format, so a run with the
same seed and the same number of cases is the same run.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from realpolitik.models.registry import create, names
from realpolitik.scenario import ScenarioError
from realpolitik.scenario.io import dumps, load

HERE = Path(__file__).parent
SEEDS = HERE / "seeds"
REGRESSIONS = HERE / "regressions"
EXAMPLES = HERE.parents[1] / "examples"
CPU_LIMIT = 2.0

#: format → file extension of its inputs
EXT = {"yaml": ".yaml", "csv": ".csv", "predictioneer": ".csv", "ktab-csv": ".csv",
       "ktab-xml": ".xml", "decide": ".csv", "deu": ".csv"}
#: messages of problems about the file as a whole, where no line applies
WHOLE_FILE = ("file not found", "is a directory", "is larger than", "binary file",
              "file is empty")

TOKENS: list[bytes] = [
    b"nan", b"NaN", b"inf", b"-inf", b"-1", b"-0", b"0", b"1e309", b"1e-400", b"9" * 5000,
    b"1,5", b"0x1F", b"1_000", b".inf", b"~", b"null", b"true", b"2020-13-45", b"", b'"',
    b"'", b"\\", b"\x1f", b"\x00", b"\r", b"\r\n", b"\x0b", b"\xe2\x80\xa8", b"\xc3",
    b"\xff\xfe", b"\xef\xbb\xbf", b"[" * 300, b"{" * 300, b"- " * 300, b"&a [1]", b"*a",
    b"*b", b"!!python/object/apply:os.system ['true']", b"!!binary AAAA", b"---", b"...",
    b"%YAML 1.1", b"? ", b": ", b",", b";", b"\t", b"|", b"#A", b"#D", b"#P", b"#M", b"#",
    b"<Actor>", b"</Actor>", b"<dCoord>", b"<!DOCTYPE s [<!ENTITY e 'x'>]>", b"&e;",
    b'<?xml version="1.0" encoding="UTF-9"?>', b"<![CDATA[", b"]]>", b"x" * 140_000,
    b"," * 20_000, b"actor", b"salience_scale", b"position", b"capability",
]


@dataclass(frozen=True)
class Failure:
    """A contract violation: what happened on which input."""

    fmt: str
    data: bytes
    what: str

    def name(self) -> str:
        digest = hashlib.sha256(self.data).hexdigest()[:12]
        return f"{self.fmt}__{digest}{EXT[self.fmt]}"


def seed_inputs() -> dict[str, bytes]:
    """One valid file per format: the packaged example as YAML and tidy CSV, and the small
    hand-written files in ``seeds/`` for the peers' formats."""
    example = load(EXAMPLES / "korea-2003.yaml")
    out = {"yaml": (EXAMPLES / "korea-2003.yaml").read_bytes(),
           "csv": dumps(example, "csv").encode()}
    for fmt, name in (("predictioneer", "predictioneer.csv"), ("ktab-csv", "ktab.csv"),
                      ("ktab-xml", "ktab.xml"), ("decide", "decide.csv"), ("deu", "deu.csv")):
        out[fmt] = (SEEDS / name).read_bytes()
    return out


# -- mutations ------------------------------------------------------------------------------

def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    i = rng.randrange(len(data) + 1)
    return i, min(len(data), i + rng.choice((1, 2, 4, 16, 64, 512)))


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:]


def insert_token(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(TOKENS) + data[i:]


def replace_number(rng: random.Random, data: bytes) -> bytes:
    hits = list(re.finditer(rb"-?\d+(?:\.\d+)?", data))
    if not hits:
        return insert_token(rng, data)
    m = rng.choice(hits)
    return data[:m.start()] + rng.choice(TOKENS[:20]) + data[m.end():]


def replace_word(rng: random.Random, data: bytes) -> bytes:
    hits = list(re.finditer(rb"[A-Za-z_]+", data))
    if not hits:
        return insert_token(rng, data)
    m = rng.choice(hits)
    other = rng.choice(hits).group()
    return data[:m.start()] + rng.choice((other, rng.choice(TOKENS))) + data[m.end():]


def delete_span(rng: random.Random, data: bytes) -> bytes:
    i, j = _span(rng, data)
    return data[:i] + data[j:]


def duplicate_span(rng: random.Random, data: bytes) -> bytes:
    i, j = _span(rng, data)
    return data[:j] + data[i:j] * rng.choice((1, 2, 50)) + data[j:]


def line_edit(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    k = rng.randrange(len(lines))
    op = rng.randrange(4)
    if op == 0:
        del lines[k]
    elif op == 1:
        lines.insert(rng.randrange(len(lines) + 1), lines[k])
    elif op == 2:
        j = rng.randrange(len(lines))
        lines[k], lines[j] = lines[j], lines[k]
    else:
        lines[k] = lines[k][: rng.randrange(len(lines[k]) + 1)]
    return b"\n".join(lines)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    flip, insert_token, insert_token, replace_number, replace_number, replace_word,
    delete_span, duplicate_span, line_edit, line_edit, truncate,
]


def mutants(seed_data: bytes, rng: random.Random) -> Iterator[bytes]:
    """An endless stream of damaged versions of ``seed_data``."""
    while True:
        data = seed_data
        for _ in range(rng.choice((1, 1, 2, 3, 4))):
            data = rng.choice(MUTATIONS)(rng, data)
        yield data


# -- the contract ---------------------------------------------------------------------------

def _located(err: ScenarioError, path: Path) -> str | None:
    """Why the error is not a proper located problem, or ``None`` if it is."""
    if not err.problems:
        return "ScenarioError without problems"
    for p in err.problems:
        if p.file != str(path):
            return f"problem does not name the file: {p}"
        if not p.message.strip():
            return f"problem without a message: {p!r}"
        if p.line is None and not any(w in p.message for w in WHOLE_FILE):
            return f"problem without a line: {p.message}"
    return None


def _models(scenario: object) -> Iterator[tuple[str, object]]:
    for name in names():
        yield name, create(name)
    yield "smp (file parameters, KTAB stream)", create(
        "smp", file_parameters=True, prng="ktab", state_transitions="Stochastic")


def check(path: Path, fmt: str, models: bool = True) -> str | None:
    """Run the reader (named format and detected) and every model on ``path``.

    Returns ``None`` if the contract holds, else what broke it.
    """
    start = time.process_time()
    scenario = None
    for named in (fmt, None):
        try:
            got = load(path, format=named)
            scenario = got if named == fmt else scenario
        except ScenarioError as e:
            why = _located(e, path)
            if why:
                return f"load(format={named!r}): {why}"
        except Exception as e:  # noqa: BLE001 - exactly what the fuzzer looks for
            return f"load(format={named!r}) raised {type(e).__name__}: {e}"[:500]
    if scenario is not None and models:
        for name, model in _models(scenario):
            try:
                model.run(scenario, rng=0)  # type: ignore[attr-defined]
            except ScenarioError:
                pass
            except Exception as e:  # noqa: BLE001
                return f"model {name} raised {type(e).__name__}: {e}"[:500]
    spent = time.process_time() - start
    if spent > CPU_LIMIT:
        return f"took {spent:.1f} s of CPU (limit {CPU_LIMIT} s)"
    return None


def fuzz(fmt: str, seconds: float, seed: int, workdir: Path,
         max_cases: int | None = None) -> tuple[int, list[Failure]]:
    """Fuzz one format for ``seconds`` (wall clock) or ``max_cases``; (cases run, failures)."""
    rng = random.Random(f"{seed}:{fmt}")
    stream = mutants(seed_inputs()[fmt], rng)
    path = workdir / f"input{EXT[fmt]}"
    path.write_bytes(seed_inputs()[fmt])
    warm = check(path, fmt)  # compiles numba kernels, fills caches: not the inputs' cost
    assert warm is None or warm.startswith("took"), f"the {fmt} seed itself fails: {warm}"
    failures: list[Failure] = []
    n = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (max_cases is None or n < max_cases):
        data = next(stream)
        path.write_bytes(data)
        why = check(path, fmt)
        n += 1
        if why:
            failures.append(Failure(fmt, data, why))
    return n, failures


def keep(failure: Failure) -> Path:
    """Save a failing input under ``regressions/`` (kept forever, replayed by the suite)."""
    REGRESSIONS.mkdir(exist_ok=True)
    out = REGRESSIONS / failure.name()
    out.write_bytes(failure.data)
    return out
