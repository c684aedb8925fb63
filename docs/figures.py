"""Regenerate the README's figures: ``python docs/figures.py`` (needs ../shared/data/ir).

Writes ``docs/img/us-rok-cohesion.png`` — the U.S.–ROK cohesion series 1991–2019 from UN
General Assembly votes (agreement, S, quadratic κ) and COW military spending (burden share).
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from realpolitik.analysis.alliance.cohesion_data import cohesion_panel

OUT = Path(__file__).parent / "img"


def us_rok_cohesion() -> Path:
    panel = cohesion_panel("USA", "KOR", 1991, 2019)
    cols = {"un_agree": "UN vote agreement", "un_s_abs": "UN votes S",
            "un_kappa_quadratic": "UN votes κ (quadratic)",
            "burden_share_b": "ROK share of military spending"}
    long = panel[["year", *cols]].melt("year", var_name="measure").dropna()
    long["measure"] = long["measure"].map(cols)
    chart = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("year:O", title=None), y=alt.Y("value:Q", title=None),
        color=alt.Color("measure:N", legend=alt.Legend(orient="bottom", title=None)),
    ).properties(width=640, height=260, title="U.S.–ROK cohesion from data, 1991–2019")
    OUT.mkdir(exist_ok=True)
    path = OUT / "us-rok-cohesion.png"
    chart.save(path, scale_factor=1.5)
    return path


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    print(us_rok_cohesion())
