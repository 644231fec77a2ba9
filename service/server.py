"""Run the service with uvicorn: ``serve(host, port, workers, settings)``.

One worker runs the app object built here. Several workers need an import string, so each
worker process builds its own app with ``create_app()`` from ``AUTOHEAL_*`` variables: the given
settings are exported to the environment for them, along with two shared places that ``serve``
creates and removes: the Prometheus multiprocess directory and the reload signal file.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from pydantic import SecretStr

from service._logging import log_config
from service._metrics import MULTIPROC_ENV
from service._workers import connections_can_be_handed, run_workers
from service.settings import Settings

APP_FACTORY = "service.app:create_app"
ENV_PREFIX = "AUTOHEAL_"


def _loop_options(shared_socket: bool) -> dict[str, str]:
    """The event loop and HTTP parser: the plain asyncio loop, unless several processes accept
    from one shared socket (then uvloop); httptools (with ``TCP_NODELAY``) when installed.

    Classifying a log is CPU work done on the event loop, and under load uvloop serves some
    connections far later than others. Measured with 32 connections on one worker (wrk, 20 KB
    logs): p50 65 ms but p99 640 ms with uvloop, p50 56 ms and p99 79 ms with asyncio, at a
    higher rate (552 against 479 requests/s); a bare ASGI app that only burns 1.7 ms per request
    shows the same tail, so it is the loop's, not the app's.

    When processes share one listening socket (where connections cannot be handed to workers,
    see ``service._workers``), asyncio's loop accepts every waiting connection at
    once: the worker that woke first took all 32 connections of a load test while the other
    idled. uvloop spreads them.
    """
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    if shared_socket and importlib.util.find_spec("uvloop"):
        return {"loop": "uvloop", "http": http}
    if http == "httptools":
        http = "service._http_protocol:NoDelayHttpToolsProtocol"
    return {"loop": "asyncio", "http": http}


def settings_env(settings: Settings) -> dict[str, str | None]:
    """``AUTOHEAL_*`` variables that rebuild ``settings`` (None: the variable must be unset)."""
    env: dict[str, str | None] = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        key = ENV_PREFIX + name.upper()
        if value is None:
            env[key] = None
        elif isinstance(value, SecretStr):
            env[key] = value.get_secret_value()
        elif isinstance(value, bool):
            env[key] = "true" if value else "false"
        else:
            env[key] = str(value)
    return env


@contextmanager
def _environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in changes}
    try:
        for key, value in changes.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _uvicorn_options(settings: Settings, *, shared_socket: bool) -> dict[str, Any]:
    return {
        "log_config": log_config(settings.log_level),
        "access_log": False,  # the service logs each request itself, with its request id
        "server_header": False,
        # A worker answers the supervisor's pings only between imports; importing scikit-learn on
        # a busy machine can exceed uvicorn's 5 s default and get a healthy worker killed.
        "timeout_worker_healthcheck": 60,
        **_loop_options(shared_socket),
    }


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    settings: Settings | None = None,
) -> None:
    """Serve until interrupted, with ``workers`` processes."""
    settings = settings if settings is not None else Settings()
    if workers <= 1:
        from service.app import create_app

        options = _uvicorn_options(settings, shared_socket=False)
        uvicorn.run(create_app(settings), host=host, port=port, **options)
        return
    shared = Path(tempfile.mkdtemp(prefix="autoheal-serve-"))
    try:
        metrics_dir = shared / "metrics"
        metrics_dir.mkdir()
        multi = settings.model_copy(update={"reload_signal_file": shared / "reload-signal"})
        env = settings_env(multi)
        env[MULTIPROC_ENV] = os.environ.get(MULTIPROC_ENV) or str(metrics_dir)
        with _environment(env):
            if connections_can_be_handed():
                options = _uvicorn_options(settings, shared_socket=False)
                timeout = settings.process_ping_timeout_seconds
                status = run_workers(
                    APP_FACTORY, host, port, workers, options, ping_timeout=timeout
                )
                if status:
                    raise SystemExit(status)
                return
            uvicorn.run(
                APP_FACTORY,
                factory=True,
                workers=workers,
                host=host,
                port=port,
                **_uvicorn_options(settings, shared_socket=True),
            )
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    """``python -m service [--host H] [--port P] [--workers N]``; settings from env."""
    parser = argparse.ArgumentParser(description="Serve the autoheal classifier over HTTP.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    serve(host=args.host, port=args.port, workers=args.workers)
