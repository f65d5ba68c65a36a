"""The managers' desk in Debian's chromium against the whole system: a manager follows the
link in the case mail, signs in and works the case to its close; a case from the triage
queue; two people changing one case at once; the keyboard alone; and every staff page in
German and English, on a phone and a desktop, screenshot and checked by axe-core.

Screenshots land in var/screenshots/desk-*.png for people to look at.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from playwright.sync_api import Browser, Page, Response, ViewportSize
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk import accounts
from shared.db.models import CaseHistoryRow, EnquiryRow, ReferralRow
from shared.directory import load_directory
from shared.directory.store import import_directory
from tests.support.browser import (
    SCREENSHOTS,
    SERIOUS,
    axe_violations,
    chromium,
    fits_the_width,
    focus_ring,
)
from tests.support.desk import PASSWORD
from tests.support.stack import DEMO_DIRECTORY, Stack, build_stack, enquiry, enquiry_by_reference
from tests.support.system import wait_until

# One account per demo manager (m-01, m-02 at Braunschweig; m-03, m-04 at Wolfsburg).
MANAGERS = {"m-01", "m-02", "m-03", "m-04"}
ADMIN = "admin@staff.example.org"
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)
CASE_LINK = re.compile(r"Open the case: (\S+)")


def staff_email(manager_id: str) -> str:
    return f"{manager_id}@staff.example.org"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def stack(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, postgres_admin: str
) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("desk-browser"), postgres_admin) as built:
        # Made in this process, by the function `welcomedesk staff add` runs: five more
        # command-line starts would cost more than all the tests that use the accounts.
        with Session(built.db) as session, session.begin():
            for manager_id in sorted(MANAGERS):
                accounts.add_staff(
                    session,
                    email=staff_email(manager_id),
                    role="manager",
                    manager_id=manager_id,
                    password=PASSWORD,
                )
            accounts.add_staff(session, email=ADMIN, role="admin", password=PASSWORD)
        yield built


@contextmanager
def opened(browser: Browser, **options: Any) -> Iterator[Page]:
    """A fresh browser profile (its own cookies) with one page."""
    context = browser.new_context(viewport=DESKTOP, **options)
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


def manager_address(manager_id: str) -> str:
    return next(str(m.email) for m in load_directory(DEMO_DIRECTORY).managers if m.id == manager_id)


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


def test_manager_works_a_case_from_the_link_in_the_case_mail(
    browser: Browser, stack: Stack
) -> None:
    case = new_case(stack, consent_referral=True)
    reference, manager = str(case.reference), str(case.manager_id)
    assert case.status == "assigned"
    body = mail_to(stack, reference, manager_address(manager)).get_body(("plain",))
    assert body is not None
    found = CASE_LINK.search(body.get_content())
    assert found is not None, "no link in the case mail"
    link = found.group(1)
    assert link == f"{stack.system.base_url}/cases/{reference}"

    with opened(browser, locale="de-DE") as page:
        page.goto(link)
        where = urlparse(page.url)
        assert where.path == "/staff/sign-in"
        assert parse_qs(where.query)["next"] == [f"/cases/{reference}"]
        assert sign_in(page, staff_email(manager)).ok
        assert page.url == link
        assert page.locator("h1 .ref").inner_text() == reference
        assert status_shown(page) == "zugewiesen"

        press(page, "Fall annehmen")
        assert notice(page) == "Sie haben den Fall angenommen."
        assert status_shown(page) == "angenommen"
        assert case_in(stack, reference, lambda c: c.status == "accepted").accepted_at

        page.select_option("#partner_id", "p-11")
        press(page, "Vermitteln")
        assert notice(page) == "Der Partner erhält die Vermittlungs-E-Mail."
        assert "IHK Braunschweig" in page.locator("#referrals-title + ul").inner_text()
        with Session(stack.db) as session:
            partners = session.scalars(
                select(ReferralRow.partner_id).where(ReferralRow.enquiry_id == case.id)
            ).all()
        assert "p-11" in partners
        referral = mail_to(stack, reference, "ihk@example.org")
        assert "Referral" in str(referral["Subject"])

        note = f"Rang the enquirer: documents are on their way ({uuid.uuid4().hex[:6]})."
        page.fill("#note", note)
        press(page, "Notiz hinzufügen")
        assert notice(page) == "Ihre Notiz steht im Fall."
        assert page.locator(".message.kind-note .text").last.inner_text() == note

        page.select_option("#outcome", "referred")
        press(page, "Abschließen")
        assert notice(page) == "Der Fall ist abgeschlossen."
        assert status_shown(page) == "abgeschlossen"
        assert page.get_by_role("button", name="Wieder öffnen").is_visible()
        closed = case_in(stack, reference, lambda c: c.status == "closed")
        assert closed.outcome == "referred"

        # The JSON API, with the same browser session, tells the same story.
        api = page.request.get(f"{stack.system.base_url}/api/v1/cases/{reference}").json()
        assert (api["status"], api["outcome"]) == ("closed", "referred")
        assert [t["text"] for t in api["thread"] if t["kind"] == "note"] == [note]
        actions = [h["action"] for h in api["history"]]
        assert actions[-4:] == ["accepted", "referred", "note_added", "closed"]
        assert "p-11" in [r["partner_id"] for r in api["referrals"]]

        press(page, "Abmelden")
        assert urlparse(page.url).path == "/staff/sign-in"
        assert notice(page) == "Sie sind abgemeldet."
        page.goto(link)
        assert urlparse(page.url).path == "/staff/sign-in"


def test_a_case_of_another_site_is_not_found(browser: Browser, stack: Stack) -> None:
    case = new_case(stack)
    assert case.site == "braunschweig"
    with opened(browser, locale="de-DE") as page:
        page.goto(f"{stack.system.base_url}/cases/{case.reference}")
        # Switching the language keeps where signing in leads.
        submit(page, lambda: page.get_by_role("link", name="English").click())
        assert parse_qs(urlparse(page.url).query)["next"] == [f"/cases/{case.reference}"]
        assert page.locator("h1").inner_text() == "Sign in to the desk"
        page.fill("#email", staff_email("m-03"))  # Wolfsburg
        page.fill("#password", PASSWORD)
        landed = press(page, "Sign in")
        assert landed.status == 404
        assert urlparse(page.url).path == f"/cases/{case.reference}"
        assert page.locator("h1").inner_text() == "No such case"
        assert page.locator("main").get_by_text(str(case.subject)).count() == 0
        api = page.request.get(f"{stack.system.base_url}/api/v1/cases/{case.reference}")
        assert api.status == 404
        page.goto(f"{stack.system.base_url}/cases?view=all&q={case.reference}")
        assert page.locator(".count").inner_text() == "0 cases"
        # The search's filters stay when the language changes.
        submit(page, lambda: page.get_by_role("link", name="Deutsch").click())
        assert page.locator("#q").input_value() == case.reference
        assert page.locator(".count").inner_text() == "0 Fälle"


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


def test_a_manager_takes_a_case_from_the_triage_queue(browser: Browser, stack: Stack) -> None:
    with everyone_away(stack):
        case = new_case(stack)
    assert (case.status, case.site, case.manager_id) == ("triage", "braunschweig", None)
    mail_to(stack, str(case.reference), "team-bs@example.org")

    with opened(browser, locale="de-DE") as page:
        page.goto(f"{stack.system.base_url}/cases?view=triage")
        assert sign_in(page, staff_email("m-02")).ok
        assert page.locator("h1").inner_text() == "Triage-Warteschlange"
        row = page.locator(".case-row", has=page.get_by_role("link", name=str(case.reference)))
        assert row.locator(".badge").first.inner_text() == "Triage"
        submit(page, lambda: row.get_by_role("link", name=str(case.reference)).click())
        press(page, "Fall übernehmen")
        assert notice(page) == "Der Fall gehört jetzt Ihnen."
        assert status_shown(page) == "angenommen"
        taken = case_in(stack, str(case.reference), lambda c: c.status != "triage")
        assert (taken.status, taken.manager_id) == ("accepted", "m-02")
        page.goto(f"{stack.system.base_url}/cases?view=triage")
        assert page.get_by_role("link", name=str(case.reference)).count() == 0


def test_two_people_change_one_case_at_once(browser: Browser, stack: Stack) -> None:
    """The manager and an administrator both have the case open; the manager accepts it
    first, so the administrator's accept (on the version they saw) changes nothing."""
    case = new_case(stack)
    reference, url = str(case.reference), f"{stack.system.base_url}/cases/{case.reference}"
    with opened(browser, locale="de-DE") as manager, opened(browser, locale="de-DE") as admin:
        for page, email in ((manager, staff_email(str(case.manager_id))), (admin, ADMIN)):
            page.goto(url)
            assert sign_in(page, email).ok
            assert status_shown(page) == "zugewiesen"

        assert press(manager, "Fall annehmen").ok
        assert notice(manager) == "Sie haben den Fall angenommen."

        refused = press(admin, "Fall annehmen")
        assert refused.status == 409
        alert = admin.get_by_role("alert").inner_text()
        assert f"Jemand anderes hat {reference} geändert" in alert, alert
        assert admin.evaluate("document.activeElement.id") == "problem"  # read out first
        # The page shows the case as it is now, so that nothing is accepted twice.
        assert status_shown(admin) == "angenommen"
        assert admin.get_by_role("button", name="Fall annehmen").count() == 0

    accepted = case_in(stack, reference, lambda c: c.status == "accepted")
    assert accepted.version == case.version + 1
    assert history_of(stack, case.id).count("accepted") == 1


