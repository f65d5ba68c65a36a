"""Parsing raw messages: headers in any encoding, the best text, attachments; never raising."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.intake.mail.model import AttachmentLimits
from services.intake.mail.parse import parse_mail

# --- headers --------------------------------------------------------------------------------


def _with_subject(subject: bytes) -> bytes:
    return (
        b"From: Ana Silva <ana@example.com>\r\nTo: welcome@welcome.example.org\r\n"
        b"Subject: " + subject + b"\r\nMessage-ID: <a1@example.com>\r\n\r\nHallo\r\n"
    )


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        # Two UTF-8 words in base64 and quoted-printable; the space between them is dropped.
        (
            b"=?UTF-8?B?QW5lcmtlbm51bmcgbWVpbmVzIA==?=\r\n"
            b" =?UTF-8?Q?Abschlusses_=E2=80=93_Pflege?=",
            "Anerkennung meines Abschlusses – Pflege",
        ),
        # A character split across two encoded words ("Ä" = C3 84).
        (b"=?utf-8?b?ww==?= =?utf-8?b?hHJ6dGlu?=", "Ärztin"),
        (b"Re: =?iso-8859-1?q?Gr=FC=DFe?= aus Peine", "Re: Grüße aus Peine"),
        (b"=?windows-1251?B?x+Dv6PIg+e7k7iDi6Oft4O3t/yDk6O/r7uzg?=", "Запит щодо визнання диплома"),
        # A label nobody knows: the bytes are tried as UTF-8.
        (b"=?x-unknown?q?Caf=C3=A9?=", "Café"),
        # Raw 8-bit bytes, undeclared: UTF-8 first, then Windows-1252.
        (b"Gr\xc3\xbc\xc3\x9fe", "Grüße"),
        (b"Gr\xfc\xdfe", "Grüße"),
        # Broken base64 inside an encoded word does not stop anything.
        (b"=?utf-8?B?QW5lcmtlbm51bmc?= test", "Anerkennung test"),
    ],
)
def test_subjects_are_decoded_whatever_their_encoding(subject: bytes, expected: str) -> None:
    assert parse_mail(_with_subject(subject)).subject == expected


def test_addresses_ids_and_date_are_read() -> None:
    raw = (
        b'From: "Kovalenko, Olena" <Olena.K@Example.com>\r\n'
        b"To: welcome@welcome.example.org, =?UTF-8?B?T2xlbmEgS292YWxlbmtv?= <o@example.com>\r\n"
        b"Cc: team@example.org\r\n"
        b"Reply-To: olena.private@example.com\r\n"
        b"Subject: Frage\r\n"
        b"Date: Mon, 12 Jan 2026 10:00:00 +0100\r\n"
        b"Message-ID: <m1@example.com>\r\n"
        b"In-Reply-To: <WC-2026-000123.confirmation.x@welcome.example.org> (our mail)\r\n"
        b"References: <a@x.example>\r\n <b@y.example>\r\n"
        b"\r\nHallo\r\n"
    )
    mail = parse_mail(raw)
    assert mail.sender is not None
    assert (mail.sender.address, mail.sender.name) == ("Olena.K@Example.com", "Kovalenko, Olena")
    assert mail.sender.key == "olena.k@example.com"
    assert [m.address for m in mail.to] == ["welcome@welcome.example.org", "o@example.com"]
    assert mail.to[1].name == "Olena Kovalenko"
    assert [m.address for m in mail.cc] == ["team@example.org"]
    assert mail.message_id == "<m1@example.com>"
    assert mail.in_reply_to == ("<WC-2026-000123.confirmation.x@welcome.example.org>",)
    assert mail.references == ("<a@x.example>", "<b@y.example>")
    assert mail.date == dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)
    assert mail.header("Reply-To") == "olena.private@example.com"


def test_a_header_glued_to_the_date_and_an_mbox_line_are_survived() -> None:
    raw = (
        b"From ana@example.com  Mon Jan 12 10:00:00 2026\n"
        b"Date: Mon, 12 Jan 2026 10:00:44 +0100Received: from mx.example.com\n"
        b"From: ana@example.com\nSubject: test\n\nsome text\n"
    )
    mail = parse_mail(raw)
    assert mail.date == dt.datetime(
        2026, 1, 12, 10, 0, 44, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert mail.sender is not None and mail.sender.address == "ana@example.com"
    assert mail.text == "some text"
    assert "mbox 'From ' line dropped" in mail.notes


def test_header_lines_that_lost_their_indent_do_not_end_the_headers() -> None:
    raw = (
        b"Received: from mx.example.com ([192.0.2.1])\n"
        b"by mx.example.org with ESMTP\n"
        b"for <welcome@welcome.example.org>;\n"
        b"Received: by mx.example.com\n"
        b"From: ana@example.com\nSubject: Kontakt\nMessage-Id: bare-id@example.com\n\nText\n"
    )
    mail = parse_mail(raw)
    assert (mail.subject, mail.text) == ("Kontakt", "Text")
    assert mail.sender is not None and mail.sender.address == "ana@example.com"
    assert mail.message_id == "<bare-id@example.com>"


def test_a_from_without_address_falls_back_to_reply_to() -> None:
    raw = b'From: "Ana" <>\nReply-To: <ana@example.com>\nSubject: x\n\nHallo\n'
    mail = parse_mail(raw)
    assert mail.sender is not None and mail.sender.address == "ana@example.com"
    assert any("Reply-To" in note for note in mail.notes)


# --- bodies ---------------------------------------------------------------------------------


def _single(content_type: bytes, body: bytes, encoding: bytes = b"8bit") -> bytes:
    return (
        b"From: ana@example.com\nSubject: x\nMIME-Version: 1.0\n"
        b"Content-Type: " + content_type + b"\nContent-Transfer-Encoding: " + encoding + b"\n\n"
        b"" + body
    )


@pytest.mark.parametrize(
    ("content_type", "body", "encoding", "expected"),
    [
        (b"text/plain; charset=utf-8", b"Gr=C3=BC=C3=9Fe\n", b"quoted-printable", "Grüße"),
        (b"text/plain; charset=utf-8", b"R3LDvMOfZQ==\n", b"base64", "Grüße"),
        # Declared Latin-1, written in UTF-8 (the usual mislabelling).
        (b"text/plain; charset=iso-8859-1", "Grüße".encode(), b"8bit", "Grüße"),
        # Declared UTF-8, written in Windows-1252.
        (
            b"text/plain; charset=utf-8",
            "Grüße – bis bald".encode("cp1252"),
            b"8bit",
            "Grüße – bis bald",
        ),
        # A label Python does not know, and one it knows under another name.
        (b"text/plain; charset=unicode-1-1-utf-7", b"Gr+APwA3w-e", b"7bit", "Grüße"),
        (
            b'text/plain; charset="ks_c_5601-1987"',
            "안녕하세요".encode("cp949"),
            b"8bit",
            "안녕하세요",
        ),
        # A misspelt transfer encoding.
        (b"text/plain; charset=utf-8", b"Gr=C3=BC=C3=9Fe\n", b"quoted printable", "Grüße"),
    ],
)
def test_text_bodies_are_decoded_with_fallbacks(
    content_type: bytes, body: bytes, encoding: bytes, expected: str
) -> None:
    assert parse_mail(_single(content_type, body, encoding)).text == expected


def test_html_only_mail_becomes_clean_text() -> None:
    html = (
        b"<html><head><style>p { color: red }</style><title>Mail</title></head><body>"
        b"<p>Guten&nbsp;Tag,</p><p>ich habe eine <b>Frage</b> zur <a href='https://x.example'>"
        b"Anerkennung</a>.<br>Zweite Zeile</p><ul><li>Zeugnis</li><li>Diplom</li></ul>"
        b"<script>alert(1)</script><p>Gr&uuml;&szlig;e<br>Ana</p></body></html>"
    )
    mail = parse_mail(_single(b"text/html; charset=utf-8", html))
    assert mail.text == (
        "Guten Tag,\n\nich habe eine Frage zur Anerkennung.\nZweite Zeile\n\n"
        "- Zeugnis\n- Diplom\n\nGrüße\nAna"
    )
    assert mail.html is not None and "<b>Frage</b>" in mail.html


def test_plain_text_is_preferred_to_html_unless_it_is_empty() -> None:
    template = (
        b"From: ana@example.com\nSubject: x\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/alternative; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain; charset=utf-8\n\n%s\n"
        b"--b\nContent-Type: text/html; charset=utf-8\n\n<p>from the <i>html</i></p>\n--b--\n"
    )
    assert parse_mail(template % b"from the plain text").text == "from the plain text"
    assert parse_mail(template % b"  ").text == "from the html"


RELATED = b"""From: Ana <ana@example.com>
To: welcome@welcome.example.org
Subject: Zeugnis
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/related; boundary="rel"; type="text/html"

