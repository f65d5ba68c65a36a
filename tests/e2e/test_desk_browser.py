"""The managers' desk in Debian's chromium against the whole system: a manager follows the
link in the case mail, signs in and works the case to its close; another site's manager
does not see it; a case taken from the triage queue; two people changing one case at once;
a case worked with the keyboard alone; a new account's password and second factor; and
every staff page in German and English, on a phone and a desktop, screenshot and checked
by axe-core.

Screenshots land in var/screenshots/desk-*.png (axe-core's lesser findings beside them, in
desk-axe.txt) for people to look at.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pyotp
import pytest
from playwright.sync_api import Browser
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk import accounts
from shared.db.models import ReferralRow, StaffRow
from shared.directory import load_directory
from tests.support.browser import (
    SCREENSHOTS,
    SERIOUS,
    axe_violations,
    chromium,
    fits_the_width,
)
from tests.support.desk import PASSWORD
from tests.support.desk_browser import (
    DESKTOP,
    PHONE,
    case_in,
    everyone_away,
    history_of,
    mail_to,
    new_case,
    notice,
    opened,
    press,
    serious_findings,
    sign_in,
    status_shown,
    submit,
    tab_to,
)
from tests.support.stack import DEMO_DIRECTORY, Stack, build_stack

# One account per demo manager (m-01, m-02 at Braunschweig; m-03, m-04 at Wolfsburg).
MANAGERS = {"m-01", "m-02", "m-03", "m-04"}
ADMIN = "admin@staff.example.org"
CASE_LINK = re.compile(r"Open the case: (\S+)")


def staff_email(manager_id: str) -> str:
    return f"{manager_id}@staff.example.org"


def manager_address(manager_id: str) -> str:
    return next(str(m.email) for m in load_directory(DEMO_DIRECTORY).managers if m.id == manager_id)


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
        # In the partner's language (the IHK lists German first), with the reference.
        assert f"[{reference}] Vermittlung einer Anfrage" in str(referral["Subject"])

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
        assert serious_findings(page) == []
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
        assert serious_findings(page) == []
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
        assert serious_findings(admin) == []

    accepted = case_in(stack, reference, lambda c: c.status == "accepted")
    assert accepted.version == case.version + 1
    assert history_of(stack, case.id).count("accepted") == 1


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
        assert serious_findings(page) == []
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


def two_factor_account(stack: Stack, email: str) -> str:
    """An administrator whose second factor is on; returns its secret."""
    with Session(stack.db) as session, session.begin():
        made = accounts.add_staff(session, email=email, role="admin", password=PASSWORD)
        made.staff.totp_secret = pyotp.random_base32()
        made.staff.totp_enabled = True
        return made.staff.totp_secret


def test_the_second_factor_is_set_up_and_then_asked_for(browser: Browser, stack: Stack) -> None:
    email = f"careful.{uuid.uuid4().hex[:6]}@staff.example.org"
    with Session(stack.db) as session, session.begin():
        accounts.add_staff(session, email=email, role="admin", password=PASSWORD)
    with opened(browser, locale="de-DE") as page:
        page.goto(f"{stack.system.base_url}/staff/two-factor/setup")
        assert sign_in(page, email).ok
        assert page.get_by_role("img", name="QR-Code für die Authenticator-App").is_visible()
        totp = pyotp.TOTP(page.locator(".secret").inner_text().strip())
        page.fill("#code", totp.now())
        press(page, "Einschalten")
        assert notice(page).startswith("Der zweite Faktor ist eingeschaltet")
        with Session(stack.db) as session:
            assert session.scalar(select(StaffRow.totp_enabled).where(StaffRow.email == email))

        press(page, "Abmelden")
        sign_in(page, email)
        assert urlparse(page.url).path == "/staff/two-factor"
        later = totp.at(time.time() + totp.interval)  # the code just used counts only once
        wrong = next(c for c in ("000000", "111111", "222222") if c not in (totp.now(), later))
        page.fill("#code", wrong)
        assert press(page, "Weiter").status == 401
        assert "nicht richtig" in page.get_by_role("alert").inner_text()
        assert serious_findings(page) == []
        page.fill("#code", later)
        assert press(page, "Weiter").ok
        assert page.locator("h1").inner_text() == "Alle Fälle"


@dataclass(frozen=True)
class Shown:
    name: str
    path: str
    visitor: str = "manager"  # or "nobody" (not signed in), "half" (the code still to give)
    status: int = 200
    shows: str = ""  # a text the page must show (the case the list must find)


def staff_pages(reference: str, triage: str, password_link: str) -> list[Shown]:
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
        Shown("sign-in", "/staff/sign-in", "nobody"),
        Shown("set-password", urlparse(password_link).path, "nobody"),
        Shown("two-factor", "/staff/two-factor?next=/cases", "half"),
        Shown("my-cases", "/cases?view=mine", shows=reference),
        Shown("triage", "/cases?view=triage", shows=triage),
        Shown("search", f"/cases?{search}", shows=reference),
        Shown("case", f"/cases/{reference}", shows=reference),
        Shown("two-factor-setup", "/staff/two-factor/setup"),
        Shown("not-found", "/cases/WC-1999-999999", status=404),
    ]


def signed_in_as(browser: Browser, stack: Stack, email: str, path: str) -> Any:
    """The cookies of a browser that signed in on the way to `path`."""
    with opened(browser, locale="de-DE") as page:
        page.goto(f"{stack.system.base_url}{path}")
        assert sign_in(page, email).ok
        return page.context.storage_state()


def test_every_staff_page_in_both_languages_on_a_phone_and_a_desktop(
    browser: Browser, stack: Stack
) -> None:
    """Screenshots for people to look at; no sideways scrolling on a phone; and no serious
    or critical finding of axe-core (WCAG 2.2 A/AA and AAA rules, best practices)."""
    with everyone_away(stack):
        waiting = new_case(stack, subject="Anerkennung meines Abschlusses")
    assert waiting.status == "triage"
    # A long unbroken address in the text must wrap, not widen the phone's page.
    long_link = "https://www.example.org/recognition/" + "documents-" * 12 + "list.pdf"
    case = new_case(
        stack,
        consent_referral=True,
        message="Hello, I am an engineer and live in Braunschweig. How can I get my university "
        f"degree recognised in Germany? I found {long_link} but do not understand it.",
    )
    assert case.status == "assigned"
    with Session(stack.db) as session, session.begin():
        made = accounts.add_staff(session, email="later@staff.example.org", role="admin")
    link = f"{stack.system.base_url}/staff/password/{made.link}"
    two_factor_account(stack, "half@staff.example.org")
    manager = staff_email(str(case.manager_id))
    with opened(browser, locale="de-DE") as page:
        page.goto(f"{stack.system.base_url}/cases/{case.reference}")
        assert sign_in(page, manager).ok
        page.fill("#note", "Asked for the degree certificate and its translation.")
        press(page, "Notiz hinzufügen")
    states = {
        "nobody": None,
        "manager": signed_in_as(browser, stack, manager, "/cases"),
        "half": signed_in_as(browser, stack, "half@staff.example.org", "/cases"),
    }

    findings: list[str] = []
    everything: list[str] = []  # the lesser findings too, kept beside the screenshots
    too_wide: list[str] = []
    squeezed: list[str] = []  # a value beside its label in a column too narrow to read
    for lang in ("de", "en"):
        for width, screen in ((390, PHONE), (1280, DESKTOP)):
            for visitor, state in states.items():
                context = browser.new_context(
                    viewport=screen,
                    is_mobile=width < 600,
                    has_touch=width < 600,
                    bypass_csp=True,  # axe-core is injected; the pages allow no foreign script
                    storage_state=state,
                )
                context.add_cookies(
                    [{"name": "wd_desk_lang", "value": lang, "url": stack.system.base_url}]
                )
                page = context.new_page()
                try:
                    for shown in staff_pages(str(case.reference), str(waiting.reference), link):
                        if shown.visitor != visitor:
                            continue
                        name = f"desk-{shown.name}-{lang}-{width}"
                        response = page.goto(f"{stack.system.base_url}{shown.path}")
                        assert response is not None and response.status == shown.status, name
                        assert urlparse(page.url).path == urlparse(shown.path).path, name
                        assert page.locator("html").get_attribute("lang") == lang, name
                        assert shown.shows in page.locator("main").inner_text(), name
                        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
                        if not fits_the_width(page):
                            too_wide.append(name)
                        if width < 600 and page.eval_on_selector_all(
                            ".facts dd", "all => all.some(d => d.clientWidth < 240)"
                        ):
                            squeezed.append(name)
                        if width > 600:
                            # The same HTML and colours as on the phone, only laid out wider:
                            # axe-core would find the same again, so it runs once a page.
                            continue
                        found = axe_violations(page)
                        everything += [f"{name}: {v}" for v in found]
                        findings += [f"{name}: {v}" for v in found if v.impact in SERIOUS]
                finally:
                    context.close()
    (SCREENSHOTS / "desk-axe.txt").write_text("".join(f"{f}\n" for f in everything))
    assert too_wide == [], f"wider than the screen: {too_wide}"
    assert squeezed == [], f"values squeezed beside their labels: {squeezed}"
    assert findings == [], "\n".join(findings)
