"""UTCDateTime's one-step SQLite bind processor writes what SQLAlchemy's two processors write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeDecorator

from storage.tables import UTCDateTime

DIALECT = sqlite.dialect()
COLUMN = UTCDateTime()
FAST = COLUMN._cached_bind_processor(DIALECT)
# the generic composition (process_bind_param, then the dialect's DATETIME formatting)
REFERENCE = TypeDecorator.bind_processor(COLUMN.dialect_impl(DIALECT), DIALECT)

ZONES = st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-23 * 60 - 59, 23 * 60 + 59))


def test_the_fast_processor_is_the_one_in_use() -> None:
    assert FAST is not None and REFERENCE is not None
    assert "UTCDateTime" in FAST.__qualname__ and FAST is not REFERENCE


@given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=ZONES))
def test_an_aware_datetime_is_written_as_the_reference_writes_it(value: datetime) -> None:
    assert FAST is not None and REFERENCE is not None
    assert FAST(value) == REFERENCE(value)


def test_none_stays_none_and_a_naive_datetime_is_refused() -> None:
    assert FAST is not None and REFERENCE is not None
    assert FAST(None) is None is REFERENCE(None)
    for processor in (FAST, REFERENCE):
        with pytest.raises(ValueError, match="naive"):
            processor(datetime(2025, 1, 1))
    assert FAST(datetime(2025, 1, 1, 12, tzinfo=UTC)) == "2025-01-01 12:00:00.000000"
