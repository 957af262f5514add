"""Frontier registry: lookups and mentions in text are exact about variants."""

from __future__ import annotations

from datetime import date

import pytest

from bot.claims import FrontierRegistry
from bot.domain import FrontierModel
from bot.errors import UnknownModelError

REGISTRY = FrontierRegistry.builtin()

# name -> key (None: not a frontier model)
RESOLVE_CASES = [
    ("o1", "o1"),
    ("OpenAI o1", "o1"),
    ("OpenAI-o1-1217", "o1"),
    ("o1-2024-12-17", "o1"),
    ("O1", "o1"),
    ("o1-preview", "o1-preview"),
    ("o1 preview", "o1-preview"),
    ("o1-mini", "o1-mini"),
    ("o3-mini", "o3-mini"),
    ("GPT-4o", "gpt-4o"),
    ("GPT4-V", "gpt-4v"),
    ("GPT-o1", "o1"),  # a common misnomer
    ("GPT-o1-mini", "o1-mini"),
    ("GPT-o3", "o3"),
    ("gpt 4o", "gpt-4o"),
    ("GPT-4o mini", "gpt-4o-mini"),
    ("GPT-4", "gpt-4"),
    ("GPT-4 Turbo", "gpt-4-turbo"),
    ("gpt-4-turbo", "gpt-4-turbo"),
    ("Claude 3.5 Sonnet", "claude-3.5-sonnet-20240620"),
    ("claude-3-5-sonnet-20241022", "claude-3.5-sonnet-20241022"),
    ("Llama 3.1 405B", "llama-3.1-405b"),
    ("Marco-o1", None),
    ("GPT-3.5", None),
    ("o1-pro-max", None),
]


@pytest.mark.parametrize(("name", "key"), RESOLVE_CASES)
def test_resolve(name: str, key: str | None) -> None:
    model = REGISTRY.resolve(name)
    assert (model.key if model else None) == key


# sentence -> keys of the frontier models it names, in order
MENTION_CASES = [
    ("Our model beats GPT-4o on MATH.", ["gpt-4o"]),
    ("It trails GPT-4 but leads GPT-4o mini.", ["gpt-4", "gpt-4o-mini"]),
    ("Better than o1-mini, close to o1.", ["o1-mini", "o1"]),
    ("Marco-o1 and Open-O1 are open projects.", []),
    ("Compared with GPT-4 Turbo and GPT-4-Turbo-2024-04-09.", ["gpt-4-turbo", "gpt-4-turbo"]),
    ("GPT-4.5 is not GPT-4.", ["gpt-4.5", "gpt-4"]),
    ("Snapshots: GPT-4o-0806, GPT-4o-202405 and gpt-4o-mini-20240718.", ["gpt-4o", "gpt-4o", "gpt-4o-mini"]),
    ("GPT-4o-realtime is a different product.", []),
    ("A GPT-4-level model and o1-like reasoning.", ["gpt-4"]),
    ("比肩 GPT-4V 级别，超越 Gemini 1.5 Pro。", ["gpt-4v", "gemini-1.5-pro"]),
    ("OpenAI-o1-0912 was the preview; OpenAI’s o1 came later.", ["o1-preview", "o1"]),
    ("We count the 'r's in strawberry.", []),
    ("Llama-3.1-405B-Instruct is open.", ["llama-3.1-405b"]),
    # API pointers and reasoning-effort suffixes name the same model
    ("ChatGPT-4o-latest and GPT-4o-latest.", ["gpt-4o", "gpt-4o"]),
    ("o1-high, o3-low and GPT-5-high.", ["o1", "o3", "gpt-5"]),
    # a frontier lab's name glued on with a hyphen is still that model; another prefix is not
    ("OpenAI-GPT-5-high and Anthropic-Claude-3.5-Sonnet.", ["gpt-5", "claude-3.5-sonnet-20240620"]),
    ("Acme-GPT-4o and Open-o1 are fine-tunes.", []),
    ("GPT-4o-highlights and o1-lowres are not models.", []),
    # a version with one model only is that model; a month names the snapshot
    ("Claude 3.7 and Claude-3.7-Sonnet.", ["claude-3.7-sonnet", "claude-3.7-sonnet"]),
    (
        "Claude 3.5 Sonnet (Oct) vs Claude 3.5 Sonnet.",
        ["claude-3.5-sonnet-20241022", "claude-3.5-sonnet-20240620"],
    ),
    ("Gemini 2.5 Pro Preview and gemini-2.5-pro-preview-05-06.", ["gemini-2.5-pro", "gemini-2.5-pro"]),
    ("Gemini 3 Pro Preview is not Gemini 3 Flash.", ["gemini-3-pro"]),
    (
        "GPT-4-0125 and GPT-4-1106-Preview were GPT-4 Turbo; gpt-4-0613 was not.",
        ["gpt-4-turbo"] * 3 + ["gpt-4"],
    ),
    ("Claude 3.5 Sonnet v2 is the October model.", ["claude-3.5-sonnet-20241022"]),
    ("Sonnet 3.5 v2 and sonnet-3.5-v2 are the October model too.", ["claude-3.5-sonnet-20241022"] * 2),
    (
        "Gemini Pro v1.5 and Gemini Flash v2, not Gemini Flash 2.0 Lite.",
        ["gemini-1.5-pro", "gemini-2.0-flash"],
    ),
    ("Claude Sonnet 3.7 and Claude-3.7-Sonnet-Thinking.", ["claude-3.7-sonnet", "claude-3.7-sonnet"]),
    ("Gemini 2.0 Flash Thinking is its own model.", []),
    ("Gemini-2 Flash and Gemini 2 Flash, not Gemini 2.5 Flash.", ["gemini-2.0-flash", "gemini-2.0-flash"]),
]


