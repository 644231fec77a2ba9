"""The passing steps around a failure: set-up, installs, builds, passing tests, warnings.

Each ecosystem module (``_noise_scripting``, ``_noise_compiled``, ``_noise_docker``) writes
its own tools' output; this module holds what every job shares (the checkout, a disk or
version report) and chooses which stages run before the failing one. Much of the output is
a hard negative on purpose: retried downloads that succeed, ``error`` inside file and test
names, passing tests that log tracebacks, ``0 errors`` summaries, lint warnings.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from datasets.generator._job import Step
from datasets.generator._vocab import hexstr, ident, pick, scaled, uuid

STAGES: tuple[str, ...] = ("install", "build", "lint", "test")
"""The order in which a job's shell steps run."""

_STAGE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "lint",
        (
            "lint",
            "format",
            "ruff",
            "flake8",
            "eslint",
            "prettier",
            "mypy",
            "clippy",
            "rubocop",
            "golangci",
            "fmt",
            "style",
            "type check",
            "typecheck",
            "checkstyle",
            "spotless",
            "black",
            "pyright",
            "vet",
        ),
    ),
    (
        "test",
        (
            "test",
            "pytest",
            "jest",
            "vitest",
            "spec",
            "ctest",
            "junit",
            "tox",
            "nox",
            "mocha",
            "coverage",
        ),
    ),
    (
        "install",
        (
            "install",
            "dependencies",
            "restore",
            "npm ci",
            "bundle",
            "go mod",
            "fetch",
            "setup",
            "requirements",
            "sync",
            "deps",
        ),
    ),
    (
        "build",
        (
            "build",
            "compile",
            "make",
            "cmake",
            "tsc",
            "package",
            "assemble",
            "msbuild",
            "ninja",
            "cargo check",
            "javac",
        ),
    ),
)


def failing_stage(step: str, command: str) -> str:
    """Guess which stage a failing step belongs to, so only earlier stages precede it.

    Returns one of :data:`STAGES`, or ``"after"`` for deploy, publish and other late steps.
    """
    text = f"{step} {command}".lower()
    for stage, words in _STAGE_WORDS:
        if any(word in text for word in words):
            return stage
    return "after"


@dataclass
class Ctx:
    """What the noise writers of one job share."""

    rng: random.Random
    owner: str
    project: str
    scale: float
    """Verbosity: 1 is a typical job; 0.2 a terse one; 6 a very chatty one."""

    @property
    def workdir(self) -> str:
        return f"/home/runner/work/{self.project}/{self.project}"

    @property
    def package(self) -> str:
        return self.project.replace("-", "_")


StepWriter = Callable[[Ctx], Step]


@dataclass(frozen=True)
class Ecosystem:
    """The noise writers of one ecosystem."""

    image: Callable[[random.Random], str]
    setup: Callable[[Ctx], list[Step]]
    """GitHub action steps after the checkout (``setup-python``, caches)."""
    stages: dict[str, list[StepWriter]]
    """For each stage, alternative writers (one is drawn per job)."""
    env: Callable[[random.Random], list[tuple[str, str]]]


