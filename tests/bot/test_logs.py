"""Logs: JSON lines on request, and tokens redacted wherever they appear."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import JsonFormatter, RedactFilter, redact


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("posting to https://discord.com/api/webhooks/123/AbC-dEf_ghi failed", "AbC-dEf_ghi"),
        ("slack said invalid_auth for xoxb-1234-5678-abcdef", "1234-5678-abcdef"),
        ("app token xapp-1-A0-99-zz", "1-A0-99-zz"),
        ("header Authorization: Bot MTIzNDU2.Nzg5.secret", "MTIzNDU2.Nzg5.secret"),
        ("header Authorization: Bearer hf_abcdefgh", "hf_abcdefgh"),
    ],
)
def test_tokens_are_redacted(text: str, secret: str) -> None:
    assert secret not in redact(text) and "***" in redact(text)


def test_filter_redacts_formatted_arguments() -> None:
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "delivery to %s failed", ("xoxb-999-secret",), None
    )
    RedactFilter().filter(record)
    assert "secret" not in record.getMessage()


def test_json_formatter_one_object_per_line() -> None:
    record = logging.LogRecord("gapwatch.poll", logging.INFO, __file__, 1, "polled %d sources", (3,), None)
    data = json.loads(JsonFormatter().format(record))
    assert (
        data["message"] == "polled 3 sources"
        and data["level"] == "info"
        and data["logger"] == "gapwatch.poll"
    )


def test_tracebacks_are_redacted_too() -> None:
    import sys

    try:
        raise RuntimeError("POST https://discord.com/api/webhooks/1/TRACETOKEN failed")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    RedactFilter().filter(record)
    assert "TRACETOKEN" not in logging.Formatter().format(record)
    assert "TRACETOKEN" not in JsonFormatter().format(record)
