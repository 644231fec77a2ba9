"""Families of ``lint_format``: a linter, formatter or static type checker reported violations.

Static type checkers run as a check step belong here: mypy, pyright and ``tsc --noEmit`` in a
type-check step (``tsc`` as the build is ``compilation``). Clippy with ``-D warnings`` is lint;
plain rustc errors are compilation. ``yamllint`` is lint, a schema check of YAML is
``schema_validation``."""

from __future__ import annotations

import random

from datasets.generator._types import Failure, Family
from datasets.generator.families import _common_a as c

LABEL = "lint_format"

_RUFF = (
    ("F401", "`{mod}` imported but unused", True),
    ("E501", "Line too long ({n}0 > 100)", False),
    ("F841", "Local variable `{v}` is assigned to but never used", True),
    ("I001", "Import block is un-sorted or un-formatted", True),
    ("UP006", "Use `list` instead of `List` for type annotation", True),
    ("B006", "Do not use mutable data structures for argument defaults", False),
    ("SIM108", "Use ternary operator instead of `if`-`else`-block", False),
    ("E711", "Comparison to `None` should be `cond is None`", True),
    ("RUF012", "Mutable class attributes should be annotated with `typing.ClassVar`", False),
)


def _py_paths(rng: random.Random, k: int) -> list[str]:
    root = c.pick(rng, ("src/", "app/", "", "tests/"))
    return [f"{root}{c.py_module(rng).replace('.', '/')}.py" for _ in range(k)]


def ruff_check(rng: random.Random, eco: str) -> Failure:
    paths, n, fixable, full = (
        _py_paths(rng, rng.randint(1, 5)),
        rng.randint(1, 25),
        0,
        rng.random() < 0.4,
    )
    lines: list[str] = []
    for _ in range(n):
        code, msg, fix = c.pick(rng, _RUFF)
        nm = c.names(rng)
        fixable += fix
        path, line, col = c.pick(rng, paths), rng.randint(1, 500), rng.randint(1, 60)
        mark = " [*]" if fix else ""
        if full and n <= 8:
            text = (
                f"import {nm['mod']}"
                if code == "F401"
                else f"    {nm['v']} = {nm['cm']}({nm['w']})"
            )
            lines += [
                f"{code}{mark} {msg.format(**nm)}",
                *c.rust_excerpt(path, line, text, text.strip()[:12], ""),
                "",
            ]
        else:
            lines.append(f"{path}:{line}:{col}: {code}{mark} {msg.format(**nm)}")
    lines.append(f"Found {n} error{'s' if n > 1 else ''}.")
    if fixable:
        lines.append(f"[*] {fixable} fixable with the `--fix` option.")
    cmd = c.pick(rng, ("ruff check .", "ruff check src tests", "ruff check --output-format=full ."))
    return Failure(LABEL, lines, c.pick(rng, ("Lint", "Ruff", "Lint with ruff")), cmd)


_FLAKE8 = (
    "E501 line too long ({n}0 > 79 characters)",
    "F401 '{mod}' imported but unused",
    "W291 trailing whitespace",
    "E302 expected 2 blank lines, found 1",
    "F841 local variable '{v}' is assigned to but never used",
    "E231 missing whitespace after ','",
    "W503 line break before binary operator",
    "C901 '{m}' is too complex ({n})",
    "E128 continuation line under-indented for visual indent",
)


def flake8(rng: random.Random, eco: str) -> Failure:
    paths = _py_paths(rng, rng.randint(1, 6))
    lines = [
        f"./{c.pick(rng, paths)}:{rng.randint(1, 600)}:{rng.randint(1, 90)}: "
        f"{c.pick(rng, _FLAKE8).format(**c.names(rng))}"
        for _ in range(rng.randint(1, 30))
    ]
    if rng.random() < 0.4:
        lines.append(str(len(lines)))
    return Failure(LABEL, lines, "Lint", c.pick(rng, ("flake8 .", "flake8 --count src tests")))


