"""A whole pipeline cycle on a real database: baseline, alert once, and crashes that lose nothing.

The source and the detector are small test doubles of their ports (`Source`, `ClaimDetector`);
storage, routing, the outbox and the console sink are the real ones.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from adapters.sinks.console import ConsoleSink
from bot.clock import ManualClock
from bot.domain import Claim, Item, PollResult, Relation, SourceCursor, SourceKind, SourceSpec
from bot.errors import FetchError
from bot.pipeline import Pipeline
from bot.pipeline.deliver import DeliveryPolicy, deliver_due
from bot.pipeline.poll import Schedule
from bot.pipeline.route import Router
from bot.ports import KnownKeys
from storage.outbox import Outbox
from storage.repo import Repository

SPEC = SourceSpec(SourceKind.FEED, "http://127.0.0.1:1/feed.xml", "Test feed", lab="Acme")


@dataclass
class ListSource:
    """A Source that returns whatever items the test put in it, or raises."""

    items: list[Item] = field(default_factory=list)
    error: Exception | None = None
    spec: SourceSpec = SPEC

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        if self.error is not None:
            raise self.error
        return PollResult(items=tuple(self.items))


class SentenceDetector:
    """'<Model> matches <frontier>' -> a claim (a stand-in for the real engine)."""

    pattern = re.compile(r"(?P<who>[\w.-]+) (?P<rel>matches|beats) (?P<frontier>o1|gpt-4o)\b")

    def detect(self, item: Item) -> list[Claim]:
        return [
            Claim(
                m["who"],
                m["frontier"],
                Relation.MATCHES if m["rel"] == "matches" else Relation.EXCEEDS,
                evidence=m.group(0),
                confidence=0.9,
                lab=item.lab,
                source_url=item.url,
            )
            for m in self.pattern.finditer(item.text)
        ]


def item(key: str, text: str) -> Item:
    return Item(SPEC.key, key, title=key, url=f"https://acme.example/{key}", text=text, lab="Acme")


class CrashAfter:
    """Wraps the repository and raises once, right after the named method succeeded."""

    def __init__(self, repo: Repository, method: str) -> None:
        self._repo, self._method, self.crashed = repo, method, False

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._repo, name)
        if name != self._method or self.crashed:
            return target

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            await target(*args, **kwargs)
            self.crashed = True
            raise RuntimeError(f"simulated crash after {name}")

        return wrapper


def lookup(key: str) -> Any:
    from bot.claims.frontier import FrontierRegistry

    return FrontierRegistry.builtin().resolve(key)


@pytest.fixture
def parts(db: Any) -> dict[str, Any]:
    repo = Repository(db.sessions, dialect=db.dialect)
    outbox = Outbox(db.sessions, dialect=db.dialect)
    return {"repo": repo, "outbox": outbox, "clock": ManualClock(), "out": io.StringIO()}


def make_pipeline(parts: dict[str, Any], source: ListSource, store: Any = None) -> Pipeline:
    from bot.config import RouteSettings

    clock, outbox = parts["clock"], parts["outbox"]
    sinks = {"console": ConsoleSink(parts["out"])}
    policy = DeliveryPolicy(rand=lambda: 0.5)

    async def deliver() -> Any:
        return await deliver_due(outbox, sinks, now=clock.now, owner="test", policy=policy)

    return Pipeline(
        store=store or parts["repo"],
        sources={SPEC.key: source},
        detector=SentenceDetector(),
        planner=Router([RouteSettings(destination="console")], lookup, now=clock.now),
        deliver=deliver,
        clock=clock,
        schedule=Schedule(900, 0.0),
        owner="test",
    )


def printed(parts: dict[str, Any]) -> list[str]:
    return [b.splitlines()[0] for b in parts["out"].getvalue().split("\n\n") if b.strip()]


async def test_first_poll_is_a_baseline_then_each_new_claim_alerts_once(parts: dict[str, Any]) -> None:
    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    source = ListSource([item("old", "Old-1 matches o1 since last year.")])
    pipeline = make_pipeline(parts, source)
    stats = await pipeline.run_cycle(force=True)
    assert stats.detect.baseline_items == 1 and printed(parts) == []

    source.items.append(item("new", "Zephyr-9B matches o1 on math."))
    await pipeline.run_cycle(force=True)
    assert [line.split(" [")[0] for line in printed(parts)] == [
        "Zephyr-9B (Acme) matches OpenAI o1 (full release)"
    ]

    await pipeline.run_cycle(force=True)  # nothing new
    assert len(printed(parts)) == 1


@pytest.mark.parametrize("crash_after", ["record_polls", "record_claims_many", "mark_detected"])
async def test_crash_mid_cycle_loses_no_alert_and_duplicates_none(
    parts: dict[str, Any], crash_after: str
) -> None:
    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    source = ListSource([item("old", "nothing here")])
    await make_pipeline(parts, source).run_cycle(force=True)  # baseline

    source.items.append(item("new", "Zephyr-9B beats gpt-4o on MMLU."))
    crashing = CrashAfter(parts["repo"], crash_after)
    with pytest.raises(RuntimeError, match="simulated crash"):
        await make_pipeline(parts, source, store=crashing).run_cycle(force=True)
    assert crashing.crashed and printed(parts) == []

    parts["clock"].advance(3600)  # the restart: leases from the crashed run have expired
    await make_pipeline(parts, source).run_cycle(force=True)
    await make_pipeline(parts, source).run_cycle(force=True)
    assert [line.split(" [")[0] for line in printed(parts)] == ["Zephyr-9B (Acme) beats GPT-4o"]


async def test_a_failing_source_is_recorded_and_backs_off(parts: dict[str, Any]) -> None:
    repo = parts["repo"]
    await repo.sync_sources([SPEC], now=parts["clock"].now())
    pipeline = make_pipeline(parts, ListSource(error=FetchError("HTTP 503", url=SPEC.target)))
    stats = await pipeline.run_cycle(force=True)
    assert (stats.polled, stats.failed) == (1, 1)
    health = {h.key: h for h in await repo.source_health()}[SPEC.key]
    assert health.failures == 1 and "HTTP 503" in (health.last_error or "")
    assert health.next_poll is not None and health.next_poll > parts["clock"].now()
    # not due yet: a normal (non-forced) cycle leaves it alone
    assert (await pipeline.run_cycle()).polled == 0


async def test_backfill_alerts_on_baseline_history_once(parts: dict[str, Any]) -> None:
    from datetime import timedelta

    repo = parts["repo"]
    await repo.sync_sources([SPEC], now=parts["clock"].now())
    history = [
        item("old", "Old-1 matches o1 already."),
        item("older", "Old-1 beats gpt-4o on MMLU."),  # the same release: one message with both
    ]
    pipeline = make_pipeline(parts, ListSource(history))
    await pipeline.run_cycle(force=True)
    assert printed(parts) == []  # history, no alert

    now = parts["clock"].now()
    assert await repo.backfill(pipeline.planner, since=now - timedelta(days=1), now=now) == 2
    assert await repo.backfill(pipeline.planner, since=now - timedelta(days=1), now=now) == 0
    await pipeline.deliver()
    [block] = printed(parts)
    assert block.split(" [")[0] in (
        "Old-1 (Acme) beats GPT-4o",
        "Old-1 (Acme) matches OpenAI o1 (full release)",
    )
    text = parts["out"].getvalue()
    assert "  vs GPT-4o: exceeds" in text and "  vs OpenAI o1 (full release): matches" in text


class DropAll:
    """A verifier (port double) that rejects every claim it is asked about."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def verify(self, claim: Claim, context: str) -> Any:
        from bot.domain import Verdict

        self.asked.append(claim.competitor)
        return Verdict(keep=False, reason="test")


