"""The desk with the real workers: closing frees capacity at once, a reassignment goes to
the next manager by the routing service and never back, and the enquirer's mail brings a
closed case back to its manager."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from shared.db.models import ManagerRow
from shared.directory.store import bump_version
from tests.support import mails
from tests.support.desk import token_client
from tests.support.stack import Stack, build_stack, enquiry, enquiry_by_reference
from tests.support.system import wait_until

INBOUND = "inbound-token-0123456789abcdef"
UKRAINIAN = (
    "Добрий день! Я живу у Вольфсбурзі, 38440. Шукаю інтеграційний курс німецької мови "
    "для себе і для дружини. Де можна записатися?"
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    env = {"WELCOMEDESK_MAIL_FROM": mails.OUR_ADDRESS, "WELCOMEDESK_INBOUND_TOKEN": INBOUND}
    with build_stack(tmp_path_factory.mktemp("desk-workers"), postgres_admin, env=env) as built:
        yield built


def _token(stack: Stack, manager_id: str) -> httpx.Client:
    made = stack.system.cli("token", "create", manager_id)
    assert made.returncode == 0, made.stderr
    return token_client(stack.system.base_url, made.stdout.strip())


def _routed(stack: Stack, reference: str) -> Any:
    def decided() -> Any:
        row = enquiry_by_reference(stack.db, reference)
        return row if row is not None and row.status not in ("received",) else None

    return wait_until(decided, timeout=30, what=f"{reference} routed")


def _post(stack: Stack, **fields: Any) -> str:
    answer = stack.system.post(enquiry(f"p.{uuid.uuid4().hex[:8]}@example.net", **fields))
    assert answer.status_code == 202, answer.text
    return str(answer.json()["reference"])


def test_closing_frees_a_place_and_the_next_enquiry_routes_to_that_manager(stack: Stack) -> None:
    with Session(stack.db) as session, session.begin():
        session.execute(update(ManagerRow).where(ManagerRow.id == "m-03").values(capacity=1))
        bump_version(session)  # the routing worker reads the changed directory
    ukrainian = {"message": UKRAINIAN, "postal_code": "38440", "subject": "Integrationskurs"}
    first = _post(stack, **ukrainian)
    assert _routed(stack, first).manager_id == "m-03"
    second = _post(stack, **ukrainian)
    assert _routed(stack, second).manager_id != "m-03"  # full: 1 of 1
    m03 = _token(stack, "m-03")
    closed = m03.post(f"/cases/{first}/close", json={"outcome": "advised", "version": 1})
    assert closed.status_code == 200, closed.text
    third = _post(stack, **ukrainian)
    assert _routed(stack, third).manager_id == "m-03"
    m03.close()


def test_reassign_goes_to_the_next_manager_never_back(stack: Stack) -> None:
    reference = _post(stack)  # English, recognition, Braunschweig
    case = _routed(stack, reference)
    first = case.manager_id
    assert first is not None
    client = _token(stack, first)
    asked = client.post(
        f"/cases/{reference}/reassign",
        json={"manager_id": None, "reason": "on leave next week"},
        headers={"If-Match": f'"{case.version}"'},
    )
    assert asked.status_code == 202, asked.text
    assert client.get(f"/cases/{reference}").status_code == 404  # not theirs any more

    def moved() -> Any:
        row = enquiry_by_reference(stack.db, reference)
        return row if row is not None and row.status == "assigned" else None

    now = wait_until(moved, timeout=30, what="reassigned")
    assert now.manager_id not in (None, first)
    with Session(stack.db) as session:
        new = session.get(ManagerRow, now.manager_id)
        assert new is not None
        address = new.email

    def mailed() -> bool:
        return any(
            address in r.rcpt_tos and "New enquiry" in str(r.message["Subject"])
            for r in stack.smtp.with_reference(reference)
        )

    wait_until(mailed, timeout=30, what="the new manager's case mail")
    with _token(stack, now.manager_id) as successor:
        history = successor.get(f"/cases/{reference}").json()["history"]
    assert [h["action"] for h in history] == ["routed", "reassign_requested", "reassigned"]
    assert history[1]["text"] == "on leave next week"
    client.close()


def test_the_enquirers_mail_reopens_a_closed_case_and_tells_the_manager(stack: Stack) -> None:
    sender = f"back.{uuid.uuid4().hex[:8]}@example.net"
    answer = stack.system.post(enquiry(sender))
    reference = str(answer.json()["reference"])
    case = _routed(stack, reference)
    client = _token(stack, case.manager_id)
    closed = client.post(f"/cases/{reference}/close", json={"outcome": "advised", "version": 1})
    assert closed.status_code == 200
    posted = httpx.post(
        f"{stack.system.base_url}/api/v1/inbound/mime",
        content=mails.follow_up(sender, reference, text="One more question, please."),
        headers={"Authorization": f"Bearer {INBOUND}", "Content-Type": "message/rfc822"},
        timeout=30,
    )
    assert posted.status_code == 200 and posted.json()["outcome"] == "joined", posted.text
    read = client.get(f"/cases/{reference}").json()
    assert read["status"] == "accepted" and read["outcome"] is None
    assert read["history"][-1]["action"] == "reopened_by_mail"
    assert any("One more question" in item["text"] for item in read["thread"])

    def noticed() -> bool:
        return any(
            d["kind"] == "follow_up" and d["status"] == "sent"
            for d in client.get(f"/cases/{reference}").json()["deliveries"]
        )

    wait_until(noticed, timeout=30, what="the follow-up notice")
    client.close()


def test_a_reply_threads_and_the_answer_comes_back_into_the_case(stack: Stack) -> None:
    sender = f"asker.{uuid.uuid4().hex[:8]}@example.net"
    answer = stack.system.post(enquiry(sender, subject="Anerkennung als Ingenieurin"))
    reference = str(answer.json()["reference"])
    case = _routed(stack, reference)

    def confirmed() -> Any:
        found = [r for r in stack.smtp.with_reference(reference) if sender in r.rcpt_tos]
        return found[0] if found else None

    confirmation = wait_until(confirmed, timeout=30, what="the confirmation")
    client = _token(stack, case.manager_id)
    file = base64.b64encode(b"%PDF-1.4 checklist").decode()
    replied = client.post(
        f"/cases/{reference}/replies",
        json={
            "text": "Guten Tag,\nbitte senden Sie uns Ihre Zeugnisse.\nViele Grüße",
            "version": case.version,
            "attachments": [
                {
                    "filename": "Checkliste.pdf",
                    "content_type": "application/pdf",
                    "content_base64": file,
                }
            ],
        },
    )
    assert replied.status_code == 202, replied.text
    assert replied.json()["status"] == "waiting"

    def sent() -> Any:
        found = [
            r
            for r in stack.smtp.with_reference(reference)
            if ".reply." in str(r.message["Message-ID"])
        ]
        return found[0] if found else None

    mail = wait_until(sent, timeout=30, what="the reply at the SMTP server")
    message = mail.message
    assert mail.rcpt_tos == (sender,)
    assert str(message["To"]).endswith(f"<{sender}>") and message["Cc"] is None
    assert str(message["Reply-To"]).endswith(f"<{mails.OUR_ADDRESS}>")
    with Session(stack.db) as session:
        manager = session.get(ManagerRow, case.manager_id)
        assert manager is not None
    assert str(message["From"]).startswith(manager.name)
    assert str(message["From"]).endswith(f"<{mails.OUR_ADDRESS}>")
    assert str(message["Subject"]) == f"[{reference}] Anerkennung als Ingenieurin"
    ours = str(confirmation.message["Message-ID"])
    assert str(message["In-Reply-To"]) == ours
    assert ours in str(message["References"])
    body = message.get_body(("plain",))
    assert body is not None and "bitte senden Sie uns Ihre Zeugnisse" in body.get_content()
    assert message.get_body(("html",)) is not None
    files = [p.get_filename() for p in message.iter_attachments()]
    assert files == ["Checkliste.pdf"]
    # The enquirer answers the reply; the subject lost the reference on the way.
    back = mails.follow_up(
        sender,
        reference,
        text="Die Zeugnisse kommen morgen.",
        in_reply_to=str(message["Message-ID"]),
    )
    back = back.replace(f"[{reference}] ".encode(), b"")
    posted = httpx.post(
        f"{stack.system.base_url}/api/v1/inbound/mime",
        content=back,
        headers={"Authorization": f"Bearer {INBOUND}", "Content-Type": "message/rfc822"},
        timeout=30,
    )
    assert posted.status_code == 200 and posted.json()["reference"] == reference, posted.text
    read = client.get(f"/cases/{reference}").json()
    assert read["status"] == "accepted"
    kinds = [(item["direction"], item["kind"]) for item in read["thread"]]
    assert ("out", "reply") in kinds and kinds[-1] == ("in", "follow_up")
    reply_item = next(i for i in read["thread"] if i["kind"] == "reply")
    assert reply_item["delivery_status"] == "sent"
    assert [a["filename"] for a in reply_item["attachments"]] == ["Checkliste.pdf"]
    client.close()


def test_a_reply_needs_text_and_an_open_case(stack: Stack) -> None:
    reference = _post(stack)
    case = _routed(stack, reference)
    client = _token(stack, case.manager_id)
    empty = client.post(f"/cases/{reference}/replies", json={"text": "", "version": case.version})
    assert empty.status_code == 422
    closed = client.post(
        f"/cases/{reference}/close", json={"outcome": "advised", "version": case.version}
    )
    assert closed.status_code == 200
    late = client.post(
        f"/cases/{reference}/replies", json={"text": "Hallo", "version": case.version + 1}
    )
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    client.close()
