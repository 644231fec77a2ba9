"""More families of ``timeout``: other CI systems' limits, other languages' test time-outs.

Same rules as ``timeout.py``: a limit that ends the work is a timeout even after green output,
and a deadline while waiting for infrastructure to become ready (a Terraform resource, an
emulator) is a timeout. Tools outside the nine ecosystems run on the closest runner set-up:
Elixir and PHP jobs in their official container images (``docker``), Swift/XCTest on the clang
toolchain (``cpp``), Scala/sbt and Dart/Flutter (which sets up Java for Android) on ``java``.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c
from . import _common_b2 as c2

LABEL = "timeout"

_failure = partial(c2.failure, LABEL)
_family = partial(c2.family, LABEL)


def gitlab_azure_job_limit(rng: random.Random, eco: str) -> Failure:
    lines = c.passing_tests(rng, eco, rng.randint(2, 30))
    if rng.random() < 0.5:
        hours = rng.choice((1, 1, 2, 3))
        limit = f"{hours}h0m0s" if rng.random() < 0.7 else f"{hours * 60}m0s"
        error = f"execution took longer than {limit} seconds"
        return _failure(
            lines,
            "test",
            c.command(rng, c.TEST_COMMANDS, eco),
            None,
            "gitlab-runner",
            (error,),
            ("gitlab",),
        )
    minutes = rng.choice((60, 60, 120, 360, 30))
    agent = rng.choice(("Azure Pipelines", "Hosted Agent", f"build-agent-{rng.randint(1, 20)}"))
    errors = (
        f"The job running on agent {agent} {rng.randint(1, 9)} ran longer than the maximum time "
        f"of {minutes} minutes. For more information, see "
        "https://go.microsoft.com/fwlink/?linkid=2077134",
        "The operation was canceled.",
    )
    return _failure(
        lines, "Test", c.command(rng, c.TEST_COMMANDS, eco), None, "azure-agent", errors, ("azure",)
    )


def circleci_jenkins_no_output(rng: random.Random, eco: str) -> Failure:
    lines = c.build_progress(rng, eco, rng.randint(2, 20))
    if rng.random() < 0.5:
        limit = rng.choice(("10m0s", "10m0s", "20m0s", "30m0s"))
        error = f"Too long with no output (exceeded {limit}): context deadline exceeded"
        return _failure(
            lines,
            "Build",
            c.command(rng, c.BUILD_COMMANDS, eco),
            None,
            "circleci",
            (error,),
            ("circleci",),
        )
    lines += [
        "Cancelling nested steps due to timeout",
        "Sending interrupt signal to process",
    ]
    if rng.random() < 0.5:
        lines.append(
            f"/var/lib/jenkins/workspace/{c.repo(rng)}@tmp/durable-{c.hexid(rng, 8)}/script.sh"
            f": line 1: {rng.randint(900, 9000)} Terminated              "
            + c.command(rng, c.BUILD_COMMANDS, eco)
        )
    return _failure(
        lines,
        "Build",
        c.command(rng, c.BUILD_COMMANDS, eco),
        None,
        "jenkins-timeout",
        ("Timeout has been exceeded",),
        ("jenkins",),
    )


def exunit_timeout(rng: random.Random, eco: str) -> Failure:
    """Elixir's ExUnit, run in the ``elixir`` container image (declared ``docker``)."""
    mod = c.camel(rng.choice(c.MODULES))
    app = rng.choice(("MyApp", "Shop", "Ledger", "Relay"))
    test = rng.choice(c.BEHAVIOURS).replace("_", " ")
    ms = rng.choice((60000, 60000, 30000, 120000))
    file = f"test/{app.lower()}/{mod.lower()}_test.exs"
    line_no = rng.randint(10, 200)
    total = rng.randint(40, 600)
    lines = [
        "Compiling 1 file (.ex)",
        f"Running ExUnit with seed: {rng.randint(1, 999999)}, max_cases: 4",
        "",
        "." * rng.randint(10, 60),
        "",
    ]
    lines += [
        f"  1) test {test} ({app}.{mod}Test)",
        f"     {file}:{line_no}",
        f"     ** (ExUnit.TimeoutError) test timed out after {ms}ms. You can change the timeout:",
        "",
        '       1. per test by setting "@tag timeout: x" (accepts :infinity)',
        '       2. per test module by setting "@moduletag timeout: x" (accepts :infinity)',
        '       3. globally via "ExUnit.start(timeout: x)" configuration',
        '       4. by running "mix test --timeout x" which sets timeout',
        '       5. or by running "mix test --trace" which sets timeout to infinity',
        "          (useful when using IEx.pry/1)",
        "",
        f"     code: {{:ok, _}} = {mod}.{rng.choice(c.BEHAVIOURS)}(conn)",
        "     stacktrace:",
        f"       (elixir 1.1{rng.randint(4, 7)}.{rng.randint(0, 3)}) lib/process.ex:"
        f"{rng.randint(250, 300)}: Process.sleep/1",
        f"       {file}:{line_no + rng.randint(2, 9)}: (test)",
        "",
        f"Finished in {ms // 1000 + rng.randint(1, 30)}.{rng.randint(1, 9)} seconds "
        f"({rng.randint(1, 9)}.{rng.randint(1, 9)}s async, {rng.randint(10, 90)}.{rng.randint(1, 9)}s sync)",
        f"{total} tests, 1 failure",
    ]
    return _failure(lines, "Run tests", "mix test --warnings-as-errors", 2, "exunit")


