"""The default sink: prints alerts to standard output (logs go to standard error)."""

from __future__ import annotations

import sys
from typing import TextIO

from adapters.sinks.registry import SinkContext, SinkPlugin
from bot.domain import Alert, AlertKind, AlertMessage, DeliveryReceipt
from bot.ports import ChatSink
from bot.render.alert_text import release_messages, render_alert_text, render_release_text


class ConsoleSink:
    """Writes each alert as a block of text followed by a blank line, and flushes."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    async def send(self, alert: Alert) -> DeliveryReceipt:
        stream = self._stream or sys.stdout
        if alert.kind is AlertKind.DIGEST and "claims" in alert.payload:
            lines = [f"DIGEST {alert.payload.get('period', '')}".rstrip()]
            groups: dict[str, list[AlertMessage]] = {}
            for entry in alert.payload["claims"]:
                message = AlertMessage.from_payload(entry)
                groups.setdefault(message.frontier_name, []).append(message)
            for frontier, messages in groups.items():  # grouped by frontier model
                lines.append(f"{frontier}:")
                lines += ["- " + render_alert_text(m).splitlines()[0] for m in messages]
            text = "\n".join(lines)
        elif alert.kind is AlertKind.ADMIN:
            text = f"ADMIN: {alert.payload.get('text', '')}"
        else:
            messages = release_messages(alert.payload)
            text = render_release_text(messages, update=alert.kind is AlertKind.UPDATE)
        stream.write(text + "\n\n")
        stream.flush()
        return DeliveryReceipt(message_ref=f"console:{alert.id}")


async def _build(_context: SinkContext) -> ChatSink:
    return ConsoleSink()


PLUGIN = SinkPlugin(
    prefix="console",
    usage="console",
    build=_build,
    check_target=lambda target, _options: "takes no target" if target else None,
)
