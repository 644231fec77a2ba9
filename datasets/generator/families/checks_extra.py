"""More ``test_failure`` and ``lint_format`` families: other runners and other checkers.

Test runners that stop on the project's own code before or inside a test (unittest's failed
import, Jest's suite that failed to run, RSpec's load error, a panic inside a Go test, Catch2,
Cucumber/Behave scenarios) are test failures. Static checkers run as a check step (Flow, Sorbet,
Psalm, actionlint, editorconfig-checker) are ``lint_format`` even when their findings read like
compiler errors or concern the workflow file itself.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import NOUNS, camel, ident, pick, repo, seconds, workdir

_TEST = "test_failure"
_LINT = "lint_format"


def _unittest_import_failed(rng: random.Random, eco: str) -> Failure:
    pkg = repo(rng).replace("-", "_")
    mod = pick(rng, NOUNS)
    name = pick(rng, (camel(rng), ident(rng)))
    total = rng.randint(20, 400)
    lines = [
        "." * rng.randint(5, 40) + "E" + "." * rng.randint(0, 30),
        "=" * 70,
        f"ERROR: test_{mod} (unittest.loader._FailedTest.test_{mod})",
        "-" * 70,
        f"ImportError: Failed to import test module: test_{mod}",
        "Traceback (most recent call last):",
        '  File "/usr/lib/python3.12/unittest/loader.py", line 396, in _find_test_path',
        "    module = self._get_module_from_name(name)",
        f'  File "{workdir(rng)}/tests/test_{mod}.py", line {rng.randint(2, 20)}, in <module>',
        f"    from {pkg}.{mod} import {name}",
        f"ImportError: cannot import name '{name}' from '{pkg}.{mod}'",
        "",
        "",
        "-" * 70,
        f"Ran {total} tests in {seconds(rng, 0.2, 60)}s",
        "",
        "FAILED (errors=1)",
    ]
    cmd = pick(rng, ("python -m unittest discover -s tests", "python -m unittest -v"))
    return Failure(_TEST, lines, pick(rng, ("Run unit tests", "Test", "unittest")), cmd)


def _jest_suite_failed_to_run(rng: random.Random, eco: str) -> Failure:
    area = pick(rng, ("api", "lib", "services", "utils", "components"))
    src = f"src/{area}/{camel(rng)}.ts"
    prop = pick(rng, ("baseUrl", "length", "map", "config", "default"))
    lines = [
        f"PASS src/{area}/{pick(rng, NOUNS)}.test.ts",
        f"FAIL src/{area}/{pick(rng, NOUNS)}.test.ts",
        "  ● Test suite failed to run",
        "",
        f"    TypeError: Cannot read properties of undefined (reading '{prop}')",
        "",
        f"      {rng.randint(3, 40)} | export const {ident(rng)} = settings.{prop};",
        "",
        f"      at Object.<anonymous> ({src}:{rng.randint(3, 40)}:{rng.randint(5, 40)})",
        f"      at Object.<anonymous> (src/{area}/index.ts:{rng.randint(1, 9)}:1)",
        "",
        f"Test Suites: 1 failed, {rng.randint(3, 60)} passed, {rng.randint(64, 90)} total",
        f"Tests:       {rng.randint(30, 500)} passed, {rng.randint(501, 600)} total",
        f"Time:        {seconds(rng, 2, 90)} s",
        "Ran all test suites.",
    ]
    return Failure(_TEST, lines, pick(rng, ("Test", "Run tests", "Unit tests")), "npx jest --ci")


def _rspec_load_error(rng: random.Random, eco: str) -> Failure:
    const = camel(rng)
    spec = f"./spec/{pick(rng, ('models', 'services', 'lib', 'jobs'))}/{pick(rng, NOUNS)}_spec.rb"
    lines = [
        "",
        f"An error occurred while loading {spec}.",
        "Failure/Error:",
        f"  RSpec.describe {const} do",
        "",
        "NameError:",
        f"  uninitialized constant {const}",
        f"# {spec}:{rng.randint(3, 9)}:in `<top (required)>'",
        "No examples found.",
        "",
        f"Finished in {seconds(rng, 0.01, 0.2)} seconds (files took {seconds(rng, 0.5, 6)} "
        "seconds to load)",
        "0 examples, 0 failures, 1 error occurred outside of examples",
    ]
    return Failure(_TEST, lines, pick(rng, ("RSpec", "Run specs", "Test")), "bundle exec rspec")


def _go_test_panic(rng: random.Random, eco: str) -> Failure:
    mod = f"github.com/{repo(rng)}/{repo(rng)}"
    pkg = pick(rng, NOUNS)
    test = f"Test{camel(rng)}"
    panic = pick(
        rng,
        (
            f"runtime error: index out of range [{rng.randint(1, 9)}] with length "
            f"{rng.randint(0, 1)}",
            "runtime error: invalid memory address or nil pointer dereference",
            "assignment to entry in nil map",
        ),
    )
    lines = [
        f"=== RUN   {test}",
        f"--- FAIL: {test} ({seconds(rng, 0, 2)}s)",
        f"panic: {panic} [recovered]",
        f"\tpanic: {panic}",
        "",
        f"goroutine {rng.randint(6, 90)} [running]:",
        "testing.tRunner.func1.2({0x6f3e20, 0xc000016240})",
        "\t/opt/hostedtoolcache/go/1.22.5/x64/src/testing/testing.go:1631 +0x24a",
        f"{mod}/internal/{pkg}.{camel(rng)}(...)",
        f"\t{workdir(rng)}/internal/{pkg}/{pkg}.go:{rng.randint(10, 300)} +0x1d",
        f"FAIL\t{mod}/internal/{pkg}\t{seconds(rng, 0.01, 3)}s",
        "FAIL",
    ]
    return Failure(_TEST, lines, pick(rng, ("Test", "Run go test")), "go test ./...")


def _catch2(rng: random.Random, eco: str) -> Failure:
    case = f"{pick(rng, NOUNS)} {pick(rng, ('round-trips', 'parses input', 'handles empty'))}"
    src = f"tests/{pick(rng, NOUNS)}_test.cpp"
    total = rng.randint(20, 300)
    lines = [
        "~" * 79,
        f"{repo(rng)}_tests is a Catch2 v3.{rng.randint(3, 7)}.{rng.randint(0, 2)} host application.",
        "Run with -? for options",
        "",
        "-" * 79,
        case,
        "-" * 79,
        f"{src}:{rng.randint(10, 300)}",
        "." * 79,
        "",
        f"{src}:{rng.randint(10, 300)}: FAILED:",
        f"  REQUIRE( {ident(rng)}(input) == expected )",
        "with expansion:",
        f"  {rng.randint(0, 99)} == {rng.randint(100, 200)}",
        "",
        "=" * 79,
        f"test cases: {total} | {total - 1} passed | 1 failed",
        f"assertions: {total * 4} | {total * 4 - 1} passed | 1 failed",
    ]
    return Failure(_TEST, lines, pick(rng, ("Test", "Run tests")), f"./build/{repo(rng)}_tests")


def _cucumber_behave(rng: random.Random, eco: str) -> Failure:
    feature = f"features/{pick(rng, NOUNS)}.feature"
    scenario = f"{pick(rng, ('User', 'Admin', 'Guest'))} {pick(rng, ('exports', 'imports'))} a {pick(rng, NOUNS)}"
    step = f"Then the response status should be {pick(rng, ('200', '201', '204'))}"
    lines = [
        f"  Scenario: {scenario}  # {feature}:{rng.randint(5, 80)}",
        f"    Given a signed-in {pick(rng, ('user', 'admin'))}",
        f"    When I request the {pick(rng, NOUNS)} list",
        f"    {step}",
        f"      Assertion Failed: expected {pick(rng, ('200', '201'))} but got {pick(rng, ('404', '500', '422'))}",
        "",
        "Failing scenarios:",
        f"  {feature}:{rng.randint(5, 80)}  {scenario}",
        "",
        f"{rng.randint(1, 9)} features passed, 1 failed, 0 skipped",
        f"{rng.randint(10, 90)} scenarios passed, 1 failed, 0 skipped",
        f"{rng.randint(60, 400)} steps passed, 1 failed, 0 skipped, 0 undefined",
    ]
    cmd = {"python": "behave", "ruby": "bundle exec cucumber"}.get(eco, "npx cucumber-js")
    return Failure(_TEST, lines, pick(rng, ("Acceptance tests", "BDD", "Features")), cmd)


def _flow_check(rng: random.Random, eco: str) -> Failure:
    n = rng.randint(1, 4)
    lines: list[str] = []
    for _ in range(n):
        path = f"src/{pick(rng, NOUNS)}/{camel(rng)}.js"
        ln = rng.randint(3, 300)
        prop = ident(rng)
        lines += [
            f"Error {'-' * 60} {path}:{ln}:{rng.randint(3, 40)}",
            "",
            f"Cannot get `props.{prop}` because property `{prop}` is missing in `Props` [1].",
            "",
            f"   {ln}|   const value = props.{prop};",
            "",
        ]
    lines.append(f"Found {n} error{'s' if n > 1 else ''}")
    return Failure(_LINT, lines, pick(rng, ("Flow", "Type check", "Lint")), "npx flow check")


def _sorbet(rng: random.Random, eco: str) -> Failure:
    n = rng.randint(1, 4)
    lines: list[str] = []
    for _ in range(n):
        path = f"app/{pick(rng, ('models', 'services'))}/{pick(rng, NOUNS)}.rb"
        method = ident(rng)
        lines += [
            f"{path}:{rng.randint(3, 200)}: Method `{method}` does not exist on "
            f"`T.nilable({camel(rng)})` https://srb.help/7003",
            f"    {rng.randint(3, 200)} |      record.{method}",
            "                             ^^^^^^^^^^",
        ]
    lines.append(f"Errors: {n}")
    return Failure(_LINT, lines, pick(rng, ("Sorbet", "Type check")), "bundle exec srb tc")


def _psalm(rng: random.Random, eco: str) -> Failure:
    n = rng.randint(1, 4)
    lines = ["Scanning files...", "Analyzing files...", ""]
    for _ in range(n):
        kind = pick(rng, ("InvalidArgument", "PossiblyNullReference", "UndefinedMethod"))
        lines.append(
            f"ERROR: {kind} - src/{camel(rng)}.php:{rng.randint(3, 300)}:{rng.randint(3, 40)} - "
            f"Argument 1 of {camel(rng)}::{ident(rng)} expects int, string provided"
        )
    lines += ["", "-" * 30, f"{n} errors found", "-" * 30]
    return Failure(_LINT, lines, pick(rng, ("Psalm", "Static analysis")), "vendor/bin/psalm")


def _actionlint(rng: random.Random, eco: str) -> Failure:
    wf = f".github/workflows/{pick(rng, ('ci', 'release', 'deploy', 'nightly'))}.yml"
    n = rng.randint(1, 3)
    findings = (
        ('property "{v}" is not defined in object type {{}}', "expression"),
        (
            "shellcheck reported issue in this script: SC2086:info:1:8: Double quote to prevent globbing and word splitting",
            "shellcheck",
        ),
        ('"runs-on" section is missing in job "{v}"', "syntax-check"),
        ('input "{v}" is not defined in action "actions/checkout@v4"', "action"),
    )
    lines = []
    for _ in range(n):
        text, rule = pick(rng, findings)
        ln, col = rng.randint(5, 120), rng.randint(3, 30)
        lines += [
            f"{wf}:{ln}:{col}: {text.format(v=ident(rng))} [{rule}]",
            f"{ln:>4} |       run: ./scripts/{ident(rng)}.sh ${{{{ inputs.{ident(rng)} }}}}",
            "     |" + " " * col + "^" * rng.randint(4, 14),
        ]
    return Failure(
        _LINT, lines, pick(rng, ("actionlint", "Lint workflows")), "actionlint -color=never"
    )


def _editorconfig(rng: random.Random, eco: str) -> Failure:
    lines = []
    count = rng.randint(1, 4)
    for _ in range(count):
        lines.append(f"src/{pick(rng, NOUNS)}/{ident(rng)}.{pick(rng, ('py', 'ts', 'go', 'rb'))}:")
        lines.append(
            f"\t{rng.randint(2, 300)}: "
            + pick(
                rng,
                (
                    "Wrong amount of left-padding spaces(want multiple of 4)",
                    "Trailing whitespace",
                    "Wrong line endings or new final newline",
                    "Wrong indent style found (tabs instead of spaces)",
                ),
            )
        )
    lines += ["", f"{count} errors found"]
    return Failure(_LINT, lines, pick(rng, ("Editorconfig", "Lint")), "editorconfig-checker")


_ALL = ("python", "node", "java", "go", "rust", "cpp", "dotnet", "ruby", "docker")

FAMILIES: list[Family] = [
    Family(f"{_TEST}/unittest-import-failed", _TEST, ("python",), _unittest_import_failed),
    Family(f"{_TEST}/jest-suite-failed-to-run", _TEST, ("node",), _jest_suite_failed_to_run),
    Family(f"{_TEST}/rspec-load-error", _TEST, ("ruby",), _rspec_load_error),
    Family(f"{_TEST}/go-test-panic", _TEST, ("go",), _go_test_panic),
    Family(f"{_TEST}/catch2", _TEST, ("cpp",), _catch2),
    Family(f"{_TEST}/cucumber-behave", _TEST, ("python", "ruby", "node", "java"), _cucumber_behave),
    Family(f"{_LINT}/flow-check", _LINT, ("node",), _flow_check),
    Family(f"{_LINT}/sorbet-typecheck", _LINT, ("ruby",), _sorbet),
    Family(f"{_LINT}/psalm", _LINT, ("ruby",), _psalm),
    Family(f"{_LINT}/actionlint", _LINT, _ALL, _actionlint),
    Family(f"{_LINT}/editorconfig-checker", _LINT, _ALL, _editorconfig),
]
