"""Vega-Lite charts (built with Altair) of the report record's parts.

Each function takes plain record parts (see :mod:`realpolitik.report.record`) and returns a
Vega-Lite specification as a dict, or ``None`` when there is nothing to draw. Specs hold
their data inline and name every parameter, so the same record gives the same spec.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from ..wording import counted, wrap

__all__ = ["actor_map", "trajectories", "distributions", "tornado", "sobol",
           "model_comparison", "cohesion_rounds", "cohesion_components", "cohesion_data",
           "MODEL_COLORS"]

MODEL_COLORS = {"compromise": "#222222", "median": "#1f77b4", "mean": "#9467bd",
                "status-quo": "#8c564b", "nash": "#17becf", "eum": "#d62728",
                "exchange": "#2ca02c", "smp": "#ff7f0e"}
WIDTH = 250


def _spec(chart: Any) -> dict[str, Any]:
    return chart.configure_view(stroke=None).configure_axis(
        labelFontSize=11, titleFontSize=12).configure_title(
        fontSize=13, anchor="start").to_dict(validate=False)


def _model_scale(models: list[str]) -> alt.Scale:
    extra = ["#bcbd22", "#e377c2", "#7f7f7f", "#aec7e8", "#98df8a"]
    colors = [MODEL_COLORS.get(m) or extra[k % len(extra)] for k, m in enumerate(models)]
    return alt.Scale(domain=models, range=colors)


def _by_issue(names: dict[str, str], channel: Any = alt.Facet) -> Any:
    """Facet by issue, in the scenario's order (not alphabetically)."""
    return channel("issue:N", title=None, sort=list(dict.fromkeys(names.values())))


