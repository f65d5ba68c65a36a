"""The desk in Debian's chromium with the whole system running: a manager answers a
Ukrainian case and an Arabic one from the reply templates (the Arabic reply and thread
right to left), and an administrator changes a manager's capacity and absence in the
desk, after which the next enquiries are routed accordingly.

Each step leaves a screenshot in var/screenshots/ for people to look at.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db.models import EnquiryRow
from shared.vocabulary import OPEN_STATUSES
from tests.support.browser import SCREENSHOTS
from tests.support.desk import PASSWORD, add_staff
from tests.support.stack import Stack, build_stack, enquiry, enquiry_by_reference
from tests.support.system import wait_until

ADMIN = "admin.browser@example.org"
OKSANA = "oksana.browser@example.org"  # m-03, Wolfsburg: de, en, ru, uk, pl
KARIM = "karim.browser@example.org"  # m-02, Braunschweig: de, en, ar, fr
UKRAINIAN = {
    "name": "Олена Коваль",
    "preferred_language": "uk",
    "postal_code": "38440",
    "subject": "Інтеграційний курс",
    "message": "Добрий день! Я живу у Вольфсбурзі і шукаю інтеграційний курс німецької мови. "
    "Як записатися?",
}
ARABIC = {
    "name": "أمل حداد",
    "preferred_language": "ar",
    "postal_code": "38106",
    "subject": "معادلة الشهادة",
    "message": "السلام عليكم، أنا ممرضة من سوريا وأعيش في براونشفايغ. "
    "كيف يمكنني معادلة شهادتي والعمل في ألمانيا؟",
}


@pytest.fixture(scope="module")
def stack(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, postgres_admin: str
) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("desk-admin-browser"), postgres_admin) as built:
        for email, role, manager in (
            (ADMIN, "admin", None),
            (OKSANA, "manager", "m-03"),
            (KARIM, "manager", "m-02"),
        ):
            add_staff(built.system, email, role=role, manager=manager)
        yield built


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        yield made
    finally:
        made.close()


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"desk-admin-{name}.png"), full_page=True)


def _post(stack: Stack, fields: dict[str, str]) -> tuple[str, str]:
    email = f"p.{uuid.uuid4().hex[:8]}@example.net"
    answer = stack.system.post(enquiry(email, **fields))
    assert answer.status_code == 202, answer.text
    return str(answer.json()["reference"]), email


def _routed(stack: Stack, reference: str) -> EnquiryRow:
    def decided() -> EnquiryRow | None:
        row = enquiry_by_reference(stack.db, reference)
        return row if row is not None and row.status != "received" else None

    return wait_until(decided, timeout=40, what=f"{reference} routed")


def _sign_in(page: Page, stack: Stack, email: str, next_path: str) -> None:
    page.goto(f"{stack.system.base_url}/staff/sign-in?next={next_path}&lang=en")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _mail_to(stack: Stack, address: str, reference: str) -> EmailMessage:
    def found() -> EmailMessage | None:
        for message in list(stack.smtp.messages):
            if address in str(message["To"]) and "reply" in str(message["Message-ID"]):
                return message
        return None

    mail = wait_until(found, timeout=40, what=f"the reply to {reference}")
    assert reference in str(mail["Subject"])
    return mail


def _case_of(
    stack: Stack, context: BrowserContext, fields: dict[str, str], manager_id: str, account: str
) -> tuple[Page, str, str]:
    """An enquiry sent and routed to `manager_id`, its case open in the browser signed in
    as `account`: the page, the reference and the enquirer's address."""
    reference, email = _post(stack, fields)
    assert _routed(stack, reference).manager_id == manager_id
    page = context.new_page()
    _sign_in(page, stack, account, f"/cases/{reference}")
    assert page.url.endswith(f"/cases/{reference}")
    return page, reference, email


def _answer_from_template(page: Page, template: str) -> str:
    """Chooses the template, lets the page fill the reply box, sends it; returns the text."""
    page.select_option("#template", template)
    with page.expect_navigation():
        page.get_by_role("button", name="Fill in the reply").click()
    assert f"template={template}" in page.url
    return page.locator("#reply").input_value()


def test_a_manager_answers_a_ukrainian_case_from_a_template(
    stack: Stack, context: BrowserContext
) -> None:
    page, reference, email = _case_of(stack, context, UKRAINIAN, "m-03", OKSANA)
    group = page.locator("#template optgroup").first
    assert group.get_attribute("label") == "Ukrainian (uk)"
    text = _answer_from_template(page, "integration_course")
    assert text.startswith("Добрий день, Олена Коваль!")
    assert f"({reference})" in text and text.rstrip().endswith("Oksana Wiśniewska")
    assert page.locator("#reply").get_attribute("dir") == "auto"
    _shot(page, "1-ukrainian-filled")

    with page.expect_navigation():
        page.get_by_role("button", name="Send reply").click()
    assert "done=replied" in page.url
    sent = page.locator(".message.out .text").last
    assert sent.inner_text().startswith("Добрий день, Олена Коваль!")
    _shot(page, "2-ukrainian-sent")
    mail = _mail_to(stack, email, reference)
    body = mail.get_body(("plain",))
    assert body is not None
    assert "Інтеграційний курс складається" in body.get_content()
    assert "Oksana Wiśniewska" in str(mail["From"])


