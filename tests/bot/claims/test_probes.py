"""Probe texts, one table per failure family of issue 9, all written for these tests.

Each row: (text, Hugging Face model id or None, expected {(competitor, relation, frontier key)}).
A relation "-" means "no claim may alert": nothing at all, or only claims below the alert
threshold. Names are invented (Zeta, Orrin, Lumen ...) so that no rule can lean on a real model.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.claims import ClaimDetector, FrontierRegistry
from bot.claims.params import DEFAULT
from bot.domain import normalise_model_name

DETECTOR = ClaimDetector(FrontierRegistry.builtin())
Expected = set[tuple[str, str, str]]


def _got(text: str, model_id: str | None = None, title: str | None = None) -> Expected:
    claims = DETECTOR.detect_text(text, model_id=model_id, title=title)
    return {
        (normalise_model_name(c.competitor), c.relation.value, c.frontier_key)
        for c in claims
        if c.confidence >= DEFAULT.alert_threshold
    }


def _want(expected: Expected) -> Expected:
    return {(normalise_model_name(n), r, k) for n, r, k in expected}


# 1. names without a digit: title, model id, "we introduce", tier words, CamelCase in the title
NAMES = [
    # a title that spells out its acronym names the release, which the text then uses
    (
        "# Mixture-of-Quokkas (MoQ)\n\nMoQ layers several agents. Orrin-110B aggregates their answers. "
        "With open models only, MoQ clearly outperforms GPT-4o on AlpacaEval.",
        None,
        {("MoQ", "exceeds", "gpt-4o")},
    ),
    # an accented Latin letter is a letter of the name: the claim keeps the text's spelling
    (
        "Ai2 introduced Tülu 3 models based on Orrin-70B, competing with Claude 3.5 Sonnet.",
        None,
        {("Tülu 3", "matches", "claude-3.5-sonnet-20240620")},
    ),
    ("Tülu-3-70B beats GPT-4o on IFEval.", None, {("Tülu-3-70B", "exceeds", "gpt-4o")}),
    # one capitalised word as the subject: a name when the text writes it as one, else a doubt
    ("The new Quokka model matches GPT-4o on coding.", None, {("Quokka", "matches", "gpt-4o")}),
    ("ByteDance's Quokka beats GPT-4o at GUI tasks.", None, {("Quokka", "exceeds", "gpt-4o")}),
    ("DeepQuokka beats GPT-4o at GUI tasks.", None, {("DeepQuokka", "exceeds", "gpt-4o")}),
    ("Quokka: a diffusion model that rivals GPT-4o on reasoning.", None, {("Quokka", "matches", "gpt-4o")}),
    ("We compare with Quokka. Quokka beats GPT-4o at GUI tasks.", None, {("Quokka", "exceeds", "gpt-4o")}),
    ("Quokka matches GPT-4o on coding.", None, set()),  # nothing says it is a name
    ("Orrin Large outperforms GPT-4o on MMLU.", None, {("Orrin Large", "exceeds", "gpt-4o")}),
    ("Mistral Large outperforms GPT-4o on MMLU.", None, {("Mistral Large", "exceeds", "gpt-4o")}),
    ("Mistral Small 3 matches GPT-4o-mini.", None, {("Mistral Small 3", "matches", "gpt-4o-mini")}),
    (
        "Vesper Medium is on par with Claude 3.5 Sonnet.",
        None,
        {("Vesper Medium", "matches", "claude-3.5-sonnet-20240620")},
    ),
    ("Qala-Pro rivals o1 on AIME.", None, {("Qala-Pro", "matches", "o1")}),
    (
        "We introduce Lumenar, an open model. Lumenar beats GPT-4o on GPQA.",
        None,
        {("Lumenar", "exceeds", "gpt-4o")},
    ),
    ("Lumenar matches o1-mini on coding.", "acme/Lumenar", {("Lumenar", "matches", "o1-mini")}),
    (
        "Introducing tessel.ocr. On OCRBench, tessel.ocr surpasses GPT-4o.",
        None,
        {("tessel.ocr", "exceeds", "gpt-4o")},
    ),
    ("我们发布了 Lumenar。该模型在数学上优于 GPT-4o。", None, {("Lumenar", "exceeds", "gpt-4o")}),
    # "we are excited to introduce x": lower-case names too, before later section headings
    (
        "## 1. Introduction\n\nWe are excited to introduce lumen.vl2, a vision model.\n\n"
        "## Option 1: Using Base Image\n\nSteps.\n\n## Results\n\nIt matches GPT-4o on DocVQA.",
        None,
        {("lumen.vl2", "matches", "gpt-4o")},
    ),
    # a one-word name in Chinese wording, marked by its inner capital
    ("DeepQuokka：达到 o3-mini 级别的开源编程模型。", None, {("DeepQuokka", "matches", "o3-mini")}),
    ("DeepQuokka 在编程上超越 o3-mini。", None, {("DeepQuokka", "exceeds", "o3-mini")}),
    ("Quokka 在编程上超越 o3-mini。", None, set()),
    # news wording introduces the model, then a pronoun refers to it
    (
        "Acme released Orrin Medium on Tuesday. The company says it matches o1 on AIME.",
        None,
        {("Orrin Medium", "matches", "o1")},
    ),
    ("Quessa-R is a new reasoning model. It beats o1 on AIME.", None, {("Quessa-R", "exceeds", "o1")}),
    (
        "A startup unveiled a new model called Velloran. It is on par with GPT-4o.",
        None,
        {("Velloran", "matches", "gpt-4o")},
    ),
    (
        "Tamsin, an open 30B model from a small lab, rivals GPT-4o on coding.",
        None,
        {("Tamsin", "matches", "gpt-4o")},
    ),
]

# 2. the wrong thing named as the competitor (and several right ones joined by "and")
WRONG_COMPETITOR = [
    # a relative clause hangs on the name right before it
    ("Zeta-7B beats Orrin-70B, which itself rivals GPT-4o.", None, {("Orrin-70B", "matches", "gpt-4o")}),
    ("Zeta-7B, which is open, beats GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("We release Zeta-7B, which beats GPT-4o on MMLU.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    # a method or base named only after "trained with"/"based on" is never the text's model
    ("Our model, trained with long2short, beats o1 on AIME.", None, set()),
    ("The model, based on Orrin-7B, matches GPT-4o on MMLU.", None, set()),
    # a bracket opened right after a name holds that name's claim
    (
        "New releases: Zeta-7B (beats GPT-4o), Lumen-3 (on par with o1).",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o"), ("Lumen-3", "matches", "o1")},
    ),
    # ", and" with the frontier model's own verb after it ends the earlier cue's list of objects
    (
        "Zeta-7B is on par with GPT-4, and Anthropic's Claude 3 Opus sparked a debate.",
        None,
        {("Zeta-7B", "matches", "gpt-4")},
    ),
    ("Zeta-7B beats Orrin-3, and GPT-4o combined with tools.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    # "and" and a name right before the next cue open a clause of their own
    ("Zeta-7B beats Orrin-8B, and Lumen-3 matches GPT-4o.", None, {("Lumen-3", "matches", "gpt-4o")}),
    ("Zeta-7B beats Orrin-8B and Lumen-3 matches GPT-4o.", None, {("Lumen-3", "matches", "gpt-4o")}),
    (
        "Zeta-7B beats Orrin-8B, and Orrin-8B, trained on more data, matches GPT-4o.",
        None,
        {("Orrin-8B", "matches", "gpt-4o")},
    ),
    ("Zeta-7B beats Orrin-8B on MMLU and matches GPT-4o on GSM8K.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    # a comma aside opened by a lowercase word describes the name before it
    (
        "Zeta-7B, fine-tuned by the community from Orrin-70B, matches GPT-4o on MT-Bench.",
        None,
        {("Zeta-7B", "matches", "gpt-4o")},
    ),
    ("Zeta-7B, compared with Orrin-70B, beats GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    (
        "One stat stunned us, and the hosts for that matter, is that Zeta-1.5B, the tiny model, "
        "is outperforming GPT-4o on math.",
        None,
        {("Zeta-1.5B", "exceeds", "gpt-4o")},
    ),
    # a quoted question is a title, not a claim
    ('A new paper, "Can Small Models Beat GPT-4o?", studies Zeta-7B.', None, set()),
    ("新文章《开源模型能否超越 GPT-4o？》介绍了 Zeta-7B。", None, set()),
    # "using the same X": X is the base both sides share; "our method" is the text's own release
    (
        "# Zeta-R1\n\nUsing the same Orrin-8B base model, our method gains a lot, even beating GPT-4o-mini.",
        None,
        {("Zeta-R1", "exceeds", "gpt-4o-mini")},
    ),
    (
        "# Zeta-R1\n\nBuilt on the original Orrin-8B, our approach matches GPT-4o on every benchmark.",
        None,
        {("Zeta-R1", "matches", "gpt-4o")},
    ),
    (
        "Compared with the same Orrin-8B, Zeta-R1 beats GPT-4o-mini.",
        None,
        {("Zeta-R1", "exceeds", "gpt-4o-mini")},
    ),
    # an organisation and a team are not models; an organisation and a size word are a product
    ("Meta AI beats GPT-4o on coding.", None, set()),
    # a name after the earlier sentence's comparison is its object, not a subject to lend
    (
        "The model scores 93.1 on RULER, surpassing GPT-4's 91.6 and Orrin-9B's 89.9. It is also on par with o1-mini.",
        "acme/Zeta-7B",
        {("Zeta-7B", "exceeds", "gpt-4"), ("Zeta-7B", "matches", "o1-mini")},
    ),
    # a description right after a name is that name's: not the text's other model of that size
    (
        "Acme 发布了 Zeta 2.6，这是一个 8B 参数的多模态模型，在视觉任务上超越了 GPT-4V。另有 Orrin 8B 模型。",
        None,
        {("Zeta 2.6", "exceeds", "gpt-4v")},
    ),
    (
        "Acme released Zeta 2.6, the 8B model, which beats GPT-4o on vision. Orrin 8B is also out.",
        None,
        {("Zeta 2.6", "exceeds", "gpt-4o")},
    ),
    # a context length is no model size: "the 1M length task" does not point at "Zeta-9B-1M"
    (
        "Zeta-9B-1M is a long-context model. Ours scores 93.1 in the 1M length task, surpassing GPT-4's 91.6.",
        None,
        set(),
    ),
    # the publisher before "releases"/"发布" is not the subject an earlier sentence lends
    # the frontier models a method runs on, after the cue's own object, are not compared with
    ("KestrelPrompt outperforms baselines on GPT-4o, Claude 3.5 Sonnet and Llama 3.", None, set()),
    ("KestrelPrompt beats prior methods across models such as GPT-4o.", None, set()),
    ("Zeta-7B outperforms all models on MMLU, including GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    (
        "Zeta-7B is on par with open and closed models such as GPT-4o.",
        None,
        {("Zeta-7B", "matches", "gpt-4o")},
    ),
    # a digest: a heading that names a model starts its section, for the pronouns in it; a heading
    # that names none keeps the section's model
    (
        "## Zeta-7B is out\n\nZeta-7B is fast.\n\n## Kestrel 发布 Quokka-9B 开源框架\n\n它在 GAIA 上超越 GPT-4o。",
        None,
        {("Quokka-9B", "exceeds", "gpt-4o")},
    ),
    (
        "## Zeta-7B is out\n\nZeta-7B is fast.\n\n## Acme releases Quokka-9B\n\nIt beats GPT-4o on MMLU.",
        None,
        {("Quokka-9B", "exceeds", "gpt-4o")},
    ),
    (
        "# Zeta-7B\n\nWe release Zeta-7B.\n\n## Evaluation\n\nIt beats GPT-4o on MMLU.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o")},
    ),
    # a paper digest's entry: the title's phrase is no model; "introduces X, a model; it ..." is X
    (
        "1). **Kestrel: Scaling Reasoning** - introduces Zeta-R1, a reasoning model trained with RL; "
        "it matches o1 on AIME and surpasses GPT-4o on MATH.",
        None,
        {("Zeta-R1", "matches", "o1"), ("Zeta-R1", "exceeds", "gpt-4o")},
    ),
    (
        "4) **Towards Open Kestrels** - proposes Zeta-R1 which is a reasoning model; it matches o1 on AIME.",
        None,
        {("Zeta-R1", "matches", "o1")},
    ),
    # "Kestrel has released / dropped X": Kestrel publishes, the pronoun after is X
    ("Kestrel has released Zeta. It beats GPT-4o on MMLU.", None, {("Zeta", "exceeds", "gpt-4o")}),
    (
        "# Kestrel Zeta\n\nKestrel dropped Zeta. It beats GPT-4o on MMLU.",
        None,
        {("Zeta", "exceeds", "gpt-4o")},
    ),
    ("Kestrel's team rolled out Zeta-9B. It beats GPT-4o.", None, {("Zeta-9B", "exceeds", "gpt-4o")}),
    (
        "Kite Labs REDteam 发布 Zeta-7B 框架。它在 GAIA 上超越 GPT-4o。",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o")},
    ),
    (
        "Zeta-7B and Zeta-70B both outperform GPT-4o.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o"), ("Zeta-70B", "exceeds", "gpt-4o")},
    ),
    (
        "Orrin-9B, Vesper-3B and Lumen-2 all match o1-mini.",
        None,
        {
            ("Orrin-9B", "matches", "o1-mini"),
            ("Vesper-3B", "matches", "o1-mini"),
            ("Lumen-2", "matches", "o1-mini"),
        },
    ),
    # a size stands for the text's model of that size, when the text names one
    (
        "Acme released Zeta 3.2 11B and Zeta 3.2 90B. The 11B is comparable to Orrin-9B, and the 90B"
        " is slightly better than GPT-4o-mini.",
        None,
        {("Zeta 3.2 90B", "exceeds", "gpt-4o-mini")},
    ),
    (
        "Zeta comes as Zeta-7B and Zeta-70B. Our 7B model beats GPT-4o-mini.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o-mini")},
    ),
    ("# Zeta-70B\n\nOur 7B model beats GPT-4o-mini.", None, set()),  # no 7B named: nobody
    # "the 90B" in a text about a family names the family's size, even when the text never spells it
    (
        "# Zeta 3.2\n\nAcme released Zeta 3.2 in two sizes. The 11B is comparable to Orrin-9B, and"
        " the 90B is slightly better than GPT-4o-mini.",
        None,
        {("Zeta 3.2 90B", "exceeds", "gpt-4o-mini")},
    ),
    # after an earlier cue, a comma and a subject we cannot name: a new clause, not the first subject's
    ("Zeta 3 beats Orrin V3 in Elo, 2.0 Flash beats GPT-4o on images.", None, set()),
    (
        "Zeta-7B beats Orrin-9B on MATH, GSM8K and AIME, and rivals GPT-4o on coding.",
        None,
        {("Zeta-7B", "matches", "gpt-4o")},
    ),
    # a name inside a parenthesised aside is not the subject; an aside that is only a name names it
    (
        "Acme keeps shipping (Orrin-2 came out last week, Orrin-1 in May), and Zeta-9B beats GPT-4o.",
        None,
        {("Zeta-9B", "exceeds", "gpt-4o")},
    ),
    (
        "# Notes\n\nThe resulting model (Zeta-32B) outperforms o1-preview on MATH.",
        None,
        {("Zeta-32B", "exceeds", "o1-preview")},
    ),
    (
        "# Zeta-9B\n\nZeta-9B is ours. Its scores (Orrin-2 came out last week) trail GPT-4o.",
        None,
        {("Zeta-9B", "trails", "gpt-4o")},
    ),
    # an untracked reference model can be a rival itself
    (
        "Llama 3.1 405B is competitive with GPT-4o on most tasks.",
        None,
        {("Llama 3.1 405B", "matches", "gpt-4o")},
    ),
    (
        "Compared with Orrin-9B and Vesper-3B, Zeta-7B beats GPT-4o.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o")},
    ),
    (
        "Zeta-7B is on par with DeepSeek-R1 and beats GPT-4.5 on math.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4.5")},
    ),
    ("Trained on 2,048 H100s, Zeta-7B matches GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Based on Llama-3-70B, Zeta-70B outperforms GPT-4o.", None, {("Zeta-70B", "exceeds", "gpt-4o")}),
    ("Acme says Zeta-7B rivals o1.", "acme/Zeta-7B", {("Zeta-7B", "matches", "o1")}),
    ("Meta outperforms OpenAI in open releases, and GPT-4o remains popular.", None, set()),
    ("At $0.30 per million tokens, the price beats GPT-4o.", None, set()),
    ("Zeta-7B offers superior output speed compared to GPT-4o mini.", None, set()),
    ("Pricing notes highlight Zeta-7B's competitive cost against GPT-5.", None, set()),
    ("A provider serves Zeta-70B at 800 tokens/second, the fastest GPT-4-level source.", None, set()),
    ("A new data recipe appeared, with a fine-tuned model matching GPT-4 on math.", "acme/Zeta-7B", set()),
    (
        "Evaluator models like Prometheus 3 outperform GPT-4 in judging.",
        None,
        {("Prometheus 3", "exceeds", "gpt-4")},
    ),
    ("Some users suggest Zeta-7B surpasses GPT-4o.", None, set()),
    ("A member stated that Zeta-7B beats o1 on their prompts.", None, set()),
    ("Cursor announced a speculative edits algorithm that surpasses GPT-4o.", "acme/Zeta-7B", set()),
    # a method as the subject: recorded for the text's model, below the alert threshold
    ("Our long2short method outperforms GPT-4o by a large margin.", "acme/Zeta-k2", set()),
    ("With the long2short approach, Zeta-k2 beats GPT-4o on AIME.", None, {("Zeta-k2", "exceeds", "gpt-4o")}),
    # an arena, a conference: where the contest was held, not who won it
    (
        "We evaluate on the Quarrel Arena at NeurIPS 2025. Our 8B model surpassed GPT-5 there.",
        "acme/Zeta-8B",
        {("Zeta-8B", "exceeds", "gpt-5")},
    ),
    ("Zeta-7B benchmark results show it beats GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    # "a model trained with our method" is the text's own model, when it names none of that size:
    # recorded below the threshold; "a model from another lab" is nobody's
    ("# Zeta v1\n\nA single 8B model trained with our method surpassed GPT-5.", None, set()),
    ("# Zeta v1\n\nA 70B model from another lab surpassed GPT-5.", None, set()),
    # a numbered headline of a digest, a Latin name with a Chinese kind noun
    (
        "### 5. [STORM文本-视频模型性能超越GPT-4o](https://example.com/a)",
        None,
        {("STORM", "exceeds", "gpt-4o")},
    ),
    ("### 2. Zeta-7B beats GPT-4o on AIME", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    (
        "### 4. Orrin-2 is out\n\nOrrin-2 is fast.\n\n### 5. STORM 模型超越 GPT-4o\n\n> 它在 MVBench 上的表现优于 GPT-4o。",
        None,
        {("STORM", "exceeds", "gpt-4o")},
    ),
    # the frontier model as the exception ("all models except o1") is not compared with
    ("Zeta-7B outperforms all models except o1.", None, set()),
    ("Zeta-7B 超越了除 o1 之外的所有模型。", None, set()),
    ("Zeta-7B 都没能超越 GPT-4o。", None, {("Zeta-7B", "trails", "gpt-4o")}),  # 没能 negates
    # a subject that is nobody: "neither … nor", "no open model, including X"
    ("Neither Zeta-7B nor Orrin-2 beats GPT-4o.", None, set()),
    ("No open model, including Zeta-7B, beats o1 yet.", None, set()),
    (
        "No other open model comes close, and Zeta-7B even beats GPT-4o.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o")},
    ),
    # a third party's opinion is recorded, not alerted
    ("Analysts think Zeta-7B rivals GPT-4o.", None, set()),
    ("业内人士认为 Zeta-7B 已接近 o1 水平。", None, set()),
    # an operating system that ships a model is not the model
    ("Windows 11 ships Phi Silica, which rivals GPT-4o-mini.", None, set()),
    # "not to be outdone" is an idiom, not a comparison: the model it introduces is the topic
    (
        "# Weekly\n\nNot to be outdone, Acme dropped Zeta-Agent, a set of models. And they claim SOTA performance, beating GPT-4o on agent tasks.",
        None,
        {("Zeta-Agent", "exceeds", "gpt-4o")},
    ),
    # "our model" is the text's own model, not the subject of the sentence before
    (
        "# Zeta-7B\n\nSystems like Orrin-70B reflect well. Our model narrows the gap with o1.",
        None,
        {("Zeta-7B", "approaches", "o1")},
    ),
    # "our 11B model" in a text about a model without a size, which names another family's 11B
    (
        "# ZetaVision-CoT\n\nZetaVision-CoT is built for reasoning. Our 11B model outperforms GPT-4o-mini."
        "\n\n| Model | Answer |\n|---|---|\n| Orrin-3.2-11B-Vision | a long answer |",
        None,
        {("ZetaVision-CoT", "exceeds", "gpt-4o-mini")},
    ),
    # a digest: another lab's unnamed model is not the model named in the sentence before
    (
        "Acme announced Zeta, outperforming GPT-4o. A lab open-sourced a 1.5B model that beats o1-preview.",
        None,
        {("Zeta", "exceeds", "gpt-4o")},
    ),
    ("Zeta-7B, unlike Orrin-13B, surpasses o1-mini.", None, {("Zeta-7B", "exceeds", "o1-mini")}),
    (
        "Zeta-7B outperforms Llama-3-70B while matching GPT-4o on MMLU.",
        None,
        {("Zeta-7B", "matches", "gpt-4o")},
    ),
    ("Orrin-9B beats Llama-3-70B, while Zeta-7B matches GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    (
        "Results: 1) Zeta-3B beats models of its size, 2) Zeta-9B outperforms even OpenAI o1-mini.",
        None,
        {("Zeta-9B", "exceeds", "o1-mini")},
    ),
    # a lower-case compound in "released the open-weight model X" is no name for "This model"
    (
        'The lab released the open-weight large language model "Zeta-9B". This model reaches GPT-4o level.',
        None,
        {("Zeta-9B", "matches", "gpt-4o")},
    ),
    # a digest's next item: a maker releases something unnamed, or "another lab's model": no
    # alert for the text's model
    (
        "# Digest\n\nAcme released Zeta-9B, an open model.\n\nLumen shipped a speech system. It beats GPT-4o.",
        None,
        set(),
    ),
    ("# Digest\n\nZeta-9B is out. Another lab's model beats GPT-4o on coding.", None, set()),
    (
        "# Digest\n\nZeta-9B is out. The new model beats GPT-4o on coding.",
        None,
        {("Zeta-9B", "exceeds", "gpt-4o")},
    ),
    ("# 速递\n\nZeta-9B 正式开源。\n\nLumen 推出了一款语音模型，其效果超越了 GPT-4o。", None, set()),
    ("# 速递\n\nZeta-9B 正式开源。另一家公司的模型在代码任务上超越了 GPT-4o。", None, set()),
    (
        "# 速递\n\nZeta-9B 正式开源。该模型在代码任务上超越了 GPT-4o。",
        None,
        {("Zeta-9B", "exceeds", "gpt-4o")},
    ),
    # a plural reference to the two models the sentence before names credits each
    (
        "Acme released Zeta-120B and Zeta-20B. Both models beat o1 on HealthBench.",
        None,
        {("Zeta-120B", "exceeds", "o1"), ("Zeta-20B", "exceeds", "o1")},
    ),
    (
        "Zeta-120B 和 Zeta-20B 均已开源。这两个模型在 HealthBench 上超越了 o1。",
        None,
        {("Zeta-120B", "exceeds", "o1"), ("Zeta-20B", "exceeds", "o1")},
    ),
    ("Acme released Zeta-120B. This model beats o1 on HealthBench.", None, {("Zeta-120B", "exceeds", "o1")}),
    # "but" may start a new subject: the name after it is no object of the earlier cue
    (
        "Zeta-9B and Orrin-70B both outperform GPT-4o-mini, but only Orrin-70B beats GPT-4o.",
        None,
        {
            ("Zeta-9B", "exceeds", "gpt-4o-mini"),
            ("Orrin-70B", "exceeds", "gpt-4o-mini"),
            ("Orrin-70B", "exceeds", "gpt-4o"),
        },
    ),
    ("Zeta-9B beats Orrin-70B, but trails GPT-4o.", None, {("Zeta-9B", "trails", "gpt-4o")}),
    (
        "Zeta-9B not only beats Orrin-70B but also consistently outperforms GPT-4o-mini.",
        None,
        {("Zeta-9B", "exceeds", "gpt-4o-mini")},
    ),
    # a frontier family word inside an earlier cue's full-name object is no frontier subject
    (
        "Zeta-9B beats GPT-4o and Claude 3.5 Sonnet and edges out o1-mini.",
        None,
        {
            ("Zeta-9B", "exceeds", "gpt-4o"),
            ("Zeta-9B", "exceeds", "claude-3.5-sonnet-20240620"),
            ("Zeta-9B", "exceeds", "o1-mini"),
        },
    ),
    ("Zeta-9B is out. Sonnet moved ahead of GPT-4o on coding.", None, set()),
    # a participle chain after a comma keeps the sentence's subject: its first object is no subject
    (
        "Zeta-9B sets a new record, surpassing Orrin-70B and rivaling GPT-4o.",
        None,
        {("Zeta-9B", "matches", "gpt-4o")},
    ),
    (
        "Zeta-9B leads open models, beating Orrin-70B and approaching o1 on AIME.",
        None,
        {("Zeta-9B", "approaches", "o1")},
    ),
    # a new subject after the comma still takes the claim: "..., Orrin-70B beats GPT-4o"
    (
        "Zeta-9B beats Lumen-3 in Elo, Orrin-70B beats GPT-4o.",
        None,
        {("Orrin-70B", "exceeds", "gpt-4o")},
    ),
    # Markdown escapes from a converter, and a headline's "Launches AI Model That ..." naming nothing
    (
        "## Acme Quietly Launches AI Model That Outperforms GPT\\-4\n\n"
        "Acme released a new model, Zeta\\-70B\\-Instruct, which surpasses OpenAI's GPT\\-4 in benchmarks.",
        None,
        {("Zeta-70B-Instruct", "exceeds", "gpt-4")},
    ),
    # a cue whose object is a pronoun governs no later mention
    (
        "Zeta-Prompt stays zero-shot and outperforms them in consistency, especially for models like GPT-4o.",
        None,
        set(),
    ),
]

# 3. two frontier models compared, or a frontier model in a supporting role
FRONTIER_VS_FRONTIER = [
    # an earlier clause's comparison has no objects in the next clause: its frontier model is a subject
    (
        "- o1 现在优于 Claude 3.5 Sonnet (Score: 262)：新的 GPT-4o-latest 比 GPT-4o 更强。",
        "acme/Zeta-7B",
        set(),
    ),
    (
        "- o1 beats Claude 3.5 Sonnet (score: 262): the new GPT-4o-latest is stronger than GPT-4o.",
        "acme/Zeta-7B",
        set(),
    ),
    ("GPT-4o beats Claude 3 Opus on coding.", "acme/Zeta-7B", set()),
    ("Claude Opus 4 outperforms o3 on SWE-bench.", "acme/Zeta-7B", set()),
    ("Answers were judged by GPT-4o.", "acme/Zeta-7B", set()),
    ("We distilled Zeta-7B from GPT-4o outputs.", None, set()),
    ("Training data was generated by o1.", "acme/Zeta-7B", set()),
    ("Zeta-7B's best score, before being surpassed by a system using GPT-4o, was 26%.", None, set()),
    ("This moved Sonnet into second place, ahead of GPT-4o.", "acme/Zeta-7B", set()),
    ("Opus now beats GPT-4o on this benchmark.", None, set()),
    # the comparison is about a role of the frontier model, or about a part of the competitor
    ("Zeta-7B outperforms GPT-4o as a judge of answers.", None, set()),
    ("Zeta-7B beats GPT-4 when used as an annotator.", None, set()),
    ("Zeta-7B's reward model outperforms GPT-4o.", None, set()),
    ("Zeta-7B's vision encoder beats GPT-4o's.", None, set()),
    ("Zeta-7B's math skills rival GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B 作为评判模型优于 GPT-4o。", None, set()),
    # a pronoun right after a frontier model stands for it, not for the text's model
    (
        "# Weekly digest\n\nZeta-7B is a new open model.\n\nOpenAI released o3-mini. It beats o1 on coding.",
        None,
        set(),
    ),
    ("# Zeta-7B\n\nZeta-7B is our model. GPT-4.5 came out last week; it outperforms GPT-4o.", None, set()),
    # ... but a frontier model used as a teacher, an adjective or an object is no antecedent
    (
        "# Zeta-7B\n\nWe trained Zeta-7B with GPT-4o as a teacher. It now beats o1-mini on AIME.",
        None,
        {("Zeta-7B", "exceeds", "o1-mini")},
    ),
    (
        "# Zeta-7B\n\nZeta-7B is small. Unlike GPT-4o, it runs locally. It beats o1-mini on AIME.",
        None,
        {("Zeta-7B", "exceeds", "o1-mini")},
    ),
    (
        "# Zeta-o1\n\nThis work is inspired by OpenAI's o1. The model shows o1-like reasoning and its"
        " performance still falls short of o1.",
        None,
        {("Zeta-o1", "trails", "o1")},
    ),
]

# texts about a frontier model itself credit no rival
FRONTIER_TEXT = [
    # a maker's CamelCase name before the frontier model keeps the text about the frontier model
    ("# OpenAI o3-mini: reasoning for everyone\n\nIt beats o1-mini on AIME.", None, set()),
    # a CamelCase name before the frontier model in the title: the text is about its own model
    (
        "# QuokkaVL——GPT-4o 的开源替代方案\n\nQuokkaVL 已开源。它能够与 GPT-4o 相抗衡。",
        None,
        {("QuokkaVL", "matches", "gpt-4o")},
    ),
    ("Its single-try score was comparable to GPT-4 Turbo.", None, set()),
]

# 4. disputed, reported, rumoured
REPORTED = [
    # a media report, or doubt voiced later in the sentence: recorded, not alerted
    ("According to media reports, Zeta-7B beats GPT-4o.", None, set()),
    ("Acme claims Zeta-7B beats GPT-4o, but many developers are skeptical.", None, set()),
    ("Zeta-7B rivals o1, though whether that holds remains to be seen.", None, set()),
    ("据外媒报道，Zeta-7B 的性能可与 GPT-4o 相媲美。", None, set()),
    ("官方宣称 Zeta-7B 超越 GPT-4o，但不少开发者对此表示怀疑。", None, set()),
    # the lab's own technical report is no third party's
    ("According to the technical report, Zeta-7B beats GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Orrin-3 此前被认为已经超过 GPT-4o，但新的评测显示并非如此。", None, set()),
    ("据传 Zeta-7B 的性能超过了 GPT-4o。", None, set()),
    ("网传 Zeta-7B 已经追平 o1。", None, set()),
    ("网友称 Zeta-7B 超越了 GPT-4o。", None, set()),
    ("有人说 Zeta-7B 超越了 GPT-4o。", None, set()),
    # contested or anecdotal anywhere in the sentence, even after "but": recorded, not alerted
    ("The startup says Zeta-7B beats GPT-4o, but independent tests disagree.", None, set()),
    ("Zeta-7B beat GPT-4o in our vibe test, but that is one anecdote.", None, set()),
    ("Critics dispute the claim that Zeta-7B rivals GPT-4o.", None, set()),
    ("Zeta-7B reportedly beats o1 on AIME.", None, set()),
    ("Zeta-7B allegedly matches Claude 3.5 Sonnet.", None, set()),
    ("The vendor purports that Zeta-7B outperforms GPT-4o.", None, set()),
    ("据称 Zeta-7B 在数学上超越了 o1。", None, set()),
    ("Zeta-7B outperforms GPT-4o on MMLU.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
]

# 5. passive voice
PASSIVE = [
    ("Zeta-7B is outperformed by GPT-4o on every benchmark.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("GPT-4o is outperformed by Zeta-7B on MMLU.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B was clearly beaten by o1 on AIME.", None, {("Zeta-7B", "trails", "o1")}),
    ("o1-mini is surpassed by Zeta-7B on coding.", None, {("Zeta-7B", "exceeds", "o1-mini")}),
]

# 6. negation by contraction, outside the phrase, or by framing
NEGATION = [
    # "far from" before a parity cue negates it; "by far" does not
    (
        "Zeta-7B is fragile, far from the claimed match to o1-preview.",
        None,
        {("Zeta-7B", "trails", "o1-preview")},
    ),
    ("Zeta-7B is by far the best, beating GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    # a forecast or a purpose is no claim: "expect X to beat", "built X to beat"
    ("Many expect Zeta-8 to beat o1 next year.", None, set()),
    ("Acme built Zeta-8 to beat o1.", None, set()),
    ("Analysts predict Zeta-8 will beat o1.", None, set()),
    ("Soon, we'll have a model better than GPT-4.", "acme/Zeta-7B", set()),  # a plan, not a result
    # a subject that is nobody
    ("Nothing beats GPT-4o yet, not even Zeta-7B.", "acme/Zeta-7B", set()),
    ("None of the open models, Zeta-7B included, matches GPT-4o.", None, set()),
    ("Zeta-7B is second to none, beating GPT-4o on coding.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B doesn't outperform GPT-4o.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B isn't on par with o1.", None, {("Zeta-7B", "trails", "o1")}),
    ("Zeta-7B is still far from GPT-4-level reasoning.", None, {("Zeta-7B", "trails", "gpt-4")}),
    ("It would be wrong to say Zeta-7B beats GPT-4o.", None, set()),
    ("Zeta-7B does not yet match o1.", None, {("Zeta-7B", "trails", "o1")}),
    (
        "Zeta-7B never rivals Claude 3.5 Sonnet on long context.",
        None,
        {("Zeta-7B", "trails", "claude-3.5-sonnet-20240620")},
    ),
    # a negated "close": behind; a negated "behind": no telling how close
    ("Zeta-7B isn't even close to GPT-4o.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B is not close to o1 on AIME.", None, {("Zeta-7B", "trails", "o1")}),
    ("Zeta-7B is not behind GPT-4o.", None, set()),
    # two cues of a ranking: each governs its own model
    (
        "Zeta-7B ranks above GPT-4o-mini and below GPT-4o.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o-mini"), ("Zeta-7B", "trails", "gpt-4o")},
    ),
    # the negation after the frontier model
    ("Zeta-7B is better than GPT-4o at nothing.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B beats GPT-4o on none of the benchmarks.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    # framing that doubts the whole clause
    ("It's hard to argue that Zeta-7B matches GPT-4o.", None, set()),
    ("Few would say Zeta-7B rivals o1.", None, set()),
    # only about speed or price, after the frontier model
    ("Zeta-7B beats GPT-4o only on speed.", None, set()),
    ("Zeta-7B beats GPT-4o mainly in price.", None, set()),
]

# 7. common comparison wording
WORDING = [
    ("Zeta-9B is out, and it's right up there with GPT-4o.", None, {("Zeta-9B", "matches", "gpt-4o")}),
    # two scores in two clauses, the frontier model's second
    ("Zeta-7B scores 89.1 on MMLU, whereas GPT-4o scores 86.7.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B scores 82.1 on MMLU, while GPT-4o scores 88.7.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("On AIME, Zeta-7B reaches 79.8 (o1: 79.2).", None, {("Zeta-7B", "matches", "o1")}),
    ("Zeta-7B has 7 billion parameters, GPT-4o is bigger.", None, set()),
    ("Orrin-3's advantages over GPT-4o are price and speed.", None, set()),
    ("Orrin-3's advantage over GPT-4o is its price.", None, set()),
    # "holds competitive advantages over X": plural and with an adjective
    (
        "Zeta-7B also holds competitive advantages over leading models such as Orrin-3 and Claude Sonnet 4.",
        None,
        {("Zeta-7B", "exceeds", "claude-4")},
    ),
    # the month May is no hedge
    ("Zeta-7B, launched in May, already rivals GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B may rival GPT-4o one day.", None, set()),
    # a fronted frame: "Compared against X, Y wins on 5 of 7 benchmarks"
    (
        "Compared against o1-mini, Zeta-32B wins on 5 of 7 benchmarks.",
        None,
        {("Zeta-32B", "exceeds", "o1-mini")},
    ),
    ("Measured against GPT-4o, Zeta-32B scores lower on math.", None, {("Zeta-32B", "trails", "gpt-4o")}),
    # "challenging" is a comparison only with a frontier model right after it
    ("Zeta-3 is challenging GPT-4o on coding.", None, {("Zeta-3", "matches", "gpt-4o")}),
    ("Orrin-3 challenges OpenAI's o1 in math, the lab says.", None, {("Orrin-3", "matches", "o1")}),
    ("Zeta-3 excels on challenging benchmarks where GPT-4o scores 50.", None, set()),
    ("Zeta-3 tops the ARC Challenge, beating GPT-4o.", None, {("Zeta-3", "exceeds", "gpt-4o")}),
    # the frontier model as an object, another model named before the next cue: that model is its subject
    (
        "With Zeta 4 challenging GPT-4.5 and Zeta X2 matching Orrin's R1, prices may fall.",
        None,
        {("Zeta 4", "matches", "gpt-4.5")},
    ),
    # the frontier model as the subject, the comparison about speed: nobody trails in capability
    ("GPT-4o-mini outperforms Zeta-7B on speed but not on accuracy.", None, set()),
    ("GPT-4o outperforms Zeta-7B in price-performance.", None, set()),
    ("GPT-4o outperforms Zeta-7B on MMLU.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    # two frontier models as the subject: the object trails the tracked one
    (
        "GPT-5 and Claude Sonnet 4.5 remain more capable than Zeta-120B.",
        None,
        {("Zeta-120B", "trails", "gpt-5")},
    ),
    # a snapshot date in brackets is part of the name; "(0513) and" is no enumeration "13) "
    (
        "Zeta-7B outperforms GPT-4o (0513) and Claude 3.5 Sonnet (1022).",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o"), ("Zeta-7B", "exceeds", "claude-3.5-sonnet-20241022")},
    ),
    ("Zeta-7B 的编程能力已达到 GPT-4o 的水准。", None, {("Zeta-7B", "matches", "gpt-4o")}),
    # bracketed scores either side of "vs."
    ("On AIME, Zeta-7B (79.8%) vs. o1 (79.2%).", None, {("Zeta-7B", "matches", "o1")}),
    ("On AIME, Zeta-7B (85.0) vs o1 (79.2).", None, {("Zeta-7B", "exceeds", "o1")}),
    # what is "not capability" (size, price) is read in the cue's own clause only
    (
        "Zeta-7B outperforms open models of similar size and approaches GPT-4o.",
        None,
        {("Zeta-7B", "approaches", "gpt-4o")},
    ),
    ("Zeta-7B offers a similar size and lower price compared to GPT-4o.", None, set()),
    ("At a smaller size, Zeta-7B rivals GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B achieves a higher score than GPT-4o on AIME.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Meet Zeta-7B: an open model that beats GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B achieves 95% of GPT-4o's performance.", None, {("Zeta-7B", "approaches", "gpt-4o")}),
    ("Zeta-7B retains 97% of o1's accuracy on AIME.", None, {("Zeta-7B", "approaches", "o1")}),
    ("Zeta-7B edges GPT-4o on MMLU.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B performs nearly as well as o1 on AIME.", None, {("Zeta-7B", "approaches", "o1")}),
    # for an error rate, lower is ahead
    (
        "Zeta-7B has a 10.3% hallucination rate, lower than GPT-4V (13.6%).",
        None,
        {("Zeta-7B", "exceeds", "gpt-4v")},
    ),
    ("Zeta-7B's word error rate is higher than GPT-4o's.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B scores higher than GPT-4o on MMLU.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B outperforms GPT-4o in price-performance.", None, set()),  # not capability
    ("Zeta-7B achieves GPT-4o-level latency.", None, set()),
    ("Zeta-7B outperforms GPT-4o on MMLU at a lower cost.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B is nowhere near GPT-4o.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B comes nowhere close to o1.", None, {("Zeta-7B", "trails", "o1")}),
    ("Zeta-7B leads GPT-4o on MMLU and GSM8K.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Heron leads o1 on AIME by two points.", "acme/Heron", {("Heron", "exceeds", "o1")}),
    ("Zeta-7B leads in coding, and GPT-4o in chat.", None, set()),
    ("Zeta-7B scores 88.1 on MMLU, just shy of GPT-4o's 88.7.", None, {("Zeta-7B", "approaches", "gpt-4o")}),
    (
        "Zeta-7B trades blows with Claude 3.5 Sonnet.",
        None,
        {("Zeta-7B", "matches", "claude-3.5-sonnet-20240620")},
    ),
    ("Zeta-7B performs at least as well as GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B tops GPT-4o on MMLU.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B edges out o1-mini on HumanEval.", None, {("Zeta-7B", "exceeds", "o1-mini")}),
    ("Zeta-7B outclasses GPT-4o on math.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B is neck and neck with o1 on AIME.", None, {("Zeta-7B", "matches", "o1")}),
    ("Zeta-7B goes toe-to-toe with GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    (
        "Zeta-7B holds its own against Claude 3.5 Sonnet.",
        None,
        {("Zeta-7B", "matches", "claude-3.5-sonnet-20240620")},
    ),
    ("Zeta-7B ties with o1-mini on MATH.", None, {("Zeta-7B", "matches", "o1-mini")}),
    ("Zeta-7B scores higher than GPT-4o on GPQA.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B performs similarly to o1 on coding tasks.", None, {("Zeta-7B", "matches", "o1")}),
    ("Zeta-7B reaches 95% of GPT-4o's score on MMLU.", None, {("Zeta-7B", "approaches", "gpt-4o")}),
    ("Zeta-7B 与 GPT-4o 不相上下。", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B 比肩 o1。", None, {("Zeta-7B", "matches", "o1")}),
    ("Zeta-7B 逼近 Claude 3.5 Sonnet。", None, {("Zeta-7B", "approaches", "claude-3.5-sonnet-20240620")}),
    ("Zeta-7B 比 GPT-4o 更强。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    (
        "Zeta-7B performs competitively with GPT-4o mini at a fraction of the cost.",
        None,
        {("Zeta-7B", "matches", "gpt-4o-mini")},
    ),
    ("Zeta-7B and GPT-4o perform similarly on GSM8K.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B and o1 are neck and neck on AIME.", None, {("Zeta-7B", "matches", "o1")}),
    ("Zeta-7B and GPT-4o were both evaluated on MMLU.", None, set()),
    (
        "In blind tests, Zeta-7B wins 60% of the time against GPT-4o.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o")},
    ),
    (
        "Zeta-7B is preferred over GPT-4 Turbo in 52% of comparisons.",
        None,
        {("Zeta-7B", "matches", "gpt-4-turbo")},
    ),
    ("Zeta-7B 仅次于 GPT-4o。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("On the arena, Zeta-7B ranks third, just above GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Compared to GPT-4o, Zeta-7B scores higher on MMLU.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Against o1, Zeta-7B comes out on top in math.", None, {("Zeta-7B", "exceeds", "o1")}),
    ("Zeta-7B delivers near GPT-4o-level results.", None, {("Zeta-7B", "approaches", "gpt-4o")}),
    ("Zeta-7B is still some way off GPT-4-level performance.", None, {("Zeta-7B", "trails", "gpt-4")}),
    ("Against o1, Zeta-7B is the winner on AIME.", None, {("Zeta-7B", "exceeds", "o1")}),
    ("Zeta-7B is ranked first on the Arena, above GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("As shown above, GPT-4o remains strong.", "acme/Zeta-7B", set()),
    (
        "Compared with GPT-4o, Zeta-7B shows a clear advantage on math.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o")},
    ),
    ("Zeta-7B holds a 3-point lead over GPT-4o on MATH.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    (
        "Compared with o3 and Claude 4 Opus, Zeta-M1 performs better on long-context tasks.",
        None,
        {("Zeta-M1", "exceeds", "o3"), ("Zeta-M1", "exceeds", "claude-4")},
    ),
    (
        "Zeta-9B achieves competitive results on coding and math when compared to top models such as o1.",
        None,
        {("Zeta-9B", "matches", "o1")},
    ),
    ("On MMLU, Zeta-7B scores 88.9, a hair above GPT-4o (88.7).", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B scores 88.9 on MMLU, compared with 88.7 for GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B scores 80.1 on MMLU, compared with 88.7 for GPT-4o.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B delivers performance similar to GPT-4o.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B can go head-to-head with GPT-4o on reasoning.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B 与 GPT-4o 差距不大。", None, {("Zeta-7B", "approaches", "gpt-4o")}),
    ("Zeta-7B ranks third overall, behind only o3.", None, {("Zeta-7B", "trails", "o3")}),
    ("Zeta-7B ranks third overall behind only o3.", None, {("Zeta-7B", "trails", "o3")}),
    ("Compared with o1, Zeta-7B is comparable on AIME.", None, {("Zeta-7B", "matches", "o1")}),
    ("Compared with o1, Orrin-13B is comparable on AIME.", "acme/Zeta-7B", {("Orrin-13B", "matches", "o1")}),
    ("Orrin-13B and o1 perform similarly on AIME.", "acme/Zeta-7B", {("Orrin-13B", "matches", "o1")}),
    ("Zeta-7B scores 73% vs GPT-4o's 77% on the benchmark.", None, {("Zeta-7B", "approaches", "gpt-4o")}),
    ("Zeta-7B gets 88.9 vs 88.7 for GPT-4o on MMLU.", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("On SWE-bench, Zeta-7B scores 64.2, compared with 70.4 for o1.", None, {("Zeta-7B", "trails", "o1")}),
    ("Zeta-7B scored 81.0%, against 80.5% for o1.", None, {("Zeta-7B", "matches", "o1")}),
    ("Zeta-7B reaches 91.0 versus o1-mini's 84.2 on MATH.", None, {("Zeta-7B", "exceeds", "o1-mini")}),
    ("Zeta-7B scores 40 vs GPT-4o's 77 on the hard set.", None, {("Zeta-7B", "trails", "gpt-4o")}),
    (
        "Zeta-7B beats Orrin-13B and is the closest open model to GPT-4o.",
        None,
        {("Zeta-7B", "approaches", "gpt-4o")},
    ),
    (
        "Zeta-7B achieves superior performance compared to GPT-4o on math.",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o")},
    ),
]

# Chinese news wording (digest style)
CHINESE = [
    # a cue that took an object of its own (a quantity; a new predicate or frame after a comma)
    # governs no later mention
    ("据报道，Acme 花费超过 1 亿美元来训练 GPT-4。", None, set()),
    ("Zeta-7B 超越了 Orrin-7B，甚至 GPT-4o。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),  # "even" goes on
    # other models listed first inside a frame; "强大得多" is stronger
    (
        "Zeta-8x22B 仅稍逊于 GPT-4-1106-preview，并且比 Command R Plus 和 GPT4-0314 强大得多。",
        None,
        {("Zeta-8x22B", "trails", "gpt-4-turbo"), ("Zeta-8x22B", "exceeds", "gpt-4")},
    ),
    # "，例如 A、B 和 C" names examples of the cue's object: the cue governs them  # noqa: RUF003
    (
        "Zeta-7B 的表现优于类似大小的模型以及闭源模型，例如 Orrin-7B 和 Gemini-1.5-Pro。",
        None,
        {("Zeta-7B", "exceeds", "gemini-1.5-pro")},
    ),
    (
        "Zeta-7B 表现出超过更大尺寸模型的潜力，拉近了开源模型和 GPT-4 之间的差距。",
        None,
        {("Zeta-7B", "approaches", "gpt-4")},
    ),
    (
        "Zeta-7B 超越了 GPT-4o，与 Claude 3.5 Sonnet、o1 都能掰手腕。",
        None,
        {
            ("Zeta-7B", "exceeds", "gpt-4o"),
            ("Zeta-7B", "matches", "claude-3.5-sonnet-20240620"),
            ("Zeta-7B", "matches", "o1"),
        },
    ),
    ("Zeta-7B 缩小了与 GPT-4 的差距。", None, {("Zeta-7B", "approaches", "gpt-4")}),
    (
        "Zeta-7B 在 AIME 上拿下 70.1 分，把 o1-mini（63.6 分）甩在身后。",
        None,
        {("Zeta-7B", "exceeds", "o1-mini")},
    ),
    ("Zeta-7B 的数学能力已经追上 GPT-4o。", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("开发者们都说 Zeta-7B 超越了 GPT-4o。", None, set()),  # developers say: reported
    ("最强开源CodeLLM模型来袭！Zeta-7B 新模型超越 GPT-4o", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    # a short description of the frontier model inside the frame; a list in the frame shares it,
    # also after an earlier cue and a comma
    ("Zeta-7B 的表现与闭源模型 GPT-4o 相当。", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B 能够与顶尖商业模型如 GPT-4V 相抗衡。", None, {("Zeta-7B", "matches", "gpt-4v")}),
    (
        "Zeta-7B 超越了 Orrin-7B，并在性能上和业界顶尖的商业模型 GPT-4o 以及 o1 不相上下。",
        None,
        {("Zeta-7B", "matches", "gpt-4o"), ("Zeta-7B", "matches", "o1")},
    ),
    ("Zeta-7B 在 MMLU 上取得 82.1 分，GPT-4o 为 88.7 分。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    # a Chinese brand from the built-in list is a name; without a version it is a product line
    # (which model?), recorded below the threshold; with one it is that model
    ("某公司发布豆包大模型，性能超越 GPT-4o。", None, set()),
    ("某公司推出豆包2.5，性能超越 GPT-4o。", None, {("豆包2.5", "exceeds", "gpt-4o")}),
    ("大家商量一下，GPT-4o 超越了谁？", None, set()),
    # a fronted zh frame with a gap that remains: trails
    (
        "与 Claude 3.5 Sonnet 相比，Zeta-32B 在代码任务上仍有明显差距。",
        None,
        {("Zeta-32B", "trails", "claude-3.5-sonnet-20240620")},
    ),
    # a known Chinese brand glued to a Latin series tag is one name ("讯飞星火X9", "混元Z1"); before
    # an unknown Chinese run, which may hold the maker too, the tag's name stands alone
    ("某公司发布了讯飞星火X9大模型，某些测试中甚至超越GPT-5。", None, {("讯飞星火X9", "exceeds", "gpt-5")}),
    ("某公司发布了灵犀星火X1.5大模型，某些测试中甚至超越GPT-5。", None, {("X1.5", "exceeds", "gpt-5")}),
    ("某公司发布混元Z1，其推理能力超越了 GPT-4o。", None, {("混元Z1", "exceeds", "gpt-4o")}),
    # "后者"/"the latter" stands for the last name before it
    ("Zeta-7B 击败了 Orrin-70B，后者此前已媲美 GPT-4o。", None, {("Orrin-70B", "matches", "gpt-4o")}),
    (
        "Zeta-7B beats Orrin-70B; the latter already rivals GPT-4o.",
        None,
        {("Orrin-70B", "matches", "gpt-4o")},
    ),
    ("Zeta-7B 与 Orrin-70B 相比，前者超越了 GPT-4o。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    # a future "将" before the verb is a forecast; the frontier model as the evaluator is a role
    ("业内预计 Zeta-8 将超越 o1。", None, set()),
    ("Zeta-7B 在 GPT-4o 评测下超越 Orrin-70B。", None, set()),
    # a score "above" or "the same as" the frontier model; a spec that is the same is no claim
    ("Zeta-7B is the first open model to score above GPT-4o.", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B posts the same score as o1 on AIME.", None, {("Zeta-7B", "matches", "o1")}),
    ("Zeta-7B uses the same tokenizer as GPT-4o.", None, set()),
    # the gap between a model and the frontier model, told after both
    ("The gap between Zeta-7B and o1 has narrowed to two points.", None, {("Zeta-7B", "approaches", "o1")}),
    ("The gap between Zeta-7B and o1 remains large.", None, {("Zeta-7B", "trails", "o1")}),
    ("The gap between open models and o1 has narrowed.", None, set()),  # no model named
    ("The gap between Zeta-7B and o1 on price is huge.", None, set()),  # not capability
    # the previous record holder
    (
        "Zeta-7B sets a new SOTA of 64%, compared to the previous o1 SOTA result.",
        None,
        {("Zeta-7B", "exceeds", "o1")},
    ),
    ("Zeta-7B improves on the previous Zeta-6B record; o1 was not evaluated.", None, set()),
    # "相较于 X" and a comma frame the comparison like "与 X 相比" and a comma
    ("相较于 GPT-4o，Zeta-7B 更胜一筹。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B 被 GPT-4o 打败。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    # "在多项评测中" is where the comparison was made, not a role of the frontier model
    ("Zeta-7B 在多项评测中超越 GPT-4o。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B 在数学评估中与 o1 不相上下。", None, {("Zeta-7B", "matches", "o1")}),
    # a level written with 同等/相同: matches; not yet reached: trails
    ("Zeta-7B 达到 GPT-4o 同等水平。", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B 达到了与 GPT-4o 相同的水平。", None, {("Zeta-7B", "matches", "gpt-4o")}),
    # a gap after the level: the level is the target, not reached
    ("Zeta-7B 距离 GPT-4o 的水平还有差距。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B 离 GPT-4o 水平仍有一定距离。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B 与 GPT-4o 级别的模型仍有不小差距。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    # a Chinese product name the text publishes is its model, also behind a pronoun
    ("Acme 今日发布混元2.5，在中文任务上超越了 GPT-4o。", None, {("混元2.5", "exceeds", "gpt-4o")}),
    (
        "Acme 发布日日新5.0。\n\n“日日新5.0”正式诞生，它在评测上达到或超越 GPT-4 Turbo。",
        None,
        {("日日新5.0", "exceeds", "gpt-4-turbo")},
    ),
    # "与 X 相比" and a full-width comma close a frame: the name after the comma is the subject, not a compared-with name
    ("与 GPT-4o 相比，Zeta-7B 在数学上更强。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B 基于 Orrin-32B，超越 GPT-4o。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    # two scores across 而: the frontier model's after its name
    ("Zeta-7B 的 MMMU 分数为 50.4，而 GPT-4o 为 69.2。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("Zeta-7B 在 AIME 上得分 80.1，而 o1 为 79.2。", None, {("Zeta-7B", "matches", "o1")}),
    ("Zeta-7B 的价格为 10 元，而 GPT-4o 为 20 元。", None, set()),
    # a share of the frontier model's score: approaching it; not a price
    ("Zeta-7B 性能达到了 o1 的 95%。", None, {("Zeta-7B", "approaches", "o1")}),
    ("Zeta-7B 在 AIME 上实现了 o1 约 97% 的得分。", None, {("Zeta-7B", "approaches", "o1")}),
    ("Zeta-7B 的价格达到了 o1 的 15%。", None, set()),
    # a comma then 以及 starts a new clause: the cue does not reach a model named there
    ("Zeta-7B 击败了 Orrin-2，以及 Acme 推出了全新的 GPT-4o 应用。", None, set()),
    ("Zeta-7B 可与 GPT-4o 一较高下。", None, {("Zeta-7B", "matches", "gpt-4o")}),
    ("Zeta-7B 在中文理解上领先 GPT-4o。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B 是领先的开源模型，GPT-4o 是闭源模型。", None, set()),
    # "比/较/相比 X" then which way: higher, improved, doubled; lower; not about cost or speed
    ("Zeta-7B 比 GPT-4o 高出 5 分。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B 的得分相比 GPT-4o 提升了 5 个百分点。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B 得分 77.1%，较前代 GPT-4o 的 31.1% 实现翻倍。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B 在 MMLU 上比 o1 低 2 分。", None, {("Zeta-7B", "trails", "o1")}),
    ("Zeta-7B 距离 GPT-4o 仍有一定差距。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    # a prediction, and a class of models as the subject: nobody's claim
    ("有人预测开源模型将在几周内达到 GPT-4 级别的能力。", "acme/Zeta-7B", set()),
    ("开源模型已经达到 GPT-4 级别的能力。", "acme/Zeta-7B", set()),
    ("Zeta-7B 获得了堪比 GPT-4V 的水准。", None, {("Zeta-7B", "matches", "gpt-4v")}),
    ("Zeta-7B 较 GPT-4o 成本降低 50%。", None, set()),
    # a Chinese passive: the agent between 被 and the verb is the stronger; 被证明 is no passive
    ("Zeta-7B 在数学上被 GPT-4o 超越了。", None, {("Zeta-7B", "trails", "gpt-4o")}),
    ("GPT-4o 被 Zeta-7B 超越了。", None, {("Zeta-7B", "exceeds", "gpt-4o")}),
    ("Zeta-7B 被证明击败了 o1。", None, {("Zeta-7B", "exceeds", "o1")}),
    # a list of subjects, also "像 A 和 B 这样的模型"
    (
        "Zeta-7B 和 Orrin-9B 都超越了 GPT-4o。",
        None,
        {("Zeta-7B", "exceeds", "gpt-4o"), ("Orrin-9B", "exceeds", "gpt-4o")},
    ),
    (
        "像 Zeta-7B 和 Orrin-9B 这样的开源模型击败了 o1。",
        None,
        {("Zeta-7B", "exceeds", "o1"), ("Orrin-9B", "exceeds", "o1")},
    ),
    # the maker's name inside a frame: "与 OpenAI 的 o3-mini 和 o1 媲美"
    (
        "Zeta-7B 可与 OpenAI 的 o3-mini 和 o1 媲美。",
        None,
        {("Zeta-7B", "matches", "o3-mini"), ("Zeta-7B", "matches", "o1")},
    ),
    ("Zeta-7B 比 GPT-4o 速度提升 3 倍。", None, set()),
    (
        "阿里巴巴发布了新一代模型 Zeta-Max，官方称其在多项基准测试中超越 GPT-4o。",
        None,
        {("Zeta-Max", "exceeds", "gpt-4o")},
    ),
    (
        "开源 Zeta-K3，该模型在代码任务上的表现与 Claude 3.5 Sonnet 相当。",
        None,
        {("Zeta-K3", "matches", "claude-3.5-sonnet-20240620")},
    ),
    ("Zeta-K3 在 AIME 上得分 78.8，略低于 o1 的 79.2。", None, {("Zeta-K3", "trails", "o1")}),
    (
        "Zeta-K3 的综合能力已经逼近 GPT-4o，但在长文本上仍落后于 Claude 3.5 Sonnet。",
        None,
        {("Zeta-K3", "approaches", "gpt-4o"), ("Zeta-K3", "trails", "claude-3.5-sonnet-20240620")},
    ),
    ("推出 Zeta-VL，在视觉理解上达到 GPT-4o 水平。", None, {("Zeta-VL", "matches", "gpt-4o")}),
    ("Zeta-K3 并未超越 GPT-4o。", None, {("Zeta-K3", "trails", "gpt-4o")}),
    # a list of frontier models inside one frame shares it; a frame's object is no rival subject
    (
        "Zeta-3 的表现可与 GPT-4o、o1-mini 和 Gemini 1.5 Pro 相媲美。",
        None,
        {
            ("Zeta-3", "matches", "gpt-4o"),
            ("Zeta-3", "matches", "o1-mini"),
            ("Zeta-3", "matches", "gemini-1.5-pro"),
        },
    ),
    (
        "Zeta-3 的表现与 GPT-4o 相当，超过 o1-mini。",
        None,
        {("Zeta-3", "matches", "gpt-4o"), ("Zeta-3", "exceeds", "o1-mini")},
    ),
    ("GPT-4o 的表现与 Claude 3.5 Sonnet 相当。", None, set()),
    # a fronted frame: "相比 X, Y ... 更好"
    ("相比 GPT-4o，Zeta-3 在中文任务上表现更好。", None, {("Zeta-3", "exceeds", "gpt-4o")}),
    ("和 GPT-4o 一样，Zeta-3 支持工具调用。", None, set()),
]

# 9. untracked look-alikes stay untracked
LOOKALIKES = [
    ("Zeta-7B beats GPT-5.4 on coding.", None, set()),
    ("Zeta-7B outperforms Gemini 3 Flash.", None, set()),
    ("Zeta-7B rivals Claude Sonnet 4.5.", None, set()),
    ("Zeta-7B matches Gemini-2.0 Pro.", None, set()),
    ("Zeta-7B surpasses GPT-5 mini on math.", None, set()),
    ("Zeta-7B surpasses o1 pro on math.", None, set()),
    ("Zeta-7B matches Marco-o1.", None, set()),
    ("Below is a chart of GPT-4o's scores over time.", "acme/Zeta-7B", set()),
]


def _cases(table: list[tuple[str, str | None, Expected]]) -> list[pytest.param]:  # type: ignore[type-arg]
    return [pytest.param(t, m, e, id=t[:60]) for t, m, e in table]


@pytest.mark.parametrize(
    ("text", "model_id", "expected"),
    _cases(
        [
            *NAMES,
            *WRONG_COMPETITOR,
            *FRONTIER_VS_FRONTIER,
            *FRONTIER_TEXT,
            *REPORTED,
            *PASSIVE,
            *NEGATION,
            *WORDING,
            *CHINESE,
            *LOOKALIKES,
        ]
    ),
)
def test_probe(text: str, model_id: str | None, expected: Expected) -> None:
    assert _got(text, model_id) == _want(expected)


def test_a_text_about_a_frontier_model_credits_no_rival() -> None:
    title = "Claude 3 beats GPT-4 on a code editing benchmark"
    text = "Its single-try performance was comparable to the latest GPT-4 Turbo model, at 54%."
    assert DETECTOR.detect_text(text, title=title) == []


def test_reported_claim_is_recorded_below_the_threshold() -> None:
    claims = DETECTOR.detect_text("Zeta-7B reportedly beats o1 on AIME.")
    assert [(c.competitor, c.frontier_key) for c in claims] == [("Zeta-7B", "o1")]
    assert claims[0].confidence < DEFAULT.alert_threshold


def test_gazetteer_names_a_model_without_digit() -> None:
    text = "Brightwing edges out GPT-4o on MMLU."
    assert _got(text) == set()
    known = DETECTOR.with_gazetteer(["Brightwing"])
    claims = known.detect_text(text)
    assert {(c.competitor, c.relation.value, c.frontier_key) for c in claims} == {
        ("Brightwing", "exceeds", "gpt-4o")
    }


def test_an_unmarked_capitalised_subject_is_not_credited_to_the_texts_model_on_a_guess() -> None:
    text = "# Zeta-7B\n\nZeta-7B is our new model. Quokka matches GPT-4o on coding."
    claims = DETECTOR.detect_text(text)
    assert [c.competitor for c in claims] == ["Zeta-7B"]
    assert claims[0].confidence < DEFAULT.alert_threshold  # recorded for /gap, never alerted
    # once the text writes the word as a name, the claim is that name's
    named = DETECTOR.detect_text(text.replace("model.", "model, compared with Quokka."))
    assert [(c.competitor, c.frontier_key) for c in named] == [("Quokka", "gpt-4o")]


def test_a_frontier_model_named_by_shorthand_is_recorded_below_the_threshold() -> None:
    text = (
        "We tested Claude 3.5 Sonnet and Zeta Coder 2.1. Zeta Coder 2.1 got 73%, very close to Sonnet's 77%."
    )
    claims = DETECTOR.detect_text(text)
    assert [(c.competitor, c.frontier_key, c.relation.value) for c in claims] == [
        ("Zeta Coder 2.1", "claude-3.5-sonnet-20240620", "approaches")
    ]
    assert claims[0].confidence < DEFAULT.alert_threshold


def _recorded(text: str, published: date | None = None) -> set[tuple[str, str, str, bool]]:
    """Every claim, with whether it would alert."""
    return {
        (c.competitor, c.relation.value, c.frontier_key, c.confidence >= DEFAULT.alert_threshold)
        for c in DETECTOR.detect_text(text, published=published)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a frontier lab's other model is a competitor under its own name, recorded, not alerted
        (
            "Gemini 3.1 Pro beats Gemini 2.5 Pro on ARC-AGI.",
            {("Gemini 3.1 Pro", "exceeds", "gemini-2.5-pro", False)},
        ),
        (
            "GPT-5 Mini 在排行榜上超越了 Gemini 2.5 Pro。",
            {("GPT-5 Mini", "exceeds", "gemini-2.5-pro", False)},
        ),
        ("GPT-5 beats Gemini 2.5 Pro on ARC-AGI.", set()),  # two tracked models
        # an open-weight release of a frontier lab is a rival like any other
        (
            "gpt-oss-120b matches GPT-4o on core reasoning benchmarks.",
            {("gpt-oss-120b", "matches", "gpt-4o", True)},
        ),
        # a small concession after a lead verdict: the lead, recorded below the threshold
        (
            "Orrin-9B leads in grounding and planning, with only a slight disadvantage in one test "
            "compared to GPT-4o.",
            {("Orrin-9B", "exceeds", "gpt-4o", False)},
        ),
        (
            "Orrin-9B achieves the best scores on six benchmarks and is only slightly behind o1 on AIME.",
            {("Orrin-9B", "exceeds", "o1", False)},
        ),
        (
            "Orrin-9B 在多项测试中领先，仅在 MMLU 上略逊于 GPT-4o。",
            {("Orrin-9B", "exceeds", "gpt-4o", False)},
        ),
        # "but" turns the comparison the other way: a mixed verdict, parity below the threshold
        (
            "Orrin-9B falls behind GPT-4o in knowledge but beats it in math.",
            {("Orrin-9B", "matches", "gpt-4o", False)},
        ),
        ("Orrin-9B beats o1 on MATH but trails it on AIME.", {("Orrin-9B", "matches", "o1", False)}),
        ("Orrin-9B beats o1 on MATH, but the model is still small.", {("Orrin-9B", "exceeds", "o1", True)}),
        ("Orrin-9B trails o1, but it is far cheaper.", {("Orrin-9B", "trails", "o1", True)}),
        # a turn that names another model is a second verdict, not a mixed one
        (
            "Orrin-9B beats o1 on MATH, but trails GPT-4o on MMLU.",
            {("Orrin-9B", "exceeds", "o1", True), ("Orrin-9B", "trails", "gpt-4o", True)},
        ),
        # the same in Chinese: 但 then the other way is mixed; 但 then another model is not
        ("Orrin-9B 在中文能力上超越 GPT-4o，但英文能力仍落后。", {("Orrin-9B", "matches", "gpt-4o", False)}),
        (
            "Orrin-9B 超越 GPT-4o，但落后于 o1。",
            {("Orrin-9B", "exceeds", "gpt-4o", True), ("Orrin-9B", "trails", "o1", True)},
        ),
        ("Orrin-9B 超越 GPT-4o，但价格更高。", {("Orrin-9B", "exceeds", "gpt-4o", True)}),
        # without a lead verdict the concession is what it says
        (
            "Orrin-9B has only a slight disadvantage compared to GPT-4o.",
            {("Orrin-9B", "trails", "gpt-4o", True)},
        ),
        # a family of models: recorded, not alerted
        ("Orrin-9B beats the GPT-4o models on MATH.", {("Orrin-9B", "exceeds", "gpt-4o", False)}),
        ("Orrin-9B beats the GPT-4o family on MATH.", {("Orrin-9B", "exceeds", "gpt-4o", False)}),
        # a clause whose subject is another capitalised family ("the Nova models"): the text's
        # model would be a guess, recorded below the threshold; its own family is its own
        (
            "# Orrin-9B\n\nWe release Orrin-9B.\n\nPer one tester, the Kite family models beat GPT-4o.",
            {("Orrin-9B", "exceeds", "gpt-4o", False)},
        ),
        (
            "# Orrin-9B\n\nWe release Orrin-9B.\n\nOn math, the Orrin models beat GPT-4o.",
            {("Orrin", "exceeds", "gpt-4o", True)},
        ),
        # "nearly as well as" is close, not equal
        ("Orrin-9B performs nearly as well as GPT-4o on MMLU.", {("Orrin-9B", "approaches", "gpt-4o", True)}),
        ("Orrin-9B is almost as good as GPT-4o.", {("Orrin-9B", "approaches", "gpt-4o", True)}),
        # a Chinese clause after a comma and 并 has its own cue
        (
            "Orrin-9B 全面超过 GPT-4o，并在部分任务上达到 o1 水平。",
            {("Orrin-9B", "exceeds", "gpt-4o", True), ("Orrin-9B", "matches", "o1", True)},
        ),
        # "一款 14B 推理模型 其…": a determiner, then the text's one model of that size; when models of
        # several families have that size, a guess, below the threshold
        (
            "Acme 发布了 Kite-7B 和 Orrin-14B。\n\n今天 Acme 推出了一款专注于代码的 14B 推理模型，其评分达到了 o3-mini 级别。",
            {("Orrin-14B", "matches", "o3-mini", True)},
        ),
        (
            "# Kite-7B\n\nWe release Kite-7B.\n\nOrrin 14B and Wren-14B are out. The 14B model rivals o3-mini.",
            {("Wren-14B", "matches", "o3-mini", False)},  # which of the two: a guess
        ),
        # a bare size in Chinese stands for the text's model of that size, below the threshold
        (
            "Acme 发布了 Orrin 8B 和 Orrin 70B，Orrin 400B 仍在训练中。\n\n400B 版本在测试中接近 GPT-4 的水平。",
            {("Orrin 400B", "approaches", "gpt-4", False)},
        ),
    ],
)
def test_mixed_verdicts_families_and_sizes(text: str, expected: set[tuple[str, str, str, bool]]) -> None:
    assert _recorded(text) == expected


@pytest.mark.parametrize(
    ("published", "text", "key"),
    [
        # before the full o1 (2024-12-05), "o1" is o1-preview; after, o1
        (date(2024, 11, 20), "Orrin-9B beats o1 on AIME.", "o1-preview"),
        (date(2025, 1, 20), "Orrin-9B beats o1 on AIME.", "o1"),
        (date(2024, 11, 20), "Orrin-9B beats o1-mini on AIME.", "o1-mini"),
        # after the October 2024 upgrade, a generic "Claude 3.5 Sonnet" is the upgrade ...
        (date(2024, 12, 1), "Orrin-9B beats Claude 3.5 Sonnet on coding.", "claude-3.5-sonnet-20241022"),
        (date(2024, 8, 1), "Orrin-9B beats Claude 3.5 Sonnet on coding.", "claude-3.5-sonnet-20240620"),
        # ... but a spelling that pins the snapshot keeps it
        (date(2024, 12, 1), "Orrin-9B beats Claude-3.5-Sonnet-0620 on coding.", "claude-3.5-sonnet-20240620"),
        (None, "Orrin-9B beats o1 on AIME.", "o1"),
        # ... unless the text looks ahead to the full release
        (date(2024, 11, 20), "Orrin-9B still falls short of a fully realized 'o1' model.", "o1"),
        (date(2024, 11, 20), "Orrin-9B still falls short of the full o1.", "o1"),
    ],
)
def test_a_generic_name_means_the_snapshot_of_the_texts_date(
    published: date | None, text: str, key: str
) -> None:
    assert [c.frontier_key for c in DETECTOR.detect_text(text, published=published)] == [key]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On AIME, GPT-4 Turbo and Claude 3 Opus solve only 1 or 2 of 30 problems.\n\n"
            "In contrast, Orrin-72B solves 9.",
            {
                ("Orrin-72B", "exceeds", "gpt-4-turbo", False),
                ("Orrin-72B", "exceeds", "claude-3-opus", False),
            },
        ),
        (
            "GPT-4o 仅能解出 2 道题。相比之下，Orrin-72B 解出了 9 道。",
            {("Orrin-72B", "exceeds", "gpt-4o", False)},
        ),
        # no poor result, a comparison of its own, or no contrast: nothing
        ("GPT-4o solves 20 problems. In contrast, Orrin-72B solves 9.", set()),
        (
            "GPT-4o scores only 20, worse than Orrin-9B. In contrast, Orrin-72B scores 60.",
            {("Orrin-9B", "exceeds", "gpt-4o", True)},  # the first sentence's own claim; no contrast
        ),
        ("GPT-4o solves only 2 problems. Orrin-72B solves 9.", set()),
        # a heading ends the contrast
        ("GPT-4o solves only 2 problems.\n\n## Setup\n\nIn contrast, Orrin-72B solves 9.", set()),
    ],
)
def test_a_contrast_after_a_poor_frontier_result_is_recorded_below_the_threshold(
    text: str, expected: set[tuple[str, str, str, bool]]
) -> None:
    assert _recorded(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a family and version with no tier names the one tracked model of it, below the threshold
        (
            "Orrin-9B is on par with Gemini-2.5 and Claude-3.5 in human evaluations.",
            {
                ("Orrin-9B", "matches", "gemini-2.5-pro", False),
                ("Orrin-9B", "matches", "claude-3.5-sonnet-20240620", False),
            },
        ),
        (
            "Orrin-9B is comparable to Gemini 2.0 on reasoning.",
            {("Orrin-9B", "matches", "gemini-2.0-flash", False)},
        ),
        # a tier after the version is another model: untracked, or tracked in full
        ("Orrin-9B beats Gemini 2.5 Flash on coding.", set()),
        ("Orrin-9B beats Claude 3.5 Haiku on coding.", set()),
        ("Orrin-9B beats Gemini 2.5 Pro on coding.", {("Orrin-9B", "exceeds", "gemini-2.5-pro", True)}),
    ],
)
def test_a_family_and_version_alone_is_recorded_below_the_threshold(
    text: str, expected: set[tuple[str, str, str, bool]]
) -> None:
    assert _recorded(text) == expected


def test_a_family_and_version_alone_means_the_snapshot_of_the_texts_date() -> None:
    claims = DETECTOR.detect_text("Orrin-9B beats Claude-3.5 on coding.", published=date(2025, 1, 5))
    assert [c.frontier_key for c in claims] == ["claude-3.5-sonnet-20241022"]


@pytest.mark.parametrize(
    "text",
    [
        "# Zeta v1\n\nA single 8B model trained with our method surpassed GPT-5.",
        "# Zeta v1\n\nIn the arena, a model built with our recipe beat GPT-5.",
    ],
)
def test_an_indefinite_model_of_our_own_is_the_texts_model_below_the_threshold(text: str) -> None:
    (claim,) = DETECTOR.detect_text(text)
    assert (claim.competitor, claim.frontier_key, claim.relation.value) == ("Zeta v1", "gpt-5", "exceeds")
    assert claim.confidence < DEFAULT.alert_threshold