def php_time_limit(rng: random.Random, eco: str) -> Failure:
    """PHP under PHPUnit or a plain script, run in the ``php`` container image (``docker``)."""
    wd = c2.php_workdir(rng)
    mod = c.camel(rng.choice(c.MODULES))
    if rng.random() < 0.5:
        secs = rng.choice((30, 60, 120, 300))
        where = rng.choice(
            (
                f"{wd}/src/{mod}/{mod}Exporter.php",
                f"{wd}/vendor/guzzlehttp/guzzle/src/Handler/CurlHandler.php",
                f"{wd}/app/Jobs/Sync{mod}.php",
            )
        )
        prefix = rng.choice(("PHP Fatal error:  ", "Fatal error: "))
        lines = [
            f"> php bin/console app:{mod.lower()}:import --env=test",
            f"Importing {rng.randint(100, 90000)} rows...",
            f"{prefix}Maximum execution time of {secs} seconds exceeded in {where} on line "
            f"{rng.randint(20, 400)}",
        ]
        if rng.random() < 0.5:
            lines.append(
                f"Script php bin/console app:{mod.lower()}:import --env=test handling the "
                "import event returned with error code 255"
            )
        return _failure(lines, "Import fixtures", "composer run import", 255, "php")
    limit = rng.choice((1, 10, 60))
    unit = "second" if limit == 1 else "seconds"
    total = rng.randint(30, 900)
    test = f"Tests\\{rng.choice(('Feature', 'Integration', 'Unit'))}\\{mod}Test::test{c.camel(rng.choice(c.BEHAVIOURS))}"
    lines = [
        f"PHPUnit {rng.randint(9, 11)}.{rng.randint(0, 5)}.{rng.randint(0, 20)} by Sebastian "
        "Bergmann and contributors.",
        "",
        f"Runtime:       PHP 8.{rng.randint(1, 3)}.{rng.randint(0, 20)}",
        "",
        "." * rng.randint(20, 63)
        + "E"
        + "." * rng.randint(0, 20)
        + f" {rng.randint(60, 63)} / {total} ({rng.randint(5, 95)}%)",
        "",
        f"Time: 00:{rng.randint(10, 59)}.{rng.randint(100, 999)}, Memory: {rng.randint(20, 200)}.00 MB",
        "",
        "There was 1 error:",
        "",
        f"1) {test}",
        f"Execution aborted after {limit} {unit}",
        "",
        f"{wd}/tests/{mod}Test.php:{rng.randint(10, 200)}",
        "",
        "ERRORS!",
        f"Tests: {total}, Assertions: {total * 3}, Errors: 1.",
    ]
    return _failure(lines, "PHPUnit", "vendor/bin/phpunit --enforce-time-limit", 2, "phpunit")


