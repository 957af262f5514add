"""Configuration: TOML + `env:NAME` secrets -> one frozen, validated `Settings` object.

Read once at start. The environment is a parameter (tests pass a dict). Every error names the
file, the key and the bad value in one line; secrets print masked.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, fields, is_dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic.dataclasses import dataclass as pydantic_dataclass

from bot.config_env import overlay_environment
from bot.config_sources import SourceSettings, http_url
from bot.domain import FrontierModel, SourceKind, SourceSpec
from bot.errors import ConfigError
from bot.fetch import FetchPolicy
from bot.pipeline.deliver import DeliveryLimits

DEFAULT_CONFIG_NAME = "config.toml"
ENV_CONFIG = "GAPWATCH_CONFIG"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _destination_shape(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]*(:[^/\s]\S*)?", value):
        raise ValueError("must be SINK or SINK:TARGET, e.g. 'console', 'discord:123456789', 'hook:ops'")
    return value


class StorageSettings(_Model):
    url: str = "sqlite+aiosqlite:///./gapwatch.db"

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        scheme = value.split(":", 1)[0]
        if scheme not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value


class PollingSettings(FetchPolicy):
    """`[polling]`: the fetch limits (declared in `bot.fetch.FetchPolicy`) and the schedule."""

    interval: float = Field(900.0, gt=0)
    jitter: float = Field(0.1, ge=0, le=1)
    adaptive: bool = True
    min_interval: float = Field(300.0, gt=0)
    max_interval: float = Field(21600.0, gt=0)
    pause_after: float = Field(259200.0, ge=0)
    lease_seconds: float = Field(60.0, gt=0)  # source lease, renewed while its poll runs
    host_interval: float = Field(0.2, ge=0)  # [polling] spaces requests to one host by default
    source_timeout: float = Field(120.0, gt=0)  # one source's poll: all its fetches and parsing
    stage_timeout: float = Field(300.0, gt=0)  # the detect stage and the deliver stage, each
    max_item_chars: int = Field(200_000, ge=1000)  # an item's text is cut to this length
    concurrency: int = Field(16, ge=1)  # CPU, not the network, is the limit past this
    hf_models_limit: int = Field(50, ge=1, le=500)
    hf_cards_per_poll: int = Field(10, ge=0, le=500)
    articles_per_poll: int = Field(5, ge=0, le=100)
    hf_token: SecretStr | None = None
    github_token: SecretStr | None = None


class DeliverySettings(DeliveryLimits):
    """`[delivery]`: retries, backoff, leases (declared in `bot.pipeline.deliver.DeliveryLimits`)."""


if TYPE_CHECKING:
    FrontierSettings = FrontierModel
else:  # `[[frontier]]` is the domain's FrontierModel itself, validated like every section
    FrontierSettings = pydantic_dataclass(FrontierModel, config=ConfigDict(extra="forbid", frozen=True))


class DiscordSettings(_Model):
    token: SecretStr | None = None
    webhooks: dict[str, SecretStr] = Field(default_factory=dict)
    channel_id: int | None = None
    guild_id: int | None = None
    api_base: str | None = None
    gateway_url: str | None = None  # the gateway websocket (a proxy, or a test server)
    admin_role_ids: tuple[int, ...] = ()

    @field_validator("api_base")
    @classmethod
    def _api_base(cls, value: str | None) -> str | None:
        return http_url(value)

    @field_validator("gateway_url")
    @classmethod
    def _gateway(cls, value: str | None) -> str | None:
        return http_url(value, schemes=("ws", "wss"))

    @field_validator("webhooks")
    @classmethod
    def _webhook_urls(cls, value: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for name, url in value.items():
            if not re.search(r"/webhooks/\d+/[\w-]+/?$", url.get_secret_value()):
                raise ValueError(
                    f"webhook {name!r} is not a Discord webhook URL (…/api/webhooks/<id>/<token>)"
                )
        return value


class SlackSettings(_Model):
    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    channel: str | None = None
    api_base: str | None = None
    admin_users: tuple[str, ...] = ()
    mode: Literal["socket", "http"] = "socket"

    @field_validator("api_base")
    @classmethod
    def _api_base(cls, value: str | None) -> str | None:
        return http_url(value)


class RouteSettings(_Model):
    destination: str
    frontier: tuple[str, ...] = ()
    labs: tuple[str, ...] = ()
    relations: tuple[Literal["matches", "exceeds", "approaches", "trails"], ...] = ()
    min_confidence: float = Field(0.5, ge=0, le=1)
    source_kinds: tuple[SourceKind, ...] = ()
    mention: str | None = None
    allow_everyone: bool = False
    digest: Literal["daily", "weekly"] | None = None

    @field_validator("destination")
    @classmethod
    def _destination(cls, value: str) -> str:
        """The shape only; each sink checks its own prefix and target (adapters/sinks/registry.py)."""
        return _destination_shape(value)

    def model_post_init(self, _context: Any) -> None:
        if self.mention and ("@everyone" in self.mention or "@here" in self.mention):
            if not self.allow_everyone:
                raise ValueError("mention @everyone/@here needs allow_everyone = true")


class AdminSettings(_Model):
    destination: str | None = None

    @field_validator("destination")
    @classmethod
    def _destination(cls, value: str | None) -> str | None:
        return None if value is None else _destination_shape(value)


class HttpSettings(_Model):
    listen: str | None = None
    hf_webhook_secret: SecretStr | None = None  # serves POST /webhooks/huggingface when set

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is None:
            return None
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be HOST:PORT, e.g. '127.0.0.1:8080'")
        return value


class DetectionSettings(_Model):
    min_confidence: float = Field(0.0, ge=0, le=1)
    verifier_url: str | None = None
    verifier_model: str | None = None
    verifier_key: SecretStr | None = None

    @field_validator("verifier_url")
    @classmethod
    def _verifier_url(cls, value: str | None) -> str | None:
        return http_url(value)


class Settings(_Model):
    storage: StorageSettings = StorageSettings()
    polling: PollingSettings = PollingSettings()
    delivery: DeliverySettings = DeliverySettings()
    sources: tuple[SourceSettings, ...] = ()
    frontier: tuple[FrontierSettings, ...] = ()  # plain FrontierModels once validated
    discord: DiscordSettings = DiscordSettings()
    slack: SlackSettings = SlackSettings()
    routes: tuple[RouteSettings, ...] = ()
    admin: AdminSettings = AdminSettings()
    http: HttpSettings = HttpSettings()
    detection: DetectionSettings = DetectionSettings()
    sinks: dict[str, dict[str, Any]] = Field(default_factory=dict)  # [sinks.<prefix>]: a sink's own
    origin: str = Field("built-in defaults", exclude=True)

    @field_validator("frontier")
    @classmethod
    def _from_config(cls, value: tuple[FrontierModel, ...]) -> tuple[FrontierModel, ...]:
        """The domain's own FrontierModel (not pydantic's subclass), marked as from the config."""
        if any(model.source for model in value):
            raise ValueError("'source' is not a [[frontier]] key (gapwatch records where a model came from)")
        return tuple(FrontierModel(**{**asdict(model), "source": "config"}) for model in value)

    def effective_routes(self) -> tuple[RouteSettings, ...]:
        """The configured [[routes]], or the implicit ones when none are configured."""
        if self.routes:
            return self.routes
        implicit = [RouteSettings(destination="console")]
        implicit += [RouteSettings(destination=f"webhook:{name}") for name in self.discord.webhooks]
        if self.discord.channel_id is not None and self.discord.token is not None:
            implicit.append(RouteSettings(destination=f"discord:{self.discord.channel_id}"))
        if self.slack.channel and self.slack.bot_token is not None:
            implicit.append(RouteSettings(destination=f"slack:{self.slack.channel}"))
        return tuple(implicit)

    def source_specs(self) -> tuple[SourceSpec, ...]:
        return tuple(source.spec for source in self.sources)


def default_sources() -> tuple[SourceSettings, ...]:
    """The built-in catalogue (bot/data/default_sources.toml), used when no [[sources]] are set."""
    text = resources.files("bot.data").joinpath("default_sources.toml").read_text(encoding="utf-8")
    return tuple(SourceSettings.model_validate(s) for s in tomllib.loads(text)["sources"])


# --- loading ---------------------------------------------------------------------------------

_ENV_SECRETS: dict[tuple[str, str], str] = {
    ("discord", "token"): "DISCORD_TOKEN",
    ("slack", "bot_token"): "SLACK_BOT_TOKEN",
    ("slack", "app_token"): "SLACK_APP_TOKEN",
    ("slack", "signing_secret"): "SLACK_SIGNING_SECRET",
    ("polling", "hf_token"): "HF_TOKEN",
    ("polling", "github_token"): "GITHUB_TOKEN",
    ("http", "hf_webhook_secret"): "HF_WEBHOOK_SECRET",
}


def resolve_config_path(explicit: str | None, environ: Mapping[str, str]) -> Path | None:
    """--config PATH, else $GAPWATCH_CONFIG, else ./config.toml if it exists, else None.

    A directory (the container's config volume, `GAPWATCH_CONFIG=/config`) means its
    config.toml when there is one, else the built-in defaults; a named file must exist.
    """
    if explicit:
        return Path(explicit)
    if environ.get(ENV_CONFIG):
        named = Path(environ[ENV_CONFIG])
        if named.is_dir():
            inside = named / DEFAULT_CONFIG_NAME
            return inside if inside.is_file() else None
        return named
    default = Path(DEFAULT_CONFIG_NAME)
    return default if default.is_file() else None


def _resolve_env_refs(value: Any, environ: Mapping[str, str], where: str, file: str) -> Any:
    if isinstance(value, str) and value.startswith("env:"):
        name = value[4:]
        if not name or name not in environ:
            raise ConfigError(f"environment variable {name!r} is not set", file=file, key=where)
        return environ[name]
    if isinstance(value, dict):
        return {
            k: _resolve_env_refs(v, environ, f"{where}.{k}" if where else k, file) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_resolve_env_refs(v, environ, f"{where}[{i}]", file) for i, v in enumerate(value)]
    return value


def _error_key(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part in ("function-after", "function-before") or "[" in str(part):
            continue
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def _error_value(loc: tuple[int | str, ...], raw: Any) -> Any:
    node = raw
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _first_error(exc: ValidationError, raw: Mapping[str, Any], file: str) -> ConfigError:
    err = exc.errors(include_url=False)[0]
    loc = tuple(err.get("loc", ()))
    key = _error_key(loc, raw)
    value = _error_value(loc, raw)
    message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if err.get("type") in ("extra_forbidden", "unexpected_keyword_argument"):
        message = "unknown key"
    elif value is not None and not isinstance(value, dict | list):
        secret = any(s in key for s in ("token", "secret", "webhooks", "key"))
        shown = "***" if secret else repr(mask_url(value) if isinstance(value, str) else value)
        message = f"{message} (got {shown})"
    more = len(exc.errors()) - 1
    if more:
        message += f" (and {more} more error{'s' if more > 1 else ''})"
    return ConfigError(message, file=file, key=key or None)


def parse_settings(raw: Mapping[str, Any], environ: Mapping[str, str], *, file: str) -> Settings:
    """Validate an already-parsed TOML mapping (env: references resolved here)."""
    data = _resolve_env_refs(dict(raw), environ, "", file)
    data = overlay_environment(data, environ, Settings)  # GAPWATCH_SECTION__KEY wins over the file
    for (section, key), env_name in _ENV_SECRETS.items():
        if environ.get(env_name):
            block = data.setdefault(section, {})
            if isinstance(block, dict) and block.get(key) is None:
                block[key] = environ[env_name]
    try:
        settings = Settings.model_validate({**data, "origin": file})
    except ValidationError as exc:
        raise _first_error(exc, data, file) from exc
    if "sources" not in data:
        settings = settings.model_copy(update={"sources": default_sources()})
    check_references(settings, file=file)
    return settings


def check_references(settings: Settings, *, file: str) -> None:
    """What no single value shows: duplicate sources, routes naming an unknown frontier model or
    webhook, a Slack HTTP mode without its signing secret. (A destination whose platform has no
    token is allowed: its alerts are parked, and the start line says so.)

    Raises:
        ConfigError: naming the first offending key.
    """
    names: dict[str, int] = {}
    keys: dict[str, int] = {}
    for i, source in enumerate(settings.sources):
        key = source.spec.key
        if key in keys:
            raise ConfigError(
                f"duplicate source {key!r} (also sources[{keys[key]}])", file=file, key=f"sources[{i}]"
            )
        keys[key] = i
        if source.name:
            if source.name in names:
                where = f"sources[{names[source.name]}]"
                raise ConfigError(
                    f"duplicate source name {source.name!r} (also {where})",
                    file=file,
                    key=f"sources[{i}].name",
                )
            names[source.name] = i
    if settings.slack.mode == "http" and settings.slack.signing_secret is None:
        raise ConfigError(
            "HTTP mode needs a signing secret (SLACK_SIGNING_SECRET)", file=file, key="slack.signing_secret"
        )
    routes = [(f"routes[{i}].destination", r.destination) for i, r in enumerate(settings.routes)]
    if settings.admin.destination:
        routes.append(("admin.destination", settings.admin.destination))
    for key, destination in routes:
        problem = _unknown_destination(settings, destination)
        if problem:
            raise ConfigError(f"{problem} (got {destination!r})", file=file, key=key)
    _check_route_models(settings, file)


def _unknown_destination(settings: Settings, destination: str) -> str | None:
    prefix, _, rest = destination.partition(":")
    if prefix == "webhook" and rest not in settings.discord.webhooks:
        return f"no [discord] webhooks entry named {rest!r}"
    return None


def _check_route_models(settings: Settings, file: str) -> None:
    from bot.errors import GapwatchError

    if not any(route.frontier for route in settings.routes):
        return
    from bot.claims.frontier import FrontierRegistry

    registry = FrontierRegistry.builtin().extend(settings.frontier)
    for i, route in enumerate(settings.routes):
        for j, name in enumerate(route.frontier):
            try:
                registry.get(name)
            except GapwatchError as exc:
                raise ConfigError(str(exc), file=file, key=f"routes[{i}].frontier[{j}]") from exc


def load_settings(path: Path | None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the config at `path` (None = built-in defaults + environment).

    Raises:
        ConfigError: missing/unreadable file, bad TOML, unknown key, bad value, unset env var.
    """
    env = os.environ if environ is None else environ
    if path is None:
        return parse_settings({}, env, file="built-in defaults")
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError("config file not found", file=file) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config ({exc})", file=file) from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=file) from exc
    return parse_settings(raw, env, file=file)


def mask_url(text: str) -> str:
    """Hide what a URL-ish string may carry: a password (`user:pw@host`) and webhook tokens."""
    from bot.logs import redact

    return redact(re.sub(r"(://[^/:@\s]+):[^@/\s]*@", r"\1:***@", text))


_SECRET_KEY = re.compile(r"secret|token|password|api_key", re.IGNORECASE)


def masked_dump(settings: Settings) -> dict[str, Any]:
    """The effective config as plain data, every secret replaced by '***' (for `config check`);
    URLs keep their shape with the password and webhook token masked."""

    def mask(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return "***"
        if isinstance(value, BaseModel):
            return {k: mask(getattr(value, k)) for k in type(value).model_fields if k != "origin"}
        if is_dataclass(value) and not isinstance(value, type):
            return {f.name: mask(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, dict):
            return {k: "***" if _SECRET_KEY.search(str(k)) else mask(v) for k, v in value.items()}
        if isinstance(value, tuple | list):
            return [mask(v) for v in value]
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str) and "://" in value:
            return mask_url(value)
        if hasattr(value, "value") and isinstance(value.value, str):
            return value.value
        return value

    return mask(settings)  # type: ignore[no-any-return]
