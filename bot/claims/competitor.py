"""Who a claim is about: model names in text, the document's main model, and its lab.

A document names many models (its own, their base models, rivals, benchmarks that look like
names). The competitor of a sentence is the model named before the relation phrase; a sentence
without one ("It outperforms GPT-4o") borrows the subject of the sentences before it, then the
section heading, then the document's main model (Hugging Face id, title, most named model).
A family name ("CodeQwen1.5") is read as the document's most named sized variant of it
("CodeQwen1.5-7B"), unless the text says "series" or "family".
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from bot.claims.gazetteer import Gazetteer, NameHit
from bot.claims.lexicon import (
    BASE_OF_RE,
    COMMON_WORDS,
    NOT_MODELS,
    ORGANISATIONS,
    SUBJECT_WORDS,
    TIER_WORDS,
    is_benchmark,
)
from bot.claims.scan import Anchored, first_char_guarded
from bot.domain import normalise_model_name

# A name: a base token, then up to three version or tier-word tokens (TIER_WORDS, from
# bot/data/names.toml): "Mistral Large", "Gemini 3.1 Pro Preview", "EXAONE Deep 7.8B", "Kimi K2".
_VERSION = r"[A-Za-z]?\d+(?:\.\d+)*[BbMmKk]?(?:[-_][A-Za-z0-9]+)*"  # "Qwen 2.5-Coder-32B", "Gemma 3-27B"
NAME_RE = re.compile(
    r"(?<![A-Za-z0-9_\-./@#])(?=[A-Za-z0-9_.\-]*[A-Z0-9])"
    r"([A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*"
    rf"(?: (?:{_VERSION}|(?:{TIER_WORDS}))(?![A-Za-z0-9_\-]|\.[A-Za-z0-9])){{0,3}})"
    r"(?![A-Za-z0-9_@])"
)
_TIER_RE = re.compile(rf"^(?:{TIER_WORDS})$")
_HYPHEN_TIER_RE = re.compile(rf"[-_](?:{TIER_WORDS})$")
# "We introduce Zeta", "Introducing zeta.ocr", "发布了 Zeta": the name that follows is the text's model.
# News wording introduces it too: "Mistral released Magistral Medium", "a new model called Zeta",
# "Zeta is a new open reasoning model", "Zeta, an open 32B model from ...".
_NAME_GROUP = (
    # the name itself is case-sensitive: a capital, a digit or inner punctuation makes it a name
    r"(?P<name>(?=[A-Za-z0-9_.\-]*[A-Z0-9.\-])[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]"
    r"(?: (?:[A-Z][A-Za-z0-9_.\-]*|\d[\d.]*[BbMm]?)){0,2})"
)
_INTRODUCE_RE = re.compile(
    r"(?:\b(?i:we(?: are|['\u2019]re)?(?: (?:excited|pleased|proud|happy|thrilled|delighted) to)? "
    r"(?:introduce|introducing|release|releasing|present|presenting|announce|announcing|"
    r"open-source|open-sourcing|unveil|unveiling)|introducing|announcing|meet)\s+(?i:the\s+)?(?i:new\s+)?"
    r"|(?:发布了?|推出了?|开源了?|上线了?|名为)\s*"
    # (on the same line: "Llama 4 released" ends a title, the next line is no name)
    r"|\b(?i:released|launched|shipped|unveiled|open-sourced|introduced|announced|debuted|dropped|rolled out)"
    r"[ \t]+(?i:its\s+|their\s+|the\s+)?(?i:new\s+|latest\s+|first\s+)?"
    # a digest's summary: "- proposes X, a reasoning model", "introduces X"
    r"|(?:(?:^|(?<=[-\u2013\u2014:;,.] )|(?<=\S  ))"
    r"(?i:introduces|presents|proposes|releases|launches|unveils|announces|open-sources)"
    # a capitalised verb right after a paper's title: "Describe Anything Introduces DAM, ..."
    r"|(?<=\w )(?:Introduces|Presents|Proposes|Releases|Launches|Unveils|Announces))"
    r"\s+(?i:its\s+|their\s+|the\s+)?(?i:new\s+|latest\s+|first\s+)?"
    r"|\b(?i:called|dubbed|named)\s+)" + _NAME_GROUP
)
# A Chinese product name with a version ("日日新5.0", "混元2"), published or in quotes: "商汤发布日日新5.0",
# "“日日新5.0”正式诞生". A dotted version after a publish verb, any version inside quotes.
_CJK_NAME_RE = re.compile(
    r"(?:(?:发布了?|推出了?|开源了?|上线了?|名为|升级为|迎来了?)\s*[“「『\"]?"
    # "豆包1.5": a Chinese name, then a version ("讯飞星火X1.5": a Latin series tag glues on only to a
    # brand the gazetteer knows; an unknown Chinese run may hold the maker too, "腾讯混元T1")
    r"(?P<cjk>(?!了|新版|全新|最新|版本|第)[\u4e00-\u9fff]{2,6}\s?\d+\.\d+(?:[A-Za-z]{1,6}\b)?)"
    r"|[“「『](?P<quoted>(?!新版|全新|最新|版本|第)[\u4e00-\u9fff]{2,6}\s?\d+(?:\.\d+)*[A-Za-z]{0,6})[”」』])"
)
# every word an introduction starts with, so that the pattern is tried only there (bot/claims/scan.py)
_INTRODUCE = Anchored(
    _INTRODUCE_RE,
    (
        *"we introducing announcing meet released launched shipped unveiled open-sourced".split(),
        *"introduced announced debuted dropped rolled called dubbed named".split(),
        *"introduces presents proposes releases launches unveils announces open-sources".split(),
        *"发布 推出 开源 上线 名为".split(),
    ),
)
# in "Acme is a company that builds agents" the kind word is not what the name is
_NOT_A_MODEL_WORDS = (
    r"(?i:that|which|who|whose|company|lab|startup|team|firm|organi[sz]ation|group|platform|framework"
    r"|library|tool|benchmark|dataset|suite|paper)\b"
)
# "Zeta is a new open reasoning model", "Zeta, an open 32B model from a small lab": a sentence that
# defines its first name as a model.
_DEFINES_RE = re.compile(
    _NAME_GROUP + r"(?:,| is|:) (?i:a|an|our|the) (?:(?!" + _NOT_A_MODEL_WORDS + r")[\w-]+ ){0,5}?"
    r"(?i:model|llm|vlm|language model|reasoning model|family|series|release|agent|assistant|reasoner"
    r"|checkpoint|coder|encoder|embedder)s?\b"
    # only a model is trained: "Zeta is trained on 2T tokens", "Zeta was fine-tuned from ..."
    r"|"
    + _NAME_GROUP.replace("?P<name>", "?P<trained>")
    + r" (?:is|was|has been|are|were) (?i:(?:pre|post)-?)?(?i:trained|fine-?tuned|distilled)\b"
    r"|" + _NAME_GROUP.replace("?P<name>", "?P<zh_name>") + r"\s*(?:是一款|是一个|是)",
)
# where a sentence may start: the text's start, a line's start, after a full stop or a colon (and a
# space), after a Chinese full stop or colon; the next character a Latin letter
_SENTENCE_END_RE = re.compile(r"[.!?:\u3002\uff01\uff1a\n]")  # a set first: sre scans for it fast


def sentence_starts(text: str) -> list[int]:
    """Where a sentence may start (a look-behind pattern tried at every offset costs ~10x this)."""
    size = len(text)
    out = [0] if text[:1].isascii() and text[:1].isalpha() else []
    for match in _SENTENCE_END_RE.finditer(text):
        end = match.end()
        if match.group() in ".!?:":
            if end >= size or not text[end].isspace():
                continue
            end += 1
        if end < size and text[end].isascii() and text[end].isalpha() and (not out or out[-1] != end):
            out.append(end)
    return out


# "Details matter with open models": a capitalised word then lower-case words is a sentence, not a
# product name ("Heron: a new model", "Heron", "Heron Takes Flight" may be one).
_SENTENCE_CASE_RE = re.compile(r"^ [a-z]")


# after a name in a title: it is who publishes, not what is published
_PUBLISHER_AFTER_RE = re.compile(
    r"\s*(?:团队|实验室)?\s*(?:(?:近日|正式|今日|今天)?(?:发布|推出|开源|上线|公布)"
    r"|(?i:team|labs?)?\s*(?i:releases|released|launches|launched|unveils|unveiled|open-sources|announces|ships|debuts)\b)"
)
# "Acme has released", "Acme dropped", "Acme's team rolled out": the name before it publishes
_PUBLISH_VERB = (
    r"(?:'s? team| team| labs?)?\s+(?:(?:has|have|just|today|quietly|officially|also|now)\s+){0,2}"
    r"(?:releases|released|launches|launched|unveils|unveiled|open-sources|open-sourced|announces|announced"
    r"|ships|shipped|debuts|debuted|drops|dropped|rolls out|rolled out)\b"
)
_PUBLISH_VERB_RE = re.compile(_PUBLISH_VERB, re.IGNORECASE)  # a headline: "Acme Quietly Launches"


_PUBLISHES_TAIL_RE = re.compile(rf"{_PUBLISH_VERB}\s+(?:its |their |a |an |the )?(?=[A-Z0-9])")
_WORD_CHAR_RE = re.compile(r"[\w-]")


def word_starts(text: str, word: str) -> Iterator[int]:
    """Where `word` stands in `text` as a whole word (no word character or hyphen either side):
    `str.find`, then a look at the two neighbours (a pattern that opens with a look-behind makes
    `re` try every offset of a long text)."""
    pos, size = text.find(word), len(word)
    while pos != -1:
        if not (pos and _WORD_CHAR_RE.match(text, pos - 1)) and not _WORD_CHAR_RE.match(text, pos + size):
            yield pos
        pos = text.find(word, pos + 1)


def publishes_in(text: str, name: str) -> bool:
    """Whether `text` has `name` publishing a capitalised name ("Acme dropped Heron"): a maker."""
    return any(_PUBLISHES_TAIL_RE.match(text, pos + len(name)) for pos in word_starts(text, name))


# right before a name: it is what is published ("发布 REDSearcher 开源框架": not a publisher after all)
_PUBLISHED_BEFORE_RE = first_char_guarded(
    r"(?:发布|推出|开源|上线|公布)了?\s*$"
    r"|(?i:\b(?:releases|released|launches|launched|unveils|unveiled|introduces|introduced|open-sources"
    r"|open-sourced|announces|announced)\s+(?:the\s+|its\s+|a\s+|an\s+)?)$"
)


def published_at(text: str, start: int) -> bool:
    """Whether a publish verb comes right before the name starting at `start` ("Acme releases X")."""
    return _PUBLISHED_BEFORE_RE.search(text, max(0, start - 30), start) is not None


def publisher_at(text: str, end: int) -> bool:
    """Whether the name ending at `end` publishes what follows ("REDtech 发布 ...", "Acme releases")."""
    return _PUBLISHER_AFTER_RE.match(text, end) is not None or _PUBLISH_VERB_RE.match(text, end) is not None


_CLAUSE_END_RE = re.compile(r"\s*(?:[,，。.;；:：!！?？)）]|$)")  # noqa: RUF001


def publishes_object(text: str, end: int) -> bool:
    """Whether the name ending at `end` publishes something named after the verb ("Acme launches a
    model that ..."); "Zeta-7B 发布，性能对标 o1" (Zeta-7B is released) is no publisher."""  # noqa: RUF002
    found = _PUBLISHER_AFTER_RE.match(text, end) or _PUBLISH_VERB_RE.match(text, end)
    return found is not None and _CLAUSE_END_RE.match(text, found.end()) is None


# "Large" in "Zeta 3 Large Language Models" is the kind of model, not a tier of the name
_KIND_AFTER_RE = re.compile(r"(?i: (?:language|multimodal|vision|reasoning|action|foundation) models?\b)")
_SIZE_WORD_TAIL_RE = re.compile(r" (?:Large|Small|Medium|Tiny)$")


_ADVERB_RE = re.compile(r"[A-Z][a-z]+ly")  # "Notably", "Importantly"
# "released the open-source large language model Zeta": a lower-case word before a kind noun
# describes the model; it is no name of one
_KIND_WORD_RE = re.compile(r"(?i:models?|llms?|vlms?|agents?|systems?|assistants?|chatbots?)")
_MODIFIES_KIND_RE = re.compile(
    r"(?: [a-z][\w-]*){0,3} (?i:models?|llms?|vlms?|checkpoints?|weights|family|series|version)\b"
)


def _title_case_phrase(name: str) -> bool:
    """Two or more capitalised plain words, with no tier word ("Process Reinforcement") or led by
    a gerund ("Scaling Reasoning", "Learning Math"): a phrase of a title, not a product name."""
    words = name.split(" ")
    if len(words) < 2 or not all(w.isalpha() and w[1:].islower() for w in words):
        return False
    return words[0].endswith("ing") or not any(_TIER_RE.match(w) for w in words)


_SHAPE_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*\d[A-Za-z0-9.\-]*")  # one token with a digit
# the common path: no Chinese name to look for
_HAS_CJK_VERSION_RE = re.compile(r"[\u4e00-\u9fff]\s?\d")


def _group(match: re.Match[str], name: str) -> str | None:
    """The named group's text, None when the pattern has no such group or it did not take part."""
    return match.groupdict().get(name)


def introduced_names(text: str) -> list[str]:
    """Names the text introduces ("we release X"), in order."""
    found = []
    defines = (_DEFINES_RE.match(text, start) for start in sentence_starts(text))
    cjk = _CJK_NAME_RE.finditer(text) if _HAS_CJK_VERSION_RE.search(text) else ()
    matches = sorted([*_INTRODUCE.finditer(text), *(m for m in defines if m), *cjk], key=lambda m: m.start())
    for match in matches:
        group = next((g for g in ("name", "trained", "zh_name", "cjk", "quoted") if _group(match, g)), "")
        name = (match.group(group) if group else "").rstrip(".-_")
        end = match.start(group) + len(name) if group != "zh_name" else match.end()
        if group in ("cjk", "quoted"):
            found.append(name)  # no English filter applies to a Chinese name
            continue
        if _KIND_AFTER_RE.match(text, end):
            name = _SIZE_WORD_TAIL_RE.sub("", name)  # "Zeta 3 Large Language Models": "Zeta 3"
        plain = _plain(name)
        first = name.split(" ")[0].lower()
        words = name.split(" ")
        if _title_case_phrase(name):
            continue  # "Process Reinforcement": capitalised words of a phrase, not a product name
        if len(words) == 1 and (first in SUBJECT_WORDS or _ADVERB_RE.fullmatch(name)):
            continue  # "Additionally, the model ...": a discourse word before a comma, not a name
        if name.islower() and not any(ch.isdigit() for ch in name) and _MODIFIES_KIND_RE.match(text, end):
            continue  # "the open-source large language model": a modifier of the kind noun
        if any(map(_KIND_WORD_RE.fullmatch, words[1:])) and not any(ch.isdigit() for ch in name):
            continue  # "Nvidia Launches AI Model That ...": a headline's description, not a name
        if (
            len(plain) >= 3
            and first not in _COMMON_WORDS
            and plain not in ORGANISATIONS
            and plain not in NOT_MODELS
            and not is_benchmark(plain)
            and not _FRONTIER_LAB_RE.match(name)
        ):
            found.append(name)
    return found


# a size, with a mixture-of-experts' active parameters ("235B-A22B"), then chat/instruct tags
_SIZE = r"\d+(?:\.\d+)?[BbMm](?:[-_]A\d+(?:\.\d+)?[BbMm])?"
_SIZE_SUFFIX_RE = re.compile(rf"^[-_ ]?{_SIZE}(?:[-_ ](?:chat|instruct|it|preview))*$", re.IGNORECASE)
_SIZE_TAIL_RE = re.compile(rf"[-_ ]{_SIZE}(?:[-_ ](?:chat|instruct|it|preview))*$", re.IGNORECASE)
_SIZE_RE_ANY = re.compile(r"\d+(?:\.\d+)?[BbMm](?![a-z])")
_SERIES_RE = re.compile(r"^\W{0,3}(?:series|family|models|系列|家族)", re.IGNORECASE)
_DERIVED_RE = re.compile(r"-(?:like|style|level|inspired|based|class)$", re.IGNORECASE)
_FRONTIER_LAB_RE = re.compile(
    # gpt-oss is an open-weight release like any other, not a frontier lab's closed model
    r"^(?:gpt(?![-\s]?oss)|chatgpt|claude|gemini|openai|sonnet|opus|haiku|o\d(?:$|[-\s]))",
    re.IGNORECASE,
)
# a frontier lab's model that is no tracked one (those are mentions, skipped before names are read):
# a successor or a smaller sibling ("Gemini 3.1 Pro", "GPT-5 Mini") can itself claim parity
# ("Claude 3", "GPT-5" alone is a family or a tracked model, never a rival)
_SUCCESSOR_RE = re.compile(
    r"^(?:gpt|claude|gemini)\b[\w.\- ]*?(?:\d+\.\d+|\d+[-\s]?(?:mini|nano|flash|pro|lite|ultra|turbo)\b)"
    # a product line with its own version: "GPT-Realtime-2", "gpt-image-1"
    r"|^gpt-(?!oss)[a-z]{3,}-\d+$",
    re.IGNORECASE,
)


def frontier_lab_model(name: str) -> bool:
    """A frontier lab's model that is no tracked one ("GPT-5 Mini", "Gemini 3.1 Pro")."""
    return _SUCCESSOR_RE.match(name) is not None


_ORG_AI_RE = re.compile(r"^[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)? AI$")  # "Stability AI", "Reka AI": a company
_HF_ID_RE = re.compile(
    r"(?:huggingface\.co|hf\.co)/(?!datasets/|spaces/|docs/|blog/|papers/)([\w.\-]+)/([\w.\-]+)"
)
_METHOD_AFTER_RE = re.compile(
    r"\s*(?:method|approach|technique|algorithm|recipe|framework|strategy|pipeline|objective|loss|"
    r"paradigm|trick|scheme|procedure|方法|策略|框架|算法"
    # an arena or a dataset of that name ("the MindGames Arena"); not "benchmark", which often
    # follows a model's own name ("Zeta-7B benchmark results")
    r"|arena|leaderboard|competition|dataset|基准测试|榜单|数据集|评测集"
    # "the ARC Challenge"; not the verb before a frontier model ("X challenges OpenAI's o1")
    r"|challenge(?!s?\s+(?:the likes of\s+)?(?-i:(?:[A-Z][\w'’]*\s+)?(?:GPT|Claude|Gemini|o\d))))"  # noqa: RUF001
    r"s?(?![A-Za-z])",
    re.IGNORECASE,
)
_BARE_SIZE_RE = re.compile(
    r"^[vV]?\d+(?:\.\d+)*[BbMmKkTt]?$"
)  # "7B", "v2", "3.5": a size or version, no name
_WEBSITE_RE = re.compile(r"\.(?:ai|com|io|org|net|cn|dev|co)$", re.IGNORECASE)
_CAMEL_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]|[A-Z][a-z]+[A-Z]")