def xctest_wait_timeout(rng: random.Random, eco: str) -> Failure:
    """Swift packages tested with ``swift test`` or ``xcodebuild`` (clang toolchain, ``cpp``)."""
    target = c.camel(rng.choice(c.MODULES))
    case = f"{target}Tests"
    method = "test" + c.camel(rng.choice(c.BEHAVIOURS))
    secs = rng.choice((1, 5, 10, 30))
    what = rng.choice(("response received", "download finished", "sync completed", "socket closed"))
    path = f"/Users/runner/work/{target}/{target}/Tests/{case}/{case}.swift"
    lines = [
        f"Test Suite '{case}' started at 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 09:{rng.randint(10, 59)}:{rng.randint(10, 59)}.{rng.randint(100, 999)}."
    ]
    for _ in range(rng.randint(1, 6)):
        ok = "test" + c.camel(rng.choice(c.BEHAVIOURS))
        lines += [
            f"Test Case '-[{target}Tests.{case} {ok}]' started.",
            f"Test Case '-[{target}Tests.{case} {ok}]' passed ({rng.randint(0, 2)}.{rng.randint(100, 999)} seconds).",
        ]
    lines += [
        f"Test Case '-[{target}Tests.{case} {method}]' started.",
        f"{path}:{rng.randint(10, 300)}: error: -[{target}Tests.{case} {method}] : Asynchronous wait "
        f'failed: Exceeded timeout of {secs} seconds, with unfulfilled expectations: "{what}".',
        f"Test Case '-[{target}Tests.{case} {method}]' failed ({secs}.{rng.randint(10, 99)}{rng.randint(0, 9)} seconds).",
    ]
    total = len([x for x in lines if x.endswith("started.")])
    lines.append(
        f"\t Executed {total} tests, with 1 failure (0 unexpected) in {secs + rng.randint(1, 9)}."
        f"{rng.randint(100, 999)} ({secs + rng.randint(10, 19)}.{rng.randint(100, 999)}) seconds"
    )
    cmd = rng.choice(
        (
            "swift test --parallel",
            "xcodebuild test -scheme App -destination 'platform=iOS Simulator,name=iPhone 15'",
        )
    )
    return _failure(lines, "Test", cmd, 1 if cmd.startswith("swift") else 65, "xctest")


_TF_WAITS: tuple[tuple[str, str, str, str], ...] = (
    ("aws_eks_node_group", "EKS Node Group", "ACTIVE", "CREATING"),
    ("aws_db_instance", "RDS DB Instance", "available", "creating"),
    ("aws_cloudfront_distribution", "CloudFront Distribution", "Deployed", "InProgress"),
    ("google_container_cluster", "GKE cluster", "RUNNING", "PROVISIONING"),
    ("azurerm_kubernetes_cluster", "Kubernetes Cluster", "Succeeded", "Creating"),
)


