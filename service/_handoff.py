"""The supervisor's side of connection hand-off: accept on the port, pass each connection on.

The supervisor holds the one listening socket. A thread accepts the waiting connections and
sends each (its file descriptor, over a Unix socket per worker) to the serving workers in turn.
Keep-alive clients stay on the worker they were handed to, so how connections are spread when
they open decides the latency tail for as long as they last: with the kernel's choice
(``SO_REUSEPORT`` hashes each connection's addresses) 32 connections came out between 11/21 and
15/17 on two workers; in turn, 16/16. (Handing to the worker with the fewest open connections
was tried: a worker's reports of closed connections arrive a little late, and a client that
closes 32 connections and opens 32 new ones at once got them 9/23.)

A worker reports ``READY`` once its app has started. The port listens only once the first worker
is ready: before that a client is refused rather than left waiting behind a model load. Later,
while no worker is ready (all of them restarting), connections wait in the backlog.
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import threading
import time
from dataclasses import dataclass
from typing import Final

log = logging.getLogger("autoheal.workers")

# A worker's message to the supervisor.
READY: Final = b"r"
# What travels with each handed connection.
_CONNECTION: Final = b"h"
_READ_BYTES: Final = 4096
# How long a connection waits for a worker's channel to drain when every channel is full.
_FULL_WAIT_SECONDS: Final = 1.0
_ACCEPT_RETRY_SECONDS: Final = 0.5


@dataclass
class _Worker:
    slot: int
    channel: socket.socket
    ready: bool = False


class Dispatcher:
    """Accepts on ``listener`` (bound, not yet listening) and hands connections to workers.

    ``attach`` a worker's channel when it starts; ``run`` in a thread; ``close`` to stop.
    """

    def __init__(self, listener: socket.socket, backlog: int) -> None:
        self._listener = listener
        self._backlog = backlog
        self._listening = False
        self._selector = selectors.DefaultSelector()
        self._workers: dict[int, _Worker] = {}  # by channel file descriptor
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._selector.register(self._wake_read, selectors.EVENT_READ)
        self._lock = threading.Lock()
        self._attached: list[_Worker] = []
        self._turn = 0  # handed in all: whose turn it is
        self._stopped = False

    def attach(self, slot: int, channel: socket.socket) -> None:
        """A new worker process for ``slot``; it serves once it reports ``READY``."""
        channel.setblocking(False)
        with self._lock:
            self._attached.append(_Worker(slot, channel))
        self._wake()

    def close(self) -> None:
        self._stopped = True
        self._wake()

    def ready_slots(self) -> list[int]:
        """The slots whose workers serve, in the order they take turns (a snapshot)."""
        with self._lock:
            return [w.slot for w in self._serving()]

    def run(self) -> None:
        try:
            while not self._stopped:
                for key, _ in self._selector.select():
                    try:
                        self._handle(key.fileobj)
                    except Exception:  # never let the port stop accepting
                        log.exception("connection hand-off failed")
        finally:
            for worker in list(self._workers.values()):
                self._drop(worker)
            self._selector.close()
            self._wake_read.close()
            self._wake_write.close()

    # ------------------------------------------------------------------ inside the thread
    def _handle(self, ready: object) -> None:
        if ready is self._wake_read:
            self._drain_wake()
        elif ready is self._listener:
            self._accept_waiting()
        else:
            # A worker's channel; it may have been dropped by an earlier event of this round.
            worker = next((w for w in self._workers.values() if w.channel is ready), None)
            if worker is not None:
                self._read_worker(worker)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full (a wake-up is pending anyway) or closed
            self._wake_write.send(b"w")

    def _drain_wake(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while self._wake_read.recv(_READ_BYTES):
                pass
        with self._lock:
            attached, self._attached = self._attached, []
            for worker in attached:
                self._workers[worker.channel.fileno()] = worker
        for worker in attached:
            self._selector.register(worker.channel, selectors.EVENT_READ)

    def _read_worker(self, worker: _Worker) -> None:
        try:
            data = worker.channel.recv(_READ_BYTES)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the worker is gone: its connections went with it
            self._drop(worker)
            return
        if READY in data and not worker.ready:
            with self._lock:
                worker.ready = True
            log.info("worker serving", extra={"slot": worker.slot})
        self._watch_listener()

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.pop(worker.channel.fileno(), None)
            worker.ready = False
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(worker.channel)
        worker.channel.close()
        self._watch_listener()

    def _watch_listener(self) -> None:
        """Accept only while some worker serves: otherwise connections wait in the backlog."""
        serving = any(w.ready for w in self._workers.values())
        if serving and not self._listening:
            self._listener.listen(self._backlog)
            self._listener.setblocking(False)
            self._listening = True
        watched = self._listener in {key.fileobj for key in self._selector.get_map().values()}
        if serving and not watched:
            self._selector.register(self._listener, selectors.EVENT_READ)
        elif not serving and watched:
            self._selector.unregister(self._listener)

    def _serving(self) -> list[_Worker]:
        return sorted((w for w in self._workers.values() if w.ready), key=lambda w: w.slot)

    def _next_worker(self, tried: set[int]) -> _Worker | None:
        serving = self._serving()
        for offset in range(len(serving)):
            worker = serving[(self._turn + offset) % len(serving)]
            if worker.slot not in tried:
                return worker
        return None

    def _accept_waiting(self) -> None:
        while not self._stopped and any(w.ready for w in self._workers.values()):
            try:
                connection, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors, or the like: try again later
                log.warning("accept failed", extra={"error": str(exc)})
                time.sleep(_ACCEPT_RETRY_SECONDS)  # the port stays readable: do not spin
                return
            with connection:  # the worker has its own descriptor of it once sent
                if not self._hand_to_any(connection):
                    log.warning("no worker could take a connection: it was closed")

    def _hand_to_any(self, connection: socket.socket) -> bool:
        """Hand ``connection`` to the best worker that takes it; when every channel is full
        (the workers are stuck), wait a little for one to drain."""
        for attempt in range(2):
            tried: set[int] = set()
            while (worker := self._next_worker(tried)) is not None:
                if self._hand(worker, connection):
                    return True
                tried.add(worker.slot)
            if attempt == 0 and tried:
                channels = [w.channel for w in self._workers.values() if w.ready]
                with selectors.DefaultSelector() as waiting:
                    for channel in channels:
                        waiting.register(channel, selectors.EVENT_WRITE)
                    waiting.select(_FULL_WAIT_SECONDS)
        return False

    def _hand(self, worker: _Worker, connection: socket.socket) -> bool:
        """Send ``connection`` to ``worker``; False when that worker can take none now."""
        try:
            socket.send_fds(worker.channel, [_CONNECTION], [connection.fileno()])
        except BlockingIOError:  # its queue is full (it is stuck: the pings will tell)
            return False
        except OSError:
            self._drop(worker)
            return False
        self._turn += 1
        return True
