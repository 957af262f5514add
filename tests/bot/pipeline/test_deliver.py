"""deliver_due over the real outbox with scripted in-memory sinks (the platforms come in
tests/scenario/test_delivery.py)."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain import Alert, AlertKind, DeliveryReceipt, PlannedAlert
from bot.errors import DeliveryError, RateLimited
from bot.pipeline.deliver import DeliveryPolicy, deliver_due
from storage.outbox import Outbox
from tests.storage.test_outbox import add_claim

T0 = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)
MSG = {"competitor": "R1", "relation": "matches", "frontier_name": "o1"}


class ScriptedSink:
    """Answers each send with the next scripted outcome (an exception or None = accept)."""

    def __init__(self, name: str, *outcomes: BaseException | None) -> None:
        self.name = name
        self.outcomes: deque[BaseException | None] = deque(outcomes)
        self.sent: list[Alert] = []

    async def send(self, alert: Alert) -> DeliveryReceipt:
        outcome = self.outcomes.popleft() if self.outcomes else None
        if outcome is not None:
            raise outcome
        self.sent.append(alert)
        return DeliveryReceipt(f"m{len(self.sent)}")


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        return self.t


def policy(**kw: Any) -> DeliveryPolicy:
    return DeliveryPolicy(
        **{"max_attempts": 3, "backoff_base": 10, "backoff_max": 100, "rand": lambda: 0.5, **kw}
    )


async def run(outbox: Outbox, sinks: dict[str, Any], clock: Clock, **kw: Any) -> Any:
    return await deliver_due(outbox, sinks, now=clock, owner="test", policy=policy(**kw))


async def test_rate_limit_reschedules_without_counting_an_attempt(db: Any) -> None:
    outbox, clock = Outbox(db.sessions, dialect=db.dialect), Clock()
    await outbox.enqueue([PlannedAlert("slack:C1", AlertKind.NEW, f"k{i}", MSG) for i in range(3)], now=T0)
    sink = ScriptedSink("slack", RateLimited(30))
    stats = await run(outbox, {"slack": sink}, clock)
    assert (stats.sent, stats.rate_limited) == (0, 3)  # the destination's other rows wait too
    clock.t = T0 + timedelta(seconds=29)
    assert (await run(outbox, {"slack": sink}, clock)).sent == 0
    clock.t = T0 + timedelta(seconds=30)
    assert (await run(outbox, {"slack": sink}, clock)).sent == 3
    assert [a.idempotency_key for a in sink.sent] == ["k0", "k1", "k2"]
    assert all(a.attempts == 0 for a in sink.sent)


async def test_transient_errors_back_off_then_park(db: Any) -> None:
    outbox, clock = Outbox(db.sessions, dialect=db.dialect), Clock()
    await outbox.enqueue([PlannedAlert("webhook:a", AlertKind.NEW, "k", MSG)], now=T0)
    sink = ScriptedSink("webhook", *[DeliveryError("HTTP 500")] * 5)
    assert (await run(outbox, {"webhook": sink}, clock)).retried == 1
    clock.t += timedelta(seconds=9.9)  # backoff 10 s x (0.5 + 0.5)
    assert (await run(outbox, {"webhook": sink}, clock)).leased == 0
    clock.t += timedelta(seconds=0.1)
    assert (await run(outbox, {"webhook": sink}, clock)).retried == 1
    clock.t += timedelta(seconds=20)  # second backoff doubles
    stats = await run(outbox, {"webhook": sink}, clock)
    assert stats.parked == 1
    [parked] = await outbox.parked()
    assert parked.attempts == 3 and parked.last_error == "HTTP 500 (after 3 attempts)"


@pytest.mark.parametrize(
    ("has_sink", "error"),
    [
        (True, "channel_not_found"),
        (False, "no sink configured for 'slack:C1'"),
    ],
)
async def test_permanent_errors_park_at_once_and_report_to_admin(db: Any, has_sink: bool, error: str) -> None:
    outbox, clock = Outbox(db.sessions, dialect=db.dialect), Clock()
    refusing = ScriptedSink("slack", DeliveryError("channel_not_found", permanent=True))
    sinks = {"slack": refusing} if has_sink else {}
    await outbox.enqueue([PlannedAlert("slack:C1", AlertKind.NEW, "k", MSG)], now=T0)
    admin = ScriptedSink("console")
    stats = await run(outbox, {**sinks, "console": admin}, clock, admin_destination="console")
    assert (stats.parked, stats.admin_reports) == (1, 1)
    [parked] = await outbox.parked()
    assert parked.last_error == error
    assert [a.kind for a in admin.sent] == [AlertKind.ADMIN]  # delivered in the same call
    assert error in admin.sent[0].payload["text"]
    assert (
        await run(outbox, {**sinks, "console": admin}, clock, admin_destination="console")
    ).admin_reports == 0


async def test_update_is_sent_after_parent_in_one_call_with_its_thread(db: Any) -> None:
    outbox, clock = Outbox(db.sessions, dialect=db.dialect), Clock()
    claim = await add_claim(db)
    await outbox.enqueue(
        [
            PlannedAlert("slack:C1", AlertKind.NEW, "1:slack:C1:new", MSG),
            PlannedAlert(
                "slack:C1", AlertKind.UPDATE, "1:slack:C1:update:2", MSG, parent_key="1:slack:C1:new"
            ),
        ],
        now=T0,
        claim_id=claim,
    )
    sink = ScriptedSink("slack")
    assert (await run(outbox, {"slack": sink}, clock)).sent == 2
    assert [(a.kind, a.thread_ref) for a in sink.sent] == [(AlertKind.NEW, None), (AlertKind.UPDATE, "m1")]


async def test_an_items_claims_go_out_as_one_message_and_its_reply_threads_under_it(db: Any) -> None:
    outbox, clock = Outbox(db.sessions, dialect=db.dialect), Clock()
    first, reply = "release:i1:slack:C1:new", "release:i2:slack:C1:update"
    claims = [await add_claim(db, f"Rival-{i}") for i in range(2)]
    rows = [
        PlannedAlert(
            "slack:C1", AlertKind.NEW, f"{first}:{c}", {**MSG, "competitor": f"M{c}"}, group=first, claim_id=c
        )
        for c in claims
    ] + [
        PlannedAlert(
            "slack:C1", AlertKind.UPDATE, f"{reply}:{c}", MSG, group=reply, parent_key=first, claim_id=c
        )
        for c in claims
    ]
    await outbox.enqueue(rows, now=T0)
    sink = ScriptedSink("slack")
    assert (await run(outbox, {"slack": sink}, clock)).sent == 4
    assert [(a.kind, a.idempotency_key, a.thread_ref, len(a.payload["claims"])) for a in sink.sent] == [
        (AlertKind.NEW, first, None, 2),
        (AlertKind.UPDATE, reply, "m1", 2),
    ]


async def test_digest_rows_go_out_as_one_message(db: Any) -> None:
    outbox, clock = Outbox(db.sessions, dialect=db.dialect), Clock()
    rows = [
        PlannedAlert(
            "console",
            AlertKind.DIGEST,
            f"digest:console:2025-01-20:{i}",
            {**MSG, "competitor": f"M{i}", "period": "2025-01-20", "mention": "<@1>"},
        )
        for i in range(3)
    ]
    await outbox.enqueue(rows, now=T0)
    sink = ScriptedSink("console")
    stats = await run(outbox, {"console": sink}, clock, batch=2)
    assert stats.sent == 3 and len(sink.sent) == 1
    [digest] = sink.sent
    assert digest.idempotency_key == "digest:console:2025-01-20"
    assert digest.payload["period"] == "2025-01-20" and digest.payload["mention"] == "<@1>"
    assert [c["competitor"] for c in digest.payload["claims"]] == ["M0", "M1", "M2"]
    assert "period" not in digest.payload["claims"][0]
    assert await outbox.depth() == 0


async def test_slow_batches_renew_their_lease_so_two_workers_never_post_a_row_twice(db: Any) -> None:
    """Worker A sends slowly (15 s per message, 60 s lease): by its 5th message the batch lease
    taken at the start has expired and worker B runs a cycle. Renewing the lease per message
    keeps B off A's rows; every alert is posted exactly once."""
    from collections import Counter
    from datetime import UTC, datetime, timedelta

    from bot.domain import AlertKind, DeliveryReceipt, PlannedAlert
    from bot.pipeline.deliver import DeliveryPolicy, deliver_due
    from storage.outbox import Outbox

    now = [datetime(2025, 1, 1, tzinfo=UTC)]
    outbox = Outbox(db.sessions, dialect=db.dialect)
    planned = [
        PlannedAlert("console", AlertKind.NEW, f"{i}:console:new", {"text": f"a{i}"}) for i in range(6)
    ]
    await outbox.enqueue(planned, now=now[0])
    posted: Counter[str] = Counter()
    policy = DeliveryPolicy(rand=lambda: 0.5)

    class Sink:
        name = "console"

        def __init__(self, who: str) -> None:
            self.who = who

        async def send(self, alert: Any) -> DeliveryReceipt:
            posted[alert.idempotency_key] += 1
            if self.who == "A":
                now[0] += timedelta(seconds=15)
                if sum(posted.values()) == 5:  # worker B's cycle runs meanwhile
                    await deliver_due(
                        outbox, {"console": Sink("B")}, now=lambda: now[0], owner="B", policy=policy
                    )
            return DeliveryReceipt(f"m-{alert.id}")

    await deliver_due(outbox, {"console": Sink("A")}, now=lambda: now[0], owner="A", policy=policy)
    assert sorted(posted) == sorted(p.idempotency_key for p in planned)
    assert set(posted.values()) == {1}
    assert await outbox.depth() == 0


