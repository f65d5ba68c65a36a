"""The routing reasons as they are stored: one pattern per kind, to write them and read them back.

A decision keeps its reasons as readable English lines that name managers, partners
and sites by id ("m-01: speaks es; focus recognition; 3/20 open"); `welcomedesk route`
prints them so, and the database holds them so. The routing code writes them with
`text`, and `parse` turns a stored line back into its kind and values, so that the
mails and the staff desk can say the same with names, in German or English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

# What a value of each field may look like; the directory's identifiers contain no
# spaces, colons or semicolons, which is what makes a stored line unambiguous.
_ID = r"[A-Za-z0-9][\w.-]*"
_CODE = r"[a-z][a-z_]*"
FIELDS: Final = {
    "manager": _ID,
    "partner": _ID,
    "site": _ID,
    "language": _CODE,
    "topic": _CODE,
    "district": _CODE,
    "requester": r"worker|employer",
    "how": r"[a-z][a-z ()]*[a-z)]",
    "open": r"\d+",
    "capacity": r"\d+",
    "date": r"\d{4}-\d{2}-\d{2}",
    "value": r".+",  # as the enquirer wrote it: a postal code, a town, quoted words
    "note": r"[^;()]+",  # what kind of reading a language is: outside the region, ...
    "confidence": r"\d\.\d\d",
}

# Each kind's line, as the routing engine writes it. Order matters only where two
# patterns could match one line: the first wins.
PATTERNS: Final = {
    # understanding (services/routing/understand.py, place.py)
    "language": "language {language} ({how})",
    "language_noted": "language {language} ({how}; {note})",
    "language_unsure": "language {language} unsure ({confidence}): {note}",
    "topic_unsure": "topic unsure ({confidence}): {value}",
    "requester_said": "{requester}, {how}: {value}",
    "requester": "{requester}, {how}",
    "topic_unclear": "topic other: no clear topic, for triage",
    "topic_mentions": "topic {topic}: mentions {value}",
    "topic_as_company": "topic {topic}: {value}, as a company writes",
    "district_postal_code": "district {district} from postal code {value}",
    "district_city": "district {district} from city {value}",
    "district_mentioned": "district {district}: {value} in the message",
    "district_unknown": "district unknown: no town of the region named as the enquirer's place",
    "district_outside": "district unknown: {value} is not in the region",
    "site_chosen": "site {site} chosen by the enquirer",
    "site_serves": "site {site} serves {district}",
    # the manager (services/routing/policy.py)
    "continuity": "continuity: this enquirer's earlier case is with {manager}",
    "continuity_lost": "continuity: earlier manager {manager} is not eligible "
    "or does not speak {language}",
    "triage": "nobody eligible: the case waits in the site's triage queue",
    "needs_interpreter": "no eligible manager speaks {language}: needs interpreter",
    "cross_site": "cross-site language match: nobody eligible at {site} speaks {language}",
    "other_site": "nobody eligible at {site}: another site's manager",
    # partners (services/routing/partners.py)
    "partner_local_speaks": "partner {partner}: {topic}, covers {district}, speaks {language}",
    "partner_local": "partner {partner}: {topic}, covers {district}",
    "partner_region_speaks": "partner {partner}: {topic}, region-wide, speaks {language}",
    "partner_region": "partner {partner}: {topic}, region-wide",
    "auto_referral": "referral to {partner}: automatic, enquirer consented",
    "no_consent": "no referral to {partner}: enquirer did not consent",
}

# Why a manager did not get a case (the decision's `excluded` list).
EXCLUSIONS: Final = {
    "inactive": "inactive",
    "absent": "absent until {date}",
    "at_capacity": "at capacity ({open}/{capacity})",
    "no_language": "does not speak {language}",
    "not_eligible": "not eligible",
    "other_site": "other site ({site})",
    "no_focus": "no focus on {topic}",
    "higher_load": "higher load ({open}/{capacity})",
    "more_recent": "assigned more recently",
    "ranked_lower": "ranked lower",
}

# The chosen manager's line: "m-01: speaks es; focus recognition; 3/20 open", each part
# optional but the load.
FIT_PARTS: Final = {
    "speaks": "speaks {language}",
    "focus": "focus {topic}",
    "generalist": "generalist",
    "load": "{open}/{capacity} open",
}
FIT: Final = "manager_fit"
UNKNOWN: Final = "unknown"
_FIT_LINE = re.compile(rf"({_ID}): (.+)")


@dataclass(frozen=True)
class Reason:
    """One stored line, read: its kind, the values its pattern names, and the line itself.

    `kind` is a key of PATTERNS, "excluded_" and a key of EXCLUSIONS, FIT (with `parts`),
    or UNKNOWN for a line no pattern knows (shown as it is)."""

    kind: str
    values: Mapping[str, str]
    text: str
    parts: tuple[Reason, ...] = field(default=())  # FIT: speaks, focus, generalist, load


def _compile(template: str) -> re.Pattern[str]:
    pieces = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        f"(?P<{piece}>{FIELDS[piece]})" if odd else re.escape(piece)
        for odd, piece in ((n % 2 == 1, p) for n, p in enumerate(pieces))
    )
    return re.compile(regex)


_COMPILED: Final = {kind: _compile(template) for kind, template in PATTERNS.items()}
_COMPILED_EXCLUSIONS: Final = {k: _compile(t) for k, t in EXCLUSIONS.items()}
_COMPILED_PARTS: Final = {k: _compile(t) for k, t in FIT_PARTS.items()}


def text(kind: str, **values: object) -> str:
    """The stored line of a reason: `text("cross_site", site="wolfsburg", language="ar")`."""
    return PATTERNS[kind].format(**values)


def exclusion_text(kind: str, **values: object) -> str:
    return EXCLUSIONS[kind].format(**values)


def fit_text(
    manager: str, *, language: str | None, focus: str | None, open_cases: int, capacity: int
) -> str:
    """The chosen manager's line; `focus` is a topic, "generalist", or None (no match)."""
    parts = [] if language is None else [FIT_PARTS["speaks"].format(language=language)]
    if focus == "generalist":
        parts.append(FIT_PARTS["generalist"])
    elif focus is not None:
        parts.append(FIT_PARTS["focus"].format(topic=focus))
    parts.append(FIT_PARTS["load"].format(open=open_cases, capacity=capacity))
    return f"{manager}: " + "; ".join(parts)


