"""End to end in headless Chromium: what an analyst does, click by click.

Skipped (with the reason) when ``/usr/bin/chromium`` is absent. Screenshots of every step
go to ``test-artifacts/web/`` (gitignored).
"""

from __future__ import annotations

import re
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"

def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def cell(page, model: str, issue: str) -> str:
    return page.locator(f'#forecast-table td[data-model="{model}"][data-issue="{issue}"]'
                        ).inner_text()


def charts_done(page, timeout: float = 30_000) -> None:
    page.wait_for_selector("body[data-charts-done='1']", timeout=timeout)
    total = page.get_attribute("body", "data-charts-total")
    assert page.get_attribute("body", "data-charts-rendered") == total


def open_korea(page) -> None:
    page.goto("/")
    page.select_option("#example", "korea-2006")
    page.click("#open-example button[type=submit]")
    page.wait_for_url("**/scenario")


def run_models(page, *models: str) -> None:
    page.goto("/run")
    for box in page.locator("input[name=model]").all():
        box.set_checked(box.get_attribute("value") in models)
    page.click("#run-button")
    page.wait_for_url(re.compile(r".*/run#results$"), timeout=60_000)


def test_analyst_walkthrough(page, tmp_path):
    # open the app and load the Korea 2006 example
    page.goto("/")
    assert "Alliance politics" in page.inner_text("h1")
    shot(page, "01-home")
    open_korea(page)
    assert page.locator("table.edit input[name='pos:USA:nk_policy']").input_value() == "75"
    shot(page, "02-scenario-table")

    # run EUM and compromise
    run_models(page, "eum", "compromise")
    charts_done(page)
    before = cell(page, "compromise", "nk_policy")
    eum_before = cell(page, "eum", "nk_policy")
    assert re.fullmatch(r"\d+\.\d", before) and re.fullmatch(r"\d+\.\d", eum_before)
    assert page.locator("#chart-trajectories svg").count() == 1  # eum's rounds are drawn
    shot(page, "03-forecast")

    # a validation error shows inline, beside the cell, before saving
    page.goto("/scenario")
    sal = page.locator("input[name='sal:ROK:opcon']")
    sal.fill("250")
    err = page.locator(".err[data-for='sal:ROK:opcon']")
    err.wait_for(state="visible")
    assert "outside the declared salience scale" in err.inner_text()
    assert "invalid" in (sal.locator("xpath=..").get_attribute("class") or "")
    shot(page, "04-validation-error")
    sal.fill("abc")
    page.wait_for_function("document.querySelector(\".err[data-for='sal:ROK:opcon']\")"
                           ".textContent.includes('not a number')")
    sal.fill("75")  # fixed: the message goes away
    page.wait_for_function("document.querySelector(\".err[data-for='sal:ROK:opcon']\")"
                           ".textContent === ''")

    # change one position, save, re-run: the forecast changes
    page.fill("input[name='pos:USA:nk_policy']", "10")
    page.wait_for_selector("#table-form[data-validated='ok']")
    page.click("#save")
    page.wait_for_selector("#saved")
    page.click("#rerun")
    page.wait_for_url(re.compile(r".*/run#results$"), timeout=60_000)
    charts_done(page)
    after = cell(page, "compromise", "nk_policy")
    assert after.split()[0] != before and f"was {before}" in after
    assert float(after.split()[0]) < float(before)  # USA moved toward engagement
    shot(page, "05-forecast-changed")

    # compare models beside the compromise baseline
    page.goto("/compare")
    charts_done(page)
    assert page.locator("#compare-table tr.baseline").count() == 1
    shot(page, "06-compare")

    # the cohesion page: the US–ROK series from data (or a clear note without the data)
    page.goto("/cohesion")
    page.wait_for_selector("h1:has-text('USA–KOR')")
    charts_done(page, timeout=120_000)
    if page.locator("#chart-cohesion-data").count():
        assert page.locator("#chart-cohesion-data svg").count() == 1
    else:
        assert page.locator(".note[role=alert]").count() == 1
    assert page.locator("#strain-table tbody tr").count() == 2  # US-ROK, US-Japan
    shot(page, "07-cohesion")

    # download the report: one self-contained file
    page.goto("/report")
    page.fill("input[name=draws]", "100")
    page.fill("input[name=sobol]", "0")
    with page.expect_download(timeout=180_000) as dl:
        page.click("#download-report")
    path = tmp_path / "report.html"
    dl.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert dl.value.suggested_filename == "korea-2006-report.html"
    assert 'id="panel-actor-map"' in html and "vegaEmbed" in html
    assert not re.search(r"<script[^>]+src=", html)  # everything inlined
    shot(page, "08-report-page")


def test_upload_problem_is_shown_on_the_page(page, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nactors: [{id: A, capability: -1}]\nissues: [{id: i}]\n"
                   "stances: {A: {i: {position: 50, salience: 1}}}\n", encoding="utf-8")
    page.goto("/")
    page.set_input_files("#file", str(bad))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/editor")  # read but wrong: opened in the workbench to fix
    problems = page.locator("#problem-list")
    problems.wait_for()
    assert "bad.yaml" in problems.inner_text() and "negative" in problems.inner_text()
    shot(page, "09-upload-problem")


def test_whatif_levers_and_saved_runs(page):
    open_korea(page)
    page.goto("/whatif")
    page.fill("#shocks", "USA capability *0.5\nremove China")
    page.click("#whatif-form button[type=submit]")
    page.wait_for_selector("#whatif-result")
    assert "remove China" in page.inner_text("#whatif-result h2")
    page.select_option("#actor", "ROK")
    page.click("#levers-form button[type=submit]")
    page.wait_for_selector("#levers-result")
    shot(page, "10-whatif-levers")
    run_models(page, "compromise", "median")
    page.fill("input[name=note]", "browser test")
    page.click("#save-run")
    page.wait_for_url("**/runs")
    assert "browser test" in page.inner_text("#runs-table")
    shot(page, "11-saved-runs")