@pytest.mark.parametrize(("text", "keys"), MENTION_CASES)
def test_mentions(text: str, keys: list[str]) -> None:
    assert [m.model.key for m in REGISTRY.matcher.find(text)] == keys


def test_get_unknown_suggests_close_names() -> None:
    with pytest.raises(UnknownModelError) as info:
        REGISTRY.get("o1-previw")
    assert "o1-preview" in info.value.suggestions
    assert "o1-preview" in str(info.value)


def test_tracked_excludes_reference_models() -> None:
    tracked = {m.key for m in REGISTRY.tracked()}
    assert {"o1", "gpt-4", "gpt-4o"} <= tracked
    assert "llama-3.1-405b" not in tracked
    assert "llama-3.1-405b" in {m.key for m in REGISTRY.all()}


def test_extend_adds_and_replaces_without_touching_the_original() -> None:
    extra = FrontierModel("grok-3", "Grok 3", "xAI", date(2025, 2, 17), aliases=("Grok-3",))
    retracked = FrontierModel(
        "llama-3.1-405b", "Llama 3.1 405B", "Meta", date(2024, 7, 23), aliases=("Llama 3.1 405B",)
    )
    bigger = REGISTRY.extend([extra, retracked])
    assert bigger.get("grok 3").key == "grok-3"
    assert "llama-3.1-405b" in {m.key for m in bigger.tracked()}
    assert REGISTRY.resolve("Grok-3") is None
    assert [m.model.key for m in bigger.matcher.find("It rivals Grok-3.")] == ["grok-3"]


def test_shorthand_reads_a_family_word_as_the_one_model_the_text_names_in_full() -> None:
    from bot.claims.frontier import ShorthandMatcher

    one = "We tested Claude 3.5 Sonnet. Zeta got 73%, close to Sonnet's 77%."
    found = ShorthandMatcher(REGISTRY.matcher, one).find(one)
    assert [(one[m.start : m.end], m.model.key, m.shorthand) for m in found] == [
        ("Claude 3.5 Sonnet", "claude-3.5-sonnet-20240620", False),
        ("Sonnet", "claude-3.5-sonnet-20240620", True),
    ]
    two = "We tested Claude 3.5 Sonnet and Claude 3.7 Sonnet. Zeta is close to Sonnet."
    assert [m.shorthand for m in ShorthandMatcher(REGISTRY.matcher, two).find(two)] == [False, False]
    alone = "Zeta got 73%, close to Sonnet's 77%."
    assert ShorthandMatcher(REGISTRY.matcher, alone).find(alone) == []
