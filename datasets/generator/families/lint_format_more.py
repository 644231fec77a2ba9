"""More families of ``lint_format``: other linters, formatters and the hooks that run them.

Same decisions as ``lint_format``: a linter, formatter or static analyser reported violations
(PHPStan and ``dart analyze`` are static checkers run as a check step). ``terraform fmt`` and
tflint are lint; ``terraform validate`` is ``schema_validation``. Languages without their own
runner set-up are mapped onto the closest ecosystem: PHP and Elixir onto ``docker``, Swift onto
``cpp`` (macOS runner), Dart/Flutter, Scala and Kotlin onto ``java``, PowerShell onto ``dotnet``."""

from __future__ import annotations

import random

from datasets.generator._types import ECOSYSTEMS, Failure, Family
from datasets.generator.families import _common_a as c
from datasets.generator.families import _common_a2 as c2

LABEL = "lint_format"


def phpstan_cs_fixer(rng: random.Random, eco: str) -> Failure:
    """PHPStan's table of errors or PHP-CS-Fixer's dry run (PHP → docker)."""
    if rng.random() < 0.55:
        lines = []
        n = 0
        for _ in range(rng.randint(1, 3)):
            nm = c.names(rng)
            path = f"src/{c.pick(rng, ('Http', 'Service', 'Domain'))}/{nm['T']}.php"
            lines += [" ------ " + "-" * 60, f"  Line   {path}", " ------ " + "-" * 60]
            for _ in range(rng.randint(1, 3)):
                n += 1
                lines.append(
                    f"  {rng.randint(5, 400):<6} "
                    + c.pick(
                        rng,
                        (
                            f"Method App\\{nm['T']}::{nm['cm']}() should return int but returns string.",
                            f"Call to an undefined method App\\{nm['T']}::{nm['cm']}().",
                            f"Parameter #1 ${nm['v']} of method App\\{nm['U']}::{nm['cm']}() expects int, string given.",
                            f"Property App\\{nm['T']}::${nm['v']} has no type specified.",
                        ),
                    )
                )
            lines.append(" ------ " + "-" * 60)
        lines += ["", f" [ERROR] Found {n} error{'s' if n > 1 else ''}", ""]
        cmd = c.pick(rng, ("vendor/bin/phpstan analyse --no-progress", "composer phpstan"))
    else:
        files = [f"src/{c.pascal(rng, 1)}/{c.pascal(rng)}.php" for _ in range(rng.randint(1, 5))]
        fixers = (
            "no_unused_imports",
            "ordered_imports",
            "braces_position",
            "single_quote",
            "trailing_comma_in_multiline",
            "blank_line_before_statement",
        )
        lines = [
            f"PHP CS Fixer 3.{rng.randint(40, 60)}.{rng.randint(0, 9)} by Fabien Potencier, Dariusz Ruminski and contributors.",
            f"PHP runtime: 8.{rng.randint(1, 3)}.{rng.randint(0, 20)}",
            'Loaded config default from ".php-cs-fixer.dist.php".',
        ]
        lines += [
            f"   {i + 1}) {f} ({', '.join(rng.sample(fixers, rng.randint(1, 3)))})"
            for i, f in enumerate(files)
        ]
        lines += [
            "",
            f"Found {len(files)} of {rng.randint(40, 600)} files that can be fixed in {c.seconds(rng, 0.5, 30)} seconds, {rng.randint(10, 60)}.00 MB memory used",
        ]
        cmd = "vendor/bin/php-cs-fixer fix --dry-run --diff"
    return c2.finish_mapped(
        rng, eco, LABEL, lines, c.pick(rng, ("Static analysis", "Lint")), cmd, stack="php"
    )


