"""Splits: seeded, order-free, saved before use; the published DEU III split is reused."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.backtest import load_split, make_split, save_split

from shared_data import shared


def test_published_deu3_split_loads():
    sp = load_split(shared("data", "cases", "deu3", "deu3_split.json"))
    assert sp.counts() == {"train": 140, "dev": 105, "test": 106}
    assert sp.seed == 20260721
    assert sp.fractions == {"train": 0.4, "dev": 0.3, "test": 0.3}
    ids = pd.read_csv(shared("data", "cases", "deu3", "deu-paired-differences.csv"))["issue_id"]
    assert set(sp.assignment) == set(ids)
    assert sp.extra["rp_counts"] == {"dev": 70, "test": 79, "train": 103}


@settings(max_examples=30, deadline=None)
@given(
    st.sets(st.text("abcdef0123", min_size=1, max_size=6), min_size=1, max_size=60),
    st.integers(0, 2**32 - 1),
    st.randoms(use_true_random=False),
)
def test_property_split_partitions_and_ignores_order(ids, seed, rnd):
    s = make_split(ids, seed)
    shuffled = list(ids)
    rnd.shuffle(shuffled)
    assert make_split(shuffled, seed) == s
    assert set(s.assignment) == ids
    n = len(ids)
    assert s.counts()["train"] == int(0.4 * n) and s.counts()["dev"] == int(0.3 * n)
    assert sum(len(s.subset(k)) for k in ("train", "dev", "test")) == n


def test_save_and_reload(tmp_path):
    s = make_split([f"i{k}" for k in range(20)], seed=4)
    p = save_split(s, tmp_path / "split.json")
    assert load_split(p).assignment == s.assignment
    assert json.loads(p.read_text())["counts"] == {"train": 8, "dev": 6, "test": 6}
    save_split(s, p)  # the same split again: fine
    with pytest.raises(FileExistsError):
        save_split(make_split([f"i{k}" for k in range(20)], seed=5), p)
    with pytest.raises(ValueError):
        make_split(["a"], 1, {"train": 0.5, "test": 0.5})
