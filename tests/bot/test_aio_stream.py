"""The asyncio network layer under the fetch client: plain and TLS connections, keep-alive,
a server that closes an idle connection, large bodies, and httpcore's errors for timeouts,
refusals and failed handshakes (as its anyio backend raises them)."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpcore
import pytest

from bot.aio_stream import AsyncioBackend

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes) -> bool:
    """Read one request; answer `body` with keep-alive. False when the client went away."""
    head = await reader.readuntil(b"\r\n\r\n") if not reader.at_eof() else b""
    if not head:
        return False
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    await writer.drain()
    return True


@asynccontextmanager
async def serve(handler: Handler, ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """A loopback server running `handler` per connection; every connection is closed after."""
    tasks: list[asyncio.Task[None]] = []
    writers: list[asyncio.StreamWriter] = []

    async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        task = asyncio.current_task()
        assert task is not None
        tasks.append(task)  # type: ignore[arg-type]
        await handler(reader, writer)

    server = await asyncio.start_server(tracked, "127.0.0.1", 0, ssl=ssl_context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for writer in writers:
            writer.close()
        await asyncio.gather(*(w.wait_closed() for w in writers), return_exceptions=True)
        await server.wait_closed()


def keep_alive(body: bytes, connections: list[int]) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            while await _answer(reader, writer, body):
                pass
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return handle


async def test_plain_requests_share_one_kept_alive_connection() -> None:
    connections: list[int] = []
    async with (
        serve(keep_alive(b"hello", connections)) as port,
        httpcore.AsyncConnectionPool(network_backend=AsyncioBackend()) as pool,
    ):
        for _ in range(3):
            response = await pool.request("GET", f"http://127.0.0.1:{port}/")
            assert (response.status, response.content) == (200, b"hello")
    assert len(connections) == 1


async def test_a_large_body_arrives_whole() -> None:
    body = bytes(range(256)) * 20_000  # 5 MB: the reader pauses and resumes the socket
    async with (
        serve(keep_alive(body, [])) as port,
        httpcore.AsyncConnectionPool(network_backend=AsyncioBackend()) as pool,
    ):
        response = await pool.request("GET", f"http://127.0.0.1:{port}/")
    assert response.content == body


async def test_an_idle_connection_the_server_closed_is_replaced() -> None:
    connections: list[int] = []

    async def one_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await _answer(reader, writer, b"once")
        writer.close()  # closes the kept-alive connection while the client holds it idle

    async with (
        serve(one_answer) as port,
        httpcore.AsyncConnectionPool(network_backend=AsyncioBackend()) as pool,
    ):
        for _ in range(2):
            response = await pool.request("GET", f"http://127.0.0.1:{port}/")
            assert response.content == b"once"
            await asyncio.sleep(0.05)
    assert len(connections) == 2


async def test_a_silent_server_is_a_read_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)
        writer.close()

    async with (
        serve(silent) as port,
        httpcore.AsyncConnectionPool(network_backend=AsyncioBackend()) as pool,
    ):
        with pytest.raises(httpcore.ReadTimeout):
            await pool.request("GET", f"http://127.0.0.1:{port}/", extensions={"timeout": {"read": 0.2}})


async def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once closed
    backend = AsyncioBackend()
    with pytest.raises(httpcore.ConnectError):
        await backend.connect_tcp("127.0.0.1", port, timeout=2)


async def test_a_server_closing_mid_answer_is_an_error() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
        await writer.drain()
        writer.close()

    async with (
        serve(cut) as port,
        httpcore.AsyncConnectionPool(network_backend=AsyncioBackend()) as pool,
    ):
        with pytest.raises(httpcore.RemoteProtocolError):
            await pool.request("GET", f"http://127.0.0.1:{port}/")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return key, cert


async def test_tls_connections_verify_and_keep_alive(certificate: tuple[Path, Path]) -> None:
    key, cert = certificate
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    connections: list[int] = []
    async with (
        serve(keep_alive(b"secret", connections), server_side) as port,
        httpcore.AsyncConnectionPool(ssl_context=trusting, network_backend=AsyncioBackend()) as pool,
    ):
        for _ in range(2):
            response = await pool.request("GET", f"https://localhost:{port}/")
            assert response.content == b"secret"
    assert len(connections) == 1


async def test_an_untrusted_certificate_is_a_connect_error(certificate: tuple[Path, Path]) -> None:
    key, cert = certificate
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    async with (
        serve(keep_alive(b"secret", []), server_side) as port,
        httpcore.AsyncConnectionPool(
            ssl_context=ssl.create_default_context(), network_backend=AsyncioBackend()
        ) as pool,
    ):
        with pytest.raises(httpcore.ConnectError):
            await pool.request("GET", f"https://localhost:{port}/")
