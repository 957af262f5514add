"""Words that carry a comparison, loaded from data: one TOML file per language.

`bot/data/lexicon_en.toml` and `bot/data/lexicon_zh.toml` hold the relation phrases, passive
participles, and the negation, hedge, report, clause-break, pronoun and base-of cues. English
phrases match as whole words (case-insensitive); Chinese ones as written. This module compiles
them once and offers small finders; the rules that use them live in `prose.py`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from bot.claims.scan import AtWordStarts, ByFirstChar, first_char_guarded
from bot.domain import Relation

LANGUAGES = ("en", "zh")
# Relation cues are tried in this order inside one alternation: at the same start, an
# "approaches" phrase ("nearly matches") wins over the plain verb ("matches").
_RELATION_ORDER = (Relation.APPROACHES, Relation.TRAILS, Relation.MATCHES, Relation.EXCEEDS)
_W = r"(?<![A-Za-z])"  # a word start that also works next to CJK text
_E = r"(?![A-Za-z])"


@cache
def load(language: str) -> dict[str, Any]:
    """The raw lexicon of one language (a TOML table)."""
    text = resources.files("bot.data").joinpath(f"lexicon_{language}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _phrases(section: str, key: str) -> dict[str, list[str]]:
    return {lang: list(load(lang).get(section, {}).get(key, [])) for lang in LANGUAGES}


def _alternation(by_language: dict[str, list[str]]) -> str:
    parts = []
    words = [p for p in by_language.get("en", []) if re.match(r"[A-Za-z(]", p)]
    marks = [p for p in by_language.get("en", []) if p not in words]  # ";", ":\s": no word edges
    if words:
        parts.append(f"{_W}(?:{'|'.join(words)}){_E}")
    if marks:
        parts.append(f"(?:{'|'.join(marks)})")
    if by_language.get("zh"):
        parts.append(f"(?:{'|'.join(by_language['zh'])})")
    return "|".join(parts) or r"(?!x)x"


def cue_regex(key: str) -> re.Pattern[str]:
    """One compiled pattern for a `[cues]` key over every language."""
    return first_char_guarded(_alternation(_phrases("cues", key)), re.IGNORECASE)


def _cue_pattern(wanted: Callable[[str], bool] = lambda phrase: True) -> str:
    """The relation cues as one alternation, a named group per relation in `_RELATION_ORDER`;
    `wanted` keeps only some phrases (in their order)."""
    groups = []
    for relation in _RELATION_ORDER:
        by_language = {
            lang: [p for p in phrases if wanted(p)]
            for lang, phrases in _phrases("relations", relation.value).items()
        }
        if any(by_language.values()):
            groups.append(f"(?P<{relation.value}>{_alternation(by_language)})")
    return "|".join(groups) or r"(?!x)x"


CUE_RE = re.compile(_cue_pattern(), re.IGNORECASE)
# the same matches as CUE_RE.finditer: tried at word starts only, each with only the phrases that
# can begin with its first character (the whole alternation costs ~3 us at every word)
_CUE_SCAN = ByFirstChar(
    [p for r in _RELATION_ORDER for phrases in _phrases("relations", r.value).values() for p in phrases],
    _cue_pattern,
)

NEGATION_RE = cue_regex("negation")
HEDGE_RE = cue_regex("hedge")
REPORT_RE = cue_regex("report")
FRAME_RE = cue_regex("frame")
NOT_CAPABILITY_RE = cue_regex("not_capability")
# right after the frontier mention: "beats GPT-4o in price-performance", "GPT-4o-level latency"
NOT_CAPABILITY_AFTER_RE = re.compile(
    r"(?:[\s\-]?(?:level|class|grade)|[\u2019']s)?\s*(?:(?:only|just|solely|mainly)\s+)?"
    r"(?:(?:in|on|for|at|by)\s+(?:terms of\s+)?(?:the\s+)?"
    # "its advantages over GPT-4o are price and speed"
    r"|(?:is|are|was|were|lies?|come down to)\s+(?:(?:its|their|the|mainly|mostly|chiefly)\s+)?)?"
    f"(?:{_alternation(_phrases('cues', 'not_capability'))})",
    re.IGNORECASE,
)
DISPUTE_RE = cue_regex("dispute")
# right after the frontier mention, a negation of the comparison: "better than GPT-4o at nothing"
NEGATED_AFTER_RE = re.compile(
    rf"\s*,?\s*(?:{_alternation(_phrases('cues', 'negated_after'))})(?![\w-])", re.IGNORECASE
)
CONCESSION_RE = cue_regex("concession")
LOW_RESULT_RE = cue_regex("low_result")
CONTRAST_LEAD_RE = re.compile(
    rf"^\W*(?:{_alternation(_phrases('cues', 'contrast_lead'))})\s*[,，]?",  # noqa: RUF001
    re.IGNORECASE,
)
LEAD_VERDICT_RE = cue_regex("lead_verdict")
_MAKERS = "(?:[A-Z]\\w+[\u2019']s\\s+)?"  # "inspired by OpenAI's o1"
TOOL_OF_RE = first_char_guarded(
    f"(?:{_alternation(_phrases('cues', 'tool_of'))})\\s*(?:the\\s+|a\\s+|an\\s+)?{_MAKERS}\\W{{0,3}}$",
    re.IGNORECASE,
)  # "judged by GPT-4", "distilled from o1"
CLAUSE_BREAK_RE = cue_regex("clause_break")
ROLE_AFTER_RE = re.compile(
    f"^\\W{{0,3}}\\s*(?:{_alternation(_phrases('cues', 'role_after'))})", re.IGNORECASE
)
ZH_ROLE_RE = first_char_guarded(
    "|".join(_phrases("cues", "role_before")["zh"]) or r"(?!x)x"
)  # "作为评判模型"
COMPONENT_OF_RE = re.compile(f"^(?:{_alternation(_phrases('cues', 'component_of'))})", re.IGNORECASE)
NEW_SUBJECT_RE = cue_regex("new_subject")
UNNAMED_SIZE_SUBJECT_RE = cue_regex("unnamed_subject")
INDEFINITE_SUBJECT_RE = cue_regex("indefinite_subject")
PRONOUN_RE = cue_regex("pronoun_subject")
PLURAL_SUBJECT_RE = cue_regex("plural_subject")
_LEVEL = [p for phrases in _phrases("cues", "level_suffix").values() for p in phrases]
POST_LEVEL_RE = re.compile(f"^(?:{'|'.join(_LEVEL)})", re.IGNORECASE)
# "based on X", "using the same X", "与 X": the name right after, or after a determiner and one of
# a few words that only describe a base; not after a comma closing a frame ("与 GPT-4o 相比, X")
BASE_OF_RE = first_char_guarded(
    f"(?:{_alternation(_phrases('cues', 'base_of'))})\\s*(?:(?:the|a|an|its|their|our)\\s+)?"
    f"(?:(?:same|identical|original|pretrained|pre-trained)\\s+)?(?:(?![,，])\\W){{0,3}}$",  # noqa: RUF001
    re.IGNORECASE,
)


def _passive() -> re.Pattern[str]:
    en, zh = load("en").get("passive", {}), load("zh").get("passive", {})
    groups = []
    for relation in (Relation.TRAILS, Relation.MATCHES):
        words = en.get(relation.value, [])
        alts = []
        if words:
            be = "|".join(en.get("be", ["is"]))
            alts.append(rf"{_W}(?:{be})\s+(?:\w+ly\s+)?(?:{'|'.join(words)})\s+by{_E}")
        alts.extend(zh.get(relation.value, []))
        if alts:
            groups.append(f"(?P<{relation.value}>{'|'.join(alts)})")
    return first_char_guarded("|".join(groups), re.IGNORECASE)


PASSIVE_RE = _passive()
_PASSIVE_SCAN = AtWordStarts(PASSIVE_RE)

# Chinese comparison frames that put the frontier model before the cue: "与 GPT-4o 相当",
# "比 GPT-4o 更强". A cue after the mention counts only when one of these precedes it.
# "较前代 Gemini 3 Pro": its predecessor; "与 OpenAI 的 o3-mini": its maker's
# "与世界顶尖的闭源模型 GPT-4o 相当": a short description of the frontier model may stand between
ZH_DESCRIBED = r"[\u4e00-\u9fff]{0,10}模型(?:如|例如|比如|包括)?"  # "顶尖商业模型如"
_ZH_EARLIER = rf"(?:前代|上一代|上代|此前的?|之前的?|[A-Z][A-Za-z]+\s*的|{ZH_DESCRIBED})?"
ZH_FRAME_BEFORE_RE = first_char_guarded(
    rf"(?:与|和|跟|同|比|较|对比|相比于?|相较于?|距离|离|把)\s*{_ZH_EARLIER}\s*$"
)
ZH_COMPARED_BEFORE_RE = first_char_guarded(rf"(?:比|较|相比|相较于?|相比于|对比)\s*{_ZH_EARLIER}\s*$")
# after "比 X" / "较 X" / "相比 X": which way the comparison goes ("比 GPT-4o 高出 5 分", "较 GPT-4o 的
# 31.1% 实现翻倍", "比 o1 低 2 分"); a word of cost or speed in the same stretch makes it no claim
ZH_STRONGER_RE = re.compile(
    r"^[^，。；,;]{0,16}?(?:更强|更好|更高|更优|更胜一筹|强于|领先|高出|多出|超出|提升|提高|增长|翻倍|(?:强大|强|好|高)得多)"  # noqa: RUF001
)
# "Zeta 被 GPT-4o 超越": the frontier model between 被 and the verb is the stronger one
ZH_PASSIVE_BEFORE_RE = first_char_guarded(r"被\s*(?:[A-Za-z]+\s*的\s*)?$")
ZH_PASSIVE_AFTER_RE = re.compile(r"^[^，。；,;]{0,12}?(?:超越|超过|击败|打败|反超|赶超|碾压)")  # noqa: RUF001
ZH_WEAKER_RE = re.compile(r"^[^，。；,;]{0,16}?(?:更弱|更差|更低|低(?=\s*\d)|低了|落后|差了|下降)")  # noqa: RUF001


@dataclass(frozen=True, slots=True)
class Cue:
    """A relation phrase found at `start:end` of a sentence."""

    start: int
    end: int
    relation: Relation
    text: str
    passive: bool = False


def find_cues(text: str) -> list[Cue]:
    """Every relation cue in `text`, left to right; passive frames ("is outperformed by") are one cue
    whose relation is the subject's (trails), marked `passive`."""
    return list(_find_cues(text))


