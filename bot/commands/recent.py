"""/claims [MODEL] [days]: the recent claims, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.commands.gap import GapEntry
from bot.domain import FrontierModel
from bot.errors import CommandError

DEFAULT_DAYS = 30
MAX_DAYS = 3650
LIMIT = 25


@dataclass(frozen=True, slots=True)
class ClaimLine:
    frontier_key: str
    frontier_name: str
    entry: GapEntry


@dataclass(frozen=True, slots=True)
class ClaimsReply:
    frontier: FrontierModel | None  # None = every frontier model
    days: int
    since: date
    lines: tuple[ClaimLine, ...]
    limit: int = LIMIT


def parse_days(days: int | str | None) -> int:
    if days is None or (isinstance(days, str) and not days.strip()):
        return DEFAULT_DAYS
    try:
        value = int(days)
    except ValueError as exc:
        raise CommandError(f"days must be a whole number, e.g. /claims o1 90 (got {days!r})") from exc
    if not 1 <= value <= MAX_DAYS:
        raise CommandError(f"days must be from 1 to {MAX_DAYS}, e.g. /claims o1 90 (got {value})")
    return value


def make_line(frontier: FrontierModel | None, frontier_key: str, entry: GapEntry) -> ClaimLine:
    return ClaimLine(frontier_key, frontier.name if frontier else frontier_key, entry)
