"""Read queries for chat and CLI commands (/gap, /claims, /status) and chat-made
subscriptions. Satisfies `bot.ports.CommandQueries`.

Each method is one or two indexed statements: claims of one frontier model use
`ix_claims_frontier (frontier_key, claimed_on)`; the first-parity summary aggregates the parity
rows only. Errors of the database come out as StoreError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, delete, func, not_, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import NOT_BROAD_MARKERS, FirstParity, StoreCounts, StoredClaim, Subscription
from bot.errors import StoreError
from storage.rows import stored_claim
from storage.schema import ClaimRow, EvidenceRow, ItemRow, SourceRow, SubscriptionRow
from storage.upsert import upsert

CLAIM_COLUMNS = (
    ClaimRow.id,
    ClaimRow.competitor,
    ClaimRow.lab,
    ClaimRow.frontier_key,
    ClaimRow.relation,
    ClaimRow.confidence,
    ClaimRow.first_seen_at,
    ClaimRow.claimed_on,
    ClaimRow.source_url,
    ClaimRow.evidence_text,
    ClaimRow.benchmarks,
    ClaimRow.source_count,
    ClaimRow.origin,
    ClaimRow.open_weights,
)


def _credible_parity(min_confidence: float) -> Any:
    """SQL twin of bot.commands.gap's rule (broad, matches/exceeds, confident, dated)."""
    lowered = func.lower(func.ltrim(ClaimRow.evidence_text))
    return and_(
        ClaimRow.relation_class == "parity",
        ClaimRow.confidence >= min_confidence,
        ClaimRow.claimed_on.is_not(None),
        *[not_(lowered.like(marker + "%")) for marker in NOT_BROAD_MARKERS],
    )


async def _with_sources(session: AsyncSession, rows: Sequence[Any]) -> list[StoredClaim]:
    """The claims with the links of all their evidence (one statement for all of them)."""
    if not rows:
        return []
    stmt = (
        select(EvidenceRow.claim_id, EvidenceRow.url)
        .where(EvidenceRow.claim_id.in_([r.id for r in rows]), EvidenceRow.url.is_not(None))
        .order_by(EvidenceRow.seen_at, EvidenceRow.id)
    )
    links: dict[int, dict[str, None]] = {}
    for row in rows:
        links[row.id] = {row.source_url: None} if row.source_url else {}
    for claim_id, url in (await session.execute(stmt)).all():
        if url:
            links[claim_id][url] = None
    return [stored_claim(row, tuple(links[row.id])) for row in rows]


