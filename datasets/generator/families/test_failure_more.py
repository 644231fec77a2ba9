"""More families of ``test_failure``: other test runners, wrappers and terse pastes.

Same decisions as ``test_failure``: the suite ran and assertions failed; test names and messages
mention timeouts, connections or retries on purpose. End-to-end assertions that fail on a wrong
value are tests failing, not timeouts. Languages without their own runner set-up are mapped onto
the closest ecosystem: PHP and Elixir onto ``docker`` (their CI mostly runs in the language's
image), Swift onto ``cpp`` (macOS runner), Dart/Flutter and Scala onto ``java``, PowerShell's
Pester onto ``dotnet`` (PowerShell runs on .NET)."""

from __future__ import annotations

import random

from datasets.generator._types import Failure, Family
from datasets.generator.families import _common_a as c
from datasets.generator.families import _common_a2 as c2

LABEL = "test_failure"
_TOPICS = ("timeout", "retry", "connection", "parsing", "rounding", "pagination", "empty input")


_BATS_CHECKS = (
    '[ "$status" -eq 0 ]',
    'assert_output --partial "done"',
    '[ -f "$TMP/config" ]',
)


def _topic(rng: random.Random) -> str:
    return c.pick(rng, _TOPICS)


def _pair(rng: random.Random) -> tuple[str, str]:
    """An expected and an actual value that differ."""
    a = rng.randint(0, 500)
    return c.pick(
        rng, ((str(a), str(a + rng.randint(1, 9))), ("'ok'", "'timeout'"), ("true", "false"))
    )


def phpunit(rng: random.Random, eco: str) -> Failure:
    """PHPUnit's ``There was 1 failure:`` report or Pest's compact output (PHP → docker)."""
    cls = f"Tests\\{c.pick(rng, ('Unit', 'Feature'))}\\{c.pascal(rng, 1)}Test"
    n, total = rng.randint(1, 3), rng.randint(20, 600)
    exp, got = _pair(rng)
    if rng.random() < 0.6:
        lines = [
            f"PHPUnit {rng.randint(9, 11)}.{rng.randint(0, 5)}.{rng.randint(0, 20)} by Sebastian Bergmann and contributors.",
            "",
            f"Runtime:       PHP 8.{rng.randint(1, 3)}.{rng.randint(0, 20)}",
            f"Configuration: {c.workdir(rng)}/phpunit.xml",
            "",
            "." * rng.randint(20, 60)
            + "F"
            + "." * rng.randint(0, 30)
            + f" {rng.randint(60, 63)} / {total} ( {rng.randint(10, 99)}%)",
            "",
            f"Time: 00:{rng.randint(1, 59):02d}.{rng.randint(100, 999)}, Memory: {rng.randint(20, 200)}.00 MB",
            "",
            f"There {'was' if n == 1 else 'were'} {n} failure{'s' if n > 1 else ''}:",
            "",
        ]
        for i in range(n):
            method = f"test{c.pascal(rng, 1)}{_topic(rng).title().replace(' ', '')}"
            lines += [
                f"{i + 1}) {cls}::{method}",
                c.pick(
                    rng,
                    (
                        f"Failed asserting that {got} matches expected {exp}.",
                        f"Failed asserting that {got} is identical to {exp}.",
                        "Failed asserting that false is true.",
                    ),
                ),
                "",
                f"{c.workdir(rng)}/tests/{cls.split(chr(92))[1]}/{cls.rsplit(chr(92), 1)[1]}.php:{rng.randint(10, 300)}",
                "",
            ]
        lines += [
            "FAILURES!",
            f"Tests: {total}, Assertions: {total * 2 + rng.randint(0, 90)}, Failures: {n}.",
        ]
        cmd = c.pick(rng, ("vendor/bin/phpunit", "composer test", "php artisan test --parallel"))
    else:
        lines = [
            f"   FAIL  {cls}",
            f"  ✓ it stores the {c.pick(rng, c.WORDS)}",
            f"  ⨯ it handles {_topic(rng)} for {c.pick(rng, c.WORDS)}s",
            "  ────────────────────────────────────────────────────────────────────",
            f"   FAILED  {cls} > it handles {_topic(rng)}",
            f"  Failed asserting that {got} is identical to {exp}.",
            "",
            f"  at tests/{cls.split(chr(92))[1]}/{cls.rsplit(chr(92), 1)[1]}.php:{rng.randint(10, 300)}",
            "",
            f"  Tests:    {n} failed, {total - n} passed ({total * 2} assertions)",
            f"  Duration: {c.seconds(rng, 1, 90)}s",
        ]
        cmd = "./vendor/bin/pest --ci"
    return c2.finish_mapped(rng, eco, LABEL, lines, "Run tests", cmd, stack="php")