def swiftlint(rng: random.Random, eco: str) -> Failure:
    """SwiftLint violations, or SwiftFormat's lint mode (Swift → cpp, macOS runner)."""
    wd = c2.mac_workdir(rng)
    rules = (
        ("error", "Force Cast Violation", "Force casts should be avoided", "force_cast"),
        ("error", "Force Try Violation", "Force tries should be avoided", "force_try"),
        (
            "warning",
            "Line Length Violation",
            f"Line should be 120 characters or less; currently it has {rng.randint(121, 200)} characters",
            "line_length",
        ),
        (
            "error",
            "Identifier Name Violation",
            "Variable name 'x' should be between 3 and 40 characters long",
            "identifier_name",
        ),
        (
            "warning",
            "Trailing Whitespace Violation",
            "Lines should not have trailing whitespace",
            "trailing_whitespace",
        ),
    )
    if rng.random() < 0.6:
        lines, serious, n = (
            ["Linting Swift files in current working directory"],
            0,
            rng.randint(1, 6),
        )
        for _ in range(n):
            sev, title, msg, rule = c.pick(rng, rules)
            serious += sev == "error"
            lines.append(
                f"{wd}/Sources/{c.pascal(rng, 1)}/{c.pascal(rng)}.swift:{rng.randint(3, 400)}:{rng.randint(1, 60)}: {sev}: {title}: {msg} ({rule})"
            )
        lines.append(
            f"Done linting! Found {n} violation{'s' if n > 1 else ''}, {max(serious, 1)} serious in {rng.randint(20, 400)} files."
        )
        cmd = c.pick(rng, ("swiftlint --strict", "swiftlint lint --reporter xcode"))
    else:
        files = [
            f"{wd}/Sources/{c.pascal(rng, 1)}/{c.pascal(rng)}.swift"
            for _ in range(rng.randint(1, 4))
        ]
        lines = ["Running SwiftFormat...", "(lint mode - no files will be changed.)"]
        lines += [
            f"{f}:{rng.randint(2, 300)}:1: error: ({c.pick(rng, ('redundantSelf', 'trailingCommas', 'indent', 'wrapArguments', 'sortImports'))}) {c.pick(rng, ('Remove explicit self where applicable.', 'Add or remove trailing comma from the last item in a collection literal.', 'Indent code in accordance with the scope level.'))}"
            for f in files
        ]
        lines += [
            f"SwiftFormat completed in {c.seconds(rng, 0.1, 5)}s.",
            "Source input did not pass lint check.",
            f"{len(files)}/{rng.randint(40, 400)} files require formatting.",
        ]
        cmd = "swiftformat --lint ."
    return Failure(LABEL, lines, "Lint", cmd, 2 if "strict" in cmd else 1)


def dart_analyze_format(rng: random.Random, eco: str) -> Failure:
    """``dart analyze`` / ``flutter analyze`` issues, or ``dart format --set-exit-if-changed`` (→ java)."""
    if rng.random() < 0.6:
        n, flutter = rng.randint(1, 6), rng.random() < 0.5
        lines = [
            f"Analyzing {c.pick(rng, c.PROJECTS)}..." if flutter else "Analyzing lib, test...",
            "",
        ]
        for _ in range(n):
            nm = c.names(rng)
            sev, msg, code = c.pick(
                rng,
                (
                    (
                        "info",
                        "Prefer const with constant constructors",
                        "prefer_const_constructors",
                    ),
                    (
                        "warning",
                        f"The value of the local variable '{nm['cm']}' isn't used",
                        "unused_local_variable",
                    ),
                    (
                        "info",
                        "Don't use 'BuildContext's across async gaps",
                        "use_build_context_synchronously",
                    ),
                    (
                        "error",
                        "The argument type 'String' can't be assigned to the parameter type 'int'",
                        "argument_type_not_assignable",
                    ),
                    (
                        "info",
                        f"Unused import: 'package:{c.pick(rng, c2.DART_PACKAGES)}/{nm['f']}.dart'",
                        "unused_import",
                    ),
                ),
            )
            where = f"lib/{c.pick(rng, ('src/', 'screens/', ''))}{nm['f']}.dart:{rng.randint(2, 300)}:{rng.randint(2, 40)}"
            lines.append(
                f"{sev:>7} • {msg} • {where} • {code}"
                if flutter
                else f"  {sev} - {where} - {msg} - {code}"
            )
        lines += [
            "",
            f"{n} issue{'s' if n > 1 else ''} found.{' (ran in ' + c.seconds(rng, 2, 60) + 's)' if flutter else ''}",
        ]
        cmd = "flutter analyze" if flutter else "dart analyze --fatal-infos"
    else:
        changed = [
            f"lib/{c.pick(rng, ('src/', 'widgets/', ''))}{c.ident(rng, 1)}.dart"
            for _ in range(rng.randint(1, 4))
        ]
        lines = [f"Changed {f}" for f in changed]
        lines.append(
            f"Formatted {rng.randint(40, 600)} files ({len(changed)} changed) in {c.seconds(rng, 0.2, 4)} seconds."
        )
        cmd = "dart format --output=none --set-exit-if-changed ."
    return Failure(LABEL, lines, c.pick(rng, ("Analyze", "Lint")), cmd)


