"""Setting aside quoted replies, signatures and footers; reading forwarded enquiries."""

from __future__ import annotations

import pytest

from services.intake.mail.text import split_text
from tests.unit.mail.support import read

GERMAN_REPLY = """Hallo Frau Yilmaz,

danke, ich schicke Ihnen mein Zeugnis morgen.

Viele Grüße
Ana

Am 12.01.2026 um 10:00 schrieb Welcome Center <welcome@welcome.example.org>:
> Guten Tag,
> vielen Dank für Ihre Anfrage WC-2026-000123.
"""

ENGLISH_REPLY = """Thank you, I will come on Monday.

On Mon, Jan 12, 2026 at 10:00 AM Welcome Center <
welcome@welcome.example.org> wrote:

> Dear Ana,
>
> thank you for your enquiry.
"""

OUTLOOK_REPLY = """Ja, der Termin passt.

________________________________
Von: Welcome Center <welcome@welcome.example.org>
Gesendet: Montag, 12. Januar 2026 10:00
An: Ana Silva <ana@example.com>
Betreff: [WC-2026-000123] Ihre Anfrage

Guten Tag, wir schlagen Montag vor.
"""

ORIGINAL_MESSAGE = """Here is my answer.

-----Original Message-----
From: Welcome Center
Sent: Monday, January 12, 2026 10:00 AM
Subject: Your enquiry

old text
"""


@pytest.mark.parametrize(
    ("body", "new_text", "quoted_start"),
    [
        (
            GERMAN_REPLY,
            "Hallo Frau Yilmaz,\n\ndanke, ich schicke Ihnen mein Zeugnis morgen.\n\n"
            "Viele Grüße\nAna",
            "Am 12.01.2026",
        ),
        (ENGLISH_REPLY, "Thank you, I will come on Monday.", "On Mon, Jan 12"),
        (OUTLOOK_REPLY, "Ja, der Termin passt.", "_____"),
        (ORIGINAL_MESSAGE, "Here is my answer.", "-----Original Message-----"),
    ],
)
def test_quoted_replies_are_set_aside(body: str, new_text: str, quoted_start: str) -> None:
    split = split_text(body, subject="Re: Ihre Anfrage")
    assert split.text == new_text
    assert split.quoted.startswith(quoted_start)
    assert split.forwarded is None


def test_inline_answers_between_quotes_are_kept() -> None:
    body = "> Which course?\nThe B1 course.\n> When?\nIn March.\n"
    split = split_text(body)
    assert split.text == "The B1 course.\nIn March."
    assert split.quoted == "> Which course?\n> When?"


def test_a_quoted_reply_in_html_mail_is_set_aside() -> None:
    raw = (
        b"From: ana@example.com\nSubject: Re: Kurs\nContent-Type: text/html; charset=utf-8\n\n"
        b"<div>Ich komme gern.</div><div class='gmail_quote'>"
        b"On Mon, 12 Jan 2026 at 10:00, Welcome Center &lt;welcome@welcome.example.org&gt; wrote:"
        b"<blockquote>Dear Ana, the course starts in March.</blockquote></div>"
    )
    assert read(raw).text == "Ich komme gern."


def test_the_signature_after_dash_dash_and_a_mobile_tagline_are_set_aside() -> None:
    split = split_text("Ich suche einen Deutschkurs.\n\nGruß\nAna\n-- \nAna Silva\nTel. 0531 123\n")
    assert split.text == "Ich suche einen Deutschkurs.\n\nGruß\nAna"
    assert split.signature == "Ana Silva\nTel. 0531 123"
    mobile = split_text("Wann beginnt der Kurs?\n\nVon meinem iPhone gesendet\n")
    assert mobile.text == "Wann beginnt der Kurs?"


def test_a_legal_footer_is_set_aside() -> None:
    body = (
        "Wir möchten eine Pflegekraft aus Brasilien einstellen.\n\nMfG\nM. Krüger\n\n"
        "Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen.\n"
        "Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte den Absender.\n"
    )
    split = split_text(body)
    assert split.text == "Wir möchten eine Pflegekraft aus Brasilien einstellen.\n\nMfG\nM. Krüger"
    assert split.footer.startswith("Diese E-Mail enthält")