def exunit(rng: random.Random, eco: str) -> Failure:
    """ExUnit's numbered failures with ``left:``/``right:`` (Elixir → docker)."""
    mod = c2.mod_name(rng)
    path = f"test/{mod.lower().replace('.', '/')}_test.exs"
    n, total = rng.randint(1, 3), rng.randint(20, 900)
    lines = [
        f"Running ExUnit with seed: {rng.randint(1000, 999999)}, max_cases: {rng.choice((4, 8, 16))}",
        "",
    ]
    lines.append("." * rng.randint(10, 60))
    for i in range(n):
        exp, got = _pair(rng)
        var = c.ident(rng, 1)
        lines += [
            "",
            f"  {i + 1}) test {_topic(rng)} {c.pick(rng, ('returns', 'rejects', 'keeps'))} {c.pick(rng, c.WORDS)} ({mod}Test)",
            f"     {path}:{rng.randint(5, 300)}",
            c.pick(rng, ("     Assertion with == failed", "     Assertion with === failed")),
            f"     code:  assert {var} == {exp}",
            f"     left:  {got}",
            f"     right: {exp}",
            "     stacktrace:",
            f"       {path}:{rng.randint(5, 300)}: (test)",
        ]
    lines += [
        "",
        f"Finished in {c.seconds(rng, 0.1, 60)} seconds ({c.seconds(rng, 0.1, 9)}s async, {c.seconds(rng, 0.1, 50)}s sync)",
        f"{total} tests, {n} failure{'s' if n > 1 else ''}",
    ]
    return c2.finish_mapped(
        rng,
        eco,
        LABEL,
        lines,
        "Run tests",
        c.pick(rng, ("mix test", "mix test --cover")),
        stack="elixir",
    )


def xctest(rng: random.Random, eco: str) -> Failure:
    """XCTest under ``swift test`` or xcodebuild (Swift → cpp, macOS runner)."""
    wd, target = c2.mac_workdir(rng), f"{c.pascal(rng, 1)}Tests"
    cls = f"{c.pascal(rng, 1)}Tests"
    n, total = rng.randint(1, 3), rng.randint(10, 400)
    lines = [f"Test Suite '{target}.xctest' started."]
    for _ in range(n):
        method = f"test{c.pascal(rng, 1)}{_topic(rng).title().replace(' ', '')}"
        exp, got = _pair(rng)
        assertion = c.pick(
            rng,
            (
                f'XCTAssertEqual failed: ("{got}") is not equal to ("{exp}")',
                "XCTAssertTrue failed",
                f'XCTAssertNil failed: "{c.pick(rng, c.WORDS)}"',
            ),
        )
        lines += [
            f"Test Case '-[{target}.{cls} {method}]' started.",
            f"{wd}/Tests/{target}/{cls}.swift:{rng.randint(5, 300)}: error: -[{target}.{cls} {method}] : {assertion}",
            f"Test Case '-[{target}.{cls} {method}]' failed ({rng.uniform(0.001, 2):.3f} seconds).",
        ]
    lines += [
        f"Test Suite '{target}.xctest' failed.",
        f"\t Executed {total} tests, with {n} failure{'s' if n > 1 else ''} (0 unexpected) in {rng.uniform(0.1, 30):.3f} ({rng.uniform(30, 40):.3f}) seconds",
    ]
    if rng.random() < 0.5:
        lines += ["", "** TEST FAILED **"]
        cmd, code = f"xcodebuild test -scheme {target[:-5]} -destination 'platform=macOS'", 65
    else:
        cmd, code = "swift test --parallel", 1
    return Failure(LABEL, [ln.replace("\t", "     ") for ln in lines], "Test", cmd, code)


