"""Words that carry a comparison: relation phrases, negation and hedge cues, benchmark names.

Every phrase here is general English (or Chinese) model-card wording; nothing is tuned to one
document. A relation cue applies to the frontier models named after it in the same clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import Relation

_W = r"(?<![A-Za-z])"  # a word start that also works next to CJK text
_E = r"(?![A-Za-z])"

# Order matters inside one alternation: longer, more specific phrases first.
_CUES: list[tuple[Relation, list[str]]] = [
    (
        Relation.APPROACHES,
        [
            r"not far (?:behind|from)",
            r"(?:near|close)[ -]?(?:to )?(?:the )?(?:level|performance) of",
            r"(?:nearly|almost|approaching|close to) (?:match(?:es|ing)?|equal(?:s|ling)?|rival(?:s|ling)?|reach(?:es|ing)?)",  # noqa: E501
            r"clos(?:e|er|ing) to",
            r"approach(?:es|ed|ing)?",
            r"(?:narrow|narrows|narrowing|narrowed|clos(?:e|es|ing|ed)|bridg(?:e|es|ing|ed)|shrink(?:s|ing)?) the (?:\w+ )?gap",  # noqa: E501
            r"on the heels of",
            r"within (?:a )?(?:few|\d+(?:\.\d+)?) (?:points?|pp|%) of",
            r"接近|逼近",
        ],
    ),
    (
        Relation.TRAILS,
        [
            r"f(?:a|e)ll(?:s|ing)? short of",
            r"(?:remains?|there (?:is|remains|exists)|still (?:has|have)|leaves?) (?:still )?(?:a|an|some) (?:\w+ ){0,2}gap",  # noqa: E501
            r"(?:a|the) (?:\w+ )?gap (?:still )?remains",
            r"lag(?:s|ged|ging)?(?: behind)?",
            r"trail(?:s|ed|ing)?",
            r"(?:is|are|was|were|remains?|ranks?|ranking|ranked|sits?|comes?|stays?|still|just|slightly|far|well|but|yet|only) (?:\w+ )?behind",  # noqa: E501
            r"(?:second|third|\d+(?:st|nd|rd|th)) place[^.;]{0,20}?(?:following|after|behind)",
            r"second (?:only )?to",
            r"inferior to|worse than|weaker than|below the level of",
            r"落后于?|不及|不如|逊于|逊色于",
        ],
    ),
    (
        Relation.MATCHES,
        [
            r"as (?:well|good) (?:as )?or better than",
            r"match(?:es|ing)? or (?:exceed|surpass|beat|outperform)(?:s|ing)?",
            r"on (?:a )?par with|at par with|par with|parity with",
            r"comparabl[ey] (?:to|with)",
            r"comparable (?:\w+ ){0,2}(?:to|with)",
            r"competitive (?:\w+ ){0,2}(?:with|to|against)",
            r"rival(?:s|ed|ing|ling)?",
            r"match(?:es|ed|ing)?",
            r"as (?:good|strong|capable) as",
            r"(?:on|at) the (?:same )?level (?:of|as)|same level as",
            r"similar (?:performance|results|scores?) (?:to|as|with)",
            r"equivalent to|equal to|on a level with",
            r"媲美|比肩|相当|持平|看齐",
        ],
    ),
    (
        Relation.EXCEEDS,
        [
            r"outperform(?:s|ed|ing)?",
            r"surpass(?:es|ed|ing)?",
            r"beat(?:s|ing)?",
            r"better than",
            r"superior to|stronger than",
            r"exceed(?:s|ed|ing)?",
            r"(?:is|are|was|were|stays?|pulls?|pulled|well|far|clearly|ahead) ahead of|ahead of",
            r"overtak(?:es|ing|en)|eclips(?:es|ed|ing)",
            r"超越|超过|优于|胜过|领先于",
        ],
    ),
]

_GROUPS = {relation: f"(?P<{relation.value}>{'|'.join(phrases)})" for relation, phrases in _CUES}
CUE_RE = re.compile(f"{_W}(?:{'|'.join(_GROUPS.values())}){_E}", re.IGNORECASE)

# "GPT-4-level", "GPT-4o 级", "o1-class": a level cue written right after the model's name.
POST_LEVEL_RE = re.compile(
    r"^(?:[\s\-]?(?:level|class|grade|tier)\b|\s?的?(?:级别?|水平|媲美|比肩|相当|持平|看齐))", re.IGNORECASE
)

NEGATION_RE = re.compile(
    r"(?<![A-Za-z])(?:not(?! only)|n't|never|no|nor|yet to|fail(?:s|ed)? to|unable to|cannot|"
    r"has yet|have yet|is yet)(?![A-Za-z])|尚未|未能|没有|并未|不能",
    re.IGNORECASE,
)
HEDGE_RE = re.compile(
    r"(?<![A-Za-z])(?:aims? to|aiming to|aimed to|hop(?:e|es|ing) to|striv(?:e|es|ing) to|"
    r"goal is to|goal of|seek(?:s|ing)? to|attempt(?:s|ing)? to|tr(?:y|ies|ying) to|could|might|may(?! \d)|"
    r"would|expected to|plans? to|planning to|whether|designed to|intended to|wants? to|"
    r"in order to|towards?|on the way to|potential to|hop(?:e|es|ed|ing)|future|eventually|"
    r"speculat(?:e|es|ed|ing|ion)|rumou?r(?:s|ed)?|guess(?:es|ed)?|wonder(?:s|ed)?|"
    r"next (?:version|generation|release|model)s?|will(?! be released))(?![A-Za-z])|旨在|希望|有望|试图",
    re.IGNORECASE,
)
# Where one clause ends and another begins: a cue never reaches across these.
CLAUSE_BREAK_RE = re.compile(
    r";|:\s|(?<![A-Za-z])(?:but|while|whereas|although|though|however|except)(?![A-Za-z])|但|而|然而|；",  # noqa: RUF001
    re.IGNORECASE,
)
# "their 32B model", "our 7B model": a subject we cannot name.
UNNAMED_SIZE_SUBJECT_RE = re.compile(
    r"(?<![A-Za-z])(?:our|their|its) \d+(?:\.\d+)?[BbMm] (?:model|variant|version)", re.IGNORECASE
)
# Names right after these are what the competitor was built from, not the competitor.
BASE_OF_RE = re.compile(
    r"(?:version of|based on|built (?:up)?on|on top of|fine-?tuned (?:from|on)|distilled (?:from|into)|"
    r"initiali[sz]ed from|trained (?:from|on)|derived from|using|uses|use|compared (?:with|to)|relative to|against|versus|vs\.?)\s*(?:the\s+)?\W{0,3}$",  # noqa: E501
    re.IGNORECASE,
)

_BENCHMARKS = (
    "aime amc math gsm8k mmlu gpqa humaneval mbpp livecodebench lcb codeforces swe swebench aider arena "
    "arenahard alpacaeval mtbench ifeval bbh drop ceval cmmlu mgsm ocrbench mmmu mathvista videomme "
    "chartqa docvqa textvqa bfcl cnmo olympiadbench minerva processbench bigcodebench evalplus spider "
    "bird opencompass halbench objecthalbench mme mmbench mmstar ai2d hallusionbench simpleqa frames "
    "longbench ruler cruxeval arc hellaswag piqa winogrande triviaqa naturalquestions agieval cluewsc "
    "cmath pile theoremqa omnimath mathqa svamp asdiv gaokao mmlupro mmluredux csimpleqa cmrc c3 ccpm "
    "needlebench leval multipl humanevalplus mbppplus livebench wildbench zebralogic mmau charxiv "
    "realworldqa mathverse mmvet llavabench seedbench blink mvbench mlvu tempcompass infovqa"
).split()
BENCHMARK_NAMES = frozenset(_BENCHMARKS)
NOT_MODELS = frozenset(
    (
        "h100 h800 h20 a100 a800 v100 rtx4090 rtx3090 fp8 fp16 bf16 fp32 int4 int8 awq gptq gguf zero3 "
        "python3 cuda12 x86 arm64 utf8 gpt3 gpt35 gpt35turbo chatgpt chatgpt35 gpt2 top1 top5 "
        "step1 step2 phase1 phase2 stage1 stage2 k8s p100 t4 l40 l40s mi300x tpuv5 tpuv4 v1 v2 v3 v4"
    ).split()
)
LOWER_IS_BETTER_RE = re.compile(
    r"bpb|ppl|perplexity|\bwer\b|\bcer\b|hallucinat|error|latency|↓|lower is better|\bchair\b|memory",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Cue:
    """A relation phrase found at `start:end` of a sentence."""

    start: int
    end: int
    relation: Relation
    text: str


def find_cues(text: str) -> list[Cue]:
    """Every relation cue in `text`, left to right."""
    cues = []
    for match in CUE_RE.finditer(text):
        group = match.lastgroup
        if group is None:  # pragma: no cover
            continue
        cues.append(Cue(match.start(), match.end(), Relation(group), match.group(0)))
    return cues


_LONG_BENCHMARK_RE = re.compile(
    "|".join(sorted((n for n in BENCHMARK_NAMES if len(n) >= 5), key=len, reverse=True))
)


def is_benchmark(normalised: str) -> bool:
    """True for a benchmark name (normalised: lower-case, alphanumerics only)."""
    base = normalised.rstrip("0123456789")
    if normalised in BENCHMARK_NAMES or base in BENCHMARK_NAMES:
        return True
    return _LONG_BENCHMARK_RE.match(normalised) is not None
