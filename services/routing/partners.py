"""Which partner organisations to suggest for a case. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from shared.directory import Partner

MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Suggestion:
    partners: tuple[Partner, ...]
    referral: Partner | None  # referred at once: top suggestion, auto_refer, consent given
    reasons: tuple[str, ...]


class PartnerIndex:
    """Partners by topic, so that a suggestion never scans the whole directory."""

    def __init__(self, partners: Sequence[Partner]) -> None:
        self._by_topic: dict[str, list[Partner]] = {}
        for partner in partners:
            for topic in partner.topics:
                self._by_topic.setdefault(topic, []).append(partner)
        self.fitting = lru_cache(maxsize=4096)(self._fitting)

    def _fitting(
        self, topic: str, requester_type: str, district: str | None, language: str
    ) -> tuple[Partner, ...]:
        """Partners for one topic: speakers of the language first, then local ones, then id."""
        fits = [
            p
            for p in self._by_topic.get(topic, ())
            if requester_type in p.target_groups and p.covers(district)
        ]
        fits.sort(key=lambda p: (language not in p.languages, not p.districts, p.id))
        return tuple(fits[:MAX_SUGGESTIONS])

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
        reasons: list[str] = []
        for topic in topics:  # primary topic first
            for partner in self.fitting(topic, requester_type, district, language):
                if len(chosen) == MAX_SUGGESTIONS:
                    break
                if partner not in chosen:
                    chosen.append(partner)
                    speaks = f", speaks {language}" if language in partner.languages else ""
                    where = "region-wide" if not partner.districts else f"covers {district}"
                    reasons.append(f"partner {partner.id}: {topic}, {where}{speaks}")
        referral = None
        if chosen and chosen[0].auto_refer:
            if consent_referral:
                referral = chosen[0]
                reasons.append(f"referral to {chosen[0].id}: automatic, enquirer consented")
            else:
                reasons.append(f"no referral to {chosen[0].id}: enquirer did not consent")
        return Suggestion(tuple(chosen), referral, tuple(reasons))
