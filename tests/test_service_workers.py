"""Several service processes on one port (``service._workers``): spread, restarted, stopped."""

from __future__ import annotations

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

from service._workers import _serve_one, reuse_port_spreads_connections, run_workers
from tests._service_support import free_port, model_path, start_service

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not reuse_port_spreads_connections(), reason="SO_REUSEPORT spreads connections on Linux only"
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


def test_a_starting_worker_takes_no_connection_until_its_app_has_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker binds its socket first but listens only once the app has started: while a
    replacement loads its model, new connections go to the workers that serve, not into its
    backlog to wait there."""
    starting = tmp_path / "starting"
    monkeypatch.setenv("AUTOHEAL_TEST_STARTING", str(starting))
    port = free_port()
    context = multiprocessing.get_context("spawn")
    _supervisor_end, theirs = context.Pipe()  # the pings the worker answers: none here
    options = {"log_config": None, "access_log": False, "loop": "asyncio", "http": "h11"}
    app = "tests._slow_start_app:create_app"
    worker = context.Process(target=_serve_one, args=(app, "127.0.0.1", port, options, theirs))
    worker.start()
    try:
        _until(starting.exists, 60, "the app's start-up to begin")  # the socket is bound by now
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        _until(lambda: _ready(f"http://127.0.0.1:{port}"), 30, "the app to serve")
    finally:
        worker.kill()
        worker.join()
