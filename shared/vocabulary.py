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
