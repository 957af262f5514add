"""Strict config: what `poll`/`run` would refuse, `config check` refuses first, in one line.

One row per mistake (apprise's URL tables): the TOML, the key the error must name, a phrase.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings

FEED = '[[sources]]\nkind = "feed"\nurl = "{url}"\n'
HOOK = '[discord]\nwebhooks = { alerts = "http://127.0.0.1:9/api/webhooks/1/abc" }\n'

CASES = [
    (FEED.format(url="http://[::1/f"), "sources[0].url", "not a valid URL"),
    (FEED.format(url="http:///feed.xml"), "sources[0].url", "has no host"),
    (FEED.format(url="http://example.org:99999/"), "sources[0].url", "not a valid URL"),
    (FEED.format(url="ftp://example.org/feed"), "sources[0].url", "http/https URL"),
    ('[[sources]]\nkind = "huggingface"\nauthor = "a/b"\n', "sources[0]", "Hugging Face user"),
    ('[[sources]]\nkind = "huggingface"\nauthor = "x"\napi_base = "nope"\n', "sources[0].api_base", "URL"),
    ('[slack]\nbot_token = "xoxb-1"\nmode = "http"\n', "slack.signing_secret", "signing secret"),
    (FEED.format(url="http://a.example/f") * 2, "sources[1]", "duplicate source"),
    (
        FEED.format(url="http://a.example/f")
        + 'name = "A"\n'
        + FEED.format(url="http://b.example/f")
        + 'name = "A"\n',
        "sources[1].name",
        "duplicate source name",
    ),
    ("[polling]\nread_timeout = inf\n", "polling.read_timeout", "finite"),
    ("[polling]\nfetch_timeout = nan\n", "polling.fetch_timeout", "finite"),
    ("[polling]\nsource_timeout = -1\n", "polling.source_timeout", "greater than 0"),
    ('[[routes]]\ndestination = "console"\nfrontier = ["gpt-99"]\n', "routes[0].frontier[0]", "gpt-99"),
    ('[admin]\ndestination = "email:boss"\n', "admin.destination", "must be one of"),
    ('[admin]\ndestination = "webhook:nope"\n', "admin.destination", "no [discord] webhooks entry"),
    ('[[routes]]\ndestination = "webhook:other"\n' + HOOK, "routes[0].destination", "named 'other'"),
    ('[discord]\ngateway_url = "http://127.0.0.1:1/"\n', "discord.gateway_url", "ws/wss"),
    ('[detection]\nverifier_url = "127.0.0.1:11434"\n', "detection.verifier_url", "URL"),
]


@pytest.mark.parametrize(("text", "key", "phrase"), CASES, ids=[c[1] + ":" + c[2] for c in CASES])
def test_config_check_refuses_with_one_line_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, phrase: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["--config", str(path), "config", "check"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    assert f"{path}: {key}: " in err[0] and phrase in err[0], err[0]


def test_a_valid_strict_config_passes(tmp_path: Path) -> None:
    text = (
        FEED.format(url="http://127.0.0.1:9/a.xml")
        + 'name = "A"\n'
        + '[[sources]]\nkind = "huggingface"\nauthor = "deepseek-ai"\napi_base = "http://127.0.0.1:9"\n'
        + '[[routes]]\ndestination = "webhook:alerts"\nfrontier = ["o1", "OpenAI-o1-1217"]\n'
        + '[admin]\ndestination = "webhook:alerts"\n'
        + '[slack]\nbot_token = "xoxb-1"\nmode = "http"\nsigning_secret = "s"\n'
        + HOOK
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings(path, {})
    assert [s.spec.name for s in settings.sources] == ["A", "deepseek-ai"]


def test_the_example_config_passes() -> None:
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    load_settings(example, {})
