"""The HTTP server over loopback on a real app (SQLite): /healthz tells the truth, /metrics is
Prometheus' format with the counters and gauges the issue names, `/` is a plain HTML page."""

from __future__ import annotations

import pytest

from storage.database import create_engine
from storage.views import Views
from tests.fakes.feeds import rss_feed
from tests.running_app import INTERVAL, NEW, OLD, Running, running

__all__ = ["running"]  # the fixture


async def test_healthz_is_503_until_the_scheduler_has_run_then_200(running: Running) -> None:
    status, body = await running.health()
    assert status == 503 and body["ok"] is False and "scheduler: not running" in body["reasons"]
    await running.cycle()
    status, body = await running.health()
    assert status == 200 and body == {**body, "ok": True} and "reasons" not in body


async def test_healthz_is_503_when_the_last_cycle_is_older_than_three_intervals(running: Running) -> None:
    await running.cycle()
    running.clock.advance(2 * INTERVAL)  # 3 intervals + 1 s since the cycle
    status, body = await running.health()
    assert status == 503 and any("scheduler: last cycle" in r for r in body["reasons"]), body


async def test_healthz_is_503_when_a_chat_connection_is_down(running: Running) -> None:
    await running.cycle()
    health = running.monitor.health
    health.disconnected("discord gateway", "ClientConnectorError: refused")
    status, body = await running.health()
    assert status == 503 and body["connections"] == {"discord gateway": False}
    assert any(r.startswith("discord gateway: down since") and "refused" in r for r in body["reasons"])
    health.connected("discord gateway")
    assert (await running.health())[0] == 200


async def test_healthz_is_503_when_the_database_does_not_answer(running: Running) -> None:
    await running.cycle()
    dead = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    running.monitor.views = Views(dead, running.app.sessions)
    try:
        status, body = await running.health()
    finally:
        await dead.dispose()
    assert status == 503 and any(r.startswith("database: not answering") for r in body["reasons"]), body


async def test_metrics_in_prometheus_format_with_counters_and_gauges(running: Running) -> None:
    await running.cycle()  # baseline of the good feed; the broken one fails
    running.feeds.add_feed("/ok.xml", rss_feed([NEW, OLD]))
    await running.cycle()  # a new release with claims, delivered to the console
    text = (await running.http.get("/metrics")).text
    for name, kind in [
        ("gapwatch_polls_total", "counter"),
        ("gapwatch_fetch_errors_total", "counter"),
        ("gapwatch_items_total", "counter"),
        ("gapwatch_claims_total", "counter"),
        ("gapwatch_alerts_total", "counter"),
        ("gapwatch_delivery_latency_seconds", "histogram"),
        ("gapwatch_outbox_depth", "gauge"),
        ("gapwatch_outbox_parked", "gauge"),
        ("gapwatch_sources_failing", "gauge"),
        ("gapwatch_source_last_success_timestamp_seconds", "gauge"),
    ]:
        assert f"# HELP {name} " in text and f"# TYPE {name} {kind}" in text, name
    assert 'gapwatch_polls_total{kind="feed",result="ok"} 2.0' in text
    assert 'gapwatch_polls_total{kind="feed",result="error"}' in text
    assert 'gapwatch_fetch_errors_total{kind="HTTPStatusError"}' in text
    assert "gapwatch_sources_failing 1.0" in text  # the only failing source is counted
    assert 'gapwatch_claims_total{relation="exceeds"}' in text
    assert "gapwatch_items_total 2.0" in text  # the baseline item and the release
    assert 'gapwatch_alerts_total{destination="console",result="sent"} 1.0' in text
    assert "gapwatch_delivery_latency_seconds_count 1.0" in text
    assert "gapwatch_outbox_depth 0.0" in text
    assert 'gapwatch_source_last_success_timestamp_seconds{kind="feed",source="feed:' in text


async def test_status_page_is_plain_html_with_sources_last_cycle_and_alerts(running: Running) -> None:
    await running.cycle()
    running.feeds.add_feed("/ok.xml", rss_feed([NEW, OLD]))
    await running.cycle()
    response = await running.http.get("/")
    page = response.text
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<script" not in page.lower()
    assert "ok feed" in page and "broken feed" in page and "failing" in page and "HTTP 500" in page
    assert "Harrier-70B" in page and "console" in page  # the recent alert
    assert "polled" in page  # the last cycle's summary
    assert page.index("broken feed") < page.index("ok feed")  # failing sources first


@pytest.mark.parametrize("path", ["/healthz", "/metrics", "/"])
async def test_endpoints_answer_while_the_database_is_down(running: Running, path: str) -> None:
    await running.cycle()
    await running.app.engine.dispose()
    dead = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    running.monitor.views = Views(dead, running.app.sessions)
    try:
        response = await running.http.get(path)
    finally:
        await dead.dispose()
    assert response.status_code in (200, 503)


async def test_metrics_count_the_polls_of_every_wave_of_a_cycle(running: Running) -> None:
    assert running.app.pipeline is not None
    running.app.pipeline.wave = 1  # each source in a wave of its own
    await running.cycle()
    text = (await running.http.get("/metrics")).text
    assert 'gapwatch_polls_total{kind="feed",result="ok"} 1.0' in text
    assert 'gapwatch_polls_total{kind="feed",result="error"} 1.0' in text