_PYLINT = (
    "C0114: Missing module docstring (missing-module-docstring)",
    "W0611: Unused import {mod} (unused-import)",
    "R0913: Too many arguments (8/5) (too-many-arguments)",
    'C0103: Variable name "{U}" doesn\'t conform to snake_case naming style (invalid-name)',
    "W0703: Catching too general exception Exception (broad-except)",
    "E1101: Instance of '{T}' has no '{v}' member (no-member)",
    'R1705: Unnecessary "else" after "return", remove the "else" and de-indent the code inside it (no-else-return)',
)


def pylint(rng: random.Random, eco: str) -> Failure:
    lines = []
    for path in _py_paths(rng, rng.randint(1, 4)):
        lines.append(
            f"************* Module {path.removesuffix('.py').replace('/', '.').removeprefix('src.')}"
        )
        lines += [
            f"{path}:{rng.randint(1, 400)}:{rng.randint(0, 40)}: {c.pick(rng, _PYLINT).format(**c.names(rng))}"
            for _ in range(rng.randint(1, 8))
        ]
    score = rng.uniform(5, 9.9)
    lines += [
        "",
        "-" * 68,
        f"Your code has been rated at {score:.2f}/10 (previous run: {score + 0.1:.2f}/10, -0.10)",
        "",
    ]
    return Failure(
        LABEL,
        lines,
        "Pylint",
        c.pick(rng, ("pylint src", "pylint $(git ls-files '*.py')")),
        rng.choice((4, 16, 20, 28)),
    )


def python_format_check(rng: random.Random, eco: str) -> Failure:
    """black, ruff format and isort in check mode."""
    paths, kept = _py_paths(rng, rng.randint(1, 6)), rng.randint(10, 400)
    tool = c.pick(rng, ("black", "ruff-format", "isort"))
    n = len(paths)
    if tool == "black":
        lines = [f"would reformat {c.workdir(rng)}/{p}" for p in paths]
        lines += [
            "",
            "Oh no! 💥 💔 💥",
            f"{n} file{'s' if n > 1 else ''} would be reformatted, {kept} files would be left unchanged.",
        ]
        cmd = "black --check ."
    elif tool == "ruff-format":
        lines = [f"Would reformat: {p}" for p in paths]
        lines.append(
            f"{n} file{'s' if n > 1 else ''} would be reformatted, {kept} files already formatted"
        )
        cmd = "ruff format --check ."
    else:
        lines = [
            f"ERROR: {c.workdir(rng)}/{p} Imports are incorrectly sorted and/or formatted."
            for p in paths
        ]
        if rng.random() < 0.5:
            lines += [f"Skipped {rng.randint(1, 9)} files"]
        cmd = "isort --check-only --diff ."
    return Failure(
        LABEL, lines, c.pick(rng, ("Check formatting", "Format check", "Lint")), cmd, tags=(tool,)
    )


_MYPY = (
    'Incompatible types in assignment (expression has type "str", variable has type "int")  [assignment]',
    'Argument 1 to "{m}" has incompatible type "str | None"; expected "str"  [arg-type]',
    'Item "None" of "{T} | None" has no attribute "{v}"  [union-attr]',
    "Function is missing a return type annotation  [no-untyped-def]",
    "Missing return statement  [return]",
    'Name "{T}" is not defined  [name-defined]',
    'Incompatible return value type (got "list[str]", expected "set[str]")  [return-value]',
    '"{T}" has no attribute "{v}"  [attr-defined]',
    'Skipping analyzing "{mod}": module is installed, but missing library stubs or py.typed marker  [import-untyped]',
)