async def test_verifier_gets_low_confidence_claims_before_they_alert(parts: dict[str, Any]) -> None:
    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    source = ListSource([item("old", "nothing")])
    pipeline = make_pipeline(parts, source)
    await pipeline.run_cycle(force=True)

    class LowConfidence(SentenceDetector):
        def detect(self, item: Item) -> list[Claim]:
            return [c if "Sure" in c.competitor else replace(c, confidence=0.5) for c in super().detect(item)]

    pipeline.detector = LowConfidence()
    pipeline.verifier = verifier = DropAll()
    source.items.append(item("new", "Maybe-7B matches o1 today. Sure-9B beats gpt-4o too."))
    await pipeline.run_cycle(force=True)
    assert verifier.asked == ["Maybe-7B"]  # the confident claim was not sent
    assert [line.split(" [")[0] for line in printed(parts)] == ["Sure-9B (Acme) beats GPT-4o"]


async def test_an_edited_page_alerts_on_a_new_claim_but_repeats_nothing(parts: dict[str, Any]) -> None:
    page = SourceSpec(SourceKind.PAGE, "http://127.0.0.1:1/news", "Lab news page", lab="Acme")
    await parts["repo"].sync_sources([page], now=parts["clock"].now())

    def version(text: str) -> Item:
        import hashlib

        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        return Item(
            page.key,
            f"{page.target}#{digest}",
            "News",
            page.target,
            text,
            lab="Acme",
            source_kind=SourceKind.PAGE,
        )

    source = ListSource([version("Welcome.")], spec=page)
    pipeline = make_pipeline(parts, source)
    pipeline.sources = {page.key: source}
    await pipeline.run_cycle(force=True)  # baseline
    source.items = [version("Welcome. Kite-9B matches o1 on AIME.")]
    await pipeline.run_cycle(force=True)
    source.items = [version("Welcome! Kite-9B matches o1 on AIME. Updated with a typo fix.")]
    await pipeline.run_cycle(force=True)
    assert [line.split(" [")[0] for line in printed(parts)] == [
        "Kite-9B (Acme) matches OpenAI o1 (full release)"
    ]


