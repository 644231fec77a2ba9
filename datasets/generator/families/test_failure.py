"""Families of ``test_failure``: the test suite ran and some tests failed.

Test names and assertion messages mention timeouts, connections or retries on purpose (a test
*about* a timeout that fails its assertion is still a test failure). A collection error caused by
the project's own code (``cannot import name 'x' from 'mypkg'``) is a test failure too; a missing
third-party module at import is ``dependency_install``."""

from __future__ import annotations

import random

from datasets.generator._types import Failure, Family
from datasets.generator.families import _common_a as c

LABEL = "test_failure"
_TOPICS = (
    "timeout",
    "connection",
    "retry",
    "parse",
    "serialize",
    "auth_header",
    "pagination",
    "cache",
    "rounding",
    "empty_input",
    "unicode",
    "ordering",
    "rate_limit_header",
)


def _test_name(rng: random.Random) -> str:
    return f"test_{c.pick(rng, c.WORDS)}_{c.pick(rng, _TOPICS)}"


def _camel_test(rng: random.Random) -> str:
    topic = "".join(p.capitalize() for p in c.pick(rng, _TOPICS).split("_"))
    return f"{c.pick(rng, ('should', 'test', 'handles', 'returns'))}{topic}{c.pascal(rng, 1)}"


# (source line of the assertion, pytest's "E" lines)
_PY_ASSERTS = (
    (
        "    assert resp.status_code == 200",
        ["E       assert 503 == 200", "E        +  where 503 = <Response [503]>.status_code"],
    ),
    (
        "    assert {v} == expected",
        [
            "E       AssertionError: assert {{'id': 7, 'total': 41.5}} == "
            "{{'id': 7, 'total': 42.0}}",
            "E         ",
            "E         Common items:",
            "E         {{'id': 7}}",
            "E         Differing items:",
            "E         {{'total': 41.5}} != {{'total': 42.0}}",
        ],
    ),
    (
        "    assert client.timeout == {n}",
        ["E       assert 30 == {n}", "E        +  where 30 = <{T}Client timeout=30>.timeout"],
    ),
    (
        "    assert len({v}) == {n}",
        ["E       AssertionError: assert 0 == {n}", "E        +  where 0 = len([])"],
    ),
    ("        {cm}(None)", ["E       Failed: DID NOT RAISE <class 'ValueError'>"]),
    (
        "    assert pool.connections_open == 1",
        ["E       assert 2 == 1", "E        +  where 2 = <ConnectionPool size=4>.connections_open"],
    ),
    (
        "    assert {v}.startswith('{w}')",
        [
            "E       AssertionError: assert False",
            "E        +  where False = <built-in method startswith of str object at 0x7f3a2c1b9eb0>('{w}')",
        ],
    ),
)


def pytest_assertion(rng: random.Random, eco: str) -> Failure:
    wd, total = c.workdir(rng), rng.randint(20, 900)
    failed = rng.randint(1, 4)
    lines = c.pytest_header(rng, wd, f"collected {total} items")
    lines.append("")
    files = [
        f"tests/{c.pick(rng, ('', 'unit/', 'integration/'))}test_{c.ident(rng, 1)}.py"
        for _ in range(rng.randint(3, 9))
    ]
    pcts = [*sorted(rng.randint(1, 99) for _ in files[:-1]), 100]
    for f, pct in zip(files, pcts, strict=True):
        dots = "".join(
            c.pick(rng, ".....F" if rng.random() < 0.3 else "......s")
            for _ in range(rng.randint(3, 40))
        )
        lines.append(f"{f} {dots}{' ' * max(1, 60 - len(f) - len(dots))}[{pct:3d}%]")
    lines += ["", c.banner("FAILURES")]
    summary = []
    for _ in range(failed):
        f, name, nm = c.pick(rng, files), _test_name(rng), c.names(rng)
        src, err = c.pick(rng, _PY_ASSERTS)
        cls = f"Test{c.pascal(rng, 1)}." if rng.random() < 0.4 else ""
        arg = c.pick(rng, ("client", "db_session", "tmp_path", ""))
        if cls:
            arg = f"self, {arg}" if arg else "self"
        lines += [
            c.banner(f"{cls}{name}", "_"),
            "",
            f"    def {name}({arg}):",
            f"        {c.pick(rng, ('payload', 'resp', 'result'))} = {nm['cm']}()",
            f">       {src.format(**nm).strip()}",
        ]
        lines += [e.format(**nm) for e in err]
        kind = "Failed" if "Failed:" in err[0] else "AssertionError"
        lines += ["", f"{f}:{rng.randint(10, 400)}: {kind}"]
        first = err[0].format(**nm).removeprefix("E       ")
        summary.append(f"FAILED {f}::{cls.replace('.', '::')}{name} - {first}"[:220])
    lines += [c.banner("short test summary info"), *summary]
    passed = total - failed - rng.randint(0, 5)
    lines.append(c.banner(f"{failed} failed, {passed} passed in {c.seconds(rng, 0.8, 400)}s"))
    cmd = c.pick(rng, ("pytest", "python -m pytest -q", "pytest --cov=src tests/", "tox -e py311"))
    return Failure(LABEL, lines, c.pick(rng, ("Run tests", "Test", "pytest")), cmd)


