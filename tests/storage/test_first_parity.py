"""first_parity is cached until the claims change, however the clock reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.domain import Claim, Item, PollResult, Relation, SourceKind, SourceSpec
from storage.queries import Queries
from storage.repo import Repository

T0 = datetime(2025, 4, 1, tzinfo=UTC)  # one instant for every write: updated_at never moves
FEED = SourceSpec(SourceKind.FEED, "http://127.0.0.1/parity.xml", "Feed")


def item(n: int, day: date) -> Item:
    when = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return Item(FEED.key, f"p{n}", f"t{n}", f"http://x/p{n}", "text", published=when)


async def test_first_parity_follows_every_change_of_the_claims(db: Any) -> None:
    repo, queries = Repository(db.sessions, dialect=db.dialect), Queries(db.sessions)
    items = [item(1, date(2025, 3, 1)), item(2, date(2025, 2, 1)), item(3, date(2025, 1, 1))]
    await repo.record_poll(FEED, PollResult(items=tuple(items)), now=T0, next_poll_at=T0)

    async def record(entry: Item, competitor: str, confidence: float) -> None:
        claim = Claim(competitor, "o1", Relation.MATCHES, f"{competitor} matches o1", confidence)
        await repo.record_claims(entry, [claim], None, now=T0)

    async def firsts() -> list[tuple[str, date]]:
        found = await queries.first_parity(0.5)
        return sorted((f.competitor, f.claimed_on) for f in found if f.frontier_key == "o1")

    await record(items[0], "Alpha-1", 0.9)
    assert await firsts() == [("Alpha-1", date(2025, 3, 1))]
    assert await firsts() == [("Alpha-1", date(2025, 3, 1))]  # from the cache
    await record(items[1], "Beta-2", 0.9)  # a new, earlier claim
    assert await firsts() == [("Beta-2", date(2025, 2, 1))]
    await record(items[2], "Alpha-1", 0.9)  # a merge: Alpha-1's claim is now dated earlier still
    assert await firsts() == [("Alpha-1", date(2025, 1, 1))]
