"""/track, /untrack, /frontier, /subscribe, /unsubscribe: argument parsing and replies.

Permission-free: the Discord adapter checks Manage Server, the Slack adapter its admin list.
Bad arguments raise CommandError whose message says what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.domain import FrontierModel, Relation, Subscription
from bot.errors import CommandError, UnknownModelError
from bot.ports import FrontierLookup

MAX_ALIASES = 20


@dataclass(frozen=True, slots=True)
class TrackReply:
    model: FrontierModel
    retracked: bool  # the model was known (e.g. a reference model) and is tracked again


@dataclass(frozen=True, slots=True)
class UntrackReply:
    model: FrontierModel


@dataclass(frozen=True, slots=True)
class FrontierList:
    models: tuple[FrontierModel, ...]  # tracked models, newest release first


@dataclass(frozen=True, slots=True)
class SubscribeReply:
    subscription: Subscription
    replaced: bool


@dataclass(frozen=True, slots=True)
class UnsubscribeReply:
    destination: str
    removed: bool


def split_list(text: str | None) -> tuple[str, ...]:
    """ "a, b; c" -> ("a", "b", "c"), empty parts dropped, order kept, duplicates removed."""
    parts = [p.strip() for p in re.split(r"[,;]", text or "")]
    return tuple(dict.fromkeys(p for p in parts if p))


def slug(name: str) -> str:
    """A registry key for a display name: "Grok 4 Heavy" -> "grok-4-heavy"."""
    text = re.sub(r"[^a-z0-9.]+", "-", name.strip().lower()).strip("-.")
    return text[:100]


def parse_date(text: str | None, *, today: date, what: str = "released") -> date:
    if not text or not text.strip():
        return today
    try:
        value = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise CommandError(f"{what} must be a date like {today.isoformat()} (got {text.strip()!r})") from exc
    if value > today:
        raise CommandError(f"{what} {value.isoformat()} is in the future; give the release date")
    return value


def _owner(registry: FrontierLookup, name: str) -> FrontierModel | None:
    return registry.resolve(name)


def plan_track(
    registry: FrontierLookup,
    name: str,
    *,
    aliases: str | None,
    released: str | None,
    lab: str | None,
    today: date,
) -> TrackReply:
    """The model /track would add (or track again), after checking names and dates."""
    name = " ".join((name or "").split())
    if not name:
        raise CommandError("give the model's name, e.g. /track Grok 4 aliases: grok-4 released: 2025-07-09")
    extra = split_list(aliases)
    if len(extra) > MAX_ALIASES:
        raise CommandError(f"at most {MAX_ALIASES} aliases, separated by commas")
    when = parse_date(released, today=today)
    existing = _owner(registry, name) or _owner(registry, slug(name))
    if existing is not None and existing.tracked:
        raise CommandError(
            f"{existing.name} is already tracked as `{existing.key}`; "
            f"/untrack {existing.key} first to change it"
        )
    key = existing.key if existing else slug(name)
    if not key:
        raise CommandError("the name needs letters or digits, e.g. /track Grok 4")
    for alias in extra:
        owner = _owner(registry, alias)
        if owner is not None and owner.key != key:
            raise CommandError(f"alias {alias!r} already names `{owner.key}`; leave it out")
    if existing is not None:
        merged = tuple(dict.fromkeys((*existing.aliases, *extra)))
        model = FrontierModel(
            key=existing.key,
            name=existing.name,
            lab=lab or existing.lab,
            released=existing.released if not released else when,
            aliases=merged,
            open_weights=existing.open_weights,
            tracked=True,
            source=existing.source,
        )
        return TrackReply(model, retracked=True)
    names = tuple(dict.fromkeys(a for a in (name, *extra) if a != key))
    model = FrontierModel(
        key=key,
        name=name,
        lab=(lab or "unknown").strip() or "unknown",
        released=when,
        aliases=names,
        tracked=True,
        source="chat",
    )
    return TrackReply(model, retracked=False)


def plan_untrack(registry: FrontierLookup, name: str) -> UntrackReply:
    model = registry.get((name or "").strip())
    if not model.tracked:
        raise CommandError(f"{model.name} (`{model.key}`) is not tracked; /frontier lists tracked models")
    return UntrackReply(replace(model, tracked=False))


def parse_filters(
    registry: FrontierLookup,
    *,
    frontier: str | None = None,
    labs: str | None = None,
    relations: str | None = None,
    min_confidence: float | str | None = None,
) -> dict[str, Any]:
    """Subscription filters in the shape of a config [[routes]] entry (keys resolved)."""
    filters: dict[str, Any] = {}
    keys: list[str] = []
    for name in split_list(frontier):
        try:
            keys.append(registry.get(name).key)
        except UnknownModelError as exc:
            raise CommandError(f"{exc}; /frontier lists tracked models") from exc
    if keys:
        filters["frontier"] = list(dict.fromkeys(keys))
    if lab_list := split_list(labs):
        filters["labs"] = list(lab_list)
    wanted = [r.lower() for r in split_list(relations)]
    allowed = [r.value for r in Relation]
    if bad := [r for r in wanted if r not in allowed]:
        raise CommandError(f"unknown relation {bad[0]!r}; use one or more of {', '.join(allowed)}")
    if wanted:
        filters["relations"] = wanted
    if min_confidence is not None and str(min_confidence).strip():
        try:
            value = float(min_confidence)
        except ValueError as exc:
            raise CommandError(
                f"min_confidence must be a number from 0 to 1, e.g. 0.7 (got {min_confidence!r})"
            ) from exc
        if not 0.0 <= value <= 1.0:
            raise CommandError(f"min_confidence must be from 0 to 1, e.g. 0.7 (got {value:g})")
        filters["min_confidence"] = value
    return filters


def describe_filters(filters: Mapping[str, Any]) -> str:
    """ "frontier: o1, gpt-4o; min confidence 0.7" or "all tracked models"."""
    parts = []
    if filters.get("frontier"):
        parts.append("frontier: " + ", ".join(filters["frontier"]))
    if filters.get("labs"):
        parts.append("labs: " + ", ".join(filters["labs"]))
    if filters.get("relations"):
        parts.append("relations: " + ", ".join(filters["relations"]))
    if filters.get("min_confidence") is not None:
        parts.append(f"min confidence {filters['min_confidence']:g}")
    return "; ".join(parts) or "all tracked models"