def flutter_test(rng: random.Random, eco: str) -> Failure:
    """``flutter test``: the running counter line, matcher output, ``Some tests failed.`` (→ java)."""
    path = f"test/{c.pick(rng, ('widgets/', 'models/', ''))}{c.ident(rng, 1)}_test.dart"
    group, name = (
        c.pascal(rng, 1),
        f"{_topic(rng)} {c.pick(rng, ('shows', 'parses', 'keeps'))} {c.pick(rng, c.WORDS)}",
    )
    passed, failed = rng.randint(5, 300), rng.randint(1, 3)
    exp, got = _pair(rng)
    m, s = rng.randint(0, 2), rng.randint(10, 59)
    lines = [
        f"{m:02d}:{s - 3:02d} +{passed - 2}: {path}: {group} renders",
        f"{m:02d}:{s - 1:02d} +{passed - 1} -{failed - 1 if failed > 1 else 0}: {path}: {group} {name}".replace(
            " -0:", ":"
        ),
        "══╡ EXCEPTION CAUGHT BY FLUTTER TEST FRAMEWORK ╞════════════════════════════════════"
        if rng.random() < 0.5
        else "",
        f"Expected: {exp}",
        f"  Actual: {got}",
        *(["   Which: is different."] if "'" in exp else []),
        "",
        "package:matcher                                      expect",
        f"{path} {rng.randint(5, 200)}:{rng.randint(3, 20)}  main.<fn>.<fn>",
        "",
        f"{m:02d}:{s:02d} +{passed} -{failed}: {path}: {group} {name} [E]",
        "  Test failed. See exception logs above.",
        f"  The test description was: {name}",
        "",
        f"{m:02d}:{s + 0:02d} +{passed} -{failed}: Some tests failed.",
    ]
    lines = [ln for ln in lines if ln or rng.random() < 0.8]
    cmd = c.pick(rng, ("flutter test", "flutter test --coverage", "dart test"))
    return Failure(LABEL, lines, "Test", cmd)


def scala_sbt_test(rng: random.Random, eco: str) -> Failure:
    """ScalaTest or MUnit under sbt: ``*** FAILED ***`` then ``sbt.TestsFailedException``."""
    spec = f"com.acme.{c.pick(rng, c.WORDS)}.{c.pascal(rng, 1)}Spec"
    short = spec.rsplit(".", 1)[1]
    exp, got = _pair(rng)
    if rng.random() < 0.5:
        lines = [
            f"[info] {short}:",
            f"[info] - should parse the {c.pick(rng, c.WORDS)}",
            f"[info] - should handle {_topic(rng)} *** FAILED ***",
            f"[info]   {got} did not equal {exp} ({short}.scala:{rng.randint(5, 300)})",
            f"[info] Run completed in {rng.randint(1, 90)} seconds, {rng.randint(1, 999)} milliseconds.",
            f"[info] Total number of tests run: {rng.randint(10, 400)}",
            f"[info] Suites: completed {rng.randint(3, 40)}, aborted 0",
            f"[info] Tests: succeeded {rng.randint(10, 400)}, failed 1, canceled 0, ignored 0, pending 0",
            "[info] *** 1 TEST FAILED ***",
        ]
    else:
        lines = [
            f"{spec}:",
            f"  + {c.pick(rng, c.WORDS)} round-trips {rng.uniform(0.001, 0.5):.3f}s",
            f"==> X {spec}.{_topic(rng)} is handled  {rng.uniform(0.001, 0.5):.3f}s munit.ComparisonFailException: {c.workdir(rng)}/src/test/scala/{short}.scala:{rng.randint(5, 300)}",
            "values are not the same",
            "=> Obtained",
            got,
            "=> Diff (- obtained, + expected)",
            f"-{got}",
            f"+{exp}",
        ]
    lines += [
        "[error] Failed tests:",
        f"[error] \t{spec}".replace("\t", "    "),
        "[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful",
        f"[error] Total time: {rng.randint(5, 300)} s, completed Mar {rng.randint(1, 28)}, 2026, 3:{rng.randint(10, 59)}:{rng.randint(10, 59)} PM",
    ]
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Test", "Run tests")),
        c.pick(rng, ("sbt test", "sbt +test", "sbt coverage test")),
    )


