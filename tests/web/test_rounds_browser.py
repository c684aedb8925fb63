"""The round-by-round charts with every model on Korea 2006, in Chromium: each model has its
own round axis and no two tick labels of an axis overlap (bounding boxes), on the Run page
and in the HTML report. Screenshots: ``test-artifacts/web/30-run-all-models.png`` and
``test-artifacts/report/korea-2006-rounds.png``."""

from __future__ import annotations

from realpolitik.models import names
from realpolitik.report import collect, render

from .conftest import ARTIFACTS, REPO

#: per axis of the chart ``sel``: the boxes of its visible tick labels, and its orientation
AXES = """(sel) => [...document.querySelectorAll(sel + ' g.role-axis')].map(ax => {
  const labels = [...ax.querySelectorAll('g.role-axis-label text')]
    .filter(t => Number(t.getAttribute('opacity') ?? 1) > 0 && t.textContent.trim() !== '')
    .map(t => { const b = t.getBoundingClientRect();
                return [t.textContent, b.left, b.top, b.right, b.bottom]; });
  const title = ax.querySelector('g.role-axis-title text');
  return {title: title ? title.textContent : '', labels};
})"""


def overlaps(labels: list[list]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes intersect (more than a hair: 0.5 px each way)."""
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            w = min(a[3], b[3]) - max(a[1], b[1])
            h = min(a[4], b[4]) - max(a[2], b[2])
            if w > 0.5 and h > 0.5:
                out.append((a[0], b[0]))
    return out


def check_round_axes(page, sel: str, models: list[str]) -> None:
    axes = page.evaluate(AXES, sel)
    rounds = [a for a in axes if a["title"] == "round"]
    assert rounds, "no round axis drawn"
    for a in axes:
        assert not overlaps(a["labels"]), (a["title"], overlaps(a["labels"]))
    for a in rounds:  # thinned: a handful of ticks per panel, never one per round
        assert 2 <= len(a["labels"]) <= 8, a["labels"]
    ends = {float(a["labels"][-1][0]) for a in rounds}
    assert len(ends) >= 2, ends  # e.g. EUM's 10 rounds and SMP's turns: own axes


def test_run_page_rounds_for_every_model(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    page.select_option("#example", "korea-2006")
    page.click("#open-example button[type=submit]")
    page.wait_for_url("**/scenario")
    page.goto("/run")
    page.check("input[name=all]") if page.locator("input[name=all]").count() else None
    for m in names():
        page.check(f"input[name=model][value={m}]")
    page.fill("input[name=draws]", "0")
    page.click("#run-button")
    page.wait_for_url("**/run#results", timeout=120_000)
    page.wait_for_selector("body[data-charts-done='1']", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "30-run-all-models.png"), full_page=True)
    page.locator("#chart-trajectories").screenshot(
        path=str(ARTIFACTS / "31-run-rounds.png"))
    check_round_axes(page, "#chart-trajectories", names())


def test_report_rounds_panel_for_every_model(browser, tmp_path):
    from realpolitik.scenario.io import load

    sc = load(REPO / "examples" / "korea-2006.yaml")
    html = render(collect(sc, names(), seed=0, draws=0, sobol_samples=0,
                          sensitivity_model=None))
    path = tmp_path / "korea.html"
    path.write_text(html, encoding="utf-8")
    shots = REPO / "test-artifacts" / "report"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800})  # type: ignore
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-charts-done='1']", timeout=60_000)
        page.locator("#panel-trajectories").screenshot(
            path=str(shots / "korea-2006-rounds.png"))
        check_round_axes(page, "#chart-trajectories", names())
    finally:
        page.close()
