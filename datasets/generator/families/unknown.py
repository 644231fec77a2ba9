"""``unknown``: nothing recognisable, or too little evidence to name a cause.

These families teach the classifier to say "not sure": a step that exits non-zero after
ordinary output, wrappers that only report that something beneath them failed, vague or
foreign-language custom messages, truncated logs, logs with only warnings, and a job that did
not fail at all. Labelling choice: a run cancelled by a person or by a newer run of the same
concurrency group is ``unknown``, not ``timeout``: nothing ran out of time and nothing is broken.
"""

from __future__ import annotations

import random

from .._types import ECOSYSTEMS, Failure, Family
from ._common_c import (
    NOUNS,
    build_command,
    hexstr,
    ident,
    pick,
    progress,
    repo,
    seconds,
    step_name,
    workdir,
)

LABEL = "unknown"
_ALL = tuple(ECOSYSTEMS)


def _bare_exit(rng: random.Random, eco: str) -> Failure:
    lines = progress(rng, eco, 3, 15)
    return Failure(
        LABEL, lines, step_name(rng), build_command(rng, eco), pick(rng, (1, 1, 2, 3, 255))
    )


def _vague_message(rng: random.Random, eco: str) -> Failure:
    lines = progress(rng, eco, 0, 6)
    lines.append(
        pick(
            rng,
            (
                "Something went wrong. See above.",
                "check failed",
                "FAIL",
                "ERROR: step failed",
                "Build failed.",
                "✖ verification failed",
                f"{pick(rng, NOUNS)} check: FAILED",
                "Error: 1",
                "failed (see log)",
                f"[{repo(rng)}] exiting with status {rng.randint(1, 9)}",
            ),
        )
    )
    return Failure(
        LABEL, lines, step_name(rng, "Verify", "Check", "CI", "Validate"), "./ci/check.sh"
    )


