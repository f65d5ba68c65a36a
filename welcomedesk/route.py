"""`welcomedesk route`: what would happen to these enquiries, without any server."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TextIO

from pydantic import ValidationError

from services.routing.engine import Ledger, RoutingEngine
from shared.enquiry import RouteRequest


def _field_errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(line)"
        parts.append(f"{field}: {err['msg']}")
    return "; ".join(parts)


def parse_line(raw: str) -> RouteRequest:
    """One input line as an enquiry; ValueError names the field that is wrong."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object with the intake fields")
    try:
        return RouteRequest.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_field_errors(exc)) from exc


def route_lines(
    lines: Iterable[str], engine: RoutingEngine, at: dt.datetime, out: TextIO, err: TextIO
) -> int:
    """Routes every good line in order; returns the number of bad lines."""
    ledger = Ledger(engine.directory)
    day = at.date()
    bad = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            request = parse_line(raw)
        except ValueError as exc:
            bad += 1
            err.write(f"line {number}: {exc}\n")
            continue
        decision = engine.decide(
            request,
            day=day,
            loads=ledger.loads,
            previous_manager=ledger.previous_manager(request.email),
        )
        ledger.record(decision, request.email)
        line_id = request.id if request.id is not None else number
        out.write(json.dumps(decision.as_line(line_id), ensure_ascii=False) + "\n")
    return bad
