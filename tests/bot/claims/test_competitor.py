"""Who a claim is about: one table per heuristic of bot/claims/competitor.py (names written here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.claims.competitor import (
    DocumentModels,
    acceptable,
    family,
    find_names,
    introduced_names,
    lab_for,
    publishes_object,
    sentence_starts,
    size_of,
)
from bot.claims.detector import own_model_rank
from bot.claims.gazetteer import Gazetteer
from bot.claims.subjects import has_own_subject, plain_word_subject, publisher_clause


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("Zeta-7B", True),
        ("Orrin Large", True),  # a tier word after the base
        ("Qala-Pro", True),  # a hyphenated tier word
        ("Kestrel K2", True),  # a letter-and-digit version
        ("Vesper 2.5 Pro Preview", True),
        ("H100", False),  # hardware
        ("FP8", False),
        ("Meta", False),  # an organisation
        ("OpenAI", False),
        ("Sonnet", False),  # a frontier family's bare name
        ("MMLU", False),  # a benchmark
        ("LiveCodeBench", False),
        ("GPT-5.4", True),  # a frontier lab's untracked model may claim parity (recorded, not alerted)
        ("GPT-5 Mini", True),
        ("GPT-Realtime-2", True),  # a frontier lab's product line with its own version
        ("GPT-Realtime", False),
        ("GPT", False),  # a family word alone is no model
        ("Claude 3", False),
        ("acme.ai", False),  # a website
        ("Token 0.75", False),  # a price, not a model
        ("Python 3.10", False),  # software
        ("SOTA 26.3", False),
        ("Bench Lite", False),
        ("Feed 12", False),  # a common word and a number
        ("Issue 4", False),
        ("Apr 2024", False),  # a date
        ("Q3 2025", False),
        ("Prometheus 2", True),
        ("DLC-Bench", False),  # a benchmark by its shape
        ("MM-Eval", False),
        ("Code v2.0.54", False),  # a three-part version is software's
        ("Zeta 3.1.2", False),
        ("Zeta 3.1", True),
        ("NeurIPS 2025", False),  # a conference and its year
        ("ICLR 2026", False),
        ("Math Reasoning", False),  # a task area and a tier word
        ("Apache 2.0", False),  # a licence
        ("MMMU-Pro", False),  # a benchmark's harder variant
        ("MMLU-Redux", False),
        ("Qwen-Plus", True),  # a tier word on a model's name
        ("CC-BY 4.0", False),
        ("Windows 11", False),  # an operating system or a device and its version
        ("iOS 18", False),
        ("Pixel 9", False),
    ],
)
def test_acceptable(name: str, ok: bool) -> None:
    assert acceptable(name, frozenset()) is ok


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Zeta-Coder-32B-Instruct", "Zeta-Coder"),
        ("Zeta-7B", "Zeta"),
        ("Zeta 7B", "Zeta"),
        ("Zeta", None),
        ("Zeta3-235B-A22B", "Zeta3"),  # total and active parameters of a mixture of experts
        ("Zeta-7B-RL", None),  # a tag after the size: no size tail
    ],
)
def test_family(name: str, expected: str | None) -> None:
    assert family(name) == expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("We introduce Lumenar, a new model.", ["Lumenar"]),
        ("Introducing tessel.ocr for documents.", ["tessel.ocr"]),
        ("We release Zeta-9B Instruct today.", ["Zeta-9B Instruct"]),
        ("我们发布了 Lumenar。", ["Lumenar"]),
        ("We introduce the training code of our system.", []),  # lower-case words are no name
        ("We introduce Process Reinforcement through rewards.", []),  # a capitalised phrase
        ("We release GPT-4o evaluations.", []),  # a frontier lab's model
        # news wording: a third party releases it, or a sentence defines it as a model
        ("Mistral released Magistral Medium on Tuesday.", ["Magistral Medium"]),
        ("The lab shipped its new Heron-Pro.", ["Heron-Pro"]),
        # a lower-case compound before the kind noun describes the model: no name
        ("The lab released the open-source large language model Heron-Pro.", []),
        ("The lab released the open-weight model family today.", []),
        ("We release long-context checkpoints of Heron.", []),
        ("The lab released heron-pro, its new model.", ["heron-pro"]),  # no kind noun right after
        ("Nvidia Quietly Launches AI Model That Beats It", []),  # a headline's description
        ("Heron 4 released\nAnnounces Heron 4 Scout models.", []),  # a title's end, then another line
        ("Acme Launches Heron 2 Model today", ["Heron 2 Model"]),  # a version makes it a name
        ("A startup unveiled a new model called Quillfeather.", ["Quillfeather"]),
        ("Sable-R is a new reasoning model.", ["Sable-R"]),
        ("Orca, an open 30B model from a small lab, rivals it.", ["Orca"]),
        ("新模型名为 Lumenar。", ["Lumenar"]),
        ("The team released Tuesday a patch.", []),  # a day, not a name
        ("OpenAI released GPT-4.1 today.", []),  # a frontier lab's model
        ("This is a new model.", []),  # a common word defined, no name
        ("The results released yesterday show it.", []),
        # a digest entry defines its term after a colon; a heading word does not
        ("Quokka: a diffusion language model from a university lab.", ["Quokka"]),
        ("Note: a new model is coming.", []),
        ("Additionally, the model is fast.", []),  # a discourse word before a comma
        ("Importantly, the model is fast.", []),
        # an agent or an assistant is a model too; only a model is trained
        ("Quillfeather is a visual GUI agent.", ["Quillfeather"]),
        ("Heron-X is trained on a large dataset of screenshots.", ["Heron-X"]),
        ("Perception: Heron-X was fine-tuned from a base model.", ["Heron-X"]),
        ("The data is trained on nothing.", []),  # no name
        ("Acme is a company that builds agents.", []),  # a company is no agent
        # a Chinese name with a version: published, or in quotes
        ("商汤发布日日新5.0，全面升级。", ["日日新5.0"]),
        ("“混元2”正式亮相。", ["混元2"]),
        ("我们推出了新版5.0。", []),  # a new version, no name
        ("在 AIME 上提升3.5分。", []),  # a score, not published
    ],
)
def test_introduced_names(text: str, names: list[str]) -> None:
    assert introduced_names(text) == names


@pytest.mark.parametrize(
    ("known", "text", "found"),
    [
        (["Mistral Large"], "mistral-large beats it", ["mistral-large"]),
        (["Mistral Large"], "Mistral Large 2 is out", ["Mistral Large"]),  # longest known run
        (["Quillfeather"], "Quillfeather wins", ["Quillfeather"]),
        (["Quillfeather"], "a quillfeather pen", []),  # a plain word must keep its capital
        (["dots.ocr"], "we ran dots.ocr on it", ["dots.ocr"]),
        (["Zeta-9B", "Zeta"], "Zeta-9B and Zeta", ["Zeta-9B", "Zeta"]),
        (["H100", "Meta"], "H100 and Meta", []),  # never names, even when stored
        # Chinese names have no word tokens: found as written, not inside a longer version
        (["日日新5.0"], "商汤发布日日新5.0，对标 GPT-4 Turbo", ["日日新5.0"]),
        (["日日新5.0", "Zeta-9B"], "Zeta-9B 与日日新5.0", ["Zeta-9B", "日日新5.0"]),
        (["日日新5.0"], "日日新5.05 版本", []),
        # a brand that ends in a Chinese character takes the version or tag written right after it
        (["星语"], "某公司发布了星语X1.5大模型", ["星语X1.5"]),
        (["星语"], "星语 2 Pro 领先", ["星语 2 Pro"]),
        (["星语"], "星语大模型", ["星语"]),
    ],
)
def test_gazetteer(known: list[str], text: str, found: list[str]) -> None:
    assert [h.name for h in Gazetteer(known).find(text)] == found


def test_a_full_stop_after_a_version_ends_the_name_without_cutting_it() -> None:
    assert [h.name for h in find_names("We ship Zeta 3.2 90B. It is out.", frozenset())] == ["Zeta 3.2 90B"]
    assert [h.name for h in find_names("Try Zeta 3.2 now.", frozenset())] == ["Zeta 3.2"]
    # a three-part version is software's ("Code v2.0.54"), not a model's
    assert [h.name for h in find_names("Try Zeta 3.2.1 now", frozenset())] == []


def test_a_common_word_glued_in_front_is_dropped() -> None:
    assert [h.name for h in find_names("Model M12-3 outperforms it", frozenset())] == ["M12-3"]


def test_find_names_prefers_the_longer_of_overlapping_names() -> None:
    hits = find_names("Orrin Large 2 beats it", frozenset(), (), (Gazetteer(["Orrin"]),))
    assert [h.name for h in hits] == ["Orrin Large 2"]


@pytest.mark.parametrize(
    ("main", "label", "rank"),
    [
        ("Zeta-32B", "Zeta-32B", 2),
        ("Zeta-32B", "**Zeta-32B-Instruct**", 2),
        ("Zeta-32B", "Ours", 2),
        ("Zeta-32B", "Zeta-7B", 1),  # a size variant
        ("Zeta-7B", "Zeta-7B-RL", 1),  # a tagged variant
        ("PRIME", "Orrin-7B-PRIME", 1),  # the card's method on a base model
        ("Zeta-32B", "Orrin-32B", 0),
        ("Zeta-32B", "GPT-4o", 0),
        ("Zeta-2", "Zeta-2-Vision (Ours)", 2),  # marked as the text's own, of its family
        ("Zeta-2", "Zeta-1 (Ours)", 1),  # marked, but an older model
        ("Zeta3", "Zeta3-235B-A22B", 1),  # a mixture-of-experts size: total and active parameters
        ("Zeta-9B", "Zeta-9B-Base", 1),  # the pretrained base beside the tuned model: a variant
        ("Zeta-3", "Zeta-3.5-vision-instruct", 1),  # a point release of the family the text names
        ("Zeta-1", "Zeta-13B", 0),  # not a point release
        ("Zeta4", "Zeta 4 Maverick", 1),  # a named member of the family the text is about
        ("Zeta4-70B", "Zeta 4 Maverick", 0),  # the text is about one sized model
        ("Zeta-9B-Base", "Zeta-9B-Base", 2),  # a base model's own card
        ("Zeta-9B-Base", "Zeta-9B", 2),
    ],
)
def test_own_model_rank(main: str, label: str, rank: int) -> None:
    assert own_model_rank(main)(label) == rank


@pytest.mark.parametrize(
    ("text", "titles", "model_id", "main"),
    [
        ("Anything.", [], "acme/Zeta-7B", "Zeta-7B"),  # the Hugging Face id first
        ("Zeta-9B is fast.", ["Zeta-9B: a fast model"], None, "Zeta-9B"),
        ("We introduce Lumenar. Lumenar is fast.", ["Getting started"], None, "Lumenar"),
        ("Heron is fast. Heron is open.", ["Heron: a fast model"], None, "Heron"),  # a title word
        ("Details matter. Details help.", ["Details matter with models"], None, None),  # a sentence
        (
            "Orrin-2 and Orrin-2 and Orrin-2 and Zeta-1.",
            ["Intended Use"],
            None,
            "Orrin-2",
        ),  # not a heading word
        ("Claude 3 is strong.", ["Claude 3 beats GPT-4"], None, None),  # a text about a frontier model
        # the publisher named first in a title is not the model
        ("It is fast.", ["AcmeAI releases Zeta-7B"], None, "Zeta-7B"),
        ("它很快。", ["小红书 REDtech 发布 REDSearcher-30B"], None, "REDSearcher-30B"),
        # "K2.5" most often, "Kimi K2.5" once: the short form of the brand's name
        ("Kestrel K2.5 is out. K2.5 is fast. K2.5 is open.", [], None, "Kestrel K2.5"),
        # a paper digest: the capitalised verb right after the title introduces the model
        ("Describe Things Introduces DAM, a model. DAM is fast.", [], None, "DAM"),
        # a digest summary introduces its model in the third person
        ("Kestrel: a study - introduces Heron-9B, a model.", [], None, "Heron-9B"),
        # a title's first name that the text shows publishing something is the maker
        ("Kestrel dropped Heron-9B today. It is fast.", ["Kestrel Heron-9B"], None, "Heron-9B"),
        ("Kestrel has released Heron. It is fast.", ["Kestrel Heron"], None, "Heron"),
        # a task area with a tier word is no model; the product's versioned name is
        (
            "Kestrel v0.1 is out.",
            ["Kestrel v0.1: RL Training of 7B LLMs on Math Reasoning"],
            None,
            "Kestrel v0.1",
        ),
        ("It is out.", ["Training of 7B LLMs on Math Reasoning Tasks"], None, None),
        # a name with inner capitals that the text uses again, before a paper title's phrase
        (
            "Kestrel-CoT is out. Kestrel-CoT is open.",
            ["Kestrel-CoT: Let Vision Models Reason"],
            None,
            "Kestrel-CoT",
        ),
    ],
)
def test_main_model(text: str, titles: list[str], model_id: str | None, main: str | None) -> None:
    assert DocumentModels(text, titles=titles, model_id=model_id).main == main


@pytest.mark.parametrize(
    ("name", "model_id", "lab"),
    [
        ("DeepSeek-R1", None, "DeepSeek"),
        ("Zeta-7B", "qwen/Zeta-7B", "Alibaba Qwen"),
        ("Zeta-7B", None, None),
    ],
)
def test_lab_for(name: str, model_id: str | None, lab: str | None) -> None:
    assert lab_for(name, model_id=model_id) == lab


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Quokka ", ("Quokka", False)),
        ("- Quokka also ", ("Quokka", False)),
        ("ByteDance's Quokka is ", ("Quokka", True)),  # an owner marks it
        ("The new Quokka model ", ("Quokka", True)),  # so does a model noun
        ("According to the paper, Quokka ", ("Quokka", False)),
        ("Performance ", None),  # a subject word
        ("This ", None),
        ("Anthropic ", None),  # an organisation
        ("Claude ", None),  # a frontier family word
        ("In tests Quokka ", None),  # more than one word of subject
        ("STORM文本-视频模型性能", ("STORM", True)),  # a Chinese kind noun marks it
        ("Quokka 模型的表现", ("Quokka", True)),
        ("Quokka 团队", None),  # a team is not a model
    ],
)
def test_plain_word_subject(clause: str, expected: tuple[str, bool] | None) -> None:
    assert plain_word_subject(clause) == expected


@pytest.mark.parametrize(
    ("text", "word", "named"),
    [
        ("Quokka beats it.", "Quokka", False),  # only at a sentence start: could be any word
        ("Quokka beats it. We compare with Quokka.", "Quokka", True),  # capitalised mid-sentence
        ("Tests show CogAgent wins.", "CogAgent", True),  # an inner capital
        ("QUOKKA wins.", "QUOKKA", True),
    ],
)
def test_a_plain_word_is_a_name_when_the_text_writes_it_as_one(text: str, word: str, named: bool) -> None:
    assert DocumentModels(text).names_word(word) is named


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("Zeta-72B", 72.0),
        ("Zeta-500M", 0.5),
        ("Zeta-235B-A22B", 235.0),
        ("Zeta 1.5B Instruct", 1.5),
        ("Zeta", None),
    ],
)
def test_size_of(name: str, size: float | None) -> None:
    assert size_of(name) == size


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Acme releases Zeta 3 Large Language Models.", ["Zeta 3"]),  # the kind of model, not a tier
        ("Zeta Large is a big model.", ["Zeta Large"]),
    ],
)
def test_a_size_word_before_the_kind_of_model_is_not_a_tier(text: str, names: list[str]) -> None:
    assert [h.name for h in find_names(text, frozenset())] == names


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Heron beats Heron-2 and xHeron; Heron.", "Heron"),
        ("发布Heron 和 Heron", "Heron"),  # a CJK character is a word character, as in `re`
        ("Heron_x -Heron Heron", "Heron"),
        ("", "Heron"),
        ("HeronHeron Heron", "Heron"),
    ],
)
def test_word_starts_finds_what_a_bounded_pattern_finds(text: str, word: str) -> None:
    from bot.claims.competitor import word_starts

    pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
    assert list(word_starts(text, word)) == [m.start() for m in re.finditer(pattern, text)]


CORPUS_DOCS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "claims" / "docs"
# the pattern sentence_starts replaces (it tries its look-behinds at every offset)
_LOOK_BEHIND_STARTS = re.compile(r"(?:^|(?<=[.!?:]\s)|(?<=[。！：]))(?=[A-Za-z])", re.MULTILINE)


@pytest.mark.parametrize(
    "text",
    [
        "Zeta is out. It beats o1.\nNext line: Orrin is here!\n\nDone? Yes.",
        "A.\nB. c. D:\u00a0E",  # a full stop then a newline; a no-break space after a colon
        "发布了。Zeta 是新模型：Orrin 也是！Heron",
        "3.5 and e.g. x. 1. Zeta",
        "",
    ],
)
def test_sentence_starts_are_where_the_look_behind_pattern_finds_them(text: str) -> None:
    assert sentence_starts(text) == [m.start() for m in _LOOK_BEHIND_STARTS.finditer(text)]


def test_sentence_starts_agree_with_the_look_behind_pattern_on_every_corpus_text() -> None:
    docs = sorted(CORPUS_DOCS.glob("*.md")) if CORPUS_DOCS.is_dir() else []
    if not docs:
        pytest.skip("corpus not present")
    for path in docs:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert sentence_starts(text) == [m.start() for m in _LOOK_BEHIND_STARTS.finditer(text)], path.name


@pytest.mark.parametrize(
    ("text", "short", "expanded"),
    [
        # the last part of a hyphenated name the text uses stands for it
        ("We release Sonic-Audio-R1. Sonic-Audio-R1 is open.", "R1", "Sonic-Audio-R1"),
        ("We release Sonic-Audio-R1.1. Sonic-Audio-R1.1 is open.", "R1.1", "Sonic-Audio-R1.1"),
        # named once only, or no digit: no telling
        ("We release Sonic-Audio-R1 today.", "R1", "R1"),
        ("We release Sonic-Audio. Sonic-Audio is open.", "Audio", "Audio"),
        ("Acme R1 is out. Acme R1 is open.", "R1", "Acme R1"),  # written with a space
        # a sized name is a model of its own, not the tail of a longer one
        ("We distil Zeta-R1-Distill-Orrin-7B. Zeta-R1-Distill-Orrin-7B is open.", "Orrin-7B", "Orrin-7B"),
    ],
)
def test_a_hyphen_tail_stands_for_the_name_it_ends(text: str, short: str, expanded: str) -> None:
    assert DocumentModels(text).expand(short) == expanded


@pytest.mark.parametrize(
    ("text", "publishes"),
    [
        ("Acme launches a model that beats o1", True),
        ("Acme Quietly Launches AI Model That Beats o1", True),  # a headline's capitals
        ("Acme has released Zeta-7B", True),
        ("Acme 发布 Zeta-7B", True),
        ("Acme 发布，性能对标 o1", False),  # "Zeta-7B is released": no object after the verb
        ("Acme launches.", False),
        ("Acme beats o1", False),  # no publish verb
    ],
)
def test_publishes_object(text: str, publishes: bool) -> None:
    assert publishes_object(text, len("Acme")) is publishes


@pytest.mark.parametrize(
    ("clause", "own"),
    [
        ("a speculative edits algorithm that ", True),  # three content words of its own
        ("This 671B MoE model ", False),  # points back at a model
        ("its average score ", False),
        ("Ai2 introduced new models, competing with ", True),  # a maker's release, unnamed
        ("Acme Labs has released weights ", True),
        ("We released new models, ", False),  # the text's own
        ("It ", False),
        ("Another lab's model ", True),  # someone else's
        ("a rival system ", True),
    ],
)
def test_has_own_subject(clause: str, own: bool) -> None:
    assert has_own_subject(clause) is own


@pytest.mark.parametrize(
    ("clause", "publishes"),
    [
        ("Lumen shipped a new speech system.", True),
        ("Acme Labs has released weights", True),
        ("We released new models", False),
        ("The lab released it", False),  # no maker named
        ("Zeta-9B beats GPT-4o", False),
        ("Lumen 推出了一款语音模型，", True),
        ("Lumen 推出了 Zeta-9B，", False),  # named
    ],
)
def test_publisher_clause(clause: str, publishes: bool) -> None:
    assert publisher_clause(clause) is publishes
