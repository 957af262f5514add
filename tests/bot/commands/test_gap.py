"""/gap over the seeded reference ledger, on SQLite and PostgreSQL: timeline.md's figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.commands.gap import ENTRY_LIMIT, GapReport, gap_report
from bot.domain import Relation
from bot.errors import UnknownModelError
from storage.queries import Queries
from storage.schema import ClaimRow, EvidenceRow
from storage.seed import load_ledger, seed_history
from tests.bot.commands.conftest import NOW
from tests.conftest import Database

# (query, frontier key, first credible competitors, parity date, days) — shared/reference/timeline.md
FIGURES = [
    ("gpt-4", "gpt-4", ["Gemini Ultra (Gemini 1.0 Ultra)"], date(2023, 12, 6), 267),
    ("GPT-4o", "gpt-4o", ["Claude 3.5 Sonnet"], date(2024, 6, 20), 38),
    ("o1-preview", "o1-preview", ["DeepSeek-R1-Lite-Preview"], date(2024, 11, 20), 69),
    ("o1", "o1", ["DeepSeek-R1", "Kimi k1.5 (long-CoT)"], date(2025, 1, 20), 46),
    ("OpenAI-o1-1217", "o1", ["DeepSeek-R1", "Kimi k1.5 (long-CoT)"], date(2025, 1, 20), 46),
    ("claude-3.5-sonnet-20240620", "claude-3.5-sonnet-20240620", ["Llama 3.1 405B"], date(2024, 7, 23), 33),
    ("claude-3-5-sonnet-20241022", "claude-3.5-sonnet-20241022", ["DeepSeek-V3"], date(2024, 12, 26), 65),
    ("o3-mini", "o3-mini", ["Grok 3 (Reasoning Beta)"], date(2025, 2, 17), 17),
    ("gpt-5", "gpt-5", ["Kimi K2 Thinking"], date(2025, 11, 6), 91),
    ("gemini-3-pro", "gemini-3-pro", ["DeepSeek-V3.2-Speciale"], date(2025, 12, 1), 13),
]


async def _seeded(db: Database, registry: Any) -> Queries:
    await seed_history(db.sessions, registry, now=NOW)
    return Queries(db.sessions)


@pytest.mark.parametrize(("query", "key", "firsts", "when", "days"), FIGURES, ids=[f[0] for f in FIGURES])
async def test_time_to_first_credible_parity(
    db: Database, registry: Any, query: str, key: str, firsts: list[str], when: date, days: int
) -> None:
    report = await gap_report(await _seeded(db, registry), registry, query)
    assert report.frontier.key == key
    assert sorted(e.competitor for e in report.first_credible) == firsts
    assert (report.parity_date, report.days_to_parity) == (when, days)


async def test_gpt4_skips_narrow_unverified_and_approaches(db: Database, registry: Any) -> None:
    report = await gap_report(await _seeded(db, registry), registry, "gpt-4")
    by_name = {e.competitor: e for e in report.entries}
    wizard = by_name["WizardCoder-Python-34B-V1.0"]
    assert (wizard.days_after_release, wizard.broad, wizard.credible) == (165, False, False)
    assert by_name["ERNIE 4.0 (Ernie Bot 4.0)"].days_after_release == 217
    assert not by_name["ERNIE 4.0 (Ernie Bot 4.0)"].credible
    assert by_name["Falcon 180B"].relation is Relation.APPROACHES and not by_name["Falcon 180B"].credible
    assert [e.claimed_on for e in report.entries] == sorted(e.claimed_on for e in report.entries)


async def test_entry_details_for_o1_preview(db: Database, registry: Any) -> None:
    report = await gap_report(await _seeded(db, registry), registry, "o1-preview")
    lite = next(e for e in report.entries if e.competitor == "DeepSeek-R1-Lite-Preview")
    assert lite.relation is Relation.EXCEEDS
    assert lite.open_weights is False and lite.origin == "seed"
    assert lite.source_count == 2 and lite.source_url and lite.source_url.startswith("https://")
    aime = next(p for p in lite.benchmarks if p.benchmark == "AIME 2024")
    assert (aime.competitor, aime.frontier, aime.delta) == (52.5, 44.6, 7.9)
    qwq = next(e for e in report.entries if e.competitor == "QwQ-32B-Preview")
    assert qwq.open_weights is True and qwq.days_after_release == 77
    # earlier frontier models' times to parity are part of the report
    earlier = {c.frontier_key: c.days for c in report.comparisons if c.earlier}
    assert earlier["gpt-4"] == 267 and earlier["gpt-4o"] == 38
    assert "o1" in {c.frontier_key for c in report.comparisons if not c.earlier}


async def test_no_credible_parity_yet(db: Database, registry: Any) -> None:
    # o3: only DeepSeek-R1-0528 "approaching" (42 days) — no parity date
    report = await gap_report(await _seeded(db, registry), registry, "o3")
    assert report.first_credible == () and report.days_to_parity is None
    assert [(e.competitor, e.days_after_release) for e in report.entries] == [("DeepSeek-R1-0528", 42)]


async def test_unknown_model_suggests_close_matches(db: Database, registry: Any) -> None:
    with pytest.raises(UnknownModelError) as caught:
        await gap_report(await _seeded(db, registry), registry, "o1-previw")
    assert "o1-preview" in caught.value.suggestions
    assert "o1-preview" in str(caught.value)


async def test_seed_is_idempotent_and_says_where_rows_came_from(db: Database, registry: Any) -> None:
    ledger = load_ledger()
    assert await seed_history(db.sessions, registry, now=NOW) == len(ledger)
    assert await seed_history(db.sessions, registry, now=NOW) == 0
    async with db.sessions() as session:
        rows = (await session.scalars(select(ClaimRow))).all()
        evidence = await session.scalar(select(func.count()).select_from(EvidenceRow))
    assert len(rows) == len(ledger) == evidence
    assert {r.origin for r in rows} == {"seed"} and not any(r.alerted for r in rows)
    assert all(r.source_url and r.claimed_on for r in rows)


async def test_detected_claim_joins_the_seed_history(db: Database, registry: Any) -> None:
    queries = await _seeded(db, registry)
    seen = datetime(2026, 1, 10, tzinfo=UTC)
    async with db.sessions() as session, session.begin():
        for competitor, relation, confidence, evidence, claimed in [
            ("Acme-R2", "matches", 0.8, "Acme-R2 matches o1-preview on reasoning", date(2024, 11, 1)),
            ("Tiny-1", "exceeds", 0.4, "Tiny-1 beats o1-preview (weak cue)", date(2024, 10, 1)),
        ]:
            session.add(
                ClaimRow(
                    competitor=competitor,
                    competitor_norm=competitor.lower(),
                    lab="Acme",
                    frontier_key="o1-preview",
                    relation=relation,
                    relation_class="parity",
                    confidence=confidence,
                    evidence_text=evidence,
                    benchmarks=[["GPQA", 70.0, 73.3]],
                    source_url="https://example.org/acme",
                    source_count=3,
                    claimed_on=claimed,
                    first_seen_at=seen,
                    updated_at=seen,
                    origin="detected",
                    open_weights=True,
                )
            )
    report: GapReport = await gap_report(queries, registry, "o1-preview")
    assert [e.competitor for e in report.first_credible] == ["Acme-R2"]
    assert report.days_to_parity == 50
    acme = report.first_credible[0]
    assert acme.origin == "detected" and acme.source_count == 3 and acme.benchmarks[0].delta == -3.3
    expected = {"date": "2024-11-01", "days": 50, "competitors": ["Acme-R2"]}
    assert report.to_json()["first_credible"] == expected


async def test_long_histories_are_capped_but_keep_the_first_credible_claim(
    db: Database, registry: Any
) -> None:
    queries = await _seeded(db, registry)
    seen = datetime(2026, 1, 10, tzinfo=UTC)
    async with db.sessions() as session, session.begin():
        session.add_all(
            ClaimRow(
                competitor=f"Early-{i}",
                competitor_norm=f"early{i}",
                lab=None,
                frontier_key="o1-preview",
                relation="approaches",
                relation_class="approaches",
                confidence=0.9,
                evidence_text="close to o1",
                benchmarks=[],
                source_url=None,
                source_count=1,
                claimed_on=date(2024, 9, 13),
                first_seen_at=seen,
                updated_at=seen,
                origin="detected",
                open_weights=None,
            )
            for i in range(ENTRY_LIMIT + 10)
        )
    report = await gap_report(queries, registry, "o1-preview")
    assert report.total_claims == ENTRY_LIMIT + 10 + 5
    # the earliest ones, plus the credible parity claims past the cap (R1-Lite, QwQ, Sky-T1)
    assert len(report.entries) == ENTRY_LIMIT + 3
    assert [e.competitor for e in report.first_credible] == ["DeepSeek-R1-Lite-Preview"]
    assert report.days_to_parity == 69


async def test_one_row_per_model_with_all_its_sources(db: Database, registry: Any) -> None:
    """A model seen under two spellings and with two relations is one row naming every source."""
    from bot.domain import Claim, Item, PollResult, SourceKind, SourceSpec
    from storage.repo import Repository

    queries = await _seeded(db, registry)
    repo = Repository(db.sessions, dialect=db.dialect)
    spec = SourceSpec(SourceKind.FEED, "http://127.0.0.1/f.xml", "F")
    items = [
        Item(
            spec.key,
            f"k{i}",
            "t",
            f"https://news.example/{i}",
            "x",
            published=datetime(2025, 1, 21 + i, tzinfo=UTC),
        )
        for i in range(2)
    ]
    await repo.record_poll(spec, PollResult(items=tuple(items)), now=NOW, next_poll_at=NOW)
    said = [
        Claim("deepseek-ai/DeepSeek-R1", "o1", Relation.MATCHES, "R1 is on par with o1", 0.8),
        Claim("DeepSeek R1", "o1", Relation.TRAILS, "R1 still trails o1 on SWE-bench", 0.7),
    ]
    for item, claim in zip(items, said, strict=True):
        await repo.record_claims(item, [claim], None, now=NOW)
    report = await gap_report(queries, registry, "o1")
    rows = [
        e for e in report.entries if "deepseekr1" == e.competitor.lower().replace("-", "").replace(" ", "")
    ]
    [r1] = rows
    assert r1.relation is Relation.MATCHES and r1.credible and r1.claimed_on == date(2025, 1, 20)
    assert "https://news.example/0" in r1.sources and "https://news.example/1" in r1.sources
    assert len(r1.sources) >= 3 and r1.source_count >= len(r1.sources)  # the ledger's, then the news
    assert report.days_to_parity == 46


def test_reports_link_every_source_of_a_row() -> None:
    from dataclasses import replace as copy

    from bot.commands.gap import GapEntry
    from bot.domain import FrontierModel
    from bot.render.report_discord import gap_embed
    from bot.render.report_text import entry_line

    model = FrontierModel("o1", "OpenAI o1", "OpenAI", date(2024, 12, 5))
    base = GapReport(model, (), (), ())
    entry = GapEntry(
        "Kimi k1.5",
        "Moonshot AI",
        Relation.MATCHES,
        date(2025, 1, 20),
        46,
        0.9,
        (),
        "https://a.example/1",
        5,
        None,
        "detected",
        "e",
        True,
        True,
        sources=tuple(f"https://a.example/{i}" for i in range(1, 6)),
    )
    report = copy(base, entries=(entry,), first_credible=(entry,))
    assert entry_line(entry).endswith(
        "https://a.example/1 | https://a.example/2 | https://a.example/3 (+2 more)"
    )
    value = gap_embed(report, chart=False)["fields"][0]["value"]
    assert value.endswith(
        "[source](https://a.example/1) · [2](https://a.example/2) · [3](https://a.example/3) +2 more"
    )