def _wrapper_only(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    script = f"./scripts/{ident(rng)}.sh"
    target = pick(rng, ("ci", "all", "check", "release", "verify"))
    variants: dict[str, list[str]] = {
        "node": [
            f"> {repo(rng)}@1.0.0 {target}",
            f"> {script}",
            "",
            f"npm error Lifecycle script `{target}` failed with error:",
            "npm error code 1",
            f"npm error path {wd}",
            f"npm error workspace {repo(rng)}@1.0.0",
            f"npm error location {wd}",
            "npm error command failed",
            f"npm error command sh -c {script}",
        ],
        "java": [
            f"> Task :{repo(rng)}:{target} FAILED",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            f"Execution failed for task ':{repo(rng)}:{target}'.",
            "> Process 'command 'bash'' finished with non-zero exit value 1",
        ],
        "dotnet": [
            f'{wd}/src/App/App.csproj(42,5): error MSB3073: The command "{script}" exited with code 1.',
            "    0 Warning(s)",
            "    1 Error(s)",
        ],
        "ruby": [
            "rake aborted!",
            f"Command failed with status (1): [{script}...]",
            f"Tasks: TOP => {target}",
            "(See full trace by running task with --trace)",
        ],
    }
    if eco in variants and rng.random() < 0.7:
        lines = variants[eco]
    elif rng.random() < 0.5:
        lines = [
            "yarn run v1.22.22",
            f"$ {script}",
            "error Command failed with exit code 1.",
            "info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.",
        ]
    else:
        lines = [
            script,
            f"make: *** [Makefile:{rng.randint(8, 120)}: {target}] Error {pick(rng, (1, 2))}",
        ]
        if rng.random() < 0.4:
            lines.insert(
                1, f"make[1]: *** [Makefile:{rng.randint(8, 120)}: {pick(rng, NOUNS)}] Error 1"
            )
    return Failure(LABEL, progress(rng, eco, 0, 4) + lines, step_name(rng), f"make {target}")


def _truncated(rng: random.Random, eco: str) -> Failure:
    lines = progress(rng, eco, 8, 30)
    cut = lines[-1][: max(3, len(lines[-1]) // 2)]
    lines[-1] = cut
    if rng.random() < 0.5:
        lines += [
            "Job's log exceeded limit of 4194304 bytes.",
            "Job execution will continue but no more output will be collected.",
        ]
    elif rng.random() < 0.5:
        lines.append(f"... output truncated ({rng.randint(2, 90)} MB omitted) ...")
    return Failure(LABEL, lines, step_name(rng), build_command(rng, eco), pick(rng, (1, 1, None)))


def _successful(rng: random.Random, eco: str) -> Failure:
    done = {
        "python": f"===== {rng.randint(40, 900)} passed in {seconds(rng)}s =====",
        "node": f"Tests:       {rng.randint(20, 600)} passed, {rng.randint(20, 600)} total",
        "java": "[INFO] BUILD SUCCESS",
        "go": f"ok  \tgithub.com/acme/{repo(rng)}\t{seconds(rng)}s",
        "rust": f"test result: ok. {rng.randint(5, 300)} passed; 0 failed; 0 ignored; 0 measured",
        "cpp": f"100% tests passed, 0 tests failed out of {rng.randint(5, 200)}",
        "dotnet": f"Passed!  - Failed:     0, Passed:   {rng.randint(5, 400)}, Skipped:     0",
        "ruby": f"{rng.randint(20, 900)} examples, 0 failures",
        "docker": f"naming to docker.io/library/{repo(rng)}:latest done",
    }
    lines = [*progress(rng, eco, 3, 12), done[eco]]
    return Failure(LABEL, lines, step_name(rng, "Test", "Build", "CI"), build_command(rng, eco), 0)


def _foreign_language(rng: random.Random, eco: str) -> Failure:
    message = pick(
        rng,
        (
            "Fehler: Vorgang fehlgeschlagen.",
            "Erreur : la vérification a échoué.",
            "エラー: ビルドに失敗しました",
            "错误：构建失败",
            "Ошибка: проверка не пройдена",
            "Error: la operación no se pudo completar.",
            "Falha: verificação não concluída.",
            "오류: 작업이 실패했습니다",
            "Hata: işlem başarısız oldu",
        ),
    )
    lines = [*progress(rng, eco, 1, 6), message]
    return Failure(LABEL, lines, step_name(rng), f"./tools/{ident(rng)}", rng.randint(1, 4))


def _cancelled(rng: random.Random, eco: str) -> Failure:
    lines = progress(rng, eco, 2, 10)
    ref = pick(
        rng,
        (
            "refs/heads/main",
            "refs/pull/" + str(rng.randint(10, 4000)) + "/merge",
            "refs/heads/develop",
        ),
    )
    group = pick(rng, ("ci", "tests", "build", repo(rng)))
    first = pick(
        rng,
        (
            f"Canceling since a higher priority waiting request for '{group}-{ref}' exists",
            f"The run was canceled by @{pick(rng, ('octodev', 'mlopez', 'akim', 'jdoe', 'release-bot'))}.",
        ),
    )
    errors = (first, "The operation was canceled.")
    return Failure(LABEL, lines, step_name(rng), build_command(rng, eco), None, errors)


def _warnings_only(rng: random.Random, eco: str) -> Failure:
    name = pick(rng, NOUNS)
    pools = {
        "python": (
            f"DeprecationWarning: {name}.{ident(rng)} is deprecated and will be removed in 3.0",
            "  warnings.warn(",
            "WARNING: Skipping page https://example.invalid/simple/ because of missing metadata",
            f"UserWarning: {name} option is ignored on this platform",
        ),
        "node": (
            "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
            "npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported",
            "(node:2143) ExperimentalWarning: Importing JSON modules is an experimental feature",
            "Browserslist: caniuse-lite is outdated. Please run: npx update-browserslist-db@latest",
        ),
        "java": (
            "[WARNING] Using platform encoding (UTF-8 actually) to copy filtered resources",
            "warning: [options] source value 8 is obsolete and will be removed in a future release",
            "Deprecated Gradle features were used in this build, making it incompatible with Gradle 9.0.",
        ),
    }
    generic = (
        f"warning: {name} directory is empty, skipping",
        f"WARN  configuration key '{name}' is deprecated",
        "warning: no files matched the pattern, nothing to do",
        f"WARNING: {pick(rng, ('cache', 'mirror', 'proxy'))} not configured, using defaults",
    )
    pool = pools.get(eco, generic)
    lines = progress(rng, eco, 1, 4) + [pick(rng, pool) for _ in range(rng.randint(2, 6))]
    return Failure(LABEL, lines, step_name(rng), build_command(rng, eco))


def _shell_trace(rng: random.Random, eco: str) -> Failure:
    var = pick(rng, ("status", "rc", "result", "failed"))
    word = pick(rng, ("done", "finished", "exiting", "checks complete"))
    n = rng.randint(1, 9)
    lines = [
        f"+ cd {workdir(rng)}",
        f"+ {build_command(rng, eco)}",
        *progress(rng, eco, 1, 5),
        f"+ {var}={n}",
        f"+ '[' {n} -ne 0 ']'",
        f"+ echo '{word}'",
        word,
        f"+ exit {pick(rng, (1, n))}",
    ]
    return Failure(LABEL, lines, step_name(rng), "bash -x ./ci/run.sh")


def _debug_noise(rng: random.Random, eco: str) -> Failure:
    lines = []
    for _ in range(rng.randint(6, 30)):
        level = pick(rng, ("DEBUG", "DEBUG", "INFO", "TRACE"))
        lines.append(
            f"{level} [{pick(rng, ('main', 'worker-1', 'worker-2', 'sched'))}] "
            f"{ident(rng)} {pick(rng, NOUNS)}={hexstr(rng, 6)} took={rng.randint(1, 900)}ms"
        )
    lines.append(f"INFO [main] shutting down ({rng.randint(1, 40)} tasks)")
    return Failure(
        LABEL, lines, step_name(rng, "Run job", "Integration", "Sync"), f"./bin/{repo(rng)} run"
    )


FAMILIES: list[Family] = [
    Family(f"{LABEL}/exit-after-normal-output", LABEL, _ALL, _bare_exit),
    Family(f"{LABEL}/vague-custom-message", LABEL, _ALL, _vague_message),
    Family(f"{LABEL}/wrapper-error-only", LABEL, _ALL, _wrapper_only),
    Family(f"{LABEL}/truncated-log", LABEL, _ALL, _truncated),
    Family(f"{LABEL}/successful-job", LABEL, _ALL, _successful),
    Family(f"{LABEL}/foreign-language-message", LABEL, _ALL, _foreign_language),
    Family(f"{LABEL}/cancelled-not-for-time", LABEL, _ALL, _cancelled),
    Family(f"{LABEL}/warnings-only", LABEL, _ALL, _warnings_only),
    Family(f"{LABEL}/shell-trace-exit", LABEL, _ALL, _shell_trace),
    Family(f"{LABEL}/debug-log-noise", LABEL, _ALL, _debug_noise),
]
