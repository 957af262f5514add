"""The start line that says where alerts go (and which routed destinations have no sink)."""

from __future__ import annotations

from typing import Any

from bot.app import destinations_line
from bot.config import parse_settings


def settings(text: dict[str, Any]) -> Any:
    return parse_settings(text, {}, file="t.toml")


def test_console_only_by_default() -> None:
    assert destinations_line(settings({}), {"console": object()}) == "alerts go to: console"  # type: ignore[dict-item]


def test_a_route_without_its_platform_configured_is_named_as_dropped() -> None:
    cfg = settings(
        {
            "routes": [{"destination": "console"}, {"destination": "slack:C1"}],
            "admin": {"destination": "console"},
        }
    )
    line = destinations_line(cfg, {"console": object()})  # type: ignore[dict-item]
    parked = "slack:C1 (no sink configured: its alerts are parked)"
    assert line == f"alerts go to: console, {parked}, admin reports to console"
