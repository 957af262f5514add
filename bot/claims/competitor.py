"""Who a claim is about: model names in text, the document's main model, and its lab.

A document names many models (its own, their base models, rivals, benchmarks that look like
names). The competitor of a sentence is the model named before the relation phrase; a sentence
without one ("It outperforms GPT-4o") borrows the subject of the sentences before it, then the
section heading, then the document's main model (Hugging Face id, title, most named model).
A family name ("CodeQwen1.5") is read as the document's most named sized variant of it
("CodeQwen1.5-7B"), unless the text says "series" or "family".
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.claims.lexicon import NOT_MODELS, ORGANISATIONS, is_benchmark
from bot.domain import normalise_model_name

# Words that continue a product name after its base: "Mistral Large", "Gemini 3.1 Pro Preview",
# "EXAONE Deep 7.8B", "Kimi K2", "Rakuten AI 3.0".
TIER_WORDS = (
    "Pro|Max|Mini|Flash|Ultra|Large|Medium|Small|Lite|Plus|Turbo|Preview|Deep|Thinking|Omni|Vision|VL|"
    "Coder|Math|Air|Nano|Exp|AI|Chat|Instruct|Base|Reasoning|Think|Audio|Next"
)
_VERSION = r"[A-Za-z]?\d+(?:\.\d+)*[BbMmKk]?"
NAME_RE = re.compile(
    r"(?<![A-Za-z0-9_\-./@#])(?=[A-Za-z0-9_.\-]*[A-Z0-9])"
    r"([A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*"
    rf"(?: (?:{_VERSION}|(?:{TIER_WORDS}))(?![A-Za-z0-9_.\-])){{0,3}})"
    r"(?![A-Za-z0-9_@])"
)
_TIER_RE = re.compile(rf"^(?:{TIER_WORDS})$")
_HYPHEN_TIER_RE = re.compile(rf"[-_](?:{TIER_WORDS})$")
# "We introduce Zeta", "Introducing zeta.ocr", "发布了 Zeta": the name that follows is the text's model.
_INTRODUCE_RE = re.compile(
    r"(?:\b(?:we(?: are)? (?:introduce|introducing|release|releasing|present|presenting|announce|announcing|"
    r"open-source|open-sourcing|unveil|unveiling)|introducing|announcing|meet)\s+(?:the\s+)?(?:new\s+)?"
    r"|(?:发布了?|推出了?|开源了?)\s*)"
    r"(?P<name>[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9](?: (?:[A-Z][A-Za-z0-9_.\-]*|\d[\d.]*[BbMm]?)){0,2})",
    re.IGNORECASE,
)
_LITERAL_EDGE_L = r"(?<![A-Za-z0-9_\-./@#])"
_LITERAL_EDGE_R = r"(?![A-Za-z0-9_@]|[-.][A-Za-z0-9])"


def literal_names_re(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern that finds any of `names` written as they are (case-insensitive), longest first:
    the gazetteer's way of recognising a name that has no digit or no capital ("CogAgent",
    "Mistral Large", "dots.ocr")."""
    spellings = sorted({n.strip() for n in names if len(n.strip()) >= 3}, key=len, reverse=True)
    if not spellings:
        return None
    body = "|".join(re.escape(n).replace(r"\ ", r"[\s\-_]?") for n in spellings)
    return re.compile(f"{_LITERAL_EDGE_L}(?:{body}){_LITERAL_EDGE_R}", re.IGNORECASE)


def introduced_names(text: str) -> list[str]:
    """Names the text introduces ("we release X"), in order."""
    found = []
    for match in _INTRODUCE_RE.finditer(text):
        name = match.group("name").rstrip(".-_")
        plain = _plain(name)
        first = name.split(" ")[0].lower()
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


_SIZE_SUFFIX_RE = re.compile(
    r"^[-_ ]?\d+(?:\.\d+)?[BbMm](?:[-_ ](?:chat|instruct|it|preview))*$", re.IGNORECASE
)
_SIZE_TAIL_RE = re.compile(r"[-_ ]\d+(?:\.\d+)?[BbMm](?:[-_ ](?:chat|instruct|it|preview))*$", re.IGNORECASE)
_SERIES_RE = re.compile(r"^\W{0,3}(?:series|family|models|系列|家族)", re.IGNORECASE)
_DERIVED_RE = re.compile(r"-(?:like|style|level|inspired|based|class)$", re.IGNORECASE)
_FRONTIER_LAB_RE = re.compile(r"^(?:gpt|chatgpt|claude|gemini|openai|o\d(?:$|[-\s]))", re.IGNORECASE)
_HF_ID_RE = re.compile(
    r"(?:huggingface\.co|hf\.co)/(?!datasets/|spaces/|docs/|blog/|papers/)([\w.\-]+)/([\w.\-]+)"
)
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


@dataclass(frozen=True, slots=True)
class NameHit:
    """A model-like name at `start:end`."""

    start: int
    end: int
    name: str


def _plain(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.lower())


