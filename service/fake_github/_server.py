"""Run the stand-in with uvicorn in a background thread (``serve``) or in the foreground
(``main``, for the console command)."""

from __future__ import annotations

import importlib.util
import threading
import time
from dataclasses import dataclass

import uvicorn

from service.fake_github._app import create_app
from service.fake_github._demo import (
    ACTIONS_TOKEN,
    DEMO_REPO,
    USER_TOKEN,
    add_default_tokens,
    seed_demo,
)
from service.fake_github._state import FakeGitHub

STARTUP_TIMEOUT_S = 10.0


@dataclass
class FakeGitHubServer:
    """A running stand-in: ``url`` is the server root, ``base_url`` the ``/api/v3`` one to give
    PyGithub (``Github(base_url=server.base_url, ...)``)."""

    url: str
    state: FakeGitHub
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/v3"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=STARTUP_TIMEOUT_S)

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C stops it)."""
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            self.stop()

    def __enter__(self) -> FakeGitHubServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _loop_options() -> dict[str, str]:
    # With plain asyncio every keep-alive answer waits ~40 ms; uvloop/httptools do not.
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return {"loop": loop, "http": http}


def serve(
    host: str = "127.0.0.1", port: int = 0, *, demo: bool = True, state: FakeGitHub | None = None
) -> FakeGitHubServer:
    """Start the stand-in on ``host``:``port`` (0: a free port) in a daemon thread. Without a
    ``state``, a new one gets the default tokens and, with ``demo``, the demo repository."""
    if state is None:
        state = FakeGitHub()
        add_default_tokens(state)
        if demo:
            seed_demo(state)
    config = uvicorn.Config(
        create_app(state),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        **_loop_options(),  # type: ignore[arg-type]
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fake-github", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the GitHub stand-in did not start on {host}:{port}")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()
    url_host = f"[{host}]" if ":" in host else host
    return FakeGitHubServer(f"http://{url_host}:{bound[1]}", state, server, thread)


def main(host: str = "127.0.0.1", port: int = 8765, demo: bool = True) -> None:
    """Serve in the foreground until interrupted, after printing where and with which tokens."""
    running = serve(host, port, demo=demo)
    print(f"GitHub REST stand-in at {running.base_url}")
    print(f"  token {ACTIONS_TOKEN!r}: github-actions[bot] (actions, contents, issues)")
    print(f"  token {USER_TOKEN!r}: a maintainer (every permission)")
    if demo:
        runs = ", ".join(str(r.id) for r in running.state.runs_list())
        print(f"  demo repository {DEMO_REPO}, workflow runs {runs}")
    print(f"  admin: {running.url}/_fake (requests, faults, records)", flush=True)
    running.wait()
