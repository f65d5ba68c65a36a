"""Words the data holds that an enquirer or a partner reads in their own language: the centre's
and its sites' names, and the topics. The catalogues translate them like any template text.

A name the catalogues do not know (a site added to the directory later, a sender name set
by the operator) is shown as it is written.
"""

from __future__ import annotations

from typing import Final

from babel.support import Translations


def N_(message: str) -> str:  # noqa: N802 - gettext's marker name; babel extracts it
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


# The demo directory's and the default settings' names (WELCOMEDESK_MAIL_FROM_NAME).
NAMES: Final = (
    N_("Welcome Center Region Braunschweig-Wolfsburg"),
    N_("Welcome Center Braunschweig"),
    N_("Welcome Center Wolfsburg"),
)


# What an enquiry is about, as the enquirer and a partner read it.
TOPICS: Final = {
    "labour_market": N_("access to the labour market and work permits"),
    "recognition": N_("recognition of foreign qualifications"),
    "language": N_("German courses"),
    "study": N_("studying in Germany"),
    "vocational_training": N_("vocational training"),
    "job_application": N_("applying for jobs"),
    "employer_hiring": N_("hiring staff from abroad"),
    "living": N_("living in the region"),
    "other": N_("other questions"),
}


def name(translations: Translations, written: str | None) -> str | None:
    """A name as the catalogue says it in the mail's language, else as written."""
    return translations.gettext(written) if written else written


def topic(translations: Translations, code: str) -> str:
    return translations.gettext(TOPICS[code]) if code in TOPICS else code
