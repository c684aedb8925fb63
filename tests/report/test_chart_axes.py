"""Chart axes that read well: each dynamic model on its own round axis with a few ticks,
compare and interval axes spanning the issue's whole scale, labels wrapped not cut, and
counts with the right noun form (the browser check of tick overlap is in
tests/web/test_rounds_browser.py)."""

from __future__ import annotations

from typer.testing import CliRunner

from realpolitik.cli import app as cli
from realpolitik.forecast import forecast
from realpolitik.report import charts
from realpolitik.wording import counted, wrap


def _names(doc):
    return {i["id"]: i.get("name") or i["id"] for i in doc["scenario"]["issues"]}


def _find(spec, key):
    """Every value of ``key`` anywhere in a nested spec."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == key:
                yield v
            yield from _find(v, key)
    elif isinstance(spec, list):
        for v in spec:
            yield from _find(v, key)


def test_each_dynamic_model_has_its_own_round_axis(korea):
    doc = forecast(korea, ["eum", "smp", "exchange"], seed=0).to_dict()
    spec = charts.trajectories(doc, _names(doc))
    assert spec["resolve"]["scale"]["x"] == "independent"
    panels = spec["vconcat"]
    assert [p["title"].split(":")[0] for p in panels] == ["eum", "smp", "exchange"]
    domains = [p["spec"]["encoding"]["x"]["scale"]["domain"] for p in panels]
    lasts = {}
    for m in doc["models"] + doc["forecasts"]:
        n = len(m.get("rounds") or [])
        if n:
            lasts[m["model"]] = max(lasts.get(m["model"], 0), n - 1)
    assert domains == [[0, lasts["eum"]], [0, lasts["smp"]], [0, lasts["exchange"]]]
    for p in panels:  # a handful of ticks, not one per round
        assert p["spec"]["encoding"]["x"]["axis"]["tickCount"] <= 6


def test_compare_and_interval_axes_span_the_issue_scale(korea):
    doc = forecast(korea, ["compromise", "median", "eum"], seed=0).to_dict()
    names = _names(doc)
    spec = charts.model_comparison(doc, names)
    assert spec["resolve"]["scale"]["x"] == "independent"
    rows = [r for d in _find(spec, "values") for r in d if r.get("edge") is not None]
    for i in korea.issues:
        assert sorted(r["edge"] for r in rows if r["issue"] == i.label) == [i.low, i.high]
    dist = {"rows": [{"model": r["model"], "issue": r["issue"], "point": r["outcome"],
                      "median": r["outcome"], "p2_5": r["outcome"] - 1, "p10": r["outcome"],
                      "p90": r["outcome"], "p97_5": r["outcome"] + 1}
                     for r in doc["forecasts"]]}
    spec = charts.distributions(dist, names, charts.scales(doc, names))
    edges = [r["edge"] for d in _find(spec, "values") for r in d if r.get("edge")
             is not None]
    assert min(edges) == 0 and max(edges) == 100


def test_labels_wrap_whole_words_and_counts_agree():
    long = "sanctions, interdiction and full diplomatic isolation of the regime"
    lines = wrap(long, 20, lines=5)
    assert " ".join(lines) == long and all(len(x) <= 20 for x in lines)
    assert wrap(long * 3, 20, lines=2)[-1].endswith("…")
    assert [counted(n, "issue") for n in (0, 1, 2)] == ["0 issues", "1 issue", "2 issues"]


def test_cli_table_says_one_issue_and_never_cuts_scale_labels(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text(
        "name: one\nsalience_scale: 1\nactors: [{id: A, capability: 1}, {id: B, capability: 1}]\n"
        "issues: [{id: x, low_label: a very long description of the low end of the scale,"
        " high_label: an equally long description of the high end}]\n"
        "stances: {A: {x: {position: 10, salience: 1}}, B: {x: {position: 90, salience: 1}}}\n",
        encoding="utf-8")
    out = CliRunner().invoke(cli, ["forecast", str(path), "-m", "compromise"],
                             terminal_width=200)
    assert out.exit_code == 0, out.output
    text = " ".join(out.stdout.split())
    assert "2 actors × 1 issue " in text and "1 issues" not in text
    assert "… …" not in out.stdout and "…" in out.stdout
    out = CliRunner().invoke(cli, ["validate", str(path)])
    assert "2 actors × 1 issue, 2 stances" in out.stdout