def mypy(rng: random.Random, eco: str) -> Failure:
    paths, n = _py_paths(rng, rng.randint(1, 5)), rng.randint(1, 30)
    lines, used = [], set()
    for _ in range(n):
        p = c.pick(rng, paths)
        used.add(p)
        lines.append(
            f"{p}:{rng.randint(1, 600)}: error: {c.pick(rng, _MYPY).format(**c.names(rng))}"
        )
        if rng.random() < 0.15:
            lines.append(
                f"{p}:{rng.randint(1, 600)}: note: See https://mypy.rtfd.io/en/stable/_refs.html#code-import-untyped"
            )
    lines.append(
        f"Found {n} error{'s' if n > 1 else ''} in {len(used)} file{'s' if len(used) > 1 else ''} "
        f"(checked {rng.randint(n, 600)} source files)"
    )
    cmd = c.pick(rng, ("mypy src", "mypy --strict .", "python -m mypy ."))
    return Failure(LABEL, lines, c.pick(rng, ("Type check", "mypy", "Lint")), cmd)


def pyright(rng: random.Random, eco: str) -> Failure:
    wd, n = c.workdir(rng), 0
    lines = []
    for p in _py_paths(rng, rng.randint(1, 4)):
        lines.append(f"{wd}/{p}")
        for _ in range(rng.randint(1, 5)):
            n += 1
            nm = c.names(rng)
            msg = c.pick(
                rng,
                (
                    f'Cannot access attribute "{nm["v"]}" for class "{nm["T"]}"\n    Attribute "{nm["v"]}" is unknown (reportAttributeAccessIssue)',
                    f'Argument of type "str | None" cannot be assigned to parameter "{nm["v"]}" of type "str" in function "{nm["m"]}"\n    Type "str | None" is not assignable to type "str" (reportArgumentType)',
                    f'Import "{nm["mod"]}" could not be resolved (reportMissingImports)',
                    f'"{nm["v"]}" is possibly unbound (reportPossiblyUnbound)',
                ),
            )
            first, *rest = msg.split("\n")
            lines += [
                f"  {wd}/{p}:{rng.randint(1, 500)}:{rng.randint(1, 60)} - error: {first}",
                *rest,
            ]
    lines.append(f"{n} error{'s' if n > 1 else ''}, {rng.randint(0, 9)} warnings, 0 informations ")
    return Failure(LABEL, lines, "Type check", c.pick(rng, ("pyright", "npx pyright src")))


_ESLINT = (
    ("'{cm}' is defined but never used", "@typescript-eslint/no-unused-vars"),
    ("Unexpected any. Specify a different type", "@typescript-eslint/no-explicit-any"),
    (
        "React Hook useEffect has a missing dependency: '{cm}'. Either include it or remove the dependency array",
        "react-hooks/exhaustive-deps",
    ),
    ("Expected '===' and instead saw '=='", "eqeqeq"),
    ("Unexpected console statement", "no-console"),
    ("'{cm}' is assigned a value but never used", "no-unused-vars"),
    ("Insert `;`", "prettier/prettier"),
    ("Import in body of module; reorder to top", "import/first"),
)


def eslint(rng: random.Random, eco: str) -> Failure:
    wd, errors, warnings, lines = c.workdir(rng), 0, 0, []
    for _ in range(rng.randint(1, 6)):
        lines += ["", f"{wd}/{c.src_file(rng, 'src/', c.pick(rng, ('ts', 'tsx', 'js')), 'camel')}"]
        for _ in range(rng.randint(1, 6)):
            msg, rule = c.pick(rng, _ESLINT)
            sev = "error" if rng.random() < 0.7 else "warning"
            errors, warnings = errors + (sev == "error"), warnings + (sev == "warning")
            pos = f"{rng.randint(1, 400)}:{rng.randint(1, 80)}"
            lines.append(f"  {pos:<7}  {sev:<7}  {msg.format(**c.names(rng))}  {rule}")
    if errors == 0:
        lines.append("  1:1      error    Parsing error: Unexpected token )  ")
        errors = 1
    total = errors + warnings
    lines += [
        "",
        f"✖ {total} problem{'s' if total > 1 else ''} ({errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''})",
    ]
    if rng.random() < 0.5:
        lines.append(
            f"  {rng.randint(1, errors)} error and 0 warnings potentially fixable with the `--fix` option."
        )
    cmd = c.pick(rng, ("npm run lint", "npx eslint . --max-warnings=0", "pnpm lint"))
    return Failure(LABEL, [*lines, ""], "Lint", cmd)


