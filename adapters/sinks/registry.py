"""Chat sinks as plugins, keyed by destination prefix (`console`, `webhook`, `discord`, `slack`, ...).

Every module of this package that defines `PLUGIN = SinkPlugin(...)` is a sink: it declares the
prefix it serves, how a destination's target looks, its config section, and builds itself from
the settings. Adding a sink is one new module here (and its test); nothing else changes. A sink
module keeps its platform library imports inside `build`, so discovering the plugins stays cheap.

Config sections: a sink either reads a section `Settings` declares (`[discord]`, `[slack]`, which
the chat command services share), or owns a table under `[sinks.<prefix>]` that it validates
itself with `options` (a pydantic type).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError

from bot.config import Settings, mask_url
from bot.errors import ConfigError
from bot.fetch import lazy_tls_transport
from bot.ports import ChatSink


@dataclass
class ChatClients:
    """Platform clients a sink opens and the chat command services reuse."""

    slack: Any | None = None  # slack_sdk AsyncWebClient (the Slack sink's; bolt's app shares it)


@dataclass
class SinkContext:
    """What a plugin may use to build its sink: every resource is opened once, by the caller."""

    settings: Settings
    http: httpx.AsyncClient  # shared; closed by the caller's exit stack
    stack: AsyncExitStack  # register what the sink opens
    clients: ChatClients = field(default_factory=ChatClients)
    options: Any = None  # the validated `[sinks.<prefix>]` table, for plugins that own one


@dataclass(frozen=True)
class SinkPlugin:
    """A sink's self-description (apprise-style).

    Args:
        prefix: destinations look like ``<prefix>:<target>`` (``console`` has no target).
        usage: how a destination reads, for errors: ``"discord:<channel_id>"``.
        build: returns the sink, or None when its settings are absent (the sink is off).
        check_target: given a route's target and the plugin's validated options, an error text
            for a bad target, or None when it is fine.
        options: the pydantic type of the plugin's own `[sinks.<prefix>]` table, if it has one.
    """

    prefix: str
    usage: str
    build: Callable[[SinkContext], Awaitable[ChatSink | None]]
    check_target: Callable[[str, Any], str | None] = lambda target, _options: (
        None if target else "needs a target"
    )
    options: Any = None


def discover() -> dict[str, SinkPlugin]:
    """Every `PLUGIN` in this package, by prefix."""
    package = importlib.import_module(__package__ or "adapters.sinks")
    plugins: dict[str, SinkPlugin] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        plugin = getattr(module, "PLUGIN", None)
        if isinstance(plugin, SinkPlugin):
            plugins[plugin.prefix] = plugin
    return plugins


def options_for(plugin: SinkPlugin, settings: Settings) -> Any:
    """The plugin's validated `[sinks.<prefix>]` table (None when it owns none).

    Raises:
        ConfigError: naming the key and the bad value's problem.
    """
    if plugin.options is None:
        return None
    raw = settings.sinks.get(plugin.prefix, {})
    try:
        return TypeAdapter(plugin.options).validate_python(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        key = f"sinks.{plugin.prefix}" + (f".{where}" if where else "")
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        raise ConfigError(message, file=settings.origin, key=key) from exc


def check_settings(settings: Settings, plugins: Mapping[str, SinkPlugin]) -> None:
    """Every route (and the admin destination) names a registered sink and a well-formed target;
    every `[sinks.X]` table
    belongs to a sink and validates.

    Raises:
        ConfigError: the first problem, naming the key.
    """
    for name in settings.sinks:
        if name not in plugins or plugins[name].options is None:
            owners = ", ".join(sorted(p for p, plugin in plugins.items() if plugin.options is not None))
            raise ConfigError(
                f"unknown sink section (sinks with their own settings: {owners})",
                file=settings.origin,
                key=f"sinks.{name}",
            )
    options = {prefix: options_for(plugin, settings) for prefix, plugin in plugins.items()}
    destinations = [(f"routes[{i}].destination", r.destination) for i, r in enumerate(settings.routes)]
    if settings.admin.destination:
        destinations.append(("admin.destination", settings.admin.destination))
    for key, destination in destinations:
        prefix, _, target = destination.partition(":")
        plugin = plugins.get(prefix)
        if plugin is None:
            usages = ", ".join(f"'{p.usage}'" for _, p in sorted(plugins.items()))
            shown = mask_url(destination)
            raise ConfigError(f"must be one of {usages} (got {shown!r})", file=settings.origin, key=key)
        problem = plugin.check_target(target, options[prefix])
        if problem:
            shown = mask_url(destination)
            raise ConfigError(f"{problem}: '{plugin.usage}' (got {shown!r})", file=settings.origin, key=key)


async def build_sinks(settings: Settings, stack: AsyncExitStack, clients: ChatClients) -> dict[str, ChatSink]:
    """The sinks whose settings are present, by prefix; platform clients land in `clients`."""
    plugins = discover()
    check_settings(settings, plugins)  # also validates each plugin's own section
    # the TLS context (~25 ms to load the CA roots) is built at the first https delivery: a
    # cycle that delivers nothing, or only to the console, never builds it
    transport = lazy_tls_transport(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    http = httpx.AsyncClient(timeout=settings.delivery.timeout, follow_redirects=False, transport=transport)
    stack.push_async_callback(http.aclose)
    sinks: dict[str, ChatSink] = {}
    for prefix, plugin in plugins.items():
        context = SinkContext(settings, http, stack, clients, options_for(plugin, settings))
        sink = await plugin.build(context)
        if sink is not None:
            sinks[prefix] = sink
    return sinks