def terraform_wait_timeout(rng: random.Random, eco: str) -> Failure:
    """Terraform and OpenTofu are language-independent: every ecosystem declares it."""
    kind, what, target, state = rng.choice(_TF_WAITS)
    name = f"{c.repo(rng).replace('-', '_')}"
    limit = c2.duration_go(rng)
    lines = [
        f"{kind}.{name}: Still creating... [{m}m{s}s elapsed]"
        for m, s in sorted(
            (rng.randint(0, 40), rng.choice((0, 10, 20, 30, 40, 50)))
            for _ in range(rng.randint(2, 8))
        )
    ]
    tf_line = rng.randint(5, 200)
    if rng.random() < 0.6:
        lines += [
            "",
            f"Error: waiting for {what} ({c.org(rng)}-{name}) create: timeout while waiting for "
            f"state to become '{target}' (last state: '{state}', timeout: {limit})",
            "",
            f"  with {kind}.{name},",
            f'  on main.tf line {tf_line}, in resource "{kind}" "{name}":',
            f'  {tf_line}: resource "{kind}" "{name}" {{',
            "",
        ]
    else:
        lines += [
            "╷",
            f"│ Error: creating {what} ({name}): context deadline exceeded",
            "│ ",
            f"│   with module.{rng.choice(('platform', 'infra', 'app'))}.{kind}.{name},",
            f'│   on modules/{rng.choice(("platform", "infra", "app"))}/main.tf line {tf_line}, in resource "{kind}" "{name}":',
            "│ ",
            "╵",
        ]
    cmd = rng.choice(
        (
            "terraform apply -auto-approve tfplan",
            "tofu apply -auto-approve",
            "terragrunt apply --auto-approve",
        )
    )
    return _failure(lines, "Terraform apply", cmd, 1, "terraform")


def bazel_test_timeout(rng: random.Random, eco: str) -> Failure:
    pkg = rng.choice(c.MODULES)
    target = f"//{rng.choice(('src', 'services', 'lib'))}/{pkg}:{pkg}_{rng.choice(('test', 'integration_test', 'e2e_test'))}"
    limit = rng.choice((60.0, 300.0, 900.0, 3600.0))
    total = rng.randint(4, 80)
    out = f"/home/runner/.cache/bazel/_bazel_runner/{c.hexid(rng, 32)}/execroot/_main/bazel-out/k8-fastbuild/testlogs"
    lines = [
        f"INFO: Analyzed {total} targets ({rng.randint(100, 900)} packages loaded, "
        f"{rng.randint(2000, 40000)} targets configured).",
        f"INFO: Found {total - total // 2} targets and {total // 2} test targets...",
        f"TIMEOUT: {target} (Summary)",
        f"      {out}/{target[2:].replace(':', '/')}/test.log",
        f"INFO: From Testing {target}:",
        f"==================== Test output for {target}:",
    ]
    lines += c.passing_tests(rng, eco, rng.randint(1, 6))
    lines += [
        f"-- Test timed out at 2026-03-1{rng.randint(0, 9)} 0{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)} UTC --",
        "================================================================================",
        f"INFO: Elapsed time: {limit + rng.randint(20, 300)}s, Critical Path: {limit + rng.randint(1, 9)}s",
        f"INFO: Build completed, 1 test FAILED, {rng.randint(100, 5000)} total actions",
    ]
    ok = total // 2 - 1
    for _ in range(min(ok, rng.randint(1, 5))):
        lines.append(
            f"//{rng.choice(('src', 'lib'))}/{rng.choice(c.MODULES)}:unit_test"
            f"{' ' * rng.randint(4, 20)}PASSED in {rng.randint(0, 40)}.{rng.randint(1, 9)}s"
        )
    lines += [
        f"{target}{' ' * rng.randint(4, 12)}TIMEOUT in {limit}s",
        f"  {out}/{target[2:].replace(':', '/')}/test.log",
        "",
        f"Executed {total // 2} out of {total // 2} tests: {ok} tests pass and 1 fails locally.",
    ]
    return _failure(lines, "Test", "bazel test //... --test_output=errors", 3, "bazel")


