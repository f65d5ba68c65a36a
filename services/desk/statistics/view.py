"""The figures as the statistics page and the printable report show them: each breakdown
with its codes named in the page's language and drawn as a chart."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale
from markupsafe import Markup

from services.desk import labels
from services.desk.cases.names import Names
from services.desk.statistics.charts import bars, columns
from services.desk.statistics.figures import UNKNOWN

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    items: list[tuple[str, int]]  # (name, count), in the figures' order
    chart: Markup


def _namer(key: str, names: Names, language: str, _: Gettext) -> Callable[[str], str]:
    tables: dict[str, Mapping[str, str]] = {
        "by_channel": labels.CHANNEL,
        "by_requester_type": labels.REQUESTER,
        "by_topic": labels.TOPIC,
        "closed_by_outcome": labels.OUTCOME,
    }
    if key in tables:
        return lambda code: _(tables[key].get(code, code))
    if key == "by_language":
        known = Locale.parse(language).languages
        return lambda code: f"{known.get(code, code)} ({code})" if code != UNKNOWN else code
    if key == "by_district":
        return lambda code: labels.DISTRICT.get(code, code)
    if key == "by_site":
        return lambda code: names.sites.get(code, code)
    if key == "referrals_by_partner":
        return lambda code: names.partners.get(code, code)
    return lambda code: code


def breakdowns(
    found: Mapping[str, Any], names: Names, language: str, _: Gettext
) -> list[Breakdown]:
    shown = []
    for key, title in labels.BREAKDOWN.items():
        name = _namer(key, names, language, _)
        items = [
            (_(labels.UNKNOWN) if code == UNKNOWN else name(code), int(n))
            for code, n in found[key].items()
        ]
        draw = columns if key == "by_month" else bars
        shown.append(Breakdown(key, _(title), items, draw(items, title=_(title))))
    return shown


def key_figures(found: Mapping[str, Any], _: Gettext) -> list[tuple[str, int]]:
    return [(_(title), int(found[key])) for key, title in labels.FIGURE.items()]


def durations(found: Mapping[str, Any], _: Gettext) -> list[tuple[str, dict[str, Any]]]:
    return [(_(title), dict(found[key])) for key, title in labels.DURATION.items()]
