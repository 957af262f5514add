"""Stand-ins for source tests: the store's `known_keys`, and a `sleep` that only records."""

from __future__ import annotations

from collections.abc import Sequence


class Known:
    """A `known` callback backed by a set; records what it was asked."""

    def __init__(self, keys: Sequence[str] = ()) -> None:
        self.keys = set(keys)
        self.asked: list[list[str]] = []

    async def __call__(self, keys: Sequence[str]) -> set[str]:
        self.asked.append(list(keys))
        return self.keys & set(keys)


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
