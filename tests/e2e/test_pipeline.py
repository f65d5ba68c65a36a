"""An enquiry posted to the API is routed as the policy demands and both mails arrive."""

from __future__ import annotations

import re
import uuid
from email.message import EmailMessage

import httpx
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from shared.db.models import DeliveryRow, EnquiryRow
from tests.support.servers import SmtpSink
from tests.support.system import System, wait_until

ARABIC = (
    "السلام عليكم، أنا مهندس مدني من سوريا وأعيش في براونشفايغ منذ سنة. "
    "أريد معادلة شهادتي الجامعية (Anerkennung) حتى أعمل كمهندس. ما هي الخطوات؟"
)


def _mails_to(sink: SmtpSink, address: str, count: int = 1) -> list[EmailMessage]:
    def found() -> list[EmailMessage]:
        mails = [m for m in sink.messages if address in str(m["To"])]
        return mails if len(mails) >= count else []

    return wait_until(found, timeout=30, what=f"{count} mail(s) to {address}")


def test_posted_enquiry_is_routed_and_both_mails_arrive(
    system: System, smtp: SmtpSink, db: Engine
) -> None:
    enquirer = f"amal.{uuid.uuid4().hex[:8]}@example.net"
    response = system.post(
        {
            "name": "Amal Haddad",
            "email": enquirer,
            "postal_code": "38106",
            "subject": "معادلة الشهادة",
            "message": ARABIC,
            "consent_processing": True,
            "consent_referral": False,
        }
    )
    assert response.status_code == 202, response.text
    reference = response.json()["reference"]
    assert reference.startswith("WC-")

    # The policy: Arabic, Braunschweig -> m-02, the site's Arabic speaker.
    confirmation = _mails_to(smtp, enquirer)[0]
    manager_mail = _mails_to(smtp, "karim.haddad@example.org")[0]
    assert reference in str(confirmation["Subject"])
    assert confirmation["Auto-Submitted"] == "auto-replied"
    assert confirmation["Content-Language"] == "ar"
    assert reference in str(confirmation["Message-ID"])
    html = confirmation.get_body(("html",))
    assert html is not None and 'dir="rtl"' in html.get_content()
    # Its status link opens a page for people, in the enquirer's language.
    plain = confirmation.get_body(("plain",))
    assert plain is not None
    link = re.search(r"https?://\S+/status/\S+", plain.get_content())
    assert link is not None and link.group(0).endswith("?lang=ar"), plain.get_content()
    page = httpx.get(link.group(0), timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in page.text and reference in page.text
    assert reference in str(manager_mail["Subject"])
    text = manager_mail.get_body(("plain",))
    assert text is not None and "Amal Haddad" in text.get_content()
    # The reasons name the manager as the directory does, in German and in English.
    assert "  - Karim Haddad: spricht Arabisch;" in text.get_content()
    assert "  - Karim Haddad: speaks Arabic;" in text.get_content()
    assert "m-02" not in text.get_content()

    with Session(db) as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert row is not None
        assert (row.status, row.manager_id, row.language) == ("assigned", "m-02", "ar")
        assert "recognition" in row.topics
        kinds = sorted(
            d.kind
            for d in session.scalars(select(DeliveryRow).where(DeliveryRow.enquiry_id == row.id))
        )
        assert kinds == ["confirmation", "manager"]