def credo_mix_format(rng: random.Random, eco: str) -> Failure:
    """``mix format --check-formatted`` or Credo's issue list (Elixir → docker)."""
    if rng.random() < 0.5:
        files = [
            f"lib/{c.pick(rng, c.PROJECTS).replace('-', '_')}/{c.ident(rng, 1)}.ex"
            for _ in range(rng.randint(1, 4))
        ]
        lines = [
            "** (Mix) mix format failed due to --check-formatted.",
            "The following files are not formatted:",
            "",
            *[f"  * {f}" for f in files],
        ]
        if rng.random() < 0.5:
            at, fun = rng.randint(2, 200), c.ident(rng)
            lines = [
                f"{files[0]}:{at}:",
                f"  {at}   -   def {fun}( x ), do: x",
                f"  {at} + |   def {fun}(x), do: x",
                "",
                *lines,
            ]
        cmd = "mix format --check-formatted"
    else:
        lines = ["Checking 42 source files ...", "", "  Code Readability", "┃ "]
        n = rng.randint(1, 4)
        for _ in range(n):
            mod = c2.mod_name(rng)
            tag, msg = c.pick(
                rng,
                (
                    ("[R]", "Modules should have a @moduledoc tag."),
                    ("[F]", "Function body is nested too deep (max depth is 2, was 3)."),
                    ("[D]", "Found a TODO tag in a comment: # TODO: remove"),
                    ("[W]", "There should be no calls to IO.inspect/1."),
                ),
            )
            lines += [
                f"┃ {tag} → {msg}",
                f"┃       lib/{mod.lower().replace('.', '/')}.ex:{rng.randint(1, 200)}:{rng.randint(1, 20)} #({mod})",
            ]
        lines += [
            "",
            f"Analysis took {c.seconds(rng, 0.1, 5)} seconds",
            f"{rng.randint(50, 900)} mods/funs, found {n} code readability issue{'s' if n > 1 else ''}.",
        ]
        cmd = "mix credo --strict"
    return c2.finish_mapped(rng, eco, LABEL, lines, "Lint", cmd, stack="elixir")


def scalafmt_check(rng: random.Random, eco: str) -> Failure:
    """sbt-scalafmt's ``scalafmtCheck`` / ``scalafmtSbtCheck`` or the scalafmt CLI (Scala → java)."""
    wd, n = c.workdir(rng), rng.randint(1, 4)
    files = [
        f"{wd}/src/{c.pick(rng, ('main', 'test'))}/scala/com/acme/{c.pick(rng, c.WORDS)}/{c.pascal(rng)}.scala"
        for _ in range(n)
    ]
    if rng.random() < 0.6:
        lines = [f"[info] scalafmt: Formatting {rng.randint(10, 400)} Scala sources ({wd})..."]
        lines += [f"[warn] {f} isn't formatted properly!" for f in files]
        lines += [
            f"[error] (Compile / scalafmtCheck) {n} file{'s' if n > 1 else ''} must be formatted",
            f"[error] Total time: {rng.randint(2, 60)} s, completed Mar {rng.randint(1, 28)}, 2026, 11:{rng.randint(10, 59)}:{rng.randint(10, 59)} AM",
        ]
        cmd = "sbt scalafmtCheckAll scalafmtSbtCheck"
    else:
        lines = [
            f"--- a{files[0][len(wd) :]}",
            f"+++ b{files[0][len(wd) :]}",
            f"@@ -{rng.randint(2, 90)},3 +{rng.randint(2, 90)},3 @@",
            f"-  def {c.camel(rng)}(x:Int)= x",
            f"+  def {c.camel(rng)}(x: Int) = x",
        ] + [f"error: --test failed for {f}" for f in files[:1]]
        cmd = "scalafmt --test --non-interactive"
    return Failure(LABEL, lines, c.pick(rng, ("Check formatting", "Lint")), cmd)


