"""The web form in Debian's chromium on a phone: German and Arabic, a validation error in the
chosen language, the thank-you page with its reference, and the confirmation in that language.

Each step leaves a screenshot in var/screenshots/ for people to look at.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.models import EnquiryRow
from tests.support.browser import SCREENSHOTS
from tests.support.stack import Stack, build_stack
from tests.support.system import wait_until

REFERENCE = re.compile(r"^WC-\d{4}-\d{6}$")


def _phone(browser: Browser, locale: str) -> BrowserContext:
    """An iPhone-sized touch screen: 390 x 844 CSS pixels."""
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )


@pytest.fixture(scope="module")
def stack(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, postgres_admin: str
) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("form-browser"), postgres_admin) as built:
        yield built


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"form-{name}.png"), full_page=True)


def _fits_the_phone(page: Page) -> None:
    """One column: nothing wider than the screen, so no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _send(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).tap()


def _mail_to(stack: Stack, address: str) -> EmailMessage:
    def found() -> EmailMessage | None:
        return next((m for m in list(stack.smtp.messages) if address in str(m["To"])), None)

    return wait_until(found, timeout=30, what=f"a confirmation to {address}")


def _fill_and_send(page: Page, *, lang: str, name: str, email: str, postal_code: str) -> None:
    """Fills everything but the message, ticks consent, sends: the message is then missing."""
    page.locator("#f-requester_type").tap()
    page.fill("#f-name", name)
    page.fill("#f-email", email)
    page.fill("#f-postal_code", postal_code)
    page.locator("#f-consent_processing").tap()
    assert page.locator("#f-preferred_language").input_value() == lang
    _shot(page, f"{lang}-2-filled")
    _send(page, {"de": "Anfrage senden", "ar": "إرسال الاستفسار"}[lang])


def _check_error_beside_message(page: Page, expected: str) -> None:
    error = page.locator("#error-message")
    assert error.inner_text().strip().endswith(expected)
    message = page.locator("#f-message")
    assert "error-message" in (message.get_attribute("aria-describedby") or "")
    assert message.get_attribute("aria-invalid") == "true"
    # The error is inside the field's box, just above the field.
    assert page.locator(".field:has(#f-message) #error-message").is_visible()
    assert page.evaluate(
        "document.getElementById('error-message').compareDocumentPosition("
        "document.getElementById('f-message')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert page.locator(".summary a[href='#f-message']").is_visible()


def _check_thanks(page: Page, stack: Stack, email: str, lang: str, direction: str) -> str:
    assert re.search(r"/thanks/[\w-]+\?lang=" + lang + "$", page.url), page.url
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == direction
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    _fits_the_phone(page)
    with Session(stack.db) as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert row is not None
        assert (row.email, row.channel, row.consent_processing) == (email, "web", True)
        assert row.preferred_language == lang
    mail = _mail_to(stack, email)
    assert reference in str(mail["Subject"])
    assert mail["Content-Language"] == lang
    return reference


def test_german_form_on_a_phone(browser: Browser, stack: Stack) -> None:
    email = f"jana.{uuid.uuid4().hex[:8]}@example.net"
    context = _phone(browser, "de-DE")
    try:
        page = context.new_page()
        page.goto(f"{stack.system.base_url}/")
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert page.locator("meta[name=viewport]").count() == 1
        assert page.get_by_label("Ihre Nachricht").get_attribute("id") == "f-message"
        _fits_the_phone(page)
        _shot(page, "de-1-form")

        _fill_and_send(page, lang="de", name="Jana Nowak", email=email, postal_code="38440")
        _check_error_beside_message(page, "Ihre Nachricht: Bitte füllen Sie dieses Feld aus.")
        assert page.locator("#f-name").input_value() == "Jana Nowak"
        assert page.locator("#f-consent_processing").is_checked()
        _fits_the_phone(page)
        _shot(page, "de-3-error")

        page.fill(
            "#f-message",
            "Guten Tag, ich bin Pflegefachfrau aus Polen und wohne seit kurzem in Wolfsburg. "
            "Wie kann ich meine Ausbildung in Deutschland anerkennen lassen?",
        )
        _send(page, "Anfrage senden")
        assert page.locator("h1").inner_text() == "Vielen Dank, wir haben Ihre Anfrage erhalten"
        _shot(page, "de-4-thanks")
        _check_thanks(page, stack, email, "de", "ltr")
    finally:
        context.close()


def test_arabic_form_on_a_phone(browser: Browser, stack: Stack) -> None:
    email = f"amal.{uuid.uuid4().hex[:8]}@example.net"
    context = _phone(browser, "en-GB")
    try:
        page = context.new_page()
        page.goto(f"{stack.system.base_url}/")
        assert page.locator("html").get_attribute("lang") == "en"
        with page.expect_navigation():
            page.get_by_role("link", name="العربية").tap()
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert any(c["name"] == "wd_lang" and c["value"] == "ar" for c in context.cookies())
        _fits_the_phone(page)
        _shot(page, "ar-1-form")

        _fill_and_send(page, lang="ar", name="أمل حداد", email=email, postal_code="38106")
        assert page.locator("html").get_attribute("dir") == "rtl"
        _check_error_beside_message(page, "رسالتك: يُرجى ملء هذا الحقل.")
        assert page.locator("#f-name").input_value() == "أمل حداد"
        _fits_the_phone(page)
        _shot(page, "ar-3-error")

        page.fill(
            "#f-message",
            "السلام عليكم، أنا ممرضة من سوريا وأعيش في براونشفايغ. "
            "كيف يمكنني معادلة شهادتي والعمل في ألمانيا؟",
        )
        _send(page, "إرسال الاستفسار")
        _shot(page, "ar-4-thanks")
        _check_thanks(page, stack, email, "ar", "rtl")
        html = _mail_to(stack, email).get_body(("html",))
        assert html is not None and 'dir="rtl"' in html.get_content()
    finally:
        context.close()
