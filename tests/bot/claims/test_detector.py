"""The detector as the pipeline uses it: items in, claims out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.claims import ClaimDetector, FrontierRegistry
from bot.claims.competitor import DocumentModels, lab_for
from bot.domain import FrontierModel, Item, Relation, SourceKind
from bot.ports import ClaimDetector as ClaimDetectorPort

REGISTRY = FrontierRegistry.builtin()

CARD = """# Lark-R1

Lark-R1 is a reasoning model trained with reinforcement learning.
It achieves performance comparable to OpenAI-o1-1217 on math and code.
Lark-R1 also outperforms GPT-4o and Llama-3.1-405B on AIME 2024.
In addition, Lark-R1 rivals o1 on GPQA.
"""


def _item(text: str = CARD, **kwargs: object) -> Item:
    fields: dict[str, object] = {
        "source_key": "huggingface:acme",
        "key": "acme/Lark-R1",
        "title": "acme/Lark-R1",
        "url": "https://huggingface.co/acme/Lark-R1",
        "text": text,
        "published": datetime(2025, 1, 20, 12, tzinfo=UTC),
        "lab": None,
        "model_id": "deepseek-ai/Lark-R1",
        "source_kind": SourceKind.HUGGINGFACE,
    }
    fields.update(kwargs)
    return Item(**fields)  # type: ignore[arg-type]


def test_satisfies_the_port() -> None:
    assert isinstance(ClaimDetector(REGISTRY), ClaimDetectorPort)


def test_detect_item_fills_source_date_and_lab() -> None:
    claims = ClaimDetector(REGISTRY).detect(_item())
    assert {(c.competitor, c.frontier_key, c.relation) for c in claims} == {
        ("Lark-R1", "o1", Relation.MATCHES),
        ("Lark-R1", "gpt-4o", Relation.EXCEEDS),
    }
    for claim in claims:
        assert claim.source_url == "https://huggingface.co/acme/Lark-R1"
        assert claim.published == date(2025, 1, 20)
        assert claim.lab == "DeepSeek"  # from the Hugging Face org


def test_a_feed_headline_states_a_claim_the_summary_does_not() -> None:
    item = _item(
        "Acme's new open model is small but strong.",
        title="Quorra-9B beats GPT-4o on MATH",
        model_id=None,
        source_kind=SourceKind.FEED,
    )
    claims = ClaimDetector(REGISTRY).detect(item)
    assert [(c.competitor, c.frontier_key, c.relation) for c in claims] == [
        ("Quorra-9B", "gpt-4o", Relation.EXCEEDS)
    ]
    assert claims[0].evidence == "Quorra-9B beats GPT-4o on MATH"


def test_a_headline_without_a_named_model_borrows_nobody() -> None:
    item = _item("Results follow.", title="How it compares: beats GPT-4o?", model_id=None)
    assert ClaimDetector(REGISTRY).detect(item) == []


def test_same_claim_twice_in_a_document_is_one_claim() -> None:
    claims = ClaimDetector(REGISTRY).detect(_item())
    assert len([c for c in claims if c.frontier_key == "o1"]) == 1


def test_item_lab_wins() -> None:
    claims = ClaimDetector(REGISTRY).detect(_item(lab="Acme Labs"))
    assert {c.lab for c in claims} == {"Acme Labs"}


def test_min_confidence_filters() -> None:
    text = "It performs on par with GPT-4o."  # subject borrowed from the model id: lower confidence
    low = ClaimDetector(REGISTRY).detect(_item(text=text))
    assert len(low) == 1 and low[0].confidence < 0.8
    assert ClaimDetector(REGISTRY, min_confidence=0.8).detect(_item(text=text)) == []


def test_untracked_models_claim_only_once_tracked() -> None:
    text = "Lark-R1 outperforms Llama-3.1-405B on every benchmark."
    assert ClaimDetector(REGISTRY).detect_text(text) == []
    tracked = FrontierModel(
        "llama-3.1-405b",
        "Llama 3.1 405B",
        "Meta",
        date(2024, 7, 23),
        aliases=("Llama-3.1-405B",),
        tracked=True,
    )
    (claim,) = ClaimDetector(REGISTRY.extend([tracked])).detect_text(text)
    assert (claim.frontier_key, claim.relation) == ("llama-3.1-405b", Relation.EXCEEDS)


def test_empty_and_unrelated_texts() -> None:
    detector = ClaimDetector(REGISTRY)
    assert detector.detect_text("") == []
    assert detector.detect_text("A recipe for bread: flour, water, salt.") == []


@pytest.mark.parametrize(
    ("text", "titles", "model_id", "main"),
    [
        ("Body.", [], "acme/Heron-7B-Instruct", "Heron-7B-Instruct"),
        ("We release Sparrow-14B and Sparrow-7B. Sparrow-14B is best.", ["Sparrow"], None, "Sparrow-14B"),
        ("Kite is new. Kite is fast.", ["Kite: a fast model"], None, "Kite"),
        ("Grebe-2-9B and Grebe-2-9B-Chat beat Qwen2-7B. Grebe-2-9B-Chat wins.", [], None, "Grebe-2-9B"),
    ],
)
def test_main_model(text: str, titles: list[str], model_id: str | None, main: str) -> None:
    assert DocumentModels(text, titles=titles, model_id=model_id).main == main


@pytest.mark.parametrize(
    ("name", "model_id", "lab", "expected"),
    [
        ("Qwen2.5-72B-Instruct", None, None, "Alibaba Qwen"),
        ("Lark-7B", "openbmb/Lark-7B", None, "OpenBMB"),
        ("Lark-7B", None, "Acme", "Acme"),
        ("Lark-7B", None, None, None),
    ],
)
def test_lab_for(name: str, model_id: str | None, lab: str | None, expected: str | None) -> None:
    assert lab_for(name, model_id=model_id, lab=lab) == expected
