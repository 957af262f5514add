"""Settings from the environment: `GAPWATCH_SECTION__KEY=value` over the TOML file.

Every key of config.example.toml can be set this way, which is how a container is configured:
`GAPWATCH_STORAGE__URL=postgresql+asyncpg://…`, `GAPWATCH_POLLING__INTERVAL=300`,
`GAPWATCH_HTTP__LISTEN=0.0.0.0:8080`. A key of a table-valued setting takes one more level
(`GAPWATCH_DISCORD__WEBHOOKS__ALERTS=https://…`). List settings take JSON or, for lists of
words, commas (`GAPWATCH_SLACK__ADMIN_USERS=U01,U02`); the arrays of tables take JSON
(`GAPWATCH_SOURCES='[{"kind": "feed", "url": "https://…"}]'`). An empty value counts as unset,
so a compose file can pass through variables the user left blank. The environment wins over
the file. Variables of the program itself (`GAPWATCH_CONFIG`, `GAPWATCH_LOG_LEVEL`, …) have no
double underscore and are not settings.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from bot.errors import ConfigError

PREFIX = "GAPWATCH_"
SEP = "__"
ARRAYS = ("sources", "routes", "frontier")  # [[sources]], [[routes]], [[frontier]]


def overlay_environment(
    data: dict[str, Any], environ: Mapping[str, str], model: type[BaseModel]
) -> dict[str, Any]:
    """`data` (the parsed TOML) with every `GAPWATCH_…` setting of `environ` laid over it.

    Raises:
        ConfigError: a variable names no setting, or its list/table value is not valid JSON.
    """
    for name in sorted(environ):
        value = environ[name]
        if not name.startswith(PREFIX) or value == "":
            continue
        path = name[len(PREFIX) :].lower().split(SEP)
        if len(path) == 1 and path[0] not in ARRAYS:
            continue  # GAPWATCH_CONFIG, GAPWATCH_LOG_LEVEL, …: not settings
        _set(data, path, value, model, name)
    return data


def _set(data: dict[str, Any], path: list[str], value: str, model: type[BaseModel], name: str) -> None:
    node: dict[str, Any] = data
    annotation: Any = model
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        annotation = _field(annotation, part, name)
        if last:
            node[part] = _value(value, annotation, name)
            return
        child = node.get(part)
        if not isinstance(child, dict):
            child = {} if child is None else dict(child)
        node[part] = child
        node = child


def _field(annotation: Any, part: str, name: str) -> Any:
    """The type of `part` inside `annotation` (a settings model, or a dict of values)."""
    annotation = _unwrap_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields
        if part not in fields or fields[part].exclude:
            raise ConfigError(f"no setting {part!r} here", key=name)
        return fields[part].annotation
    if typing.get_origin(annotation) is dict:
        return typing.get_args(annotation)[1]
    if annotation is Any:  # free-form tables ([sinks.<prefix>.<name>]): any depth
        return Any
    raise ConfigError(f"{part!r} is inside a value that has no keys", key=name)


def _unwrap_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _value(raw: str, annotation: Any, name: str) -> Any:
    """A scalar stays text (the model casts it); a list or table is JSON (or words with commas)."""
    origin = typing.get_origin(_unwrap_optional(annotation))
    if origin not in (tuple, list, dict):
        return raw
    text = raw.strip()
    if origin in (tuple, list) and not text.startswith("["):
        return [word.strip() for word in text.split(",") if word.strip()]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        kind = "a JSON object" if origin is dict else "a JSON array or words separated by commas"
        raise ConfigError(f"must be {kind} ({exc.msg})", key=name) from exc
