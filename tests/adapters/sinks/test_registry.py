"""Sinks as plugins: discovery, route destinations checked against the registered prefixes, each
plugin's own section validated, and only configured sinks built."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import httpcore
import httpx
import pytest

from adapters.sinks.registry import ChatClients, build_sinks, check_settings, discover
from bot.config import parse_settings
from bot.errors import ConfigError

HOOK_URL = "http://127.0.0.1:9/hook"
WEBHOOK = "https://discord.com/api/webhooks/1/TOKEN5"


def settings(raw: dict[str, Any]) -> Any:
    return parse_settings(raw, {}, file="test.toml")


def test_every_sink_module_registers_its_prefix() -> None:
    plugins = discover()
    assert sorted(plugins) == ["console", "discord", "hook", "slack", "webhook"]
    assert plugins["discord"].usage == "discord:<channel_id>"


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        (
            {"routes": [{"destination": "email:me"}]},
            "routes[0].destination: must be one of 'console', 'discord:<channel_id>', 'hook:<name>'",
        ),
        ({"routes": [{"destination": "discord:general"}]}, "a discord channel id is a number"),
        ({"routes": [{"destination": "console:x"}]}, "takes no target"),
        ({"routes": [{"destination": "slack"}]}, "needs a target: 'slack:<channel_id>'"),
        ({"routes": [{"destination": "hook:ops"}]}, "no [sinks.hook.ops] table with its url"),
        ({"sinks": {"hook": {"ops": {"url": "ftp://x"}}}}, "sinks.hook.ops.url: must be an http(s) URL"),
        ({"sinks": {"hook": {"ops": {"url": HOOK_URL, "sekret": "x"}}}}, "sinks.hook.ops.sekret"),
        ({"sinks": {"telegram": {}}}, "sinks.telegram: unknown sink section (sinks with their own"),
    ],
)
def test_bad_sink_config_is_one_line_naming_the_key(raw: dict[str, Any], needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_settings(settings(raw), discover())
    message = str(info.value)
    assert needle in message and message.startswith("test.toml: ") and "\n" not in message


def test_a_bad_destination_does_not_echo_a_webhook_token() -> None:
    with pytest.raises(ConfigError) as info:
        check_settings(settings({"routes": [{"destination": "discordwebhook:1/TOKEN5"}]}), discover())
    assert "discordwebhook" in str(info.value)
    with pytest.raises(ConfigError) as info:
        settings({"routes": [{"destination": WEBHOOK}]})
    assert "TOKEN5" not in str(info.value)


def test_config_check_masks_a_sink_secret() -> None:
    from bot.config import masked_dump

    raw = {"sinks": {"hook": {"ops": {"url": HOOK_URL, "secret": "env:HOOK_SECRET"}}}}
    dumped = masked_dump(parse_settings(raw, {"HOOK_SECRET": "hunter2-hook"}, file="test.toml"))
    assert dumped["sinks"] == {"hook": {"ops": {"url": HOOK_URL, "secret": "***"}}}


def test_good_destinations_pass() -> None:
    raw = {
        "discord": {"webhooks": {"alerts": WEBHOOK}},
        "sinks": {"hook": {"ops": {"url": HOOK_URL}}},
        "routes": [
            {"destination": d} for d in ("console", "discord:123", "slack:C01", "webhook:alerts", "hook:ops")
        ],
    }
    check_settings(settings(raw), discover())


async def test_only_configured_sinks_are_built() -> None:
    async with AsyncExitStack() as stack:
        clients = ChatClients()
        assert sorted(await build_sinks(settings({}), stack, clients)) == ["console"]
        raw = {"discord": {"webhooks": {"alerts": WEBHOOK}}, "sinks": {"hook": {"ops": {"url": HOOK_URL}}}}
        assert sorted(await build_sinks(settings(raw), stack, clients)) == ["console", "hook", "webhook"]
        assert clients.slack is None
        raw = {"slack": {"bot_token": "xoxb-1"}}
        assert sorted(await build_sinks(settings(raw), stack, clients)) == ["console", "slack"]
        assert clients.slack is not None  # the slash commands reuse the sink's web client


async def test_the_fetch_client_and_the_sinks_share_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the CA roots into a TLS context costs ~25 ms: a start builds none until an https
    connection needs one, then one for the fetches and the sinks, not three."""
    import ssl

    from bot.fetch import FetchPolicy, new_client, tls_context

    built: list[ssl.SSLContext] = []
    real = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    tls_context.cache_clear()
    try:
        async with AsyncExitStack() as stack:
            client = new_client(FetchPolicy())
            stack.push_async_callback(client.aclose)
            raw = {
                "discord": {"webhooks": {"alerts": WEBHOOK}},
                "sinks": {"hook": {"ops": {"url": HOOK_URL}}},
            }
            clients = ChatClients()
            sinks = await build_sinks(settings(raw), stack, clients)
            assert built == []  # nothing connected over https yet
            origin = httpcore.Origin(b"https", b"example.org", 443)
            pools = [client._transport._pool]  # type: ignore[attr-defined]
            for sink in sinks.values():
                http = getattr(sink, "_client", None)
                if isinstance(http, httpx.AsyncClient):
                    pools.append(http._transport._pool)  # type: ignore[attr-defined]
            connections = [pool.create_connection(origin) for pool in pools]
        assert len(connections) >= 2
        assert len(built) == 1 and all(c._ssl_context is built[0] is tls_context() for c in connections)
    finally:
        tls_context.cache_clear()