_COLLECT = """\
{errors}
{sep} ERROR collecting {test} {sep}
ImportError while importing test module '{wd}/{test}'.
Hint: make sure your test modules/packages have valid Python names.
Traceback:
{test}:{ln}: in <module>
    from {pkg}.{mod} import {name}
E   ImportError: cannot import name '{name}' from '{pkg}.{mod}' ({wd}/src/{pkg}/{mod}.py)"""


def pytest_collection_project_import(rng: random.Random, eco: str) -> Failure:
    """The suite stops at collection because the project's own module lost a name."""
    wd, pkg = c.workdir(rng), c.pick(rng, c.PROJECTS).replace("-", "_")
    n_err = rng.randint(1, 3)
    lines = c.pytest_header(
        rng, wd, f"collected {rng.randint(10, 600)} items / {n_err} error{'s' if n_err > 1 else ''}"
    )
    tests = []
    for i in range(n_err):
        test, mod = f"tests/test_{c.ident(rng)}.py", c.pick(rng, c.WORDS)
        tests.append(test)
        name = c.pick(rng, (c.pascal(rng), c.ident(rng)))
        body = c.render(
            _COLLECT,
            errors=c.banner("ERRORS"),
            sep="_" * 14,
            test=test,
            wd=wd,
            ln=rng.randint(1, 20),
            pkg=pkg,
            mod=mod,
            name=name,
        )
        lines += (["", *body]) if i == 0 else body[1:]
    lines += [
        c.banner("short test summary info"),
        *[f"ERROR {t}" for t in tests],
        c.banner(f"Interrupted: {n_err} error{'s' if n_err > 1 else ''} during collection", "!"),
        c.banner(f"{n_err} error{'s' if n_err > 1 else ''} in {c.seconds(rng, 0.3, 9)}s"),
    ]
    return Failure(LABEL, lines, "Run tests", c.pick(rng, ("pytest", "python -m pytest -x")), 2)