async def test_publisher_text_with_nul_and_huge_keys_is_stored(parts: dict[str, Any]) -> None:
    """PostgreSQL refuses NUL in text, and keys longer than the column: neither may wedge a source."""
    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    long_key = "urn:" + "x" * 3000
    source = ListSource([item("old", "nothing")])
    pipeline = make_pipeline(parts, source)
    await pipeline.run_cycle(force=True)
    source.items.append(
        Item(
            SPEC.key,
            long_key,
            "T\x00itle",
            "https://acme.example/" + "y" * 2500,
            "Nul-7B matches o1\x00 today.",
            lab="Acme",
        )
    )
    stats = await pipeline.run_cycle(force=True)
    assert (stats.failed, stats.new_items) == (0, 1)
    assert await parts["repo"].known_keys(SPEC.key, [long_key]) == {long_key}
    await pipeline.run_cycle(force=True)  # the same long key again is not new
    assert [line.split(" [")[0] for line in printed(parts)] == [
        "Nul-7B (Acme) matches OpenAI o1 (full release)"
    ]


async def test_a_cycle_whose_store_fails_still_delivers_what_is_due(parts: dict[str, Any]) -> None:
    from bot.errors import StoreError

    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    source = ListSource([item("old", "nothing")])
    await make_pipeline(parts, source).run_cycle(force=True)
    source.items.append(item("new", "Zephyr-9B beats gpt-4o on MMLU."))

    crashing = CrashAfter(parts["repo"], "record_claims_many")
    with pytest.raises(RuntimeError):
        await make_pipeline(parts, source, store=crashing).run_cycle(force=True)

    class BrokenIngest:
        def __init__(self, repo: Any) -> None:
            self._repo = repo

        def __getattr__(self, name: str) -> Any:
            return getattr(self._repo, name)

        async def record_poll(self, *args: Any, **kwargs: Any) -> Any:
            raise StoreError("value too long for type character varying(2000)")

        async def record_polls(self, *args: Any, **kwargs: Any) -> Any:  # the batch fails too
            raise StoreError("value too long for type character varying(2000)")

    parts["clock"].advance(3600)
    stats = await make_pipeline(parts, source, store=BrokenIngest(parts["repo"])).run_cycle(force=True)
    assert stats.failed == 1  # the source is marked failed, the cycle goes on
    assert [line.split(" [")[0] for line in printed(parts)] == ["Zephyr-9B (Acme) beats GPT-4o"]
    health = {h.key: h for h in await parts["repo"].source_health()}[SPEC.key]
    assert "cannot store" in (health.last_error or "")


