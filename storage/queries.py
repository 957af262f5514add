"""Read queries for chat and CLI commands (/gap, /claims, /status) and chat-made
subscriptions. Satisfies `bot.ports.CommandQueries`.

Each method is one or two indexed statements: claims of one frontier model use
`ix_claims_frontier (frontier_key, claimed_on)`; the first-parity summary aggregates the parity
rows only. Errors of the database come out as StoreError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, not_, or_, select
from sqlalchemy.exc import SQLAlchemyError

from bot.domain import NOT_BROAD_MARKERS, FirstParity, StoreCounts, StoredClaim, Subscription
from bot.errors import StoreError
from storage.rows import Bound, stored_claim
from storage.tables import CLAIMS, EVIDENCE, ITEMS, SOURCES, SUBSCRIPTIONS
from storage.upsert import upsert

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

CLAIM_COLUMNS = (
    CLAIMS.c.id,
    CLAIMS.c.competitor,
    CLAIMS.c.lab,
    CLAIMS.c.frontier_key,
    CLAIMS.c.relation,
    CLAIMS.c.confidence,
    CLAIMS.c.first_seen_at,
    CLAIMS.c.claimed_on,
    CLAIMS.c.source_url,
    CLAIMS.c.evidence_text,
    CLAIMS.c.benchmarks,
    CLAIMS.c.source_count,
    CLAIMS.c.origin,
    CLAIMS.c.open_weights,
)


def _credible_parity(min_confidence: float) -> Any:
    """SQL twin of bot.commands.gap's rule (broad, matches/exceeds, confident, dated)."""
    lowered = func.lower(func.ltrim(CLAIMS.c.evidence_text))
    return and_(
        CLAIMS.c.relation_class == "parity",
        CLAIMS.c.confidence >= min_confidence,
        CLAIMS.c.claimed_on.is_not(None),
        *[not_(lowered.like(marker + "%")) for marker in NOT_BROAD_MARKERS],
    )


async def _with_sources(session: AsyncConnection, rows: Sequence[Any]) -> list[StoredClaim]:
    """The claims with the links of all their evidence (one statement for all of them)."""
    if not rows:
        return []
    stmt = (
        select(EVIDENCE.c.claim_id, EVIDENCE.c.url)
        .where(EVIDENCE.c.claim_id.in_([r.id for r in rows]), EVIDENCE.c.url.is_not(None))
        .order_by(EVIDENCE.c.seen_at, EVIDENCE.c.id)
    )
    links: dict[int, dict[str, None]] = {}
    for row in rows:
        links[row.id] = {row.source_url: None} if row.source_url else {}
    for claim_id, url in (await session.execute(stmt)).all():
        if url:
            links[claim_id][url] = None
    return [stored_claim(row, tuple(links[row.id])) for row in rows]


