"""Several service processes on one port (``service._workers``): spread, restarted, stopped."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from service._handoff import READY
from service._workers import _serve_one, connections_can_be_handed, run_workers
from tests._service_support import free_port, model_path, start_service

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not connections_can_be_handed() or not Path("/proc/net/tcp").exists(),
    reason="sockets are passed between processes on POSIX; /proc is read to find them (Linux)",
)


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


def _children(pid: int) -> set[int]:
    """The worker processes of ``pid`` (spawned by multiprocessing; not its resource tracker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue  # gone meanwhile
            if b"spawn_main" in command and b"resource_tracker" not in command:
                found.add(int(child))
    return found


def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Running:
    parent: subprocess.Popen[bytes]
    url: str
    log: Path

    def workers(self) -> set[int]:
        return _children(self.parent.pid)

    def serving(self) -> int:
        """How many times the supervisor logged that a worker serves."""
        return self.log.read_text(encoding="utf-8").count('"message": "worker serving"')


@contextmanager
def _two_workers(model_file: Path, tmp_path: Path, **settings: str) -> Iterator[Running]:
    """``python -m service --workers 2`` until both workers serve; stopped (killed if need be)
    at the end."""
    port = free_port()
    env = {
        **os.environ,
        "AUTOHEAL_MODEL_URI": str(model_file),
        "AUTOHEAL_WORKER_ENABLED": "false",
        "AUTOHEAL_DATABASE_URL": f"sqlite:///{tmp_path / 'autoheal.db'}",
        **settings,
    }
    log = tmp_path / "stderr.log"
    with open(log, "wb") as stderr:
        parent = start_service(port, env, stderr)
    running = Running(parent, f"http://127.0.0.1:{port}", log)
    try:
        _until(lambda: _ready(running.url) and len(running.workers()) == 2, 90, "two workers")
        yield running
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_two_workers_share_the_port_a_killed_one_is_replaced_and_sigterm_stops_all(
    model_file: Path, tmp_path: Path
) -> None:
    with _two_workers(model_file, tmp_path) as service:
        first = service.workers()
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        _until(lambda: victim not in service.workers(), 30, "the dead worker to go")
        _until(lambda: len(service.workers()) == 2 and _ready(service.url), 90, "a replacement")
        assert service.workers() - first  # a new process, not the old one
        assert service.parent.poll() is None
        for _ in range(20):
            assert httpx.get(f"{service.url}/healthz").status_code == 200
        workers = service.workers()
        service.parent.send_signal(signal.SIGTERM)
        assert service.parent.wait(timeout=60) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert "a worker died: restarting it" in service.log.read_text(encoding="utf-8")


def test_a_worker_that_cannot_start_stops_the_service_with_status_1() -> None:
    options = {"log_config": None, "access_log": False, "loop": "asyncio", "http": "h11"}
    # Restarting it would fail the same way forever (pytest-timeout ends the test if it does).
    assert run_workers("tests.no_such_module:factory", "127.0.0.1", 0, 2, options) == 1


def test_a_worker_that_stops_answering_is_killed_and_replaced(
    model_file: Path, tmp_path: Path
) -> None:
    with _two_workers(model_file, tmp_path, AUTOHEAL_PROCESS_PING_TIMEOUT_SECONDS="3") as service:
        frozen = min(service.workers())
        os.kill(frozen, signal.SIGSTOP)  # alive, but it answers nothing any more
        _until(lambda: frozen not in service.workers(), 60, "the frozen worker to be killed")
        _until(lambda: len(service.workers()) == 2 and _ready(service.url), 90, "a replacement")
        service.parent.send_signal(signal.SIGTERM)
        assert service.parent.wait(timeout=60) == 0
    assert "a worker stopped answering: killing it" in service.log.read_text(encoding="utf-8")


def test_a_worker_says_it_is_ready_only_once_its_app_has_started_then_serves_what_it_is_handed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supervisor hands a worker connections only after its ``READY``: while a replacement
    loads its model, new connections go to the workers that serve."""
    starting = tmp_path / "starting"
    monkeypatch.setenv("AUTOHEAL_TEST_STARTING", str(starting))
    context = multiprocessing.get_context("spawn")
    _supervisor_end, theirs = context.Pipe()  # the pings the worker answers: none here
    channel, worker_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    options = {"log_config": None, "access_log": False, "loop": "asyncio", "http": "h11"}
    app = "tests._slow_start_app:create_app"
    worker = context.Process(target=_serve_one, args=(app, options, worker_end, theirs))
    worker.start()
    worker_end.close()
    try:
        _until(starting.exists, 60, "the app's start-up to begin")
        channel.settimeout(1.0)
        with pytest.raises(TimeoutError):
            channel.recv(1)  # not ready while its start-up runs
        channel.settimeout(30.0)
        assert channel.recv(1) == READY
        with socket.create_server(("127.0.0.1", 0)) as listener:
            client = socket.create_connection(listener.getsockname(), timeout=10)
            accepted, _ = listener.accept()
        with client, accepted:
            socket.send_fds(channel, [b"h"], [accepted.fileno()])
            client.sendall(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
            assert client.recv(4096).startswith(b"HTTP/1.1 200")
        channel.close()  # the supervisor is gone: the worker finishes and stops
        worker.join(30)
        assert worker.exitcode == 0
    finally:
        if worker.is_alive():
            worker.kill()
            worker.join()


def _established(pid: int, port: int) -> int:
    """How many established TCP connections on local ``port`` the process ``pid`` holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "01" and fields[9] in inodes:
                    count += 1
    return count


def test_keep_alive_connections_are_spread_evenly_over_the_workers(
    model_file: Path, tmp_path: Path
) -> None:
    with _two_workers(model_file, tmp_path) as service:
        port = int(service.url.rsplit(":", 1)[1])
        _until(lambda: service.serving() == 2, 90, "both workers to serve")
        clients = [httpx.Client(base_url=service.url) for _ in range(12)]
        try:
            for client in clients:  # one keep-alive connection each
                assert client.get("/healthz").status_code == 200
            counts = sorted(_established(pid, port) for pid in service.workers())
            assert counts == [6, 6]
            for client in clients:  # and they stay where they are
                assert client.get("/healthz").status_code == 200
            assert sorted(_established(pid, port) for pid in service.workers()) == [6, 6]
        finally:
            for client in clients:
                client.close()
