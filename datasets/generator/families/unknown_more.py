"""More ``unknown`` families: wrappers and summaries that name no cause.

Each of these logs says only that something beneath failed: a build tool's summary of a child
process (Maven's exec plugin, a Bazel genrule, an Xcode script phase), a monorepo or Python
session runner's verdict, a Compose stack aborted because one container exited, a gate job that
checks other jobs' results, Windows ``cmd`` echoing its ``errorlevel`` check, and terse
"exited with code N" lines. With no decisive line to point at, the honest answer is "not sure";
the same wrappers around a visible error belong to that error's label.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import NOUNS, hexstr, ident, pick, progress, repo, seconds, workdir
from ._common_c2 import ALL, NATIVE_LIKE, WINDOWS_CI, pad, win_workdir

LABEL = "unknown"


def _cmd_errorlevel(rng: random.Random, eco: str) -> Failure:
    wd = win_workdir(rng)
    script = pick(rng, ("build.cmd", "scripts\\ci.bat", "tools\\package.cmd", "make.bat"))
    lines = [f"{wd}>call {script}", ""]
    lines += progress(rng, eco, 1, 6)
    lines += [
        "",
        pick(
            rng,
            (
                f"{wd}>if errorlevel 1 exit /b 1",
                f"{wd}>if %ERRORLEVEL% NEQ 0 exit /b %ERRORLEVEL%",
                f"{wd}>if not %errorlevel% == 0 goto :fail",
            ),
        ),
    ]
    if "goto" in lines[-1]:
        lines += ["", f"{wd}>echo Build failed", "Build failed", "", f"{wd}>exit /b 1"]
    return Failure(
        LABEL, pad(rng, eco, lines), "Build (windows)", f"call {script}", 1, formats=WINDOWS_CI
    )


def _build_tool_summary(rng: random.Random, eco: str) -> Failure:
    project = repo(rng)
    choice = rng.randrange(2) if eco == "java" else 2
    if choice == 0:
        execution = pick(rng, ("generate", "default-cli", "build-frontend", "run-script"))
        lines = [
            f"[INFO] --- exec:3.{rng.randint(0, 5)}.0:exec ({execution}) @ {project} ---",
            "[INFO] ------------------------------------------------------------------------",
            "[INFO] BUILD FAILURE",
            "[INFO] ------------------------------------------------------------------------",
            f"[INFO] Total time:  {seconds(rng, 2, 200)} s",
            "[INFO] ------------------------------------------------------------------------",
            f"[ERROR] Failed to execute goal org.codehaus.mojo:exec-maven-plugin:3.1.0:exec "
            f"({execution}) on project {project}: Command execution failed.: Process exited "
            "with an error: 1 (Exit value: 1) -> [Help 1]",
        ]
        command = "mvn -B package"
    elif choice == 1:
        lines = [
            "[INFO] --- antrun:3.1.0:run (default) @ " + project + " ---",
            "[INFO] Executing tasks",
            f"[INFO]      [exec] Result: {rng.randint(1, 3)}",
            "[INFO] BUILD FAILURE",
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-antrun-plugin:3.1.0:"
            f"run (default) on project {project}: An Ant BuildException has occured: exec "
            f"returned: {rng.randint(1, 3)}",
        ]
        command = "mvn -B verify"
    else:
        pkg = pick(rng, ("src", "gen", "assets", "proto", "web"))
        rule = pick(rng, ("gen_version", "bundle", "codegen", "stamp", ident(rng)))
        wd = workdir(rng)
        lines = [
            f"ERROR: {wd}/{pkg}/BUILD.bazel:{rng.randint(3, 90)}:{rng.randint(3, 20)}: Executing "
            f"genrule //{pkg}:{rule} failed: (Exit {rng.randint(1, 3)}): bash failed: error "
            f"executing Genrule command (from target //{pkg}:{rule}) /bin/bash -c "
            f"'source external/bazel_tools/tools/genrule/genrule-setup.sh; ./{pkg}/{rule}.sh "
            f"> bazel-out/k8-fastbuild/bin/{pkg}/{rule}.out'",
            f"Target //{pkg}:{rule} failed to build",
            "Use --verbose_failures to see the command lines of failed build steps.",
            f"INFO: Elapsed time: {seconds(rng, 1, 90)}s, Critical Path: {seconds(rng, 0.1, 9)}s",
            "ERROR: Build did NOT complete successfully",
        ]
        command = f"bazel build //{pkg}:all"
    return Failure(LABEL, progress(rng, eco, 0, 3) + lines, "Build", command)


def _monorepo_summary(rng: random.Random, eco: str) -> Failure:
    scope = f"@{repo(rng)}"
    pkg = pick(rng, ("web", "api", "ui", "docs", "shared", "worker"))
    task = pick(rng, ("build", "check", "verify", "ci"))
    tool = rng.randrange(3)
    if tool == 0:
        total = rng.randint(4, 20)
        lines = [
            f"{scope}/{pkg}:{task}: ERROR: command finished with error: command "
            f"({workdir(rng)}/packages/{pkg}) /usr/local/bin/pnpm run {task} exited (1)",
            "",
            f" Tasks:    {total - 1} successful, {total} total",
            f"Cached:    {rng.randint(0, total - 1)} cached, {total} total",
            f"  Time:    {seconds(rng, 2, 200)}s",
            f"Failed:    {scope}/{pkg}#{task}",
            "",
            " ERROR  run failed: command  exited (1)",
        ]
        command = f"pnpm turbo run {task}"
    elif tool == 1:
        lines = [
            f" NX   Running target {task} for {rng.randint(3, 30)} projects failed",
            "",
            "Failed tasks:",
            "",
            f"- {pkg}:{task}",
            "",
            "Hint: run the command with --verbose for more details.",
        ]
        command = f"npx nx affected -t {task}"
    else:
        lines = [
            f"lerna ERR! npm run {task} exited 1 in '{scope}/{pkg}'",
            f"lerna ERR! npm run {task} stdout:",
            f"> {scope}/{pkg}@{rng.randint(0, 4)}.{rng.randint(0, 20)}.0 {task}",
            f"> node scripts/{task}.js",
        ]
        command = f"npx lerna run {task} --stream"
    return Failure(LABEL, progress(rng, "node", 0, 4) + lines, "Build all", command)


def _compose_exited(rng: random.Random, eco: str) -> Failure:
    project = repo(rng)
    svc = pick(rng, ("tests", "e2e", "app", "migrate", "worker", "checks"))
    code = pick(rng, (1, 1, 2, 3))
    lines = []
    for _ in range(rng.randint(2, 8)):
        lines.append(
            f"{svc}-1  | {pick(rng, ('INFO', 'info', 'DEBUG'))} {ident(rng)} "
            f"{pick(rng, NOUNS)}={hexstr(rng, 6)}"
        )
    lines += [
        f"{svc}-1 exited with code {code}",
        "Aborting on container exit...",
        f" Container {project}-{svc}-1  Stopping",
        f" Container {project}-{svc}-1  Stopped",
    ]
    if rng.random() < 0.5:
        lines += [f" Container {project}-db-1  Stopping", f" Container {project}-db-1  Stopped"]
    command = f"docker compose up --abort-on-container-exit --exit-code-from {svc}"
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("E2E", "Compose tests", "Run stack")), command, code
    )


def _session_runner(rng: random.Random, eco: str) -> Failure:
    env = pick(rng, ("py311", "py312", "check", "docs", "release", "integration"))
    script = f"scripts/{ident(rng)}.py"
    wd = workdir(rng)
    lines = progress(rng, "python", 0, 4)
    if rng.random() < 0.5:
        secs = rng.uniform(0.5, 60)
        lines += [
            f"{env}: exit {(code := rng.randint(1, 3))} ({secs:.2f} seconds) {wd}> python "
            f"{script} pid={rng.randint(1800, 9000)}",
            f"  {env}: FAIL code {code} ({secs + 9:.2f}=setup[{9:.2f}]+cmd[{secs:.2f}] seconds)",
            f"  evaluation failed :( ({secs + 9.2:.2f} seconds)",
        ]
        command = f"tox -e {env}"
    else:
        lines += [
            f"nox > python {script}",
            f"nox > Command python {script} failed with exit code {rng.randint(1, 3)}",
            f"nox > Session {env}-3.{rng.randint(10, 13)} failed.",
        ]
        command = f"nox -s {env}"
    return Failure(LABEL, pad(rng, eco, lines), pick(rng, ("Check", "Run session", "CI")), command)


def _gate_job(rng: random.Random, eco: str) -> Failure:
    jobs = rng.sample(("build", "lint", "unit", "integration", "docs", "package", "e2e"), 3)
    results = {job: pick(rng, ("success", "failure", "cancelled", "skipped")) for job in jobs}
    results[jobs[rng.randrange(3)]] = pick(rng, ("failure", "cancelled"))
    choice = rng.randrange(3)
    if choice == 0:
        lines = [f"{job}: {result}" for job, result in results.items()]
        lines.append(pick(rng, ("One or more required jobs failed", "Some jobs did not succeed")))
    elif choice == 1:
        body = ", ".join(f'"{j}": {{"result": "{r}", "outputs": {{}}}}' for j, r in results.items())
        lines = ["{" + body + "}", "Error: required jobs did not all succeed"]
    else:
        lines = [
            "# ❌ Some of the required to succeed jobs failed 😢😢😢",
            "",
            *[f"- {j} → ❓ {r}" for j, r in results.items()],
        ]
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("All checks", "check", "ci-success", "Gate")),
        "exit 1",
    )


def _terse_exit(rng: random.Random, eco: str) -> Failure:
    code = pick(rng, (1, 1, 2, 3, 4, 255))
    tool = pick(rng, ("/usr/bin/bash", "/usr/local/bin/just", "/usr/bin/make", "/usr/bin/python3"))
    line = pick(
        rng,
        (
            f"Command exited with non-zero status {code}",
            f"Error: command failed with exit code {code}",
            f"child process exited with code {code}",
            f"The process '{tool}' failed with exit code {code}",
            f"Error: Command failed: {pick(rng, ('./ci.sh', 'make all', 'bin/run'))}",
            f"exit status {code}",
        ),
    )
    lines = [line]
    if line.startswith("Command exited"):
        lines.append(
            f"\t{seconds(rng)}user {seconds(rng, 0.1, 5)}system {rng.randint(1, 3)}:"
            f"{rng.randint(10, 59)}.{rng.randint(10, 99)}elapsed {rng.randint(20, 199)}%CPU"
        )
    if rng.random() < 0.5:
        lines.insert(0, f"Running {pick(rng, ('checks', 'build', 'pipeline', 'release'))}...")
    return Failure(LABEL, pad(rng, eco, lines), pick(rng, ("Run", "CI", "Build")), "./ci.sh", code)


def _xcode_script_phase(rng: random.Random, eco: str) -> Failure:
    app = repo(rng).replace("-", " ").title().replace(" ", "")
    derived = f"/Users/runner/Library/Developer/Xcode/DerivedData/{app}-{hexstr(rng, 28)}"
    verb = pick(rng, ("ARCHIVE", "BUILD", "TEST"))
    phase = pick(rng, ("Run\\ Script", "SwiftLint", "Crashlytics", "Bundle\\ React\\ Native"))
    lines = [
        "Command PhaseScriptExecution failed with a nonzero exit code",
        "",
        f"** {verb} FAILED **",
        "",
        "",
        "The following build commands failed:",
        f"\tPhaseScriptExecution {phase} {derived}/Build/Intermediates.noindex/{app}.build/"
        f"Release-iphoneos/{app}.build/Script-{hexstr(rng, 24).upper()}.sh (in target "
        f"'{app}' from project '{app}')",
        "(1 failure)",
    ]
    command = f"xcodebuild -scheme {app} -configuration Release {verb.lower()}"
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("Build iOS", "Archive", "Build")), command, 65
    )


FAMILIES: list[Family] = [
    Family(f"{LABEL}/windows-cmd-errorlevel", LABEL, ALL, _cmd_errorlevel),
    Family(
        f"{LABEL}/build-tool-exec-summary",
        LABEL,
        ("java", "cpp", "go", "python"),
        _build_tool_summary,
    ),
    Family(f"{LABEL}/monorepo-runner-summary", LABEL, ("node",), _monorepo_summary),
    Family(f"{LABEL}/compose-service-exited", LABEL, ALL, _compose_exited),
    Family(f"{LABEL}/python-session-runner-failed", LABEL, ("python",), _session_runner),
    Family(f"{LABEL}/gate-job-needs-failed", LABEL, ALL, _gate_job),
    Family(f"{LABEL}/terse-nonzero-exit", LABEL, ALL, _terse_exit),
    Family(f"{LABEL}/xcode-script-phase-failed", LABEL, NATIVE_LIKE, _xcode_script_phase),
]