_LABS_BY_ORG = {
    "deepseek-ai": "DeepSeek",
    "qwen": "Alibaba Qwen",
    "openbmb": "OpenBMB",
    "internlm": "Shanghai AI Lab (InternLM)",
    "01-ai": "01.AI",
    "meta-llama": "Meta",
    "mistralai": "Mistral AI",
    "microsoft": "Microsoft",
    "google": "Google",
    "allenai": "AI2",
    "aidc-ai": "Alibaba International (AIDC-AI)",
    "novasky-ai": "NovaSky (UC Berkeley)",
    "agentica-org": "Agentica",
    "simplescaling": "simplescaling",
    "moonshotai": "Moonshot AI",
    "thudm": "Zhipu AI",
    "nvidia": "NVIDIA",
    "tiiuae": "TII",
}
_LABS_BY_PREFIX = [
    ("deepseek", "DeepSeek"),
    ("codeqwen", "Alibaba Qwen"),
    ("qwq", "Alibaba Qwen"),
    ("qwen", "Alibaba Qwen"),
    ("minicpm", "OpenBMB"),
    ("internlm", "Shanghai AI Lab (InternLM)"),
    ("yi", "01.AI"),
    ("llama", "Meta"),
    ("mistral", "Mistral AI"),
    ("mixtral", "Mistral AI"),
    ("phi", "Microsoft"),
    ("gemma", "Google"),
    ("olmo", "AI2"),
    ("kimi", "Moonshot AI"),
    ("glm", "Zhipu AI"),
    ("chatglm", "Zhipu AI"),
    ("baichuan", "Baichuan"),
    ("falcon", "TII"),
    ("marco", "Alibaba International (AIDC-AI)"),
    ("skyt1", "NovaSky (UC Berkeley)"),
    ("deepscaler", "Agentica"),
    ("grok", "xAI"),
    ("hunyuan", "Tencent"),
    ("ernie", "Baidu"),
    ("nemotron", "NVIDIA"),
]