GMAIL_FORWARD = """Kannst du dich darum kümmern?

Gruß Peter

---------- Forwarded message ---------
From: Olena Kovalenko <olena@example.com>
Date: Mon, 12 Jan 2026 at 10:00
Subject: Anerkennung Diplom
To: <peter@firma.example>


Guten Tag, ich bin Ärztin aus der Ukraine und möchte in Braunschweig arbeiten.

Mit freundlichen Grüßen
Olena
--\x20
Olena Kovalenko
"""

THUNDERBIRD_FORWARD = """FYI


-------- Weitergeleitete Nachricht --------
Betreff: 	Sprachkurs
Datum: 	Mon, 12 Jan 2026 10:00:00 +0100
Von: 	Ahmad Karimi <ahmad@example.net>
An: 	info@verein.example

Hallo, ich suche einen Sprachkurs B2 in Wolfsburg.
"""

APPLE_FORWARD = """Begin forwarded message:

From: "Nguyen, Lan" <lan@example.com>
Subject: Ausbildung
Date: 12 January 2026 at 10:00:00 CET
To: info@example.org

Ich möchte eine Ausbildung als Mechatronikerin machen.
"""

OUTLOOK_FORWARD = """Bitte übernehmen.

________________________________
Von: Max Muster <max@example.de>
Gesendet: Montag, 12. Januar 2026 10:00
An: info@firma.example
Betreff: Frage

Ich suche einen Integrationskurs.
"""


@pytest.mark.parametrize(
    ("body", "subject", "address", "name", "text", "note"),
    [
        (
            GMAIL_FORWARD,
            "Fwd: Anerkennung Diplom",
            "olena@example.com",
            "Olena Kovalenko",
            "Guten Tag, ich bin Ärztin aus der Ukraine und möchte in Braunschweig arbeiten."
            "\n\nMit freundlichen Grüßen\nOlena",
            "Kannst du dich darum kümmern?\n\nGruß Peter",
        ),
        (
            THUNDERBIRD_FORWARD,
            "Fwd: Sprachkurs",
            "ahmad@example.net",
            "Ahmad Karimi",
            "Hallo, ich suche einen Sprachkurs B2 in Wolfsburg.",
            "FYI",
        ),
        (
            APPLE_FORWARD,
            "Ausbildung",
            "lan@example.com",
            "Nguyen, Lan",
            "Ich möchte eine Ausbildung als Mechatronikerin machen.",
            "",
        ),
        (
            OUTLOOK_FORWARD,
            "WG: Frage",
            "max@example.de",
            "Max Muster",
            "Ich suche einen Integrationskurs.",
            "Bitte übernehmen.",
        ),
    ],
)
def test_a_forwarded_enquiry_is_the_forwarded_persons(
    body: str, subject: str, address: str, name: str, text: str, note: str
) -> None:
    split = split_text(body, subject=subject)
    assert split.forwarded is not None
    assert split.forwarded.sender is not None
    assert (split.forwarded.sender.address, split.forwarded.sender.name) == (address, name)
    assert split.forwarded.text == text
    assert split.enquiry_text == text
    assert split.text == note


def test_a_forwarded_mail_names_its_person_as_the_enquirer() -> None:
    raw = (
        "From: Peter Colleague <peter@firma.example>\nTo: intake@welcome.example.org\n"
        "Subject: Fwd: Anerkennung Diplom\nContent-Type: text/plain; charset=utf-8\n\n"
        + GMAIL_FORWARD
    ).encode()
    reading = read(raw)
    assert reading.enquirer is not None and reading.enquirer.address == "olena@example.com"
    assert reading.forwarded_by is not None
    assert reading.forwarded_by.address == "peter@firma.example"
    assert reading.subject == "Anerkennung Diplom"
    fields = reading.enquiry_fields()
    assert fields is not None
    assert (fields.email, fields.name) == (
        "olena@example.com",
        "Olena Kovalenko",
    )
    assert fields.message.startswith("Guten Tag, ich bin Ärztin")


def test_a_reply_that_quotes_a_forward_is_not_a_forward() -> None:
    body = (
        "Danke!\n\nAm 12.01.2026 um 10:00 schrieb Peter <peter@firma.example>:\n"
        "> ---------- Forwarded message ---------\n> From: Olena <olena@example.com>\n"
    )
    split = split_text(body, subject="Re: Fwd: Anerkennung")
    assert (split.text, split.forwarded) == ("Danke!", None)
