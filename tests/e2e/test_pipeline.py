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

    # Generous: the first mail waits for the workers to start, on a machine that may be busy.
    return wait_until(found, timeout=90, what=f"{count} mail(s) to {address}")


def _sent(system: System, name: str, **fields: object) -> tuple[str, str]:
    """Posts an enquiry from Braunschweig by a new address; returns the address and reference."""
    enquirer = f"{name.split()[0].lower()}.{uuid.uuid4().hex[:8]}@example.net"
    body = {"name": name, "email": enquirer, "postal_code": "38106", "consent_processing": True}
    response = system.post(body | fields)
    assert response.status_code == 202, response.text
    return enquirer, response.json()["reference"]


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


def _kinds(db: Engine, reference: str) -> list[str]:
    with Session(db) as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert row is not None
        found = select(DeliveryRow.kind).where(DeliveryRow.enquiry_id == row.id)
        return sorted(session.scalars(found))


def _plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content()).replace("\r\n", "\n")


def test_an_auto_referral_goes_to_the_partner_alone_and_the_confirmation_says_so(
    system: System, smtp: SmtpSink, db: Engine
) -> None:
    enquirer, reference = _sent(system, "Samir Khalil", message=ARABIC, consent_referral=True)

    # The recognition partner refers at once (auto_refer) and speaks German first.
    (partner_mail,) = [
        m
        for m in _mails_to(smtp, "anerkennung@example.org", count=1)
        if reference in str(m["Subject"])
    ]
    assert "Cc" not in partner_mail and enquirer not in str(partner_mail["To"])
    assert partner_mail["Content-Language"] == "de"
    partner_text = _plain(partner_mail)
    assert partner_text.startswith("Guten Tag IQ Anerkennungsberatung Südostniedersachsen,")
    assert "Sprache: Arabisch (ar)" in partner_text
    assert "Wir haben der anfragenden Person mitgeteilt" in partner_text

    confirmation = _plain(_mails_to(smtp, enquirer)[0])
    assert "أُحيل استفسارك إلى منظمة شريكة" in confirmation
    assert "IQ Anerkennungsberatung Südostniedersachsen" in confirmation
    assert "anerkennung@example.org" in confirmation
    wait_until(
        lambda: _kinds(db, reference) == ["confirmation", "manager", "referral"],
        timeout=30,
        what="the three mails of an auto-referred enquiry",
    )


def test_a_managers_referral_tells_the_enquirer_in_their_language(
    system: System, smtp: SmtpSink, db: Engine
) -> None:
    enquirer, reference = _sent(
        system,
        "Huda Saleh",
        subject="دورة لغة",
        message="مرحبا، أبحث عن دورة لغة ألمانية ومكان في روضة لابني في براونشفايغ.",
        consent_referral=True,
    )
    _mails_to(smtp, enquirer)  # routed and confirmed
    token = system.cli("token", "create", "m-02")
    assert token.returncode == 0, token.stderr
    referred = httpx.post(
        f"{system.base_url}/api/v1/cases/{reference}/referrals",
        json={"partner_id": "p-09"},
        headers={"Authorization": f"Bearer {token.stdout.strip()}"},
        timeout=10,
    )
    assert referred.status_code == 201, referred.text

    def to_partner() -> EmailMessage | None:
        return next(
            (
                m
                for m in smtp.messages
                if "mbe@example.org" in str(m["To"]) and reference in str(m["Subject"])
            ),
            None,
        )

    partner_mail = wait_until(to_partner, timeout=30, what="the partner's referral")
    assert "Cc" not in partner_mail
    assert partner_mail["Content-Language"] == "de"
    notice = _mails_to(smtp, enquirer, count=2)[1]
    assert str(notice["Subject"]) == f"[{reference}] أحلنا استفسارك إلى منظمة شريكة"
    assert notice["Content-Language"] == "ar"
    told = _plain(notice)
    assert "Migrationsberatung für Erwachsene (MBE)" in told and "mbe@example.org" in told
    assert "  - موضوع استفسارك\n" in told  # the subject went to the partner, and it says so
    assert "رقم هاتفك" not in told  # no phone was given, none went
    assert _kinds(db, reference) == [
        "confirmation",
        "manager",
        "referral",
        "referral_notice",
    ]
