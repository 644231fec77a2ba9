"""Test commands: run with ``/bin/sh -c`` at the repository root, under a timeout.

Only the tail of the output is kept (a chatty command cannot fill memory), with secrets
redacted before it goes into a report or an issue. On timeout the whole process group is
stopped, so a test runner's children do not outlive the check.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from io import BufferedReader
from pathlib import Path
from typing import Final

from autoheal.validate._config import CommandCheck
from autoheal.validate._results import CheckResult, Problem
from model.redact import redact_secrets

TAIL_BYTES: Final = 64 * 1024
TAIL_LINES: Final = 200
KILL_GRACE: Final = 5.0


@dataclass(frozen=True)
class CommandOutcome:
    exit_code: int | None  # None: stopped at the timeout
    timed_out: bool
    tail: str  # redacted, at most TAIL_LINES lines


class _Tail:
    """Keeps the last ``TAIL_BYTES`` of a stream read in a background thread."""

    def __init__(self, stream: BufferedReader) -> None:
        self.data = bytearray()
        self.thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self.thread.start()

    def _pump(self, stream: BufferedReader) -> None:
        with stream:
            while chunk := stream.read1(65536):
                self.data += chunk
                if len(self.data) > 2 * TAIL_BYTES:
                    del self.data[: len(self.data) - TAIL_BYTES]

    def text(self) -> str:
        raw = bytes(self.data[-TAIL_BYTES:])
        lines = raw.decode("utf-8", errors="replace").splitlines()[-TAIL_LINES:]
        return redact_secrets("\n".join(lines))


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group, SIGKILL after a grace period."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=KILL_GRACE)
            return
        except subprocess.TimeoutExpired:
            continue


def run_command(
    command: str, root: Path, timeout: float, env: Mapping[str, str] | None = None
) -> CommandOutcome:
    full_env = {**os.environ, **(env or {})}
    process = subprocess.Popen(
        ["/bin/sh", "-c", command],
        cwd=root,
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as a whole on timeout
    )
    assert isinstance(process.stdout, BufferedReader)
    tail = _Tail(process.stdout)
    timed_out = False
    try:
        code: int | None = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out, code = True, None
        _stop(process)
    finally:
        if process.poll() is None:  # interrupted: do not leave it running
            _stop(process)
    # A grandchild that left the group may still hold the pipe: do not wait for it forever.
    tail.thread.join(timeout=KILL_GRACE)
    return CommandOutcome(code, timed_out, tail.text())


def check_command(check: CommandCheck, root: Path) -> CheckResult:
    result = CheckResult(check.name, "command")
    started = time.monotonic()
    try:
        outcome = run_command(check.run, root, check.timeout, check.env)
    except OSError as exc:
        result.fail(Problem(f"cannot start the command: {exc.strerror or exc}"), 1)
        result.summary = "could not start"
        return result
    result.seconds = time.monotonic() - started
    result.details = {
        "command": redact_secrets(check.run),
        "exit_code": outcome.exit_code,
        "timed_out": outcome.timed_out,
        "timeout": check.timeout,
        "output_tail": outcome.tail,
    }
    if outcome.timed_out:
        result.fail(Problem(f"timed out after {check.timeout:g}s and was stopped"), 1)
        result.summary = f"timed out after {check.timeout:g}s"
    elif outcome.exit_code != 0:
        result.fail(Problem(f"exited with code {outcome.exit_code}"), 1)
        result.summary = f"exit code {outcome.exit_code}"
    else:
        result.summary = "passed"
    return result