_NON_WORD_RE = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=16384)
def _plain(name: str) -> str:
    return _NON_WORD_RE.sub("", name.lower())


_COMMON_WORDS = COMMON_WORDS


def _shape_ok(name: str) -> bool:
    """Looks like a model name on its own (has a version digit or a product-like shape)."""
    base, _, suffix = name.partition(" ")
    if suffix and (base.lower() in _COMMON_WORDS or not any(c.isupper() or c.isdigit() for c in base)):
        return False
    if base[0].isupper() and _HYPHEN_TIER_RE.search(base):
        return True  # "Qwen-Plus", "Janus-Pro", "Yi-Large"
    has_digit = any(c.isdigit() for c in base)
    if has_digit and any(c.isalpha() for c in base):
        return True
    if suffix and (_CAMEL_RE.search(base) or "." in suffix or suffix[-1] in "bBmM" or suffix[0].isalpha()):
        return any(c.isdigit() for c in suffix) or all(_TIER_RE.match(t) for t in suffix.split())
    # "Prometheus 2", "Gemma 3": a capitalised word and a version number ("Table 2" is a common word)
    return bool(suffix) and base[0].isupper() and base[1:].islower() and suffix.split(" ")[0].isdigit()


@functools.lru_cache(maxsize=8192)
def acceptable(name: str, known: frozenset[str]) -> bool:
    """Could `name` be a competitor model (not a benchmark, a GPU, a frontier lab's model)?"""
    plain = _plain(name)
    if len(plain) < 2 or plain in NOT_MODELS or _DERIVED_RE.search(name):
        return False
    if _FRONTIER_LAB_RE.match(name) and not _SUCCESSOR_RE.match(name):
        return False
    first = name.split(" ")[0]
    if (
        plain in ORGANISATIONS
        or first.lower() in _COMMON_WORDS
        or _plain(first) in NOT_MODELS
        or (
            _plain(first) in ORGANISATIONS
            and " " in name
            and not any(c.isdigit() for c in name)
            and not _SIZE_WORDS_RE.fullmatch(name[len(first) :])  # "Mistral Large" is a product
        )
        or _WEBSITE_RE.search(name)
        or _SOFTWARE_VERSION_RE.search(name)
        or _ORG_AI_RE.match(name)
        or _BARE_SIZE_RE.match(name)
    ):
        return False
    if is_benchmark(plain):
        return False
    if normalise_model_name(name) in known or plain in known:
        return True
    return _shape_ok(name)