def pester_windows(rng: random.Random, eco: str) -> Failure:
    """Pester 5 on a Windows runner (PowerShell → dotnet), ``[-]`` lines and the counts line."""
    wd, formats = c2.win_workdir(rng)
    fn = f"{c.pick(rng, ('Get', 'Set', 'New', 'Test'))}-{c.pascal(rng, 1)}"
    file = f"{wd}\\tests\\{fn}.Tests.ps1"
    exp, got = _pair(rng)
    total, n = rng.randint(10, 300), rng.randint(1, 3)
    lines = [
        f"Pester v5.{rng.randint(3, 6)}.{rng.randint(0, 9)}",
        "",
        f"Starting discovery in {rng.randint(1, 30)} files.",
        f"Discovery found {total} tests in {rng.randint(50, 900)}ms.",
        "Running tests.",
    ]
    for _ in range(n):
        it = f"{c.pick(rng, ('returns', 'handles', 'throws on'))} {_topic(rng)}"
        lines += [
            f"[-] {fn}.{it} {rng.randint(3, 900)}ms ({rng.randint(1, 800)}ms|{rng.randint(1, 90)}ms)",
            f" Expected {exp}, but got {got}.",
            f" at $result | Should -Be {exp}, {file}:{rng.randint(5, 200)}",
            f" at <ScriptBlock>, {file}:{rng.randint(5, 200)}",
        ]
    lines += [
        f"Tests completed in {c.seconds(rng, 1, 90)}s",
        f"Tests Passed: {total - n}, Failed: {n}, Skipped: {rng.randint(0, 4)}, Inconclusive: 0, NotRun: 0",
    ]
    if rng.random() < 0.5:
        lines.append(f"Error: Pester run failed: {n} test{'s' if n > 1 else ''} failed.")
    cmd = c.pick(rng, ("Invoke-Pester -CI -Output Detailed", "pwsh -File build.ps1 -Task Test"))
    return c2.with_formats(
        Failure(LABEL, lines, "Run Pester tests", cmd, 1, tags=("pester", "windows")), formats
    )


def tap_runners(rng: random.Random, eco: str) -> Failure:
    """TAP output: Node's built-in ``node --test`` or bats for shell scripts, ``not ok`` lines."""
    n, total = rng.randint(1, 3), rng.randint(5, 120)
    lines = ["TAP version 13"]
    if eco == "node":
        for i in range(n):
            exp, got = _pair(rng)
            lines += [
                f"# Subtest: {_topic(rng)} {c.pick(rng, c.WORDS)}",
                f"not ok {i + 1} - {_topic(rng)} {c.pick(rng, c.WORDS)}",
                "  ---",
                f"  duration_ms: {rng.uniform(0.1, 900):.4f}",
                "  failureType: 'testCodeFailure'",
                "  error: |-",
                "    Expected values to be strictly equal:",
                "    ",
                f"    {got} !== {exp}",
                "    ",
                "  code: 'ERR_ASSERTION'",
                f"  location: '{c.workdir(rng)}/test/{c.ident(rng, 1)}.test.mjs:{rng.randint(3, 200)}:{rng.randint(3, 20)}'",
                "  ...",
            ]
        lines += [
            f"1..{total}",
            f"# tests {total}",
            f"# pass {total - n}",
            f"# fail {n}",
            f"# duration_ms {rng.uniform(100, 9000):.3f}",
        ]
        cmd = c.pick(rng, ("node --test", "node --test --test-reporter=tap test/"))
    else:
        lines = [f"1..{total}"]
        for i in range(rng.randint(1, 4)):
            lines.append(
                f"ok {i + 1} {c.pick(rng, ('install', 'release', 'backup'))} script {c.pick(rng, ('prints usage', 'creates dir', 'is idempotent'))}"
            )
        for i in range(n):
            name = f"{c.pick(rng, ('deploy', 'install', 'migrate'))} script {c.pick(rng, ('handles ' + _topic(rng), 'exits 0', 'writes config'))}"
            lines += [
                f"not ok {i + 5} {name}",
                f"# (in test file test/{c.pick(rng, ('install', 'deploy', 'cli'))}.bats, line {rng.randint(5, 120)})",
                f"#   `{c.pick(rng, _BATS_CHECKS)}' failed",
                f"# output: {c.pick(rng, c.WORDS)} {c.pick(rng, ('skipped', 'failed', 'not found'))}",
            ]
        cmd = c.pick(rng, ("bats test/", "bats --tap test/*.bats"))
    return Failure(LABEL, lines, c.pick(rng, ("Test", "Run tests", "Script tests")), cmd)


