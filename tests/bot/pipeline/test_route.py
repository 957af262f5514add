"""Route filters and planned rows: one message per item and destination (new or a thread reply),
digest rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from bot.domain import (
    AlertKind,
    AlertMessage,
    BenchmarkPair,
    Claim,
    ClaimChange,
    FrontierModel,
    Item,
    Relation,
    SourceKind,
    StoredClaim,
)
from bot.errors import UnknownModelError
from bot.pipeline.route import Router, digest_period

NOW = datetime(2025, 1, 22, 15, 30, tzinfo=UTC)  # a Wednesday
O1 = FrontierModel(
    "o1", "OpenAI o1", "OpenAI", date(2024, 12, 5), aliases=("openai-o1-1217", "o1-2024-12-17")
)
GPT4 = FrontierModel("gpt-4", "GPT-4", "OpenAI", date(2023, 3, 14))


def lookup(name: str) -> FrontierModel:
    for model in (O1, GPT4):
        if name.lower() == model.key or name.lower() in model.aliases:
            return model
    raise UnknownModelError(name)


@dataclass(frozen=True)
class R:
    destination: str = "discord:1"
    frontier: tuple[str, ...] = ()
    labs: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    min_confidence: float = 0.5
    source_kinds: tuple[SourceKind, ...] = ()
    mention: str | None = None
    digest: str | None = None


def claim(**kw: object) -> StoredClaim:
    base: dict[str, object] = dict(
        id=7,
        competitor="DeepSeek-R1",
        lab="DeepSeek",
        frontier_key="o1",
        relation=Relation.MATCHES,
        confidence=0.9,
        first_seen=NOW,
        claimed_on=date(2025, 1, 20),
        source_url="https://hf.co/r1",
        evidence_text="DeepSeek-R1 achieves performance comparable to OpenAI-o1-1217",
        benchmarks=(BenchmarkPair("AIME 2024", 79.8, 79.2),),
    )
    base.update(kw)
    return StoredClaim(**base)  # type: ignore[arg-type]


ITEM = Item(
    "hf",
    "deepseek-ai/DeepSeek-R1",
    "DeepSeek-R1",
    "https://hf.co/r1",
    "text",
    source_kind=SourceKind.HUGGINGFACE,
)


def change(stored: StoredClaim | None = None, *, is_new: bool = True, **found: object) -> ClaimChange:
    """The claim as stored, and as the polled item states it (its own evidence)."""
    stored = stored or claim()
    said: dict[str, object] = dict(
        competitor=stored.competitor,
        frontier_key=stored.frontier_key,
        relation=stored.relation,
        evidence="From the polled item: DeepSeek-R1 is on par with o1.",
        confidence=stored.confidence,
        benchmarks=(BenchmarkPair("MATH-500", 97.3, 96.4),),
    )
    said.update(found)
    return ClaimChange(stored, Claim(**said), is_new)  # type: ignore[arg-type]


def plan(router: Router, item: Item | None, *changes: ClaimChange, threads: object = None) -> list:  # type: ignore[type-arg]
    return router.plan(item, list(changes), threads or {}, item_ref="i1")  # type: ignore[arg-type]


FILTERS = [
    # (route, claim overrides, item, alerts?)
    (R(), {}, ITEM, True),
    (R(frontier=("OpenAI-o1-1217",)), {}, ITEM, True),  # alias of o1
    (R(frontier=("o1",)), {}, ITEM, True),
    (R(frontier=("gpt-4",)), {}, ITEM, False),
    (R(frontier=("not-a-model",)), {}, ITEM, False),  # unknown names match nothing
    (R(labs=("deepseek",)), {}, ITEM, True),  # case-insensitive
    (R(labs=("Qwen",)), {}, ITEM, False),
    (R(labs=("DeepSeek",)), {"lab": None}, ITEM, False),
    (R(), {"relation": Relation.EXCEEDS}, ITEM, True),
    (R(), {"relation": Relation.APPROACHES}, ITEM, True),
    (R(), {"relation": Relation.TRAILS}, ITEM, False),  # trails never alerts by default
    (R(relations=("trails",)), {"relation": Relation.TRAILS}, ITEM, True),
    (R(relations=("exceeds",)), {}, ITEM, False),
    (R(), {"confidence": 0.49}, ITEM, False),
    (R(), {"confidence": 0.5}, ITEM, True),
    (R(min_confidence=0.95), {}, ITEM, False),
    (R(source_kinds=(SourceKind.HUGGINGFACE,)), {}, ITEM, True),
    (R(source_kinds=(SourceKind.FEED,)), {}, ITEM, False),
    (R(source_kinds=(SourceKind.FEED,)), {}, None, False),  # a backfill has no source kind
    (R(), {}, None, True),
]


@pytest.mark.parametrize(("route", "overrides", "item", "alerts"), FILTERS)
def test_filters(route: R, overrides: dict[str, object], item: Item | None, alerts: bool) -> None:
    planned = plan(Router([route], lookup, now=lambda: NOW), item, change(claim(**overrides)))
    assert [p.kind for p in planned] == ([AlertKind.NEW] if alerts else [])


def test_new_payload_is_an_alert_message_plus_mention() -> None:
    [p] = plan(Router([R(mention="<@&42>")], lookup), ITEM, change())
    assert p.idempotency_key == "release:i1:discord:1:new:7" and p.parent_key is None
    assert p.group == "release:i1:discord:1:new" and p.claim_id == 7 and p.not_before is None
    assert p.payload["mention"] == "<@&42>"
    message = AlertMessage.from_payload(p.payload)
    assert (message.frontier_name, message.days_after_release, message.title) == (
        "OpenAI o1",
        46,
        "DeepSeek-R1",
    )


def test_the_alert_quotes_the_polled_item_never_the_ledger() -> None:
    ledger = claim(evidence_text="[ledger] R1 79.8 vs 79.2", source_url="https://ledger.example/r1")
    [p] = plan(Router([R()], lookup), ITEM, change(ledger, is_new=False))
    message = AlertMessage.from_payload(p.payload)
    assert message.evidence == "From the polled item: DeepSeek-R1 is on par with o1."
    assert message.benchmarks == (BenchmarkPair("MATH-500", 97.3, 96.4),)
    assert message.source_url == "https://hf.co/r1"  # the polled item's link
    assert p.kind is AlertKind.NEW  # history never alerted: a NEW alert naming the new source


def test_all_claims_of_an_item_are_one_message_per_destination() -> None:
    router = Router([R(), R(destination="slack:C1", min_confidence=0.8)], lookup)
    changes = [
        change(claim(id=1, frontier_key="o1", confidence=0.9)),
        change(claim(id=2, frontier_key="gpt-4", confidence=0.7)),
    ]
    planned = plan(router, ITEM, *changes)
    groups = {(p.destination, p.group) for p in planned}
    assert groups == {("discord:1", "release:i1:discord:1:new"), ("slack:C1", "release:i1:slack:C1:new")}
    # below the Slack route's min_confidence: out of that alert (it stays in the ledger)
    assert sorted((p.destination, p.claim_id) for p in planned) == [
        ("discord:1", 1),
        ("discord:1", 2),
        ("slack:C1", 1),
    ]


def test_a_later_source_about_the_release_replies_in_the_first_thread() -> None:
    router = Router([R(), R(destination="slack:C1")], lookup)
    second = Item("feed", "news-1", "News", "https://news/1", "t", source_kind=SourceKind.FEED)
    backed = change(claim(id=7, source_count=2), is_new=False)
    added = change(claim(id=8, frontier_key="gpt-4"), is_new=True)
    threads = {7: {"discord:1": "release:i0:discord:1:new"}}
    planned = plan(router, second, backed, added, threads=threads)
    assert [(p.kind, p.destination, p.claim_id, p.parent_key) for p in planned] == [
        (AlertKind.UPDATE, "discord:1", 7, "release:i0:discord:1:new"),
        (AlertKind.UPDATE, "discord:1", 8, "release:i0:discord:1:new"),  # adds a claim: same reply
        (AlertKind.NEW, "slack:C1", 7, None),  # never alerted there: a NEW alert
        (AlertKind.NEW, "slack:C1", 8, None),
    ]
    assert {p.group for p in planned[:2]} == {"release:i1:discord:1:update"}
    assert planned[0].payload["source_url"] == "https://news/1"
    assert planned[0].payload["source_count"] == 2


def test_a_backfill_never_replies_nor_repeats() -> None:
    router = Router([R()], lookup)
    threads = {7: {"discord:1": "release:i0:discord:1:new"}}
    assert plan(router, None, change(), threads=threads) == []


def test_digest_rows_due_at_period_end() -> None:
    router = Router(
        [R(destination="slack:C1", digest="weekly"), R(destination="webhook:a", digest="daily")],
        lookup,
        now=lambda: NOW,
    )
    weekly, daily = plan(router, ITEM, change())
    assert (weekly.kind, weekly.idempotency_key, weekly.not_before) == (
        AlertKind.DIGEST,
        "digest:slack:C1:2025-W04:7",
        datetime(2025, 1, 27, tzinfo=UTC),
    )
    assert (daily.idempotency_key, daily.not_before) == (
        "digest:webhook:a:2025-01-22:7",
        datetime(2025, 1, 23, tzinfo=UTC),
    )
    assert weekly.payload["period"] == "2025-W04"
    # a claim that only gains evidence is not news for a digest
    assert plan(router, ITEM, change(is_new=False)) == []


@pytest.mark.parametrize(
    ("kind", "now", "label", "end"),
    [
        ("daily", datetime(2025, 12, 31, 23, 59, tzinfo=UTC), "2025-12-31", datetime(2026, 1, 1, tzinfo=UTC)),
        ("weekly", datetime(2025, 1, 26, 23, 0, tzinfo=UTC), "2025-W04", datetime(2025, 1, 27, tzinfo=UTC)),
        ("weekly", datetime(2025, 1, 27, 0, 0, tzinfo=UTC), "2025-W05", datetime(2025, 2, 3, tzinfo=UTC)),
        ("weekly", datetime(2024, 12, 30, tzinfo=UTC), "2025-W01", datetime(2025, 1, 6, tzinfo=UTC)),
    ],
)
def test_digest_period(kind: str, now: datetime, label: str, end: datetime) -> None:
    assert digest_period(kind, now) == (label, end)