def test_a_manager_answers_an_arabic_case_right_to_left(
    stack: Stack, context: BrowserContext
) -> None:
    page, reference, email = _case_of(stack, context, ARABIC, "m-02", KARIM)
    enquiry_text = page.locator(".message .text").first
    assert enquiry_text.get_attribute("dir") == "auto"
    assert enquiry_text.evaluate("e => e.matches(':dir(rtl)')")
    text = _answer_from_template(page, "recognition_counselling")
    assert text.startswith("مرحبًا أمل حداد،")
    box = page.locator("#reply")
    assert box.get_attribute("dir") == "auto"
    assert box.evaluate("e => e.matches(':dir(rtl)')")
    assert box.evaluate("e => getComputedStyle(e).direction") == "rtl"
    _shot(page, "3-arabic-filled")

    with page.expect_navigation():
        page.get_by_role("button", name="Send reply").click()
    sent = page.locator(".message.out .text").last
    assert sent.inner_text().startswith("مرحبًا أمل حداد")
    assert sent.evaluate("e => e.matches(':dir(rtl)')")
    _shot(page, "4-arabic-sent")
    mail = _mail_to(stack, email, reference)
    markup = mail.get_body(("html",))
    assert markup is not None and 'dir="auto"' in markup.get_content()
    assert "الاستشارة حول الاعتراف مجانية" in markup.get_content()


def _open_cases(stack: Stack, manager_id: str) -> int:
    with Session(stack.db) as session:
        count = session.scalar(
            select(func.count())
            .select_from(EnquiryRow)
            .where(EnquiryRow.manager_id == manager_id, EnquiryRow.status.in_(OPEN_STATUSES))
        )
    return int(count or 0)


def _edit_manager(page: Page, stack: Stack, manager_id: str) -> None:
    page.goto(f"{stack.system.base_url}/admin/directory")
    with page.expect_navigation():
        page.locator(f"#manager-{manager_id} a").first.click()
    assert page.locator("h1").inner_text().endswith(manager_id)


def _save(page: Page, manager_id: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert f"/admin/directory?saved={manager_id}" in page.url, page.url


def _exported(stack: Stack, manager_id: str) -> dict[str, Any]:
    done = stack.system.cli("directory", "export")
    assert done.returncode == 0, done.stderr
    managers: list[dict[str, Any]] = yaml.safe_load(done.stdout)["managers"]
    return next(m for m in managers if m["id"] == manager_id)


def test_an_administrator_changes_capacity_and_absence_and_routing_follows(
    stack: Stack, context: BrowserContext
) -> None:
    page = context.new_page()
    _sign_in(page, stack, ADMIN, "/admin/directory")
    assert page.url.endswith("/admin/directory")

    # Oksana is the only one who speaks Ukrainian: full, she gets no more.
    full = _open_cases(stack, "m-03")
    _edit_manager(page, stack, "m-03")
    page.fill("#f-capacity", str(full))
    _shot(page, "5-capacity")
    _save(page, "m-03")
    assert f"{full} / {full}" in page.locator("#manager-m-03 .load").inner_text()
    reference, _ = _post(stack, UKRAINIAN)
    routed = _routed(stack, reference)
    assert routed.manager_id not in (None, "m-03") and routed.needs_interpreter
    assert {"manager": "m-03", "why": f"at capacity ({full}/{full})"} in routed.excluded
    assert _exported(stack, "m-03")["capacity"] == full

    # Karim is the only one who speaks Arabic: away from yesterday for a week.
    today = dt.datetime.now(dt.UTC).date()
    start, end = today - dt.timedelta(days=1), today + dt.timedelta(days=7)
    _edit_manager(page, stack, "m-02")
    page.fill("#f-absences-0-from", start.isoformat())
    page.fill("#f-absences-0-to", end.isoformat())
    _shot(page, "6-absence")
    _save(page, "m-02")
    _shot(page, "7-directory")
    reference, _ = _post(stack, ARABIC)
    routed = _routed(stack, reference)
    assert routed.manager_id not in (None, "m-02") and routed.needs_interpreter
    assert {"manager": "m-02", "why": f"absent until {end.isoformat()}"} in routed.excluded
    assert _exported(stack, "m-02")["absences"] == [
        {"from": start.isoformat(), "to": end.isoformat()}
    ]
