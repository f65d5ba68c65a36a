"""The mails a routing decision calls for, planned once and sent in one run.

`enquiry.routed` asks for them all at once: the manager's case (or the site
team's triage notice), the enquirer's confirmation and an auto-referred
partner's referral. Each is a delivery row, written before anything is sent, so
a run that is repeated (a redelivered event, a retry) finds them and sends only
what has not gone out; each sent mail is committed on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from services.notifications.cases import Contact, LoadedCase, load_case
from services.notifications.deliveries import Delivery, add_deliveries, deliveries_of
from services.notifications.mailer import TRANSIENT_ERRORS, Mailer
from services.notifications.service import (
    MailPolicy,
    new_message_key,
    note_failure,
    send_delivery,
)

ROUTED_KINDS = ("manager", "triage", "confirmation", "referral")


@dataclass(frozen=True)
class Wanted:
    kind: str
    recipient: Contact
    partner_id: str | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        return self.kind, self.recipient.address.lower(), self.partner_id


def wanted_mails(
    *,
    enquirer: Contact | None,
    manager: Contact | None,
    team: Contact | None,
    partners: list[tuple[str, Contact]],
) -> list[Wanted]:
    """The case to its manager first (else the site's triage), then the enquirer's
    confirmation, then each auto-referred partner."""
    wanted: list[Wanted] = []
    if manager is not None:
        wanted.append(Wanted("manager", manager))
    elif team is not None:
        wanted.append(Wanted("triage", team))
    if enquirer is not None:
        wanted.append(Wanted("confirmation", enquirer))
    wanted += [Wanted("referral", contact, partner_id) for partner_id, contact in partners]
    return wanted


@dataclass
class Notified:
    reference: str
    outcomes: list[tuple[int, str, str]] = field(default_factory=list)  # id, kind, outcome

    @property
    def sent(self) -> int:
        return sum(1 for _, _, outcome in self.outcomes if outcome == "sent")

    @property
    def failed(self) -> list[int]:
        """Deliveries to try again (or, on the last attempt, dead letters now)."""
        return [d for d, _, outcome in self.outcomes if outcome in ("failed", "dead")]


def plan_deliveries(session: Session, loaded: LoadedCase) -> list[Delivery]:
    """The decision's deliveries in sending order, adding those not written yet."""
    wanted = wanted_mails(
        enquirer=loaded.enquirer,
        manager=loaded.manager,
        team=loaded.team,
        partners=[(p.id, Contact(p.email, p.name)) for p in loaded.view.referred],
    )
    existing = {
        (d.kind, d.recipient.lower(), d.partner_id): d
        for d in deliveries_of(session, loaded.enquiry_id)
        if d.kind in ROUTED_KINDS
    }
    planned: list[Delivery] = []
    new: list[Delivery] = []
    for mail in wanted:
        delivery = existing.get(mail.key)
        if delivery is None:
            delivery = Delivery(
                id=0,
                enquiry_id=loaded.enquiry_id,
                kind=mail.kind,
                recipient=mail.recipient.address,
                recipient_name=mail.recipient.name or None,
                partner_id=mail.partner_id,
                status="pending",
                message_id=new_message_key(),
                attempts=0,
            )
            new.append(delivery)
        planned.append(delivery)
    add_deliveries(session, new)
    return planned


def notify_routed(
    sessions: sessionmaker[Session],
    *,
    enquiry_id: int,
    mailer: Mailer,
    policy: MailPolicy,
    final: bool,
) -> Notified:
    """Plans the decision's mails (one transaction), then sends each one not yet sent
    (one transaction each). A mail the server refuses is recorded as failed, or as a
    dead letter when `final`; the others still go out."""
    with sessions() as session:
        with session.begin():
            loaded = load_case(session, enquiry_id, base_url=policy.base_url, for_update=True)
            if loaded is None:
                raise LookupError(f"enquiry {enquiry_id} does not exist")
            planned = plan_deliveries(session, loaded)
        notified = Notified(loaded.view.reference)
        for delivery in planned:
            if not delivery.unsent:
                continue
            with session.begin():
                try:
                    outcome = send_delivery(
                        session, delivery, loaded.view, mailer=mailer, policy=policy
                    )
                except TRANSIENT_ERRORS as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    note_failure(session, delivery, error=error, final=final)
                    outcome = delivery.status
            notified.outcomes.append((delivery.id, delivery.kind, outcome))
    return notified