def scales(forecast: dict[str, Any], names: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Each issue's scale (low, high) by its shown name, from a forecast record."""
    return {names.get(i["id"], i["id"]): (i["low"], i["high"])
            for i in forecast["scenario"]["issues"]}


def _with_spans(df: pd.DataFrame, spans: dict[str, tuple[float, float]] | None) -> Any:
    """``df`` plus two rows per issue at its scale's ends (field ``edge``): an invisible
    layer on them makes each issue's axis span its whole scale, 0–100 rather than 0–90.
    Inline values with ``null`` for every gap (rows of both kinds leave fields empty)."""
    ends = [{"issue": k, "edge": float(x)} for k, v in (spans or {}).items() for x in v
            if k in set(df["issue"])]
    rows = [{k: (None if isinstance(v, float) and math.isnan(v) else v)
             for k, v in r.items()} for r in df.to_dict("records")]
    return alt.Data(values=rows + ends)


def _span_layer() -> Any:
    return alt.Chart().mark_point(opacity=0).encode(x=alt.X("edge:Q"))


def _issues(sc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(sc["issues"])


def actor_map(sc: dict[str, Any], forecast: dict[str, Any]) -> dict[str, Any]:
    """Per issue: each actor's position (x) against its clout (capability × salience, y);
    point size = salience; vertical rules = the models' forecasts."""
    actors = {a["id"]: a for a in sc["actors"]}
    scale = sc.get("salience_scale", 1) or 1
    rows = []
    for s in sc["stances"]:
        cap = s["capability"] if s.get("capability") is not None else actors[s["actor"]][
            "capability"]
        sal = s["salience"] / scale
        rows.append({"issue": s["issue"], "actor": actors[s["actor"]].get("name") or s["actor"],
                     "id": s["actor"], "position": s["position"], "salience": sal,
                     "capability": cap, "clout": cap * sal})
    df = pd.DataFrame(rows)
    fc = pd.DataFrame([r for r in forecast["forecasts"] if r.get("outcome") is not None],
                      columns=["model", "issue", "outcome"])
    models = list(dict.fromkeys(fc["model"]))
    panels = []
    for iss in _issues(sc):
        x = alt.X("position:Q", scale=alt.Scale(domain=[iss["low"], iss["high"]]),
                  title=wrap(f"{iss['low_label'] or iss['low']} ← position → "
                             f"{iss['high_label'] or iss['high']}", 44))
        data = df[df.issue == iss["id"]]
        y = alt.Y("clout:Q", title="clout (capability × salience)")
        pts = alt.Chart(data).mark_circle(opacity=0.8, color="#4c78a8").encode(
            x=x, y=y,
            size=alt.Size("salience:Q", scale=alt.Scale(domain=[0, 1], range=[30, 400]),
                          legend=None),
            tooltip=["actor", "position", "capability", alt.Tooltip("salience:Q", format=".2f"),
                     alt.Tooltip("clout:Q", format=".1f")])
        labels = alt.Chart(data).mark_text(align="left", dx=7, dy=-7, fontSize=10).encode(
            x=x, y=y, text="id:N")
        rules = alt.Chart(fc[fc.issue == iss["id"]]).mark_rule(strokeDash=[4, 3]).encode(
            x=alt.X("outcome:Q"),
            color=alt.Color("model:N", scale=_model_scale(models), title="forecast"),
            tooltip=["model", alt.Tooltip("outcome:Q", format=".1f")])
        panels.append((rules + pts + labels).properties(
            width=WIDTH, height=180, title=wrap(iss.get("name") or iss["id"], 40)))
    return _spec(alt.concat(*panels, columns=2))


def _round_axis(last: int) -> alt.Axis:
    """A round axis with a handful of whole-number ticks (never one per round: SMP runs to
    100 turns) that Vega thins further if labels would still touch."""
    return alt.Axis(format="d", tickMinStep=1, tickCount=max(1, min(last, 6)),
                    labelOverlap="greedy", labelFlush=True, grid=False)


def trajectories(forecast: dict[str, Any], names: dict[str, str]) -> dict[str, Any] | None:
    """Per-round positions (per-issue dynamic models) and joint-round outcomes: small
    multiples, one row per model with its own round axis (EUM's 10 rounds are not squeezed
    by SMP's 100 turns), one column per issue."""
    rows = []
    for r in forecast["forecasts"]:
        for k, rec in enumerate(r.get("rounds") or []):
            for actor, x in (rec.get("positions") or {}).items():
                rows.append({"model": r["model"], "issue": names.get(r["issue"], r["issue"]),
                             "round": k, "series": actor, "value": x, "kind": "actor"})
            if rec.get("median") is not None:
                rows.append({"model": r["model"], "issue": names.get(r["issue"], r["issue"]),
                             "round": k, "series": "forecast (median)", "value": rec["median"],
                             "kind": "forecast"})
    for m in forecast["models"]:
        for k, rec in enumerate(m.get("rounds") or []):
            for iss, x in (rec.get("outcome") or {}).items():
                rows.append({"model": m["model"], "issue": names.get(iss, iss), "round": k,
                             "series": f"{m['model']} outcome", "value": x, "kind": "forecast"})
    if not rows:
        return None
    df = pd.DataFrame(rows)
    series = list(dict.fromkeys(df.sort_values("kind")["series"]))
    ends = set(scales(forecast, names).values())  # one common scale: the axis spans it
    y_scale = alt.Scale(domain=list(ends.pop())) if len(ends) == 1 else alt.Undefined
    panels = []
    for model in dict.fromkeys(df["model"]):
        part = df[df.model == model]
        last = int(part["round"].max())
        base = alt.Chart(part).encode(
            x=alt.X("round:Q", title="round", axis=_round_axis(last),
                    scale=alt.Scale(domain=[0, max(last, 1)], nice=False)),
            y=alt.Y("value:Q", title="position", scale=y_scale),
            color=alt.Color("series:N", title="actor / series", scale=alt.Scale(domain=series)),
            tooltip=["model", "issue", "round", "series", alt.Tooltip("value:Q", format=".1f")])
        lines = base.mark_line(point=last <= 30, strokeWidth=1.5).encode(
            strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(
                domain=["actor", "forecast"], range=[[1, 0], [5, 3]]), legend=None),
            strokeWidth=alt.StrokeWidth("kind:O", scale=alt.Scale(
                domain=["actor", "forecast"], range=[1.5, 3.5]), legend=None))
        panels.append(lines.properties(width=170, height=130).facet(
            column=_by_issue(names, alt.Column), title=f"{model}: {counted(last, 'round')}"))
    return _spec(alt.vconcat(*panels).resolve_scale(x="independent"))


def distributions(dist: dict[str, Any], names: dict[str, str],
                  spans: dict[str, tuple[float, float]] | None = None
                  ) -> dict[str, Any] | None:
    """Per issue and model: median, 80% and 95% intervals, and the point forecast, on an
    axis spanning the issue's scale (``spans``: (low, high) by issue name)."""
    rows = [{**{k: r[k] for k in ("model", "median", "p2_5", "p10", "p90", "p97_5", "point")},
             "issue": names.get(r["issue"], r["issue"])} for r in dist["rows"]]
    if not rows:
        return None
    df = pd.DataFrame(rows)
    models = list(dict.fromkeys(df["model"]))
    y = alt.Y("model:N", sort=models, title=None, scale=alt.Scale(domain=models))
    color = alt.Color("model:N", scale=_model_scale(models), legend=None)
    tip = ["model:N", "issue:N"] + [alt.Tooltip(f"{c}:Q", format=".1f")
                                for c in ("point", "median", "p2_5", "p10", "p90", "p97_5")]
    base = alt.Chart().encode(y=y, color=color, tooltip=tip)
    wide = base.mark_rule(strokeWidth=1.5).encode(
        x=alt.X("p2_5:Q", title="outcome", scale=alt.Scale(zero=False)), x2="p97_5:Q")
    mid = base.mark_bar(height=9, opacity=0.5).encode(x="p10:Q", x2="p90:Q")
    med = base.mark_tick(thickness=2.5, size=16, color="black").encode(x="median:Q")
    pt = base.mark_point(shape="diamond", filled=True, size=60, color="white",
                         stroke="black").encode(x="point:Q")
    layer = alt.layer(wide, mid, med, pt, _span_layer(), data=_with_spans(df, spans))
    return _spec(layer.properties(width=WIDTH, height=22 * len(models))
                 .facet(facet=_by_issue(names), columns=2).resolve_scale(x="independent"))


def histograms(dist: dict[str, Any], model: str, names: dict[str, str]) -> dict[str, Any] | None:
    """Histogram of one model's outcome draws, per issue."""
    rows = []
    for r in dist["rows"]:
        if r["model"] != model or not r.get("histogram"):
            continue
        e, c = r["histogram"]["edges"], r["histogram"]["counts"]
        for k, n in enumerate(c):
            rows.append({"issue": names.get(r["issue"], r["issue"]), "from": e[k],
                         "to": e[k + 1], "share": n / max(1, sum(c))})
    if not rows:
        return None
    chart = alt.Chart(pd.DataFrame(rows)).mark_bar(color=MODEL_COLORS.get(model, "#4c78a8"),
                                                   opacity=0.75).encode(
        x=alt.X("from:Q", bin="binned", title=f"{model} outcome"), x2="to:Q",
        y=alt.Y("share:Q", title="share of draws", axis=alt.Axis(format="%")),
        tooltip=["issue", "from", "to", alt.Tooltip("share:Q", format=".1%")])
    return _spec(chart.properties(width=WIDTH, height=110).facet(
        facet=_by_issue(names), columns=2))


def tornado(rows: list[dict[str, Any]], names: dict[str, str], top: int = 8
            ) -> dict[str, Any] | None:
    """One-at-a-time swings: a bar from the outcome at each input's low end to its high end,
    the ``top`` inputs per issue, with the coded outcome as a rule."""
    df = pd.DataFrame(rows)
    if df.empty:
        return None
    df = df[df["rank"] <= top].copy()
    df["issue"] = [names.get(i, i) for i in df["issue"]]
    base = alt.Chart().encode(y=alt.Y("input:N", sort=alt.SortField("rank"), title=None))
    bars = base.mark_bar(color="#4c78a8").encode(
        x=alt.X("outcome_low:Q", title="outcome (input at its 5% → 95% value)",
                scale=alt.Scale(zero=False)),
        x2="outcome_high:Q",
        tooltip=["input", alt.Tooltip("low:Q", format=".2f"), alt.Tooltip("high:Q", format=".2f"),
                 alt.Tooltip("outcome_low:Q", format=".2f"),
                 alt.Tooltip("outcome_high:Q", format=".2f"), alt.Tooltip("swing:Q", format=".2f")])
    mid = base.mark_tick(color="black", thickness=2).encode(x="outcome:Q")
    return _spec(alt.layer(bars, mid, data=df).properties(width=WIDTH, height=16 * top)
                 .facet(facet=_by_issue(names), columns=2)
                 .resolve_scale(y="independent"))


def sobol(rows: list[dict[str, Any]], names: dict[str, str], top: int = 8
          ) -> dict[str, Any] | None:
    """First-order (S1) and total (ST) Sobol indices of the ``top`` inputs per issue."""
    df = pd.DataFrame(rows)
    if df.empty or df["ST"].isna().all():
        return None
    df = df.dropna(subset=["ST"])
    df["rank"] = df.groupby("issue").cumcount() + 1
    df = df[df["rank"] <= top]
    df["issue"] = [names.get(i, i) for i in df["issue"]]
    y = alt.Y("input:N", sort=alt.SortField("rank"), title=None)
    tip = ["issue", "input", alt.Tooltip("ST:Q", format=".3f"),
           alt.Tooltip("ST_conf:Q", format=".3f", title="ST ± (95%)"),
           alt.Tooltip("S1:Q", format=".3f"), alt.Tooltip("S1_conf:Q", format=".3f",
                                                           title="S1 ± (95%)")]
    total = alt.Chart().mark_bar(size=13, color="#f58518", opacity=0.55).encode(
        y=y, x=alt.X("ST:Q", title="Sobol index: total ST (wide), first-order S1 (narrow)"),
        tooltip=tip)
    first = alt.Chart().mark_bar(size=5, color="#54a24b").encode(y=y, x="S1:Q", tooltip=tip)
    return _spec(alt.layer(total, first, data=df).properties(width=WIDTH, height=18 * top)
                 .facet(facet=_by_issue(names), columns=2)
                 .resolve_scale(y="independent"))


def model_comparison(forecast: dict[str, Any], names: dict[str, str]) -> dict[str, Any] | None:
    """Every model's forecast per issue beside the compromise baseline (and the known outcome)."""
    rows = [{"model": r["model"], "issue": names.get(r["issue"], r["issue"]),
             "outcome": r["outcome"]} for r in forecast["forecasts"] if r["outcome"] is not None]
    if not rows:
        return None
    df = pd.DataFrame(rows)
    base = df[df.model == "compromise"][["issue", "outcome"]].rename(
        columns={"outcome": "baseline"})
    df = df.merge(base, on="issue", how="left")
    df["vs_compromise"] = df["outcome"] - df["baseline"]
    known = pd.DataFrame([{"issue": i.get("name") or i["id"],
                           "known": (i.get("known_outcome") or {}).get("value")}
                          for i in forecast["scenario"]["issues"]]).dropna()
    df = df.merge(known, on="issue", how="left") if not known.empty else df.assign(known=None)
    models = list(dict.fromkeys(df["model"]))
    y = alt.Y("model:N", sort=models, title=None, scale=alt.Scale(domain=models))
    color = alt.Color("model:N", scale=_model_scale(models), legend=None)
    base_rule = alt.Chart().mark_rule(color="#999999").encode(x="baseline:Q")
    bars = alt.Chart().mark_bar(height=3, opacity=0.6).encode(
        x="baseline:Q", x2="outcome:Q", y=y, color=color)
    dots = alt.Chart().mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("outcome:Q", title="forecast", scale=alt.Scale(zero=False)),
        y=y, color=color,
        tooltip=["model:N", "issue:N", alt.Tooltip("outcome:Q", format=".1f"),
                 alt.Tooltip("vs_compromise:Q", format="+.1f", title="vs compromise"),
                 alt.Tooltip("known:Q", title="known outcome")])
    rule = alt.Chart().mark_rule(color="#e45756", strokeDash=[2, 2], strokeWidth=2).encode(
        x="known:Q")
    layer = alt.layer(base_rule, bars, dots, rule, _span_layer(),
                      data=_with_spans(df, scales(forecast, names)))
    return _spec(layer.properties(width=WIDTH, height=20 * len(models)).facet(
        facet=_by_issue(names), columns=2).resolve_scale(x="independent"))


