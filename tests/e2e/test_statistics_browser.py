"""The statistics page and the printable report in Debian's chromium, on a desk screen and
on a phone: the figures and charts of a small year, nothing wider than the screen, a print
layout without the page's navigation. Screenshots (and the report printed to PDF by the
browser) are left in var/screenshots/ for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser, Page

from shared.db.engine import session_factory
from tests.support.browser import SCREENSHOTS
from tests.support.desk import PASSWORD, add_staff
from tests.support.stack import Stack, build_stack
from tests.support.statistics import write_year

ADMIN = "report.admin@example.org"
QUERY = "from=2026-11-01&to=2026-12-31"


@pytest.fixture(scope="module")
def stack(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, postgres_admin: str
) -> Iterator[Stack]:
    with build_stack(
        tmp_path_factory.mktemp("statistics-browser"), postgres_admin, processes=("intake",)
    ) as built:
        write_year(session_factory(built.db))
        add_staff(built.system, ADMIN, role="admin")
        yield built


def _signed_in(browser: Browser, stack: Stack, *, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    page = context.new_page()
    page.goto(f"{stack.system.base_url}/statistics?{QUERY}")
    page.fill("#email", ADMIN)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/statistics" in page.url, page.url
    return page


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_statistics_page_on_a_desk_screen_and_a_phone(browser: Browser, stack: Stack) -> None:
    page = _signed_in(browser, stack, width=1280, height=900)
    try:
        assert page.locator("h1").inner_text() == "Statistik"
        figures = page.locator("table.figures").first
        assert "Personen (verschiedene Anfragende)" in figures.inner_text()
        charts = page.locator("svg.chart")
        assert charts.count() == 9
        for svg in charts.all():
            ElementTree.fromstring(svg.evaluate("node => node.outerHTML"))
            assert svg.bounding_box() is not None
        months = page.locator("#b-by_month + svg title").text_content()
        assert months == "Kontakte nach Monat"
        _fits(page)
        page.screenshot(path=str(SCREENSHOTS / "statistics-desk.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        _fits(page)
        page.screenshot(path=str(SCREENSHOTS / "statistics-phone.png"), full_page=True)
    finally:
        page.context.close()


def test_the_printable_report_prints_without_the_pages_navigation(
    browser: Browser, stack: Stack
) -> None:
    page = _signed_in(browser, stack, width=1000, height=1400)
    try:
        page.goto(f"{stack.system.base_url}/statistics/report?{QUERY}&site=braunschweig")
        assert "Bericht über Anfragen und Beratungen" in page.locator("h1").inner_text()
        assert "Welcome Center Braunschweig" in page.locator(".meta").inner_text()
        assert page.locator(".screen-only").is_visible()
        page.screenshot(path=str(SCREENSHOTS / "statistics-report.png"), full_page=True)
        page.emulate_media(media="print")
        assert not page.locator(".screen-only").is_visible()
        # Braunschweig referred nobody in the period: that breakdown says so, without a chart.
        assert page.locator("svg.chart").count() == 8
        assert (
            "Keine in diesem Zeitraum." in page.locator("#b-referrals_by_partner + p").inner_text()
        )
        page.screenshot(path=str(SCREENSHOTS / "statistics-report-print.png"), full_page=True)
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        (SCREENSHOTS / "statistics-report.pdf").write_bytes(pdf)
    finally:
        page.context.close()