_COMMON_WORDS = frozenset(
    "this that the a an with our their its we it and or on in of at to by for from model version only "
    "scored hits achieves about over under top figure table step stage phase section chapter level round "
    "epoch score scores average avg total up all new day days week weeks month year years introducing "
    "introduction top towards toward how what why when token tokens price cost per input output "
    "results result performance benchmark benchmarks team users user paper blog news".split()
)


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
    return False


@functools.lru_cache(maxsize=8192)
def acceptable(name: str, known: frozenset[str]) -> bool:
    """Could `name` be a competitor model (not a benchmark, a GPU, a frontier lab's model)?"""
    plain = _plain(name)
    if len(plain) < 2 or plain in NOT_MODELS or _DERIVED_RE.search(name) or _FRONTIER_LAB_RE.match(name):
        return False
    first = name.split(" ")[0]
    if (
        plain in ORGANISATIONS
        or first.lower() in _COMMON_WORDS
        or _plain(first) in NOT_MODELS
        or (_plain(first) in ORGANISATIONS and " " in name and not any(c.isdigit() for c in name))
        or _WEBSITE_RE.search(name)
    ):
        return False
    if is_benchmark(plain):
        return False
    if normalise_model_name(name) in known or plain in known:
        return True
    return _shape_ok(name)


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
    literals: Iterable[re.Pattern[str] | None] = (),
) -> list[NameHit]:
    """Model-like names in `text`, outside the `skip` spans (frontier mentions), plus every name
    a `literals` pattern (the gazetteer) finds; where two overlap, the longer wins."""
    spans = list(skip)
    hits = []
    for pattern in literals:
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(s < end and start < e for s, e in spans) and not _FRONTIER_LAB_RE.match(
                match.group(0)
            ):
                hits.append(NameHit(start, end, match.group(0)))
    taken = [(h.start, h.end) for h in hits]
    for match in NAME_RE.finditer(text):
        start, end = match.span(1)
        if any(s < end and start < e for s, e in spans):
            continue
        name = match.group(1).rstrip(".-_")
        if any(s <= start and start + len(name) <= e for s, e in taken):
            continue
        if acceptable(name, known):
            hits = [h for h in hits if not (start <= h.start and h.end <= start + len(name))]
            hits.append(NameHit(start, start + len(name), name))
    return sorted(hits, key=lambda h: h.start)


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
        gazetteer: frozenset[str] = frozenset(),
        gazetteer_re: re.Pattern[str] | None = None,
    ) -> None:
        own = model_id.rsplit("/", 1)[-1] if model_id else None
        introduced = introduced_names(text)
        titles = list(titles)
        seeds = [n for n in (own, *hf_names) if n and acceptable(n, frozenset())]
        local = [*seeds, *introduced, *(n for n in (own, *hf_names) if n and len(_plain(n)) >= 4)]
        self.literals: tuple[re.Pattern[str] | None, ...] = (literal_names_re(local), gazetteer_re)
        skip = list(skip)
        raw = find_names(text, gazetteer, skip, self.literals)
        self.introduced = introduced
        self.counts: Counter[str] = Counter()
        self._spelling: dict[str, str] = {}
        for name in [*(h.name for h in raw), *seeds]:
            key = normalise_model_name(name)
            self.counts[key] += 1
            self._spelling.setdefault(key, name)
        known = {normalise_model_name(n) for n in seeds} | set(self.counts) | gazetteer
        self._families = {
            normalise_model_name(f) for f in map(family, [*self._spelling.values(), *seeds]) if f
        }
        known |= self._families
        self._title_word = self._recurring_title_word(titles, text)
        if self._title_word:
            known.add(normalise_model_name(self._title_word))
        self.known = frozenset(k for k in known if k)
        self.main = self._pick_main(own, titles)

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
                ):
                    if len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)) >= 2:
                        return word
                break
        return None

    def _pick_main(self, own: str | None, titles: Iterable[str]) -> str | None:
        main = self._main_candidate(own, titles)
        if main and _FRONTIER_LAB_RE.match(main):
            return None  # a text about a frontier model has no rival of its own to credit
        return main

    def _main_candidate(self, own: str | None, titles: Iterable[str]) -> str | None:
        if own:
            return own
        for title in titles:
            for hit in find_names(title, self.known, (), self.literals):
                if _shape_ok(hit.name) or normalise_model_name(hit.name) in self.known:
                    return self.expand(hit.name, title[hit.end :])
        if self.introduced:
            return self.expand(self.introduced[0])
        if not self.counts:
            return self._title_word
        key, _ = self.counts.most_common(1)[0]
        return self._spelling[key]

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
            return name
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
        return best[1] if best else name


def hf_model_names(text: str) -> list[str]:
    """Model names from Hugging Face model URLs in raw text ("hf.co/org/Name" -> "Name")."""
    return [m.group(2) for m in _HF_ID_RE.finditer(text)]


def loose_name(name: str) -> str:
    """Normalised name without chat/instruct/it tags anywhere ("InternLM2-Chat-20B" ~ "InternLM2-20B")."""
    return normalise_model_name(re.sub(r"(?i)(?<![a-z])(?:chat|instruct|it)(?![a-z])", " ", name))


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
