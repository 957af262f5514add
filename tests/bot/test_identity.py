"""The model-identity merge rule as a table: which competitor names are one release."""

from __future__ import annotations

import pytest

from bot.identity import identify, same_family, same_release

SAME = [
    ("MiniMax-01", "MiniMax-Text-01"),
    ("MiniMaxAI/MiniMax-Text-01", "MiniMax-01"),
    ("deepseek-ai/DeepSeek-R1", "DeepSeek-R1"),
    ("DeepSeek R1", "deepseek_r1"),
    ("DeepSeek-R1", "DEEPSEEK-R1"),
    ("Kimi k1.5", "Kimi-K1.5"),
    ("Kimi k1.5", "kimi k 1.5"),
    ("Qwen/Qwen2.5-72B-Instruct", "Qwen2.5-72B"),
    ("Qwen2.5 72B", "qwen2.5-72b-instruct"),
    ("Qwen3-235B-A22B", "Qwen/Qwen3-235B-A22B"),
    ("Qwen3 235B A22B", "qwen3-235b-a22b"),
    ("Qwen3-235B-A22B", "Qwen3 235B"),  # the active count is not needed to name the model
    ("Qwen3-30B-A3B", "Qwen3-30B"),
    ("Qwen2.5-1.5B-Instruct-GGUF", "Qwen2.5-1.5B"),
    ("Qwen2.5-72B-Instruct-AWQ", "Qwen2.5-72B-Instruct"),
    ("meta-llama/Meta-Llama-3.1-405B-Instruct", "Llama 3.1 405B"),
    ("Llama-3.1-405B", "Llama 3.1 405 B"),
    ("gemma-2-9b-it", "Gemma 2 9B"),
    ("GPT-4o", "gpt4o"),
    ("ERNIE 4.0 (Ernie Bot 4.0)", "ERNIE 4.0"),
    ("Mixtral-8x7B-Instruct-v0.1", "mixtral 8x7b instruct v0.1"),
    ("DeepSeek-V3", "deepseek v3 (chat)"),
    ("\uff31\uff57\uff45\uff4e\uff13-\uff13\uff12\uff22", "Qwen3-32B"),  # full-width (NFKC)
    ("通义千问2.5", "通义千问 2.5"),
    ("Phi-4", "phi4"),
    ("QwQ-32B-Preview", "Qwen/QwQ-32B-Preview"),
]

NOT_SAME = [
    ("Qwen3-235B-A22B", "Qwen3-32B"),
    ("Qwen3-30B-A3B", "Qwen3-32B"),
    ("Qwen2.5-72B", "Qwen2.5-7B"),
    ("Qwen2.5-Max", "Qwen2.5-72B"),
    ("MiniMax-VL-01", "MiniMax-Text-01"),
    ("Kimi k1.5", "Kimi K2"),
    ("DeepSeek-R1", "DeepSeek-R1-Lite-Preview"),
    ("DeepSeek-R1", "DeepSeek-V3"),
    ("DeepSeek-V3", "DeepSeek-V3-0324"),
    ("DeepSeek-R1-Distill-Qwen-32B", "Qwen2.5-32B"),
    ("Llama-3.1-405B", "Llama-3.1-70B"),
    ("Llama-3.1-405B", "Llama-3.3-70B"),
    ("Mixtral-8x7B", "Mixtral-8x22B"),
    ("Mistral-Large-2407", "Mistral-Large-2411"),
    ("QwQ-32B-Preview", "QwQ-32B"),
    ("Qwen3-235B-A22B", "Qwen3-235B-A22B-Thinking-2507"),
    ("Gemma 2 9B", "Gemma 2 27B"),
    ("long2short", "Kimi k1.5"),
    ("GLM-4", "GLM-4V"),
    ("Yi-Lightning", "Yi-Large"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_one_release(a: str, b: str) -> None:
    assert same_release(a, b), (identify(a), identify(b))
    assert identify(a).key == identify(b).key


@pytest.mark.parametrize(("a", "b"), NOT_SAME)
def test_separate_models(a: str, b: str) -> None:
    assert not same_release(a, b), (identify(a), identify(b))


def test_the_table_is_big_enough() -> None:
    assert len(SAME) + len(NOT_SAME) >= 30


@pytest.mark.parametrize(
    ("a", "b"),
    [("Qwen3-235B-A22B", "Qwen3-32B"), ("Llama-3.1-405B", "Llama 3.1 70B"), ("Gemma 2 9B", "gemma-2-27b-it")],
)
def test_size_variants_are_one_family(a: str, b: str) -> None:
    assert same_family(a, b) and not same_release(a, b)


def test_size_variants_are_named_by_size() -> None:
    assert (identify("Qwen3-235B-A22B").size, identify("Qwen3-235B-A22B").active) == ("235b", "a22b")
    assert identify("Qwen3-32B").size == "32b"
    assert identify("Qwen3-32B").model == identify("Qwen3-235B-A22B").model == "qwen3"


def test_hugging_face_org_gives_the_lab() -> None:
    assert identify("deepseek-ai/DeepSeek-R1").org == "deepseek-ai"
    assert identify("deepseek-ai/DeepSeek-R1").lab == "DeepSeek"
    assert identify("MiniMaxAI/MiniMax-Text-01").lab == "MiniMax"
    assert identify("DeepSeek-R1").lab is None
    assert identify("unknown-org/Foo-7B").lab is None


def test_a_name_of_only_packaging_words_keeps_a_key() -> None:
    assert identify("Instruct").key == "instruct"
    assert identify("7B").key != identify("8B").key


@pytest.mark.parametrize(
    ("lab", "model_id", "expected"),
    [
        ("deepseek-ai", "deepseek-ai/DeepSeek-R1", "DeepSeek"),  # the HF adapter's default lab: the org
        (None, "moonshotai/Kimi-k1.5", "Moonshot AI"),
        ("Moonshot", "moonshotai/Kimi-k1.5", "Moonshot"),  # a configured lab name wins
        ("Qwen", None, "Alibaba (Qwen)"),
        ("Acme Labs", None, "Acme Labs"),
        (None, "someone/Model-7B", None),
        (None, None, None),
    ],
)
def test_lab_from_the_hugging_face_org(lab: str | None, model_id: str | None, expected: str | None) -> None:
    from bot.identity import lab_name

    assert lab_name(lab, model_id) == expected
