"""The gapwatch error tree. Foreign exceptions (httpx, feedparser, SQLAlchemy, discord.py,
slack_sdk) are translated into these at the edge that caught them, always `raise ... from exc`.

    GapwatchError
    ├── ConfigError          bad config file, key or value (names file, key, value)
    ├── UnknownModelError    a frontier model nobody tracks (carries close matches)
    ├── FetchError           a source could not be fetched (names source and URL)
    │   ├── FetchTimeout
    │   ├── ResponseTooLarge
    │   ├── BlockedAddress   a URL that resolves to a private, loopback or link-local address
    │   └── HTTPStatusError  a non-2xx answer (carries the status)
    ├── ParseError           a body that could not be turned into items
    ├── StoreError           the database is unreachable or refused an operation
    ├── CommandError         a chat/CLI command with bad arguments (message says what to type)
    ├── VerifierError        the optional claim verifier gave no verdict (the rule's claim stands)
    └── DeliveryError        a platform refused a message; `permanent` ones are parked at once
        └── RateLimited      the platform asked us to wait `retry_after` seconds
"""

from __future__ import annotations


class GapwatchError(Exception):
    """Root of every error gapwatch raises on purpose. `str(err)` is one line for the user."""


class ConfigError(GapwatchError):
    def __init__(self, message: str, *, file: str | None = None, key: str | None = None) -> None:
        self.file = file
        self.key = key
        where = ": ".join(part for part in (file, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


class UnknownModelError(GapwatchError):
    def __init__(self, name: str, suggestions: list[str] | tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown frontier model {name!r}{hint}")


class FetchError(GapwatchError):
    def __init__(self, message: str, *, url: str | None = None, source: str | None = None) -> None:
        self.url = url
        self.source = source
        prefix = f"{source}: " if source else ""
        suffix = f" ({url})" if url else ""
        super().__init__(f"{prefix}{message}{suffix}")


class FetchTimeout(FetchError):
    pass


class ResponseTooLarge(FetchError):
    pass


class BlockedAddress(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(
        self,
        status: int,
        *,
        url: str | None = None,
        source: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}", url=url, source=source)


class ParseError(GapwatchError):
    pass


class StoreError(GapwatchError):
    pass


class CommandError(GapwatchError):
    pass


class VerifierError(GapwatchError):
    """The verifier could not give a verdict (the rule's claim then stands)."""


class DeliveryError(GapwatchError):
    def __init__(self, message: str, *, destination: str | None = None, permanent: bool = False) -> None:
        self.destination = destination
        self.permanent = permanent
        super().__init__(f"{destination}: {message}" if destination else message)


class RateLimited(DeliveryError):
    def __init__(
        self, retry_after: float, *, destination: str | None = None, scope: str | None = None
    ) -> None:
        self.retry_after = max(0.0, float(retry_after))
        self.scope = scope
        super().__init__(f"rate limited, retry after {self.retry_after:.2f}s", destination=destination)