def python_unittest(rng: random.Random, eco: str) -> Failure:
    """unittest / Django's runner: ``FAIL:`` blocks and ``FAILED (failures=N)``."""
    mod, wd = c.py_module(rng), c.workdir(rng)
    total, blocks, fails, errors = rng.randint(20, 700), [], 0, 0
    for _ in range(rng.randint(1, 3)):
        kind = c.pick(rng, ("FAIL", "FAIL", "ERROR"))
        name, cls = _test_name(rng), f"{c.pascal(rng, 1)}Tests"
        path = f"{wd}/tests/test_{mod.rsplit('.', 1)[1]}.py"
        blocks += [
            "=" * 70,
            f"{kind}: {name} (tests.test_{mod.rsplit('.', 1)[1]}.{cls}.{name})",
            "-" * 70,
            "Traceback (most recent call last):",
            f'  File "{path}", line {rng.randint(10, 400)}, in {name}',
        ]
        if kind == "FAIL":
            fails += 1
            blocks += [
                c.pick(
                    rng,
                    (
                        "    self.assertEqual(resp.status_code, 200)",
                        "    self.assertTrue(conn.closed)",
                        "    self.assertIn('retry', log)",
                    ),
                ),
                c.pick(
                    rng,
                    (
                        "AssertionError: 500 != 200",
                        "AssertionError: False is not true",
                        f"AssertionError: 'retry' not found in 'connection {c.ident(rng)} ok'",
                        "AssertionError: Lists differ: [1, 2, 3] != [1, 3, 2]",
                    ),
                ),
            ]
        else:
            errors += 1
            blocks += [
                f"    {c.camel(rng)} = self.{c.ident(rng)}['{c.pick(rng, c.WORDS)}']",
                f"KeyError: '{c.pick(rng, c.WORDS)}'",
            ]
        blocks.append("")
    lines = [
        c.pick(
            rng, ("Found {} test(s).", "Creating test database for alias 'default'...", "")
        ).format(total)
    ]
    lines += ["." * rng.randint(20, 70) + "F" + "." * rng.randint(0, 40), *blocks]
    result = ", ".join(
        x for x in (f"failures={fails}" if fails else "", f"errors={errors}" if errors else "") if x
    )
    lines += [
        "-" * 70,
        f"Ran {total} tests in {c.seconds(rng, 0.5, 300)}s",
        "",
        f"FAILED ({result})",
    ]
    cmd = c.pick(
        rng,
        ("python -m unittest discover -s tests", "python manage.py test", "python -m unittest -v"),
    )
    return Failure(LABEL, [ln for ln in lines if ln or rng.random() < 0.8], "Run tests", cmd)


def jest(rng: random.Random, eco: str) -> Failure:
    lines, suites, failed = [], rng.randint(3, 60), rng.randint(1, 4)
    failing = [
        c.src_file(rng, "src/", c.pick(rng, ("test.ts", "spec.ts", "test.tsx", "test.js")), "camel")
        for _ in range(rng.randint(1, failed))
    ]
    for _ in range(rng.randint(1, 8)):
        lines.append(
            f"PASS {c.src_file(rng, 'src/', 'test.ts', 'camel')} ({c.seconds(rng, 0.2, 9)} s)"
        )
    for path in failing:
        lines += [f"FAIL {path}"]
        for _ in range(rng.randint(1, 2)):
            suite, test = c.pascal(rng, 1), _camel_test(rng)
            exp, got = c.pick(
                rng, (("200", "503"), ('"ok"', '"timeout"'), ("3", "2"), ("true", "false"))
            )
            matcher = c.pick(rng, ("toBe", "toEqual", "toStrictEqual"))
            line, col = rng.randint(5, 300), rng.randint(5, 30)
            lines += [
                f"  ● {suite} › {test}",
                "",
                f"    expect(received).{matcher}(expected) // "
                f"{'Object.is equality' if matcher == 'toBe' else 'deep equality'}",
                "",
                f"    Expected: {exp}",
                f"    Received: {got}",
                "",
                f"      {line - 1} |     const result = await {c.camel(rng)}();",
                f"    > {line} |     expect(result).{matcher}({exp});",
                f"        | {' ' * col}^",
                "",
                f"      at Object.<anonymous> ({path}:{line}:{col})",
                "",
            ]
    passed = rng.randint(10, 600)
    lines += [
        f"Test Suites: {len(failing)} failed, {suites} passed, {suites + len(failing)} total",
        f"Tests:       {failed} failed, {passed} passed, {failed + passed} total",
        "Snapshots:   0 total",
        f"Time:        {c.seconds(rng, 2, 200)} s",
        "Ran all test suites.",
    ]
    cmd = c.pick(rng, ("npm test", "npx jest --ci", "yarn test --coverage"))
    return Failure(LABEL, lines, c.pick(rng, ("Test", "Run tests", "Unit tests")), cmd)