def cohesion_rounds(strains: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Interest congruence of each alliance round by round (a dynamic model's positions)."""
    rows = [{"alliance": s["alliance"], "round": k, "congruence": c,
             "model": s["dynamics"]["model"]}
            for s in strains if s.get("dynamics")
            for k, c in enumerate(s["dynamics"]["congruence_by_round"]) if c is not None]
    if not rows:
        return None
    chart = alt.Chart(pd.DataFrame(rows)).mark_line(point=True).encode(
        x=alt.X("round:O"), y=alt.Y("congruence:Q", scale=alt.Scale(domain=[-1, 1]),
                                    title="interest congruence (−1 … 1)"),
        color=alt.Color("alliance:N"), tooltip=["alliance", "model", "round",
                                                alt.Tooltip("congruence:Q", format=".3f")])
    return _spec(chart.properties(width=WIDTH, height=170, title="scenario-based, per round"))


def cohesion_components(strains: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Each alliance's strain components (0 = no strain, 1 = full strain)."""
    rows = [{"alliance": s["alliance"], "component": k.replace("_", " "), "value": v,
             "verdict": s["verdict"]}
            for s in strains for k, v in (s.get("components") or {}).items()]
    if not rows:
        return None
    chart = alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        y=alt.Y("component:N", title=None), x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1]),
                                                    title="strain component"),
        color=alt.Color("alliance:N"), yOffset="alliance:N",
        tooltip=["alliance", "component", alt.Tooltip("value:Q", format=".3f"), "verdict"])
    return _spec(chart.properties(width=WIDTH, height=130, title="scenario-based strain"))


