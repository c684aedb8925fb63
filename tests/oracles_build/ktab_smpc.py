"""Build a KTAB ``smpc`` turn-by-turn oracle: ``tests/oracles/<NAME>_csv.history.txt``.

KTAB (github.com/KTAB/KTAB, MIT) is *not* a project dependency; build its ``smpc`` in a
scratch directory (Debian 12: ``apt-get install cmake g++ libtinyxml2-dev libsqlite3-dev
qtbase5-dev libqt5sql5-sqlite``; easyloggingpp installed under a prefix; build ``kutils``,
``kmodel``, then ``examples/smp`` with ``-DENABLE_QT_SMPQ_GUI=false
-DENABLE_QT_SASQ_GUI=false`` and ``make smpc``). On this build the ``smp`` target's link line
names ``-lQt5::Widgets`` although smpc needs no widgets: drop that token from
``CMakeFiles/smpc.dir/link.txt`` and link again. Then, from the repository root::

    python tests/oracles_build/ktab_smpc.py /path/to/smpc ../shared/data/cases/ktab/X.csv

It runs ``smpc --csv X.csv --logmin`` (defaults, deterministic; a throwaway SQLite database)
in a temporary directory with KTAB's ``smpc-logger.conf`` (found next to ``smpc``), and keeps
the log from "There were N states" up to, not including, the "Finish time" line — the format
of ``../shared/oracles/ktab/``. Check of the build: on dummyData_3Dim, dummyData-a040 and
SOE-Pol-Comp it reproduces the shared oracles byte for byte (trailing blanks aside).

Provenance of ``SOE-Competitive_csv.history.txt``: KTAB master snapshot built 2026-12-05 with
Debian 12's g++ 12 (no -O flags: CMake's default build type), run on
``../shared/data/cases/ktab/SOE-Competitive.csv``: 36 states, 35 steps.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "oracles"


def history(smpc: Path, case: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(smpc.parent / "smpc-logger.conf", work)
        shutil.copy(case, work / case.name)
        subprocess.run([str(smpc), "--csv", case.name, "--logmin", "--connstr",
                        f"Driver=QSQLITE;Database={work / 'smpc'}"],
                       cwd=work, check=True, capture_output=True)
        (log,) = work.glob("smpc-*_log.txt")
        keep, on = [], False
        for line in log.read_text().splitlines():
            on = (on or line.startswith("There were")) and not line.startswith("Finish time")
            if on:
                keep.append(line)
        return "\n".join(keep) + "\n"


def main(smpc: str, case: str) -> None:
    path = Path(case)
    text = history(Path(smpc).resolve(), path.resolve())
    (OUT / f"{path.stem}_csv.history.txt").write_text(text)


if __name__ == "__main__":
    main(*sys.argv[1:])
