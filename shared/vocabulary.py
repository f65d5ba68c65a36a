"""The stable codes of the product: tests, configuration and the directory use them."""

from typing import Final, Literal

RequesterType = Literal["worker", "employer"]
REQUESTER_TYPES: Final = ("worker", "employer")

TOPICS: Final = (
    "labour_market",
    "recognition",
    "language",
    "study",
    "vocational_training",
    "job_application",
    "employer_hiring",
    "living",
    "other",
)

TOPIC_LABELS: Final = {
    "labour_market": "labour market access",
    "recognition": "recognition of qualifications",
    "language": "German courses",
    "study": "studying",
    "vocational_training": "vocational training",
    "job_application": "job application",
    "employer_hiring": "hiring from abroad",
    "living": "living in the region",
    "other": "other",
}

# Languages the region's enquirers write in; the detector is limited to these.
REGION_LANGUAGES: Final = (
    "de",
    "en",
    "ar",
    "uk",
    "ru",
    "tr",
    "pl",
    "ro",
    "bg",
    "es",
    "pt",
    "fr",
    "it",
    "fa",
    "vi",
    "zh",
    "hi",
)

# A case's status (PRODUCT.md, "The case and its lifecycle").
CaseStatus = Literal["received", "triage", "assigned", "accepted", "waiting", "closed"]
CASE_STATUSES: Final = ("received", "triage", "assigned", "accepted", "waiting", "closed")
# The statuses that count against a manager's capacity: routing reads the same tuple.
OPEN_STATUSES: Final = ("assigned", "accepted", "waiting")
Outcome = Literal["advised", "referred", "no_response", "out_of_scope", "duplicate"]
OUTCOMES: Final = ("advised", "referred", "no_response", "out_of_scope", "duplicate")
CHANNELS: Final = ("web", "email", "api")
StaffRole = Literal["manager", "admin"]
STAFF_ROLES: Final = ("manager", "admin")

# Proper names of the region's districts, as mails and pages show them.
DISTRICT_NAMES: Final = {
    "braunschweig": "Braunschweig",
    "salzgitter": "Salzgitter",
    "wolfenbuettel": "Wolfenbüttel",
    "peine": "Peine",
    "goslar": "Goslar",
    "wolfsburg": "Wolfsburg",
    "gifhorn": "Gifhorn",
    "helmstedt": "Helmstedt",
}