def tab_to(page: Page, selector: str, *, most: int = 40) -> list[str]:
    """Presses Tab until the element `selector` has the focus; returns each element passed
    on the way (and that one) whose focus did not show."""
    unseen: list[str] = []
    for _ in range(most):
        page.keyboard.press("Tab")
        if focus_ring(page) is None:
            unseen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return unseen
    raise AssertionError(f"{most} presses of Tab never reached {selector}")


def test_a_case_worked_by_keyboard_alone(browser: Browser, stack: Stack) -> None:
    case = new_case(stack)
    reference = str(case.reference)
    with opened(browser, locale="de-DE") as page:
        page.goto(f"{stack.system.base_url}/cases/{reference}")
        unseen = tab_to(page, "#email")
        page.keyboard.type(staff_email(str(case.manager_id)))
        unseen += tab_to(page, "#password")
        page.keyboard.type(PASSWORD)
        unseen += tab_to(page, "form[action='/staff/sign-in'] button")
        assert submit(page, lambda: page.keyboard.press("Enter")).ok
        assert urlparse(page.url).path == f"/cases/{reference}"

        unseen += tab_to(page, f"form[action='/cases/{reference}/accept'] button")
        submit(page, lambda: page.keyboard.press("Space"))
        assert notice(page) == "Sie haben den Fall angenommen."

        unseen += tab_to(page, "#outcome")
        page.keyboard.press("ArrowDown")  # the second outcome: referred to a partner
        assert page.locator("#outcome").input_value() == "referred"
        unseen += tab_to(page, f"form[action='/cases/{reference}/close'] button")
        submit(page, lambda: page.keyboard.press("Enter"))
        assert notice(page) == "Der Fall ist abgeschlossen."
        assert unseen == [], f"focus not visible on {unseen}"

    closed = case_in(stack, reference, lambda c: c.status == "closed")
    assert closed.outcome == "referred"


