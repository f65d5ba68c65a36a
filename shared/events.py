"""Events between services: small typed messages, named in the past tense.

Services know each other by task name, never by import: intake publishes
`EnquiryReceived` to the routing task by its name; routing publishes
`EnquiryRouted` to the notifications service, which sends every mail the decision
calls for; `MailRequested` asks for one more mail (a manager's referral, a re-send);
`ReassignmentRequested` asks the routing service for the next manager of a case.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Final

# Task names (the broker's addresses) and their queues.
ROUTE_ENQUIRY: Final = "routing.route_enquiry"
NOTIFY_ROUTED: Final = "notifications.enquiry_routed"
SEND_MAIL: Final = "notifications.send_mail"
RELAY_OUTBOX: Final = "outbox.relay"
POLL_MAILBOXES: Final = "intake.poll_mailboxes"  # beat's, when e-mail intake is configured
REASSIGN_CASE: Final = "routing.reassign_case"
ESCALATE: Final = "routing.escalate"  # beat's, every minute: the office-hours timers
REFRESH_SUGGESTIONS: Final = "routing.refresh_suggestions"
PRIVACY_RETENTION: Final = "privacy.retention"  # beat's daily sweep
QUEUES: Final = {
    REFRESH_SUGGESTIONS: "routing",
    ROUTE_ENQUIRY: "routing",
    REASSIGN_CASE: "routing",
    ESCALATE: "routing",
    NOTIFY_ROUTED: "notifications",
    SEND_MAIL: "notifications",
    RELAY_OUTBOX: "routing",
    PRIVACY_RETENTION: "routing",
    POLL_MAILBOXES: "mail",
}


@dataclass(frozen=True)
class Event:
    task: ClassVar[str]
    correlation_id: str

    def payload(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EnquiryReceived(Event):
    task: ClassVar[str] = ROUTE_ENQUIRY
    enquiry_id: int


@dataclass(frozen=True)
class EnquiryRouted(Event):
    """A decision is stored: the enquirer, the manager or the site's team and an
    auto-referred partner are to hear of it."""

    task: ClassVar[str] = NOTIFY_ROUTED
    enquiry_id: int


@dataclass(frozen=True)
class MailRequested(Event):
    """A delivery row is ready to be sent (confirmation, manager, triage, referral)."""

    task: ClassVar[str] = SEND_MAIL
    delivery_id: int


@dataclass(frozen=True)
class ReassignmentRequested(Event):
    """Staff asked for a case to go to the next manager the policy picks (never back to
    `previous_manager`); `request_id` is the history entry that asked, so that a
    redelivered event does nothing twice."""

    task: ClassVar[str] = REASSIGN_CASE
    enquiry_id: int
    request_id: int
    previous_manager: str | None


@dataclass(frozen=True)
class UnderstandingCorrected(Event):
    """Staff corrected what was understood of a case: the partners suggested for it are
    chosen again from the corrected values (nobody is referred by this)."""

    task: ClassVar[str] = REFRESH_SUGGESTIONS
    enquiry_id: int
