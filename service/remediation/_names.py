"""Names a log gives for a failure (packages, files, tests, commands, hosts), for fix plans.

Patterns are the common shapes of the tools' own messages; anything not recognised is simply
absent, and the fix plan then speaks in general terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

_LIMIT: Final = 5

_PACKAGE: Final = (
    re.compile(r"No matching distribution found for ([A-Za-z0-9_.\-\[\]=<>~!,]+)"),
    re.compile(r"satisfies the requirement ([A-Za-z0-9_.\-\[\]=<>~!,]+)"),
    re.compile(r"No module named '([A-Za-z0-9_.]+)'"),
    re.compile(r"Cannot find module '([^'\s]+)'"),
    re.compile(r"npm (?:ERR!|error) 404 +Not Found - GET \S+/(@?[A-Za-z0-9_.\-/]+)"),
    re.compile(r"npm (?:ERR!|error) notarget No matching version found for (\S+)"),
    re.compile(r"failed to select a version for (?:the requirement )?`?([A-Za-z0-9_\-]+)"),
    re.compile(
        r"Could not resolve (?:dependencies for project |all files for )?([A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-:]+)"
    ),
    re.compile(r"Unable to locate package ([A-Za-z0-9_.+\-]+)"),
    re.compile(r"cannot find package \"([^\"]+)\""),
)
_TEST: Final = (
    re.compile(r"FAILED ([\w./-]+::[\w\[\]./:-]+)"),
    re.compile(r"--- FAIL: ([\w/.-]+)"),
    re.compile(r"(?:✕|×) (.{3,120}?)(?: \(\d+ ?ms\))?$"),
    re.compile(r"\b(test\w+)\(([\w.]+)\)"),
    re.compile(r"^\s*FAIL(?:ED)?:? +([\w./-]+\.(?:test|spec)\.[jt]sx?)"),
)
_FILE: Final = re.compile(
    r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.(?:py|pyi|js|jsx|ts|tsx|mjs|go|rs|java|kt|c|cc|cpp|h|hpp|"
    r"cs|rb|php|scala|swift|ya?ml|json|toml|cfg|ini|lock|txt|sh|gradle|xml|md|proto|sql))"
    r"(?::(\d+))?"
)
_COMMAND: Final = (
    re.compile(r"([\w./-]+): command not found"),
    re.compile(r"command not found: ([\w./-]+)"),
    re.compile(r"##\[command\](.{1,160})"),
    re.compile(r"^\s*\$ (.{1,160})"),
    re.compile(r"make: \*\*\* \[([^\]]+)\]"),
)
_HOST: Final = (
    re.compile(r"Could not resolve host:? '?([A-Za-z0-9.-]+)"),
    re.compile(r"(?:getaddrinfo|connect) [A-Z_]+ ([A-Za-z0-9.-]+\.[a-z]{2,})"),
    re.compile(r"https?://([A-Za-z0-9.-]+\.[a-z]{2,})"),
)
_NOT_FILES: Final = frozenset({"e.g", "i.e"})


@dataclass(frozen=True)
class LogNames:
    """What the evidence names, each list deduplicated in order of appearance."""

    packages: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()


def _collect(patterns: Iterable[re.Pattern[str]], lines: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for line in lines:
        for pattern in patterns:
            for match in pattern.finditer(line):
                value = match.group(1).strip().strip("`'\"")
                if value:
                    seen.setdefault(value, None)
    return tuple(seen)[:_LIMIT]


def names_in(lines: Iterable[str]) -> LogNames:
    """The names in ``lines`` (evidence texts, without timestamps)."""
    texts = [line[:2000] for line in lines]
    files: dict[str, None] = {}
    for line in texts:
        for match in _FILE.finditer(line):
            path = match.group(1)
            if path.lower() not in _NOT_FILES and not path.startswith("."):
                files.setdefault(f"{path}:{match.group(2)}" if match.group(2) else path, None)
    return LogNames(
        packages=_collect(_PACKAGE, texts),
        files=tuple(files)[:_LIMIT],
        tests=_collect(_TEST, texts),
        commands=_collect(_COMMAND, texts),
        hosts=_collect(_HOST, texts),
    )
