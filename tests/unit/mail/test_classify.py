"""Each kind of mail, and the reference a follow-up or a bounce carries."""

from __future__ import annotations

import pytest

from services.intake.mail.classify import Ours
from shared.settings import MailSettings
from tests.unit.mail.support import OUR_DOMAIN, read

ENQUIRY = b"Guten Tag, ich suche einen Deutschkurs in Wolfsburg.\n"


def _mail(headers: bytes, body: bytes = ENQUIRY) -> bytes:
    base = b"From: Ana Silva <ana@example.com>\nTo: intake@welcome.example.org\n"
    if b"\nSubject:" not in b"\n" + headers:
        base += b"Subject: Deutschkurs\n"
    return base + headers + b"Message-ID: <m1@example.com>\n\n" + body


def test_a_plain_enquiry_is_new() -> None:
    reading = read(_mail(b""))
    assert (reading.kind, reading.reference) == ("new", None)


# --- follow-ups -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        b"AW: [WC-2026-000123] Ihre Anfrage",
        b"Re: [WC-2026-000123] Your enquiry",
        b"RE: RE: [WC-2026-000123]",
        b"Fwd: [WC-2026-000123] Ihre Anfrage",
        b"WG: [WC-2026-000123] Ihre Anfrage",
        b"TR: [WC-2026-000123] Votre demande",
        b"Antw: Frage zu WC-2026-000123",
        b"=?utf-8?q?AW=3A_=5BWC-2026-000123=5D_Anerkennung_meines_Abschlusses?=",
    ],
)
def test_our_reference_in_the_subject_makes_a_follow_up(subject: bytes) -> None:
    reading = read(_mail(b"Subject: " + subject + b"\n"))
    assert (reading.kind, reading.reference) == ("follow_up", "WC-2026-000123")


@pytest.mark.parametrize(
    "headers",
    [
        b"In-Reply-To: <WC-2026-000123.confirmation.k3J9x@welcome.example.org>\n",
        b"In-Reply-To: <WC-2026-000123.confirmation.k3J9x@WELCOME.EXAMPLE.ORG>\n",
        b"References: <WC-2026-000123.confirmation.a@welcome.example.org> <x@gmail.example>\n",
    ],
)
def test_our_message_id_in_the_thread_makes_a_follow_up(headers: bytes) -> None:
    reading = read(_mail(b"Subject: Re: Ihre Anfrage\n" + headers))
    assert (reading.kind, reading.reference) == ("follow_up", "WC-2026-000123")


def test_a_reply_to_a_foreign_mail_is_new() -> None:
    for foreign in (
        b"<CAF=abc@mail.gmail.example>",
        b"<WC-2026-000123.confirmation.x@evil.example>",
    ):
        reading = read(_mail(b"Subject: Re: Anerkennung\nIn-Reply-To: " + foreign + b"\n"))
        assert (reading.kind, reading.reference) == ("new", None)
        assert "replies to a mail that is not ours" in reading.classification.reasons


def test_our_reference_quoted_in_the_text_is_not_a_follow_up() -> None:
    body = ENQUIRY + b"\n> Ihre Anfrage WC-2026-000123 ist eingegangen.\n"
    assert read(_mail(b"Subject: Re: Kurs\n", body)).kind == "new"


def test_an_empty_reply_to_our_mail_is_still_a_follow_up() -> None:
    reading = read(_mail(b"Subject: AW: [WC-2026-000777]\n", b"> quoted only\n"))
    assert (reading.kind, reading.reference) == ("follow_up", "WC-2026-000777")


# --- auto-replies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        b"Auto-Submitted: auto-replied\n",
        b"Auto-Submitted: auto-generated\n",
        b"X-Autoreply: yes\n",
        b"X-Autorespond: Out of office\n",
        b"Precedence: auto_reply\n",
        b"X-Auto-Response-Suppress: All\n",
    ],
)
def test_auto_reply_headers(headers: bytes) -> None:
    assert read(_mail(headers)).kind == "auto_reply"


