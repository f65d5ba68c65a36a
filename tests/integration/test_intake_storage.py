"""The intake's one-statement write on PostgreSQL leaves the rows the generic path leaves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services.intake import service
from services.intake.schemas import EnquiryCreate
from shared.db.engine import make_engine
from shared.db.migrate import upgrade
from shared.db.models import EnquiryRow, OutboxRow
from tests.support.servers import database, postgres_server

# What differs between two runs by nature: identity, secrets and clocks.
RUN_SPECIFIC = {
    "id",
    "status_token",
    "received_at",
    "correlation_id",
    "consent_at",
    "consent_referral_at",
}
ENQUIRIES = [
    {
        "message": "Hallo, ich möchte meinen Abschluss anerkennen lassen.",
        "phone": "+49 5361 12345",
        "consent_processing": True,
    },
    {
        "message": "We want to hire nurses from abroad.",
        "email": "HR@Example.COM",
        "name": "Zoë Ölçer",
        "company": "Pflege GmbH",
        "requester_type": "employer",
        "postal_code": "38100",
        "preferred_language": "en",
        "preferred_site": "wolfsburg",
        "consent_processing": True,
        "consent_referral": True,
    },
]


@pytest.fixture(scope="module")
def postgres() -> Iterator[Engine]:
    with postgres_server() as admin, database(admin) as url:
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("sqlite") / "intake.sqlite"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _stored(engine: Engine) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each enquiry's columns and its event, both with their run-specific values."""
    stored = []
    for number, fields in enumerate(ENQUIRIES):
        received = service.receive_enquiry(
            engine,
            data=EnquiryCreate.model_validate(fields),
            channel="api",
            correlation_id=f"corr-{number}",
        )
        with Session(engine) as session:
            row = session.get(EnquiryRow, received.enquiry_id)
            event = session.get(OutboxRow, received.outbox_ids[0])
            assert row is not None and event is not None
            assert row.reference == received.reference
            assert received.reference == f"WC-{row.received_at.year}-{row.id:06d}"
            assert event.payload == {"correlation_id": f"corr-{number}", "enquiry_id": row.id}
            assert row.correlation_id == f"corr-{number}"
            assert row.consent_at == row.received_at  # the boxes were ticked as it came
            referral = row.received_at if fields.get("consent_referral") else None
            assert row.consent_referral_at == referral
            columns = {
                c.key: getattr(row, c.key)
                for c in EnquiryRow.__table__.columns
                if c.key not in RUN_SPECIFIC
            }
            columns["reference"] = columns["reference"].rsplit("-", 1)[0]
            stored.append((columns, {"task": event.task, "published": event.published_at}))
    return stored


def test_postgres_statement_stores_what_the_generic_path_stores(
    postgres: Engine, sqlite: Engine
) -> None:
    on_postgres, on_sqlite = _stored(postgres), _stored(sqlite)
    assert on_postgres == on_sqlite
    assert on_postgres[1][0]["email"] == "hr@example.com"
    assert on_postgres[1][0]["name"] == "Zoë Ölçer"
    assert all(
        event == {"task": "routing.route_enquiry", "published": None} for _, event in on_postgres
    )


def test_references_follow_the_sequence_past_six_digits(postgres: Engine) -> None:
    with postgres.begin() as connection:
        connection.exec_driver_sql("SELECT setval('enquiries_id_seq', 1234566)")
    received = service.receive_enquiry(
        postgres,
        data=EnquiryCreate.model_validate(ENQUIRIES[0]),
        channel="api",
        correlation_id="corr-big",
    )
    with Session(postgres) as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.id == received.enquiry_id))
    assert row is not None and row.id == 1234567
    assert received.reference.endswith("-1234567") and row.reference == received.reference
