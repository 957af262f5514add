"""The frontier registry: tracked models, their aliases, and finding them in text.

Aliases are exact about variants: "GPT-4o" is never "GPT-4", "o1-mini" is never "o1", and
"Marco-o1" is not a mention of o1 at all. Lookup by name (`resolve`) ignores case, spaces,
hyphens and underscores; finding mentions in running text (`FrontierMatcher`) also accepts a
snapshot date after an alias ("GPT-4o-0806", "GPT-4o-202405").
"""

from __future__ import annotations

import copy
import csv
import difflib
import io
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from bot.claims.scan import Anchored, lower_same_length
from bot.domain import FrontierModel
from bot.errors import UnknownModelError

# Aliases that are ordinary words ("a 'strawberry' question"): resolvable by name, never
# matched in running text.
_WORD_ALIASES = frozenset({"strawberry", "orion"})

_SEP = r"[\s\-_]*"
# A snapshot date or build number after an alias: "-0806", " 0513", "-202405", "-2024-08-06".
_SNAPSHOT_DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{6}|\d{4})"
# "-0513", " 20241022", " (1022)": a snapshot date after the name is part of the mention
_SNAPSHOT = rf"(?:[\s\-_]?{_SNAPSHOT_DATE}(?![\d.])|\s?\({_SNAPSHOT_DATE}\))?"
# After a mention: no letter/digit, no "-mini"-style variant (but "-level" and friends are
# fine, and so is a reasoning-effort suffix: "o1-high", "GPT-5-low"), no ".5"-style version.
# Nor a tier word after a space ("GPT-5 mini", "Gemini 3 Flash" are other models; an alias that
# includes the word, "GPT-4 Turbo", is tried first because longer aliases come first). "Gemini 2.0
# Flash Thinking" is a model of its own; "Claude 3.7 Sonnet Thinking" is an alias.
_TIERS = (
    r"mini|nano|flash|flash-lite|lite|pro|max|ultra|plus|turbo|preview|large|medium|small|air|omni|thinking"
)
_EFFORT = r"(?:high|medium|low)(?![A-Za-z])"
_RIGHT = (
    rf"(?![A-Za-z0-9])(?!-(?!level|class|grade|tier|{_EFFORT})[A-Za-z])(?!\.\d)"
    rf"(?!\s(?:{_TIERS})(?![A-Za-z]))"
)
# no letter, digit or joiner before a mention, except a frontier lab's name glued on with a hyphen
# ("OpenAI-GPT-5-high", "Anthropic-Claude-3.5-Sonnet" in a table)
_LEFT = r"(?:(?<![A-Za-z0-9\-_.])|(?<=openai-)|(?<=anthropic-)|(?<=google-))"


def name_key(name: str) -> str:
    """Lookup key: lower-case, without spaces, hyphens and underscores."""
    return re.sub(r"[\s\-_]+", "", name.strip().lower())


def _alias_pattern(alias: str) -> str:
    tokens = [t for t in re.split(r"[\s\-_]+", alias.strip()) if t]
    return _SEP.join(re.escape(t) for t in tokens)


@dataclass(frozen=True, slots=True)
class Mention:
    """A frontier model named in a text, at `start:end`."""

    start: int
    end: int
    model: FrontierModel
    shorthand: bool = False  # named by its family word alone ("Sonnet's 77%"): see ShorthandMatcher


@dataclass(frozen=True, slots=True)
class SnapshotFamily:
    """A frontier model released several times under one name (bot/data/snapshots.toml)."""

    generic: frozenset[str]  # name_key of the spellings that pin no snapshot
    members: tuple[FrontierModel, ...]  # oldest first

    def at(self, when: date) -> FrontierModel | None:
        """The newest member released by `when`."""
        released = [m for m in self.members if m.released <= when]
        return released[-1] if released else None


