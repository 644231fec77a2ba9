"""Helpers for the second set of timeout, resource, network, auth and rate-limit families.

These families reach tools outside the nine ``ECOSYSTEMS`` (PHP, Elixir, Swift, Dart, Scala,
Terraform, Bazel, PowerShell on Windows runners). Each such family declares the ecosystem whose
runner set-up is closest and says which in its docstring. Name pools shared with the first set
live in ``_common_b``; this module adds what those tools need, and a ``failure`` builder that can
restrict a failure to the CI formats whose runner writes its text.
"""

from __future__ import annotations

import random

from datasets.generator._types import Failure

from . import _common_b as c
from ._common_b import family as family  # re-exported for the families of this round

WINDOWS_ECOSYSTEMS: tuple[str, ...] = ("dotnet", "node", "python", "cpp", "rust")
"""Ecosystems whose jobs commonly run on a Windows runner."""

PHP_PACKAGES: tuple[str, ...] = (
    "monolog/monolog",
    "guzzlehttp/guzzle",
    "symfony/console",
    "laravel/framework",
    "doctrine/orm",
    "phpunit/phpunit",
    "league/flysystem",
    "nesbot/carbon",
)
HEX_PACKAGES: tuple[str, ...] = (
    "jason",
    "phoenix",
    "ecto_sql",
    "plug_cowboy",
    "telemetry",
    "postgrex",
    "finch",
    "oban",
)
SWIFT_PACKAGES: tuple[str, ...] = (
    "swift-nio",
    "swift-log",
    "swift-argument-parser",
    "Alamofire",
    "swift-collections",
    "SnapKit",
)
DART_PACKAGES: tuple[str, ...] = (
    "http",
    "provider",
    "flutter_lints",
    "shared_preferences",
    "dio",
    "riverpod",
    "json_annotation",
)
TERRAFORM_PROVIDERS: tuple[str, ...] = (
    "hashicorp/aws",
    "hashicorp/google",
    "hashicorp/azurerm",
    "hashicorp/kubernetes",
    "hashicorp/random",
    "cloudflare/cloudflare",
)


def failure(
    label: str,
    lines: list[str],
    step: str,
    command: str,
    exit_code: int | None,
    tool: str,
    runner_errors: tuple[str, ...] = (),
    formats: tuple[str, ...] = (),
) -> Failure:
    """A ``Failure`` tagged with the tool that printed it, optionally tied to some formats."""
    return Failure(
        label, lines, step, command, exit_code, runner_errors, tags=(tool,), formats=formats
    )


def uuid(rng: random.Random) -> str:
    return "-".join(c.hexid(rng, n) for n in (8, 4, 4, 4, 12))


def win_workdir(name: str) -> str:
    """The checkout directory on a hosted Windows runner."""
    return f"D:\\a\\{name}\\{name}"


def ps_script(rng: random.Random) -> str:
    """The script file the Windows runner writes for a ``run:`` step with ``shell: pwsh``."""
    return f"D:\\a\\_temp\\{uuid(rng)}.ps1"


def powershell_error(
    rng: random.Random,
    cmdlet: str,
    statement: str,
    message: str,
    category: str,
    error_id: str,
) -> list[str]:
    """An uncaught PowerShell error, in the 5.1 (``NormalView``) or 7.x (``ConciseView``) layout."""
    script = ps_script(rng)
    line_no = rng.randint(1, 30)
    under = "~" * len(statement)
    if rng.random() < 0.5:
        return [
            f"{cmdlet}: {script}:{line_no}",
            "Line |",
            f"{line_no:4d} |  {statement}",
            f"     |  {under}",
            f"     | {message}",
        ]
    return [
        f"{cmdlet} : {message}",
        f"At {script}:{line_no} char:1",
        f"+ {statement}",
        f"+ {under}",
        f"    + CategoryInfo          : {category}",
        f"    + FullyQualifiedErrorId : {error_id}",
        " ",
    ]


def duration_go(rng: random.Random) -> str:
    """A Go-style duration such as ``20m0s``."""
    return f"{rng.choice((5, 10, 15, 20, 30, 45))}m0s"


def php_workdir(rng: random.Random) -> str:
    return rng.choice(("/app", "/var/www/html", c.workdir(rng, c.repo(rng))))


def terse(rng: random.Random, lines: list[str], keep: int) -> list[str]:
    """The last ``keep`` lines of ``lines``, as someone pastes only the tail of a log."""
    return lines[-keep:] if rng.random() < 0.5 else lines
