"""Several service processes on one port: the supervisor accepts, the workers serve.

With one shared listening socket (uvicorn's own ``--workers``), whichever process wakes first
accepts the waiting connections, and keep-alive clients stay wherever they landed: under load
one worker can hold most connections while another idles, and the latency tail is the busy
worker's. With a socket per process (``SO_REUSEPORT``) the kernel spreads new connections by a
hash of their addresses: 32 connections came out between 11/21 and 15/17 on two workers, and
the worker holding 21 answers each of them later. Here the supervisor accepts and hands the
connections to the workers in turn (``service._handoff``): 16/16.

The supervisor starts the processes, restarts one that dies (later and later when it keeps dying
right after starting; never one that fails at start-up, which would fail again), and stops them
all on SIGINT or SIGTERM. It pings each one through a pipe: a worker that stops answering (hung,
or stopped) is killed and replaced. POSIX only (file descriptors passed over Unix sockets):
elsewhere uvicorn's own supervisor is used.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import logging.config
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Final, cast

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from service._handoff import READY, Dispatcher

log = logging.getLogger("autoheal.workers")

BACKLOG: Final = 2048
STOP_TIMEOUT_SECONDS: Final = 30.0
# A worker that dies this soon after it started is restarted after 1, 3, 7 ... seconds (at most
# MAX_RESTART_DELAY), so that a crash loop does not spin; a longer-lived one at once.
QUICK_DEATH_SECONDS: Final = 10.0
MAX_RESTART_DELAY: Final = 30.0


def connections_can_be_handed() -> bool:
    """Whether this platform passes sockets between processes (``socket.send_fds``)."""
    return os.name == "posix" and hasattr(socket, "send_fds")


def _socket(host: str, port: int) -> socket.socket:
    """The service's port, bound; it listens once a worker serves (see ``Dispatcher``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def _answer_pings(conn: Connection) -> None:
    """In each worker: answer the supervisor's pings (a hung process cannot)."""
    while True:
        try:
            conn.recv()
            conn.send(b"pong")
        except (EOFError, OSError):
            return  # the supervisor is gone


