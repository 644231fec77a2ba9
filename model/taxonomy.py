"""The fixed label set: every labelled log, prediction and API response uses these names.

A log is labelled by the root cause shown by its first decisive error, not by the step that
happened to report it.
"""

from __future__ import annotations

from typing import Final

DESCRIPTIONS: Final[dict[str, str]] = {
    "dependency_install": (
        "A package or dependency cannot be resolved, downloaded or installed, "
        "or a third-party module is missing at import."
    ),
    "compilation": "Source code fails to compile, transpile or link.",
    "test_failure": "The test suite ran and tests failed.",
    "lint_format": "A linter, formatter or static type checker reported violations.",
    "schema_validation": ("Data, configuration or API payloads fail a schema or validation check."),
    "timeout": "A job, step or test exceeded its time limit or was cancelled for time.",
    "resource_exhaustion": "The runner ran out of memory, disk, or another finite resource.",
    "network": "A transient network failure talking to some host.",
    "auth_permission": "Credentials are missing, wrong or lack permission.",
    "rate_limit": "An API or registry refused for too many requests.",
    "workflow_config": "The CI configuration itself is invalid or incomplete.",
    "missing_file": "A file, directory, artifact or executable does not exist.",
    "runtime_error": "A program or script crashed outside the test suite.",
    "infrastructure": "The CI host or its services failed, not the code.",
    "unknown": "None of the above, or too little evidence.",
}

LABELS: Final[tuple[str, ...]] = tuple(DESCRIPTIONS)
"""The 15 labels, in the taxonomy's order (also the column order of ``probabilities``)."""

UNKNOWN: Final = "unknown"

TRANSIENT: Final[frozenset[str]] = frozenset({"network", "rate_limit", "infrastructure"})
"""Categories a re-run may fix without a code change."""


def check_label(label: str) -> str:
    """Return ``label`` unchanged, or raise ``ValueError`` naming the valid labels."""
    if label not in DESCRIPTIONS:
        raise ValueError(f"unknown label {label!r}; expected one of: {', '.join(LABELS)}")
    return label
