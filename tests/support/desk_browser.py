"""Working the desk in a browser: forms sent and their answers awaited, cases made through
the whole system and awaited in the database, the directory changed so that nobody is
eligible, and the keyboard's path through a page."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from playwright.sync_api import Browser, Page, Response, ViewportSize
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.models import CaseHistoryRow, EnquiryRow
from shared.directory import load_directory
from shared.directory.store import import_directory
from tests.support.browser import SERIOUS, axe_violations, focus_ring
from tests.support.desk import PASSWORD
from tests.support.stack import DEMO_DIRECTORY, Stack, enquiry, enquiry_by_reference
from tests.support.system import wait_until

PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)


@contextmanager
def opened(browser: Browser, **options: Any) -> Iterator[Page]:
    """A fresh browser profile (its own cookies) with one page."""
    # bypass_csp: axe-core is injected, and the pages allow no script of another origin.
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, **options)
    try:
        yield context.new_page()
    finally:
        context.close()


def submit(page: Page, act: Callable[[], None]) -> Response:
    """Does what sends a form and waits for the page it leads to."""
    with page.expect_navigation() as navigation:
        act()
    response = navigation.value
    assert response is not None
    return response


def press(page: Page, label: str) -> Response:
    return submit(page, lambda: page.get_by_role("button", name=label, exact=True).click())


def sign_in(page: Page, email: str) -> Response:
    """Fills in the sign-in form; returns the page it leads to (the one first asked for)."""
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    return press(page, "Anmelden")


def new_case(stack: Stack, **fields: Any) -> EnquiryRow:
    """A new enquiry (English, recognition, Braunschweig), once routed."""
    answer = stack.system.post(enquiry(f"desk.{uuid.uuid4().hex[:8]}@example.net", **fields))
    assert answer.status_code == 202, answer.text
    reference = answer.json()["reference"]
    return case_in(stack, reference, lambda c: c.status != "received")


def case_in(stack: Stack, reference: str, state: Callable[[EnquiryRow], bool]) -> EnquiryRow:
    def found() -> EnquiryRow | None:
        row = enquiry_by_reference(stack.db, reference)
        return row if row is not None and state(row) else None

    return wait_until(found, timeout=60, what=f"{reference} in the awaited state")


def mail_to(stack: Stack, reference: str, address: str) -> EmailMessage:
    def found() -> EmailMessage | None:
        return next(
            (r.message for r in stack.smtp.with_reference(reference) if address in r.rcpt_tos),
            None,
        )

    return wait_until(found, timeout=60, what=f"mail about {reference} to {address}")


def history_of(stack: Stack, case_id: int) -> list[str]:
    with Session(stack.db) as session:
        return list(
            session.scalars(
                select(CaseHistoryRow.action)
                .where(CaseHistoryRow.enquiry_id == case_id)
                .order_by(CaseHistoryRow.id)
            )
        )


def status_shown(page: Page) -> str:
    return page.locator("h1 .badge[class*='status-']").inner_text()


def notice(page: Page) -> str:
    return page.locator(".notice[role=status]").inner_text().strip()


def serious_findings(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands."""
    return [str(v) for v in axe_violations(page) if v.impact in SERIOUS]


def import_directory_with(stack: Stack, *, active: bool) -> None:
    """The demo directory, every manager (in)active, imported as `welcomedesk directory
    import` does; the routing workers see the change by the directory's version."""
    demo = load_directory(DEMO_DIRECTORY)
    managers = tuple(m.model_copy(update={"active": active}) for m in demo.managers)
    with Session(stack.db) as session, session.begin():
        import_directory(session, demo.model_copy(update={"managers": managers}))


@contextmanager
def everyone_away(stack: Stack) -> Iterator[None]:
    """Nobody eligible, so that a new enquiry waits in its site's triage queue."""
    import_directory_with(stack, active=False)
    try:
        yield
    finally:
        import_directory_with(stack, active=True)


def tab_to(page: Page, selector: str, *, most: int = 40) -> list[str]:
    """Presses Tab until the element `selector` has the focus; returns each element passed
    on the way (and that one) whose focus did not show, or showed with less than the 3:1
    contrast WCAG asks of a focus indicator against what surrounds it."""
    unseen: list[str] = []
    for _ in range(most):
        page.keyboard.press("Tab")
        ring = focus_ring(page)
        if ring is None or ring.contrast < 3:
            where = page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
            unseen.append(f"{where} ({ring})")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return unseen
    raise AssertionError(f"{most} presses of Tab never reached {selector}")