def test_auto_submitted_no_is_a_person() -> None:
    assert read(_mail(b"Auto-Submitted: no\n")).kind == "new"


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Deutschkurs",
        "Automatic reply: [WC-2026-000123] Your enquiry",
        "Abwesenheitsnotiz: Ihre Anfrage",
        "Automatische Antwort: [WC-2026-000123] Ihre Anfrage",
        "Réponse automatique : votre demande",
        "Respuesta automática: su consulta",
        "Risposta automatica: richiesta",
        "Resposta automática: pedido",
        "Автоответ: Ваш запрос",
        "Автовідповідь: Ваш запит",
        "Otomatik yanıt: Talebiniz",
        "Odpowiedź automatyczna: zapytanie",
        "Răspuns automat: cererea",
        "Автоматичен отговор: запитване",
        "رد تلقائي: استفسارك",
        "自动回复: 您的咨询",
    ],
)
def test_out_of_office_subjects_in_the_regions_languages(subject: str) -> None:
    raw = _mail(b"Subject: " + subject.encode() + b"\nContent-Type: text/plain; charset=utf-8\n")
    reading = read(raw)
    assert reading.kind == "auto_reply"
    if "WC-2026-000123" in subject:
        assert reading.reference == "WC-2026-000123"  # to be recorded, never a follow-up


def test_an_auto_reply_to_our_mail_keeps_the_reference_but_is_no_follow_up() -> None:
    headers = (
        b"Subject: AW: [WC-2026-000123] Ihre Anfrage\nAuto-Submitted: auto-replied\n"
        b"In-Reply-To: <WC-2026-000123.confirmation.k@welcome.example.org>\n"
    )
    reading = read(_mail(headers, b"Ich bin bis 20.01. nicht im Haus.\n"))
    assert (reading.kind, reading.reference) == ("auto_reply", "WC-2026-000123")


def test_mail_from_our_own_address_is_never_new() -> None:
    raw = _mail(b"").replace(b"ana@example.com", f"welcome@{OUR_DOMAIN}".encode())
    reading = read(raw)
    assert reading.kind != "new"
    assert any("our own address" in reason for reason in reading.classification.reasons)


def test_a_read_receipt_is_an_auto_reply() -> None:
    raw = _mail(
        b'Content-Type: multipart/report; report-type=disposition-notification; boundary="r"\n',
        b"--r\nContent-Type: text/plain\n\nYour message was displayed.\n"
        b"--r\nContent-Type: message/disposition-notification\n\n"
        b"Disposition: manual-action/MDN-sent-manually; displayed\n--r--\n",
    )
    assert read(raw).kind == "auto_reply"


# --- bounces --------------------------------------------------------------------------------


def _dsn(action: bytes, status: bytes, subject: bytes) -> bytes:
    return (
        b"""Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: welcome@welcome.example.org
Subject: """
        + subject
        + b"""
Auto-Submitted: auto-replied
Message-ID: <bounce1@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.com.
I'm sorry to have to inform you that your message could not be delivered.

--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com
Arrival-Date: Mon, 12 Jan 2026 10:00:00 +0100

Final-Recipient: rfc822; ana@example.com
Original-Recipient: rfc822;ana@example.com
Action: """
        + action
        + b"""
Status: """
        + status
        + b"""
Diagnostic-Code: smtp; 550 5.1.1 <ana@example.com>: Recipient address rejected

--dsn
Content-Type: text/rfc822-headers

From: Welcome Center <welcome@welcome.example.org>
To: ana@example.com
Subject: [WC-2026-000123] Ihre Anfrage
Message-ID: <WC-2026-000123.confirmation.k3J9x@welcome.example.org>

--dsn--
"""
    )


def test_a_hard_bounce_of_our_mail_names_the_case() -> None:
    reading = read(_dsn(b"failed", b"5.1.1", b"Undelivered Mail Returned to Sender"))
    bounce = reading.classification.bounce
    assert reading.kind == "bounce"
    assert bounce is not None
    assert bounce.original_message_id == "<WC-2026-000123.confirmation.k3J9x@welcome.example.org>"
    assert (bounce.reference, bounce.severity, bounce.status) == ("WC-2026-000123", "hard", "5.1.1")
    assert bounce.recipients == ("ana@example.com",)
    assert reading.reference == "WC-2026-000123"
    assert reading.parsed.attachments == ()  # the report's parts are no attachments