def vitest(rng: random.Random, eco: str) -> Failure:
    path = c.src_file(rng, "src/", c.pick(rng, ("test.ts", "spec.ts")), "camel")
    suite, test = c.pascal(rng, 1), _camel_test(rng)
    exp, got = rng.randint(0, 100), rng.randint(0, 100)
    line = rng.randint(5, 200)
    lines = [
        f" RUN  v{rng.randint(0, 2)}.{rng.randint(0, 6)}.{rng.randint(0, 9)} {c.workdir(rng)}",
        "",
    ]
    lines += [
        f" ✓ {c.src_file(rng, 'src/', 'test.ts', 'camel')} ({rng.randint(2, 40)} tests) "
        f"{rng.randint(3, 900)}ms"
        for _ in range(rng.randint(1, 8))
    ]
    lines += [
        f" ❯ {path} ({rng.randint(2, 20)} tests | 1 failed) {rng.randint(3, 900)}ms",
        f"   × {suite} > {test} {rng.randint(1, 90)}ms",
        f"     → expected {got} to be {exp} // Object.is equality",
        "",
        "⎯" * 20 + " Failed Tests 1 " + "⎯" * 20,
        "",
        f" FAIL  {path} > {suite} > {test}",
        f"AssertionError: expected {got} to be {exp} // Object.is equality",
        "",
        "- Expected",
        "+ Received",
        "",
        f"- {exp}",
        f"+ {got}",
        "",
        f" ❯ {path}:{line}:{rng.randint(5, 30)}",
        f"    {line - 1}|     const value = {c.camel(rng)}(input);",
        f"    {line}|     expect(value).toBe({exp});",
        "       |                   ^",
        "",
        "⎯" * 52,
        "",
        f" Test Files  1 failed | {rng.randint(2, 80)} passed ({rng.randint(83, 90)})",
        f"      Tests  1 failed | {rng.randint(20, 900)} passed ({rng.randint(901, 999)})",
        f"   Duration  {c.seconds(rng, 1, 90)}s",
    ]
    return Failure(
        LABEL, lines, "Test", c.pick(rng, ("npx vitest run", "pnpm test", "npm run test:unit"))
    )


def mocha(rng: random.Random, eco: str) -> Failure:
    lines, n_fail, suite = [], rng.randint(1, 3), c.pascal(rng, 1)
    lines += ["", f"  {suite}"]
    for _ in range(rng.randint(3, 12)):
        lines.append(
            f"    ✔ {_camel_test(rng)}{' (' + str(rng.randint(50, 900)) + 'ms)' if rng.random() < 0.2 else ''}"
        )
    fails = [(c.pascal(rng, 1), c.pick(rng, _TOPICS).replace("_", " ")) for _ in range(n_fail)]
    lines += [f"    {i + 1}) {t}" for i, (_, t) in enumerate(fails)]
    passing = rng.randint(10, 400)
    lines += ["", "", f"  {passing} passing ({rng.randint(1, 30)}s)", f"  {n_fail} failing", ""]
    for i, (s, t) in enumerate(fails):
        a, b = rng.randint(0, 99), rng.randint(100, 999)
        lines += [
            f"  {i + 1}) {suite}",
            f"       {s} {t}:",
            "",
            c.pick(
                rng,
                (
                    f"      AssertionError [ERR_ASSERTION]: Expected values to be strictly "
                    f"equal:\n\n      {a} !== {b}\n",
                    f"      AssertionError: expected {a} to equal {b}\n      + expected - "
                    f"actual\n\n      -{a}\n      +{b}\n",
                ),
            ),
            f"      at Context.<anonymous> (test/{c.ident(rng, 1)}.spec.js:{rng.randint(5, 300)}:"
            f"{rng.randint(5, 30)})",
            "      at process.processImmediate (node:internal/timers:478:21)",
            "",
        ]
    lines = [x for ln in lines for x in ln.split("\n")]
    return Failure(
        LABEL, lines, "Run tests", c.pick(rng, ("npm test", "npx mocha --recursive")), n_fail
    )


