"""The /gap chart is a valid PNG whose size and content follow the data."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import numpy as np
from matplotlib.image import imread

from bot.commands.gap import GapEntry, GapReport, ParityTime
from bot.domain import BenchmarkPair, FrontierModel, Relation
from bot.render.chart import render_chart

PNG = b"\x89PNG\r\n\x1a\n"
O1 = FrontierModel("o1", "OpenAI o1", "OpenAI", date(2024, 12, 5), ("OpenAI-o1-1217",))


def entry(name: str, day: date, relation: Relation = Relation.MATCHES, *, broad: bool = True) -> GapEntry:
    return GapEntry(
        competitor=name,
        lab="Lab",
        relation=relation,
        claimed_on=day,
        days_after_release=(day - O1.released).days,
        confidence=0.9,
        benchmarks=(BenchmarkPair("AIME 2024", 79.8, 79.2),),
        source_url="https://example.org/x",
        source_count=2,
        open_weights=True,
        origin="seed",
        evidence="e",
        broad=broad,
        credible=broad and relation.is_parity,
    )


R1 = entry("DeepSeek-R1", date(2025, 1, 20))
QWEN = entry("Qwen3-235B-A22B", date(2025, 4, 29), Relation.EXCEEDS)
DOUBAO = entry("Doubao", date(2025, 1, 22), Relation.EXCEEDS, broad=False)
GPT4 = ParityTime("gpt-4", "GPT-4", date(2023, 3, 14), ("Gemini Ultra",), date(2023, 12, 6), 267, True)


def decode(png: bytes) -> np.ndarray:
    assert png.startswith(PNG)
    return imread(io.BytesIO(png), format="png")


def test_chart_is_a_png_that_decodes() -> None:
    report = GapReport(O1, (R1, DOUBAO, QWEN), (R1,), (GPT4,))
    image = decode(render_chart(report))
    height, width = image.shape[:2]
    assert width > 900 and height > 250
    assert image[..., :3].std() > 0.05  # not a blank canvas


def test_more_claims_make_a_taller_image() -> None:
    small = decode(render_chart(GapReport(O1, (R1,), (R1,), ())))
    entries = tuple(replace(R1, competitor=f"Model {i}", claimed_on=date(2025, 1, 1 + i)) for i in range(12))
    large = decode(render_chart(GapReport(O1, entries, (entries[0],), ())))
    assert large.shape[0] > small.shape[0] + 200


def test_content_changes_with_the_data() -> None:
    first = render_chart(GapReport(O1, (R1,), (R1,), (GPT4,)))
    moved = render_chart(
        GapReport(
            O1,
            (replace(R1, claimed_on=date(2025, 3, 1), days_after_release=86),),
            (replace(R1, claimed_on=date(2025, 3, 1), days_after_release=86),),
            (GPT4,),
        )
    )
    assert first != moved
    a, b = decode(first), decode(moved)
    assert a.shape == b.shape and np.abs(a - b).sum() > 0


def test_comparison_panel_widens_the_image_and_empty_reports_still_render() -> None:
    alone = decode(render_chart(GapReport(O1, (R1,), (R1,), ())))
    compared = decode(render_chart(GapReport(O1, (R1,), (R1,), (GPT4,))))
    assert compared.shape[1] > alone.shape[1]
    empty = decode(render_chart(GapReport(O1, (), (), ())))
    assert empty.shape[0] > 100


def test_cjk_model_names_render_without_a_warning() -> None:
    """Warnings are errors here: a glyph no font has must never reach matplotlib."""
    report = GapReport(
        frontier=replace(O1, name="OpenAI o1 (全量版)"),
        entries=(
            entry("通义千问 Qwen2.5-Max", date(2025, 1, 28)),
            entry("文心一言 4.5", date(2025, 3, 16)),
            R1,
        ),
        first_credible=(R1,),
        comparisons=(GPT4, replace(GPT4, frontier_name="文心 大模型")),
        total_claims=3,
    )
    assert decode(render_chart(report)).shape[0] > 100


def test_labels_keep_what_a_font_can_draw_and_box_the_rest() -> None:
    from bot.render.chart_fonts import MISSING, drawable, families

    assert drawable("DeepSeek-R1 é") == "DeepSeek-R1 é"
    cjk = drawable("通义千问")
    has_cjk_font = len(families()) > 1
    assert cjk == ("通义千问" if has_cjk_font else MISSING * 4)
