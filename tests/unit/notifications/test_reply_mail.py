"""A manager's reply as a mail: who it is from and to, where answers go, its thread, its
parts and files; nothing a person typed can become a header."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from email.message import EmailMessage

from services.notifications.mime import to_bytes
from services.notifications.reply import ReplyFile, ReplyView, compose_reply
from tests.support.mail_cases import SENDER
from tests.unit.notifications.test_compose import CASE, INJECTION

VIEW = ReplyView(
    author="Ana Müller",
    subject="[WC-2026-000123] Anerkennung meines Diploms",
    text="Guten Tag Frau Ölçer,\n\nbitte schicken Sie uns Ihr Diplom.\n",
    in_reply_to="<their-first@example.net>",
    references=["<their-first@example.net>", "<WC-2026-000123.confirmation.abc@example.org>"],
)


def _sent(view: ReplyView = VIEW, case: object = CASE) -> EmailMessage:
    made = compose_reply(
        case,  # type: ignore[arg-type]
        SENDER,
        reply_to="intake@example.org",
        view=view,
        unique="u1",
    )
    parsed = email.message_from_bytes(to_bytes(made), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_the_reply_is_from_the_manager_via_the_centre_and_answers_come_back() -> None:
    mail = _sent()
    # Python's parser keeps the space between two encoded words (RFC 2047 6.2 drops it).
    shown = " ".join(mail["From"].addresses[0].display_name.split())
    assert shown == f"Ana Müller – {SENDER.name}"
    assert mail["From"].addresses[0].addr_spec == SENDER.address
    assert [a.addr_spec for a in mail["To"].addresses] == ["zoe@example.net"]
    assert mail["Cc"] is None and mail["Bcc"] is None
    assert mail["Reply-To"].addresses[0].addr_spec == "intake@example.org"
    assert str(mail["Subject"]) == "[WC-2026-000123] Anerkennung meines Diploms"
    assert mail["Message-ID"] == "<WC-2026-000123.reply.u1@example.org>"
    assert mail["In-Reply-To"] == "<their-first@example.net>"
    assert mail["References"].split() == VIEW.references
    plain, markup = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and markup is not None
    assert "bitte schicken Sie uns Ihr Diplom." in plain.get_content()
    assert "WC-2026-000123" in plain.get_content()
    assert 'dir="auto"' in markup.get_content()


def test_files_go_along_as_attachments() -> None:
    files = [
        ReplyFile("Checkliste.pdf", "application/pdf", b"%PDF-1.4"),
        ReplyFile("notes.txt", "text/plain", b"<script>x</script>"),
    ]
    mail = _sent(dataclasses.replace(VIEW, files=files))
    assert mail.get_content_type() == "multipart/mixed"
    attached = [(p.get_filename(), p.get_content_type()) for p in mail.iter_attachments()]
    assert attached == [
        ("Checkliste.pdf", "application/pdf"),
        ("notes.txt", "application/octet-stream"),  # never shown inline as text or HTML
    ]
    assert mail.get_body(("plain",)) is not None


def test_nothing_typed_becomes_a_header() -> None:
    view = dataclasses.replace(VIEW, author=INJECTION, subject=INJECTION, text=INJECTION)
    case = dataclasses.replace(CASE, enquirer_name=INJECTION)
    mail = _sent(view, case)
    assert mail["Bcc"] is None
    head = to_bytes(mail).split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head
    assert [a.addr_spec for a in mail["To"].addresses] == ["zoe@example.net"]
    plain = mail.get_body(("plain",))
    assert plain is not None and "Bcc: x@example.org" in plain.get_content()


def test_the_signature_names_the_site_of_the_manager_who_advises() -> None:
    # A Braunschweig enquirer advised from Wolfsburg (a language only a manager there
    # speaks): the confirmation and the status page name Wolfsburg, and so does the reply.
    moved = dataclasses.replace(
        CASE,
        site_name="Welcome Center Braunschweig",
        manager_site_name="Welcome Center Wolfsburg",
    )
    plain = _sent(case=moved).get_body(("plain",))
    assert plain is not None
    signature = plain.get_content().replace("\r\n", "\n").split("\n-- \n", 1)[1]
    assert signature.splitlines()[:2] == ["Ana Müller", "Welcome Center Wolfsburg"]
    at_home = dataclasses.replace(moved, manager_site_name=None)
    plain = _sent(case=at_home).get_body(("plain",))
    assert plain is not None and "Welcome Center Braunschweig" in plain.get_content()
