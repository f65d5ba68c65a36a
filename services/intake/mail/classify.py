"""What a received mail is: new, follow_up, auto_reply, bounce, list or empty, and why.

Machines first (a bounce or an auto-reply may well carry our reference, and must
never be taken for the enquirer's answer), then lists, then our own references,
then whether anything was written at all. A reference comes from the subject or
from one of our Message-IDs in In-Reply-To/References, which carry it
("<WC-2026-000123.confirmation.x@our.domain>"): no lookup is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from services.intake.mail import signals
from services.intake.mail.model import ParsedMail
from services.intake.mail.text import Split
from shared.settings import MailSettings

Kind = Literal["new", "follow_up", "auto_reply", "bounce", "list", "empty"]
KINDS: tuple[Kind, ...] = ("new", "follow_up", "auto_reply", "bounce", "list", "empty")


@dataclass(frozen=True)
class Ours:
    """Our own addresses and the domain(s) of the Message-IDs we write."""

    addresses: frozenset[str]
    domains: frozenset[str]

    @classmethod
    def from_settings(cls, settings: MailSettings) -> Ours:
        return cls(settings.own_addresses, frozenset({settings.mail_domain.lower()}))

    def reference_in(self, message_id: str | None) -> str | None:
        """The case reference in one of our Message-IDs; None for anyone else's."""
        local, at, domain = (message_id or "").strip("<> ").rpartition("@")
        if not at or domain.lower() not in self.domains:
            return None
        found = signals.REFERENCE.match(local)
        return _reference(found.group(1), found.group(2)) if found else None


@dataclass(frozen=True)
class Bounce:
    original_message_id: str | None
    reference: str | None  # of our mail that bounced
    severity: Literal["hard", "soft", "unknown"]
    status: str  # the enhanced status code, e.g. 5.1.1, when one was given
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    kind: Kind
    reasons: tuple[str, ...]
    reference: str | None = None
    bounce: Bounce | None = None


def _reference(year: str, number: str) -> str:
    return f"WC-{year}-{number}"


def subject_reference(subject: str) -> str | None:
    found = signals.REFERENCE.search(subject)
    return _reference(found.group(1), found.group(2)) if found else None


def thread_reference(mail: ParsedMail, ours: Ours) -> tuple[str | None, str]:
    """Our reference from In-Reply-To, else References (latest first), else the subject."""
    for header, ids in (("In-Reply-To", mail.in_reply_to), ("References", mail.references[::-1])):
        for message_id in ids:
            reference = ours.reference_in(message_id)
            if reference:
                return reference, f"{header} names our mail {message_id}"
    reference = subject_reference(mail.subject)
    if reference:
        return reference, f"subject carries {reference}"
    return None, ""


def classify(mail: ParsedMail, split: Split, ours: Ours) -> Classification:
    reference, how = thread_reference(mail, ours)
    bounce_reasons = _bounce_signals(mail)
    if bounce_reasons and _delivered(mail):
        return Classification("auto_reply", ("a delivery report of success",), reference)
    if bounce_reasons:
        bounce = _bounce(mail, ours, reference)
        return Classification("bounce", bounce_reasons, bounce.reference, bounce)
    auto = _auto_reply_signals(mail, ours)
    if auto:
        return Classification("auto_reply", auto, reference)
    listed = _list_signals(mail)
    if listed:
        return Classification("list", listed, reference)
    if reference:
        return Classification("follow_up", (how,), reference)
    foreign = [i for i in (*mail.in_reply_to, *mail.references) if not ours.reference_in(i)]
    if not split.enquiry_text.strip() and not mail.attachments:
        return Classification("empty", ("no text besides quotes and signature, no attachments",))
    reasons = ["a new enquiry"]
    if foreign:
        reasons.append("replies to a mail that is not ours")
    return Classification("new", tuple(reasons))


def _sender(mail: ParsedMail) -> str:
    return mail.sender.key if mail.sender else ""


