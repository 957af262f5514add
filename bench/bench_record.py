"""record_claims throughput with one message per release: items per second through clustering,
evidence, the release's first-message lookup and the outbox rows of every route.

python bench/bench_record.py [--url sqlite+aiosqlite:///bench.db | postgresql+asyncpg://...]
                             [--items 400] [--models 100] [--claims 3] [--routes 3]
Each model is seen items/models times: the first item makes a NEW message per route, the later
ones a thread reply each. Without --url: a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bot.claims.frontier import FrontierRegistry  # noqa: E402
from bot.config import RouteSettings  # noqa: E402
from bot.domain import Claim, Item, PollResult, Relation, SourceKind, SourceSpec  # noqa: E402
from bot.pipeline.route import Router  # noqa: E402
from storage.database import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repo import Repository  # noqa: E402
from storage.schema import OutboxRow  # noqa: E402

T0 = datetime(2025, 1, 20, tzinfo=UTC)
FRONTIER = ("o1", "gpt-4o", "claude-3-opus", "gpt-4", "o1-mini", "gemini-1.5-pro")


async def bench(url: str, args: argparse.Namespace) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    repo = Repository(sessions, dialect=engine.dialect.name)
    routes = [RouteSettings(destination=d) for d in ("console", "discord:1", "slack:C1", "webhook:a")]
    router = Router(routes[: args.routes], FrontierRegistry.builtin().resolve)
    spec = SourceSpec(SourceKind.FEED, "http://127.0.0.1/bench.xml", "bench")
    items = [
        Item(spec.key, f"k{i}", "t", f"https://x.example/{i}", "x", published=T0) for i in range(args.items)
    ]
    await repo.record_poll(spec, PollResult(items=tuple(items)), now=T0, next_poll_at=T0)
    started = time.perf_counter()
    for i, item in enumerate(items):
        model = f"Model-{i % args.models}"
        claims = [
            Claim(model, key, Relation.MATCHES, f"{model} matches {key}", 0.9)
            for key in FRONTIER[: args.claims]
        ]
        await repo.record_claims(item, claims, router, now=T0)
    seconds = time.perf_counter() - started
    async with sessions() as session:
        rows = await session.scalar(select(func.count()).select_from(OutboxRow))
        groups = await session.scalar(select(func.count(func.distinct(OutboxRow.group_key))))
    await engine.dispose()
    print(
        f"[{engine.dialect.name}] {args.items} items x {args.claims} claims x {args.routes} routes: "
        f"{args.items / seconds:.0f} items/s ({seconds * 1000 / args.items:.1f} ms/item); "
        f"{rows} outbox rows in {groups} messages"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url")
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--claims", type=int, default=3, choices=range(1, len(FRONTIER) + 1))
    parser.add_argument("--routes", type=int, default=3, choices=range(1, 5))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(bench(args.url or f"sqlite+aiosqlite:///{tmp}/bench.db", args))


if __name__ == "__main__":
    main()
