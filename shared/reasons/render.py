"""Routing reasons as a manager reads them: names instead of ids, in German or English.

`render(reason, names, "de")` words one parsed reason; `Names` maps the ids a reason
quotes to the directory's names (`names.load_names` reads them). A line no pattern
knows is shown as it is, so a reason is never lost, only left in English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from babel import Locale
from babel.dates import format_date

from shared.reasons.patterns import FIT, UNKNOWN, Reason, parse, parse_exclusion
from shared.vocabulary import DISTRICT_NAMES, TOPIC_LABELS, TOPIC_LABELS_DE

StaffLanguage = Literal["de", "en"]
STAFF_LANGUAGES: Final[tuple[StaffLanguage, ...]] = ("de", "en")


@dataclass(frozen=True)
class Names:
    """The directory's names for the ids reasons quote; an id without a name stays an id."""

    managers: Mapping[str, str] = field(default_factory=dict)
    partners: Mapping[str, str] = field(default_factory=dict)
    sites: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Refs:
    """The ids and codes a set of reasons quotes: what to look up for their names."""

    managers: frozenset[str]
    partners: frozenset[str]
    sites: frozenset[str]


WORDINGS: Final[Mapping[str, Mapping[StaffLanguage, str]]] = {
    "language": {"de": "Sprache {language} ({how})", "en": "language {language} ({how})"},
    "language_noted": {
        "de": "Sprache {language} ({how}; {note})",
        "en": "language {language} ({how}; {note})",
    },
    "language_unsure": {
        "de": "Sprache {language} unsicher ({confidence}): {note}",
        "en": "language {language} unsure ({confidence}): {note}",
    },
    "topic_unsure": {
        "de": "Thema unsicher ({confidence}): {value}",
        "en": "topic unsure ({confidence}): {value}",
    },
    "requester_said": {"de": "{requester}, {how}: {value}", "en": "{requester}, {how}: {value}"},
    "requester": {"de": "{requester}, {how}", "en": "{requester}, {how}"},
    "topic_unclear": {
        "de": "Thema Sonstiges: kein klares Thema, für die Triage",
        "en": "topic other: no clear topic, for triage",
    },
    "topic_mentions": {
        "de": "Thema {topic}: erwähnt {value}",
        "en": "topic {topic}: mentions {value}",
    },
    "topic_as_company": {
        "de": "Thema {topic}, da ein Unternehmen schreibt",
        "en": "topic {topic}, as a company writes",
    },
    "district_postal_code": {
        "de": "Bezirk {district} nach der Postleitzahl {value}",
        "en": "district {district} from the postal code {value}",
    },
    "district_city": {
        "de": "Bezirk {district} nach dem Ort {value}",
        "en": "district {district} from the town {value}",
    },
    "district_mentioned": {
        "de": "Bezirk {district}: {value} in der Nachricht",
        "en": "district {district}: {value} in the message",
    },
    "district_unknown": {
        "de": "Bezirk unbekannt: kein Ort der Region als Wohn- oder Arbeitsort genannt",
        "en": "district unknown: no town of the region named as the enquirer's place",
    },
    "district_outside": {
        "de": "Bezirk unbekannt: {value} liegt nicht in der Region",
        "en": "district unknown: {value} is not in the region",
    },
    "site_chosen": {
        "de": "Standort {site}, von der anfragenden Person gewählt",
        "en": "site {site}, chosen by the enquirer",
    },
    "site_serves": {
        "de": "Standort {site}, zuständig für {district}",
        "en": "site {site}, which serves {district}",
    },
    "continuity": {
        "de": "Kontinuität: die frühere Anfrage dieser Person liegt bei {manager}",
        "en": "continuity: this enquirer's earlier case is with {manager}",
    },
    "continuity_lost": {
        "de": "Kontinuität: {manager} hatte die frühere Anfrage, ist aber nicht verfügbar "
        "oder spricht kein {language}",
        "en": "continuity: {manager} had the earlier case but is not eligible "
        "or does not speak {language}",
    },
    "triage": {
        "de": "niemand verfügbar: die Anfrage wartet in der Triage des Standorts",
        "en": "nobody eligible: the case waits in the site's triage queue",
    },
    "needs_interpreter": {
        "de": "niemand Verfügbares spricht {language}: Dolmetschung nötig",
        "en": "no eligible manager speaks {language}: an interpreter is needed",
    },
    "cross_site": {
        "de": "anderer Standort wegen der Sprache: bei {site} spricht niemand Verfügbares "
        "{language}",
        "en": "cross-site language match: nobody eligible at {site} speaks {language}",
    },
    "other_site": {
        "de": "bei {site} ist niemand verfügbar: Managerin oder Manager eines anderen Standorts",
        "en": "nobody eligible at {site}: a manager of another site",
    },
    "partner_local_speaks": {
        "de": "Partner {partner}: {topic}, zuständig für {district}, spricht {language}",
        "en": "partner {partner}: {topic}, covers {district}, speaks {language}",
    },
    "partner_local": {
        "de": "Partner {partner}: {topic}, zuständig für {district}",
        "en": "partner {partner}: {topic}, covers {district}",
    },
    "partner_region_speaks": {
        "de": "Partner {partner}: {topic}, für die ganze Region, spricht {language}",
        "en": "partner {partner}: {topic}, whole region, speaks {language}",
    },
    "partner_region": {
        "de": "Partner {partner}: {topic}, für die ganze Region",
        "en": "partner {partner}: {topic}, whole region",
    },
    "auto_referral": {
        "de": "Vermittlung an {partner}: automatisch, mit Einwilligung der anfragenden Person",
        "en": "referral to {partner}: automatic, the enquirer consented",
    },
    "no_consent": {
        "de": "keine Vermittlung an {partner}: die anfragende Person hat nicht eingewilligt",
        "en": "no referral to {partner}: the enquirer did not consent",
    },
    # the chosen manager's parts
    "speaks": {"de": "spricht {language}", "en": "speaks {language}"},
    "focus": {"de": "Schwerpunkt {topic}", "en": "focus {topic}"},
    "generalist": {"de": "ohne Schwerpunkt, für alle Themen", "en": "generalist, all topics"},
    "load": {"de": "{open} von {capacity} Fällen offen", "en": "{open} of {capacity} cases open"},
    # why another manager did not get the case
    "excluded_inactive": {"de": "nicht aktiv", "en": "not active"},
    "excluded_absent": {"de": "abwesend bis {date}", "en": "absent until {date}"},
    "excluded_at_capacity": {
        "de": "ausgelastet ({open} von {capacity} Fällen offen)",
        "en": "at capacity ({open} of {capacity} cases open)",
    },
    "excluded_no_language": {"de": "spricht kein {language}", "en": "does not speak {language}"},
    "excluded_not_eligible": {"de": "nicht verfügbar", "en": "not eligible"},
    "excluded_other_site": {"de": "anderer Standort ({site})", "en": "another site ({site})"},
    "excluded_no_focus": {"de": "kein Schwerpunkt {topic}", "en": "no focus on {topic}"},
    "excluded_higher_load": {
        "de": "höher ausgelastet ({open} von {capacity} Fällen offen)",
        "en": "higher load ({open} of {capacity} cases open)",
    },
    "excluded_more_recent": {"de": "zuletzt später zugewiesen", "en": "assigned more recently"},
    "excluded_ranked_lower": {"de": "nachrangig", "en": "ranked lower"},
}