@dataclass(frozen=True)
class Shown:
    name: str
    path: str
    status: int = 200
    signed_in: bool = True


def staff_pages(stack: Stack, reference: str, password_link: str) -> list[Shown]:
    search = urlencode(
        {
            "view": "all",
            "q": "degree",
            "status": "assigned",
            "language": "en",
            "topic": "recognition",
            "channel": "api",
            "requester_type": "worker",
            "needs_interpreter": "no",
        }
    )
    return [
        Shown("sign-in", "/staff/sign-in", signed_in=False),
        Shown("set-password", urlparse(password_link).path, signed_in=False),
        Shown("my-cases", "/cases?view=mine"),
        Shown("triage", "/cases?view=triage"),
        Shown("search", f"/cases?{search}"),
        Shown("case", f"/cases/{reference}"),
        Shown("two-factor-setup", "/staff/two-factor/setup"),
        Shown("not-found", "/cases/WC-1999-999999", status=404),
    ]


def password_link(stack: Stack, email: str) -> str:
    """A new administrator's one-time link, as `welcomedesk staff add` prints it."""
    done = stack.system.cli("staff", "add", email, "--role", "admin")
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip().splitlines()[-1]
    assert link.startswith(f"{stack.system.base_url}/staff/password/"), done.stdout
    return link