def playwright(rng: random.Random, eco: str) -> Failure:
    """Playwright's numbered failures with ``expect(...)`` and the ``N failed`` summary."""
    n, passed = rng.randint(1, 3), rng.randint(5, 300)
    lines = [f"Running {passed + n} tests using {rng.randint(1, 4)} workers", ""]
    summary = []
    for i in range(n):
        spec = f"tests/{c.pick(rng, ('e2e/', ''))}{c.pick(rng, c.WORDS)}.spec.ts"
        line = rng.randint(5, 200)
        title = (
            f"{c.pick(rng, c.WORDS)} › {c.pick(rng, ('shows', 'handles', 'renders'))} {_topic(rng)}"
        )
        browser = c.pick(rng, ("chromium", "firefox", "webkit"))
        head = f"[{browser}] › {spec}:{line}:{rng.randint(3, 9)} › {title}"
        matcher, exp, got = c.pick(
            rng,
            (
                (
                    "toHaveText",
                    f'"{c.pick(rng, c.WORDS).title()} saved"',
                    f'"{c.pick(rng, c.WORDS).title()} failed"',
                ),
                ("toHaveCount", str(rng.randint(2, 9)), "0"),
                ("toHaveURL", '"/dashboard"', '"/login"'),
            ),
        )
        exp_kind = " string" if exp.startswith('"') else ""
        lines += [
            f"  {i + 1}) {head} ",
            "",
            f"    Error: expect(locator).{matcher}(expected)"
            if matcher != "toHaveURL"
            else f"    Error: expect(page).{matcher}(expected)",
            "",
            f"    Expected{exp_kind}: {exp}",
            f"    Received{exp_kind}: {got}",
            "",
            f"      {line} |     await expect(page.getByRole('{c.pick(rng, ('alert', 'row', 'heading'))}')).{matcher}({exp});",
            "",
            f"        at {c.workdir(rng)}/{spec}:{line}:{rng.randint(10, 40)}",
            "",
        ]
        summary.append(f"    {head} ")
    lines += [f"  {n} failed", *summary, f"  {passed} passed ({c.seconds(rng, 5, 600)}s)"]
    if c2.terse(rng):
        lines = [*summary, f"  {n} failed"]
    cmd = c.pick(
        rng,
        ("npx playwright test", "npm run test:e2e", "pnpm exec playwright test --reporter=list"),
    )
    return Failure(
        LABEL,
        [ln.rstrip() for ln in lines],
        c.pick(rng, ("E2E tests", "Run Playwright tests")),
        cmd,
    )