_HOW: Final[Mapping[str, Mapping[StaffLanguage, str]]] = {
    "declared": {"de": "angegeben", "en": "declared"},
    "detected": {"de": "erkannt", "en": "detected"},
    "script": {"de": "an der Schrift erkannt", "en": "from the script"},
    "default": {"de": "Voreinstellung", "en": "default"},
    "words": {"de": "an häufigen Wörtern erkannt", "en": "from common words"},
    "given in the form": {"de": "im Formular angegeben", "en": "given in the form"},
    "writes as a person": {"de": "schreibt als Person", "en": "writes as a person"},
    "writes as a company": {"de": "schreibt als Unternehmen", "en": "writes as a company"},
    "writes as a company (company given)": {
        "de": "schreibt als Unternehmen (Unternehmen angegeben)",
        "en": "writes as a company (company given)",
    },
}
# What kind of reading a language is (services/routing/language.py's notes).
_NOTES: Final[Mapping[str, Mapping[StaffLanguage, str]]] = {
    "outside the region's languages": {
        "de": "keine der Sprachen der Region",
        "en": "outside the region's languages",
    },
    "written in Latin letters": {
        "de": "in lateinischen Buchstaben geschrieben",
        "en": "written in Latin letters",
    },
    "too little text: German and English": {
        "de": "zu wenig Text: Deutsch und Englisch",
        "en": "too little text: German and English",
    },
    "too little text to be sure": {
        "de": "zu wenig Text, um sicher zu sein",
        "en": "too little text to be sure",
    },
}
_REQUESTERS: Final[Mapping[str, Mapping[StaffLanguage, str]]] = {
    "worker": {"de": "Person", "en": "person"},
    "employer": {"de": "Unternehmen", "en": "company"},
}
_TOPICS: Final[Mapping[StaffLanguage, Mapping[str, str]]] = {
    "de": TOPIC_LABELS_DE,
    "en": TOPIC_LABELS,
}
_DATE_LOCALES: Final[Mapping[StaffLanguage, str]] = {"de": "de_DE", "en": "en_GB"}


