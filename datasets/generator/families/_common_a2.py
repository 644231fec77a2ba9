"""Helpers for the second set of build-and-check families (the ``*_more`` modules).

They add what the first set lacks: name pools of other language ecosystems (PHP, Elixir, Swift,
Dart, Scala, Haskell), Windows and macOS runner paths, and the lines wrapper tools print when
they re-report a failing command (make, npm scripts, turbo, tox, nox). Every function takes the
caller's ``rng`` so an example is reproducible from its seed.
"""

from __future__ import annotations

import dataclasses
import random

from datasets.generator._types import Failure
from datasets.generator.families import _common_a as c

PHP_PACKAGES: tuple[str, ...] = (
    "laravel/framework",
    "symfony/console",
    "guzzlehttp/guzzle",
    "monolog/monolog",
    "doctrine/orm",
    "phpunit/phpunit",
    "league/flysystem",
    "nesbot/carbon",
    "symfony/http-kernel",
    "predis/predis",
    "ramsey/uuid",
    "vlucas/phpdotenv",
)
HEX_PACKAGES: tuple[str, ...] = tuple(
    [
        "phoenix",
        "ecto",
        "ecto_sql",
        "jason",
        "plug_cowboy",
        "postgrex",
        "oban",
        "tesla",
        "telemetry",
        "finch",
        "phoenix_live_view",
        "absinthe",
        "broadway",
        "nimble_options",
    ]
)
SWIFT_PACKAGES: tuple[str, ...] = tuple(
    [
        "swift-nio",
        "swift-log",
        "swift-argument-parser",
        "Alamofire",
        "swift-collections",
        "vapor",
        "swift-crypto",
        "GRDB.swift",
        "swift-composable-architecture",
        "Kingfisher",
    ]
)
DART_PACKAGES: tuple[str, ...] = tuple(
    [
        "http",
        "provider",
        "riverpod",
        "flutter_bloc",
        "dio",
        "intl",
        "freezed",
        "json_annotation",
        "go_router",
        "shared_preferences",
        "equatable",
        "build_runner",
    ]
)
SCALA_LIBS: tuple[tuple[str, str], ...] = (
    ("org.typelevel", "cats-core"),
    ("org.typelevel", "cats-effect"),
    ("com.typesafe.akka", "akka-actor-typed"),
    ("dev.zio", "zio"),
    ("io.circe", "circe-generic"),
    ("org.http4s", "http4s-ember-server"),
    ("com.softwaremill.sttp.client3", "core"),
    ("org.scalatest", "scalatest"),
)
HACKAGE_PACKAGES: tuple[str, ...] = tuple(
    [
        "aeson",
        "text",
        "containers",
        "bytestring",
        "servant",
        "lens",
        "mtl",
        "warp",
        "http-client",
        "optparse-applicative",
        "persistent",
        "vector",
    ]
)
TF_PROVIDERS: tuple[str, ...] = (
    "hashicorp/aws",
    "hashicorp/google",
    "hashicorp/azurerm",
    "hashicorp/kubernetes",
    "integrations/github",
    "cloudflare/cloudflare",
    "datadog/datadog",
)
HELM_CHARTS: tuple[tuple[str, str], ...] = (
    ("postgresql", "https://charts.bitnami.com/bitnami"),
    ("redis", "https://charts.bitnami.com/bitnami"),
    ("ingress-nginx", "https://kubernetes.github.io/ingress-nginx"),
    ("cert-manager", "https://charts.jetstack.io"),
    ("kube-prometheus-stack", "https://prometheus-community.github.io/helm-charts"),
)


LANGUAGE_IMAGES: dict[str, str] = {
    "php": "composer:2.7",
    "elixir": "elixir:1.16-otp-26",
    "haskell": "haskell:9.6",
    "swift": "swift:5.10",
    "dart": "dart:3.4",
}
"""Official images of the languages mapped onto the ``docker`` ecosystem."""


def mod_name(rng: random.Random) -> str:
    """An Elixir/Scala/Swift style module name such as ``Orion.Billing.Invoice``."""
    project = c.pick(rng, c.PROJECTS).replace("-", " ").title().replace(" ", "")
    return f"{project}.{c.pascal(rng, 1)}.{c.pascal(rng, 1)}"


