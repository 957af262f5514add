"""Model identity: which competitor names are one model, and which models are one family.

The merge rule (tests/bot/test_identity.py holds its table):

1. Text is NFKC-normalised and case-folded; a Hugging Face id ``org/name`` keeps ``org`` as the
   model's organisation and the lab is read from it when it is a known one.
2. Parenthesised notes go: "ERNIE 4.0 (Ernie Bot 4.0)" is "ERNIE 4.0".
3. Spaces, hyphens, underscores, slashes and dots that do not sit between two digits separate
   tokens; a letter-digit boundary inside a token separates too ("Qwen3" = "Qwen 3",
   "k1.5" = "k 1.5"), so spelling and spacing never matter.
4. Tokens that name a packaging of the same weights are dropped: instruct, chat, it, base, hf,
   text (MiniMax-Text-01 is MiniMax-01; MiniMax-VL-01 stays apart), and quantisations (gguf, awq,
   gptq, fp8, int4, bf16, ...). A leading lab name before a model name goes too
   ("Meta-Llama-3.1" is "Llama-3.1").
5. Total parameter counts are the SIZE ("235B", "8x7B"); an active count ("A22B") is kept but
   is not part of the key, so "Qwen3-235B" is Qwen3-235B-A22B; the first word is the FAMILY;
   everything else, in order, is the VARIANT (version, tier, date: "R1", "V3 0324", "2.5 Max").

Two names are the same release when family, variant and size are all equal. Equal family and
variant with different sizes (Qwen3-235B-A22B and Qwen3-32B) are separate models of one family
(`same_family`): separate claims, and an alert names each.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Words that name a packaging of the same weights, not another model.
PACKAGING = frozenset(
    {"instruct", "chat", "it", "base", "hf", "text", "gguf", "awq", "gptq", "exl2", "mlx", "onnx"}
    | {"fp8", "fp16", "bf16", "int4", "int8", "4bit", "8bit", "w4a16", "w8a8", "q4", "q8"}
)
# Lab names that prefix a model name ("Meta-Llama-3", "Mistral-Large" is NOT one: Mistral is the
# family there), dropped only when a model name follows.
LAB_PREFIXES = frozenset({"meta", "openai", "google", "microsoft", "nvidia", "ibm", "alibaba", "baidu"})
# Hugging Face organisations whose lab name differs from the org id.
ORG_LABS = {
    "deepseek-ai": "DeepSeek",
    "qwen": "Alibaba (Qwen)",
    "moonshotai": "Moonshot AI",
    "minimaxai": "MiniMax",
    "meta-llama": "Meta",
    "mistralai": "Mistral AI",
    "google": "Google",
    "microsoft": "Microsoft",
    "nvidia": "NVIDIA",
    "thudm": "Zhipu AI",
    "zai-org": "Zhipu AI",
    "01-ai": "01.AI",
    "internlm": "Shanghai AI Lab",
    "tencent": "Tencent",
    "baidu": "Baidu",
    "openai": "OpenAI",
    "ibm-granite": "IBM",
    "allenai": "Ai2",
}

_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEPARATORS = re.compile(r"(?<!\d)\.|\.(?!\d)|[\s_\-/,:;+'\"]+")
_BOUNDARY = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_SIZE = re.compile(r"^(?:\d+x)?\d+(?:\.\d+)?[bmt]$|^a\d+(?:\.\d+)?[bm]$")
_SIZE_GLUED = re.compile(r"(?<![\w.])((?:\d+x)?\d+(?:\.\d+)?[bmt]|a\d+(?:\.\d+)?[bm])(?![\w.])")


@dataclass(frozen=True, slots=True)
class ModelIdentity:
    """What a competitor name denotes. `key` is the clustering key (storage: competitor_norm)."""

    family: str
    variant: str
    size: str  # total parameters ("235b", "8x7b"); "" when the name gives none
    org: str | None = None
    active: str = ""  # active parameters of a mixture of experts ("a22b"): not part of the key

    @property
    def model(self) -> str:
        """The release without its size: "qwen3" for Qwen3-235B-A22B and Qwen3-32B alike."""
        return self.family + self.variant

    @property
    def key(self) -> str:
        return self.model + (f"@{self.size}" if self.size else "")

    @property
    def lab(self) -> str | None:
        """The lab, when the name came with a known Hugging Face organisation."""
        return ORG_LABS.get(self.org) if self.org else None


def _sizes(text: str) -> tuple[str, list[str]]:
    """Parameter counts out of `text` (before it is split), and the text without them."""
    found = [m.group(1) for m in _SIZE_GLUED.finditer(text)]
    return _SIZE_GLUED.sub(" ", text), found


@functools.lru_cache(maxsize=8192)
def identify(name: str) -> ModelIdentity:
    """The identity of a competitor name (see the module docstring for the rule); cached, as
    the same names come back in every report and every cycle."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    org: str | None = None
    if "/" in text and " " not in text.split("/", 1)[0]:
        head, _, rest = text.partition("/")
        if head and rest:
            org, text = head, rest
    text = _NOTE.sub(" ", text)
    text = re.sub(r"(?<=\d)\s+([bm])\b", r"\1", text)  # "405 B" -> "405b"
    text = re.sub(r"[-_\s]+", " ", text)
    text, sizes = _sizes(text)
    tokens: list[str] = []
    for raw in _SEPARATORS.split(text):
        if not raw:
            continue
        if _SIZE.match(raw):
            sizes.append(raw)
            continue
        tokens += [t for t in _BOUNDARY.split(raw) if t]
    tokens = [t for t in tokens if t not in PACKAGING]
    if len(tokens) > 1 and tokens[0] in LAB_PREFIXES:
        tokens = tokens[1:]
    if not tokens:  # a name that is only a size or only packaging words: keep it whole
        tokens = [re.sub(r"\W+", "", unicodedata.normalize("NFKC", name).casefold()) or "?"]
    unique = list(dict.fromkeys(sizes))
    total = "-".join(s for s in unique if not s.startswith("a"))
    active = "-".join(s for s in unique if s.startswith("a"))
    return ModelIdentity(family=tokens[0], variant="".join(tokens[1:]), size=total, org=org, active=active)


def identity_key(name: str) -> str:
    """`identify(name).key`: equal keys are one model (one claim cluster)."""
    return identify(name).key


def same_release(a: str, b: str) -> bool:
    """Whether two competitor names denote one model release."""
    return identify(a).key == identify(b).key


def same_family(a: str, b: str) -> bool:
    """Whether two names are one release or size variants of one (Qwen3-235B-A22B, Qwen3-32B)."""
    return identify(a).model == identify(b).model


def lab_name(lab: str | None, model_id: str | None = None) -> str | None:
    """A lab's name from what a source says: a known Hugging Face organisation ("deepseek-ai",
    or the org of `model_id`) becomes the lab's name ("DeepSeek"); anything else is kept."""
    if model_id and (from_id := identify(model_id).lab):
        if lab is None or lab.casefold() == identify(model_id).org:
            return from_id
    if lab is not None:
        return ORG_LABS.get(lab.strip().casefold(), lab)
    return None
