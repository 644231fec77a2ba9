"""Helpers for the second set of workflow, file, crash, host and unknown families.

Windows runners (``D:\\a\\<repo>\\<repo>`` checkouts, PowerShell's error records), small
language-neutral builders, and the ecosystem tuples the families declare. Everything draws from
the ``random.Random`` it is given, so families built on these stay deterministic per seed.
"""

from __future__ import annotations

import random

from .._types import ECOSYSTEMS
from ._common_c import hexstr, pick, progress, repo

ALL: tuple[str, ...] = tuple(ECOSYSTEMS)

# Languages without an ecosystem of their own are declared under the closest runner set-up:
# PHP and Elixir (scripting languages with a bundler-like package manager) under ``ruby``,
# Swift and Haskell (native compilers) under ``cpp``, Dart/Flutter (whose mobile builds run the
# Android Gradle toolchain) under ``java``.
PHP_LIKE: tuple[str, ...] = ("ruby",)
ELIXIR_LIKE: tuple[str, ...] = ("ruby",)
NATIVE_LIKE: tuple[str, ...] = ("cpp",)
FLUTTER_LIKE: tuple[str, ...] = ("java",)

WINDOWS_CI: tuple[str, ...] = ("github_actions", "azure")
"""The formats whose hosted Windows agents print PowerShell and ``D:\\a\\...`` paths."""


def win_workdir(rng: random.Random, name: str | None = None) -> str:
    """The checkout directory of a GitHub-hosted Windows runner."""
    name = name or repo(rng)
    return f"D:\\a\\{name}\\{name}"


def uuid(rng: random.Random) -> str:
    return "-".join(hexstr(rng, n) for n in (8, 4, 4, 4, 12))


def win_temp_script(rng: random.Random) -> str:
    """The temporary ``.ps1`` file the Windows runner writes a ``pwsh`` step's script into."""
    return f"D:\\a\\_temp\\{uuid(rng)}.ps1"


def ps_error_record(
    rng: random.Random, category: str, source: str, underline: str, message: str
) -> list[str]:
    """PowerShell 7's concise error view of a terminating error.

    ``category`` heads the record (``Get-Content``, ``ParserError``, ...); ``source`` is the
    script line the error points at and ``underline`` the part of it marked with ``~``.
    """
    line = rng.randint(1, 12)
    start = max(0, source.find(underline))
    width = max(1, len(underline))
    return [
        f"{category}: {win_temp_script(rng)}:{line}",
        "Line |",
        f"{line:>4} |  {source}",
        f"     |  {' ' * start}{'~' * width}",
        f"     | {message}",
    ]


def run_id(rng: random.Random) -> str:
    return f"{rng.randint(6, 14)}{rng.randint(10**8, 10**9 - 1)}"


def exit_word(rng: random.Random, code: int) -> str:
    """A tool's way of saying a child process exited with ``code``."""
    return pick(
        rng,
        (
            f"exit status {code}",
            f"exited with code {code}",
            f"exit code {code}",
            f"returned non-zero exit status {code}",
        ),
    )


def pad(rng: random.Random, eco: str, lines: list[str], low: int = 1, high: int = 3) -> list[str]:
    """``lines`` after some ordinary output of ``eco`` when they are a single line.

    A one-line error is how a terse tool fails, but the step printed something before it.
    """
    if len(lines) >= 2:
        return lines
    return progress(rng, eco, low, high) + lines
