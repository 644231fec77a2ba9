"""Wrapper tails: what a task runner prints when the command it ran exits non-zero.

Real failures are often run through a wrapper (``npm run``, ``make``, Gradle's ``Exec`` task,
MSBuild's ``Exec``, ``rake``, ``yarn``, ``tox``, ``nox``) that adds its own verdict after the
tool's error. The ``unknown`` family ``wrapper-error-only`` shows those verdicts with no cause
above them; if the other labels never showed them, the classifier would learn that a wrapper
verdict *means* ``unknown`` and pull every wrapped failure toward it. Appending the same tails
to a share of the other labels' failures keeps the wrapper words label-neutral: the cause above
them decides.
"""

from __future__ import annotations

import random
from dataclasses import replace

from datasets.generator._types import Failure

WRAP_SHARE = 0.3
"""Share of eligible failures that get a wrapper tail."""

_TARGETS = ("ci", "check", "build", "test", "verify", "all", "release", "e2e")
_PROJECTS = ("api", "web", "core", "billing", "ingest", "gateway", "worker", "cli")


def _npm(rng: random.Random, target: str, command: str) -> tuple[list[str], str]:
    p = rng.choice(("npm ERR!", "npm error"))
    lines = [
        f"{p} Lifecycle script `{target}` failed with error:",
        f"{p} code {rng.choice((1, 1, 2))}",
        f"{p} path /home/runner/work/{rng.choice(_PROJECTS)}",
        f"{p} command failed",
        f"{p} command sh -c {command}",
    ]
    return lines, f"npm run {target}"


def _yarn(rng: random.Random, target: str, command: str) -> tuple[list[str], str]:
    lines = [
        f"error Command failed with exit code {rng.choice((1, 1, 2))}.",
        "info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.",
    ]
    return lines, f"yarn {target}"


def _make(rng: random.Random, target: str, command: str) -> tuple[list[str], str]:
    lines = [f"make: *** [Makefile:{rng.randint(5, 140)}: {target}] Error {rng.choice((1, 2))}"]
    if rng.random() < 0.4:
        lines.insert(0, f"make[1]: *** [Makefile:{rng.randint(5, 140)}: {target}-run] Error 1")
    return lines, f"make {target}"


def _gradle_exec(rng: random.Random, target: str, command: str) -> tuple[list[str], str]:
    task = f":{rng.choice(_PROJECTS)}:{target}"
    lines = [
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task '{task}'.",
        "> Process 'command 'bash'' finished with non-zero exit value 1",
        "",
        "BUILD FAILED in " + f"{rng.randint(2, 90)}s",
    ]
    return lines, f"./gradlew {target}"


def _msbuild_exec(rng: random.Random, target: str, command: str) -> tuple[list[str], str]:
    project = (
        f"src/{rng.choice(_PROJECTS).capitalize()}/{rng.choice(_PROJECTS).capitalize()}.csproj"
    )
    lines = [
        f'{project}({rng.randint(10, 90)},5): error MSB3073: The command "{command}" exited '
        "with code 1.",
        "    0 Warning(s)",
        "    1 Error(s)",
    ]
    return lines, f"dotnet msbuild -t:{target.capitalize()}"


def _rake(rng: random.Random, target: str, command: str) -> tuple[list[str], str]:
    lines = [
        "rake aborted!",
        f"Command failed with status (1): [{command}...]",
        f"Tasks: TOP => {target}",
        "(See full trace by running task with --trace)",
    ]
    return lines, f"bundle exec rake {target}"


def _tox(rng: random.Random, target: str, command: str) -> tuple[list[str], str]:
    env = rng.choice(("py311", "py312", "lint", "ci"))
    lines = [
        f"{env}: exit 1 ({rng.uniform(0.5, 200):.2f} seconds) > {command}",
        f"  {env}: FAIL code 1 ({rng.uniform(0.5, 200):.2f} seconds)",
        f"  evaluation failed :( ({rng.uniform(0.5, 200):.2f} seconds)",
    ]
    return lines, f"tox -e {env}"


def _nox(rng: random.Random, target: str, command: str) -> tuple[list[str], str]:
    tool = command.split()[0] if command.split() else "python"
    lines = [f"nox > Command {tool} failed with exit code 1", f"nox > Session {target} failed."]
    return lines, f"nox -s {target}"


_BY_ECOSYSTEM = {
    "node": (_npm, _npm, _yarn, _make),
    "python": (_tox, _nox, _make),
    "java": (_gradle_exec, _make),
    "dotnet": (_msbuild_exec, _make),
    "ruby": (_rake, _make),
    "go": (_make,),
    "rust": (_make,),
    "cpp": (_make,),
    "docker": (_make,),
}


def maybe_wrap(failure: Failure, ecosystem: str, rng: random.Random) -> Failure:
    """``failure`` with a wrapper's verdict after its lines, for a :data:`WRAP_SHARE` share of
    the failures a wrapper could have run; otherwise ``failure`` unchanged.

    Eligible: a step that ran a shell command and exited non-zero (no job-level failures, no
    cancelled steps, no ``unknown`` example: a wrapper with nothing above it is that label's
    own family).
    """
    if (
        failure.label == "unknown"
        or failure.job_level
        or failure.exit_code in (None, 0)
        or not failure.command
        or not failure.lines
        or rng.random() >= WRAP_SHARE
    ):
        return failure
    target = rng.choice(_TARGETS)
    command = failure.command.split("\n")[0]
    lines, wrapper_command = rng.choice(_BY_ECOSYSTEM.get(ecosystem, (_make,)))(
        rng, target, command
    )
    return replace(
        failure,
        lines=[*failure.lines, *lines],
        command=wrapper_command,
        tags=(*failure.tags, "wrapped"),
    )
