"""Our own flattening of a mail gives the very bytes the email package's generator gives."""

from __future__ import annotations

import email
import email.policy

import pytest

from services.notifications.compose import CaseView
from services.notifications.mime import set_plain, text_part, to_bytes
from tests.unit.notifications.test_compose import EVERY_KIND, KINDS, case

CASES: dict[str, CaseView] = {
    "german": case(),
    "arabic, long": case(language="ar", enquirer_name="فاطمة", message="مرحبا، " * 400),
    "ascii": case(language="en", enquirer_name="Bob", message="Short and plain."),
    "long lines": case(message="Grüße " + "x" * 500 + "\n\n" + "y" * 90),
    "thread": case(in_reply_to="<" + "a" * 120 + "@mail.example.net>"),
}


@EVERY_KIND
@pytest.mark.parametrize("name", list(CASES))
def test_to_bytes_equals_the_generator(kind: str, name: str) -> None:
    msg = KINDS[kind](CASES[name])
    set_plain(msg, "Date", "Fri, 04 Dec 2026 15:43:54 +0000")
    assert to_bytes(msg) == msg.as_bytes()


@EVERY_KIND
def test_sent_bytes_parse_back_to_both_parts(kind: str) -> None:
    sent = to_bytes(KINDS[kind](CASES["arabic, long"]))
    parsed = email.message_from_bytes(sent, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert max(len(line) for line in sent.split(b"\r\n")) <= 78


@pytest.mark.parametrize(
    ("body", "cte"),
    [
        ("plain ascii\n", "7bit"),
        ("Grüße aus Braunschweig\n", "quoted-printable"),
        ("Привіт, я з України. " * 20, "base64"),
        ("x" * 100 + "\n", "quoted-printable"),
    ],
)
def test_text_part_picks_the_shorter_safe_encoding(body: str, cte: str) -> None:
    part = text_part(body, "plain")
    assert part["Content-Transfer-Encoding"] == cte
    assert part.get_content().replace("\r\n", "\n").rstrip("\n") == body.rstrip("\n")


def test_set_plain_refuses_what_could_inject_a_header() -> None:
    msg = email.message.EmailMessage()
    for bad in ("a\r\nBcc: x@example.org", "Grüße", "a\nb"):
        with pytest.raises(ValueError, match="one line of ASCII"):
            set_plain(msg, "X-Test", bad)
