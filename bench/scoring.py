"""How well the engine reads a labelled set: figures, topic confusion, confidence.

A labelled set is JSON lines in `welcomedesk route`'s input format with an `expect`
object (`language`, `requester_type`, `topics`, `primary_ok`, `district`, `site`), as
in the handout's dev.jsonl and `welcomedesk understanding corrections`; our written
examples (YAML) are read into the same form.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from services.routing.engine import Ledger, RoutingEngine
from shared.enquiry import RouteRequest
from shared.vocabulary import REGION_LANGUAGES, TOPICS

FIGURES = ("language", "requester_type", "primary_topic", "topic_f1", "district", "site")
_SHORT = {
    "labour_market": "lab",
    "recognition": "rec",
    "language": "lng",
    "study": "stu",
    "vocational_training": "voc",
    "job_application": "app",
    "employer_hiring": "emp",
    "living": "liv",
    "other": "oth",
}


def f1(pred: Iterable[str], gold: Iterable[str]) -> float:
    p, g = set(pred), set(gold)
    if not p and not g:
        return 1.0
    tp = len(p & g)
    if tp == 0:
        return 0.0
    precision, recall = tp / len(p), tp / len(g)
    return 2 * precision * recall / (precision + recall)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """A labelled set; every line must carry an `expect` object."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        if not isinstance(item.get("expect"), dict):
            raise ValueError(f"{path}:{number}: no `expect` object")
        items.append(item)
    return items


def read_examples(folder: Path, site_of: dict[str, str]) -> list[dict[str, Any]]:
    """Our written examples as a labelled set (the set the cues are tuned on)."""
    items = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for i, ex in enumerate(data.get("examples") or []):
            district = ex.get("district")
            items.append(
                {
                    "id": f"{path.stem}-{i}",
                    "subject": ex.get("subject") or "",
                    "message": ex["text"],
                    "expect": {
                        "language": ex.get("language") or data["language"],
                        "requester_type": ex.get("requester", "worker"),
                        "topics": ex["topics"],
                        "primary_ok": ex.get("primary_ok") or ex["topics"][:1],
                        "district": district,
                        "site": site_of.get(district) if district else None,
                    },
                }
            )
    return items


@dataclass
class Score:
    items: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    foreign: Counter[str] = field(default_factory=Counter)  # outside the 17: seen, right
    unsure: Counter[str] = field(default_factory=Counter)  # flagged, flagged and wrong
    errors: list[str] = field(default_factory=list)

    def figure(self, key: str) -> float:
        return self.sums.get(key, 0.0) / self.items if self.items else 0.0


def score(engine: RoutingEngine, items: list[dict[str, Any]], day: dt.date) -> Score:
    ledger = Ledger(engine.directory)
    result = Score()
    region = set(REGION_LANGUAGES)
    for item in items:
        request = RouteRequest.model_validate(item)
        out = ledger.decide(engine, request, day=day).as_line(request.id)
        exp = item["expect"]
        right = {
            "language": out["language"] == exp["language"],
            "requester_type": out["requester_type"] == exp["requester_type"],
            "primary_topic": out["primary_topic"] in exp["primary_ok"],
            "district": out["district"] == exp["district"],
            "site": out["site"] == exp["site"],
        }
        result.items += 1
        for key, ok in right.items():
            result.sums[key] = result.sums.get(key, 0.0) + ok
        result.sums["topic_f1"] = result.sums.get("topic_f1", 0.0) + f1(
            out["topics"], exp["topics"]
        )
        expected = out["primary_topic"] if right["primary_topic"] else exp["primary_ok"][0]
        result.confusion[(expected, out["primary_topic"])] += 1
        if exp["language"] not in region:
            result.foreign.update(["seen"] + (["right"] if right["language"] else []))
        for what, key in (("language", "language"), ("topic", "primary_topic")):
            if what in out["unsure"]:
                result.unsure.update([what] + ([f"{what} wrong"] if not right[key] else []))
            elif not right[key]:
                result.unsure[f"{what} wrong, not flagged"] += 1
        if not all(right[k] for k in ("language", "requester_type", "primary_topic")):
            result.errors.append(
                f"{item.get('id')}: {out['language']}/{exp['language']} "
                f"{out['requester_type']}/{exp['requester_type']} "
                f"{out['topics']}/{exp['topics']}"
            )
    return result


def report(name: str, result: Score, targets: dict[str, float], errors: bool) -> list[str]:
    """Printed lines for one set: figures, languages outside the 17, confidence, confusion."""
    lines = [f"{name} ({result.items} enquiries):"]
    for key in FIGURES:
        value = result.figure(key)
        target = targets.get(key)
        verdict = (
            ""
            if target is None
            else f"  (target >= {target:.2f}) " + ("ok" if value >= target else "MISSED")
        )
        lines.append(f"  {key:15} {value:.3f}{verdict}")
    if result.foreign["seen"]:
        lines.append(
            f"  languages outside the region's 17 named correctly: "
            f"{result.foreign['right']}/{result.foreign['seen']}"
        )
    u = result.unsure
    lines.append(
        f"  unsure: language {u['language']} ({u['language wrong']} of them wrong; "
        f"{u['language wrong, not flagged']} wrong unflagged), topic {u['topic']} "
        f"({u['topic wrong']} wrong; {u['topic wrong, not flagged']} wrong unflagged)"
    )
    lines.append("  primary topic confusion (rows expected, columns read):")
    lines.append("        " + " ".join(f"{_SHORT[t]:>4}" for t in TOPICS))
    for expected in TOPICS:
        row = [result.confusion[(expected, read)] for read in TOPICS]
        if any(row):
            lines.append(f"    {_SHORT[expected]} " + " ".join(f"{n or '.':>4}" for n in row))
    if errors:
        lines.extend(f"    ! {e}" for e in result.errors)
    return lines