def go_test(rng: random.Random, eco: str) -> Failure:
    base = f"github.com/acme/{c.pick(rng, c.PROJECTS)}"
    lines: list[str] = []
    pkgs = [
        f"{base}/{c.pick(rng, ('internal', 'pkg'))}/{c.pick(rng, c.WORDS)}"
        for _ in range(rng.randint(2, 9))
    ]
    bad = c.pick(rng, pkgs)
    for pkg in pkgs:
        if pkg != bad:
            lines.append(
                c.pick(
                    rng,
                    (
                        f"ok  \t{pkg}\t{c.seconds(rng, 0.01, 9)}s",
                        f"ok  \t{pkg}\t(cached)",
                        f"?   \t{pkg}\t[no test files]",
                    ),
                )
            )
            continue
        for _ in range(rng.randint(1, 3)):
            name = (
                f"Test{c.pascal(rng)}{c.pick(rng, ('Timeout', 'Connection', 'Retry', 'Parse', ''))}"
            )
            file = f"{c.pick(rng, c.WORDS)}_test.go"
            lines.append(f"--- FAIL: {name} ({c.seconds(rng, 0, 3)}s)")
            if rng.random() < 0.5:
                sub = c.pick(
                    rng, ("empty_input", "closed_connection", "deadline_exceeded", "valid")
                )
                lines += [
                    f"    --- FAIL: {name}/{sub} ({c.seconds(rng, 0, 1)}s)",
                    f"        {file}:{rng.randint(10, 400)}: got {rng.randint(0, 9)}, want {rng.randint(10, 20)}",
                ]
            else:
                lines += [
                    f"    {file}:{rng.randint(10, 400)}: ",
                    "        \tError Trace:\t" + f"{c.workdir(rng)}/{file}:{rng.randint(10, 400)}",
                    "        \tError:      \tNot equal: ",
                    f'        \t            \texpected: "{c.pick(rng, c.WORDS)}"',
                    f'        \t            \tactual  : "{c.pick(rng, c.WORDS)}"',
                    f"        \tTest:       \t{name}",
                ]
        lines += ["FAIL", f"FAIL\t{bad}\t{c.seconds(rng, 0.01, 30)}s"]
    lines.append("FAIL")
    cmd = c.pick(rng, ("go test ./...", "go test -race -count=1 ./...", "make test"))
    return c.finish(rng, eco, LABEL, lines, "Test", cmd, stack="go")


def cargo_test(rng: random.Random, eco: str) -> Failure:
    crate, total = c.pick(rng, c.PROJECTS), rng.randint(5, 120)
    failing = [
        f"{c.pick(rng, c.WORDS)}::tests::{c.pick(rng, c.WORDS)}_{c.pick(rng, _TOPICS)}"
        for _ in range(rng.randint(1, 3))
    ]
    lines = [
        f"   Compiling {crate} v0.{rng.randint(1, 9)}.0 ({c.workdir(rng)})",
        f"    Finished `test` profile [unoptimized + debuginfo] target(s) in {c.seconds(rng, 2, 90)}s",
        f"     Running unittests src/lib.rs (target/debug/deps/{crate.replace('-', '_')}-"
        f"{rng.getrandbits(64):016x})",
        "",
        f"running {total} tests",
    ]
    for _ in range(rng.randint(2, 10)):
        lines.append(f"test {c.pick(rng, c.WORDS)}::tests::{c.ident(rng)} ... ok")
    lines += [f"test {t} ... FAILED" for t in failing] + ["", "failures:", ""]
    for t in failing:
        path = f"src/{t.split('::')[0]}.rs:{rng.randint(10, 500)}:{rng.randint(5, 9)}"
        a, b = rng.randint(0, 50), rng.randint(51, 99)
        lines += [f"---- {t} stdout ----"]
        if rng.random() < 0.5:
            lines += [
                f"thread '{t}' panicked at {path}:",
                "assertion `left == right` failed",
                f"  left: {a}",
                f" right: {b}",
            ]
        else:
            lines += [
                f"thread '{t}' panicked at 'assertion failed: `(left == right)`",
                f"  left: `{a}`,",
                f" right: `{b}`', {path}",
            ]
        lines.append(
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"
        )
        lines.append("")
    lines += [
        "",
        "failures:",
        *[f"    {t}" for t in failing],
        "",
        f"test result: FAILED. {total - len(failing)} passed; {len(failing)} failed; 0 ignored; "
        f"0 measured; 0 filtered out; finished in {c.seconds(rng, 0, 30)}s",
        "",
        "error: test failed, to rerun pass `--lib`",
    ]
    return c.finish(
        rng, eco, LABEL, lines, "Test", "cargo test --all-features", stack="rust", code=101
    )