def _bounce_signals(mail: ParsedMail) -> tuple[str, ...]:
    reasons: list[str] = []
    report = mail.header("content-type").lower()
    if mail.content_type == "multipart/report" and "disposition-notification" not in report:
        reasons.append("a delivery report (multipart/report)")
    elif mail.delivery_status:
        reasons.append("carries a delivery status")
    system = bool(mail.sender) and (
        bool(signals.SYSTEM_SENDER.match(_sender(mail)))
        or bool(signals.SYSTEM_NAME.match(mail.sender.name if mail.sender else ""))
    )
    if system:
        reasons.append(f"sent by {_sender(mail)}")
    if mail.header("x-failed-recipients"):
        reasons.append("X-Failed-Recipients")
    machine = bool(reasons) or mail.header("return-path").strip() == "<>" or _auto_submitted(mail)
    if signals.BOUNCE_SUBJECT.match(mail.subject) and machine:
        reasons.append(f"subject {mail.subject[:60]!r}")
    return tuple(reasons)


def _auto_submitted(mail: ParsedMail) -> bool:
    value = mail.header("auto-submitted").strip().lower()
    return bool(value) and not value.startswith("no")


def _auto_reply_signals(mail: ParsedMail, ours: Ours) -> tuple[str, ...]:
    reasons: list[str] = []
    if _auto_submitted(mail):
        reasons.append(f"Auto-Submitted: {mail.header('auto-submitted')[:40]}")
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress", "x-autogenerated"):
        if mail.header(name).strip():
            reasons.append(f"{name}: {mail.header(name)[:40]}")
    if mail.header("precedence").strip().lower() == "auto_reply":
        reasons.append("Precedence: auto_reply")
    if mail.content_type == "multipart/report":
        reasons.append("a read receipt (disposition notification)")
    if signals.AUTO_REPLY_SUBJECT.match(mail.subject):
        reasons.append(f"subject {mail.subject[:60]!r}")
    if _sender(mail) in ours.addresses:
        reasons.append(f"sent from our own address {_sender(mail)}")
    return tuple(reasons)


def _list_signals(mail: ParsedMail) -> tuple[str, ...]:
    reasons = [name for name in ("List-Id", "List-Unsubscribe") if mail.header(name)]
    precedence = mail.header("precedence").strip().lower()
    if precedence in ("bulk", "list", "junk"):
        reasons.append(f"Precedence: {precedence}")
    return tuple(reasons)


def _delivered(mail: ParsedMail) -> bool:
    """A delivery report that says the mail arrived (or went on): nothing bounced."""
    actions = {s.action for s in mail.delivery_status}
    return bool(actions) and actions <= {"delivered", "relayed", "expanded"}


def _bounce(mail: ParsedMail, ours: Ours, thread: str | None) -> Bounce:
    """What bounced: the original's Message-ID (from the report, else the notice's text),
    our case reference (from that id, else the thread or subject), how final it is."""
    candidates = [e.message_id for e in mail.embedded if e.message_id]
    candidates += signals.MESSAGE_ID_LINE.findall(mail.text)
    candidates = [c for c in dict.fromkeys(candidates) if c != mail.message_id]
    original = next((c for c in candidates if ours.reference_in(c)), None)
    original = original or (candidates[0] if candidates else None)
    recipients = [s.recipient for s in mail.delivery_status if s.recipient]
    failed = mail.header("x-failed-recipients")
    recipients += [a.strip() for a in failed.split(",") if "@" in a]
    severity, status = _severity(mail)
    return Bounce(
        original_message_id=original,
        reference=ours.reference_in(original) or thread,
        severity=severity,
        status=status,
        recipients=tuple(dict.fromkeys(recipients)),
    )


def _severity(mail: ParsedMail) -> tuple[Literal["hard", "soft", "unknown"], str]:
    """Hard for a permanent failure (5.x.x), soft for a transient one (4.x.x) or a delay."""
    statuses = [s for s in mail.delivery_status if s.status or s.action]
    for status in statuses:
        if status.status.startswith("5"):
            return "hard", status.status
    for status in statuses:
        if status.status.startswith("4") or status.action == "delayed":
            return "soft", status.status
    if any(s.action == "failed" for s in statuses):
        return "hard", ""
    if signals.DELAY_SUBJECT.search(mail.subject):
        return "soft", ""
    # Plain-text notices: "550 5.1.1 <ana@example.org>: user unknown", or a code alone.
    for pattern in (signals.SMTP_WITH_STATUS, signals.ENHANCED_STATUS):
        found = pattern.search(mail.text)
        if found and found.group("status")[0] in "45":
            return ("hard" if found.group("status")[0] == "5" else "soft"), found.group("status")
    code = signals.SMTP_CODE.search(mail.text)
    if code:
        return ("hard" if code.group(1).startswith("5") else "soft"), ""
    return "unknown", ""
