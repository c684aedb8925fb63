"""The Korea 2006 report rendered by headless Chromium: every panel drawn, offline.

Skipped (with the reason) when Debian's ``/usr/bin/chromium`` is absent, failed under
``CI=true`` (the ``browser`` fixture decides). The PNG goes to
``test-artifacts/report/korea-2006.png``.
"""

from __future__ import annotations

from pathlib import Path

from realpolitik.report import PANELS, to_pdf

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"


def test_korea_report_renders_every_panel_to_png(browser, korea_record, korea_html, tmp_path):
    page_file = tmp_path / "korea-2006.html"
    page_file.write_text(korea_html, encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / "korea-2006.png"
    requests: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-charts-done='1']", timeout=60_000)
        total = int(page.get_attribute("body", "data-charts-total") or 0)
        rendered = int(page.get_attribute("body", "data-charts-rendered") or 0)
        boxes = {pid: page.locator(f"#panel-{pid}").bounding_box() for pid, _ in PANELS}
        svgs = page.eval_on_selector_all(
            "div.chart svg", "els => els.map(e => [e.closest('div.chart').id, "
                             "e.getBoundingClientRect().width, e.getBoundingClientRect().height,"
                             " e.querySelectorAll('path, line, rect, circle, text').length])")
        page.screenshot(path=str(png), full_page=True)
    finally:
        page.close()
    assert not errors, errors
    assert [u for u in requests if not u.startswith("file:")] == []  # no network at all
    has_data = korea_record["cohesion"]["data"] is not None
    assert total == rendered == 9 + has_data
    for pid, box in boxes.items():
        assert box is not None and box["height"] > 80, pid
    for chart_id, width, height, marks in svgs:
        assert width > 150 and height > 80 and marks > 20, chart_id
    assert png.stat().st_size > 100_000


def test_pdf_export(korea_html, tmp_path):
    pdf = to_pdf(korea_html, tmp_path / "korea.pdf", chromium=str(CHROMIUM))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") >= 3
