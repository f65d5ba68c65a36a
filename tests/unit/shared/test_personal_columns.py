"""Every column that could hold what a person wrote is either cleared by anonymisation or
declared free of it: a new column in the models fails here until someone decides."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Boolean, Date, DateTime, Float, Integer

from shared.db.models import Base
from shared.privacy.columns import BOOKKEEPING, CASE_LINK, NOT_PERSONAL, PERSONAL, Clear

# Numbers, flags and moments cannot carry a name, an address or a message.
CANNOT_HOLD_TEXT = (Integer, Boolean, Date, DateTime, Float)


def _text_columns() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if not isinstance(column.type, CANNOT_HOLD_TEXT)
    }


def _declared(registry: Mapping[str, Mapping[str, object]]) -> set[tuple[str, str]]:
    return {(table, column) for table, columns in registry.items() for column in columns}


def test_every_text_binary_and_json_column_is_either_personal_or_declared_not() -> None:
    personal, other = _declared(PERSONAL), _declared(NOT_PERSONAL)
    undecided = _text_columns() - personal - other
    assert undecided == set(), (
        "add these columns to shared/privacy/columns.py: PERSONAL (anonymisation clears "
        "them) or NOT_PERSONAL (with why they never hold an enquirer's data)"
    )
    assert personal & other == set()


def test_the_lists_name_only_columns_that_exist() -> None:
    tables = Base.metadata.tables
    for table, column in _declared(PERSONAL) | _declared(NOT_PERSONAL):
        assert column in tables[table].columns, f"{table}.{column}"
    for table, columns in BOOKKEEPING.items():
        assert columns <= set(tables[table].columns.keys()), table
    for table, link in CASE_LINK.items():
        assert link in tables[table].columns, table


def test_required_columns_are_cleared_to_a_value_they_accept() -> None:
    tables = Base.metadata.tables
    for table, columns in PERSONAL.items():
        for name, how in columns.items():
            column = tables[table].columns[name]
            if not column.nullable and how is not Clear.ROW_DELETED:
                assert how is not Clear.NULL, f"{table}.{name} may not be NULL"
            if column.unique:
                assert how in (Clear.ERASED_ID, Clear.NULL, Clear.ROW_DELETED), (
                    f"{table}.{name} is unique: each row needs its own value"
                )


def test_every_table_with_personal_columns_is_reached_from_a_case_or_by_address() -> None:
    by_address = {"suppressed_addresses"}  # found by the person's address, not by a case
    assert set(PERSONAL) - set(CASE_LINK) == by_address