# a three-part version is software's ("Code v2.0.54", "vllm 0.6.3"), not a model's
_AFTER_LOWER_RE = re.compile(r"[a-z,;] ")  # a word capitalised in mid-sentence
_SOFTWARE_VERSION_RE = re.compile(r"(?<![\w.])v?\d+\.\d+\.\d+(?![\w.])")

# after an organisation's name, size words make a product ("Mistral Large", "Mistral Small 3"), not
# a team ("Meta AI", "Google Research")
_SIZE_WORDS_RE = re.compile(r"(?:\s+(?:Large|Medium|Small|Mini|Nano|Pro|Max|Ultra|Lite|Plus|Turbo))+")
_INNER_CAPITAL_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")  # "CogAgent", "LLaDA"


def family(name: str) -> str | None:
    """ "Qwen2.5-Coder-32B-Instruct" -> "Qwen2.5-Coder"; None without a size tail."""
    match = _SIZE_TAIL_RE.search(name)
    if match is None or match.start() == 0:
        return None
    return name[: match.start()]


def find_names(
    text: str,
    known: frozenset[str],
    skip: Iterable[tuple[int, int]] = (),
    gazetteers: Iterable[Gazetteer] = (),
) -> list[NameHit]:
    """Model-like names in `text`, outside the `skip` spans (frontier mentions), plus every name
    a gazetteer knows; where two overlap, the longer wins."""
    spans = sorted(skip)
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))  # the furthest end so far

    def skipped(start: int, end: int) -> bool:  # overlaps a skip span (binary search, not a scan)
        k = bisect.bisect_left(starts, end)
        return k > 0 and reach[k - 1] > start

    listed = sorted(
        (
            hit
            for gazetteer in gazetteers
            if gazetteer
            for hit in gazetteer.find(text)
            if not skipped(hit.start, hit.end) and not _FRONTIER_LAB_RE.match(hit.name)
        ),
        key=lambda h: h.start,
    )
    listed_starts = [h.start for h in listed]
    listed_reach = list(itertools.accumulate((h.end for h in listed), max))
    dropped: set[int] = set()  # listed names inside a longer name found by shape
    hits: list[NameHit] = []
    for match in NAME_RE.finditer(text):
        start, end = match.span(1)
        if skipped(start, end):
            continue
        name = match.group(1).rstrip(".-_")
        if _KIND_AFTER_RE.match(text, start + len(name)):
            name = _SIZE_WORD_TAIL_RE.sub("", name)  # "Llama 3 Large Language Models": "Llama 3"
        k = bisect.bisect_right(listed_starts, start)
        if k > 0 and listed_reach[k - 1] >= start + len(name):
            continue  # inside a listed name (binary search over the listed names, not a scan)
        if _METHOD_AFTER_RE.match(text, start + len(name)):
            continue  # "the long2short method": a technique, not a model
        if not acceptable(name, known) and " " in name:
            # "Model M12-3", "Table Zeta-7B": a common word glued in front of a name
            head, rest = name.split(" ", 1)
            start, name = start + len(head) + 1, rest
        if acceptable(name, known):
            end = start + len(name)
            k = bisect.bisect_left(listed_starts, start)
            while k < len(listed) and listed[k].start < end:
                if listed[k].end <= end:
                    dropped.add(k)
                k += 1
            hits.append(NameHit(start, end, name))
    hits.extend(h for k, h in enumerate(listed) if k not in dropped)
    return sorted(hits, key=lambda h: h.start)


