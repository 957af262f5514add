"""What the storage modules share: the session-holding base class, and rows to domain objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar, cast

from bot.domain import BenchmarkPair, FrontierModel, Relation, SourceHealth, StoredClaim

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

T = TypeVar("T")


def engine_of(bind: AsyncEngine | async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """The engine itself, or the one a session factory is bound to."""
    kw = getattr(bind, "kw", None)  # a session factory keeps its engine as kw["bind"]
    return cast("AsyncEngine", bind if kw is None else kw["bind"])


class Bound:
    """Base of the storage classes: an engine, whose connections run Core statements without
    the ORM, and ORM sessions on it, made (and the ORM loaded) at their first use.

    Args:
        bind: the engine, or a session factory bound to it (storage.database.session_factory).
    """

    def __init__(self, bind: AsyncEngine | async_sessionmaker[AsyncSession]) -> None:
        self._engine = engine_of(bind)
        factory = None if bind is self._engine else bind
        self._factory: async_sessionmaker[AsyncSession] | None = factory  # type: ignore[assignment]

    @property
    def _sessions(self) -> async_sessionmaker[AsyncSession]:
        if self._factory is None:
            from storage.database import session_factory

            self._factory = session_factory(self._engine)
        return self._factory


class SessionStore(Bound):
    """`Bound`, and the engine's dialect name ("sqlite" or "postgresql") as `dialect`."""

    def __init__(self, bind: AsyncEngine | async_sessionmaker[AsyncSession], *, dialect: str) -> None:
        super().__init__(bind)
        self._dialect = dialect


_FIELDS: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(f.name for f in fields(cls))
    return names


def from_row(cls: type[T], row: Any, **values: Any) -> T:
    """A domain dataclass from a row: fields named like a column are copied, `values` give the
    others (renamed or converted ones)."""
    copied = {name: getattr(row, name) for name in _field_names(cls) - values.keys()}
    return cls(**copied, **values)


def benchmarks_json(pairs: Sequence[BenchmarkPair]) -> list[Any]:
    """Benchmark pairs as stored in the `claims.benchmarks` JSON column."""
    return [[p.benchmark, p.competitor, p.frontier] for p in pairs]


def pairs_from_json(raw: Any) -> tuple[BenchmarkPair, ...]:
    pairs: list[BenchmarkPair] = []
    for entry in raw or []:
        try:
            name, competitor, frontier = entry[0], entry[1], entry[2]
            pairs.append(
                BenchmarkPair(
                    str(name),
                    None if competitor is None else float(competitor),
                    None if frontier is None else float(frontier),
                )
            )
        except (IndexError, TypeError, ValueError):
            continue
    return tuple(pairs)


def stored_claim(row: Any, sources: tuple[str, ...] = ()) -> StoredClaim:
    """A claims row (ORM object or a row of CLAIM_COLUMNS) as the domain's StoredClaim."""
    return from_row(
        StoredClaim,
        row,
        relation=Relation(row.relation),
        first_seen=row.first_seen_at,
        benchmarks=pairs_from_json(row.benchmarks),
        sources=sources,
    )


def source_health(row: Any, **values: Any) -> SourceHealth:
    """A sources row as SourceHealth; `values` give what the row does not hold (items_seen)."""
    return from_row(
        SourceHealth,
        row,
        last_success=row.last_success_at,
        failures=row.consecutive_failures,
        next_poll=row.next_poll_at,
        **values,
    )


def frontier_model(row: Any) -> FrontierModel:
    source = f"added by {row.added_by}" if row.added_by else "database"
    return from_row(FrontierModel, row, aliases=tuple(row.aliases or ()), source=source)
