"""Prose claims: one row per sentence, with the claims it must (and must only) produce."""

from __future__ import annotations

import pytest

from bot.claims import ClaimDetector, FrontierRegistry
from bot.claims.cue_readers import own_object_between

DETECTOR = ClaimDetector(FrontierRegistry.builtin())

# (text, model_id, expected {(competitor, relation, frontier key)})
CASES: list[tuple[str, str | None, set[tuple[str, str, str]]]] = [
    # relation lexicon
    ("Falcon-9B performs on par with GPT-4o on reasoning.", None, {("Falcon-9B", "matches", "gpt-4o")}),
    ("Orca-X-13B achieves results comparable to o1-mini.", None, {("Orca-X-13B", "matches", "o1-mini")}),
    ("Nova-2-70B rivals Claude 3 Opus in coding.", None, {("Nova-2-70B", "matches", "claude-3-opus")}),
    ("Nova-2-70B is competitive with GPT-4 Turbo.", None, {("Nova-2-70B", "matches", "gpt-4-turbo")}),
    ("Nova-2-70B is as good as GPT-4 on MMLU.", None, {("Nova-2-70B", "matches", "gpt-4")}),
    ("Nova-2-70B outperforms GPT-4o on AIME 2024.", None, {("Nova-2-70B", "exceeds", "gpt-4o")}),
    ("Nova-2-70B surpasses o1-preview on MATH-500.", None, {("Nova-2-70B", "exceeds", "o1-preview")}),
    ("Nova-2-70B beats Gemini 1.5 Pro.", None, {("Nova-2-70B", "exceeds", "gemini-1.5-pro")}),
    ("Nova-2-70B is better than GPT-4V at charts.", None, {("Nova-2-70B", "exceeds", "gpt-4v")}),
    ("Nova-2-70B approaches GPT-4o on GPQA.", None, {("Nova-2-70B", "approaches", "gpt-4o")}),
    ("Nova-2-70B scores close to o1 on AIME.", None, {("Nova-2-70B", "approaches", "o1")}),
    ("Nova-2-70B narrows the gap with o3-mini.", None, {("Nova-2-70B", "approaches", "o3-mini")}),
    ("Nova-2-70B still lags behind GPT-4o.", None, {("Nova-2-70B", "trails", "gpt-4o")}),
    ("Nova-2-70B falls short of o1 on hard problems.", None, {("Nova-2-70B", "trails", "o1")}),
    (
        "Nova-2-70B trails Claude 3.5 Sonnet on SWE-bench.",
        None,
        {("Nova-2-70B", "trails", "claude-3.5-sonnet-20240620")},
    ),
    ("Nova-2-70B reaches GPT-4-level quality.", None, {("Nova-2-70B", "matches", "gpt-4")}),
    # negation and hedging
    ("Nova-2-70B does not yet match o1.", None, {("Nova-2-70B", "trails", "o1")}),
    ("Nova-2-70B is not comparable to GPT-4o on long context.", None, {("Nova-2-70B", "trails", "gpt-4o")}),
    ("Nova-2-70B aims to match o1 by next year.", None, set()),
    ("Nova-2-70B could rival GPT-4o with more data.", None, set()),
    ("Can Nova-2-70B match o1?", None, set()),
    (
        "Nova-2-70B not only matches GPT-4o but also runs on a laptop.",
        None,
        {("Nova-2-70B", "matches", "gpt-4o")},
    ),
    # one sentence, several relations
    (
        "Nova-2-70B outperforms GPT-4o, while a performance gap remains compared to o1-mini.",
        None,
        {("Nova-2-70B", "exceeds", "gpt-4o"), ("Nova-2-70B", "trails", "o1-mini")},
    ),
    # hopes and plans about future versions are not claims
    ("We hope future versions of Nova-2-70B will rival o1.", "lab/Nova-2-70B", set()),
    ("The next generation is expected to match GPT-4o.", "lab/Nova-2-70B", set()),
    # another frontier model as the subject: two frontier models compared, nobody catching up
    ("Claude 3.5 Sonnet outperforms GPT-4o on GPQA.", "lab/Nova-2-70B", set()),
    # speculation is not a claim
    ("Nova-2-70B appeared on the arena; some speculate it rivals o3.", "lab/Nova-2-70B", set()),
    # ranked just below: trails
    ("Nova-2-70B is second only to GPT-4o on MMMU.", "lab/Nova-2-70B", {("Nova-2-70B", "trails", "gpt-4o")}),
    # a lab's own models compared with each other are not a rival catching up
    ("Analysts say o3-mini outperforms o1 on AIME.", "lab/Nova-2-70B", set()),
    ("GPT-4o remains the model to beat, and o1 is still ahead on reasoning.", "lab/Nova-2-70B", set()),
    # a gerund with no one doing it
    ("Critics argue that claims of matching GPT-4 are often overstated.", "lab/Nova-2-70B", set()),
    (
        "It scores 90.1, near the level of o1 and o3-mini but behind Gemini 2.5 Pro.",
        "lab/Nova-2-70B",
        {
            ("Nova-2-70B", "approaches", "o1"),
            ("Nova-2-70B", "approaches", "o3-mini"),
            ("Nova-2-70B", "trails", "gemini-2.5-pro"),
        },
    ),
    (
        "Nova-2-70B beats Llama-3-70B and matches GPT-4o.",
        None,
        {("Nova-2-70B", "matches", "gpt-4o")},
    ),
    # variants are exact
    ("Nova-2-70B outperforms GPT-4o mini.", None, {("Nova-2-70B", "exceeds", "gpt-4o-mini")}),
    ("Nova-2-70B outperforms o1-mini.", None, {("Nova-2-70B", "exceeds", "o1-mini")}),
    ("Marco-o1 outperforms its base model.", None, set()),
    ("Nova-2-70B outperforms Marco-o1 and Open-O1.", None, set()),
    # only tracked frontier models make claims
    ("Nova-2-70B outperforms Llama-3.1-405B and Qwen2.5-72B.", None, set()),
    ("Nova-2-70B outperforms GPT-3.5 and Claude.", None, set()),
    ("Nova-2-70B is comparable to leading closed-source models.", None, set()),
    # competitor from the model id when the sentence has none
    ("It outperforms GPT-4o on OCRBench.", "acme/Vision-8B", {("Vision-8B", "exceeds", "gpt-4o")}),
    ("Our 7B model performs comparably to o1-mini.", "acme/Vision-8B", set()),
    # the subject is not a base model named in passing
    (
        "The resulting model (Lite-32B), a fine-tuned version of Qwen2.5-32B-Instruct, outperforms o1-preview.",
        None,
        {("Lite-32B", "exceeds", "o1-preview")},
    ),
    (
        "Besides performing as well or better than o1, the Nova-R1 release came with a report.",
        None,
        {("Nova-R1", "matches", "o1")},
    ),
    # a family name reads as the document's sized variant
    (
        "We release Sparrow-14B-Chat today. Sparrow is close to GPT-4 on HumanEval.",
        None,
        {("Sparrow-14B-Chat", "approaches", "gpt-4")},
    ),
    # the frontier model as the grammatical subject
    ("In our tests, GPT-4o outperforms Lark-7B on MMLU.", None, {("Lark-7B", "trails", "gpt-4o")}),
    ("o1 trails Lark-7B on AIME.", None, {("Lark-7B", "exceeds", "o1")}),
    # mentions without a comparison
    ("The idea behind o1 is test-time compute; Lark-7B builds on it.", None, set()),
    ("Lark-7B was distilled from GPT-4o outputs and judged by GPT-4.", None, set()),
    ("We compare Lark-7B with GPT-4o, Claude 3.5 Sonnet and o1-mini in Table 2.", None, set()),
    # Chinese model cards
    (
        "Nova-V 3.0 在单图理解上超越了 GPT-4o 和 Claude 3.5 Sonnet。",
        None,
        {("Nova-V 3.0", "exceeds", "gpt-4o"), ("Nova-V 3.0", "exceeds", "claude-3.5-sonnet-20240620")},
    ),
    ("Nova-V 3.0 的多模态能力达到了 GPT-4V 级别。", None, {("Nova-V 3.0", "matches", "gpt-4v")}),
    ("Nova-V 3.0 的性能可与 o1-mini 媲美。", None, {("Nova-V 3.0", "matches", "o1-mini")}),
    # context: a later sentence borrows the subject
    (
        "Nova-R1 is our new reasoning model. It achieves performance comparable to OpenAI-o1-1217.",
        None,
        {("Nova-R1", "matches", "o1")},
    ),
]