def gotestsum(rng: random.Random, eco: str) -> Failure:
    """gotestsum's summary-first layout: ``=== Failed`` and ``DONE N tests, M failures``."""
    base = f"github.com/acme/{c.pick(rng, c.PROJECTS)}"
    n = rng.randint(1, 3)
    lines = [
        f"✓  {base}/{c.pick(rng, ('internal', 'pkg'))}/{c.pick(rng, c.WORDS)} ({c.seconds(rng, 0.01, 9)}s)"
        for _ in range(rng.randint(2, 8))
    ]
    fails = []
    for _ in range(n):
        pkg = f"{base}/internal/{c.pick(rng, c.WORDS)}"
        test = f"Test{c.pascal(rng, 1)}{c.pick(rng, ('Timeout', 'Retry', 'Parse', 'Empty'))}"
        want, got = rng.randint(1, 99), rng.randint(100, 200)
        lines.append(f"✖  {pkg} ({c.seconds(rng, 0.01, 9)}s)")
        fails += [
            f"=== FAIL: {pkg[len(base) + 1 :]} {test} ({c.seconds(rng, 0, 3)}s)",
            f"    {c.ident(rng, 1)}_test.go:{rng.randint(10, 300)}: {c.pick(rng, ('got', 'unexpected value'))} {got}, want {want}",
            f"--- FAIL: {test} ({c.seconds(rng, 0, 3)}s)",
            "",
        ]
    lines += [
        "",
        "=== Failed",
        *fails,
        f"DONE {rng.randint(50, 900)} tests, {n} failure{'s' if n > 1 else ''} in {c.seconds(rng, 1, 200)}s",
    ]
    if c2.terse(rng):
        lines = [*fails[:3], lines[-1]]
    cmd = c.pick(
        rng,
        ("gotestsum --format testname -- ./...", "gotestsum --junitfile report.xml -- -race ./..."),
    )
    return c.finish(rng, eco, LABEL, lines, "Test", cmd, stack="go")


def wrapped_pytest(rng: random.Random, eco: str) -> Failure:
    """pytest's short summary only (``-q --tb=no``) re-reported by tox, nox or make."""
    n = rng.randint(1, 4)
    failed = [
        f"FAILED tests/test_{c.ident(rng, 1)}.py::test_{c.pick(rng, c.WORDS)}_{_topic(rng).replace(' ', '_')} - {c.pick(rng, ('assert', 'AssertionError: assert'))} {rng.randint(0, 99)} == {rng.randint(100, 200)}"
        for _ in range(n)
    ]
    summary = f"{n} failed, {rng.randint(10, 900)} passed, {rng.randint(0, 9)} skipped in {c.seconds(rng, 1, 300)}s"
    tool = c.pick(rng, ("tox", "nox", "make"))
    lines = [*failed, summary]
    if tool == "tox":
        env = f"py3{rng.randint(10, 13)}"
        lines = [
            f"{env}: commands[0]> pytest -q --tb=no",
            *lines,
            *c2.tox_tail(rng, env, "pytest -q --tb=no"),
        ]
        cmd = f"tox -e {env}"
    elif tool == "nox":
        session = f"tests-3.{rng.randint(10, 13)}"
        lines = [
            f"nox > Running session {session}",
            "nox > pytest -q --tb=no",
            *lines,
            *c2.nox_tail(rng, session, "pytest"),
        ]
        cmd = "nox -s tests"
    else:
        lines = ["python -m pytest -q --tb=no", *lines, c2.make_error(rng, "test", 1)]
        cmd = "make test"
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Test", "Run tests")),
        cmd,
        1 if tool != "make" else 2,
        tags=(tool,),
    )


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("phpunit-pest", ("docker",), phpunit),
    _family("exunit", ("docker",), exunit),
    _family("xctest", ("cpp",), xctest),
    _family("flutter-test", ("java",), flutter_test),
    _family("scala-sbt-test", ("java",), scala_sbt_test),
    _family("pester-windows", ("dotnet",), pester_windows),
    _family("tap-runners", ("node", "python", "go", "rust", "cpp", "ruby"), tap_runners),
    _family("playwright", ("node",), playwright),
    _family("gotestsum", ("go", "docker"), gotestsum),
    _family("wrapped-pytest-summary", ("python",), wrapped_pytest),
]