def checkout_step(ctx: Ctx, sha: str, branch: str) -> Step:
    """``actions/checkout`` as GitHub prints it (other CI systems write their own)."""
    rng = ctx.rng
    repo = f"{ctx.owner}/{ctx.project}"
    depth = rng.choice(("1", "1", "0", "2"))
    git = "[command]/usr/bin/git"
    tmp = uuid(rng)
    lines = [
        f"Syncing repository: {repo}",
        "##[group]Getting Git version info",
        f"Working directory is '{ctx.workdir}'",
        f"{git} version",
        f"git version 2.{rng.randint(43, 49)}.{rng.randint(0, 2)}",
        "##[endgroup]",
        f"Temporarily overriding HOME='/home/runner/work/_temp/{tmp}' before making global "
        "git config changes",
        "Adding repository directory to the temporary git global config as a safe directory",
        f"{git} config --global --add safe.directory {ctx.workdir}",
        f"Deleting the contents of '{ctx.workdir}'",
        "##[group]Initializing the repository",
        f"{git} init {ctx.workdir}",
        "hint: Using 'master' as the name for the initial branch. This default branch name",
        "hint: is subject to change. To configure the initial branch name to use in all",
        "hint: of your new repositories, which will suppress this warning, call:",
        f"Initialized empty Git repository in {ctx.workdir}/.git/",
        f"{git} remote add origin https://github.com/{repo}",
        "##[endgroup]",
        "##[group]Disabling automatic garbage collection",
        f"{git} config --local gc.auto 0",
        "##[endgroup]",
        "##[group]Setting up auth",
        f"{git} config --local --name-only --get-regexp core\\.sshCommand",
        f"{git} config --local http.https://github.com/.extraheader AUTHORIZATION: basic ***",
        "##[endgroup]",
        "##[group]Fetching the repository",
        f"{git} -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules "
        f"--depth={depth} origin +{sha}:refs/remotes/origin/{branch}",
    ]
    if rng.random() < 0.12:
        # A fetch that the checkout action retries and then completes.
        lines += [
            "error: RPC failed; curl 92 HTTP/2 stream 5 was not closed cleanly: CANCEL (err 8)",
            "fatal: the remote end hung up unexpectedly",
            "The process '/usr/bin/git' failed with exit code 128",
            f"Waiting {rng.randint(10, 19)} seconds before trying again",
            f"{git} -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules "
            f"--depth={depth} origin +{sha}:refs/remotes/origin/{branch}",
        ]
    lines += [
        f" * [new ref]         {sha} -> origin/{branch}",
        "##[endgroup]",
        "##[group]Determining the checkout info",
        "##[endgroup]",
        f"{git} sparse-checkout disable",
        f"{git} config --local --unset-all extensions.worktreeConfig",
        "##[group]Checking out the ref",
        f"{git} checkout --progress --force -B {branch} refs/remotes/origin/{branch}",
        f"Switched to a new branch '{branch}'",
        f"branch '{branch}' set up to track 'origin/{branch}'.",
        "##[endgroup]",
        f"{git} log -1 --format=%H",
        sha,
    ]
    with_ = [
        ("repository", repo),
        ("token", "***"),
        ("ssh-strict", "true"),
        ("ssh-user", "git"),
        ("persist-credentials", "true"),
        ("clean", "true"),
        ("sparse-checkout-cone-mode", "true"),
        ("fetch-depth", depth),
        ("fetch-tags", "false"),
        ("show-progress", "true"),
        ("lfs", "false"),
        ("submodules", "false"),
        ("set-safe-directory", "true"),
    ]
    version = rng.choice(("v4", "v4", "v5", "v3"))
    return Step(
        name="Checkout",
        command="",
        lines=lines,
        kind="checkout",
        uses=f"actions/checkout@{version}",
        with_=with_,
        seconds=rng.uniform(0.5, 4.0),
    )


def cache_action(ctx: Ctx, key_prefix: str, path: str) -> Step:
    """``actions/cache`` restoring (or missing) a dependency cache: informational only."""
    rng = ctx.rng
    key = f"{key_prefix}-{hexstr(rng, 64)}"
    if rng.random() < 0.55:
        size = rng.randint(20, 900)
        lines = [
            f"Cache Size: ~{size} MB ({size * 1048576 + rng.randint(0, 999999)} B)",
            f"[command]/usr/bin/tar -xf /home/runner/work/_temp/{uuid(rng)}/cache.tzst -P -C "
            f"{ctx.workdir} --use-compress-program unzstd",
            "Cache restored successfully",
            f"Cache restored from key: {key}",
        ]
    else:
        lines = [f"Cache not found for input keys: {key}, {key_prefix}-"]
    return Step(
        name="Cache",
        command="",
        lines=lines,
        kind="action",
        uses=rng.choice(("actions/cache@v4", "actions/cache@v4", "actions/cache@v3")),
        with_=[
            ("path", path),
            ("key", f"{key_prefix}-${{{{ hashFiles('**/lockfile') }}}}"),
            ("enableCrossOsArchive", "false"),
            ("fail-on-cache-miss", "false"),
            ("lookup-only", "false"),
            ("save-always", "false"),
        ],
        seconds=rng.uniform(0.3, 8.0),
    )


