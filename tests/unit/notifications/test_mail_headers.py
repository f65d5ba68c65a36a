"""Header values from user input: cleaned, encoded and folded so that they read back intact."""

from __future__ import annotations

import email
import email.policy
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.notifications.headers import (
    body_text,
    header_text,
    mailbox,
    set_address,
    set_text,
    thread_id,
)
from services.notifications.mime import to_bytes


def parsed(msg: EmailMessage) -> EmailMessage:
    msg.set_content("x")
    return email.message_from_bytes(to_bytes(msg), policy=email.policy.default)


def header_lines(msg: EmailMessage) -> list[bytes]:
    return to_bytes(msg).split(b"\r\n\r\n", 1)[0].split(b"\r\n")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Evil\r\nBcc: x@example.org", "Evil Bcc: x@example.org"),
        ("a\nb\rc", "a b c"),
        ("a\x00b\x1bc\x7fd", "a b c d"),
        ("a\u2028b\u2029c\x85d", "a b c d"),
        ("  tab\tand   spaces  ", "tab and spaces"),
        ("Müller\u200cمحمد", "Müller\u200cمحمد"),  # a zero-width non-joiner stays
        (None, ""),
    ],
)
def test_header_text_is_one_clean_line(raw: str | None, clean: str) -> None:
    assert header_text(raw) == clean


def test_header_text_is_cut_with_an_ellipsis() -> None:
    assert header_text("x" * 10 + " y", limit=8) == "xxxxxxx…"
    assert header_text("short", limit=8) == "short"


def test_body_text_keeps_lines_and_drops_control_characters() -> None:
    assert body_text("eins\r\nzwei\rdrei\x00vier\tfünf  \n\n") == "eins\nzwei\ndrei vier\tfünf"


@pytest.mark.parametrize(
    "address",
    ["a@example.org\r\nBcc: x@example.org", "a b@example.org", "no-domain", "a@", "x@y>, z@w"],
)
def test_mailbox_refuses_what_is_not_one_address(address: str) -> None:
    with pytest.raises(ValueError):
        mailbox("Name", address)


def test_mailbox_cleans_the_display_name() -> None:
    assert mailbox("Evil\r\nBcc: x", "a@example.org").display_name == "Evil Bcc: x"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<abc.1@mail.example.net>", "<abc.1@mail.example.net>"),
        ("  <abc@x>  ", "<abc@x>"),
        ("abc@x", None),
        ("<a b@x>", None),
        ("<a@x>\r\nBcc: y@z", None),
        (None, None),
    ],
)
def test_thread_id_accepts_only_a_plain_msg_id(raw: str | None, expected: str | None) -> None:
    assert thread_id(raw) == expected


def test_ascii_subject_is_left_readable() -> None:
    msg = EmailMessage(policy=email.policy.SMTP)
    set_text(msg, "Subject", "[WC-2026-000001] Neue Anfrage / New enquiry")
    assert b"Subject: [WC-2026-000001] Neue Anfrage / New enquiry" in header_lines(msg)


def test_subject_that_looks_encoded_is_encoded_so_it_reads_back_literally() -> None:
    msg = EmailMessage(policy=email.policy.SMTP)
    set_text(msg, "Subject", "[WC-1] =?utf-8?b?RXZpbA==?=")
    assert str(parsed(msg)["Subject"]) == "[WC-1] =?utf-8?b?RXZpbA==?="


def test_display_name_with_specials_is_quoted() -> None:
    msg = EmailMessage(policy=email.policy.SMTP)
    set_address(msg, "To", Address("Müller, Ana", addr_spec="a@example.org"))
    set_address(msg, "Cc", Address('Dr. "Bo" Smith', addr_spec="b@example.org"))
    message = parsed(msg)
    assert message["To"].addresses[0].display_name == "Müller, Ana"
    assert message["Cc"].addresses[0].display_name == 'Dr. "Bo" Smith'
    assert len(message["To"].addresses) == 1


# Letters of several scripts, digits, punctuation and spaces: what names and subjects hold.
TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\x00"
    ),
    max_size=120,
)


@given(TEXT)
def test_any_subject_reads_back_exactly_and_stays_within_78(raw: str) -> None:
    subject = f"[WC-2026-000123] {header_text(raw)}".rstrip()
    msg = EmailMessage(policy=email.policy.SMTP)
    set_text(msg, "Subject", subject)
    lines = header_lines(msg)
    assert all(line.isascii() and len(line) <= 78 for line in lines)
    assert str(parsed(msg)["Subject"]) == subject


@given(TEXT)
def test_any_display_name_reads_back(raw: str) -> None:
    name = header_text(raw)
    msg = EmailMessage(policy=email.policy.SMTP)
    set_address(msg, "To", Address(name, addr_spec="someone@example.org"))
    lines = header_lines(msg)
    assert all(line.isascii() and len(line) <= 78 for line in lines)
    (to,) = parsed(msg)["To"].addresses
    assert to.addr_spec == "someone@example.org"
    # Python's address parser keeps the space between two encoded words (RFC 2047 6.2
    # says to drop it), so a split inside a long word may read back with an extra space.
    assert " ".join(to.display_name.split()).replace(" ", "") == name.replace(" ", "")
    # An RFC 2047 decoder gets the name exactly.
    raw_to = email.message_from_bytes(to_bytes(msg), policy=email.policy.compat32)["To"]
    decoded, address = parseaddr(str(raw_to))
    assert address == "someone@example.org"
    assert str(make_header(decode_header(decoded))) == name
