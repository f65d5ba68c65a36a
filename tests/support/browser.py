"""Debian's chromium under Playwright, and what the browser tests check on every page: that
it fits the screen, that the keyboard focus shows, and axe-core's accessibility rules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

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
# Installed by `make axe` (and so by `make test`) at the version the Makefile pins.
AXE_SCRIPT = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
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


def fits_the_width(page: Page) -> bool:
    """Nothing wider than the window, so no sideways scrolling."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def focus_ring(page: Page) -> str | None:
    """The focused element's outline ("3px solid ..."), or None when it shows no outline."""
    ring = page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const style = getComputedStyle(el);
          if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return null;
          return `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`;
        }"""
    )
    return str(ring) if ring else None


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
