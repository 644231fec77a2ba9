"""A fix plan for each category, written with the names the log gives.

Plans are ordered steps in Markdown. Log-derived names are always shown as inline code (see
:func:`service.remediation._sanitize.inline_code`), never as free text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from service.remediation._names import LogNames
from service.remediation._sanitize import inline_code


def _list(values: tuple[str, ...], fallback: str) -> str:
    return ", ".join(inline_code(v) for v in values) if values else fallback


def _dependency(n: LogNames) -> list[str]:
    pkgs = _list(n.packages, "the package named in the evidence")
    return [
        f"Check that {pkgs} exists under that name and that the requested version is published "
        "for this platform and language version.",
        "Fix the requirement in the manifest (or add the missing dependency) and refresh the "
        f"lock file{' ' + _list(n.files, '') if n.files else ''}.",
        "Install from a clean environment locally to confirm the resolver succeeds.",
    ]


def _compilation(n: LogNames) -> list[str]:
    where = _list(n.files, "the source named in the evidence")
    return [
        f"Open {where} at the reported line and fix the compile error shown in the evidence.",
        "Check recent changes to signatures, imports or types the failing code depends on.",
        f"Rebuild locally{' with ' + _list(n.commands, '') if n.commands else ''} until it compiles.",
    ]


def _tests(n: LogNames) -> list[str]:
    tests = _list(n.tests, "the failing tests")
    return [
        f"Reproduce {tests} locally and read the assertion message in the evidence.",
        f"Decide whether the code or the test is wrong; fix it{' in ' + _list(n.files, '') if n.files else ''}.",
        "Run the whole suite again to make sure nothing else broke.",
    ]


def _lint(n: LogNames) -> list[str]:
    return [
        f"Run the linter/formatter named in the log{' (' + _list(n.commands, '') + ')' if n.commands else ''} locally.",
        f"Fix the reported violations{' in ' + _list(n.files, '') if n.files else ''}, or apply the "
        "formatter's changes.",
        "Do not silence rules unless the finding is a false positive; say why if you do.",
    ]


def _schema(n: LogNames) -> list[str]:
    return [
        f"Validate {_list(n.files, 'the data or configuration named in the evidence')} against its schema.",
        "Fix the offending field, or update the schema if the data is right and the schema is stale.",
    ]


def _timeout(n: LogNames) -> list[str]:
    return [
        f"Find what is slow{': ' + _list(n.tests, '') if n.tests else ''}; compare its duration with earlier runs.",
        "Fix a hang or slowdown in the code first; raise the time limit only if the work truly grew.",
    ]


def _resources(n: LogNames) -> list[str]:
    return [
        "Find which step exhausted memory, disk or file handles (the evidence names it).",
        "Reduce the footprint (parallelism, caches, artifacts) or use a larger runner.",
    ]


def _auth(n: LogNames) -> list[str]:
    return [
        f"Check the credentials used{' for ' + _list(n.hosts, '') if n.hosts else ''}: the secret exists, "
        "has not expired, and has the needed scopes.",
        "Check the workflow's `permissions:` block grants what the step needs.",
    ]


def _workflow(n: LogNames) -> list[str]:
    return [
        f"Fix the workflow definition{' ' + _list(n.files, '') if n.files else ''}: the evidence names "
        "the invalid key, action or missing input.",
        "Check that every referenced secret and variable is defined for this repository.",
    ]


def _missing(n: LogNames) -> list[str]:
    what = _list(n.files + n.commands, "the missing file or command named in the evidence")
    return [
        f"Find out why {what} is absent: a wrong path, a step that did not produce it, or a tool "
        "that is not installed.",
        "Fix the path or add the step that creates or installs it.",
    ]


def _runtime(n: LogNames) -> list[str]:
    return [
        f"Read the traceback or crash in the evidence{' (' + _list(n.files, '') + ')' if n.files else ''}.",
        f"Reproduce{' ' + _list(n.commands, '') if n.commands else ' the failing command'} locally and "
        "fix the cause.",
    ]


def _transient(n: LogNames) -> list[str]:
    return [
        f"The failure looks transient{' (' + _list(n.hosts, '') + ')' if n.hosts else ''} but came back "
        "after a re-run.",
        "Add retries with back-off around the failing call, pin or mirror the external service, "
        "or check the service's status.",
    ]


def _unknown(n: LogNames) -> list[str]:
    return ["Read the evidence and the full log; label the issue with the right category."]


_PLANS: Final[dict[str, Callable[[LogNames], list[str]]]] = {
    "dependency_install": _dependency,
    "compilation": _compilation,
    "test_failure": _tests,
    "lint_format": _lint,
    "schema_validation": _schema,
    "timeout": _timeout,
    "resource_exhaustion": _resources,
    "network": _transient,
    "auth_permission": _auth,
    "rate_limit": _transient,
    "workflow_config": _workflow,
    "missing_file": _missing,
    "runtime_error": _runtime,
    "infrastructure": _transient,
    "unknown": _unknown,
}


def fix_plan(category: str, names: LogNames) -> list[str]:
    """Ordered steps (Markdown, without numbering) to fix a failure of ``category``."""
    return _PLANS.get(category, _unknown)(names)