_TITLE_ACRONYM_RE = re.compile(
    r"[A-Za-z][\w-]+(?: [\w-]+){0,5} \(((?=[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z])[A-Za-z0-9]{2,10})\)"
)


class DocumentModels:
    """The models a document is about: its main model and the names it uses."""

    def __init__(
        self,
        text: str,
        *,
        titles: Iterable[str] = (),
        model_id: str | None = None,
        skip: Iterable[tuple[int, int]] = (),
        hf_names: Iterable[str] = (),
        known_names: Gazetteer | None = None,
        about_frontier: bool = False,
    ) -> None:
        self.about_frontier = about_frontier  # the title's subject is a frontier model
        own = model_id.rsplit("/", 1)[-1] if model_id else None
        introduced = introduced_names(text)
        titles = list(titles)
        self.titles = tuple(titles)
        seeds = [n for n in (own, *hf_names) if n and acceptable(n, frozenset())]
        local = [*seeds, *introduced, *(n for n in (own, *hf_names) if n and len(_plain(n)) >= 4)]
        # the shape finder (NAME_RE) finds a name with a digit as it is; the text's own gazetteer is
        # for the others ("Quillfeather", "UI-TARS", "日日新5.0"), and stays empty in most texts
        local = [n for n in local if not _SHAPE_NAME_RE.fullmatch(n)]
        self.literals: tuple[Gazetteer, ...] = (Gazetteer(local), *([known_names] if known_names else []))
        skip = list(skip)
        raw = find_names(text, frozenset(), skip, self.literals)
        self.introduced = introduced
        self.counts: Counter[str] = Counter()
        self._spelling: dict[str, str] = {}
        self._raw, self._seeds, self._text = raw, seeds, text
        for name in [*(h.name for h in raw), *seeds]:
            key = normalise_model_name(name)
            self.counts[key] += 1
            self._spelling.setdefault(key, name)
        known = {normalise_model_name(n) for n in seeds} | set(self.counts)
        self._families = {
            normalise_model_name(f) for f in map(family, [*self._spelling.values(), *seeds]) if f
        }
        known |= self._families
        self._title_word = self._recurring_title_word(titles, text)
        if self._title_word:
            known.add(normalise_model_name(self._title_word))
        self.known = frozenset(k for k in known if k)
        self.title_family: str | None = None  # the title names a family ("Qwen2.5-VL"), main is a size of it
        self.main = self._pick_main(own, titles)

    @property
    def title_word(self) -> str | None:
        """A plain product name in a title that the text names again ("Heron" in "Heron Series")."""
        return self._title_word

    def names_word(self, word: str) -> bool:
        """Whether the text treats a plain capitalised word as a name ("Quokka"): written with an
        inner capital or in capitals ("CogAgent", "QUOKKA"), in a title, or capitalised in mid-sentence
        somewhere (after a lower-case word), which a common word at a sentence start is not."""
        if _INNER_CAPITAL_RE.search(word) or (word.isupper() and len(word) >= 4):
            return True
        if any(next(word_starts(title, word), None) is not None for title in self.titles):
            return True
        return any(
            _AFTER_LOWER_RE.match(self._text, pos - 2) for pos in word_starts(self._text, word) if pos >= 2
        )

    @staticmethod
    def _recurring_title_word(titles: list[str], text: str) -> str | None:
        """A plain product name in a title ("Heron: ...") that the text names again."""
        for title in titles[:2]:
            for match in NAME_RE.finditer(title):
                word = match.group(1)
                plain = _plain(word)
                if (
                    word[0].isupper()
                    and len(word) >= 3
                    and word.lower() not in _COMMON_WORDS
                    and plain not in ORGANISATIONS
                    and plain not in NOT_MODELS
                    and not is_benchmark(plain)
                    and not _SENTENCE_CASE_RE.match(title[match.end(1) :])
                ):
                    if len(list(itertools.islice(word_starts(text, word), 2))) >= 2:
                        return word
                break
        return None

    def _pick_main(self, own: str | None, titles: Iterable[str]) -> str | None:
        if self.about_frontier and not own:
            return None  # "Claude 3.7 Sonnet is here": its pronouns and tables are the frontier model's
        main = self._main_candidate(own, titles)
        if main and _FRONTIER_LAB_RE.match(main):
            return None  # a text about a frontier model has no rival of its own to credit
        return main

    def _main_candidate(self, own: str | None, titles: Iterable[str]) -> str | None:
        if own:
            return own
        titles = list(titles)
        # the title (or the first heading) names the text's model; a name the text introduces ("we
        # release X") comes before later section headings ("Option 1: Using Base Image")
        main = self._title_name(titles[:1])
        if main is None and self.introduced:
            return self.expand(self.introduced[0])
        main = main or self._title_acronym(titles[:1]) or self._title_name(titles[1:])
        if main is not None:
            return main
        # names a text only writes after "based on", "trained with", "compared with" are what its
        # model was built from or compared with: never its main model
        free = {normalise_model_name(n) for n in self._seeds} | {
            normalise_model_name(h.name)
            for h in self._raw
            if not BASE_OF_RE.search(self._text, max(0, h.start - 30), h.start)
        }
        ranked = [key for key, _ in self.counts.most_common() if key in free]
        return self.expand(self._spelling[ranked[0]]) if ranked else self._title_word

    def _title_acronym(self, titles: Iterable[str]) -> str | None:
        """ "Mixture-of-Agents (MoA)": a title that spells out its acronym, which the text then uses
        (three times or more), names the text's release, a method's too."""
        for title in titles:
            found = _TITLE_ACRONYM_RE.search(title)
            if found and len(list(itertools.islice(word_starts(self._text, found.group(1)), 3))) >= 3:
                return found.group(1)
        return None

    def _title_name(self, titles: Iterable[str]) -> str | None:
        for title in titles:
            for hit in find_names(title, self.known, (), self.literals):
                if publisher_at(title, hit.end) or publishes_in(self._text, hit.name):
                    continue  # "REDtech 发布 REDSearcher", "Acme Labs releases Zeta": the publisher
                if _title_case_phrase(hit.name):
                    continue  # "Kite: Scaling Reasoning": a paper title's phrase, not a product
                key = normalise_model_name(hit.name)
                # "LLaVA-CoT: Let Vision Language Models Reason": a name written with inner capitals
                # that the text uses again is the product, even without a digit
                recurring = self.counts[key] >= 2 and _INNER_CAPITAL_RE.search(hit.name) is not None
                if _shape_ok(hit.name) or key in self._families or recurring:
                    main = self.expand(hit.name, title[hit.end :])
                    if main != hit.name:
                        self.title_family = hit.name
                    return main
        return None

    def sized(self, size: str, *, build: bool = False) -> str | None:
        """The text's model of this size ("the 90B" in a text about "Llama 3.2 90B"): the most named
        spelling that ends in the size, preferring the main model's family; with `build`, the main
        family and the size when the text names no such spelling ("Llama 3.2" -> "Llama 3.2 90B");
        else None."""
        main_family = loose_name((family(self.main) or self.main) if self.main else "")
        tail = re.compile(rf"(?i)[-_ ]{re.escape(size)}(?:[-_ ](?:chat|instruct|it|preview|vision))*$")
        found = [(self.counts[k], v) for k, v in self._spelling.items() if tail.search(v)]
        if not found:
            # a text about a family ("Llama 3.2", "Zeta-VL") names its sizes only as "the 90B"
            if build and self.main and family(self.main) is None and not _SIZE_RE_ANY.search(self.main):
                return f"{self.main}{'-' if '-' in self.main else ' '}{size}"
            return None
        same = [f for f in found if main_family and loose_name(family(f[1]) or f[1]).startswith(main_family)]
        return max(same or found)[1]

    def sizes_shared(self, size: str) -> bool:
        """Whether models of several families have this size ("Qwen 14B", "DeepCoder-14B"), none of
        them the main model's: "the 14B model" is then a guess between them."""
        main_family = loose_name((family(self.main) or self.main) if self.main else "")
        tail = re.compile(rf"(?i)[-_ ]{re.escape(size)}(?:[-_ ](?:chat|instruct|it|preview|vision))*$")
        families = {loose_name(family(v) or v) for v in self._spelling.values() if tail.search(v)}
        return len(families) > 1 and not any(main_family and f.startswith(main_family) for f in families)

    def is_rare(self, name: str) -> bool:
        """Named at most once in the text and not (a variant of) the text's main model."""
        key = normalise_model_name(name)
        main = normalise_model_name(self.main) if self.main else ""
        if main and (key == main or (min(len(key), len(main)) >= 4 and (key in main or main in key))):
            return False
        return self.counts.get(key, 0) <= 1

    def expand(self, name: str, after: str = "") -> str:
        """Read a family name as its most named sized variant ("s1" -> "s1-32B")."""
        if _SERIES_RE.match(after) or family(name) is not None:
            # "R1 models": the series of the longer name; "Qwen-7B" stays itself, though a text
            # names "DeepSeek-R1-Distill-Qwen-7B"
            tail = self._tail_of(name) if family(name) is None else None
            return tail[1] if tail else name
        prefix = normalise_model_name(name)
        best: tuple[int, str] | None = None
        for spelling in self._spelling.values():
            if len(spelling) <= len(name) or not spelling.lower().startswith(name.lower()):
                continue
            if not _SIZE_SUFFIX_RE.match(spelling[len(name) :]):
                continue
            group = normalise_model_name(spelling)
            if not group.startswith(prefix):
                continue
            count = sum(c for k, c in self.counts.items() if k == group)
            if best is None or count > best[0]:
                best = (count, spelling)
        if best is None and len(prefix) >= 3:
            # "K2.5" in a text that also writes "Kimi K2.5": the short form of the brand's name
            longer = [
                (self.counts[normalise_model_name(v)], v)
                for v in self._spelling.values()
                if v.endswith(f" {name}")
                and len(v.split(" ")) == len(name.split(" ")) + 1
                and v[:1].isupper()
                and v.split(" ")[0].lower() not in _COMMON_WORDS
            ]
            if longer:
                best = max(longer)
        if best is None:
            best = self._tail_of(name)
        return best[1] if best else name

    def _tail_of(self, name: str) -> tuple[int, str] | None:
        """ "R1" in a text that writes "Step-Audio-R1" twice or more: the last part of a hyphenated
        name the text uses, standing for it (the most named one, if several end so)."""
        if not any(c.isdigit() for c in name) or " " in name:
            return None
        longer = [
            (self.counts[normalise_model_name(v)], v)
            for v in self._spelling.values()
            if v.lower().endswith((f"-{name.lower()}", f" {name.lower()}")) and v[:1].isalpha()
        ]
        longer = [entry for entry in longer if entry[0] >= 2]
        return max(longer) if longer else None