def ktlint_detekt(rng: random.Random, eco: str) -> Failure:
    """ktlint's ``file:line:col: message (rule)`` lines or detekt's weighted report (Kotlin → java)."""
    wd = c.workdir(rng)
    files = [
        f"{wd}/app/src/main/kotlin/com/acme/{c.pick(rng, c.WORDS)}/{c.pascal(rng)}.kt"
        for _ in range(rng.randint(1, 4))
    ]
    if rng.random() < 0.5:
        rules = (
            ('Unexpected blank line(s) before "}"', "standard:no-blank-line-before-rbrace"),
            ("Exceeded max line length (120)", "standard:max-line-length"),
            ("Unused import", "standard:no-unused-imports"),
            ('Missing trailing comma before ")"', "standard:trailing-comma-on-declaration-site"),
        )
        lines = [
            f"{f}:{rng.randint(2, 300)}:{rng.randint(1, 60)}: {msg} ({rule})"
            for f in files
            for msg, rule in [c.pick(rng, rules)]
        ]
        lines += [
            "",
            "Summary error count (descending) by rule:",
            f"  {c.pick(rng, rules)[1]}: {len(lines)}",
        ]
        task = ":app:ktlintCheck"
        tail = [
            f"> Task {task} FAILED",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            f"Execution failed for task '{task}'.",
            "> A failure occurred while executing org.jlleitschuh.gradle.ktlint.worker.ConsoleReportWorkAction",
            "   > KtLint found code style violations. Please see the following reports:",
            f"     - {wd}/app/build/reports/ktlint/ktlintMainSourceSetCheck/ktlintMainSourceSetCheck.txt",
        ]
        lines = [*lines, *tail] if rng.random() < 0.6 else lines[:3]
        cmd = "./gradlew ktlintCheck"
    else:
        rules = (
            (
                "MagicNumber",
                "This expression contains a magic number. Consider defining it to a well named constant.",
            ),
            (
                "LongMethod",
                f"The function {c.camel(rng)} is too long ({rng.randint(61, 200)}). The maximum length is 60.",
            ),
            (
                "TooManyFunctions",
                f"Class '{c.pascal(rng)}' with '{rng.randint(12, 40)}' functions detected. Defined threshold inside classes is set to '11'",
            ),
            (
                "ComplexCondition",
                "This condition is too complex (5). Defined complexity threshold for conditions is set to '4'",
            ),
        )
        lines = []
        for f in files:
            rule, msg = c.pick(rng, rules)
            lines.append(f"{f}:{rng.randint(2, 300)}:{rng.randint(1, 60)}: {msg} [{rule}]")
        lines = [
            *lines,
            "",
            "> Task :app:detekt FAILED",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            "Execution failed for task ':app:detekt'.",
            f"> Analysis failed with {len(files)} weighted issues.",
        ]
        cmd = "./gradlew detekt"
    return Failure(LABEL, lines, "Lint", cmd)