def test_a_new_account_sets_its_password_and_signs_in(browser: Browser, stack: Stack) -> None:
    email = f"new.{uuid.uuid4().hex[:6]}@staff.example.org"
    link = password_link(stack, email)
    with opened(browser, locale="de-DE") as page:
        page.goto(link)
        assert page.locator("main").get_by_text(email).is_visible()
        page.fill("#password", "a brand new password")
        page.fill("#password_again", "a brand new passwort")
        assert press(page, "Passwort speichern").status == 400
        assert "stimmen nicht überein" in page.get_by_role("alert").inner_text()
        page.fill("#password", "a brand new password")
        page.fill("#password_again", "a brand new password")
        press(page, "Passwort speichern")
        assert notice(page) == "Ihr Passwort ist gesetzt: Melden Sie sich damit an."
        page.fill("#email", email)
        page.fill("#password", "a brand new password")
        assert press(page, "Anmelden").ok
        assert page.locator("h1").inner_text() == "Alle Fälle"
        again = page.goto(link)  # a one-time link
        assert again is not None and again.status == 404


def test_every_staff_page_in_both_languages_on_a_phone_and_a_desktop(
    browser: Browser, stack: Stack
) -> None:
    """Screenshots for people to look at; no sideways scrolling on a phone; and no serious
    or critical finding of axe-core's WCAG 2.1 A/AA rules and best practices."""
    with everyone_away(stack):
        new_case(stack, subject="Anerkennung meines Abschlusses")  # one waits in triage
    case = new_case(stack, consent_referral=True)
    assert case.status == "assigned"
    with Session(stack.db) as session, session.begin():
        made = accounts.add_staff(session, email="later@staff.example.org", role="admin")
    link = f"{stack.system.base_url}/staff/password/{made.link}"
    with opened(browser, locale="de-DE") as page:
        page.goto(f"{stack.system.base_url}/cases/{case.reference}")
        assert sign_in(page, staff_email(str(case.manager_id))).ok
        page.fill("#note", "Asked for the degree certificate and its translation.")
        press(page, "Notiz hinzufügen")
        signed_in = page.context.storage_state()

    findings: list[str] = []
    everything: list[str] = []  # the lesser findings too, kept beside the screenshots
    too_wide: list[str] = []
    for lang in ("de", "en"):
        for width, screen in ((390, PHONE), (1280, DESKTOP)):
            for shown in staff_pages(stack, str(case.reference), link):
                name = f"desk-{shown.name}-{lang}-{width}"
                context = browser.new_context(
                    viewport=screen,
                    is_mobile=width < 600,
                    has_touch=width < 600,
                    device_scale_factor=2 if width < 600 else 1,
                    bypass_csp=True,  # axe-core is injected; the pages allow no foreign script
                    storage_state=signed_in if shown.signed_in else None,
                )
                try:
                    context.add_cookies(
                        [{"name": "wd_desk_lang", "value": lang, "url": stack.system.base_url}]
                    )
                    page = context.new_page()
                    response = page.goto(f"{stack.system.base_url}{shown.path}")
                    assert response is not None and response.status == shown.status, name
                    assert page.locator("html").get_attribute("lang") == lang, name
                    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
                    if not fits_the_width(page):
                        too_wide.append(name)
                    found = axe_violations(page)
                    everything += [f"{name}: {v}" for v in found]
                    findings += [f"{name}: {v}" for v in found if v.impact in SERIOUS]
                finally:
                    context.close()
    (SCREENSHOTS / "desk-axe.txt").write_text("".join(f"{f}\n" for f in everything))
    assert too_wide == [], f"wider than the screen: {too_wide}"
    assert findings == [], "\n".join(findings)