class Queries:
    """Command reads over one session factory.

    Args:
        sessions: the async session factory (storage.database.session_factory).
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        # first_parity scans every claim; its answer is kept until the claims table changes
        self._first_parity: dict[float, tuple[tuple[Any, ...], list[FirstParity]]] = {}

    async def claims_for(
        self, frontier_key: str, *, limit: int | None = None, credible_above: float | None = None
    ) -> list[StoredClaim]:
        """Claims against one frontier model, oldest first: the first `limit` of them, plus (with
        `credible_above`) the earliest credible parity claims even when they fall past the limit."""
        base = select(*CLAIM_COLUMNS).where(ClaimRow.frontier_key == frontier_key)
        order = (ClaimRow.claimed_on, ClaimRow.id)
        try:
            async with self._sessions() as session:
                rows = list((await session.execute(base.order_by(*order).limit(limit))).all())
                if limit is not None and credible_above is not None and len(rows) == limit:
                    seen = {r.id for r in rows}
                    credible = base.where(_credible_parity(credible_above)).order_by(*order).limit(10)
                    rows += [r for r in (await session.execute(credible)).all() if r.id not in seen]
                return await _with_sources(session, rows)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read claims: {type(exc).__name__}") from exc

    async def count_claims(self, frontier_key: str) -> int:
        """How many claims name this frontier model."""
        stmt = select(func.count()).select_from(ClaimRow).where(ClaimRow.frontier_key == frontier_key)
        try:
            async with self._sessions() as session:
                return int(await session.scalar(stmt) or 0)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot count claims: {type(exc).__name__}") from exc

    async def first_parity(self, min_confidence: float) -> list[FirstParity]:
        """For each frontier key, the competitors with a credible parity claim on its earliest date."""
        credible = _credible_parity(min_confidence)
        first = (
            select(ClaimRow.frontier_key.label("key"), func.min(ClaimRow.claimed_on).label("day"))
            .where(credible)
            .group_by(ClaimRow.frontier_key)
            .subquery()
        )
        stmt = (
            select(ClaimRow.frontier_key, ClaimRow.competitor, ClaimRow.claimed_on)
            .join(first, and_(ClaimRow.frontier_key == first.c.key, ClaimRow.claimed_on == first.c.day))
            .where(credible)
        )
        # what any insert, merge or delete of a claim changes; one cheap aggregate (no LIKE)
        version_stmt = select(
            func.count(),
            func.max(ClaimRow.id),
            func.max(ClaimRow.updated_at),
            func.sum(ClaimRow.source_count),
        )
        try:
            async with self._sessions() as session:
                version = tuple((await session.execute(version_stmt)).one())
                cached = self._first_parity.get(min_confidence)
                if cached is not None and cached[0] == version:
                    return list(cached[1])
                rows = (await session.execute(stmt)).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read claims: {type(exc).__name__}") from exc
        found = [FirstParity(r[0], r[1], r[2]) for r in rows if r[2] is not None]
        self._first_parity[min_confidence] = (version, found)
        return list(found)

    async def recent_claims(
        self, *, since: date, frontier_key: str | None = None, limit: int = 50
    ) -> list[StoredClaim]:
        """Claims dated on or after `since` (undated ones by first sighting), newest first."""
        since_at = datetime.combine(since, time(), tzinfo=UTC)
        stmt = select(*CLAIM_COLUMNS).where(
            or_(
                ClaimRow.claimed_on >= since,
                and_(ClaimRow.claimed_on.is_(None), ClaimRow.first_seen_at >= since_at),
            )
        )
        if frontier_key is not None:
            stmt = stmt.where(ClaimRow.frontier_key == frontier_key)
        stmt = stmt.order_by(ClaimRow.claimed_on.desc(), ClaimRow.id.desc()).limit(limit)
        try:
            async with self._sessions() as session:
                return await _with_sources(session, (await session.execute(stmt)).all())
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read claims: {type(exc).__name__}") from exc

    # --- subscriptions ------------------------------------------------------------------------

    async def subscribe(
        self, destination: str, filters: Mapping[str, Any], *, created_by: str | None, now: datetime
    ) -> Subscription:
        """Add or replace the subscription of `destination`."""
        values = {
            "destination": destination,
            "filters": dict(filters),
            "created_by": created_by,
            "created_at": now,
        }
        try:
            async with self._sessions() as session, session.begin():
                dialect = (await session.connection()).dialect.name
                await session.execute(upsert(dialect, SubscriptionRow, values, key=["destination"]))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot save the subscription: {type(exc).__name__}") from exc
        return Subscription(destination, dict(filters), created_by, now)

    async def unsubscribe(self, destination: str) -> bool:
        """Remove the subscription of `destination`; False when there was none."""
        try:
            async with self._sessions() as session, session.begin():
                result = await session.execute(
                    delete(SubscriptionRow).where(SubscriptionRow.destination == destination)
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot remove the subscription: {type(exc).__name__}") from exc
        return bool(getattr(result, "rowcount", 0))

    async def subscription(self, destination: str) -> Subscription | None:
        try:
            async with self._sessions() as session:
                row = await session.scalar(
                    select(SubscriptionRow).where(SubscriptionRow.destination == destination)
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read subscriptions: {type(exc).__name__}") from exc
        if row is None:
            return None
        return Subscription(row.destination, dict(row.filters or {}), row.created_by, row.created_at)

    async def subscriptions(self) -> list[Subscription]:
        try:
            async with self._sessions() as session:
                rows = (await session.scalars(select(SubscriptionRow).order_by(SubscriptionRow.id))).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read subscriptions: {type(exc).__name__}") from exc
        return [Subscription(r.destination, dict(r.filters or {}), r.created_by, r.created_at) for r in rows]

    # --- the gazetteer ---------------------------------------------------------------

    async def known_model_names(self, limit: int = 20_000) -> list[str]:
        """Model names the bot has already seen, for claim detection's gazetteer: the name part of
        stored Hugging Face model ids (watched orgs) and the ledger's competitors, newest first."""
        try:
            async with self._sessions() as session:
                ids = (
                    await session.scalars(
                        select(ItemRow.model_id)
                        .where(ItemRow.model_id.is_not(None))
                        .group_by(ItemRow.model_id)
                        .order_by(func.max(ItemRow.id).desc())
                        .limit(limit)
                    )
                ).all()
                competitors = (
                    await session.scalars(select(ClaimRow.competitor).distinct().limit(limit))
                ).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read known model names: {type(exc).__name__}") from exc
        names = [i.rsplit("/", 1)[-1] for i in ids if i] + [c for c in competitors if c]
        return list(dict.fromkeys(names))

    # --- counts --------------------------------------------------------------------

    async def counts(self) -> StoreCounts:
        """How many sources, items and claims are stored (seed claims apart)."""
        try:
            async with self._sessions() as session:
                sources = await session.scalar(select(func.count()).select_from(SourceRow))
                items = await session.scalar(select(func.count()).select_from(ItemRow))
                claims = await session.scalar(select(func.count()).select_from(ClaimRow))
                seed = await session.scalar(
                    select(func.count()).select_from(ClaimRow).where(ClaimRow.origin == "seed")
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot count rows: {type(exc).__name__}") from exc
        return StoreCounts(int(sources or 0), int(items or 0), int(claims or 0), int(seed or 0))