def prettier_check(rng: random.Random, eco: str) -> Failure:
    files = [
        c.src_file(rng, "src/", c.pick(rng, ("ts", "tsx", "css", "md", "json")), "camel")
        for _ in range(rng.randint(1, 9))
    ]
    lines = ["Checking formatting..."] + [f"[warn] {f}" for f in files]
    n = len(files)
    lines.append(
        c.pick(
            rng,
            (
                f"[warn] Code style issues found in {n} files. Run Prettier with --write to fix."
                if n > 1
                else "[warn] Code style issues found in the above file. Run Prettier with --write to fix.",
                f"[warn] Code style issues found in {n} file{'s' if n > 1 else ''}. Forgot to run Prettier?",
            ),
        )
    )
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Check formatting", "Prettier")),
        c.pick(rng, ("npx prettier --check .", "npm run format:check")),
    )


_TSC_CHECK = (
    "TS2322: Type 'string' is not assignable to type 'number'.",
    "TS2339: Property '{cm}' does not exist on type '{T}'.",
    "TS18048: '{cm}' is possibly 'undefined'.",
    "TS2345: Argument of type 'null' is not assignable to parameter of type '{T}'.",
    "TS6133: '{cm}' is declared but its value is never read.",
    "TS2532: Object is possibly 'undefined'.",
)


def tsc_noemit_typecheck(rng: random.Random, eco: str) -> Failure:
    """``tsc --noEmit`` run as the type-check step (vue-tsc too): a static check, not the build."""
    lines, files = [], set()
    tool = c.pick(rng, ("tsc --noEmit", "tsc --noEmit -p tsconfig.json", "vue-tsc --noEmit"))
    if rng.random() < 0.5:
        lines += ["", f"> {c.pick(rng, c.PROJECTS)}@{c.version(rng, 2)} typecheck", f"> {tool}", ""]
    n = rng.randint(1, 12)
    for _ in range(n):
        path = c.src_file(rng, "src/", c.pick(rng, ("ts", "tsx", "vue")), "camel")
        files.add(path)
        lines.append(
            f"{path}({rng.randint(1, 300)},{rng.randint(1, 60)}): error "
            f"{c.pick(rng, _TSC_CHECK).format(**c.names(rng))}"
        )
    if rng.random() < 0.5:
        lines.append(
            f"Found {n} error{'s' if n > 1 else ''} in {len(files)} file{'s' if len(files) > 1 else ''}."
        )
    cmd = "npm run typecheck" if lines[0] == "" else f"npx {tool}"
    return Failure(LABEL, lines, c.pick(rng, ("Type check", "Typecheck", "Lint (types)")), cmd, 2)


_CLIPPY = (
    ("this `if` has identical blocks", "if_same_then_else", "        return {v};"),
    ("redundant clone", "redundant_clone", "    let {v} = {w}.clone();"),
    ("unneeded `return` statement", "needless_return", "    return {v};"),
    (
        "this expression creates a reference which is immediately dereferenced by the compiler",
        "needless_borrow",
        "    {m}(&{v});",
    ),
    ("length comparison to zero", "len_zero", "    if {v}.len() == 0 {{"),
    (
        "using `clone` on type `u64` which implements the `Copy` trait",
        "clone_on_copy",
        "    let {v} = {w}.clone();",
    ),
    ("unused variable: `{v}`", "", "    let {v} = {cm}();"),
)