@lru_cache(maxsize=2048)
def _find_cues(text: str) -> tuple[Cue, ...]:
    passive = [
        Cue(m.start(), m.end(), Relation(m.lastgroup), m.group(0), passive=True)
        for m in _PASSIVE_SCAN.finditer(text)
        if m.lastgroup
    ]
    cues = list(passive)
    for match in _CUE_SCAN.finditer(text):
        if match.lastgroup is None:  # pragma: no cover
            continue
        if any(p.start <= match.start() < p.end for p in passive):
            continue
        cues.append(Cue(match.start(), match.end(), Relation(match.lastgroup), match.group(0)))
    return tuple(sorted(cues, key=lambda c: c.start))


@cache
def names_data() -> dict[str, frozenset[str]]:
    """bot/data/names.toml: tier words, common words, non-model tokens, organisations, benchmarks."""
    text = resources.files("bot.data").joinpath("names.toml").read_text(encoding="utf-8")
    return {key: frozenset(value.split()) for key, value in tomllib.loads(text).items()}


BENCHMARK_NAMES = names_data()["benchmarks"]
NOT_MODELS = names_data()["not_models"]
ORGANISATIONS = names_data()["organisations"]  # the maker of a model, never the model itself
CHINESE_MODELS = names_data()["chinese_models"]  # brands without a version, found as written
COMMON_WORDS = names_data()["common_words"]
SUBJECT_WORDS = names_data()["subject_words"]
TIER_WORDS = "|".join(sorted(names_data()["tier_words"], key=len, reverse=True))
LOWER_IS_BETTER_RE = first_char_guarded(
    r"\bbpb\b|\bppl\b|perplexity|\bwer\b|\bcer\b|hallucinat|error|latency|↓|lower is better|\bchair\b|memory",
    re.IGNORECASE,
)
_LONG_BENCHMARK_RE = re.compile(
    "|".join(sorted((n for n in BENCHMARK_NAMES if len(n) >= 5), key=len, reverse=True))
)


_BENCHMARK_VARIANT_RE = re.compile(r"(?:pro|plus|lite|hard|verified|redux|mini|full|zh|en|cn)$")


def is_benchmark(normalised: str) -> bool:
    """True for a benchmark name (normalised: lower-case, alphanumerics only)."""
    base = normalised.rstrip("0123456789")
    if normalised in BENCHMARK_NAMES or base in BENCHMARK_NAMES:
        return True
    variant = _BENCHMARK_VARIANT_RE.sub("", base)  # "MMMU-Pro", "SWE-bench Verified", "MMLU-Redux"
    if variant != base and variant in BENCHMARK_NAMES:
        return True
    if len(base) > 5 and base.endswith(("bench", "eval")):
        return True  # "DLC-Bench", "MM-Eval": a benchmark by its shape
    return _LONG_BENCHMARK_RE.match(normalised) is not None
