"""ATOP: symmetrised and validated, binary and valued codings, NA outside 1815–2018."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from realpolitik.data import DataError
from realpolitik.data.atop import (
    FLAGS,
    code_atop,
    in_coverage,
    portfolio_matrix,
    symmetrise,
    validate_atop,
)


def _rows(*flags: tuple[int, int, int, int, int], year: int = 2000) -> pd.DataFrame:
    frame = pd.DataFrame(list(flags), columns=list(FLAGS))
    frame.insert(0, "year", year)
    frame.insert(0, "ccode2", range(101, 101 + len(frame)))
    frame.insert(0, "ccode1", 2)
    return frame


def test_valued_coding_follows_chiba() -> None:
    coded = code_atop(_rows(
        (1, 0, 0, 0, 0), (0, 1, 1, 1, 1), (0, 0, 1, 0, 0), (0, 0, 0, 0, 1),
        (0, 0, 0, 1, 0), (0, 0, 1, 1, 0), (0, 0, 0, 0, 0),
    ))  # fmt: skip
    assert coded["atop_value"].tolist() == [3, 3, 2, 2, 1, 2, 0]
    assert coded["atop_any"].tolist() == [1, 1, 1, 1, 1, 1, 0]


def test_symmetrise_ors_asymmetric_obligations() -> None:
    one_way = _rows((1, 0, 0, 0, 0))
    other_way = one_way.assign(ccode1=101, ccode2=2, atop_defense=0, atop_consul=1)
    out = symmetrise(pd.concat([one_way, other_way]))
    assert len(out) == 2
    assert out[["atop_defense", "atop_consul"]].values.tolist() == [[1, 1], [1, 1]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ccode2": 2}, "self-dyads"),
        ({"atop_defense": 2}, "flags must be 0/1"),
        ({"year": 2019}, "outside"),
    ],
)
def test_validation_errors(change: dict[str, int], message: str) -> None:
    with pytest.raises(DataError, match=message):
        validate_atop(_rows((1, 0, 0, 0, 0)).assign(**change), "toy")


def test_duplicate_rows_rejected() -> None:
    dup = pd.concat([_rows((1, 0, 0, 0, 0))] * 2)
    with pytest.raises(DataError, match="duplicate"):
        validate_atop(dup, "toy")


def test_loaded_table_is_symmetric(atop_table: pd.DataFrame) -> None:
    key = ["ccode1", "ccode2", "year"]
    flipped = atop_table.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    merged = atop_table.merge(flipped, on=key, suffixes=("", "_r"))
    assert len(merged) == len(atop_table)
    for flag in (*FLAGS, "atop_value"):
        assert (merged[flag] == merged[f"{flag}_r"]).all()
    assert atop_table["year"].between(1815, 2018).all()


def test_us_rok_defence_pledge_every_year(atop_table: pd.DataFrame) -> None:
    rows = atop_table[(atop_table.ccode1 == 2) & (atop_table.ccode2 == 732)]
    assert rows["year"].tolist() == list(range(1953, 2019))
    assert (rows["atop_defense"] == 1).all() and (rows["atop_value"] == 3).all()


def test_portfolio_matrix_self_tie_and_coverage(atop_table: pd.DataFrame) -> None:
    members = np.array([2, 20, 732, 731])
    binary = portfolio_matrix(atop_table, members, 2003)
    valued = portfolio_matrix(atop_table, members, 2003, valued=True)
    assert np.diag(binary).tolist() == [1, 1, 1, 1] and np.diag(valued).tolist() == [3, 3, 3, 3]
    assert valued[0, 2] == valued[2, 0] == 3  # US-ROK defence pact
    assert valued[2, 3] == 1  # ATOP codes the 1991 inter-Korean agreement as non-aggression
    assert np.isnan(portfolio_matrix(atop_table, members, 2019)).all()
    assert not in_coverage(2019) and in_coverage(1815)
