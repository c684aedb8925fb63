"""Every cohesion measure a page or table shows has a plain name and a definition; the
strain thresholds are stated from the verdict rule itself; data reach is read from the
data's own versions and coverage."""

from __future__ import annotations

from realpolitik.analysis.alliance import cohesion as cohesion
from realpolitik.analysis.alliance.cohesion_data import TABLE_COLUMNS
from realpolitik.analysis.alliance.glossary import MEASURES, coverage, explain, thresholds
from realpolitik.data import atop, nmc


def test_every_shown_column_is_explained():
    shown = [c for c in TABLE_COLUMNS if c != "year"]
    for c in shown:
        name, definition = explain(c)
        assert name != c.replace("_", " ") and definition.endswith("."), c
    assert set(MEASURES) >= set(shown)


def test_thresholds_follow_the_verdict_rule():
    text = thresholds()
    for bound, verdict in cohesion.VERDICTS:
        assert verdict in text
        if bound <= 1:
            assert f"{bound:g}" in text
    assert text.startswith(f"cohesive below {cohesion.VERDICTS[0][0]:g}")


def test_coverage_reports_each_source_and_the_dyads_latest_year():
    doc = {"data_version": {"unvotes": {"sessions": "1-74", "source": "u"},
                            "atop": {"source": "a"}, "nmc": {"source": "n"}},
           "years": [{"year": 2017, "un_n": 80, "atop_tie": 3, "burden_share_b": 0.1},
                     {"year": 2018, "un_n": 75, "atop_tie": 3, "burden_share_b": None},
                     {"year": 2020, "un_n": None, "atop_tie": None, "burden_share_b": None}]}
    rows = {r["source"]: r for r in coverage(doc)}
    assert rows["UN General Assembly votes"]["covers"] == (1946, 2019)
    assert rows["UN General Assembly votes"]["latest"] == 2018
    assert rows["ATOP alliances"]["covers"] == atop.COVERAGE
    assert rows["COW military spending"] == {"source": "COW military spending", "detail": "n",
                                             "covers": nmc.COVERAGE, "latest": 2017}