def _java_failure(rng: random.Random) -> str:
    a, b = rng.randint(0, 50), rng.randint(51, 99)
    return c.pick(
        rng,
        (
            f"org.opentest4j.AssertionFailedError: expected: <{a}> but was: <{b}>",
            f"java.lang.AssertionError: expected:<{a}> but was:<{b}>",
            "org.opentest4j.AssertionFailedError: expected: <true> but was: <false>",
            f"org.opentest4j.AssertionFailedError: [connection pool size] \nexpected: {a}\n but was: {b}",
            f"org.mockito.exceptions.verification.TooFewActualInvocations: \n{c.camel(rng)}.retry();\nWanted 3 times:",
        ),
    )


def maven_surefire(rng: random.Random, eco: str) -> Failure:
    pkg = f"com.acme.{c.pick(rng, c.WORDS)}"
    cls, method = f"{c.pascal(rng)}Test", _camel_test(rng)
    run, fails = rng.randint(3, 40), rng.randint(1, 3)
    err = _java_failure(rng).split("\n")
    line = rng.randint(10, 300)
    lines = [
        "[INFO] -------------------------------------------------------",
        "[INFO]  T E S T S",
        "[INFO] -------------------------------------------------------",
    ]
    for _ in range(rng.randint(1, 6)):
        lines += [
            f"[INFO] Running {pkg}.{c.pascal(rng)}Test",
            f"[INFO] Tests run: {rng.randint(1, 30)}, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: "
            f"{c.seconds(rng, 0, 9)} s -- in {pkg}.{c.pascal(rng)}Test",
        ]
    lines += [
        f"[INFO] Running {pkg}.{cls}",
        f"[ERROR] Tests run: {run}, Failures: {fails}, Errors: 0, Skipped: 0, Time elapsed: "
        f"{c.seconds(rng, 0, 9)} s <<< FAILURE! -- in {pkg}.{cls}",
        f"[ERROR] {pkg}.{cls}.{method} -- Time elapsed: {c.seconds(rng, 0, 2)} s <<< FAILURE!",
        *err,
        "\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:151)",
        f"\tat {pkg}.{cls}.{method}({cls}.java:{line})",
        "",
        "[INFO] ",
        "[INFO] Results:",
        "[INFO] ",
        "[ERROR] Failures: ",
        f"[ERROR]   {cls}.{method}:{line} {err[0].split(': ', 1)[-1]}",
        "[INFO] ",
        f"[ERROR] Tests run: {run * 7}, Failures: {fails}, Errors: 0, Skipped: {rng.randint(0, 5)}",
        "[INFO] ",
        "[INFO] " + "-" * 72,
        "[INFO] BUILD FAILURE",
        "[INFO] " + "-" * 72,
        f"[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test "
        f"(default-test) on project {c.pick(rng, c.PROJECTS)}: There are test failures.",
        "[ERROR] ",
        "[ERROR] Please refer to /home/runner/work/app/app/target/surefire-reports for "
        "the individual test results.",
    ]
    return Failure(LABEL, lines, "Test with Maven", c.pick(rng, ("mvn -B test", "mvn -B verify")))


