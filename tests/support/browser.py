"""Debian's chromium driven by Playwright, as a phone: what the browser tests share.

Never `playwright install`: the tests use the system's chromium, without a sandbox (they
run as an unprivileged user in a container that allows none).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.support.system import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
PHONE_WIDTH = 390  # CSS pixels of an iPhone-sized screen


@contextmanager
def chromium() -> Iterator[Browser]:
    """The browser, or a skip (under CI a failure) when Debian's chromium is missing."""
    if not CHROMIUM.exists():
        reason = f"no chromium at {CHROMIUM} (apt-get install chromium, or make system-deps)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI: {reason}")
        pytest.skip(reason)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def phone(browser: Browser, locale: str) -> BrowserContext:
    """An iPhone-sized touch screen: 390 x 844 CSS pixels."""
    return browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )


def fits_the_phone(page: Page) -> None:
    """One column: nothing wider than the screen, so no sideways scrolling."""
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"{width[0]} CSS pixels wide on a {width[1]} pixel screen"


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
