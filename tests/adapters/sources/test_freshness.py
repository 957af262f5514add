"""How long a publisher says an answer stays fresh (a floor for the next poll)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.sources._base import fresh_for

NOW = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"cache-control": "public, max-age=600"}, 600.0),
        ({"cache-control": "max-age=600", "age": "100"}, 500.0),
        ({"cache-control": 'max-age="120"'}, 120.0),
        ({"cache-control": "no-cache, max-age=600"}, None),
        ({"cache-control": "no-store"}, None),
        ({"cache-control": "max-age=0"}, None),
        ({"expires": "Mon, 20 Jan 2025 13:00:00 GMT"}, 3600.0),  # against now
        ({"expires": "Mon, 20 Jan 2025 13:00:00 GMT", "date": "Mon, 20 Jan 2025 12:30:00 GMT"}, 1800.0),
        ({"expires": "0"}, None),  # an invalid date means already expired
        ({"expires": "Mon, 20 Jan 2025 11:00:00 GMT"}, None),  # in the past
        ({"cache-control": "max-age=60", "expires": "Mon, 20 Jan 2025 13:00:00 GMT"}, 60.0),  # max-age wins
        ({}, None),
    ],
)
def test_fresh_for(headers: dict[str, str], expected: float | None) -> None:
    assert fresh_for(headers, NOW) == expected