def cohesion_data(doc: dict[str, Any], mark_year: int | None = None) -> dict[str, Any] | None:
    """Data-based cohesion of a dyad by year: UN vote agreement, S and κ; ATOP tie."""
    from ..analysis.alliance.glossary import MEASURES

    cols = {c: MEASURES[c] for c in ("un_agree", "un_s_abs", "un_kappa_quadratic",
                                     "atop_val_s_abs")}
    rows = [{"year": y["year"], "measure": name, "definition": what, "value": y.get(c)}
            for y in doc["years"] for c, (name, what) in cols.items() if y.get(c) is not None]
    if not rows:
        return None
    a, b = doc.get("dyad") or ["a", "b"]
    lines = alt.Chart(pd.DataFrame(rows)).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X("year:Q", axis=alt.Axis(format="d"), scale=alt.Scale(zero=False)),
        y=alt.Y("value:Q", title="similarity"), color=alt.Color("measure:N", title=None),
        tooltip=["year:Q", "measure", alt.Tooltip("value:Q", format=".3f"), "definition"])
    layers: list[Any] = [lines]
    if mark_year is not None:
        layers.append(alt.Chart(pd.DataFrame([{"year": mark_year,
                                               "label": f"scenario ({mark_year})"}]))
                      .mark_rule(color="#999999", strokeDash=[4, 3]).encode(
                          x="year:Q", tooltip=["label"]))
    return _spec(alt.layer(*layers).properties(
        width=2 * WIDTH, height=190, title=f"data-based: {a}–{b}, by year"))