def clippy(rng: random.Random, eco: str) -> Failure:
    crate = c.pick(rng, c.PROJECTS)
    lines = [
        f"    Checking {k} v{c.version(rng, 1)}" for k in rng.sample(c.CRATES, rng.randint(0, 5))
    ]
    lines.append(f"    Checking {crate} v0.{rng.randint(1, 9)}.0 ({c.workdir(rng)})")
    n, first = rng.randint(1, 6), True
    for _ in range(n):
        msg, lint, src = c.pick(rng, _CLIPPY)
        nm = c.names(rng)
        code = src.format(**nm)
        lines.append(f"error: {msg.format(**nm)}")
        at = rng.randint(3, 500)
        pad = " " * len(str(at))
        lines += c.rust_excerpt(c.src_file(rng, "src/", "rs"), at, code, code.strip()[:10], "")
        lines.append(f"{pad} |")
        if lint:
            lines.append(
                f"{pad} = help: for further information visit https://rust-lang.github.io/rust-clippy/master/index.html#{lint}"
            )
        if first:
            what = f"clippy::{lint}" if lint else "unused-variables"
            grp = "clippy::all" if lint else "unused"
            lines.append(f"{pad} = note: `-D {what}` implied by `-D warnings`")
            lines.append(
                f"{pad} = help: to override `-D warnings` add `#[allow({what if lint else grp})]`"
            )
            first = False
        lines.append("")
    errs = "1 previous error" if n == 1 else f"{n} previous errors"
    lines.append(f"error: could not compile `{crate}` (lib) due to {errs}")
    cmd = c.pick(
        rng,
        ("cargo clippy --all-targets -- -D warnings", "cargo clippy --workspace -- -D warnings"),
    )
    return Failure(LABEL, lines, c.pick(rng, ("Clippy", "Lint")), cmd, 101)


def rustfmt_check(rng: random.Random, eco: str) -> Failure:
    wd, lines = c.workdir(rng), []
    for _ in range(rng.randint(1, 4)):
        nm = c.names(rng)
        lines += [
            f"Diff in {wd}/{c.src_file(rng, 'src/', 'rs')}:{rng.randint(1, 400)}:",
            f" use crate::{nm['mod']}::{{{nm['T']}, {nm['U']}}};",
            "-use std::collections::{HashMap,HashSet};",
            "+use std::collections::{HashMap, HashSet};",
            " ",
            f"-fn {nm['m']}( {nm['v']}: &str ) -> Result<()> {{",
            f"+fn {nm['m']}({nm['v']}: &str) -> Result<()> {{",
        ]
    return Failure(
        LABEL, lines, c.pick(rng, ("Rustfmt", "Check formatting")), "cargo fmt --all -- --check"
    )


def go_lint(rng: random.Random, eco: str) -> Failure:
    """golangci-lint findings, or a gofmt listing."""
    if rng.random() < 0.3:
        files = [
            c.src_file(rng, c.pick(rng, ("internal/", "pkg/", "cmd/")), "go")
            for _ in range(rng.randint(1, 5))
        ]
        lines = [*files, "Go code is not formatted, run 'gofmt -s -w .'"]
        return Failure(
            LABEL, lines, "gofmt", 'test -z "$(gofmt -s -l .)" || (gofmt -s -l . && exit 1)'
        )
    lines = []
    n = rng.randint(1, 9)
    for _ in range(n):
        nm = c.names(rng)
        msg = c.pick(
            rng,
            (
                "Error return value of `{w}.Close` is not checked (errcheck)",
                "ineffectual assignment to {v} (ineffassign)",
                "S1002: should omit comparison to bool constant (gosimple)",
                "exported function {T} should have comment or be unexported (revive)",
                'SA1019: "io/ioutil" has been deprecated since Go 1.19 (staticcheck)',
                "File is not `gofumpt`-ed (gofumpt)",
                "unused-parameter: parameter '{v}' seems to be unused (revive)",
                "G104: Errors unhandled. (gosec)",
            ),
        ).format(**nm)
        path = c.src_file(rng, c.pick(rng, ("internal/", "pkg/")), "go")
        lines += [
            f"{path}:{rng.randint(1, 500)}:{rng.randint(1, 40)}: {msg}",
            f"\t{nm['w']}.Close()",
            "\t^",
        ]
    if rng.random() < 0.5:
        lines.append(f"{n} issues:")
        lines.append(f"* {c.pick(rng, ('errcheck', 'revive', 'staticcheck'))}: {n}")
    return Failure(
        LABEL,
        lines,
        "golangci-lint",
        c.pick(rng, ("golangci-lint run ./...", "golangci-lint run --timeout 5m")),
    )


