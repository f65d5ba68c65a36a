"""Which partner organisations to suggest for a case. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shared import reasons
from shared.directory import Partner

MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Suggestion:
    partners: tuple[Partner, ...]
    referral: Partner | None  # referred at once: top suggestion, auto_refer, consent given
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Fits:
    """The partners fitting one topic and enquirer, ready to answer for any language."""

    first: tuple[Partner, ...]  # the first few in order, whatever they speak
    speakers: dict[str, tuple[Partner, ...]]  # the first few speakers of each language
    answers: dict[str, tuple[Partner, ...]] = field(default_factory=dict)  # best, by language

    @classmethod
    def of(cls, topic: str, partners: Iterable[Partner]) -> _Fits:
        # Local before region-wide; a partner that names the topic first is a specialist.
        ordered = sorted(partners, key=lambda p: (not p.districts, p.topics.index(topic), p.id))
        speakers: dict[str, list[Partner]] = {}
        for partner in ordered:
            for language in partner.languages:
                found = speakers.setdefault(language, [])
                if len(found) < MAX_SUGGESTIONS:
                    found.append(partner)
        first = tuple(ordered[: MAX_SUGGESTIONS * 2])
        return cls(first, {k: tuple(v) for k, v in speakers.items()})

    def best(self, language: str) -> tuple[Partner, ...]:
        found = self.answers.get(language)
        if found is None:
            chosen = list(self.speakers.get(language, ()))
            taken = {p.id for p in chosen}
            chosen.extend(p for p in self.first if p.id not in taken)
            found = self.answers[language] = tuple(chosen[:MAX_SUGGESTIONS])
        return found


class PartnerIndex:
    """Partners by topic, target group and district, so a suggestion never scans them all."""

    def __init__(self, partners: Sequence[Partner]) -> None:
        self._by_topic: dict[str, list[Partner]] = {}
        for partner in partners:
            for topic in partner.topics:
                self._by_topic.setdefault(topic, []).append(partner)
        self._fits: dict[tuple[str, str, str | None], _Fits] = {}

    def fitting(
        self, topic: str, requester_type: str, district: str | None, language: str
    ) -> tuple[Partner, ...]:
        """The best few for one topic and enquirer: speakers of the language first,
        then local partners before region-wide ones, specialists first, then by id."""
        key = (topic, requester_type, district)
        fits = self._fits.get(key)
        if fits is None:
            fits = self._fits[key] = _Fits.of(
                topic,
                [
                    p
                    for p in self._by_topic.get(topic, ())
                    if requester_type in p.target_groups and p.covers(district)
                ],
            )
        return fits.best(language)

    def suggest(
        self,
        *,
        topics: Sequence[str],
        requester_type: str,
        district: str | None,
        language: str,
        consent_referral: bool,
    ) -> Suggestion:
        chosen: list[Partner] = []
        said: list[str] = []
        for topic in topics:  # primary topic first
            for partner in self.fitting(topic, requester_type, district, language):
                if len(chosen) == MAX_SUGGESTIONS:
                    break
                if all(partner.id != c.id for c in chosen):
                    chosen.append(partner)
                    kind = "partner_local" if partner.districts else "partner_region"
                    if language in partner.languages:
                        kind += "_speaks"
                    said.append(
                        reasons.text(
                            kind,
                            partner=partner.id,
                            topic=topic,
                            district=district,
                            language=language,
                        )
                    )
        referral = None
        if chosen and chosen[0].auto_refer:
            if consent_referral:
                referral = chosen[0]
                said.append(reasons.text("auto_referral", partner=chosen[0].id))
            else:
                said.append(reasons.text("no_consent", partner=chosen[0].id))
        return Suggestion(tuple(chosen), referral, tuple(said))