class Queries(Bound):
    """Command reads, Core statements on connections of the engine (see `Bound` for Args)."""

    def __init__(self, bind: AsyncEngine | async_sessionmaker[AsyncSession]) -> None:
        super().__init__(bind)
        # first_parity scans every claim; its answer is kept until the claims table changes
        self._first_parity: dict[float, tuple[tuple[Any, ...], list[FirstParity]]] = {}

    async def claims_for(
        self, frontier_key: str, *, limit: int | None = None, credible_above: float | None = None
    ) -> list[StoredClaim]:
        """Claims against one frontier model, oldest first: the first `limit` of them, plus (with
        `credible_above`) the earliest credible parity claims even when they fall past the limit."""
        base = select(*CLAIM_COLUMNS).where(CLAIMS.c.frontier_key == frontier_key)
        order = (CLAIMS.c.claimed_on, CLAIMS.c.id)
        try:
            async with self._engine.connect() as session:
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
        stmt = select(func.count()).select_from(CLAIMS).where(CLAIMS.c.frontier_key == frontier_key)
        try:
            async with self._engine.connect() as session:
                return int(await session.scalar(stmt) or 0)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot count claims: {type(exc).__name__}") from exc

    async def first_parity(self, min_confidence: float) -> list[FirstParity]:
        """For each frontier key, the competitors with a credible parity claim on its earliest date."""
        credible = _credible_parity(min_confidence)
        first = (
            select(CLAIMS.c.frontier_key.label("key"), func.min(CLAIMS.c.claimed_on).label("day"))
            .where(credible)
            .group_by(CLAIMS.c.frontier_key)
            .subquery()
        )
        stmt = (
            select(CLAIMS.c.frontier_key, CLAIMS.c.competitor, CLAIMS.c.claimed_on)
            .join(first, and_(CLAIMS.c.frontier_key == first.c.key, CLAIMS.c.claimed_on == first.c.day))
            .where(credible)
        )
        # what any insert, merge or delete of a claim changes; one cheap aggregate (no LIKE)
        version_stmt = select(
            func.count(),
            func.max(CLAIMS.c.id),
            func.max(CLAIMS.c.updated_at),
            func.sum(CLAIMS.c.source_count),
        )
        try:
            async with self._engine.connect() as session:
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
                CLAIMS.c.claimed_on >= since,
                and_(CLAIMS.c.claimed_on.is_(None), CLAIMS.c.first_seen_at >= since_at),
            )
        )
        if frontier_key is not None:
            stmt = stmt.where(CLAIMS.c.frontier_key == frontier_key)
        stmt = stmt.order_by(CLAIMS.c.claimed_on.desc(), CLAIMS.c.id.desc()).limit(limit)
        try:
            async with self._engine.connect() as session:
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
            async with self._engine.begin() as session:
                dialect = session.dialect.name
                await session.execute(upsert(dialect, SUBSCRIPTIONS, values, key=["destination"]))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot save the subscription: {type(exc).__name__}") from exc
        return Subscription(destination, dict(filters), created_by, now)

    async def unsubscribe(self, destination: str) -> bool:
        """Remove the subscription of `destination`; False when there was none."""
        try:
            async with self._engine.begin() as session:
                result = await session.execute(
                    delete(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.destination == destination)
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot remove the subscription: {type(exc).__name__}") from exc
        return bool(getattr(result, "rowcount", 0))

    async def subscription(self, destination: str) -> Subscription | None:
        try:
            async with self._engine.connect() as session:
                found = select(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.destination == destination)
                row = (await session.execute(found)).first()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read subscriptions: {type(exc).__name__}") from exc
        if row is None:
            return None
        return Subscription(row.destination, dict(row.filters or {}), row.created_by, row.created_at)

    async def subscriptions(self) -> list[Subscription]:
        try:
            async with self._engine.connect() as session:
                rows = (await session.execute(select(SUBSCRIPTIONS).order_by(SUBSCRIPTIONS.c.id))).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read subscriptions: {type(exc).__name__}") from exc
        return [Subscription(r.destination, dict(r.filters or {}), r.created_by, r.created_at) for r in rows]

    # --- the gazetteer ---------------------------------------------------------------

    async def known_model_names(self, limit: int = 20_000) -> list[str]:
        """Model names the bot has already seen, for claim detection's gazetteer: the name part of
        stored Hugging Face model ids (watched orgs) and the ledger's competitors, newest first."""
        try:
            async with self._engine.connect() as session:
                ids = (
                    await session.scalars(
                        select(ITEMS.c.model_id)
                        .where(ITEMS.c.model_id.is_not(None))
                        .group_by(ITEMS.c.model_id)
                        .order_by(func.max(ITEMS.c.id).desc())
                        .limit(limit)
                    )
                ).all()
                competitors = (
                    await session.scalars(select(CLAIMS.c.competitor).distinct().limit(limit))
                ).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read known model names: {type(exc).__name__}") from exc
        names = [i.rsplit("/", 1)[-1] for i in ids if i] + [c for c in competitors if c]
        return list(dict.fromkeys(names))

    # --- counts --------------------------------------------------------------------

    async def counts(self) -> StoreCounts:
        """How many sources, items and claims are stored (seed claims apart)."""
        try:
            async with self._engine.connect() as session:
                sources = await session.scalar(select(func.count()).select_from(SOURCES))
                items = await session.scalar(select(func.count()).select_from(ITEMS))
                claims = await session.scalar(select(func.count()).select_from(CLAIMS))
                seed = await session.scalar(
                    select(func.count()).select_from(CLAIMS).where(CLAIMS.c.origin == "seed")
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot count rows: {type(exc).__name__}") from exc
        return StoreCounts(int(sources or 0), int(items or 0), int(claims or 0), int(seed or 0))