def win_workdir(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A Windows checkout directory and the only CI format that uses it.

    GitHub-hosted Windows runners check out into ``D:\\a\\<repo>\\<repo>``; Azure Pipelines'
    hosted agents into ``D:\\a\\1\\s``. The caller sets ``Failure.formats`` from the second item.
    """
    repo = c.pick(rng, c.PROJECTS)
    if rng.random() < 0.75:
        return f"D:\\a\\{repo}\\{repo}", ("github_actions",)
    return "D:\\a\\1\\s", ("azure",)


def mac_workdir(rng: random.Random) -> str:
    """The checkout directory of a GitHub-hosted macOS runner."""
    repo = c.pick(rng, c.PROJECTS)
    return f"/Users/runner/work/{repo}/{repo}"


def make_error(rng: random.Random, target: str, code: int = 1) -> str:
    """GNU make's line re-reporting a failed recipe."""
    return f"make: *** [Makefile:{rng.randint(8, 120)}: {target}] Error {code}"


def npm_script_failed(
    rng: random.Random, script: str, command: str, workspace: str = "", location: str = ""
) -> list[str]:
    """What npm prints when a ``package.json`` script exits non-zero (npm 7+ wording)."""
    p = c.pick(rng, ("npm ERR!", "npm error"))
    where = (
        f"{p} workspace {workspace}\n{p} location {location or c.workdir(rng)}\n"
        if workspace
        else ""
    )
    text = (
        f"{p} Lifecycle script `{script}` failed with error:\n{p} code 1\n{where}"
        f"{p} command failed\n{p} command sh -c {command}"
    )
    return text.splitlines()


def turbo_prefixed(package: str, task: str, lines: list[str]) -> list[str]:
    """turbo's output: every line of a task prefixed with ``<package>:<task>: ``."""
    return [f"{package}:{task}: {line}".rstrip() for line in lines]


def tox_tail(rng: random.Random, env: str, command: str, code: int = 1) -> list[str]:
    """tox 4's lines after a failing command, summary last."""
    secs = c.seconds(rng, 1, 300)
    return [
        f"{env}: exit {code} ({c.seconds(rng, 0.5, 200)} seconds) {c.workdir(rng)}> {command} "
        f"pid={rng.randint(1000, 9999)}",
        f"  {env}: FAIL code {code} ({secs} seconds)",
        f"  evaluation failed :( ({float(secs) + rng.uniform(0.1, 2):.2f} seconds)",
    ]


def nox_tail(rng: random.Random, session: str, tool: str, code: int = 1) -> list[str]:
    """nox's lines after a failing command."""
    return [
        f"nox > Command {tool} failed with exit code {code}",
        f"nox > Session {session} failed.",
    ]


def with_formats(failure: Failure, formats: tuple[str, ...]) -> Failure:
    """``failure`` restricted to ``formats`` (text only those CI systems would print)."""
    return dataclasses.replace(failure, formats=formats)


def terse(rng: random.Random) -> bool:
    """Whether to write the short form people paste into an issue (about one time in four)."""
    return rng.random() < 0.25


def finish_mapped(
    rng: random.Random,
    eco: str,
    label: str,
    lines: list[str],
    step: str,
    command: str,
    *,
    stack: str,
    code: int = 1,
    tags: tuple[str, ...] = (),
) -> Failure:
    """Like ``_common_a.finish`` for a language mapped onto the ``docker`` ecosystem: half of
    the jobs build the language's image (the tool runs in a Dockerfile ``RUN``), the other half
    run the tool directly in a job container."""
    if eco == "docker" and rng.random() < 0.5:
        built = c.finish(rng, eco, label, lines, step, command, stack=stack, code=code, tags=tags)
        image = LANGUAGE_IMAGES.get(stack)
        if image is None:
            return built
        # The shared docker writer only knows the first set's base images.
        return dataclasses.replace(
            built, lines=[ln.replace("ubuntu:22.04", image) for ln in built.lines]
        )
    return Failure(label, lines, step, command, code, tags=tags)
