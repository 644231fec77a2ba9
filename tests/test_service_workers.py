"""Several service processes on one port (``service._workers``): spread, restarted, stopped."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from service._workers import reuse_port_spreads_connections, run_workers
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


def test_two_workers_share_the_port_a_killed_one_is_replaced_and_sigterm_stops_all(
    model_file: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "AUTOHEAL_MODEL_URI": str(model_file),
        "AUTOHEAL_WORKER_ENABLED": "false",
        "AUTOHEAL_DATABASE_URL": f"sqlite:///{tmp_path / 'autoheal.db'}",
    }
    log = tmp_path / "stderr.log"
    with open(log, "wb") as stderr:
        parent = start_service(port, env, stderr)
    try:
        _until(lambda: _ready(url) and len(_children(parent.pid)) == 2, 90, "two workers")
        first = _children(parent.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        _until(lambda: victim not in _children(parent.pid), 30, "the dead worker to go")
        _until(lambda: len(_children(parent.pid)) == 2 and _ready(url), 90, "its replacement")
        assert _children(parent.pid) - first  # a new process, not the old one
        assert parent.poll() is None
        for _ in range(20):
            assert httpx.get(f"{url}/healthz").status_code == 200
        workers = _children(parent.pid)
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=60) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
    text = log.read_text(encoding="utf-8")
    assert "a worker died: restarting it" in text


def test_a_worker_that_cannot_start_stops_the_service_with_status_1() -> None:
    options = {"log_config": None, "access_log": False, "loop": "asyncio", "http": "h11"}
    # Restarting it would fail the same way forever (pytest-timeout ends the test if it does).
    assert run_workers("tests.no_such_module:factory", "127.0.0.1", 0, 2, options) == 1


def test_a_worker_that_stops_answering_is_killed_and_replaced(
    model_file: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "AUTOHEAL_MODEL_URI": str(model_file),
        "AUTOHEAL_WORKER_ENABLED": "false",
        "AUTOHEAL_DATABASE_URL": f"sqlite:///{tmp_path / 'autoheal.db'}",
        "AUTOHEAL_PROCESS_PING_TIMEOUT_SECONDS": "3",
    }
    log = tmp_path / "stderr.log"
    with open(log, "wb") as stderr:
        parent = start_service(port, env, stderr)
    try:
        _until(lambda: _ready(url) and len(_children(parent.pid)) == 2, 90, "two workers")
        frozen = min(_children(parent.pid))
        os.kill(frozen, signal.SIGSTOP)  # alive, but it answers nothing any more
        _until(lambda: frozen not in _children(parent.pid), 60, "the frozen worker to be killed")
        _until(lambda: len(_children(parent.pid)) == 2 and _ready(url), 90, "its replacement")
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=60) == 0
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
    assert "a worker stopped answering: killing it" in log.read_text(encoding="utf-8")