def psscriptanalyzer(rng: random.Random, eco: str) -> Failure:
    """PSScriptAnalyzer's table on a Windows runner (PowerShell → dotnet)."""
    wd, formats = c2.win_workdir(rng)
    rules = (
        (
            "PSAvoidUsingCmdletAliases",
            "Warning",
            "'{a}' is an alias of '{b}'. Alias can introduce possible problems and make scripts hard to maintain. Please consider changing alias to its full content.",
        ),
        (
            "PSAvoidUsingWriteHost",
            "Warning",
            "File '{f}' uses Write-Host. Avoid using Write-Host because it might not work in all hosts.",
        ),
        ("PSUseApprovedVerbs", "Warning", "The cmdlet '{v}-{n}' uses an unapproved verb."),
        (
            "PSAvoidUsingPlainTextForPassword",
            "Error",
            "Parameter '$Password' should not use String type but either SecureString or PSCredential.",
        ),
    )
    lines = [
        "RuleName                            Severity     ScriptName Line  Message",
        "--------                            --------     ---------- ----  -------",
    ]
    n = rng.randint(1, 5)
    for _ in range(n):
        rule, sev, msg = c.pick(rng, rules)
        script = f"{c.pick(rng, ('build', 'deploy', 'Install-Tools', 'release'))}.ps1"
        text = msg.format(
            a=c.pick(rng, ("gci", "%", "ls", "cat")),
            b=c.pick(rng, ("Get-ChildItem", "ForEach-Object", "Get-Content")),
            f=script,
            v=c.pick(rng, ("Load", "Make", "Generate")),
            n=c.pascal(rng, 1),
        )
        lines.append(f"{rule:<35} {sev:<12} {script:<10} {rng.randint(2, 300):<5} {text[:90]}")
    if rng.random() < 0.6:
        lines += [
            "",
            f"Error: PSScriptAnalyzer found {n} issue{'s' if n > 1 else ''} in {wd}\\scripts",
        ]
    cmd = c.pick(
        rng,
        (
            "Invoke-ScriptAnalyzer -Path .\\scripts -Recurse -EnableExit",
            "pwsh -File .\\build.ps1 -Task Analyze",
        ),
    )
    return c2.with_formats(
        Failure(LABEL, lines, "PSScriptAnalyzer", cmd, n, tags=("powershell", "windows")), formats
    )


def shellcheck(rng: random.Random, eco: str) -> Failure:
    """ShellCheck's ``In file line N:`` blocks (tty format) or gcc-style lines (``-f gcc``)."""
    script = f"{c.pick(rng, ('scripts', 'ci', 'bin', '.github/scripts'))}/{c.pick(rng, ('deploy', 'release', 'bootstrap', 'entrypoint'))}.sh"
    issues = (
        (
            "SC2086",
            "info",
            "Double quote to prevent globbing and word splitting.",
            'cp $SRC "$DEST"',
            "$SRC",
        ),
        (
            "SC2115",
            "warning",
            'Use "${var:?}" to ensure this never expands to /* .',
            'rm -rf "$BUILD_DIR"/*',
            '"$BUILD_DIR"/*',
        ),
        (
            "SC2164",
            "warning",
            "Use 'cd ... || exit' or 'cd ... || return' in case cd fails.",
            "cd $APP_HOME",
            "cd $APP_HOME",
        ),
        (
            "SC2046",
            "warning",
            "Quote this to prevent word splitting.",
            "kill $(cat app.pid)",
            "$(cat app.pid)",
        ),
        (
            "SC2155",
            "warning",
            "Declare and assign separately to avoid masking return values.",
            'export VERSION="$(git describe)"',
            "VERSION",
        ),
    )
    picked = rng.sample(issues, rng.randint(2, 4))
    lines: list[str] = []
    if rng.random() < 0.6:
        for code, sev, msg, src, mark in picked:
            col = src.find(mark)
            lines += [
                f"In {script} line {rng.randint(3, 200)}:",
                src,
                " " * col + "^" + "-" * max(len(mark) - 2, 0) + f"^ {code} ({sev}): {msg}",
                "",
            ]
        lines += [
            "For more information:",
            *[
                f"  https://www.shellcheck.net/wiki/{code} -- {msg[:40]} ..."
                for code, _, msg, _, _ in picked
            ],
        ]
    else:
        lines = [
            f"{script}:{rng.randint(3, 200)}:{rng.randint(1, 30)}: {'note' if sev == 'info' else sev}: {msg} [{code}]"
            for code, sev, msg, _, _ in picked
        ]
    cmd = c.pick(
        rng,
        (
            f"shellcheck {script}",
            "shellcheck -f gcc scripts/*.sh",
            "find . -name '*.sh' -print0 | xargs -0 shellcheck",
        ),
    )
    return Failure(LABEL, lines, c.pick(rng, ("ShellCheck", "Lint shell scripts")), cmd)


_HOOKS = (
    ("trim trailing whitespace", "trailing-whitespace", True),
    ("fix end of files", "end-of-file-fixer", True),
    ("check yaml", "check-yaml", False),
    ("mixed line ending", "mixed-line-ending", True),
    ("codespell", "codespell", False),
    ("check for added large files", "check-added-large-files", False),
)


