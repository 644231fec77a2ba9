"""The supervisor's hand-off of connections (``service._handoff.Dispatcher``), over real sockets.

The workers here are this test's ends of the channels: they receive the handed connections as
file descriptors and answer through them, as a worker process's event loop does.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from service._handoff import READY, Dispatcher
from service._workers import connections_can_be_handed

pytestmark = pytest.mark.skipif(
    not connections_can_be_handed(), reason="sockets are passed between processes on POSIX only"
)


def _until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@dataclass
class FakeWorker:
    """A worker's end of its channel: what a worker process does with it, done by hand."""

    slot: int
    end: socket.socket
    received: list[socket.socket] = field(default_factory=list)

    def ready(self) -> None:
        self.end.sendall(READY)

    def take(self, count: int, timeout: float = 10.0) -> list[socket.socket]:
        """Receive ``count`` handed connections (fails if they do not come)."""
        self.end.settimeout(timeout)
        got = []
        for _ in range(count):
            message, fds, _, _ = socket.recv_fds(self.end, 1, 1)
            assert message and len(fds) == 1
            got.append(socket.socket(fileno=fds[0]))
        self.received.extend(got)
        return got

    def has_waiting(self) -> bool:
        self.end.setblocking(False)
        try:
            return bool(self.end.recv(1, socket.MSG_PEEK))
        except BlockingIOError:
            return False
        finally:
            self.end.setblocking(True)


@dataclass
class Running:
    dispatcher: Dispatcher
    port: int

    def attach(self, slot: int, *, send_buffer: int | None = None) -> FakeWorker:
        channel, end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        if send_buffer is not None:
            channel.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        self.dispatcher.attach(slot, channel)
        return FakeWorker(slot, end)

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)


@contextmanager
def _dispatching() -> Iterator[Running]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    dispatcher = Dispatcher(listener, 128)
    thread = threading.Thread(target=dispatcher.run, daemon=True)
    thread.start()
    try:
        yield Running(dispatcher, listener.getsockname()[1])
    finally:
        dispatcher.close()
        thread.join(10)
        listener.close()
    assert not thread.is_alive()


def _talks_through(client: socket.socket, handed: socket.socket) -> None:
    """What the client sends arrives on the handed socket, and the answer comes back."""
    client.sendall(b"ping")
    handed.settimeout(10)
    assert handed.recv(4) == b"ping"
    handed.sendall(b"pong")
    assert client.recv(4) == b"pong"


def test_the_port_refuses_until_a_worker_is_ready_then_hands_it_the_connection() -> None:
    with _dispatching() as running:
        worker = running.attach(0)
        time.sleep(0.2)  # the dispatcher has seen the worker, which is not ready
        with pytest.raises(ConnectionRefusedError):
            running.connect()
        worker.ready()
        _until(lambda: running.dispatcher.ready_slots() == [0])
        with running.connect() as client:
            (handed,) = worker.take(1)
            with handed:
                _talks_through(client, handed)


def test_ready_workers_take_connections_in_turn_and_a_starting_one_takes_none() -> None:
    with _dispatching() as running:
        first, second, starting = running.attach(0), running.attach(1), running.attach(2)
        first.ready()
        second.ready()
        _until(lambda: running.dispatcher.ready_slots() == [0, 1])
        clients = [running.connect() for _ in range(32)]
        # All 32 at once, as a load generator opens them: 16 each.
        assert len(first.take(16)) == len(second.take(16)) == 16
        time.sleep(0.2)
        assert not first.has_waiting() and not second.has_waiting()
        assert not starting.has_waiting()
        # Handed connections are the clients' own: each carries its client's bytes.
        pairs = {h.getpeername(): h for h in first.received + second.received}
        assert set(pairs) == {c.getsockname() for c in clients}
        for client in clients:
            _talks_through(client, pairs[client.getsockname()])
        for sock in [*clients, *pairs.values()]:
            sock.close()


def test_a_worker_that_is_gone_takes_no_more_and_connections_wait_while_none_serves() -> None:
    with _dispatching() as running:
        first, second = running.attach(0), running.attach(1)
        first.ready()
        second.ready()
        _until(lambda: running.dispatcher.ready_slots() == [0, 1])
        first.end.close()  # its process died
        _until(lambda: running.dispatcher.ready_slots() == [1])
        clients = [running.connect() for _ in range(4)]
        assert len(second.take(4)) == 4
        second.end.close()
        _until(lambda: running.dispatcher.ready_slots() == [])
        # No worker serves: the port still listens, and a client waits in the backlog.
        waiting = running.connect()
        replacement = running.attach(0)
        replacement.ready()
        (handed,) = replacement.take(1)
        with handed:
            _talks_through(waiting, handed)
        for sock in [*clients, *second.received, waiting]:
            sock.close()


def test_a_stuck_worker_whose_channel_is_full_is_passed_over() -> None:
    with _dispatching() as running:
        stuck = running.attach(0, send_buffer=4096)  # reads nothing: its channel fills
        other = running.attach(1)
        stuck.ready()
        other.ready()
        _until(lambda: running.dispatcher.ready_slots() == [0, 1])
        clients = [running.connect() for _ in range(80)]
        time.sleep(0.5)
        queued = _drain(stuck)
        # The stuck worker's channel held a few; the rest went to the one that reads.
        assert 0 < queued < 40
        taken = other.take(80 - queued)
        for sock in [*clients, *stuck.received, *taken]:
            sock.close()


def test_with_every_channel_full_a_connection_waits_a_moment_then_is_closed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="autoheal.workers"),
        _dispatching() as running,
    ):
        workers = [running.attach(slot, send_buffer=4096) for slot in (0, 1)]
        for worker in workers:
            worker.ready()
        _until(lambda: running.dispatcher.ready_slots() == [0, 1])
        clients = [running.connect() for _ in range(60)]
        _until(lambda: "no worker could take a connection: it was closed" in caplog.text, 30)
        # The ones that were handed still work.
        for worker in workers:
            _drain(worker)
        pairs = {h.getpeername(): h for w in workers for h in w.received}
        assert 0 < len(pairs) < 60
        for client in clients:
            if client.getsockname() in pairs:
                _talks_through(client, pairs[client.getsockname()])
        for sock in [*clients, *pairs.values()]:
            sock.close()


def _drain(worker: FakeWorker) -> int:
    """Receive the handed connections waiting in ``worker``'s channel; how many there were."""
    count = 0
    while worker.has_waiting():
        worker.take(1)
        count += 1
    return count


def test_an_unexpected_failure_is_logged_and_the_port_goes_on_accepting(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_send_fds = socket.send_fds
    calls = []

    def failing_once(*args: object, **kwargs: object) -> int:
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return real_send_fds(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "send_fds", failing_once)
    with (
        caplog.at_level(logging.WARNING, logger="autoheal.workers"),
        _dispatching() as running,
    ):
        worker = running.attach(0)
        worker.ready()
        _until(lambda: running.dispatcher.ready_slots() == [0])
        lost = running.connect()
        _until(lambda: "connection hand-off failed" in caplog.text)
        with running.connect() as client:
            (handed,) = worker.take(1)
            with handed:
                _talks_through(client, handed)
        assert lost.recv(1) == b""  # the one that met the failure was closed, not left hanging
        lost.close()