class _HandedConnectionsServer(uvicorn.Server):
    """A uvicorn server with no socket of its own: it serves the connections the supervisor
    sends over ``channel``, from when its app has started."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel
        self._tasks: set[asyncio.Task[Any]] = set()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the lifespan: the model is loaded when it returns
        if self.should_exit:
            return
        loop = asyncio.get_running_loop()
        self.channel.setblocking(False)
        # uvicorn's HTTP protocols take these keywords (``Server.startup`` builds them alike).
        protocol_class = cast(Callable[..., asyncio.Protocol], self.config.http_protocol_class)
        protocol = functools.partial(
            protocol_class,
            config=self.config,
            server_state=self.server_state,
            app_state=self.lifespan.state,
        )
        loop.add_reader(self.channel.fileno(), self._receive, loop, protocol)
        self.channel.send(READY)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        await super().shutdown(sockets)

    def _receive(
        self, loop: asyncio.AbstractEventLoop, protocol: Callable[[], asyncio.Protocol]
    ) -> None:
        while True:
            try:
                message, fds, _, _ = socket.recv_fds(self.channel, 1, 1)
            except BlockingIOError:
                return
            except OSError:
                message, fds = b"", []
            if not message:  # the supervisor is gone: finish what is in flight and stop
                loop.remove_reader(self.channel.fileno())
                self.should_exit = True
                return
            if not fds:
                continue
            connection = socket.socket(fileno=fds[0])
            connection.setblocking(False)
            task = loop.create_task(loop.connect_accepted_socket(protocol, connection))
            self._tasks.add(task)
            task.add_done_callback(self._connected)

    def _connected(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:  # reset before it was served
            log.debug("a handed connection failed", extra={"error": str(task.exception())})


def _serve_one(
    app: str, options: dict[str, Any], channel: socket.socket, pings: Connection
) -> None:
    """One worker process: uvicorn serving the connections handed over ``channel``."""
    threading.Thread(target=_answer_pings, args=(pings,), daemon=True).start()
    config = uvicorn.Config(app, factory=True, **options)
    _HandedConnectionsServer(config, channel).run()


class _Pings:
    """The supervisor's side of one worker's ping pipe."""

    def __init__(self, conn: Connection, now: float) -> None:
        self.conn = conn
        self.answered = now  # when it last answered (or started)
        self.sent: float | None = None

    def check(self, now: float, interval: float, timeout: float) -> bool:
        """Ping when due, read answers; False when the worker has not answered for ``timeout``."""
        try:
            while self.conn.poll():
                self.conn.recv()
                self.answered, self.sent = now, None
            if self.sent is None and now - self.answered >= interval:
                self.conn.send(b"ping")
                self.sent = now
        except (EOFError, OSError):
            return True  # the worker is gone: its death is noticed as such
        return self.sent is None or now - self.sent < timeout


def run_workers(
    app: str,
    host: str,
    port: int,
    workers: int,
    options: dict[str, Any],
    *,
    ping_timeout: float = 60.0,
) -> int:
    """Serve ``app`` (an import string of an app factory) from ``workers`` processes until
    SIGINT or SIGTERM; the exit status (1 when a worker could not start). A worker that answers
    no ping for ``ping_timeout`` seconds is killed and replaced."""
    if options.get("log_config"):
        logging.config.dictConfig(options["log_config"])
    listener = _socket(host, port)  # bound for the whole run: the port is ours
    port = int(listener.getsockname()[1])
    dispatcher = Dispatcher(listener, BACKLOG)
    dispatching = threading.Thread(target=dispatcher.run, name="autoheal-dispatch", daemon=True)
    dispatching.start()
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    status = 0

    started_at = [0.0] * workers
    quick_deaths = [0] * workers  # in a row, per slot
    restart_at = [0.0] * workers

    pings: list[_Pings | None] = [None] * workers

    def start(index: int) -> BaseProcess:
        previous_pings = pings[index]
        if previous_pings is not None:
            previous_pings.conn.close()
        ours, theirs = context.Pipe()
        # A stream: a datagram socket's queue holds only about ten messages (a burst of new
        # connections would not fit).
        channel, worker_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        process = context.Process(target=_serve_one, args=(app, options, worker_end, theirs))
        process.start()
        theirs.close()
        worker_end.close()
        dispatcher.attach(index, channel)
        started_at[index] = time.monotonic()
        pings[index] = _Pings(ours, started_at[index])
        return process

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start(index) for index in range(workers)]
    log.info("serving", extra={"url": f"http://{host}:{port}", "workers": workers})
    try:
        while not stop.wait(0.5):
            now = time.monotonic()
            for index, process in enumerate(processes):
                ping = pings[index]
                if process.is_alive() and ping is not None:
                    if ping.check(now, ping_timeout / 6, ping_timeout):
                        continue
                    log.error("a worker stopped answering: killing it", extra={"pid": process.pid})
                    process.kill()
                    process.join()
                if process.is_alive() or now < restart_at[index]:
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    log.error("a worker failed to start: stopping", extra={"pid": process.pid})
                    status = 1
                    stop.set()
                    break
                if restart_at[index] == 0.0:  # just found dead: when to start its successor
                    quick = now - started_at[index] < QUICK_DEATH_SECONDS
                    quick_deaths[index] = quick_deaths[index] + 1 if quick else 0
                    delay = min(MAX_RESTART_DELAY, 2.0 ** quick_deaths[index] - 1)
                    log.warning(
                        "a worker died: restarting it",
                        extra={"pid": process.pid, "exitcode": process.exitcode, "delay": delay},
                    )
                    restart_at[index] = now + delay
                    if delay:
                        continue
                restart_at[index] = 0.0
                processes[index] = start(index)
    finally:
        dispatcher.close()  # no new connection; those in the backlog are refused
        dispatching.join(STOP_TIMEOUT_SECONDS)
        listener.close()
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes requests in flight
        for process in processes:
            process.join(STOP_TIMEOUT_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
