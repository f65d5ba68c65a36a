"""Routing reasons: stored as readable lines with ids, read back into kinds and values, and
said with names in German or English, for the mails and the staff desk alike.

    from shared import reasons
    # `load_names` (shared.reasons.names) reads the database: it is not imported here, so that
# `welcomedesk route`, whose policy writes reasons, starts without the ORM.
    names = load_names(session, reasons.referenced(reasons.parse_all(row.reasons)))
    lines = reasons.render_all(row.reasons, names, "de")
    why = [reasons.render_exclusion(e["manager"], e["why"], names, "en") for e in row.excluded]
"""

# `load_names` (shared.reasons.names) reads the database: it is not imported here, so that
# `welcomedesk route`, whose policy writes reasons, starts without the ORM.
from shared.reasons.patterns import (
    FIT,
    UNKNOWN,
    Reason,
    exclusion_text,
    fit_text,
    parse,
    parse_all,
    parse_exclusion,
    text,
)
from shared.reasons.render import (
    STAFF_LANGUAGES,
    Names,
    Refs,
    StaffLanguage,
    referenced,
    render,
    render_all,
    render_exclusion,
)

__all__ = [
    "FIT",
    "STAFF_LANGUAGES",
    "UNKNOWN",
    "Names",
    "Reason",
    "Refs",
    "StaffLanguage",
    "exclusion_text",
    "fit_text",
    "parse",
    "parse_all",
    "parse_exclusion",
    "referenced",
    "render",
    "render_all",
    "render_exclusion",
    "text",
]