_RUBOCOP = (
    "Style/StringLiterals: Prefer single-quoted strings when you don't need string interpolation or special symbols.",
    "Layout/LineLength: Line is too long. [{n}0/120]",
    "Style/FrozenStringLiteralComment: Missing frozen string literal comment.",
    "Metrics/MethodLength: Method has too many lines. [{n}/10]",
    "Lint/UselessAssignment: Useless assignment to variable - {v}.",
    "Naming/PredicateName: Rename has_{v}? to {v}?.",
    "Layout/TrailingWhitespace: Trailing whitespace detected.",
)


def rubocop(rng: random.Random, eco: str) -> Failure:
    files = [
        f"{c.pick(rng, ('app/models', 'app/services', 'lib', 'spec'))}/{c.ident(rng)}.rb"
        for _ in range(rng.randint(1, 5))
    ]
    total = rng.randint(len(files) + 5, 300)
    lines = [
        f"Inspecting {total} files",
        "." * rng.randint(10, 60) + "C" * len(files) + "." * rng.randint(0, 30),
        "",
        "Offenses:",
        "",
    ]
    n = 0
    for f in files:
        for _ in range(rng.randint(1, 4)):
            n += 1
            sev = c.pick(rng, ("C", "C", "W"))
            fix = c.pick(rng, ("[Correctable] ", ""))
            lines += [
                f"{f}:{rng.randint(1, 200)}:{rng.randint(1, 60)}: {sev}: {fix}{c.pick(rng, _RUBOCOP).format(**c.names(rng))}",
                f'    {c.ident(rng)} = "{c.pick(rng, c.WORDS)}"',
                "    " + "^" * rng.randint(3, 20),
            ]
    lines += [
        "",
        f"{total} files inspected, {n} offenses detected, {rng.randint(0, n)} offenses autocorrectable",
    ]
    return Failure(
        LABEL, lines, "Rubocop", c.pick(rng, ("bundle exec rubocop", "bin/rubocop --parallel"))
    )


def dotnet_format(rng: random.Random, eco: str) -> Failure:
    wd, app = c.workdir(rng), f"Acme.{c.pascal(rng, 1)}"
    lines = []
    for _ in range(rng.randint(3, 12)):
        code, msg = c.pick(
            rng,
            (
                (
                    "WHITESPACE",
                    "Fix whitespace formatting. Replace 12 characters with '\\n\\s\\s\\s\\s'.",
                ),
                ("IDE0055", "Fix formatting"),
                ("IDE0005", "Using directive is unnecessary."),
                ("IDE0161", "Convert to file-scoped namespace"),
                (
                    "CA1822",
                    "Member '{U}' does not access instance data and can be marked as static",
                ),
            ),
        )
        lines.append(
            f"{wd}/src/{app}/{c.pascal(rng)}.cs({rng.randint(1, 300)},{rng.randint(1, 50)}): error {code}: "
            f"{msg.format(**c.names(rng))} [{wd}/src/{app}/{app}.csproj]"
        )
    return Failure(
        LABEL,
        lines,
        "Check formatting",
        c.pick(
            rng,
            (
                "dotnet format --verify-no-changes",
                "dotnet format style --verify-no-changes --severity warn",
            ),
        ),
        2,
    )


