"""The command core beyond /gap: /track, /untrack, /frontier, /claims, /subscribe, /sources,
/status, autocomplete, and the text of every reply — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.commands.core import CommandCore
from bot.domain import SourceKind, SourceSpec
from bot.errors import CommandError, UnknownModelError
from bot.render.report_text import render_reply_text
from storage.repo import Repository
from tests.bot.commands.conftest import NOW
from tests.bot.commands.standin import build_core
from tests.conftest import Database


@pytest.fixture
async def core(db: Database, registry: Any) -> CommandCore:
    return await build_core(db, registry, NOW)  # type: ignore[no-any-return]


async def test_track_adds_a_model_that_gap_and_autocomplete_know(core: CommandCore, db: Database) -> None:
    reply = await core.track("Grok 4", aliases="grok-4; Grok4", released="2025-07-09", lab="xAI", actor="u1")
    assert (reply.model.key, reply.model.tracked, reply.retracked) == ("grok-4", True, False)
    assert core.registry.get("grok4").key == "grok-4"
    assert (await core.gap("Grok 4")).entries == ()
    assert ("grok-4", "grok-4") in core.complete_model("grok")
    rows = await Repository(db.sessions, dialect=db.dialect).get_frontier_rows()
    assert [(r.key, r.lab) for r in rows] == [("grok-4", "xAI")]


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("", {}, "give the model's name"),
        ("o1", {}, "already tracked as `o1`; /untrack o1 first"),
        ("Grok 4", {"released": "July"}, "released must be a date like 2026-01-15"),
        ("Grok 4", {"released": "2027-01-01"}, "is in the future"),
        ("Grok 4", {"aliases": "grok-4, OpenAI-o1-1217"}, "alias 'OpenAI-o1-1217' already names `o1`"),
        ("!!!", {}, "needs letters or digits"),
    ],
)
async def test_track_refuses_bad_arguments(
    core: CommandCore, name: str, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        await core.track(name, **kwargs)


async def test_untrack_keeps_history_and_track_brings_back_a_reference_model(core: CommandCore) -> None:
    await core.untrack("OpenAI-o1-1217")
    assert "o1" not in {m.key for m in core.frontier().models}
    assert (await core.gap("o1")).days_to_parity == 46  # history stays
    with pytest.raises(CommandError, match="not tracked"):
        await core.untrack("o1")
    again = await core.track("Llama 3.1 405B")  # a reference model, not tracked by default
    assert again.retracked and again.model.key == "llama-3.1-405b" and again.model.tracked
    with pytest.raises(UnknownModelError):
        await core.untrack("gpt-9")


async def test_frontier_lists_tracked_models_newest_first(core: CommandCore) -> None:
    models = core.frontier().models
    assert models[0].released >= models[-1].released
    assert "llama-3.1-405b" not in {m.key for m in models} and "o1" in {m.key for m in models}
    assert render_reply_text(core.frontier()).startswith(f"Tracked frontier models ({len(models)}):")


@pytest.mark.parametrize(
    ("model", "days", "expected"),
    [
        (
            "o1",
            3650,
            ["Qwen3-235B-A22B", "Doubao flagship model update", "DeepSeek-R1", "Kimi k1.5 (long-CoT)"],
        ),
        ("o1", 280, ["Qwen3-235B-A22B"]),  # since 2025-04-10
        ("gpt-5", "60", ["DeepSeek-V3.2 / V3.2-Speciale"]),  # since 2025-11-16
        ("o1", 1, []),
    ],
)
async def test_claims_window(core: CommandCore, model: str, days: Any, expected: list[str]) -> None:
    reply = await core.claims(model, days)
    assert sorted(line.entry.competitor for line in reply.lines) == sorted(expected)
    assert [line.entry.claimed_on for line in reply.lines] == sorted(
        (line.entry.claimed_on for line in reply.lines), reverse=True
    )


async def test_claims_across_models_and_bad_days(core: CommandCore) -> None:
    reply = await core.claims(None, 120)  # since 2025-09-17
    assert {(line.frontier_key, line.entry.competitor) for line in reply.lines} >= {
        ("gpt-5", "Kimi K2 Thinking"),
        ("gemini-3-pro", "DeepSeek-V3.2-Speciale"),
    }
    assert "Claims against all frontier models in the last 120 days" in render_reply_text(reply)
    for bad in ("0", "ten", 99999):
        with pytest.raises(CommandError, match="days must"):
            await core.claims("o1", bad)


async def test_subscribe_resolves_aliases_and_replaces(core: CommandCore) -> None:
    first = await core.subscribe(
        "slack:C1", frontier="OpenAI-o1-1217, gpt-4o", relations="Matches", actor="u"
    )
    assert dict(first.subscription.filters) == {"frontier": ["o1", "gpt-4o"], "relations": ["matches"]}
    assert not first.replaced
    second = await core.subscribe("slack:C1", min_confidence="0.8", labs="DeepSeek")
    assert second.replaced and dict(second.subscription.filters) == {
        "labs": ["DeepSeek"],
        "min_confidence": 0.8,
    }
    assert "min confidence 0.8" in render_reply_text(second)
    assert (await core.unsubscribe("slack:C1")).removed
    assert not (await core.unsubscribe("slack:C1")).removed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frontier": "o9"}, "unknown frontier model 'o9'"),
        ({"relations": "beats"}, "unknown relation 'beats'; use one or more of matches"),
        ({"min_confidence": "high"}, "min_confidence must be a number"),
        ({"min_confidence": 1.5}, "min_confidence must be from 0 to 1"),
    ],
)
async def test_subscribe_refuses_bad_filters(core: CommandCore, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        await core.subscribe("discord:1", **kwargs)


async def test_sources_and_status(core: CommandCore, db: Database) -> None:
    repo = Repository(db.sessions, dialect=db.dialect)
    good = SourceSpec(SourceKind.FEED, "https://a.example/feed", "Lab A blog")
    bad = SourceSpec(SourceKind.GITHUB, "acme/models", "Acme releases")
    await repo.sync_sources([good, bad], now=NOW)
    await repo.record_failure(bad, "HTTP 503", now=NOW, next_poll_at=NOW + timedelta(minutes=30))
    sources = await core.sources()
    assert [s.name for s in sources.sources] == ["Acme releases", "Lab A blog"] and sources.failing == 1
    text = render_reply_text(sources)
    assert "Acme releases [github] FAILING x1: HTTP 503" in text and "next poll in 30 min" in text
    status = await core.status()
    assert (status.outbox_depth, status.parked_count, status.failing_sources) == (0, 0, 1)
    assert status.counts.claims == status.counts.seed_claims == 37 and status.counts.sources == 2
    assert "gapwatch 0.1.0" in render_reply_text(status)


async def test_autocomplete_is_capped_and_ranked(core: CommandCore) -> None:
    assert len(core.complete_model("")) <= 25
    choices = core.complete_model("o1")
    assert choices[0] == ("o1", "o1") and len(choices) <= 25
    assert core.complete_model("no such thing") == []


async def test_gap_needs_a_model(core: CommandCore) -> None:
    with pytest.raises(CommandError, match=r"e\.g\. /gap o1"):
        await core.gap("  ")


def test_now_is_fixed() -> None:
    assert NOW == datetime(2026, 1, 15, 12, tzinfo=UTC) and NOW.date() == date(2026, 1, 15)