def _match(line: str, patterns: Mapping[str, re.Pattern[str]], prefix: str = "") -> Reason | None:
    for kind, pattern in patterns.items():
        found = pattern.fullmatch(line)
        if found:
            return Reason(prefix + kind, found.groupdict(), line)
    return None


def _fit(line: str) -> Reason | None:
    found = _FIT_LINE.fullmatch(line)
    if not found:
        return None
    parts: list[Reason] = []
    for piece in found.group(2).split("; "):
        part = _match(piece, _COMPILED_PARTS)
        if part is None:
            return None
        parts.append(part)
    if parts[-1].kind != "load":
        return None
    return Reason(FIT, {"manager": found.group(1)}, line, tuple(parts))


def parse(line: str) -> Reason:
    """The reason a stored line states; kind UNKNOWN when no pattern fits it."""
    return _match(line, _COMPILED) or _fit(line) or Reason(UNKNOWN, {}, line)


def parse_all(lines: Iterable[str]) -> tuple[Reason, ...]:
    return tuple(parse(line) for line in lines)


def parse_exclusion(manager: str, why: str) -> Reason:
    """Why `manager` did not get the case; its values name the manager too."""
    found = _match(why, _COMPILED_EXCLUSIONS, "excluded_")
    if found is None:
        return Reason(UNKNOWN, {"manager": manager}, why)
    return Reason(found.kind, {**found.values, "manager": manager}, why)
