"""Vega-Lite charts of alliance survival (issue 19): Kaplan–Meier curves by alliance type,
a hazard-ratio forest plot and a dyad's yearly probability of the alliance ending.

Each takes a part of the survival record (:mod:`realpolitik.analysis.alliance.survival.
figures`) and returns a spec dict, or ``None`` when there is nothing to draw; data inline,
so the same record gives the same spec.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .charts import WIDTH, _spec

__all__ = ["km_by_type", "forest", "dyad_line"]


def km_by_type(rows: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """Step curves S(age) per alliance type, with the number of spells in the legend."""
    if not rows:
        return None
    df = pd.DataFrame(rows)
    df["alliance type"] = [f"{t} ({n} spells)" for t, n in zip(df["type"], df["spells"],
                                                                strict=True)]
    chart = alt.Chart(df).mark_line(interpolate="step-after").encode(
        x=alt.X("age:Q", title="alliance age (years)"),
        y=alt.Y("survival:Q", scale=alt.Scale(domain=[0, 1]),
                title="share not abrogated (Kaplan–Meier)"),
        color=alt.Color("alliance type:N", title=None, legend=alt.Legend(
            orient="bottom", columns=1, labelLimit=400)),
        tooltip=["type", "age", alt.Tooltip("survival:Q", format=".3f"), "at_risk", "ended"])
    return _spec(chart.properties(width=WIDTH + 50, height=200,
                                  title="Alliance survival by type, 1815–2018"))


def forest(rows: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """Hazard ratios with 95% intervals on a log axis; 1 (no effect) as a rule."""
    rows = [r for r in rows or [] if r.get("hr") is not None]
    if not rows:
        return None
    df = pd.DataFrame(rows)
    order = list(df["covariate"])
    y = alt.Y("covariate:N", sort=order, title=None)
    color = alt.Color("group:N", title=None, legend=alt.Legend(orient="bottom"))
    tip = ["covariate", "group", "expected", alt.Tooltip("hr:Q", format=".2f"),
           alt.Tooltip("lo:Q", format=".2f"), alt.Tooltip("hi:Q", format=".2f")]
    x = alt.X("lo:Q", scale=alt.Scale(type="log"), title="hazard ratio of abrogation (log)")
    bars = alt.Chart().mark_rule(strokeWidth=2).encode(x=x, x2="hi:Q", y=y, color=color,
                                                       tooltip=tip)
    dots = alt.Chart().mark_point(filled=True, size=60).encode(x="hr:Q", y=y, color=color,
                                                               tooltip=tip)
    one = alt.Chart().mark_rule(color="#999999", strokeDash=[4, 3]).encode(
        x=alt.datum(1.0))
    events = rows[0].get("events")
    clusters = rows[0].get("clusters")
    return _spec(alt.layer(one, bars, dots, data=df).properties(
        width=WIDTH, height=16 * len(order),
        title=f"Hazard ratios, 95% year-clustered ({events} abrogations, {clusters} events)"))


def dyad_line(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """P(ending within 5 years) by year with its 90% band; the op-eds as marked rules."""
    if not doc or not doc.get("rows"):
        return None
    df = pd.DataFrame(doc["rows"])
    df["outcome"] = df["ended_within_5y"].map({True: "ended within 5 years",
                                               False: "held 5 more years",
                                               None: "not yet known"})
    a, b = doc["dyad"]
    x = alt.X("year:Q", axis=alt.Axis(format="d"), scale=alt.Scale(zero=False))
    band = alt.Chart(df).mark_area(opacity=0.25, color="#4c78a8").encode(
        x=x, y=alt.Y("lo:Q", title="P(alliance ends within 5 years)"), y2="hi:Q")
    line = alt.Chart(df).mark_line(color="#4c78a8", point=alt.OverlayMarkDef(size=14)).encode(
        x=x, y="p_end_5y:Q",
        tooltip=["year:Q", alt.Tooltip("p_end_5y:Q", format=".4f"),
                 alt.Tooltip("lo:Q", format=".4f"), alt.Tooltip("hi:Q", format=".4f"),
                 "outcome:N"])
    layers: list[Any] = [band, line]
    marks = doc.get("marks") or []
    if marks:
        m = pd.DataFrame(marks)
        m["ypos"] = [2 + 14 * k for k in range(len(m))]  # staggered: close years stay legible
        layers.append(alt.Chart(m).mark_rule(color="#e45756", strokeDash=[4, 3]).encode(
            x="year:Q", tooltip=["label", "quote", alt.Tooltip("p_claim:Q", format=".2f"),
                                 alt.Tooltip("p_model:Q", format=".4f")]))
        layers.append(alt.Chart(m).mark_text(align="left", dx=4, dy=-4, color="#e45756",
                                             fontSize=11, baseline="top").encode(
            x="year:Q", y=alt.Y("ypos:Q", scale=None), text="label:N"))
    return _spec(alt.layer(*layers).properties(
        width=2 * WIDTH, height=200,
        title=f"{a}–{b}: P(alliance ends within 5 years), model {doc['model']} fitted "
              "before each year"))