def pre_commit_hooks(rng: random.Random, eco: str) -> Failure:
    """pre-commit's hook table: ``....Failed`` with ``- hook id`` details, ``files were modified``."""
    failing = c.pick(rng, _HOOKS)
    others = [h for h in _HOOKS if h != failing]
    lines = [f"{other[0]:.<73}Passed" for other in rng.sample(others, rng.randint(1, 3))]
    name, hook, fixes = failing
    lines += [f"{name:.<73}Failed", f"- hook id: {hook}", "- exit code: 1"]
    files = [
        f"{c.pick(rng, ('src', 'docs', 'tests', '.github/workflows'))}/{c.ident(rng, 1)}.{c.pick(rng, ('py', 'md', 'yml', 'ts'))}"
        for _ in range(rng.randint(1, 4))
    ]
    if fixes:
        lines += ["- files were modified by this hook", "", *[f"Fixing {f}" for f in files]]
    elif hook == "codespell":
        lines += [
            "",
            *[
                f"{f}:{rng.randint(2, 300)}: {c.pick(rng, ('recieve', 'seperate', 'occured', 'adress'))} ==> {c.pick(rng, ('receive', 'separate', 'occurred', 'address'))}"
                for f in files
            ],
        ]
    else:
        lines += [
            "",
            *[
                f"{f}: {c.pick(rng, ('could not find expected', 'mapping values are not allowed here'))} (line {rng.randint(2, 90)})"
                for f in files[:1]
            ],
        ]
    if rng.random() < 0.5:
        lines += [
            "",
            "pre-commit hook(s) made changes.",
            "If you are seeing this message in CI, reproduce locally with: `pre-commit run --all-files`.",
            "To run `pre-commit` as part of git workflow, use `pre-commit install`.",
            "All changes made by hooks:",
            *[f"diff --git a/{f} b/{f}" for f in files[:1]],
        ]
    cmd = c.pick(
        rng,
        (
            "pre-commit run --all-files --show-diff-on-failure",
            "pre-commit run --from-ref origin/main --to-ref HEAD",
        ),
    )
    return Failure(LABEL, lines, c.pick(rng, ("pre-commit", "Lint")), cmd)


def css_markdown_lint(rng: random.Random, eco: str) -> Failure:
    """stylelint's grouped report or markdownlint-cli2's ``file:line MDnnn/rule`` lines."""
    if rng.random() < 0.5:
        lines, n = [], 0
        for _ in range(rng.randint(1, 3)):
            lines += [
                "",
                f"src/{c.pick(rng, ('styles', 'components'))}/{c.camel(rng)}.{c.pick(rng, ('css', 'scss'))}",
            ]
            for _ in range(rng.randint(1, 3)):
                n += 1
                msg, rule = c.pick(
                    rng,
                    (
                        ('Unexpected unknown property "colr"', "property-no-unknown"),
                        ('Expected "#FFF" to be "#fff"', "color-hex-case"),
                        ('Unexpected duplicate selector ".card"', "no-duplicate-selectors"),
                        ("Expected class selector to be kebab-case", "selector-class-pattern"),
                    ),
                )
                lines.append(f"  {rng.randint(2, 300)}:{rng.randint(1, 40)}  ✖  {msg}  {rule}")
        lines += [
            "",
            f"✖ {n} problem{'s' if n > 1 else ''} ({n} error{'s' if n > 1 else ''}, 0 warnings)",
        ]
        cmd = c.pick(rng, ('npx stylelint "src/**/*.{css,scss}"', "npm run lint:css"))
    else:
        files = [
            c.pick(
                rng,
                ("README.md", "CHANGELOG.md", "docs/index.md", f"docs/{c.pick(rng, c.WORDS)}.md"),
            )
            for _ in range(rng.randint(1, 4))
        ]
        rules = (
            "MD013/line-length Line length [Expected: 80; Actual: 112]",
            "MD022/blanks-around-headings Headings should be surrounded by blank lines [Expected: 1; Actual: 0; Below]",
            "MD032/blanks-around-lists Lists should be surrounded by blank lines",
            "MD040/fenced-code-language Fenced code blocks should have a language specified",
        )
        lines = [
            f"markdownlint-cli2 v0.{rng.randint(10, 14)}.0 (markdownlint v0.{rng.randint(30, 35)}.0)",
            "Finding: **/*.md",
            f"Linting: {rng.randint(5, 90)} file(s)",
            f"Summary: {len(files)} error(s)",
        ]
        lines += [f"{f}:{rng.randint(2, 300)} {c.pick(rng, rules)}" for f in files]
        cmd = 'npx markdownlint-cli2 "**/*.md"'
    return Failure(LABEL, lines, c.pick(rng, ("Lint", "Lint styles and docs")), cmd)


