"""Seeded train/dev/test splits of issues, saved to a file before any fitting.

A model whose parameters are tuned on the issues it is scored on looks better than it is.
So a backtest that may tune anything first fixes which issues are for fitting (``train``),
for choosing among fits (``dev``) and for the one honest score (``test``), writes that
assignment to disk, and only then runs. The JSON layout is that of the published DEU III split
(``deu3_split.json`` of the 2026 replication), so the published split can be reused as is and
results compare with that study::

    {"seed": 20260721, "fractions": {"train": 0.4, "dev": 0.3, "test": 0.3},
     "n_issues": 351, "counts": {...}, "dataset_sha256": "...",
     "assignment": {"d00032i1": "dev", ...}}
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Split", "make_split", "load_split", "save_split", "ids_sha256", "SUBSETS"]

SUBSETS = ("train", "dev", "test")


def ids_sha256(ids: Iterable[str]) -> str:
    """SHA-256 of the sorted issue ids, one per line: identifies the set that was split."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


@dataclass(frozen=True)
class Split:
    """An assignment of issue ids to ``train``/``dev``/``test`` and how it was made."""

    assignment: dict[str, str]
    seed: int | None = None
    fractions: dict[str, float] = field(default_factory=dict)
    dataset_sha256: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def subset(self, name: str) -> list[str]:
        """The ids assigned to ``name`` (in sorted order)."""
        if name not in SUBSETS:
            raise ValueError(f"unknown subset {name!r}; one of {', '.join(SUBSETS)}")
        return sorted(k for k, v in self.assignment.items() if v == name)

    def counts(self) -> dict[str, int]:
        return {s: sum(v == s for v in self.assignment.values()) for s in SUBSETS}

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.extra,
            "seed": self.seed,
            "fractions": self.fractions,
            "n_issues": len(self.assignment),
            "counts": self.counts(),
            "dataset_sha256": self.dataset_sha256,
            "assignment": dict(sorted(self.assignment.items())),
        }


def make_split(
    ids: Iterable[str], seed: int, fractions: Mapping[str, float] | None = None
) -> Split:
    """Assign ``ids`` at random to train/dev/test in the given ``fractions`` (default 40/30/30).

    The ids are sorted first, so the split depends only on the set of ids and the seed, not on
    the order in which cases were read. Counts are ``floor(f·n)`` for train and dev; test takes
    the rest.

    Examples
    --------
    >>> s = make_split([f"i{k}" for k in range(10)], seed=1)
    >>> s.counts()
    {'train': 4, 'dev': 3, 'test': 3}
    >>> make_split(reversed([f"i{k}" for k in range(10)]), seed=1) == s
    True
    """
    fr = dict(fractions or {"train": 0.4, "dev": 0.3, "test": 0.3})
    if set(fr) != set(SUBSETS) or not math.isclose(sum(fr.values()), 1.0):
        raise ValueError("fractions must give train, dev and test, summing to 1")
    keys = sorted(set(ids))
    n = len(keys)
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_dev = math.floor(fr["train"] * n), math.floor(fr["dev"] * n)
    labels = np.array(["test"] * n, dtype=object)
    labels[order[:n_train]] = "train"
    labels[order[n_train : n_train + n_dev]] = "dev"
    return Split(
        assignment={k: str(lab) for k, lab in zip(keys, labels, strict=True)},
        seed=seed,
        fractions=fr,
        dataset_sha256=ids_sha256(keys),
    )


def save_split(split: Split, path: str | Path) -> Path:
    """Write ``split`` as JSON (refusing to overwrite a different split already there)."""
    p = Path(path)
    doc = split.to_dict()
    if p.exists():
        old = load_split(p)
        if old.assignment != split.assignment:
            raise FileExistsError(f"{p} holds a different split; remove it to make a new one")
        return p
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return p


def load_split(path: str | Path) -> Split:
    """Read a split file (ours, or the published DEU III ``deu3_split.json``)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    assignment = {str(k): str(v) for k, v in doc["assignment"].items()}
    bad = sorted({v for v in assignment.values() if v not in SUBSETS})
    if bad:
        raise ValueError(f"{path}: unknown subset label(s) {bad}; expected {SUBSETS}")
    known = {"assignment", "seed", "fractions", "dataset_sha256", "n_issues", "counts"}
    return Split(
        assignment=assignment,
        seed=doc.get("seed"),
        fractions=dict(doc.get("fractions") or {}),
        dataset_sha256=doc.get("dataset_sha256"),
        extra={k: v for k, v in doc.items() if k not in known},
    )