--rel
Content-Type: text/html; charset=utf-8

<p>Mein Logo: <img src="cid:logo@ana"></p>
--rel
Content-Type: image/gif
Content-ID: <logo@ana>
Content-Disposition: inline
Content-Transfer-Encoding: base64

R0lGODlhAQABAAAAADs=
--rel--
--outer
Content-Type: application/pdf; name="ignored.pdf"
Content-Disposition: attachment; filename*=UTF-8''Zeugnis%20%C3%9Cbersetzung.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQgdGVzdA==
--outer
Content-Type: application/pdf
Content-Disposition: attachment; filename*0*=UTF-8''Lebens; filename*1*=lauf%20Ana.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQgdGVzdA==
--outer
Content-Type: image/jpeg
Content-Disposition: attachment; filename="=?UTF-8?B?0JvQtdCx0LXQvdGB0LvQsNGD0YQ=?=.jpg"
Content-Transfer-Encoding: base64

R0lGODlhAQABAAAAADs=
--outer--
"""


def test_inline_images_are_not_attachments_and_file_names_are_decoded() -> None:
    mail = parse_mail(RELATED)
    assert mail.text == "Mein Logo:"
    assert [(a.filename, a.content_type, a.size) for a in mail.attachments] == [
        ("Zeugnis Übersetzung.pdf", "application/pdf", 13),  # RFC 2231
        ("Lebenslauf Ana.pdf", "application/pdf", 13),  # RFC 2231, continued
        ("Лебенслауф.jpg", "image/jpeg", 14),  # RFC 2047 inside quotes, as Outlook writes
    ]
    assert mail.attachments[0].data == b"%PDF-1.4 test"
    assert any("inline image" in note for note in mail.notes)


def test_an_unreferenced_part_of_multipart_related_is_an_attachment() -> None:
    raw = RELATED.replace(b'src="cid:logo@ana"', b'src="https://example.com/logo.gif"')
    assert parse_mail(raw).attachments[0].content_type == "image/gif"


def test_attachments_over_the_limits_are_dropped_and_noted() -> None:
    mail = parse_mail(RELATED, limits=AttachmentLimits(max_bytes=13, max_total_bytes=20))
    kept = [(a.filename, a.dropped is None, len(a.data)) for a in mail.attachments]
    assert kept == [
        ("Zeugnis Übersetzung.pdf", True, 13),
        ("Lebenslauf Ana.pdf", False, 0),  # 26 bytes in all: over the message limit
        ("Лебенслауф.jpg", False, 0),  # 14 bytes: over the per-file limit
    ]
    assert sum("dropped" in note for note in mail.notes) == 2
    counted = parse_mail(RELATED, limits=AttachmentLimits(max_count=1))
    assert [a.dropped is None for a in counted.attachments] == [True, False, False]


def test_a_forwarded_message_attachment_is_listed_and_its_headers_kept() -> None:
    raw = (
        b'From: a@example.com\nSubject: fwd\nContent-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nsee attached\n"
        b"--b\nContent-Type: message/rfc822\n\n"
        b"From: olena@example.com\nSubject: Frage\nMessage-ID: <inner@example.com>\n\nHallo\n"
        b"--b--\n"
    )
    mail = parse_mail(raw)
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("attachment-1.eml", "message/rfc822")
    ]
    assert mail.attachments[0].size > 0
    assert [(e.message_id, e.sender) for e in mail.embedded] == [
        ("<inner@example.com>", "olena@example.com")
    ]


# --- never raising --------------------------------------------------------------------------

BROKEN = [
    b"",
    b"\r\n\r\n",
    b"\x00\xff\xfe garbage \x80",
    b"Subject: only headers",
    b"From: x\nContent-Type: multipart/mixed\n\nno boundary at all\n",
    b'From: x\nContent-Type: multipart/mixed; boundary="a"\n\n--a\nContent-Type: text/plain\n',
    b"From: x\nContent-Type: text/plain; charset=base64\n\nbody\n",
    b"From: x\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n",
    b"From: =?utf-8?q?=FF=FE?= <@>\nSubject: =?utf-8?b?#?=\nDate: 99 Foo 99999 99:99\n\nx\n",
    # Parts nested far deeper than anyone writes.
    b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(200)
    )
    + b"Content-Type: text/plain\n\ndeep\n",
]


@pytest.mark.parametrize("raw", BROKEN)
def test_broken_input_still_yields_a_parsed_mail(raw: bytes) -> None:
    mail = parse_mail(raw)
    assert isinstance(mail.text, str)
    assert isinstance(mail.notes, tuple)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_raising(raw: bytes) -> None:
    parse_mail(raw)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(RELATED)), st.binary(max_size=40))
def test_a_real_message_cut_or_spliced_anywhere_parses(at: int, junk: bytes) -> None:
    parse_mail(RELATED[:at] + junk + RELATED[at:])
