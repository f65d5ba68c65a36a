"""Names of the desk's codes (statuses, outcomes, topics, history actions) in the UI's
language. `N_` marks them for the catalogue; the templates translate them when shown."""

from __future__ import annotations

from typing import Final

from shared import vocabulary


def N_(text: str) -> str:  # noqa: N802 - gettext's conventional name for "mark only"
    return text


STATUS: Final = {
    "received": N_("received"),
    "triage": N_("triage"),
    "assigned": N_("assigned"),
    "accepted": N_("accepted"),
    "waiting": N_("waiting for the enquirer"),
    "closed": N_("closed"),
}
OUTCOME: Final = {
    "advised": N_("advised"),
    "referred": N_("referred to a partner"),
    "no_response": N_("no response"),
    "out_of_scope": N_("out of scope"),
    "duplicate": N_("duplicate"),
}
TOPIC: Final = {
    "labour_market": N_("labour market access"),
    "recognition": N_("recognition of qualifications"),
    "language": N_("German courses"),
    "study": N_("studying"),
    "vocational_training": N_("vocational training"),
    "job_application": N_("job application"),
    "employer_hiring": N_("hiring from abroad"),
    "living": N_("living in the region"),
    "other": N_("other"),
}
REQUESTER: Final = {"worker": N_("person"), "employer": N_("company")}
CHANNEL: Final = {"web": N_("web form"), "email": N_("e-mail"), "api": N_("API")}
ACTION: Final = {
    "routed": N_("routed to a manager"),
    "triage": N_("put in the triage queue"),
    "accepted": N_("accepted"),
    "taken": N_("taken from triage"),
    "reassign_requested": N_("reassignment to the next manager requested"),
    "reassigned": N_("reassigned"),
    "referred": N_("referred to a partner"),
    "note_added": N_("note written"),
    "closed": N_("closed"),
    "reopened": N_("reopened"),
    "reopened_by_mail": N_("the enquirer wrote again: open again"),
    "replied": N_("answered the enquirer"),
    "corrected": N_("corrected what was understood"),
    "reminded": N_("reminded its manager: not accepted yet"),
    "escalated": N_("not accepted in time: to the next manager"),
    "triage_reminded": N_("reminded the team: waiting in triage"),
}
THREAD_KIND: Final = {
    "enquiry": N_("enquiry"),
    "new": N_("enquiry by e-mail"),
    "follow_up": N_("mail from the enquirer"),
    "bounce": N_("delivery failure"),
    "auto_reply": N_("automatic reply"),
    "note": N_("internal note"),
    "reply": N_("reply to the enquirer"),
}
DELIVERY_KIND: Final = {
    "confirmation": N_("confirmation to the enquirer"),
    "manager": N_("case mail to the manager"),
    "triage": N_("triage notice to the team"),
    "referral": N_("referral to a partner"),
    "follow_up": N_("notice of the enquirer's mail"),
    "reply": N_("reply to the enquirer"),
    "reminder": N_("reminder to the manager"),
    "escalation": N_("reassignment notice to the team"),
    "triage_reminder": N_("triage reminder to the team"),
}
DELIVERY_STATUS: Final = {
    "pending": N_("queued"),
    "failed": N_("failed, being retried"),
    "sent": N_("sent"),
    "bounced": N_("bounced"),
    "dead": N_("failed for good"),
    "suppressed": N_("not sent"),
}
DONE: Final = {
    "accepted": N_("You accepted the case."),
    "taken": N_("The case is yours now."),
    "reassigned": N_("The case was reassigned; its new manager gets the case mail."),
    "reassign_requested": N_(
        "The case goes to the next manager the routing policy picks; they get the case mail."
    ),
    "referred": N_("The partner gets the referral mail."),
    "already_referred": N_("This partner had the referral already; nothing was sent again."),
    "note_added": N_("Your note is on the case."),
    "closed": N_("The case is closed."),
    "reopened": N_("The case is open again."),
    "replied": N_("Your reply is on its way; the case now waits for the enquirer."),
    "corrected": N_("The correction is saved."),
}
# The directory's fields (admin/fields.py names them as the directory file does).
FIELD: Final = {
    "code": N_("Code"),
    "id": N_("Id"),
    "name": N_("Name"),
    "team_email": N_("Team e-mail address"),
    "email": N_("E-mail address"),
    "districts": N_("Districts"),
    "site": N_("Site"),
    "languages": N_("Languages"),
    "topics": N_("Topics"),
    "capacity": N_("Capacity"),
    "active": N_("Active: gets new cases"),
    "absences": N_("Absences"),
    "target_groups": N_("Target groups"),
    "auto_refer": N_("Refer at once when it is the top suggestion and the enquirer consented"),
    "timezone": N_("Time zone"),
    "hours": N_("Office hours"),
    "closures": N_("Closures (besides Lower Saxony's public holidays)"),
    "accept_within": N_("A case is accepted within (office hours)"),
    "triage_within": N_("A case waits in triage at most (office hours)"),
}
WEEKDAY: Final = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
FIELD_HINT: Final = {
    "code": N_("Letters, digits, '.', '_' or '-'; it cannot be changed later."),
    "id": N_("Letters, digits, '.', '_' or '-'; it cannot be changed later."),
    "languages": N_("Language codes (ISO 639-1), separated by commas: de, en, ar"),
    "managers.topics": N_("The manager's focus; none ticked: a generalist for every topic."),
    "partners.topics": N_("At least one."),
    "target_groups": N_("At least one."),
    "capacity": N_("The most open cases at once (assigned, accepted or waiting)."),
    "sites.districts": N_("The districts whose enquiries go to this site."),
    "partners.districts": N_("None ticked: the whole region."),
    "timezone": N_("Empty: Europe/Berlin."),
    "hours": N_(
        "Per day, ranges such as 09:00-12:30, 13:30-16:00; a day left empty is closed. "
        "Every day empty: Monday to Friday, 09:00-17:00."
    ),
    "accept_within": N_(
        "Empty: the centre's default. Half of it, the manager is reminded; then the case "
        "goes to the next manager."
    ),
    "triage_within": N_("Empty: the centre's default. Then the team is reminded."),
}
SECTION: Final = {
    "sites": N_("Sites"),
    "managers": N_("Managers"),
    "partners": N_("Partners"),
}
# The export's document and the audit log.
TOLD_US: Final = {
    "name": N_("Name"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "company": N_("Company"),
    "postal_code": N_("Postal code"),
    "city": N_("Town or city"),
    "country": N_("Country"),
    "preferred_language": N_("Language of our answer"),
    "preferred_site": N_("Site chosen"),
    "requester_type": N_("Writing as"),
    "subject": N_("Subject"),
    "message": N_("Message"),
}
REFERRAL_DATA: Final = {
    "reference": N_("the case's reference"),
    "name": N_("your name"),
    "email": N_("your e-mail address"),
    "phone": N_("your phone number"),
    "language": N_("your language"),
    "topics": N_("the topics of your enquiry"),
    "subject": N_("its subject"),
    "excerpt": N_("the beginning of your message (300 characters at most)"),
}
WHO: Final = {
    "manager": N_("a manager"),
    "administrator": N_("an administrator"),
    "routing": N_("the routing service"),
    "enquirer": N_("you (your mail)"),
    "staff": N_("staff"),
    "cli": N_("an administrator (command line)"),
    "system": N_("the system"),
    "token": N_("a manager's program"),
}
AUDIT_ACTION: Final = {
    "case_read": N_("looked at the case"),
    "attachment_read": N_("downloaded a file"),
    "case_changed": N_("changed the case"),
    "case_exported": N_("exported the data"),
    "case_erased": N_("erased the data"),
    "sign_in": N_("signed in"),
    "sign_in_failed": N_("sign-in failed"),
    "second_factor_failed": N_("wrong second-factor code"),
    "export": N_("export of one person's data"),
    "erasure": N_("erasure of one person's data"),
    "retention": N_("retention sweep"),
    "directory_changed": N_("changed the directory"),
    "reply_template_changed": N_("changed a reply template"),
    "staff_account_changed": N_("changed a staff account"),
}
ERASURE_REASON: Final = {
    "request": N_("the person asked for it (Art. 17(1)(a) GDPR)"),
    "withdrawn": N_("the person withdrew their consent (Art. 17(1)(b))"),
    "objection": N_("the person objected (Art. 17(1)(c))"),
    "unlawful": N_("it was processed unlawfully (Art. 17(1)(d))"),
    "obligation": N_("a legal obligation requires it (Art. 17(1)(e))"),
    "stated": N_("another reason, stated in words that are not kept"),
}
# The statistics page and report.
FIGURE: Final = {
    "contacts": N_("contacts (enquiries)"),
    "persons": N_("persons (distinct enquirers)"),
    "first_contacts": N_("first contacts"),
    "follow_ups": N_("follow-ups (an enquirer's later contacts)"),
    "companies": N_("companies (employer enquiries)"),
    "needs_interpreter": N_("interpreter needed"),
    "referrals": N_("referrals to partners"),
    "closed": N_("closed cases"),
}
BREAKDOWN: Final = {
    "by_month": N_("Contacts by month"),
    "by_channel": N_("By channel"),
    "by_requester_type": N_("By requester type"),
    "by_language": N_("By language"),
    "by_topic": N_("By topic (primary)"),
    "by_district": N_("By district"),
    "by_site": N_("By site"),
    "closed_by_outcome": N_("Closed cases by outcome"),
    "referrals_by_partner": N_("Referrals by partner"),
}
DURATION: Final = {
    "time_to_first_response": N_("Time to first response"),
    "time_to_closing": N_("Time to closing"),
}
UNKNOWN: Final = N_("unknown")
DISTRICT: Final = vocabulary.DISTRICT_NAMES  # proper names, not translated
