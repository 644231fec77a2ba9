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
from service.settings import Settings

APP_FACTORY = "service.app:create_app"
ENV_PREFIX = "AUTOHEAL_"


def _fast_loop_options() -> dict[str, str]:
    """uvloop and httptools when installed: with plain asyncio, keep-alive answers lag ~40 ms."""
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return {"loop": loop, "http": http}


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


def _uvicorn_options(host: str, port: int, settings: Settings) -> dict[str, Any]:
    return {
        "host": host,
        "port": port,
        "log_config": log_config(settings.log_level),
        "access_log": False,  # the service logs each request itself, with its request id
        "server_header": False,
        # A worker answers the supervisor's pings only between imports; importing scikit-learn on
        # a busy machine can exceed uvicorn's 5 s default and get a healthy worker killed.
        "timeout_worker_healthcheck": 60,
        **_fast_loop_options(),
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

        uvicorn.run(create_app(settings), **_uvicorn_options(host, port, settings))
        return
    shared = Path(tempfile.mkdtemp(prefix="autoheal-serve-"))
    try:
        metrics_dir = shared / "metrics"
        metrics_dir.mkdir()
        multi = settings.model_copy(update={"reload_signal_file": shared / "reload-signal"})
        env = settings_env(multi)
        env[MULTIPROC_ENV] = os.environ.get(MULTIPROC_ENV) or str(metrics_dir)
        with _environment(env):
            uvicorn.run(
                APP_FACTORY,
                factory=True,
                workers=workers,
                **_uvicorn_options(host, port, settings),
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
