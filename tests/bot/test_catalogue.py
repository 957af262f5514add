"""The built-in source catalogue: config.example.toml repeats it exactly, every entry is valid,
and it covers each kind of source the reference lists for labs without feeds."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.config import default_sources, load_settings
from bot.domain import SourceKind

ROOT = Path(__file__).resolve().parents[2]


def test_config_example_lists_exactly_the_builtin_catalogue() -> None:
    example = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    builtin = tomllib.loads((ROOT / "bot" / "data" / "default_sources.toml").read_text(encoding="utf-8"))
    assert example["sources"] == builtin["sources"]


def test_the_example_config_loads_and_equals_the_defaults() -> None:
    settings = load_settings(ROOT / "config.example.toml", environ={})
    assert settings.sources == default_sources()
    assert load_settings(None, environ={}).sources == default_sources()


def test_catalogue_covers_every_kind_with_unique_keys() -> None:
    specs = [s.spec for s in default_sources()]
    assert len({s.key for s in specs}) == len(specs)
    kinds = {s.kind for s in specs}
    assert kinds == {
        SourceKind.HUGGINGFACE,
        SourceKind.FEED,
        SourceKind.GITHUB,
        SourceKind.PAGE,
        SourceKind.SITEMAP,
    }
    labs_without_feeds = {"DeepSeek", "Anthropic", "Moonshot AI", "MiniMax", "Zhipu AI"}
    assert labs_without_feeds <= {s.lab for s in specs if s.kind is not SourceKind.FEED or "mirror" in s.name}
    github = [s for s in specs if s.kind is SourceKind.GITHUB]
    assert github and all(s.interval == 3600 for s in github)  # 60 anonymous requests an hour


def test_every_catalogue_entry_says_what_it_watches() -> None:
    text = (ROOT / "bot" / "data" / "default_sources.toml").read_text(encoding="utf-8")
    headers = [line for line in text.splitlines() if line.startswith("[[sources]]")]
    assert headers and all("#" in line and len(line.split("#", 1)[1].strip()) > 3 for line in headers)