def gradle_test(rng: random.Random, eco: str) -> Failure:
    mod, _pkg = c.pick(rng, ("app", "core", "service")), f"com.acme.{c.pick(rng, c.WORDS)}"
    lines = [f"> Task :{mod}:compileTestKotlin", f"> Task :{mod}:test", ""]
    n = rng.randint(1, 3)
    for _ in range(n):
        cls, method = f"{c.pascal(rng)}Test", _camel_test(rng)
        name = c.pick(
            rng, (f"{method}()", f"`{c.pick(rng, _TOPICS).replace('_', ' ')} is handled`()")
        )
        err = _java_failure(rng).split("\n")[0].split(": ")[0]
        lines += [f"{cls} > {name} FAILED", f"    {err} at {cls}.kt:{rng.randint(10, 300)}", ""]
    total = rng.randint(20, 800)
    lines += [
        f"{total} tests completed, {n} failed, {rng.randint(0, 4)} skipped",
        "",
        f"> Task :{mod}:test FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task ':{mod}:test'.",
        "> There were failing tests. See the report at: "
        f"file://{c.workdir(rng)}/{mod}/build/reports/tests/test/index.html",
        "",
        "* Try:",
        "> Run with --scan to get full insights.",
        "",
        f"BUILD FAILED in {rng.randint(20, 600)}s",
    ]
    return Failure(LABEL, lines, "Test", c.pick(rng, ("./gradlew test", "./gradlew check")))


def dotnet_test(rng: random.Random, eco: str) -> Failure:
    asm, lines = f"Acme.{c.pascal(rng, 1)}.Tests", []
    lines += [
        f"  {asm} -> {c.workdir(rng)}/tests/{asm}/bin/Release/net8.0/{asm}.dll",
        f"Test run for {c.workdir(rng)}/tests/{asm}/bin/Release/net8.0/{asm}.dll (.NETCoreApp,Version=v8.0)",
        "A total of 1 test files matched the specified pattern.",
    ]
    n = rng.randint(1, 3)
    for _ in range(n):
        a, b = rng.randint(0, 50), rng.randint(51, 99)
        name = f"{asm}.{c.pascal(rng)}Tests.{_camel_test(rng)}"
        msg = c.pick(
            rng,
            (
                [" Assert.Equal() Failure: Values differ", f"Expected: {a}", f"Actual:   {b}"],
                ["  Expected: True", "  But was:  False"],
                [f"Expected result.StatusCode to be 200, but found {b + 400}."],
            ),
        )
        lines += [
            f"  Failed {name} [{rng.randint(1, 900)} ms]",
            "  Error Message:",
            *[f"   {m}" for m in msg],
            "  Stack Trace:",
            f"     at {name}() in {c.workdir(rng)}/tests/{asm}/{c.pascal(rng)}Tests.cs:line "
            f"{rng.randint(10, 300)}",
            "   at System.Reflection.MethodBaseInvoker.InterpretedInvoke_Method"
            "(Object obj, IntPtr* args)",
            "",
        ]
    passed = rng.randint(10, 900)
    lines.append(
        f"Failed!  - Failed: {n:>5}, Passed: {passed:>5}, Skipped: {0:>5}, Total: {n + passed:>5}, "
        f"Duration: {rng.randint(1, 90)} s - {asm}.dll (net8.0)"
    )
    return Failure(
        LABEL, lines, "Test", c.pick(rng, ("dotnet test --no-build -c Release", "dotnet test"))
    )


def rspec(rng: random.Random, eco: str) -> Failure:
    n, total = rng.randint(1, 3), rng.randint(20, 900)
    lines = [
        "",
        "Randomized with seed " + str(rng.randint(1000, 65535)),
        "." * rng.randint(20, 60) + "F" * n + "." * rng.randint(0, 30) + "*" * rng.randint(0, 3),
        "",
        "Failures:",
        "",
    ]
    failed = []
    for i in range(n):
        spec = (
            f"spec/{c.pick(rng, ('models', 'services', 'requests', 'lib'))}/{c.ident(rng)}_spec.rb"
        )
        cls, desc = c.pascal(rng), c.pick(rng, _TOPICS).replace("_", " ")
        line = rng.randint(5, 200)
        exp, got = c.pick(
            rng, (("200", "503"), (":ok", ":timeout"), ("3", "2"), ('"active"', "nil"))
        )
        lines += [
            f"  {i + 1}) {cls} #{c.ident(rng, 1)} when {desc} returns {exp}",
            f"     Failure/Error: expect({c.pick(rng, ('response.status', 'result', 'subject.state'))}).to eq({exp})",
            "",
            f"       expected: {exp}",
            f"            got: {got}",
            "",
            "       (compared using ==)",
            f"     # ./{spec}:{line}:in `block (3 levels) in <top (required)>'",
            "",
        ]
        failed.append(f"rspec ./{spec}:{line} # {cls} #{c.ident(rng, 1)} when {desc} returns {exp}")
    lines += [
        f"Finished in {c.seconds(rng, 1, 300)} seconds (files took {c.seconds(rng, 0.5, 9)} seconds to load)",
        f"{total} examples, {n} failure{'s' if n > 1 else ''}",
        "",
        "Failed examples:",
        "",
        *failed,
    ]
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Run specs", "Test")),
        c.pick(rng, ("bundle exec rspec", "bin/rspec")),
    )