def disk_report_step(ctx: Ctx) -> Step:
    """``df -h`` and ``free -m``: words like disk and memory with nothing wrong."""
    rng = ctx.rng
    used = rng.randint(52, 78)
    lines = [
        "Filesystem      Size  Used Avail Use% Mounted on",
        f"/dev/root        72G   {used}G   {72 - used}G  {used * 100 // 72}% /",
        "tmpfs           7.9G   84K  7.9G   1% /dev/shm",
        "tmpfs           3.2G  1.1M  3.2G   1% /run",
        "/dev/sdb1        74G   4.1G   66G   6% /mnt",
        "               total        used        free      shared  buff/cache   available",
        f"Mem:           16002        {rng.randint(900, 2400)}       {rng.randint(9000, 13000)}"
        f"          {rng.randint(10, 60)}        {rng.randint(1500, 4000)}       "
        f"{rng.randint(12000, 14800)}",
        "Swap:           4095           0        4095",
    ]
    return Step("Show free disk space", "df -h\nfree -m", lines, seconds=0.2)


def tool_versions_step(ctx: Ctx, tools: list[tuple[str, str]]) -> Step:
    """Print tool versions, with an informational ``not found`` for an optional tool."""
    rng = ctx.rng
    lines = [f"{name} {ver}" for name, ver in tools]
    if rng.random() < 0.5:
        lines.append("Skipping optional tool 'sccache': not found on PATH")
    command = "\n".join(f"{name} --version" for name, _ in tools)
    return Step("Show versions", command, lines, seconds=0.3)


def debug_lines(rng: random.Random, n: int) -> list[str]:
    """Runner debug output (step debug logging on): harmless, sometimes alarming words."""
    pool = (
        "##[debug]Evaluating condition for step: 'Run tests'",
        "##[debug]Evaluating: success()",
        "##[debug]Result: true",
        "##[debug]Starting: Run tests",
        "##[debug]Loading inputs",
        "##[debug]Loading env",
        "##[debug]isExplicit: false",
        "##[debug]explicit? false",
        "##[debug]No matching cache entry; will try restore keys",
        "##[debug]x-ratelimit-remaining: 4987",
        "##[debug]Retry attempt 0 of 3 succeeded",
        "##[debug]set-env: error-on-warnings=false",
    )
    return pick(rng, pool, n)


def lint_warning_lines(rng: random.Random, files: list[str], n: int) -> list[str]:
    """Generic ``path:line:col: warning`` lines (warnings only, never an error)."""
    msgs = (
        "warning: unused variable 'err'",
        "warning: function is deprecated; use the replacement in v3",
        "warning: line too long (104 > 100 characters)",
        "warning: TODO comment found",
        "warning: prefer 'const' over 'let' for never-reassigned binding",
    )
    return [
        f"{rng.choice(files)}:{rng.randint(3, 400)}:{rng.randint(1, 40)}: {rng.choice(msgs)}"
        for _ in range(n)
    ]


def pick_steps(ctx: Ctx, eco: Ecosystem, fail_stage: str) -> list[Step]:
    """The shell steps that ran (and passed) before a failure in ``fail_stage``."""
    rng = ctx.rng
    before = STAGES if fail_stage == "after" else STAGES[: STAGES.index(fail_stage)]
    steps: list[Step] = []
    for stage in before:
        writers = eco.stages.get(stage, [])
        # The install stage nearly always runs; others are skipped by some projects.
        keep = 0.95 if stage == "install" else 0.7
        if writers and rng.random() < keep:
            steps.append(rng.choice(writers)(ctx))
    if rng.random() < 0.15:
        steps.insert(0, disk_report_step(ctx))
    return steps


def scaled_count(ctx: Ctx, low: int, high: int) -> int:
    return scaled(ctx.rng, ctx.scale, low, high)


def test_names(rng: random.Random, n: int, style: str) -> list[str]:
    """Test names, some with alarming words (error, timeout, denied) that all pass."""
    alarming = (
        "error_handling",
        "raises_on_timeout",
        "permission_denied_is_reported",
        "retry_after_connection_error",
        "missing_file_returns_404",
        "rate_limit_headers",
        "out_of_memory_guard",
        "invalid_schema_rejected",
    )
    names: list[str] = []
    for _ in range(n):
        base = rng.choice(alarming) if rng.random() < 0.2 else ident(rng)
        if style == "py":
            names.append(f"test_{base}")
        elif style == "js":
            names.append(base.replace("_", " "))
        else:
            names.append(base)
    return names
