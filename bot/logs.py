"""Logging to standard error: human-readable by default, JSON lines with --log-format json."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

_SECRET_MARKERS = ("xoxb-", "xapp-", "xoxp-", "/api/webhooks/", "Bot ", "Bearer ")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exc"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class RedactFilter(logging.Filter):
    """Last line of defence: a log line that carries a token-like string is redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(marker in message for marker in _SECRET_MARKERS):
            record.msg = redact(message)
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # a traceback carries the exception's text too: format it now, redacted
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text)
        return True


class NoiseFilter(logging.Filter):
    """Library lines that say nothing new: discord.py's voice support (never used) and its
    traceback per gateway reconnect attempt (gapwatch warns once per outage and /healthz says
    it is down)."""

    NOISE = (
        ("discord", "voice will NOT be supported"),
        ("discord.client", "Attempting a reconnect in"),
    )

    def filter(self, record: logging.LogRecord) -> bool:
        for prefix, text in self.NOISE:
            if record.name.startswith(prefix) and text in str(record.msg):
                return False
        return True


def redact(text: str) -> str:
    import re

    text = re.sub(r"(xox[abp]-|xapp-)[\w-]+", r"\1***", text)
    text = re.sub(r"(/api/webhooks/\d+/)[\w-]+", r"\1***", text)
    return re.sub(r"(Bot |Bearer )[\w.\-]+", r"\1***", text)


def setup_logging(fmt: str = "human", level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
        )
    handler.addFilter(NoiseFilter())
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in (
        "httpx",
        "httpcore",
        "discord",
        "aiosqlite",
        "asyncio",
        "alembic",
        "slack_bolt",
        "slack_sdk",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