def _language_name(code: str, language: StaffLanguage) -> str:
    return Locale.parse(language).languages.get(code) or code


def _date(value: str, language: StaffLanguage) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return format_date(day, format="long", locale=_DATE_LOCALES[language])


def _words(names: Names, language: StaffLanguage) -> Mapping[str, Callable[[str], str]]:
    """How each field of a pattern is said, by field name."""
    return {
        "manager": lambda v: names.managers.get(v, v),
        "partner": lambda v: names.partners.get(v, v),
        "site": lambda v: names.sites.get(v, v),
        "language": lambda v: _language_name(v, language),
        "topic": lambda v: _TOPICS[language].get(v, v),
        "district": lambda v: DISTRICT_NAMES.get(v, v),
        "requester": lambda v: _REQUESTERS.get(v, {}).get(language, v),
        "how": lambda v: _HOW.get(v, {}).get(language, v),
        "note": lambda v: _NOTES.get(v, {}).get(language, v),
        "date": lambda v: _date(v, language),
    }


def render(reason: Reason, names: Names, language: StaffLanguage) -> str:
    """One reason in German or English, with names; an unknown line as it is."""
    wording = WORDINGS.get(reason.kind, {}).get(language)
    if reason.kind == FIT:
        parts = "; ".join(render(part, names, language) for part in reason.parts)
        return f"{names.managers.get(reason.values['manager'], reason.values['manager'])}: {parts}"
    if reason.kind == UNKNOWN or wording is None:
        return reason.text
    say = _words(names, language)
    return wording.format(
        **{key: say[key](value) if key in say else value for key, value in reason.values.items()}
    )


def render_all(lines: Iterable[str], names: Names, language: StaffLanguage) -> list[str]:
    """Stored reason lines, each in the language, with names."""
    return [render(parse(line), names, language) for line in lines]


def render_exclusion(manager: str, why: str, names: Names, language: StaffLanguage) -> str:
    """'Lucía Fernández: abwesend bis 3. Januar 2027' for one entry of `excluded`."""
    said = render(parse_exclusion(manager, why), names, language)
    return f"{names.managers.get(manager, manager)}: {said}"


def referenced(reasons: Iterable[Reason]) -> Refs:
    """Every manager, partner and site the reasons quote."""
    found: dict[str, set[str]] = {"manager": set(), "partner": set(), "site": set()}
    for reason in reasons:
        for part in (reason, *reason.parts):
            for key, ids in found.items():
                if key in part.values:
                    ids.add(part.values[key])
    return Refs(frozenset(found["manager"]), frozenset(found["partner"]), frozenset(found["site"]))
