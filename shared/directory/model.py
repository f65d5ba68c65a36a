"""Directory entries as validated values; the YAML format of the product brief."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated
from zoneinfo import ZoneInfo

from babel import localedata
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from shared.calendar import WEEKDAYS, OfficeCalendar, clock, overlap, parse_range
from shared.vocabulary import REQUESTER_TYPES, TOPICS


def _language_code(code: str) -> str:
    code = code.strip().lower()
    if len(code) != 2 or not code.isalpha() or not localedata.exists(code):
        raise ValueError(f"{code!r} is not an ISO 639-1 language code")
    return code


def _topic(code: str) -> str:
    if code not in TOPICS:
        raise ValueError(f"{code!r} is not a topic (one of {', '.join(TOPICS)})")
    return code


def _requester_type(code: str) -> str:
    if code not in REQUESTER_TYPES:
        raise ValueError(f"{code!r} is not a target group (worker or employer)")
    return code


def _one_line(text: str) -> str:
    # Names go into mail headers (a manager's name in From, a partner's in To): a line
    # break or another control character has no place there.
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text):
        raise ValueError("one line of text, without control characters")
    if not text.strip():
        raise ValueError("write a name")
    return text.strip()


def _weekday(code: str) -> str:
    if code not in WEEKDAYS:
        raise ValueError(f"{code!r} is not a weekday (one of {', '.join(WEEKDAYS)})")
    return code


def _time_range(text: str) -> str:
    parse_range(text)
    return text


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"{name!r} is not a time zone such as Europe/Berlin") from exc
    return name


LanguageCode = Annotated[str, AfterValidator(_language_code)]
TopicCode = Annotated[str, AfterValidator(_topic)]
TargetGroup = Annotated[str, AfterValidator(_requester_type)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][\w.-]*$")]
# As long as the tables' columns hold.
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
Weekday = Annotated[str, AfterValidator(_weekday)]
TimeRange = Annotated[str, AfterValidator(_time_range)]
TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_time_zone)]
# Office hours for a timer: more than a minute, less than a working year.
OfficeHours = Annotated[float, Field(gt=0, le=2000)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Period(_Entry):
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")

    @model_validator(mode="after")
    def _ends_after_start(self) -> _Period:
        if self.end < self.start:
            what = type(self).__name__.lower()
            raise ValueError(f"{what} ends ({self.end}) before it starts ({self.start})")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Absence(_Period):
    pass


class Closure(_Period):
    pass


class Site(_Entry):
    code: Identifier
    name: Name
    team_email: EmailStr
    districts: tuple[str, ...] = ()
    # Office hours for the escalation timers and response times: the site's time zone,
    # its weekly hours (none: Monday to Friday 09:00-17:00; a weekday missing is closed),
    # closures besides Lower Saxony's public holidays, and the timers' own limits
    # (office hours; none: the settings' defaults).
    timezone: TimeZone | None = None
    hours: dict[Weekday, tuple[TimeRange, ...]] | None = None
    closures: tuple[Closure, ...] = ()
    accept_within: OfficeHours | None = None
    triage_within: OfficeHours | None = None

    @field_validator("hours")
    @classmethod
    def _no_overlaps(
        cls, hours: dict[str, tuple[str, ...]] | None
    ) -> dict[str, tuple[str, ...]] | None:
        for day, ranges in (hours or {}).items():
            clash = overlap([parse_range(r) for r in ranges])
            if clash is not None:
                first, second = ("-".join(map(clock, r)) for r in clash)
                raise ValueError(f"{day}: ranges {first} and {second} overlap")
        return hours

    @property
    def calendar(self) -> OfficeCalendar:
        closures = [{"from": c.start.isoformat(), "to": c.end.isoformat()} for c in self.closures]
        return OfficeCalendar.from_directory(self.timezone, self.hours, closures)


class Manager(_Entry):
    id: Identifier
    name: Name
    email: EmailStr
    site: str
    languages: tuple[LanguageCode, ...] = Field(min_length=1)
    topics: tuple[TopicCode, ...] = ()
    capacity: int = Field(ge=0, le=10_000)
    active: bool = True
    absences: tuple[Absence, ...] = ()
    open_cases: int = Field(default=0, ge=0)

    def absent_on(self, day: dt.date) -> Absence | None:
        return next((a for a in self.absences if a.covers(day)), None)

    @property
    def generalist(self) -> bool:
        return not self.topics


class Partner(_Entry):
    id: Identifier
    name: Name
    email: EmailStr
    topics: tuple[TopicCode, ...] = Field(min_length=1)
    target_groups: tuple[TargetGroup, ...] = Field(min_length=1)
    languages: tuple[LanguageCode, ...] = ()
    districts: tuple[str, ...] = ()
    auto_refer: bool = False

    def covers(self, district: str | None) -> bool:
        """A partner with no districts covers the whole region."""
        return not self.districts or (district is not None and district in self.districts)


class Directory(_Entry):
    sites: tuple[Site, ...] = Field(min_length=1)
    managers: tuple[Manager, ...] = ()
    partners: tuple[Partner, ...] = ()

    def site_of_district(self, district: str | None) -> str | None:
        if district is None:
            return None
        return next((s.code for s in self.sites if district in s.districts), None)

    def site(self, code: str) -> Site | None:
        return next((s for s in self.sites if s.code == code), None)
