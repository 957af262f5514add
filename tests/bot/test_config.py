"""Config: defaults, env: secrets, implicit routes, and one clear line per mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings, load_settings, masked_dump, resolve_config_path
from bot.domain import SourceKind
from bot.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_gives_embedded_defaults() -> None:
    settings = load_settings(None, {})
    assert settings.storage.url == "sqlite+aiosqlite:///./gapwatch.db"
    assert [r.destination for r in settings.effective_routes()] == ["console"]
    kinds = {s.kind for s in settings.sources}
    assert kinds == set(SourceKind)  # Hugging Face, feeds, GitHub, pages and a sitemap
    assert any(s.author == "deepseek-ai" for s in settings.sources)


def test_explicit_sources_replace_the_catalogue(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sources]]\nkind = "feed"\nurl = "http://127.0.0.1:9/a.xml"\nname = "A"\n')
    settings = load_settings(path, {})
    assert [s.spec.key for s in settings.sources] == ["feed:http://127.0.0.1:9/a.xml"]
    assert settings.sources[0].spec.name == "A"


def test_env_references_and_token_variables(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[discord]\nwebhooks = { alerts = "env:HOOK" }\n[slack]\nchannel = "C1"\nsources = []\n'.replace(
            "sources = []\n", ""
        ),
    )
    settings = load_settings(
        path, {"HOOK": "http://127.0.0.1/api/webhooks/1/abc", "SLACK_BOT_TOKEN": "xoxb-1"}
    )
    assert settings.discord.webhooks["alerts"].get_secret_value().endswith("/1/abc")
    assert settings.slack.bot_token is not None
    assert [r.destination for r in settings.effective_routes()] == ["console", "webhook:alerts", "slack:C1"]


def test_secrets_are_masked_in_dump(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[discord]\ntoken = "env:T"\nwebhooks = { a = "http://x/api/webhooks/1/SECRETPART" }\n'
    )
    dumped = repr(masked_dump(load_settings(path, {"T": "SECRETTOKEN"})))
    assert "SECRETTOKEN" not in dumped and "SECRETPART" not in dumped
    assert "***" in dumped


@pytest.mark.parametrize(
    ("text", "env", "needle"),
    [
        ("[storage]\nurl = 'mysql://x'\n", {}, "storage.url: must start with sqlite+aiosqlite"),
        ("[polling]\ninterval = -5\n", {}, "polling.interval: Input should be greater than 0 (got -5)"),
        ("[polling]\nintervl = 5\n", {}, "polling.intervl: unknown key"),
        ("[mystery]\nx = 1\n", {}, "mystery: unknown key"),
        ("[[sources]]\nkind = 'rss'\nurl = 'http://x'\n", {}, "sources[0].kind:"),
        ("[[sources]]\nkind = 'feed'\n", {}, "a feed source needs 'url'"),
        ("[[sources]]\nkind = 'github'\nrepo = 'nope'\n", {}, "repo must be OWNER/NAME"),
        ("[[sources]]\nkind = 'github'\n", {}, "a github source needs 'repo' or 'org'"),
        ("[[sources]]\nkind = 'github'\nrepo = 'a/b'\norg = 'a'\n", {}, "'repo' (its releases) or 'org'"),
        ("[[sources]]\nkind = 'feed'\nurl = 'http://x'\nselector = 'a'\n", {}, "'selector' applies to page"),
        ("[[sources]]\nkind = 'sitemap'\nurl = 'http://x'\nmatch = '(['\n", {}, "match is not a regular"),
        (
            "[discord]\ntoken = 'env:MISSING'\n",
            {},
            "discord.token: environment variable 'MISSING' is not set",
        ),
        ("[[routes]]\ndestination = 'e mail'\n", {}, "routes[0].destination: must be SINK or SINK:TARGET"),
        ("[[routes]]\ndestination = 'console'\nmention = '@everyone'\n", {}, "needs allow_everyone"),
        ("[[routes]]\ndestination = 'console'\nmin_confidence = 2\n", {}, "routes[0].min_confidence"),
        ("[http]\nlisten = 'nonsense'\n", {}, "http.listen: must be HOST:PORT"),
        ("[[frontier]]\nkey = 'x'\nname = 'X'\nlab = 'L'\nreleased = 'soon'\n", {}, "frontier[0].released"),
        (
            "[[frontier]]\nkey = 'x'\nname = 'X'\nlab = 'L'\nreleased = 2025-01-01\nalias = []\n",
            {},
            "frontier[0].alias: unknown key",
        ),
        (
            "[[frontier]]\nkey = 'x'\nname = 'X'\nlab = 'L'\nreleased = 2025-01-01\nsource = 'me'\n",
            {},
            "frontier: 'source' is not a [[frontier]] key",
        ),
        ("not toml = = 1", {}, "invalid TOML"),
        (
            "[discord]\nwebhooks = { main = 'https://example.com/x' }\n",
            {},
            "webhook 'main' is not a Discord webhook",
        ),
    ],
)
def test_bad_config_is_one_line_naming_file_and_key(
    tmp_path: Path, text: str, env: dict[str, str], needle: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert needle in message


def test_secret_values_never_appear_in_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "[discord]\ntoken = 12345678\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, {})
    assert "12345678" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml", {})


def test_config_path_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_config_path(None, {}) is None
    (tmp_path / "config.toml").write_text("")
    assert resolve_config_path(None, {}) == Path("config.toml")
    assert resolve_config_path(None, {"GAPWATCH_CONFIG": "/x.toml"}) == Path("/x.toml")
    assert resolve_config_path("/y.toml", {"GAPWATCH_CONFIG": "/x.toml"}) == Path("/y.toml")


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.storage.url = "x"  # type: ignore[misc]


def test_example_config_is_valid_and_holds_the_default_catalogue() -> None:
    root = Path(__file__).resolve().parents[2]
    settings = load_settings(root / "config.example.toml", {})
    assert settings.source_specs() == load_settings(None, {}).source_specs()
    assert settings == load_settings(None, {}).model_copy(
        update={"origin": str(root / "config.example.toml")}
    )


def test_database_and_verifier_passwords_are_masked_in_dump_and_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[storage]\nurl = "postgresql+asyncpg://gw:HUNTER2@db/x"\n'
        '[detection]\nverifier_url = "http://me:PW9@127.0.0.1/v1"\nverifier_model = "m"\n',
    )
    dumped = repr(masked_dump(load_settings(path, {})))
    assert "HUNTER2" not in dumped and "PW9" not in dumped and "gw:***@db" in dumped
    bad = write(tmp_path, '[[routes]]\ndestination = "https://discord.com/api/webhooks/1/TOKEN5"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(bad, {})
    assert "TOKEN5" not in str(info.value)
    typo = write(tmp_path, '[storage]\nurl = "env:DB"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(typo, {"DB": "postgresql://gw:HUNTER2@db/x"})
    assert "HUNTER2" not in str(info.value) and "storage.url" in str(info.value)
