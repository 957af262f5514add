"""Known model names found in text: the gazetteer that grows as the bot runs.

Names come from the text itself (its Hugging Face id, linked models, "we introduce X") and from
what the bot has stored (watched organisations' model ids, the claim ledger's competitors).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.claims.lexicon import NOT_MODELS, ORGANISATIONS
from bot.domain import normalise_model_name


@dataclass(frozen=True, slots=True)
class NameHit:
    """A model-like name at `start:end`."""

    start: int
    end: int
    name: str


_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z0-9]")
_CACHED_TEXTS = 2048  # sentences remembered per gazetteer
_CACHED_TEXT_CHARS = 2000
_GAZETTEER_SPAN = 4  # tokens per name at most ("Qwen2.5 Coder 32B Instruct")


class Gazetteer:
    """Known model names, found in text by looking up runs of 1-4 tokens (fast for many thousands
    of names, unlike one big regular expression). A name matches whatever its case and spacing
    ("Mistral Large", "mistral-large"), except that a single plain word ("Quillfeather") must be
    written with its capital, so common words are not taken for names."""

    def __init__(self, names: Iterable[str]) -> None:
        self._keys: set[str] = set()
        self._plain_words: set[str] = set()
        self._firsts: set[str] = set()  # the first token of every name: where a lookup may start
        self._cache: dict[str, tuple[NameHit, ...]] = {}
        self._cjk: list[str] = []  # Chinese names ("日日新5.0"): no word tokens to look up, found as written
        for name in names:
            if _CJK_RE.search(name):
                self._cjk.append(name.strip())
                continue
            key = normalise_model_name(name)
            first = _TOKEN_RE.search(name)
            if len(key) < 3 or key in NOT_MODELS or key in ORGANISATIONS or first is None:
                continue
            self._keys.add(key)
            self._firsts.add(_squash(first.group(0)))
            self._firsts.add(_squash(name.replace(" ", "")))  # written as one token: "mistral-large"
            if name.strip().isalpha():
                self._plain_words.add(key)

    def __bool__(self) -> bool:
        return bool(self._keys or self._cjk)

    def find(self, text: str) -> list[NameHit]:
        """Longest known names in `text`, left to right, not overlapping. Sentences are looked up
        several times per document (subjects, borrowed subjects), so short texts are remembered,
        a bounded number of them, by this gazetteer only."""
        if len(text) > _CACHED_TEXT_CHARS:
            return list(self._find(text))
        hits = self._cache.get(text)
        if hits is None:
            if len(self._cache) >= _CACHED_TEXTS:
                self._cache.clear()
            hits = self._cache[text] = self._find(text)
        return list(hits)

    def _find(self, text: str) -> tuple[NameHit, ...]:
        found = self._find_tokens(text)
        if not self._cjk:
            return found
        written = [hit for name in self._cjk for hit in _written(text, name)]
        if not written:
            return found
        # the longer of two overlapping names wins, as between token runs
        merged: list[NameHit] = []
        for hit in sorted([*found, *written], key=lambda h: (h.start, h.start - h.end)):
            if merged and hit.start < merged[-1].end:
                continue
            merged.append(hit)
        return tuple(merged)

    def _find_tokens(self, text: str) -> tuple[NameHit, ...]:
        firsts = self._firsts
        # the common path: no token starts a known name (one lower-casing per text, not per token)
        squashed = _squashed_tokens(text)
        if firsts.isdisjoint(squashed):
            return ()
        tokens = list(_TOKEN_RE.finditer(text))
        hits: list[NameHit] = []
        k = 0
        while k < len(tokens):
            found = None
            if squashed[k] in firsts:
                for n in range(min(_GAZETTEER_SPAN, len(tokens) - k), 0, -1):
                    run = tokens[k : k + n]
                    if any(text[a.end() : b.start()].strip(" -_") for a, b in itertools.pairwise(run)):
                        continue  # only spaces, hyphens or underscores between the tokens
                    start, end = run[0].start(), run[-1].end()
                    key = normalise_model_name(text[start:end])
                    if key in self._keys and (key not in self._plain_words or text[start].isupper()):
                        found = (n, NameHit(start, end, text[start:end]))
                        break
            if found:
                hits.append(found[1])
                k += found[0]
            else:
                k += 1
        return tuple(hits)


_SQUASH = str.maketrans("", "", "-_.")


@functools.lru_cache(maxsize=512)
def _squashed_tokens(text: str) -> list[str]:
    """The text's tokens lower-cased without "-_.", once per text for every gazetteer (a document
    has its own and the bot's)."""
    return "\0".join(_TOKEN_RE.findall(text)).lower().translate(_SQUASH).split("\0")


_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


# after a Chinese brand: its version or series tag ("讯飞星火X1.5", "混元 T1", "豆包1.5 Pro")
_VERSION_TAIL_RE = re.compile(
    r"\s?(?:[A-Z]{1,3}\d+(?:\.\d+)*|\d+(?:\.\d+)*)(?:\s?(?:Pro|Max|Turbo|Lite|Plus|Ultra|Mini|Flash)\b)?"
)


def _written(text: str, name: str) -> Iterator[NameHit]:
    """Where a Chinese name stands in `text` as written, not inside a longer version ("5.0" is not
    the start of "5.05"); a brand that ends in a Chinese character takes the version written right
    after it ("讯飞星火" in "讯飞星火X1.5")."""
    brand = bool(_CJK_RE.match(name[-1:]))
    pos = text.find(name)
    while pos != -1:
        end = pos + len(name)
        tail = _VERSION_TAIL_RE.match(text, end) if brand else None
        after = text[end : end + 2]
        if tail is not None:
            yield NameHit(pos, tail.end(), text[pos : tail.end()])
        elif not (after[:1].isdigit() or (after[:1] == "." and after[1:].isdigit())):
            yield NameHit(pos, end, name)
        pos = text.find(name, pos + 1)


def _squash(token: str) -> str:
    return token.lower().translate(_SQUASH)
