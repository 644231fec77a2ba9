"""Helpers for the service tests: toy logs, a toy model, and a uvicorn server on a free port."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import joblib
import pytest
import uvicorn

from model import extract_region
from model._features import build_pipeline, feature_text
from model.classifier import save_artifact

REPO_ROOT = Path(__file__).resolve().parents[1]

# Four toy failures: (label, failing step, decisive lines). {n} and {m} vary per log.
_TOY_FAILURES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "test_failure",
        "Run pytest",
        (
            "FAILED tests/test_api_{n}.py::test_case_{m} - AssertionError: assert {n} == {m}",
            "===== {m} failed, {n} passed in 3.{n}s =====",
        ),
    ),
    (
        "dependency_install",
        "Install dependencies",
        (
            "ERROR: Could not find a version that satisfies the requirement pkg{n}=={m}.0",
            "ERROR: No matching distribution found for pkg{n}=={m}.0",
        ),
    ),
    (
        "compilation",
        "Build",
        (
            "src/main_{n}.c:{m}:5: error: expected ';' before '}}' token",
            "make: *** [Makefile:{n}: build] Error 1",
        ),
    ),
    (
        "network",
        "Fetch sources",
        (
            "curl: (28) Connection timed out after {n}000 milliseconds",
            "fatal: unable to access 'https://git.example.test/repo{m}.git/': Could not resolve host",
        ),
    ),
)
TOY_LABELS = tuple(label for label, _, _ in _TOY_FAILURES)


def github_log(kind: int = 0, seed: int = 0, filler_lines: int = 40) -> str:
    """A GitHub Actions style job log of toy failure ``kind`` with ``filler_lines`` of output."""
    rng = random.Random(seed)
    _, step, lines = _TOY_FAILURES[kind % len(_TOY_FAILURES)]
    n, m = rng.randint(1, 99), rng.randint(1, 99)
    out = [
        "\ufeff2024-05-01T10:00:00.0000000Z ##[group]Run actions/checkout@v4",
        "2024-05-01T10:00:00.1000000Z ##[endgroup]",
        f"2024-05-01T10:00:01.0000000Z ##[group]{step}",
    ]
    for i in range(filler_lines):
        out.append(f"2024-05-01T10:00:02.{i:07d}Z step output line {i} value={rng.random():.6f}")
    out += [f"2024-05-01T10:00:03.0000000Z {line.format(n=n, m=m)}" for line in lines]
    out.append("2024-05-01T10:00:03.5000000Z ##[error]Process completed with exit code 1.")
    out.append("2024-05-01T10:00:04.0000000Z ##[endgroup]")
    return "\n".join(out) + "\n"


def github_log_of_size(size: int, kind: int = 0) -> bytes:
    """A toy log of about ``size`` bytes: the failure at its end, after filler output."""
    line_bytes = 70
    return github_log(kind, seed=size, filler_lines=max(1, size // line_bytes)).encode()


def build_toy_artifact(path: Path) -> Path:
    """Fit the real feature pipeline on toy logs of four labels and save it as an artifact."""
    texts: list[str] = []
    labels: list[str] = []
    for kind, label in enumerate(TOY_LABELS):
        for seed in range(12):
            texts.append(feature_text(extract_region(github_log(kind, seed, filler_lines=5))))
            labels.append(label)
    estimator = build_pipeline(min_df=1)
    estimator.fit(texts, labels)
    return save_artifact(path, estimator, model_version="test", abstain_below=0.0, provenance={})


def publish_version(source: Path, target: Path, version: str) -> None:
    """Publish ``source``'s estimator at ``target`` under another version, atomically."""
    payload = joblib.load(source)
    save_artifact(
        target,
        payload["estimator"],
        model_version=version,
        abstain_below=payload["abstain_below"],
        provenance={},
    )


def model_path(request: pytest.FixtureRequest, factory: pytest.TempPathFactory) -> Path:
    """The shared trained ``model_artifact`` fixture when the suite has one, else a toy model."""
    if os.environ.get("AUTOHEAL_TEST_TOY_MODEL"):
        return build_toy_artifact(factory.mktemp("service-model") / "toy.joblib")
    try:
        shared = request.getfixturevalue("model_artifact")
    except (pytest.FixtureLookupError, ImportError):
        # No shared fixture, or the training code it needs is not importable in this checkout.
        return build_toy_artifact(factory.mktemp("service-model") / "toy.joblib")
    return Path(shared)


@contextmanager
def uvicorn_thread(
    app: object, sock: socket.socket, *, loop: str = "uvloop", http: object = "httptools"
) -> Iterator[uvicorn.Server]:
    """Run uvicorn in a thread on ``sock`` (already bound) until the block ends."""
    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        log_config=None,
        access_log=False,
        loop=loop,
        http=http,  # type: ignore[arg-type]
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield server
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def live_server(app: object) -> Iterator[str]:
    """Serve ``app`` with uvicorn (uvloop, httptools) in a thread on 127.0.0.1; yield its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    try:
        with uvicorn_thread(app, sock):
            yield f"http://127.0.0.1:{port}"
    finally:
        sock.close()


def start_service(port: int, env: dict[str, str], stderr: IO[bytes], workers: int = 2) -> Any:
    """``python -m service`` in a subprocess (a ``subprocess.Popen``), its log on ``stderr``."""
    return subprocess.Popen(
        [sys.executable, "-m", "service", "--port", str(port), "--workers", str(workers)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