def java_style_check(rng: random.Random, eco: str) -> Failure:
    """Checkstyle violations or Spotless ``spotlessCheck`` under Maven/Gradle."""
    wd = c.workdir(rng)
    if rng.random() < 0.5:
        lines = [
            "[INFO] --- maven-checkstyle-plugin:3.3.1:check (validate) @ app ---",
            "[INFO] Starting audit...",
        ]
        n = rng.randint(1, 12)
        for _ in range(n):
            rule, msg = c.pick(
                rng,
                (
                    ("LineLength", "Line is longer than 100 characters (found 1{n})."),
                    ("UnusedImports", "Unused import - java.util.{T}."),
                    ("JavadocMethod", "Missing a Javadoc comment."),
                    ("NeedBraces", "'if' construct must use '{{}}'s."),
                    (
                        "AvoidStarImport",
                        "Using the '.*' form of import should be avoided - java.util.*.",
                    ),
                ),
            )
            lines.append(
                f"[ERROR] {wd}/src/main/java/com/acme/{c.pascal(rng)}.java:[{rng.randint(1, 300)},{rng.randint(1, 90)}] ({c.pick(rng, ('sizes', 'imports', 'javadoc', 'blocks'))}) {rule}: {msg.format(**c.names(rng))}"
            )
        lines += [
            "Audit done.",
            "[INFO] " + "-" * 72,
            "[INFO] BUILD FAILURE",
            "[INFO] " + "-" * 72,
            f"[ERROR] Failed to execute goal org.apache.maven.plugins:maven-checkstyle-plugin:3.3.1:check (validate) on project app: You have {n} Checkstyle violation{'s' if n > 1 else ''}. -> [Help 1]",
        ]
        return Failure(LABEL, lines, "Checkstyle", "mvn -B checkstyle:check")
    mod = c.pick(rng, ("app", "core"))
    f = f"src/main/kotlin/com/acme/{c.pascal(rng)}.kt"
    lines = [
        f"> Task :{mod}:spotlessKotlin",
        f"> Task :{mod}:spotlessKotlinCheck FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task ':{mod}:spotlessKotlinCheck'.",
        "> The following files had format violations:",
        f"      {f}",
        f"          @@ -{rng.randint(1, 90)},7 +{rng.randint(1, 90)},7 @@",
        f"          -import com.acme.{c.pascal(rng, 1)}",
        f"          -fun {c.camel(rng)}( x: Int ) = x",
        f"          +fun {c.camel(rng)}(x: Int) = x",
        "  Run './gradlew :app:spotlessApply' to fix these violations.",
        "",
        f"BUILD FAILED in {rng.randint(5, 120)}s",
    ]
    return Failure(LABEL, lines, "Spotless", "./gradlew spotlessCheck")


def cpp_format_tidy(rng: random.Random, eco: str) -> Failure:
    wd = c.workdir(rng)
    if rng.random() < 0.5:
        lines = []
        for _ in range(rng.randint(1, 6)):
            path, line, col = (
                c.src_file(rng, "src/", c.pick(rng, ("cpp", "hpp", "cc"))),
                rng.randint(1, 400),
                rng.randint(1, 60),
            )
            lines += [
                f"{path}:{line}:{col}: error: code should be clang-formatted [-Wclang-format-violations]",
                f"  {c.pascal(rng)}* {c.camel(rng)} = nullptr;",
                f"{' ' * (col + 1)}^",
            ]
        return Failure(
            LABEL,
            lines,
            "clang-format",
            "find src -name '*.cpp' -o -name '*.hpp' | xargs clang-format --dry-run --Werror",
        )
    lines = [f"{rng.randint(100, 9000)} warnings generated."]
    for _ in range(rng.randint(1, 6)):
        check = c.pick(
            rng,
            (
                "modernize-use-nullptr",
                "readability-braces-around-statements",
                "bugprone-narrowing-conversions",
                "performance-unnecessary-value-param",
                "cppcoreguidelines-pro-type-member-init",
                "modernize-use-override",
            ),
        )
        path = f"{wd}/{c.src_file(rng, 'src/', 'cpp')}"
        lines += [
            f"{path}:{rng.randint(1, 400)}:{rng.randint(1, 60)}: error: {check.split('-', 1)[1].replace('-', ' ')} [{check},-warnings-as-errors]",
            f"    {c.camel(rng)}({c.ident(rng)});",
            "    ^",
        ]
    lines += [
        f"Suppressed {rng.randint(100, 9000)} warnings ({rng.randint(100, 9000)} in non-user code).",
        "Use -header-filter=.* to display errors from all non-system headers. Use -system-headers to display errors from system headers as well.",
        f"{rng.randint(1, 6)} warnings treated as errors",
    ]
    return Failure(LABEL, lines, "clang-tidy", "run-clang-tidy -p build -quiet")