def powershell_wait_timeout(rng: random.Random, eco: str) -> Failure:
    """A PowerShell step on a Windows runner that waits for a process, job or health check."""
    name = c.repo(rng)
    variant = rng.randrange(3)
    if variant == 0:
        proc = rng.choice(("setup", "msiexec", "vs_installer", "sqlservr"))
        pid = rng.randint(1000, 9999)
        secs = rng.choice((300, 600, 900))
        lines = [f"Started {proc} with PID {pid}, waiting up to {secs}s"]
        lines += c2.powershell_error(
            rng,
            "Wait-Process",
            f"Wait-Process -Id $p.Id -Timeout {secs}",
            f'This command stopped operation because process "{proc} ({pid})" is not stopped in '
            "the specified time-out.",
            f"CloseError: (System.Diagnostics.Process ({proc}):Process) [Wait-Process], "
            "TimeoutException",
            "ProcessNotTerminated,Microsoft.PowerShell.Commands.WaitProcessCommand",
        )
        return _failure(lines, "Install prerequisites", f".\\ci\\install-{proc}.ps1", 1, "pwsh")
    if variant == 1:
        url = f"http://localhost:{rng.choice((5000, 8080, 3000))}/health"
        secs = rng.choice((60, 120, 180))
        lines = [f"Waiting for {url} ..."]
        lines += [f"  attempt {n}: not ready" for n in range(1, rng.randint(3, 8))]
        lines += c2.powershell_error(
            rng,
            "Exception",
            f'throw "Timed out after {secs} seconds waiting for {url}"',
            f"Timed out after {secs} seconds waiting for {url}",
            f"OperationStopped: (Timed out after {secs} s...{url}:String) [], RuntimeException",
            f"Timed out after {secs} seconds waiting for {url}",
        )
        return _failure(lines, "Smoke test", ".\\scripts\\wait-for-app.ps1", 1, "pwsh")
    secs = rng.choice((600, 1200, 1800))
    wd = c2.win_workdir(name)
    lines = [
        f"Running {rng.randint(2, 8)} test shards from {wd}\\tests",
        "Id     Name            PSJobTypeName   State         HasMoreData     Location",
        "--     ----            -------------   -----         -----------     --------",
        f"{rng.randint(1, 9)}      shard-{rng.randint(1, 8)}         BackgroundJob   Running       True            localhost",
        f"Jobs still running after {secs}s: shard-{rng.randint(1, 8)}",
        f"Write-Error: Test shards did not finish within {secs // 60} minutes",
    ]
    return _failure(lines, "Test (Windows)", "pwsh .\\ci\\run-shards.ps1", 1, "pwsh")


def action_timed_out_terse(rng: random.Random, eco: str) -> Failure:
    """The newer runner's wording for ``timeout-minutes``, pasted with only the last lines."""
    step = rng.choice(("Run tests", "Build", "E2E", "Integration tests", "Deploy preview"))
    minutes = rng.choice((5, 10, 15, 20, 30, 45, 60))
    tail = c.passing_tests(rng, eco, rng.randint(2, 4))
    error = f"The action '{step}' has timed out after {minutes} minutes."
    return _failure(
        tail,
        step,
        c.command(rng, c.TEST_COMMANDS, eco),
        None,
        "runner-step",
        (error,),
        ("github_actions",),
    )