def gtest_ctest(rng: random.Random, eco: str) -> Failure:
    suite, wd = c.pascal(rng) + "Test", c.workdir(rng)
    tests = [
        f"{c.pascal(rng, 1)}{c.pick(rng, ('Timeout', 'Connection', 'Parses', 'Rounds', ''))}"
        for _ in range(rng.randint(2, 6))
    ]
    bad = c.pick(rng, tests)
    lines = [
        f"[==========] Running {len(tests)} tests from 1 test suite.",
        f"[----------] {len(tests)} tests from {suite}",
    ]
    for t in tests:
        lines.append(f"[ RUN      ] {suite}.{t}")
        if t == bad:
            a, b = rng.randint(0, 50), rng.randint(51, 99)
            lines += [
                f"{wd}/tests/{c.ident(rng, 1)}_test.cc:{rng.randint(10, 300)}: Failure",
                "Expected equality of these values:",
                f"  {c.ident(rng)}",
                f"    Which is: {a}",
                f"  {b}",
                f"[  FAILED  ] {suite}.{t} ({rng.randint(0, 90)} ms)",
            ]
        else:
            lines.append(f"[       OK ] {suite}.{t} ({rng.randint(0, 90)} ms)")
    lines += [
        f"[==========] {len(tests)} tests from 1 test suite ran. ({rng.randint(1, 900)} ms total)",
        f"[  PASSED  ] {len(tests) - 1} tests.",
        "[  FAILED  ] 1 test, listed below:",
        f"[  FAILED  ] {suite}.{bad}",
        "",
        " 1 FAILED TEST",
    ]
    if rng.random() < 0.6:
        total = rng.randint(3, 40)
        lines += [
            "",
            f"{100 - round(100 / total)}% tests passed, 1 tests failed out of {total}",
            "",
            f"Total Test time (real) = {c.seconds(rng, 0.5, 90)} sec",
            "",
            "The following tests FAILED:",
            f"\t{rng.randint(1, total):>3} - {suite.lower()} (Failed)",
            "Errors while running CTest",
        ]
        cmd = c.pick(rng, ("ctest --test-dir build --output-on-failure", "cd build && ctest -j2"))
        return c.finish(rng, eco, LABEL, lines, "Test", cmd, stack="cpp", code=8)
    return c.finish(rng, eco, LABEL, lines, "Test", f"./build/tests/{suite.lower()}", stack="cpp")


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("pytest-assertion", ("python",), pytest_assertion),
    _family("pytest-collection-project-import", ("python",), pytest_collection_project_import),
    _family("python-unittest", ("python",), python_unittest),
    _family("jest", ("node",), jest),
    _family("vitest", ("node",), vitest),
    _family("mocha", ("node",), mocha),
    _family("go-test", ("go", "docker"), go_test),
    _family("cargo-test", ("rust", "docker"), cargo_test),
    _family("maven-surefire", ("java",), maven_surefire),
    _family("gradle-test", ("java",), gradle_test),
    _family("dotnet-test", ("dotnet",), dotnet_test),
    _family("rspec", ("ruby",), rspec),
    _family("gtest-ctest", ("cpp", "docker"), gtest_ctest),
]