def hf_model_names(text: str) -> list[str]:
    """Model names from Hugging Face model URLs in raw text ("hf.co/org/Name" -> "Name")."""
    return [m.group(2) for m in _HF_ID_RE.finditer(text)]


@functools.lru_cache(maxsize=16384)
def loose_name(name: str) -> str:
    """Normalised name without chat/instruct/it tags anywhere ("InternLM2-Chat-20B" ~ "InternLM2-20B")."""
    return normalise_model_name(re.sub(r"(?i)(?<![a-z])(?:chat|instruct|it)(?![a-z])", " ", name))


def size_of(name: str) -> float | None:
    """The parameter count a name ends in, in billions ("Zeta-72B" -> 72.0, "Zeta-500M" -> 0.5,
    "Zeta-235B-A22B" -> 235.0); None without a size tail."""
    match = _SIZE_TAIL_RE.search(name)
    if match is None:
        return None
    number = re.match(r"[-_ ]?(\d+(?:\.\d+)?)([BbMm])", match.group(0))
    if number is None:  # pragma: no cover - the tail always starts with a size
        return None
    return float(number.group(1)) / (1000 if number.group(2) in "Mm" else 1)


def lab_for(name: str, *, model_id: str | None = None, lab: str | None = None) -> str | None:
    """The competitor's lab: the item's lab, the Hugging Face org, or a known name prefix."""
    if lab:
        return lab
    if model_id and "/" in model_id:
        org = model_id.split("/", 1)[0].lower()
        if org in _LABS_BY_ORG:
            return _LABS_BY_ORG[org]
    plain = _plain(name)
    for prefix, owner in _LABS_BY_PREFIX:
        if plain.startswith(prefix):
            return owner
    return None
