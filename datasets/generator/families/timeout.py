"""Families of ``timeout``: a job, step or test exceeded its time limit or was cancelled for time.

Labelling rules: a limit that ends the work is a timeout even when the output before it is all
green (a hung process after passing tests). A deadline while *waiting* for a deployment to become
ready is a timeout (the limit is what failed); a refused or dropped connection is ``network``; a
kill by the kernel's OOM killer (exit 137 with ``Killed``) is ``resource_exhaustion``.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c

LABEL = "timeout"


_failure = partial(c.failure, LABEL)
_family = partial(c.family, LABEL)


def _hang_tail(rng: random.Random, eco: str) -> list[str]:
    """What a step printed last before it hung until the job limit."""
    mod = rng.choice(c.MODULES)
    name = rng.choice(c.BEHAVIOURS)
    if eco == "python":
        return [f"tests/integration/test_{mod}.py::test_{name} "]
    if eco == "node":
        return rng.choice(
            (
                ["Jest did not exit one second after the test run has completed."],
                [f"  {mod} {name.replace('_', ' ')}"],
            )
        )
    if eco == "go":
        return [f"=== RUN   Test{c.camel(mod)}{c.camel(name)}"]
    if eco == "rust":
        return [f"test {mod}::tests::{name} has been running for over 60 seconds"]
    if eco == "java":
        return [f"[INFO] Running com.{c.org(rng).replace('-', '')}.{mod}.{c.camel(mod)}IT"]
    if eco == "dotnet":
        return [
            f"[xUnit.net 00:{rng.randint(10, 59)}:{rng.randint(10, 59)}.00]     "
            f"{c.camel(mod)}.Tests.{c.camel(name)} [STARTING]"
        ]
    if eco == "docker":
        return [f"#{rng.randint(8, 14)} [test 6/7] RUN make integration"]
    return [f"Running {mod}_{name}..."]


def job_max_execution_time(rng: random.Random, eco: str) -> Failure:
    minutes = rng.choice((360, 360, 360, 60, 30, 45, 90, 120, 20))
    lines = c.passing_tests(rng, eco, rng.randint(4, 40)) if rng.random() < 0.7 else []
    if not lines:
        lines = c.build_progress(rng, eco, rng.randint(3, 25))
    lines += _hang_tail(rng, eco)
    errors = (
        "The operation was canceled.",
        f"The job running on runner {c.runner_name(rng)} has exceeded the maximum execution "
        f"time of {minutes} minutes.",
    )
    step = rng.choice(("Run tests", "Test", "Integration tests", "Build", "CI"))
    return _failure(lines, step, c.command(rng, c.TEST_COMMANDS, eco), None, "runner", errors)


def step_timeout_minutes(rng: random.Random, eco: str) -> Failure:
    base = rng.choice(("http://localhost:8080", "http://127.0.0.1:3000", "http://app:8000"))
    lines = [f"Running end-to-end suite against {base}"]
    specs = rng.randint(3, 14)
    lines.append(f"Found {specs} spec files")
    for index in range(rng.randint(2, specs)):
        mod = rng.choice(c.MODULES)
        lines.append(
            f"  ({index + 1}/{specs}) {mod}.spec  {rng.randint(2, 30)} passing "
            f"({rng.randint(4, 120)}s)"
        )
    lines.append(f"  Running: {rng.choice(c.MODULES)}.spec")
    cmd = rng.choice(("npm run e2e", "make e2e", "./scripts/e2e.sh", "pytest tests/e2e"))
    step = rng.choice(("End-to-end tests", "Integration", "Smoke test"))
    return _failure(lines, step, cmd, None, "runner-step", ("The action has timed out.",))


def mocha_timeout(rng: random.Random, eco: str) -> Failure:
    suite = c.camel(rng.choice(c.MODULES)) + rng.choice(("Client", "Service", "Store", "Api"))
    ok = rng.randint(3, 60)
    limit = rng.choice((2000, 2000, 5000, 10000))
    name = rng.choice(c.BEHAVIOURS).replace("_", " ")
    lines = ["", f"  {suite}"]
    for _ in range(min(ok, rng.randint(2, 10))):
        extra = f" ({rng.randint(80, 900)}ms)" if rng.random() < 0.3 else ""
        lines.append(f"    ✔ {rng.choice(c.BEHAVIOURS).replace('_', ' ')}{extra}")
    hook = rng.random() < 0.3
    lines += [f"    1) {name}", "", f"  {ok} passing ({rng.randint(2, 90)}s)", "  1 failing", ""]
    title = f'"before each" hook for "{name}"' if hook else name
    path = f"{c.workdir(rng, c.repo(rng))}/test/{rng.choice(c.MODULES)}.spec.js"
    lines += [
        f"  1) {suite}",
        f"       {title}:",
        f'     Error: Timeout of {limit}ms exceeded. For async tests and hooks, ensure "done()" '
        f"is called; if returning a Promise, ensure it resolves. ({path})",
        f"      at listOnTimeout (node:internal/timers:{rng.randint(560, 590)}:17)",
        f"      at process.processTimers (node:internal/timers:{rng.randint(500, 530)}:7)",
        "",
    ]
    return _failure(lines, "Run tests", rng.choice(("npx mocha", "npm test")), 1, "mocha")


def jest_exceeded_timeout(rng: random.Random, eco: str) -> Failure:
    mod = rng.choice(c.MODULES)
    suite = c.camel(mod) + rng.choice(("Client", "Service", "Repository"))
    name = rng.choice(c.BEHAVIOURS).replace("_", " ")
    limit = rng.choice((5000, 5000, 10000, 30000))
    passed_suites = rng.randint(2, 40)
    lines = c.passing_tests(rng, "node", rng.randint(1, 12))
    what = "hook" if rng.random() < 0.25 else "test"
    line_no = rng.randint(12, 140)
    file = f"src/{mod}/{c.lower_camel(mod)}.test.ts"
    lines += [
        f" FAIL  {file} ({rng.randint(5, 60)}.{rng.randint(0, 99)} s)",
        f"  ● {suite} › {name}",
        "",
        f'    thrown: "Exceeded timeout of {limit} ms for a {what}.',
        "    Add a timeout value to this test to increase the timeout, if this is a long-running "
        'test. See https://jestjs.io/docs/api#testname-fn-timeout."',
        "",
        f"      {line_no - 1} |",
        f'    > {line_no} |   it("{name}", async () => {{',
        "         |   ^",
        f"      {line_no + 1} |     const result = await {c.lower_camel(mod)}.run();",
        "",
        f"      at it ({file}:{line_no}:3)",
        "",
        f"Test Suites: 1 failed, {passed_suites} passed, {passed_suites + 1} total",
        f"Tests:       1 failed, {passed_suites * 4} passed, {passed_suites * 4 + 1} total",
        "Snapshots:   0 total",
        f"Time:        {rng.randint(10, 300)}.{rng.randint(100, 999)} s",
        "Ran all test suites.",
    ]
    return _failure(
        lines, "Test", rng.choice(("npx jest --ci", "npm test", "yarn test")), 1, "jest"
    )


def vitest_timed_out(rng: random.Random, eco: str) -> Failure:
    mod = rng.choice(c.MODULES)
    file = f"src/{mod}/{c.lower_camel(mod)}.spec.ts"
    name = rng.choice(c.BEHAVIOURS).replace("_", " ")
    limit = rng.choice((5000, 10000, 15000))
    ok = rng.randint(5, 80)
    lines = [
        f" ✓ src/{rng.choice(c.MODULES)}/index.spec.ts ({rng.randint(2, 30)} tests) "
        f"{rng.randint(10, 900)}ms"
        for _ in range(rng.randint(1, 6))
    ]
    lines += [
        f" ❯ {file} ({rng.randint(2, 20)} tests | 1 failed) {limit + rng.randint(10, 900)}ms",
        f"   × {c.camel(mod)} > {name} {limit}ms",
        f"     → Test timed out in {limit}ms.",
        "",
        "⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯",
        "",
        f" FAIL  {file} > {c.camel(mod)} > {name}",
        f"Error: Test timed out in {limit}ms.",
        "If this is a long-running test, pass a timeout value as the last argument or configure "
        'it globally with "testTimeout".',
        "",
        f" Test Files  1 failed | {rng.randint(1, 30)} passed",
        f"      Tests  1 failed | {ok} passed",
    ]
    return _failure(lines, "Unit tests", rng.choice(("npx vitest run", "pnpm test")), 1, "vitest")


def pytest_timeout(rng: random.Random, eco: str) -> Failure:
    seconds = rng.choice((60.0, 120.0, 300.0, 600.0, 900.0))
    mod = rng.choice(c.MODULES)
    test = c.test_name(rng)
    minor = rng.randint(9, 12)
    py = f"/opt/hostedtoolcache/Python/3.{minor}.{rng.randint(1, 9)}/x64/lib/python3.{minor}"
    lines = c.passing_tests(rng, "python", rng.randint(3, 30))
    if rng.random() < 0.5:
        ident = rng.randint(139_000_000_000_000, 140_999_999_999_999)
        lines += [
            f"tests/test_{mod}.py::{test} ",
            "+" * 35 + " Timeout " + "+" * 35,
            "~" * 26 + f" Stack of MainThread ({ident}) " + "~" * 26,
            f'  File "{py}/threading.py", line 327, in wait',
            "    waiter.acquire()",
            f'  File "{py}/socket.py", line 706, in readinto',
            "    return self._sock.recv_into(b)",
            "+" * 35 + " Timeout " + "+" * 35,
        ]
        return _failure(
            lines,
            "Run tests",
            f"pytest --timeout={int(seconds)} --timeout-method=thread",
            1,
            "pytest-timeout",
        )
    passed = rng.randint(20, 400)
    lines += [
        "=" * 35 + " FAILURES " + "=" * 35,
        "_" * 20 + f" {test} " + "_" * 20,
        "",
        f"    def {test}(client):",
        f'>       response = client.get("/{mod}/export")',
        "",
        f"tests/test_{mod}.py:{rng.randint(10, 300)}: ",
        "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _",
        f"{py}/socket.py:706: in readinto",
        "    return self._sock.recv_into(b)",
        f"E   Failed: Timeout >{seconds}s",
        "=" * 25 + " short test summary info " + "=" * 25,
        f"FAILED tests/test_{mod}.py::{test} - Failed: Timeout >{seconds}s",
        "=" * 12
        + f" 1 failed, {passed} passed in {int(seconds) + rng.randint(10, 200)}.{rng.randint(10, 99)}s "
        + "=" * 12,
    ]
    return _failure(lines, "Run tests", f"pytest --timeout={int(seconds)}", 1, "pytest-timeout")


def go_test_timed_out(rng: random.Random, eco: str) -> Failure:
    limit = rng.choice(("10m0s", "10m0s", "5m0s", "30m0s", "2m0s", "20m0s"))
    test = f"Test{c.camel(rng.choice(c.MODULES))}{c.camel(rng.choice(c.BEHAVIOURS))}"
    go = f"/opt/hostedtoolcache/go/1.2{rng.randint(1, 3)}.{rng.randint(0, 9)}/x64/src"
    pkg = f"github.com/{c.slug(rng)}/internal/{rng.choice(c.MODULES)}"
    lines = c.passing_tests(rng, "go", rng.randint(1, 12))
    lines += [
        f"=== RUN   {test}",
        f"panic: test timed out after {limit}",
        "\trunning tests:",
        f"\t\t{test} ({limit})",
        "",
        f"goroutine {rng.randint(20, 400)} [running]:",
        "testing.(*M).startAlarm.func1()",
        f"\t{go}/testing/testing.go:{rng.randint(2200, 2400)} +0x{c.hexid(rng, 3)}",
        "created by time.goFunc",
        f"\t{go}/time/sleep.go:{rng.randint(170, 180)} +0x2d",
        "",
        f"goroutine 1 [chan receive, {rng.randint(2, 29)} minutes]:",
        f"testing.(*T).Run(0xc000{c.hexid(rng, 6)}, {{0x{c.hexid(rng, 6)}?, 0x0?}}, 0x{c.hexid(rng, 6)})",
        f"\t{go}/testing/testing.go:{rng.randint(1700, 1800)} +0x3ab",
        f"FAIL\t{pkg}\t{rng.randint(120, 1800)}.{rng.randint(100, 999)}s",
        "FAIL",
    ]
    return _failure(lines, "Test", rng.choice(("go test ./...", "go test -race ./...")), 1, "go")


def maven_fork_timeout(rng: random.Random, eco: str) -> Failure:
    plugin, goal = rng.choice(
        (
            ("maven-surefire-plugin", "test (default-test)"),
            ("maven-failsafe-plugin", "integration-test (default)"),
        )
    )
    project = c.repo(rng)
    lines = c.passing_tests(rng, "java", rng.randint(2, 20))
    lines += [
        f"[INFO] Running com.{c.org(rng).replace('-', '')}.{rng.choice(c.MODULES)}.SyncIT",
        "[ERROR] There was a timeout in the fork",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] BUILD FAILURE",
        "[INFO] ------------------------------------------------------------------------",
        f"[INFO] Total time:  {rng.randint(10, 59)}:{rng.randint(10, 59)} min",
        f"[ERROR] Failed to execute goal org.apache.maven.plugins:{plugin}:3.{rng.randint(0, 2)}."
        f"{rng.randint(0, 5)}:{goal} on project {project}: There was a timeout in the fork "
        "-> [Help 1]",
        "[ERROR] ",
        "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
        "[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
    ]
    return _failure(lines, "Build with Maven", "mvn -B verify", 1, "maven")


def junit_timeout(rng: random.Random, eco: str) -> Failure:
    mod = rng.choice(c.MODULES)
    cls = f"{c.camel(mod)}ServiceTest"
    method = c.lower_camel(rng.choice(c.BEHAVIOURS)) + "()"
    task = f":{rng.choice(('app', 'service', 'core', mod))}:test"
    lines = [f"> Task {task}", ""]
    variant = rng.randrange(3)
    if variant == 0:
        secs = rng.choice((5, 10, 30, 60))
        lines += [
            f"{cls} > {method} FAILED",
            f"    java.util.concurrent.TimeoutException: {method} timed out after {secs} seconds",
            "        at org.junit.jupiter.engine.extension.TimeoutExceptionFactory.create"
            "(TimeoutExceptionFactory.java:29)",
        ]
    elif variant == 1:
        lines += [
            f"{cls} > {method} FAILED",
            "    org.opentest4j.AssertionFailedError: execution timed out after "
            f"{rng.choice((1000, 2000, 5000))} ms",
            "        at org.junit.jupiter.api.AssertTimeoutPreemptively.createAssertionFailure"
            "(AssertTimeoutPreemptively.java:153)",
        ]
    if variant < 2:
        total = rng.randint(20, 400)
        lines += [
            "",
            f"{total} tests completed, 1 failed",
            "",
            f"> Task {task} FAILED",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            f"Execution failed for task '{task}'.",
            "> There were failing tests. See the report at: file:///home/runner/work/"
            f"{mod}/{mod}/build/reports/tests/test/index.html",
        ]
    else:
        lines += [
            f"> Task {task} FAILED",
            "Requesting stop of task "
            f"'{task}' as it has exceeded its configured timeout of "
            f"{rng.randint(5, 60)}m.",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            f"Execution failed for task '{task}'.",
            "> Timeout has been exceeded",
        ]
    lines += ["", f"BUILD FAILED in {rng.randint(1, 40)}m {rng.randint(0, 59)}s"]
    return _failure(lines, "Test", "./gradlew test", 1, "gradle")


def coreutils_timeout(rng: random.Random, eco: str) -> Failure:
    script = rng.choice(("./scripts/e2e.sh", "./ci/smoke.sh", "npm", "python", "./bin/replay"))
    limit = rng.choice(("10m", "20m", "900", "30m", "600"))
    lines = [
        f"==> {rng.choice(c.MODULES)}: {rng.randint(1, 90)} checks ok"
        for _ in range(rng.randint(2, 12))
    ]
    quote = rng.choice((("‘", "’"), ("'", "'")))
    lines.append(f"timeout: sending signal TERM to command {quote[0]}{script}{quote[1]}")
    if rng.random() < 0.3:
        lines.append("Terminated")
    return _failure(
        c.pad(rng, lines, "shell"),
        "Smoke test",
        f"timeout --verbose {limit} {script}",
        124,
        "coreutils",
    )


def deploy_wait_deadline(rng: random.Random, eco: str) -> Failure:
    app = rng.choice(c.REPOS)
    variant = rng.randrange(3)
    if variant == 0:
        replicas = rng.randint(2, 6)
        lines = [f"deployment.apps/{app} configured"]
        for ready in range(rng.randint(1, replicas)):
            lines.append(
                f'Waiting for deployment "{app}" rollout to finish: {ready} of '
                f"{replicas} updated replicas are available..."
            )
        lines.append(
            rng.choice(
                (
                    "error: timed out waiting for the condition",
                    f'error: deployment "{app}" exceeded its progress deadline',
                )
            )
        )
        cmd = f"kubectl rollout status deployment/{app} --timeout={rng.randint(2, 15)}m"
        return _failure(c.pad(rng, lines, "deploy"), "Wait for rollout", cmd, 1, "kubectl")
    if variant == 1:
        verb = rng.choice(("UPGRADE", "INSTALLATION"))
        lines = [
            f'Release "{app}" does not exist. Installing it now.'
            if verb == "INSTALLATION"
            else f"history.go:56: [debug] getting history for release {app}"
        ]
        lines.append(
            f"Error: {verb} FAILED: "
            + rng.choice(("context deadline exceeded", "timed out waiting for the condition"))
        )
        cmd = f"helm upgrade --install {app} ./charts/{app} --wait --timeout 5m0s"
        return _failure(c.pad(rng, lines, "deploy"), "Deploy", cmd, 1, "helm")
    cluster = f"{rng.choice(('prod', 'staging'))}-{c.org(rng)}"
    lines = [
        f"Waiting for service {app} in cluster {cluster} to become stable...",
        "",
        "Waiter ServicesStable failed: Max attempts exceeded",
    ]
    cmd = f"aws ecs wait services-stable --cluster {cluster} --services {app}"
    return _failure(c.pad(rng, lines, "deploy"), "Wait for ECS", cmd, 255, "aws")


def dotnet_blame_hang(rng: random.Random, eco: str) -> Failure:
    mod = c.camel(rng.choice(c.MODULES))
    pid = rng.randint(1500, 9000)
    minutes = rng.choice((5, 10, 15, 30))
    results = f"{c.workdir(rng, c.repo(rng))}/TestResults/{c.hexid(rng, 8)}"
    lines = [
        f"Test run for /src/{mod}.Tests/bin/Release/net8.0/{mod}.Tests.dll "
        "(.NETCoreApp,Version=v8.0)",
        "Starting test execution, please wait...",
        "A total of 1 test files matched the specified pattern.",
    ]
    lines += c.passing_tests(rng, "dotnet", rng.randint(2, 15))
    test = f"{mod}.Tests.{c.camel(rng.choice(c.BEHAVIOURS))}"
    lines += [
        f"Data collector 'Blame' message: The specified inactivity time of {minutes} minutes has "
        "elapsed. Collecting hang dumps from testhost and its child processes.",
        f"Data collector 'Blame' message: Dumping {pid} - testhost.",
        "The active test run was aborted. Reason: Test host process crashed",
        "The test running when the crash occurred: ",
        test,
        "",
        "Attachments:",
        f"  {results}/Sequence_{c.hexid(rng, 32)}.xml",
        f"  {results}/testhost_{pid}_hangdump.dmp",
        "Test Run Aborted.",
        "Total tests: Unknown",
        f"     Passed: {rng.randint(10, 400)}",
        f" Total time: {minutes + rng.randint(0, 3)}.{rng.randint(1000, 9999)} Minutes",
    ]
    cmd = f"dotnet test --blame-hang-timeout {minutes}m"
    return _failure(lines, "Test", cmd, 1, "dotnet")


def rspec_timeout_error(rng: random.Random, eco: str) -> Failure:
    mod = rng.choice(c.MODULES)
    desc = rng.choice(c.BEHAVIOURS).replace("_", " ")
    cls = f"{c.camel(mod)}::Client"
    examples = rng.randint(20, 600)
    spec_line = rng.randint(8, 200)
    lines = [
        f"Randomized with seed {rng.randint(1000, 65000)}",
        "." * rng.randint(10, 70) + "F" + "." * rng.randint(0, 30),
        "",
        "Failures:",
        "",
        f"  1) {cls} {desc}",
        f"     Failure/Error: Timeout.timeout({rng.choice((2, 5, 10, 30))}) {{ client.{mod}_all }}",
        "",
        "     Timeout::Error:",
        "       execution expired",
        f"     # ./lib/{mod}/client.rb:{rng.randint(10, 150)}:in `{mod}_all'",
        f"     # ./spec/{mod}/client_spec.rb:{spec_line}:in `block (3 levels) in <top (required)>'",
        "",
        f"Finished in {rng.randint(1, 5)} minutes {rng.randint(1, 59)}.{rng.randint(1, 9)} "
        f"seconds (files took {rng.randint(1, 9)}.{rng.randint(1, 9)} seconds to load)",
        f"{examples} examples, 1 failure",
        "",
        "Failed examples:",
        "",
        f"rspec ./spec/{mod}/client_spec.rb:{spec_line} # {cls} {desc}",
    ]
    return _failure(lines, "RSpec", "bundle exec rspec", 1, "rspec")


def nextest_timeout(rng: random.Random, eco: str) -> Failure:
    crate = c.repo(rng).replace("-", "_")
    test = f"{crate} {rng.choice(c.MODULES)}::tests::{rng.choice(c.BEHAVIOURS)}"
    total = rng.randint(20, 300)
    slow = rng.choice((30, 60, 120))
    limit = slow * rng.choice((2, 3, 5))
    frac = rng.randint(10, 99)
    lines = [f"    Starting {total} tests across {rng.randint(1, 12)} binaries"]
    for _ in range(rng.randint(2, 10)):
        lines.append(
            f"        PASS [   {rng.randint(0, 9)}.{rng.randint(100, 999)}s] {crate} "
            f"{rng.choice(c.MODULES)}::tests::{rng.choice(c.BEHAVIOURS)}"
        )
    lines += [
        f"        SLOW [> {slow}.000s] {test}",
        f"     TIMEOUT [ {limit}.0{frac}s] {test}",
        "------------",
        f"     Summary [ {limit + rng.randint(1, 60)}.{rng.randint(100, 999)}s] {total} "
        f"tests run: {total - 1} passed, 1 timed out, 0 skipped",
        f"     TIMEOUT [ {limit}.0{frac}s] {test}",
        "error: test run failed",
    ]
    return _failure(lines, "Test", "cargo nextest run --profile ci", 100, "nextest")


def ctest_timeout(rng: random.Random, eco: str) -> Failure:
    total = rng.randint(6, 60)
    bad = rng.randint(1, total)
    name = f"{rng.choice(c.MODULES)}_integration"
    limit = rng.choice((60, 300, 1500))
    lines = [f"Test project {c.workdir(rng, c.repo(rng))}/build"]
    lines += c.passing_tests(rng, "cpp", min(bad - 1, 25), total=total)
    lines += [
        f"{bad:3d}/{total} Test #{bad:2d}: {name} {'.' * 20}***Timeout "
        f"{limit}.0{rng.randint(1, 9)} sec",
        "",
        f"{int(100 * (total - 1) / total)}% tests passed, 1 tests failed out of {total}",
        "",
        f"Total Test time (real) = {limit + rng.randint(5, 300)}.{rng.randint(10, 99)} sec",
        "",
        "The following tests FAILED:",
        f"\t{bad:3d} - {name} (Timeout)",
        "Errors while running CTest",
    ]
    return _failure(lines, "Test", "ctest --output-on-failure --timeout 1500", 8, "ctest")


FAMILIES: list[Family] = [
    _family("job-max-execution-time", c.ALL_ECOSYSTEMS, job_max_execution_time),
    _family("step-timeout-minutes", c.ALL_ECOSYSTEMS, step_timeout_minutes),
    _family("mocha-timeout-exceeded", ("node",), mocha_timeout),
    _family("jest-exceeded-timeout", ("node",), jest_exceeded_timeout),
    _family("vitest-test-timed-out", ("node",), vitest_timed_out),
    _family("pytest-timeout-plugin", ("python",), pytest_timeout),
    _family("go-test-timed-out", ("go",), go_test_timed_out),
    _family("maven-fork-timeout", ("java",), maven_fork_timeout),
    _family("junit-gradle-timeout", ("java",), junit_timeout),
    _family("coreutils-timeout-term", c.ALL_ECOSYSTEMS, coreutils_timeout),
    _family("deploy-wait-deadline", ("docker", "go", "python", "node"), deploy_wait_deadline),
    _family("dotnet-blame-hang", ("dotnet",), dotnet_blame_hang),
    _family("rspec-timeout-error", ("ruby",), rspec_timeout_error),
    _family("nextest-timeout", ("rust",), nextest_timeout),
    _family("ctest-timeout", ("cpp",), ctest_timeout),
]