def hadolint(rng: random.Random, eco: str) -> Failure:
    rules = (
        (
            "DL3008",
            "warning",
            "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
        ),
        (
            "DL3018",
            "warning",
            "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
        ),
        ("DL3006", "warning", "Always tag the version of an image explicitly"),
        ("DL3025", "warning", "Use arguments JSON notation for CMD and ENTRYPOINT arguments"),
        (
            "DL4006",
            "warning",
            "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check",
        ),
        ("DL3059", "info", "Multiple consecutive `RUN` instructions. Consider consolidation."),
        ("SC2086", "info", "Double quote to prevent globbing and word splitting."),
        ("DL3002", "warning", "Last USER should not be root"),
    )
    lines = [
        f"{c.pick(rng, ('Dockerfile', 'docker/Dockerfile', 'Dockerfile.prod'))}:{rng.randint(1, 60)} {code} {sev}: {msg}"
        for code, sev, msg in rng.sample(rules, rng.randint(3, 7))
    ]
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Lint Dockerfile", "hadolint")),
        "hadolint --failure-threshold warning Dockerfile",
    )


def yamllint(rng: random.Random, eco: str) -> Failure:
    lines = []
    for _ in range(rng.randint(1, 4)):
        lines.append(
            c.pick(
                rng,
                (
                    ".github/workflows/ci.yml",
                    "deploy/values.yaml",
                    "config/settings.yml",
                    "docker-compose.yml",
                    "mkdocs.yml",
                ),
            )
        )
        for _ in range(rng.randint(1, 6)):
            lvl, msg = c.pick(
                rng,
                (
                    ("error", "trailing spaces  (trailing-spaces)"),
                    ("error", "wrong indentation: expected 2 but found 4  (indentation)"),
                    ("error", "line too long (1{n} > 120 characters)  (line-length)"),
                    ("warning", 'missing document start "---"  (document-start)'),
                    ("error", "too many blank lines (2 > 0)  (empty-lines)"),
                    ("warning", "truthy value should be one of [false, true]  (truthy)"),
                    ("error", 'duplication of key "{v}" in mapping  (key-duplicates)'),
                ),
            )
            pos = f"{rng.randint(1, 200)}:{rng.randint(1, 60)}"
            lines.append(f"  {pos:<9}{lvl:<10}{msg.format(**c.names(rng))}")
        lines.append("")
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Lint YAML", "yamllint")),
        c.pick(rng, ("yamllint .", "yamllint -s .")),
    )


_ALL = ("python", "node", "java", "go", "rust", "cpp", "dotnet", "ruby", "docker")


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("ruff-check", ("python",), ruff_check),
    _family("flake8", ("python",), flake8),
    _family("pylint", ("python",), pylint),
    _family("python-format-check", ("python",), python_format_check),
    _family("mypy", ("python",), mypy),
    _family("pyright", ("python", "node"), pyright),
    _family("eslint", ("node",), eslint),
    _family("prettier-check", ("node",), prettier_check),
    _family("tsc-noemit-typecheck", ("node",), tsc_noemit_typecheck),
    _family("clippy", ("rust",), clippy),
    _family("rustfmt-check", ("rust",), rustfmt_check),
    _family("go-lint", ("go",), go_lint),
    _family("rubocop", ("ruby",), rubocop),
    _family("dotnet-format", ("dotnet",), dotnet_format),
    _family("java-style-check", ("java",), java_style_check),
    _family("cpp-format-tidy", ("cpp",), cpp_format_tidy),
    _family("hadolint", ("docker",), hadolint),
    _family("yamllint", _ALL, yamllint),
]
