"""The mail server refuses: for a while (the retries get the mails out, once each), or for
good (the deliveries become dead letters, which an administrator lists and sends again)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator

import pytest

from shared.db.models import DeliveryRow
from tests.support.stack import (
    Stack,
    build_stack,
    deliveries_of,
    enquiry,
    wait_until_settled,
)
from tests.support.system import wait_until


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("smtp-faults"), postgres_admin) as built:
        yield built


@pytest.fixture(scope="module")
def short_retries(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    """A system of its own that gives a mail up after two retries, one second apart."""
    with build_stack(
        tmp_path_factory.mktemp("smtp-dead"),
        postgres_admin,
        env={"WELCOMEDESK_MAIL_MAX_RETRIES": "2", "WELCOMEDESK_MAIL_RETRY_BACKOFF": "1"},
    ) as built:
        yield built


def _post(stack: Stack, tag: str) -> tuple[str, str]:
    address = f"{tag}.{uuid.uuid4().hex[:8]}@example.net"
    response = stack.system.post(enquiry(address))
    assert response.status_code == 202, response.text
    return response.json()["reference"], address


def _check_sent_once(stack: Stack, reference: str, address: str) -> list[DeliveryRow]:
    def both_sent() -> list[DeliveryRow]:
        rows = deliveries_of(stack.db, reference)
        return rows if [d.status for d in rows] == ["sent", "sent"] else []

    wait_until(both_sent, timeout=60, what="both mails sent")
    wait_until_settled(stack.db, stack.redis.url)
    deliveries = deliveries_of(stack.db, reference)
    assert sorted((d.kind, d.status) for d in deliveries) == [
        ("confirmation", "sent"),
        ("manager", "sent"),
    ]
    manager_address = next(d.recipient for d in deliveries if d.kind == "manager")
    received = stack.smtp.with_reference(reference)
    assert Counter(rcpt for r in received for rcpt in r.rcpt_tos) == {
        address: 1,
        manager_address: 1,
    }
    kinds = Counter(str(r.message["Message-ID"]).split(".")[1] for r in received)
    assert kinds == {"confirmation": 1, "manager": 1}
    return deliveries


def test_mail_refused_for_a_while_goes_out_once_when_the_server_accepts_again(
    stack: Stack,
) -> None:
    stack.smtp.refuse = True
    try:
        reference, address = _post(stack, "refused")

        def failed_once() -> list[DeliveryRow]:
            return [
                d
                for d in deliveries_of(stack.db, reference)
                if d.status == "failed" and d.attempts >= 1
            ]

        failed = wait_until(failed_once, timeout=30, what="a failed delivery attempt")
        assert all(d.last_error for d in failed)
        assert stack.smtp.with_reference(reference) == []
    finally:
        stack.smtp.refuse = False

    deliveries = _check_sent_once(stack, reference, address)
    assert any(d.attempts >= 2 for d in deliveries)
    assert all(d.last_error is None for d in deliveries)


def _dead_letters_of(stack: Stack, tag: str) -> tuple[str, str, list[DeliveryRow]]:
    """Posts while the server refuses, until both deliveries are dead; the server still
    refuses when this returns."""
    stack.smtp.refuse = True
    reference, address = _post(stack, tag)

    def dead() -> list[DeliveryRow]:
        rows = deliveries_of(stack.db, reference)
        return rows if len(rows) == 2 and all(d.status == "dead" for d in rows) else []

    letters = wait_until(dead, timeout=60, what="both deliveries dead")
    wait_until_settled(stack.db, stack.redis.url)
    return reference, address, letters


def _listed(stack: Stack) -> dict[int, list[str]]:
    """`welcomedesk mail dead-letters`, by delivery id: [id, reference, kind, ...]."""
    listed = stack.system.cli("mail", "dead-letters")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines() if line.strip()]
    assert f"{len(rows)} dead letter(s)" in listed.stderr
    return {int(fields[0]): fields for fields in rows}


def test_mail_refused_for_good_becomes_dead_letters_that_can_be_sent_again(
    short_retries: Stack,
) -> None:
    stack = short_retries
    try:
        reference, address, letters = _dead_letters_of(stack, "dead")
        # The first attempt and two retries.
        assert [d.attempts for d in letters] == [3, 3]
        listed = _listed(stack)
        for letter in letters:
            assert listed[letter.id][1:3] == [reference, letter.kind]
    finally:
        stack.smtp.refuse = False

    assert stack.smtp.with_reference(reference) == []
    resent = stack.system.cli("mail", "dead-letters", "--resend", *(str(d.id) for d in letters))
    assert resent.returncode == 0, resent.stderr
    _check_sent_once(stack, reference, address)
    assert not set(_listed(stack)) & {d.id for d in letters}


def test_resending_with_an_unknown_id_changes_nothing(short_retries: Stack) -> None:
    stack = short_retries
    try:
        reference, _address, letters = _dead_letters_of(stack, "partial")
    finally:
        stack.smtp.refuse = False
    first = letters[0]
    unknown = max(d.id for d in letters) + 100_000
    done = stack.system.cli("mail", "dead-letters", "--resend", str(first.id), str(unknown))
    assert done.returncode != 0
    assert str(unknown) in done.stderr
    wait_until_settled(stack.db, stack.redis.url)
    assert [d.status for d in deliveries_of(stack.db, reference)] == ["dead", "dead"]
    assert stack.smtp.with_reference(reference) == []
