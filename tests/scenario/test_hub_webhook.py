"""`gapwatch run` with the Hub webhook endpoint: a push for a watched org makes the bot list that
org at once (its interval is an hour), fetch the new model's card and alert; a wrong secret is
refused and an unwatched org changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.fakes.hf_api import HFServer, hub_webhook_payload
from tests.scenario.cli_runner import eventually, free_port, healthy, start_bot, stop_bot

CARD = "# Nimbus-32B\n\nOn math benchmarks, Nimbus-32B achieves performance comparable to o1-preview."


async def test_hub_push_polls_the_org_in_seconds(tmp_path: Path) -> None:
    port = free_port()
    async with HFServer() as hf:
        hf.add_model("nimbus-ai/Nimbus-7B", created_at=datetime(2024, 6, 1, tzinfo=UTC), card="# small")
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            "[polling]\ninterval = 3600\nadaptive = false\nretries = 0\n"
            f'[http]\nlisten = "127.0.0.1:{port}"\nhf_webhook_secret = "env:HF_WEBHOOK_SECRET"\n'
            f'[[sources]]\nkind = "huggingface"\nauthor = "nimbus-ai"\napi_base = "{hf.base_url}"\n',
            encoding="utf-8",
        )
        hf.card_delay = 1.0  # the push arrives while the baseline poll is still running
        proc = await start_bot(config, cwd=tmp_path, HF_WEBHOOK_SECRET="s3cret")
        try:
            await eventually(lambda: healthy(port))
            await eventually(lambda: len(hf.list_requests()) == 1)  # the baseline
            hf.card_delay = 0.0
            hf.add_model("nimbus-ai/Nimbus-32B", created_at=datetime(2025, 1, 21, tzinfo=UTC), card=CARD)
            url = f"http://127.0.0.1:{port}/webhooks/huggingface"
            async with httpx.AsyncClient() as http:
                payload = hub_webhook_payload("nimbus-ai/Nimbus-32B")
                refused = await http.post(url, json=payload, headers={"X-Webhook-Secret": "wrong"})
                other = await http.post(
                    url, json=hub_webhook_payload("someone/else"), headers={"X-Webhook-Secret": "s3cret"}
                )
                pushed = await http.post(url, json=payload, headers={"X-Webhook-Secret": "s3cret"})
            await eventually(lambda: "nimbus-ai/Nimbus-32B" in hf.card_requests(), within=10)
        finally:
            run = await stop_bot(proc)
    assert refused.status_code == 401
    assert other.json() == {"ok": True, "due": []}
    assert pushed.json() == {"ok": True, "due": ["huggingface:nimbus-ai"]}
    assert len(hf.list_requests()) == 2  # the baseline and the pushed poll, not one per tick
    assert run.code == 0, run.stderr[-3000:]
    assert any(line.startswith("Nimbus-32B") for line in run.stdout.splitlines()), run.stdout
