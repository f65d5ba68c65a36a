"""A mail's identity before it is parsed: its Message-ID, else its content as written."""

from __future__ import annotations

from services.intake.mail.identity import MAX_KEY, content_digest, identify, message_id_of

MAIL = b"From: ana@example.net\r\nSubject: Hallo\r\n\r\nIch habe eine Frage.\r\n"


def test_the_message_id_is_the_key_its_domain_in_lower_case() -> None:
    found = identify(b"Message-ID: <Ab.1@Mail.Example.NET>\r\n" + MAIL)
    assert found.message_id == "<Ab.1@Mail.Example.NET>"
    assert found.dedup_key == "mid:Ab.1@mail.example.net"


def test_a_folded_bare_or_odd_message_id_is_found() -> None:
    assert message_id_of(b"Message-Id:\r\n <x-1@example.org>\r\n\r\nbody") == "<x-1@example.org>"
    assert message_id_of(b"message-id: x-2@example.org (comment)\n\nbody") == "<x-2@example.org>"
    assert message_id_of(b"Subject: a\n\nMessage-ID: <in-the-body@example.org>") is None
    assert message_id_of(b"Message-ID: <>\r\n\r\n") is None


def test_a_long_message_id_is_keyed_by_its_digest() -> None:
    found = identify(b"Message-ID: <" + b"a" * 300 + b"@example.org>\r\n" + MAIL)
    assert found.dedup_key.startswith("mid-sha256:") and len(found.dedup_key) <= MAX_KEY


def test_without_message_id_delivery_differences_do_not_count() -> None:
    plain = identify(MAIL)
    assert plain.dedup_key == f"sha256:{content_digest(MAIL)}"
    copies = [
        MAIL.replace(b"\r\n", b"\n"),
        b"Received: from mx1 by mx2;\r\n\tMon, 1 Dec 2026 10:00:00 +0100\r\n" + MAIL,
        b"Delivered-To: team@example.org\r\nReturn-Path: <ana@example.net>\r\n" + MAIL,
        b"From ana@example.net Mon Dec  1 10:00:00 2026\n" + MAIL,
        MAIL + b"\r\n\r\n",
    ]
    assert {identify(copy).dedup_key for copy in copies} == {plain.dedup_key}
    assert identify(MAIL.replace(b"Frage", b"Bitte")).dedup_key != plain.dedup_key
    assert identify(copies[1]).sha256 != plain.sha256  # the bytes as received stay exact
