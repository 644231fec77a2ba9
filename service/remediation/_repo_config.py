"""What a repository asks of autoheal, in ``.github/autoheal.toml`` on its default branch.

One service serves many repositories; each repository's maintainers decide for their own, in a
file they review like any other::

    enabled = true                     # false: autoheal opens and comments on nothing here
    threshold = 0.85                   # confidence needed for a fix PR (or a re-run)
    triage_only = ["infrastructure"]   # categories that only ever get a needs-triage issue

A missing file means the defaults. A file that does not parse or holds unknown keys or
categories is reported (the heal says so) and the defaults apply: a typo never stops triage.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any, Final

from model.taxonomy import LABELS

CONFIG_PATH: Final = ".github/autoheal.toml"
MAX_CONFIG_BYTES: Final = 64 * 1024
_KEYS: Final = frozenset({"enabled", "threshold", "triage_only"})


class RepoConfigError(ValueError):
    """The repository's file is not a valid configuration; the message says what is wrong."""


@dataclass(frozen=True)
class RepoPolicy:
    enabled: bool = True
    threshold: float | None = None  # None: the service's (or the command's) threshold
    triage_only: frozenset[str] = frozenset()


DEFAULT_POLICY: Final = RepoPolicy()


def _threshold(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise RepoConfigError(f"threshold must be a number from 0 to 1, got {value!r}")
    return float(value)


def _categories(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RepoConfigError(f"triage_only must be a list of categories, got {value!r}")
    unknown = sorted(set(value) - set(LABELS))
    if unknown:
        raise RepoConfigError(
            f"triage_only: unknown categories {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(LABELS)}"
        )
    return frozenset(value)


def parse_repo_config(data: bytes) -> RepoPolicy:
    """The policy a file states; :class:`RepoConfigError` when it states something invalid."""
    if len(data) > MAX_CONFIG_BYTES:
        raise RepoConfigError(f"the file is larger than {MAX_CONFIG_BYTES} bytes")
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise RepoConfigError("the file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise RepoConfigError(f"not valid TOML: {exc}") from None
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise RepoConfigError(
            f"unknown keys {', '.join(map(repr, unknown))}; known: {', '.join(sorted(_KEYS))}"
        )
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RepoConfigError(f"enabled must be true or false, got {enabled!r}")
    threshold = _threshold(table["threshold"]) if "threshold" in table else None
    triage_only = _categories(table.get("triage_only", []))
    return RepoPolicy(enabled, threshold, triage_only)