def test_a_delayed_delivery_is_a_soft_bounce() -> None:
    reading = read(_dsn(b"delayed", b"4.4.1", b"Delivery Status Notification (Delay)"))
    bounce = reading.classification.bounce
    assert reading.kind == "bounce"
    assert bounce is not None and (bounce.severity, bounce.status) == ("soft", "4.4.1")


def test_a_plain_text_bounce_in_german_with_the_original_in_the_text() -> None:
    raw = b"""Return-Path: <>
From: postmaster@mail.example.de
To: welcome@welcome.example.org
Subject: Unzustellbar: [WC-2026-000456] Ihre Anfrage
Content-Type: text/plain; charset=utf-8

Ihre Nachricht konnte nicht zugestellt werden.
Remote server returned: 550 5.1.1 User unknown

-- Original headers --
Message-ID: <WC-2026-000456.confirmation.z@welcome.example.org>
Subject: [WC-2026-000456] Ihre Anfrage
"""
    reading = read(raw)
    bounce = reading.classification.bounce
    assert reading.kind == "bounce"
    assert bounce is not None
    assert (bounce.reference, bounce.severity, bounce.status) == ("WC-2026-000456", "hard", "5.1.1")


def test_a_bounce_names_the_case_from_its_subject_when_the_report_lacks_the_original() -> None:
    raw = (
        b"From: postmaster@mail.example.de\nReturn-Path: <>\n"
        b"Subject: Undeliverable: [WC-2026-000789] Ihre Anfrage\n\n"
        b"Delivery has failed to these recipients: ana@example.de\n"
        b"Remote Server returned '554 5.4.4 SMTPSEND.DNS.NonExistentDomain'\n"
    )
    reading = read(raw)
    bounce = reading.classification.bounce
    assert (reading.kind, reading.reference) == ("bounce", "WC-2026-000789")
    assert bounce is not None and (bounce.original_message_id, bounce.severity) == (None, "hard")


def test_a_report_of_successful_delivery_is_no_bounce() -> None:
    raw = _dsn(b"delivered", b"2.0.0", b"Delivery Status Notification (Success)")
    assert read(raw).kind == "auto_reply"


def test_an_empty_return_path_alone_is_no_bounce() -> None:
    # Spam often has Return-Path: <> and nothing else of a delivery notice.
    assert read(_mail(b"Return-Path: <>\n")).kind == "new"


# --- lists and empty mail -------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        b"List-Id: Newsletter <news.example.org>\n",
        b"List-Unsubscribe: <mailto:leave@example.org>\n",
        b"Precedence: bulk\n",
        b"Precedence: list\n",
        b"Precedence: junk\n",
    ],
)
def test_list_and_bulk_mail(headers: bytes) -> None:
    assert read(_mail(headers)).kind == "list"


def test_nothing_written_is_empty_but_an_attachment_alone_is_an_enquiry() -> None:
    empty = read(_mail(b"Subject: Re: Kurs\n", b"\n> old text\n-- \nAna Silva\n"))
    assert empty.kind == "empty"
    only_file = _mail(
        b'Content-Type: multipart/mixed; boundary="b"\n',
        b"--b\nContent-Type: text/plain\n\n\n--b\nContent-Type: application/pdf\n"
        b'Content-Disposition: attachment; filename="cv.pdf"\n\n%PDF\n--b--\n',
    )
    assert read(only_file).kind == "new"


# --- who we are -----------------------------------------------------------------------------


def test_our_addresses_and_domain_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WELCOMEDESK_MAIL_FROM", "Welcome@WC.example.net")
    monkeypatch.setenv("WELCOMEDESK_INTAKE_ADDRESSES", "bs@wc.example.net, wob@wc.example.net")
    ours = Ours.from_settings(MailSettings())
    assert ours.addresses == {"welcome@wc.example.net", "bs@wc.example.net", "wob@wc.example.net"}
    assert ours.domains == {"wc.example.net"}
    assert ours.reference_in("<WC-2026-000042.manager.x@wc.example.net>") == "WC-2026-000042"
    assert ours.reference_in("<WC-2026-000042.manager.x@other.example>") is None
    monkeypatch.setenv("WELCOMEDESK_INTAKE_ADDRESSES", '["bs@wc.example.net"]')
    assert MailSettings().intake_addresses == ["bs@wc.example.net"]
