"""GAPWATCH_SECTION__KEY settings from the environment, laid over the TOML file (a table of cases)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings, parse_settings, resolve_config_path
from bot.errors import ConfigError


@pytest.mark.parametrize(
    ("environ", "read", "expected"),
    [
        (
            {"GAPWATCH_STORAGE__URL": "postgresql+asyncpg://u@db/g"},
            lambda s: s.storage.url,
            "postgresql+asyncpg://u@db/g",
        ),
        ({"GAPWATCH_POLLING__INTERVAL": "300"}, lambda s: s.polling.interval, 300.0),
        ({"GAPWATCH_POLLING__LEASE_SECONDS": "5"}, lambda s: s.polling.lease_seconds, 5.0),
        ({"GAPWATCH_HTTP__LISTEN": "0.0.0.0:8080"}, lambda s: s.http.listen, "0.0.0.0:8080"),
        ({"GAPWATCH_DISCORD__CHANNEL_ID": "42"}, lambda s: s.discord.channel_id, 42),
        ({"GAPWATCH_SLACK__ADMIN_USERS": "U1, U2"}, lambda s: s.slack.admin_users, ("U1", "U2")),
        ({"GAPWATCH_SLACK__ADMIN_USERS": '["U3"]'}, lambda s: s.slack.admin_users, ("U3",)),
        ({"GAPWATCH_DISCORD__ADMIN_ROLE_IDS": "7,8"}, lambda s: s.discord.admin_role_ids, (7, 8)),
        (
            {"GAPWATCH_DISCORD__WEBHOOKS__ALERTS": "https://discord.com/api/webhooks/1/abc"},
            lambda s: {k: v.get_secret_value() for k, v in s.discord.webhooks.items()},
            {"alerts": "https://discord.com/api/webhooks/1/abc"},
        ),
        (
            {"GAPWATCH_SOURCES": '[{"kind": "feed", "url": "https://lab.example/feed.xml"}]'},
            lambda s: [x.url for x in s.sources],
            ["https://lab.example/feed.xml"],
        ),
        (
            {"GAPWATCH_ROUTES": '[{"destination": "slack:C1", "frontier": ["o1"]}]'},
            lambda s: [(r.destination, r.frontier) for r in s.routes],
            [("slack:C1", ("o1",))],
        ),
        (
            {"GAPWATCH_SINKS__HOOK__OPS__URL": "https://hooks.example/x"},
            lambda s: s.sinks,
            {"hook": {"ops": {"url": "https://hooks.example/x"}}},
        ),
        ({"GAPWATCH_SLACK__CHANNEL": ""}, lambda s: s.slack.channel, None),  # empty = unset
        ({"GAPWATCH_CONFIG": "x", "GAPWATCH_LOG_LEVEL": "DEBUG"}, lambda s: s.polling.interval, 900.0),
    ],
)
def test_environment_sets_any_key(environ: dict[str, str], read: Any, expected: Any) -> None:
    assert read(parse_settings({}, environ, file="t.toml")) == expected


def test_environment_wins_over_the_file_and_keeps_the_rest_of_the_section() -> None:
    raw = {"polling": {"interval": 60, "jitter": 0.0}}
    settings = parse_settings(raw, {"GAPWATCH_POLLING__INTERVAL": "120"}, file="t.toml")
    assert (settings.polling.interval, settings.polling.jitter) == (120.0, 0.0)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"GAPWATCH_POLLING__INTERVL": "3"}, "GAPWATCH_POLLING__INTERVL: no setting 'intervl' here"),
        ({"GAPWATCH_NOPE__X": "3"}, "GAPWATCH_NOPE__X: no setting 'nope' here"),
        ({"GAPWATCH_POLLING__INTERVAL__X": "3"}, "'x' is inside a value that has no keys"),
        ({"GAPWATCH_SOURCES": "[{"}, "GAPWATCH_SOURCES: must be a JSON array"),
        ({"GAPWATCH_POLLING__INTERVAL": "soon"}, "polling.interval"),
    ],
)
def test_bad_environment_settings_are_one_line_errors(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings({}, environ, file="t.toml")
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_config_directory_means_its_config_toml_or_the_defaults(tmp_path: Path) -> None:
    env = {"GAPWATCH_CONFIG": str(tmp_path)}
    assert resolve_config_path(None, env) is None  # an empty config volume: the embedded default
    assert load_settings(resolve_config_path(None, env), {}).origin == "built-in defaults"
    (tmp_path / "config.toml").write_text("[polling]\ninterval = 30\n")
    path = resolve_config_path(None, env)
    assert path == tmp_path / "config.toml" and load_settings(path, env).polling.interval == 30.0
    # a named file stays mandatory
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(resolve_config_path(None, {"GAPWATCH_CONFIG": str(tmp_path / "no.toml")}), {})


def test_config_example_names_the_environment_variable_of_every_key() -> None:
    from bot.config import Settings

    text = (Path(__file__).resolve().parents[2] / "config.example.toml").read_text(encoding="utf-8")
    missing = []
    for section, field in Settings.model_fields.items():
        model = field.annotation
        if field.exclude or not isinstance(model, type) or not hasattr(model, "model_fields"):
            continue  # the arrays of tables ([[sources]], …) take one JSON variable
        for key in model.model_fields:
            name = f"[GAPWATCH_{section.upper()}__{key.upper()}"
            if name not in text:
                missing.append(name)
    assert not missing, missing
    for array in ("GAPWATCH_SOURCES", "GAPWATCH_ROUTES", "GAPWATCH_FRONTIER"):
        assert f"{array}='[" in text
