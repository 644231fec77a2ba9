"""The event loop and HTTP protocol the service runs on (see ``service.server._loop_options``)."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from service._http_protocol import NoDelayHttpToolsProtocol
from service.server import _loop_options
from tests._service_support import free_port, start_service, uvicorn_thread


def test_asyncio_with_nodelay_unless_processes_share_one_socket() -> None:
    own = _loop_options(shared_socket=False)
    assert own == {"loop": "asyncio", "http": "service._http_protocol:NoDelayHttpToolsProtocol"}
    assert _loop_options(shared_socket=True) == {"loop": "uvloop", "http": "httptools"}


async def _hello(scope: dict[str, object], receive: object, send: object) -> None:
    if scope["type"] == "lifespan":  # nothing to start or stop
        message = await receive()  # type: ignore[operator]
        while message["type"] != "lifespan.shutdown":
            await send({"type": message["type"] + ".complete"})  # type: ignore[operator]
            message = await receive()  # type: ignore[operator]
        await send({"type": "lifespan.shutdown.complete"})  # type: ignore[operator]
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]


@pytest.fixture
def server_on_a_handmade_socket() -> Iterator[tuple[uvicorn.Server, str]]:
    """asyncio and the protocol, on a listening socket made as uvicorn makes it for several
    workers: protocol number 0, so asyncio itself never turns Nagle's algorithm off."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0
    assert sock.proto == 0
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    try:
        with uvicorn_thread(_hello, sock, loop="asyncio", http=NoDelayHttpToolsProtocol) as server:
            yield server, f"http://127.0.0.1:{port}"
    finally:
        sock.close()


def test_every_connection_has_nodelay_even_on_a_socket_without_a_protocol_number(
    server_on_a_handmade_socket: tuple[uvicorn.Server, str],
) -> None:
    server, url = server_on_a_handmade_socket
    with httpx.Client() as client:  # one keep-alive connection
        assert client.get(url).text == "ok"
        (connection,) = server.server_state.connections
        transport = connection.transport
        accepted = transport.get_extra_info("socket")
        assert accepted.proto == 0  # asyncio's own check would have skipped it
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert client.get(url).text == "ok"


def test_python_m_service_with_one_process_serves_on_asyncio(tmp_path: Path) -> None:
    """What `make run` starts: one process, the asyncio loop and the NODELAY protocol (given to
    uvicorn as an import string), answering over a real socket until SIGINT."""
    port = free_port()
    env = {
        **os.environ,
        "AUTOHEAL_MODEL_URI": str(tmp_path / "no-model.joblib"),  # starts, not ready
        "AUTOHEAL_WORKER_ENABLED": "false",
        "AUTOHEAL_DATABASE_URL": f"sqlite:///{tmp_path / 'autoheal.db'}",
    }
    log = tmp_path / "stderr.log"
    with open(log, "wb") as stderr:
        process = start_service(port, env, stderr, workers=1)
    try:
        deadline = time.monotonic() + 90
        answer = None
        while answer is None:
            assert time.monotonic() < deadline and process.poll() is None, log.read_text()
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            except httpx.HTTPError:
                time.sleep(0.2)
        assert answer.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 503  # no model
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