async def test_a_fast_batch_renews_its_lease_once_and_groups_are_leased_together(db: Any) -> None:
    """Messages that go out well inside the lease share one renewal (a statement per batch, not
    per message); a message group's rows leased with their group still go out as one message."""
    outbox, clock = Outbox(db.sessions, dialect=db.dialect), Clock()
    planned = [PlannedAlert("console", AlertKind.NEW, f"k{i}", MSG) for i in range(4)]
    planned += [PlannedAlert("console", AlertKind.NEW, f"g{i}", MSG, group="release-g") for i in range(3)]
    await outbox.enqueue(planned, now=T0)
    renewals: list[list[int]] = []
    real_renew = outbox.renew

    async def counting_renew(ids: Any, *args: Any) -> set[int]:
        renewals.append(list(ids))
        return await real_renew(ids, *args)

    outbox.renew = counting_renew  # type: ignore[method-assign]
    sink = ScriptedSink("console")
    stats = await run(outbox, {"console": sink}, clock, batch=5)
    assert stats.sent == 7 and len(sink.sent) == 5  # 4 alone + the group as one message
    assert len(renewals) == 1 and len(renewals[0]) == 7
    assert await outbox.depth() == 0


async def test_a_row_taken_over_between_renewals_is_not_sent(db: Any) -> None:
    """The batch renewal returns the rows still held: a row another worker holds is skipped."""
    outbox, clock = Outbox(db.sessions, dialect=db.dialect), Clock()
    await outbox.enqueue([PlannedAlert("console", AlertKind.NEW, f"k{i}", MSG) for i in range(3)], now=T0)
    real_renew = outbox.renew

    async def renew_losing_the_last(ids: Any, *args: Any) -> set[int]:
        held = await real_renew(ids, *args)
        return held - {max(ids)}

    outbox.renew = renew_losing_the_last  # type: ignore[method-assign]
    sink = ScriptedSink("console")
    stats = await run(outbox, {"console": sink}, clock)
    assert [a.idempotency_key for a in sink.sent] == ["k0", "k1"] and stats.sent == 2