def terraform_fmt_tflint(rng: random.Random, eco: str) -> Failure:
    """``terraform fmt -check`` listing files, or tflint's rule findings."""
    if rng.random() < 0.5:
        files = [
            f"{c.pick(rng, ('infra', 'terraform', 'modules/network'))}/{c.pick(rng, ('main', 'variables', 'outputs', 'iam'))}.tf"
            for _ in range(rng.randint(2, 5))
        ]
        lines = (
            files
            if rng.random() < 0.5
            else [
                *files,
                *[
                    f"--- old/{files[0]}",
                    f"+++ new/{files[0]}",
                    f"@@ -{rng.randint(2, 90)},3 +{rng.randint(2, 90)},3 @@",
                    '-  bucket= "acme-logs"',
                    '+  bucket = "acme-logs"',
                ],
            ]
        )
        cmd, code = "terraform fmt -check -recursive -diff", 3
    else:
        n = rng.randint(1, 3)
        lines = [f"{n} issue(s) found:", ""]
        for _ in range(n):
            rule, msg = c.pick(
                rng,
                (
                    (
                        "terraform_unused_declarations",
                        f'variable "{c.ident(rng, 1)}" is declared but not used',
                    ),
                    (
                        "aws_instance_invalid_type",
                        f'"t2.{c.pick(rng, ("mirco", "larg"))}" is an invalid value as instance_type',
                    ),
                    (
                        "terraform_naming_convention",
                        f"resource name `{c.camel(rng)}` must match the following format: snake_case",
                    ),
                    (
                        "terraform_required_providers",
                        'Missing version constraint for provider "aws" in `required_providers`',
                    ),
                ),
            )
            f, line = c.pick(rng, ("main.tf", "variables.tf", "ec2.tf")), rng.randint(2, 200)
            lines += [
                f"{c.pick(rng, ('Warning', 'Error'))}: {msg} ({rule})",
                "",
                f"  on {f} line {line}:",
                f'  {line}: {c.pick(rng, ("variable", "resource", "provider"))} "{c.ident(rng, 1)}" {{',
                "",
                f"Reference: https://github.com/terraform-linters/tflint-ruleset-{'aws' if rule.startswith('aws') else 'terraform'}/blob/v0.{rng.randint(20, 40)}.0/docs/rules/{rule}.md",
                "",
            ]
        cmd, code = c.pick(rng, ("tflint --recursive", "tflint --chdir=infra")), 2
    return Failure(LABEL, lines, c.pick(rng, ("Terraform lint", "terraform fmt")), cmd, code)


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("phpstan-cs-fixer", ("docker",), phpstan_cs_fixer),
    _family("swiftlint-swiftformat", ("cpp",), swiftlint),
    _family("dart-analyze-format", ("java",), dart_analyze_format),
    _family("credo-mix-format", ("docker",), credo_mix_format),
    _family("scalafmt-check", ("java",), scalafmt_check),
    _family("ktlint-detekt", ("java",), ktlint_detekt),
    _family("psscriptanalyzer-windows", ("dotnet",), psscriptanalyzer),
    _family("shellcheck", ECOSYSTEMS, shellcheck),
    _family("pre-commit-hooks", ECOSYSTEMS, pre_commit_hooks),
    _family("css-markdown-lint", ("node",), css_markdown_lint),
    _family("terraform-fmt-tflint", ("go", "python", "node"), terraform_fmt_tflint),
]