async def test_a_rate_limited_source_is_next_polled_at_its_reset(parts: dict[str, Any]) -> None:
    from datetime import timedelta

    from bot.errors import HTTPStatusError

    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    source = ListSource(error=HTTPStatusError(403, url=SPEC.target, retry_after=2700.0))
    await make_pipeline(parts, source).run_cycle()
    [health] = await parts["repo"].source_health()
    assert health.next_poll == parts["clock"].now() + timedelta(seconds=2700)
    assert health.failures == 1 and "403" in (health.last_error or "")


async def test_a_source_failing_past_pause_after_is_paused_and_probed_daily(parts: dict[str, Any]) -> None:
    from datetime import timedelta

    clock = parts["clock"]
    await parts["repo"].sync_sources([SPEC], now=clock.now())
    source = ListSource(error=FetchError("connection refused", url=SPEC.target))
    pipeline = make_pipeline(parts, source)
    pipeline.schedule = Schedule(900, 0.0, pause_after=3 * 86400)
    await pipeline.run_cycle()
    clock.advance(3 * 86400)
    await pipeline.run_cycle()
    [health] = await parts["repo"].source_health()
    assert health.paused and health.next_poll == clock.now() + timedelta(days=1)
    assert pipeline.outcomes[0].paused
    source.error = None
    clock.advance(86400)
    await pipeline.run_cycle()
    [health] = await parts["repo"].source_health()
    assert not health.paused and health.failures == 0


async def test_an_item_the_database_refuses_is_skipped_alone(parts: dict[str, Any]) -> None:
    """New items are recorded in one transaction; when the database refuses it, one by one, so
    only the refused item is skipped (marked detected without claims) and the others alert."""
    from bot.errors import StoreError

    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    source = ListSource([item("old", "nothing")])
    await make_pipeline(parts, source).run_cycle(force=True)
    source.items.append(item("bad", "Bad-1 beats gpt-4o on MMLU."))
    source.items.append(item("good", "Zephyr-9B beats gpt-4o on MMLU."))

    class RefusesOne:
        def __init__(self, repo: Any) -> None:
            self._repo = repo

        def __getattr__(self, name: str) -> Any:
            return getattr(self._repo, name)

        async def record_claims_many(self, entries: Any, *args: Any, **kwargs: Any) -> Any:
            if any(i.key == "bad" for i, _ in entries):
                raise StoreError("value too long")
            return await self._repo.record_claims_many(entries, *args, **kwargs)

        async def record_claims(self, item: Any, *args: Any, **kwargs: Any) -> Any:
            if item.key == "bad":
                raise StoreError("value too long")
            return await self._repo.record_claims(item, *args, **kwargs)

    stats = await make_pipeline(parts, source, store=RefusesOne(parts["repo"])).run_cycle(force=True)
    assert stats.new_items == 2
    assert [line.split(" [")[0] for line in printed(parts)] == ["Zephyr-9B (Acme) beats GPT-4o"]
    assert await parts["repo"].pending_items() == []  # the refused item does not block the queue