def _snapshots_data() -> dict[str, Any]:
    text = resources.files("bot.data").joinpath("snapshots.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_snapshot_families(models: dict[str, FrontierModel]) -> list[SnapshotFamily]:
    """The families of bot/data/snapshots.toml whose keys are all in `models`."""
    families = []
    for entry in _snapshots_data().get("family", []):
        if all(key in models for key in entry["keys"]):
            members = sorted((models[key] for key in entry["keys"]), key=lambda m: m.released)
            families.append(SnapshotFamily(frozenset(map(name_key, entry["generic"])), tuple(members)))
    return families


def load_version_names(models: dict[str, FrontierModel]) -> dict[str, FrontierModel]:
    """name_key("Gemini 2.5") -> the tracked model it stands for (bot/data/snapshots.toml)."""
    names = _snapshots_data().get("version_names", {})
    return {name_key(name): models[key] for name, key in names.items() if key in models}


# "the full o1", "a fully realized 'o1' model": the release a text looks ahead to, not the preview
_FULL_RELEASE_RE = re.compile(r"(?i:\bfull(?:y realized)?|\bfinal|\bcomplete)\W{0,3}$")


class FrontierMatcher:
    """Finds mentions of any registry model (tracked or not) in running text.

    `on(date)` gives the same matcher for a text of that date: a generic name of a model released
    several times means the snapshot that was newest then (`SnapshotFamily`)."""

    _when: date | None = None
    _families: dict[str, SnapshotFamily]

    def __init__(
        self,
        models: Iterable[FrontierModel],
        families: Iterable[SnapshotFamily] = (),
        version_names: dict[str, FrontierModel] | None = None,
    ) -> None:
        self._families = {m.key: family for family in families for m in family.members}
        self.version_names = version_names or {}  # read by ShorthandMatcher
        by_alias: dict[str, FrontierModel] = {}
        first_of: dict[str, str] = {}  # alias pattern -> the word it starts with
        for model in models:
            for alias in (model.key, model.name, *model.aliases):
                if alias and name_key(alias) not in _WORD_ALIASES:
                    pattern = _alias_pattern(alias).lower()
                    by_alias.setdefault(pattern, model)
                    first_of.setdefault(pattern, re.split(r"[\s\-_]+", alias.strip())[0].lower())
        # Longest first: "GPT-4 Turbo" before "GPT-4", "o1-mini" before "o1".
        self._aliases = sorted(by_alias, key=len, reverse=True)
        self._by_alias, self._first_of = by_alias, first_of
        self._groups: list[FrontierModel] = [by_alias[a] for a in self._aliases]
        self._regex = self._compile(self._aliases)
        # Every alias starts with one of a few words ("gpt", "o1", "claude"): find those first,
        # then try only the aliases that start with the words found there (the whole alternation
        # costs ~10 us at each "GPT"); patterns per set of words are compiled when first needed.
        self._scan = Anchored(self._regex, set(first_of.values()) or {"\0"})
        self._literals = tuple(sorted(set(first_of.values())))
        self._by_words: dict[frozenset[str], tuple[re.Pattern[str], list[FrontierModel]]] = {}

    @staticmethod
    def _compile(aliases: list[str]) -> re.Pattern[str]:
        body = "|".join(f"({a})" for a in aliases) if aliases else r"(?!x)x"
        return re.compile(f"{_LEFT}(?:{body}){_SNAPSHOT}{_RIGHT}", re.IGNORECASE)

    def _pattern_for(self, words: frozenset[str]) -> tuple[re.Pattern[str], list[FrontierModel]]:
        found = self._by_words.get(words)
        if found is None:
            aliases = [a for a in self._aliases if self._first_of[a] in words]
            found = self._by_words[words] = (self._compile(aliases), [self._by_alias[a] for a in aliases])
        return found

    def _matches(self, text: str) -> Iterator[tuple[re.Match[str], FrontierModel]]:
        """The whole pattern's matches, left to right, each with its model."""
        low = lower_same_length(text)
        end = 0
        for pos in self._scan.starts(text, low):
            if pos < end:
                continue
            words = frozenset(w for w in self._literals if low.startswith(w, pos))
            pattern, models = self._pattern_for(words)
            match = pattern.match(text, pos)
            if match is not None and match.lastindex is not None:
                yield match, models[match.lastindex - 1]
                end = max(match.end(), pos + 1)

    def on(self, when: date | None) -> FrontierMatcher:
        """This matcher for a text published on `when` (itself when the date is unknown)."""
        if when is None or not self._families:
            return self
        view = copy.copy(self)
        view._when = when
        return view

    def finditer(self, text: str) -> Iterator[Mention]:
        """Yield every mention in `text`, left to right."""
        for match, model in self._matches(text):
            index = match.lastindex or 0
            if (
                self._when is not None
                and model.key in self._families
                and not _FULL_RELEASE_RE.search(text, max(0, match.start() - 20), match.start())
            ):
                model = self._dated(model, match.group(index))
            yield Mention(match.start(), match.end(), model)

    def generic(self, model: FrontierModel) -> FrontierModel:
        """`model` named generically (no snapshot pinned): the snapshot of the text's date."""
        family = self._families.get(model.key)
        return (family.at(self._when) or model) if family and self._when else model

    def _dated(self, model: FrontierModel, spelled: str) -> FrontierModel:
        assert self._when is not None
        family = self._families[model.key]
        # a model not out yet can only be meant by its generic name; a generic name means the newest
        if model.released > self._when or name_key(spelled) in family.generic:
            return family.at(self._when) or model
        return model

    def find(self, text: str) -> list[Mention]:
        """All mentions in `text`."""
        return list(self.finditer(text))

    def mentions_any(self, text: str) -> bool:
        """Whether `text` names any registry model (the first mention ends the scan)."""
        return next(self._matches(text), None) is not None


class FrontierRegistry:
    """Frontier models by key and alias: built-in facts, extended by config and `/track`."""

    def __init__(self, models: Iterable[FrontierModel]) -> None:
        self._models: dict[str, FrontierModel] = {}
        for model in models:
            self._models[model.key] = model  # a later definition of a key replaces the earlier
        self._names: dict[str, FrontierModel] = {}
        for model in self._models.values():
            for alias in (model.key, model.name, *model.aliases):
                self._names.setdefault(name_key(alias), model)
        for model in self._models.values():  # keys always win over another model's alias
            self._names[name_key(model.key)] = model
        self._matcher: FrontierMatcher | None = None

    @classmethod
    def builtin(cls) -> FrontierRegistry:
        """The registry of built-in facts (bot/data/frontier.csv)."""
        text = resources.files("bot.data").joinpath("frontier.csv").read_text(encoding="utf-8")
        return cls(parse_frontier_csv(text))

    def extend(self, models: Iterable[FrontierModel]) -> FrontierRegistry:
        """A new registry with `models` added (a model with an existing key replaces it)."""
        return FrontierRegistry([*self._models.values(), *models])

    def resolve(self, name: str) -> FrontierModel | None:
        """The model with this key or alias, or None."""
        return self._names.get(name_key(name))

    def get(self, name: str) -> FrontierModel:
        """The model with this key or alias.

        Raises:
            UnknownModelError: nothing by that name; carries close matches.
        """
        model = self.resolve(name)
        if model is None:
            raise UnknownModelError(name, self.suggest(name))
        return model

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Up to `n` keys close to `name` (by key or alias)."""
        wanted = name_key(name)
        # short names ("o2", "gpt5") are only a character or two away from several models
        cutoff = 0.6 if len(wanted) > 4 else 0.45
        close = difflib.get_close_matches(wanted, list(self._names), n=n * 3, cutoff=cutoff)
        keys: list[str] = []
        for alias in close:
            key = self._names[alias].key
            if key not in keys:
                keys.append(key)
        return keys[:n]

    def tracked(self) -> list[FrontierModel]:
        """Models that produce claims."""
        return [m for m in self._models.values() if m.tracked]

    def all(self) -> list[FrontierModel]:
        """Every model, tracked or not (untracked ones are still recognised in text)."""
        return list(self._models.values())

    @property
    def matcher(self) -> FrontierMatcher:
        """A compiled matcher over every model in the registry."""
        if self._matcher is None:
            self._matcher = FrontierMatcher(
                self._models.values(), load_snapshot_families(self._models), load_version_names(self._models)
            )
        return self._matcher


def parse_frontier_csv(text: str) -> list[FrontierModel]:
    """Rows of key,name,lab,released,aliases,kind,tracked,source into models."""
    models = []
    for row in csv.DictReader(io.StringIO(text)):
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
        models.append(
            FrontierModel(
                key=row["key"].strip(),
                name=row["name"].strip(),
                lab=row["lab"].strip(),
                released=date.fromisoformat(row["released"].strip()),
                aliases=aliases,
                open_weights=(row.get("kind") or "").strip().lower() == "open",
                tracked=(row.get("tracked") or "yes").strip().lower() in ("yes", "true", "1"),
                source=(row.get("source") or "").strip(),
            )
        )
    return models


# Family words a text uses for a frontier model it has named in full ("Claude 3.5 Sonnet ... very
# close to Sonnet's 77%"); "Gemini", "GPT" and "Claude" alone name too many models to be read so.
_SHORTHAND_RE = re.compile(r"(?<![\w-])(Sonnet|Opus)(?![\w-])")
# A family name and a version with no tier after it: "Gemini 2.5", "Claude-3.5" (not "Gemini 2.5
# Flash", "Claude 3.5 Haiku", "Gemini 2.5-Pro")
_VERSION_NAME_RE = re.compile(
    r"(?<![\w-])((?:Gemini|Claude)[\s-]?\d(?:\.\d)?)(?![\w.]|-\w|\s+(?:[A-Z]|\d|(?i:pro|flash|ultra|nano|lite|mini)\b))"
)


class ShorthandMatcher:
    """A text's frontier mentions, with a bare family word ("Sonnet") read as the one tracked model
    of that family the text names in full (none when it names two: "Claude 3.5 Sonnet" and "Claude
    3.7 Sonnet"). Such mentions are marked `shorthand`, for the rules to trust less."""

    def __init__(
        self, matcher: FrontierMatcher, text: str, mentions: Iterable[Mention] | None = None
    ) -> None:
        self._matcher = matcher
        families: dict[str, set[str]] = {}
        models: dict[str, FrontierModel] = {}
        # `mentions`: the text's, when the caller has them already
        if ("Sonnet" in text or "Opus" in text) and _SHORTHAND_RE.search(text):
            for mention in matcher.finditer(text) if mentions is None else mentions:
                spelled = text[mention.start : mention.end].lower()
                for word in ("sonnet", "opus"):
                    if mention.model.tracked and word in spelled:
                        families.setdefault(word, set()).add(mention.model.key)
                        models[word] = mention.model
        self._models = {word: models[word] for word, keys in families.items() if len(keys) == 1}
        self._versions = matcher.version_names

    def find(self, text: str) -> list[Mention]:
        """The matcher's mentions in `text`, and the shorthand ones outside them, left to right."""
        found = self._matcher.find(text)
        extra = []
        if self._models and ("Sonnet" in text or "Opus" in text):
            extra = [
                Mention(m.start(), m.end(), self._models[m.group(1).lower()], shorthand=True)
                for m in _SHORTHAND_RE.finditer(text)
                if m.group(1).lower() in self._models and not any(f.start <= m.start() < f.end for f in found)
            ]
        if self._versions and ("Gemini" in text or "Claude" in text):
            for m in _VERSION_NAME_RE.finditer(text):
                model = self._versions.get(name_key(m.group(1)))
                if model is not None and not any(f.start <= m.start() < f.end for f in found):
                    extra.append(Mention(m.start(), m.end(), self._matcher.generic(model), shorthand=True))
        return sorted([*found, *extra], key=lambda m: m.start) if extra else found
