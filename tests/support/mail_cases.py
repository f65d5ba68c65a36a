"""A case as the mails show it, with the directory's names, for the tests of the mails."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from email.message import EmailMessage

from services.notifications.compose import CaseView, PartnerView, Sender
from services.notifications.mime import to_bytes
from shared.reasons import Names

REFERENCE = "WC-2026-000456"
PARTNER = PartnerView(
    id="p-01",
    name="IQ Netzwerk Niedersachsen",
    email="iq@example.com",
    languages=("de", "en", "ar"),
    topics=("recognition", "employer_hiring"),
)
SENDER = Sender(address="welcome@example.org", name="Welcome Center Region Braunschweig-Wolfsburg")
CASE = CaseView(
    reference=REFERENCE,
    language="ar",
    enquirer_name="Samira Haddad",
    enquirer_email="samira@example.net",
    enquirer_phone="+49 151 2345678",
    requester_type="employer",
    company="Haddad Logistik GmbH",
    topics=("employer_hiring", "recognition"),
    district="wolfenbuettel",
    site_name="Welcome Center Braunschweig",
    subject="Fachkräfte aus Jordanien",
    message="Wir möchten zwei Berufskraftfahrer aus Jordanien einstellen.\nWie geht das?",
    status_url="https://welcome.example.org/status/tok-xyz",
    case_url="https://desk.example.org/cases/456",
    reasons=(
        "language ar (declared)",
        "cross-site language match: nobody eligible at wolfsburg speaks ar",
        "m-02: speaks ar; generalist; 4/20 open",
        "partner p-01: employer_hiring, region-wide, speaks ar",
    ),
    needs_interpreter=True,
    manager_name="Ana Müller",
    names=Names(
        managers={"m-02": "Karim Haddad"},
        partners={"p-01": "IQ Anerkennungsberatung"},
        sites={"wolfsburg": "Welcome Center Wolfsburg"},
    ),
)


def case(**changes: object) -> CaseView:
    return dataclasses.replace(CASE, **changes)  # type: ignore[arg-type]  # test overrides


def parse(msg: EmailMessage) -> EmailMessage:
    return email.message_from_bytes(to_bytes(msg), policy=email.policy.default)


def part(msg: EmailMessage, subtype: str) -> str:
    """The message's text/plain or text/html body, with plain line ends."""
    body = msg.get_body(preferencelist=(subtype,))
    assert body is not None, f"no text/{subtype} part"
    return str(body.get_content()).replace("\r\n", "\n")