def _key(name: str) -> str:
    from bot.domain import normalise_model_name

    return normalise_model_name(name)


@pytest.mark.parametrize(("text", "model_id", "expected"), CASES)
def test_prose_claims(text: str, model_id: str | None, expected: set[tuple[str, str, str]]) -> None:
    claims = DETECTOR.detect_text(text, model_id=model_id)
    got = {(_key(c.competitor), c.relation.value, c.frontier_key) for c in claims}
    assert got == {(_key(n), r, k) for n, r, k in expected}
    for claim in claims:
        assert claim.origin == "prose"
        assert 0.0 <= claim.confidence <= 1.0
        assert claim.evidence.strip() and claim.evidence in text.replace("\n", " ")


@pytest.mark.parametrize(
    ("text", "mention", "own"),
    [
        ("超过 1 亿美元来训练 GPT-4", "GPT-4", True),  # a quantity
        ("surpasses $100M to train GPT-4", "GPT-4", True),
        ("超越了4o", "4o", False),  # "4o" is a name, not a number
        ("超过更大尺寸模型的潜力，拉近了开源模型和 GPT-4", "GPT-4", True),  # a new predicate after the comma
        ("超越了 GPT-4o，与 o1", "o1", True),  # a new frame after the comma
        ("超越了 Orrin-7B、Lumen-3 和 o1", "o1", False),  # one list
        ("超越了 Orrin-7B，o1", "o1", False),
        ("优于闭源模型，例如 Orrin-7B 和 o1", "o1", False),  # examples of the object
        ("超越了 Orrin-7B，甚至 o1", "o1", False),  # "even" goes on with the object
        ("beats Orrin-7B and o1", "o1", False),
        ("outperforms them in consistency, especially for models like o1", "o1", True),  # a pronoun object
    ],
)
def test_own_object_between(text: str, mention: str, own: bool) -> None:
    cue_end = text.index(" ") if text[0].isascii() else 2  # the cue: the first word, or two characters
    assert own_object_between(text, cue_end, text.rindex(mention)) is own