def scalatest_sbt_timeout(rng: random.Random, eco: str) -> Failure:
    """ScalaTest under sbt (``java`` runner set-up)."""
    mod = c.camel(rng.choice(c.MODULES))
    spec = f"{mod}ServiceSpec"
    pkg = f"com.{c.org(rng).replace('-', '')}.{mod.lower()}"
    total = rng.randint(20, 400)
    behaviour = rng.choice(c.BEHAVIOURS).replace("_", " ")
    reason = rng.choice(
        (
            f"The code passed to failAfter did not complete within {rng.choice((1, 5, 10, 30))} seconds.",
            f"A timeout occurred waiting for a future to complete. Queried {rng.randint(5, 40)} "
            f"times, sleeping {rng.choice((15, 150))} milliseconds between each query.",
            f"Future timed out after [{rng.choice((3, 10, 30))} seconds]",
        )
    )
    lines = [
        f"[info] {spec}:",
        f"[info] {mod}Service",
    ]
    for _ in range(rng.randint(1, 6)):
        lines.append(f"[info] - should {rng.choice(c.BEHAVIOURS).replace('_', ' ')}")
    lines += [
        f"[info] - should {behaviour} *** FAILED *** ({rng.randint(1000, 30000)} milliseconds)",
        f"[info]   {reason} ({spec}.scala:{rng.randint(10, 200)})",
        "[info] Run completed in "
        f"{rng.randint(10, 300)} seconds, {rng.randint(1, 999)} milliseconds.",
        f"[info] Total number of tests run: {total}",
        f"[info] Suites: completed {rng.randint(3, 40)}, aborted 0",
        f"[info] Tests: succeeded {total - 1}, failed 1, canceled 0, ignored 0, pending 0",
        "[info] *** 1 TEST FAILED ***",
        "[error] Failed tests:",
        f"[error] \t{pkg}.{spec}",
        "[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful",
        f"[error] Total time: {rng.randint(30, 600)} s, completed Mar {rng.randint(1, 28)}, 2026, "
        f"{rng.randint(1, 12)}:{rng.randint(10, 59)}:{rng.randint(10, 59)} PM",
    ]
    return _failure(lines, "Test", rng.choice(("sbt test", "sbt +test", "sbt -v ci")), 1, "sbt")


def dart_test_timeout(rng: random.Random, eco: str) -> Failure:
    """``dart test`` / ``flutter test`` (Flutter CI sets up Java for Android: ``java``)."""
    file = f"test/{rng.choice(c.MODULES)}_test.dart"
    name = rng.choice(c.BEHAVIOURS).replace("_", " ")
    secs = rng.choice((30, 30, 60, 120))
    ok = rng.randint(5, 300)
    stamp = f"{rng.randint(0, 4):02d}:{rng.randint(10, 59)}"
    lines = [f"{stamp} +{ok}: {file}: {c.camel(rng.choice(c.MODULES))} {name}"]
    lines += [
        f"{stamp} +{ok} -1: {file}: {c.camel(rng.choice(c.MODULES))} {name} [E]",
        f"  TimeoutException after 0:00:{secs:02d}.000000: Test timed out after {secs} seconds. "
        "See https://pub.dev/packages/test#timeouts",
        "  dart:isolate  _RawReceivePort._handleMessage",
        "",
        f"{stamp} +{ok} -1: Some tests failed.",
    ]
    if rng.random() < 0.4:
        lines = lines[1:3] + lines[-1:]
    cmd = rng.choice(("flutter test --coverage", "dart test", "flutter test"))
    return _failure(lines, "Run tests", cmd, 1, "dart-test")


FAMILIES: list[Family] = [
    _family("gitlab-azure-job-time-limit", c.ALL_ECOSYSTEMS, gitlab_azure_job_limit),
    _family("circleci-jenkins-no-output", c.ALL_ECOSYSTEMS, circleci_jenkins_no_output),
    _family("exunit-test-timeout", ("docker",), exunit_timeout),
    _family("php-time-limit", ("docker",), php_time_limit),
    _family("xctest-wait-timeout", ("cpp",), xctest_wait_timeout),
    _family("terraform-wait-timeout", c.ALL_ECOSYSTEMS, terraform_wait_timeout),
    _family("bazel-test-timeout", ("cpp", "java", "go", "python"), bazel_test_timeout),
    _family("powershell-wait-timeout", c2.WINDOWS_ECOSYSTEMS, powershell_wait_timeout),
    _family("action-timed-out-terse", c.ALL_ECOSYSTEMS, action_timed_out_terse),
    _family("scalatest-sbt-timeout", ("java",), scalatest_sbt_timeout),
    _family("dart-test-timeout", ("java",), dart_test_timeout),
]
