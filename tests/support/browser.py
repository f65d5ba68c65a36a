"""Debian's chromium under Playwright, and what the browser tests check on every page: that
it fits the screen, that the keyboard focus shows, and axe-core's accessibility rules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import require
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
# Installed by `make axe` (and so by `make test`) at the version the Makefile pins.
AXE_SCRIPT = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0 to 2.2, levels A and AA, axe's best practices, and its level AAA
# rules: the desk is read all day, its small status badges too (enhanced contrast, 7:1).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "wcag2aaa"]
SERIOUS = ("serious", "critical")


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium (never a browser download: there is none to be had here)."""
    require(
        CHROMIUM.exists(),
        f"no chromium at {CHROMIUM} (apt-get install chromium, or make system-deps)",
    )
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


def fits_the_width(page: Page) -> bool:
    """Nothing wider than the window, so no sideways scrolling."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@dataclass(frozen=True)
class FocusRing:
    outline: str  # as computed, e.g. "3px solid rgb(194, 94, 0)"
    contrast: float  # of its colour against the background around the element


# The focused element's outline and its contrast against the nearest opaque background
# outside it (where the ring is drawn), by WCAG's relative luminance; null when none shows
# (no outline, a thin one, or the element out of the window).
_FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return null;
  const box = el.getBoundingClientRect();  // a ring drawn off the screen shows nothing
  if (box.right <= 0 || box.bottom <= 0 || box.left >= innerWidth || box.top >= innerHeight) {
    return null;
  }
  const rgba = text => text.match(/[\\d.]+/g).map(Number);
  let around = el.parentElement, background = [255, 255, 255];
  for (; around; around = around.parentElement) {
    const [r, g, b, a = 1] = rgba(getComputedStyle(around).backgroundColor);
    if (a > 0) { background = [r, g, b]; break; }
  }
  const luminance = ([r, g, b]) => {
    const lin = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const [l1, l2] = [luminance(rgba(style.outlineColor)), luminance(background)];
  const contrast = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  return {outline: `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`, contrast};
}"""


def focus_ring(page: Page) -> FocusRing | None:
    ring = page.evaluate(_FOCUS_RING)
    return FocusRing(str(ring["outline"]), float(ring["contrast"])) if ring else None


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.impact} {self.rule}: {self.help} at {', '.join(self.targets[:5])}"


def axe_violations(page: Page) -> list[Violation]:
    """axe-core's findings on the page as it stands. The page's Content-Security-Policy
    forbids foreign scripts, so its browser context needs `bypass_csp=True`."""
    require(AXE_SCRIPT.exists(), f"no axe-core at {AXE_SCRIPT}: run `make axe`")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    found: list[dict[str, Any]] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
        AXE_TAGS,
    )
    return [
        Violation(
            v["id"],
            v.get("impact") or "unknown",
            v["help"],
            tuple(" ".join(n["target"]) for n in v["nodes"]),
        )
        for v in found
    ]
