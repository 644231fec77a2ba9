"""More ``runtime_error`` families: other languages' crashes, wrappers and log-first reports.

Labelling choices, in line with ``runtime_error``: the crash of a program outside the test
suite decides, whatever tool re-reports it (an sbt ``Nonzero exit code returned from runner``,
a monorepo runner prefixing each line with the task name) and whatever order the lines come in
(a logger's one-line summary before the traceback it attaches). A path a crashing script could
not open is ``missing_file``; a crash that only states its exit status, with no exception, is
``unknown``.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import JAVA_PKGS, NOUNS, camel, hexstr, ident, pick, progress, repo, workdir
from ._common_c2 import (
    ALL,
    ELIXIR_LIKE,
    FLUTTER_LIKE,
    NATIVE_LIKE,
    PHP_LIKE,
    WINDOWS_CI,
    pad,
    ps_error_record,
)

LABEL = "runtime_error"


def _php_fatal(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    cls = camel(rng)
    method = ident(rng).title().replace("_", "")
    method = method[0].lower() + method[1:]
    src = f"{wd}/src/{pick(rng, ('Command', 'Service', 'Release'))}/{cls}.php"
    line = rng.randint(20, 300)
    error = pick(
        rng,
        (
            f"Uncaught TypeError: App\\{cls}::{method}(): Argument #1 (${pick(rng, NOUNS)}) must "
            f"be of type string, null given, called in {wd}/bin/console on line {rng.randint(10, 40)}",
            f"Uncaught Error: Call to a member function {method}() on null",
            f'Uncaught ErrorException: Undefined array key "{pick(rng, NOUNS)}"',
            "Uncaught DivisionByZeroError: Division by zero",
            "Uncaught ValueError: array_combine(): Argument #1 ($keys) and argument #2 "
            "($values) must have the same number of elements",
        ),
    )
    lines = [
        f"PHP Fatal error:  {error} in {src}:{line}",
        "Stack trace:",
        f"#0 {wd}/src/Kernel.php({rng.randint(30, 120)}): App\\{cls}->{method}(NULL)",
        f"#1 {wd}/bin/console({rng.randint(10, 40)}): App\\Kernel->run()",
        "#2 {main}",
        f"  thrown in {src} on line {line}",
    ]
    if rng.random() < 0.5:
        lines = ["", *[line.replace("PHP Fatal error:  ", "Fatal error: ") for line in lines]]
    command = f"php bin/console app:{pick(rng, ('release', 'import', 'sitemap', 'warmup'))}"
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Release", "Import", "Build")),
        command,
        255,
        tags=("php",),
    )


def _elixir_mix_crash(rng: random.Random, eco: str) -> Failure:
    app = repo(rng).replace("-", "_")
    mod = app.title().replace("_", "")
    task = pick(rng, ("release.prepare", "seed", "assets.digest", "gen.docs"))
    key = pick(rng, NOUNS)
    head = pick(
        rng,
        (
            f"** (KeyError) key :{key} not found in: %{{{pick(rng, NOUNS)}: nil, id: {rng.randint(1, 99)}}}",
            f"** (MatchError) no match of right hand side value: {{:error, :{key}_missing}}",
            f"** (FunctionClauseError) no function clause matching in {mod}.{camel(rng)}.{ident(rng)}/2",
            f"** (ArgumentError) argument error: :{key} is not a valid option",
            f"** (RuntimeError) {key} cache is not started",
        ),
    )
    lines = [
        head,
        f"    (elixir 1.{rng.randint(14, 17)}.{rng.randint(0, 3)}) lib/map.ex:{rng.randint(200, 400)}: Map.fetch!/2",
        f"    ({app} 0.{rng.randint(1, 9)}.0) lib/mix/tasks/{task.replace('.', '_')}.ex:{rng.randint(8, 80)}: Mix.Tasks.{mod}.run/1",
        f"    (mix 1.{rng.randint(14, 17)}.{rng.randint(0, 3)}) lib/mix/task.ex:{rng.randint(400, 500)}: anonymous fn/3 in Mix.Task.run_task/5",
        "    (elixir 1.16.2) lib/code.ex:1435: Code.require_file/2",
    ]
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Run mix task", "Release", "Seed")),
        f"mix {task}",
        1,
        tags=("elixir",),
    )


def _swift_fatal(rng: random.Random, eco: str) -> Failure:
    tool = pick(rng, ("generate-assets", "release-tool", "codegen", "bump"))
    src = f"Sources/{camel(rng)}/{pick(rng, ('main', camel(rng)))}.swift"
    message = pick(
        rng,
        (
            "Fatal error: Unexpectedly found nil while unwrapping an Optional value",
            "Fatal error: Index out of range",
            f"Fatal error: 'try!' expression unexpectedly raised an error: {camel(rng)}Error.invalid{pick(rng, NOUNS).title()}",
            "Fatal error: Array index is out of range",
        ),
    )
    lines = [
        "Building for debugging...",
        f"Build complete! ({rng.uniform(1, 60):.2f}s)",
        f"{src}:{rng.randint(10, 300)}: {message}",
    ]
    if rng.random() < 0.5:
        lines += [
            "Current stack trace:",
            f"0    libswiftCore.so                    0x{hexstr(rng, 16)} _assertionFailure(_:_:file:line:flags:) + {rng.randint(100, 400)}",
            f"1    {tool}                       0x{hexstr(rng, 16)} <unavailable> + {rng.randint(10000, 99999)}",
        ]
    lines.append(
        pick(
            rng,
            (
                "Illegal instruction (core dumped)",
                f"💣 Program crashed: Illegal instruction at 0x{hexstr(rng, 16)}",
                "Trace/BPT trap: 5",
            ),
        )
    )
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Generate", "Run tool")),
        f"swift run {tool}",
        132,
        tags=("swift",),
    )


def _dart_unhandled(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    script = f"tool/{pick(rng, ('generate', 'release', 'build_runner_ci', 'l10n'))}.dart"
    error = pick(
        rng,
        (
            ["Null check operator used on a null value"],
            [
                f"NoSuchMethodError: The getter '{pick(rng, NOUNS)}' was called on null.",
                "Receiver: null",
            ],
            ["Bad state: No element"],
            [f"FormatException: Unexpected character (at character {rng.randint(1, 40)})"],
            [f"RangeError (index): Invalid value: Valid value range is empty: {rng.randint(0, 5)}"],
        ),
    )
    lines = ["Unhandled exception:", *error]
    depth = rng.randint(2, 4)
    for i in range(depth):
        lines.append(
            f"#{i}      {ident(rng)} (file://{wd}/{script}:{rng.randint(10, 200)}:{rng.randint(3, 40)})"
        )
    lines.append(
        f"#{depth}      _delayEntrypointInvocation.<anonymous closure> (dart:isolate-patch/isolate_patch.dart:297:19)"
    )
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Generate", "Codegen", "Release")),
        f"dart run {script}",
        255,
        tags=("dart",),
    )


def _powershell_exception(rng: random.Random, eco: str) -> Failure:
    cases = (
        (
            "InvalidOperation",
            f"$manifest.{pick(rng, ('Version', 'Files', 'Name'))}.Split('.')",
            ".Split('.')",
            "You cannot call a method on a null-valued expression.",
        ),
        (
            "MethodInvocationException",
            "$xml.Save($outPath)",
            "$xml.Save($outPath)",
            'Exception calling "Save" with "1" argument(s): "The process cannot access the file '
            'because it is being used by another process."',
        ),
        (
            "Exception",
            f'throw "{pick(rng, NOUNS)} list is empty"',
            f'throw "{pick(rng, NOUNS)} list is empty"',
            f"{pick(rng, NOUNS)} list is empty",
        ),
        (
            "InvalidArgument",
            f"[version]$v = $env:{pick(rng, ('VERSION', 'GITVERSION_SEMVER'))}.Trim('v')",
            "[version]$v",
            'Cannot convert value "1.2.x" to type "System.Version". Error: "Input string was not '
            'in a correct format."',
        ),
    )
    category, source, underline, message = pick(rng, cases)
    lines = progress(rng, eco, 0, 3) + ps_error_record(rng, category, source, underline, message)
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Package", "Build", "Release")),
        source,
        1,
        tags=("powershell",),
        formats=WINDOWS_CI,
    )


def _monorepo_task_crash(rng: random.Random, eco: str) -> Failure:
    pkg = pick(rng, ("web", "api", "docs", "ui", "worker", "admin"))
    task = pick(rng, ("build", "generate", "prerender", "codegen"))
    wd = workdir(rng)
    script = f"scripts/{task}.mjs"
    field = pick(rng, ("items", "pages", "entries"))
    body = [
        f"file://{wd}/apps/{pkg}/{script}:{rng.randint(10, 90)}",
        f"  for (const r of routes.{field}) {{",
        "                          ^",
        "",
        f"TypeError: Cannot read properties of undefined (reading '{field}')",
        f"    at {ident(rng)} (file://{wd}/apps/{pkg}/{script}:{rng.randint(10, 90)}:{rng.randint(5, 30)})",
        "",
        f"Node.js v{pick(rng, ('20.15.1', '22.4.1', '18.20.4'))}",
    ]
    tool = rng.randrange(3)
    if tool == 0:
        prefix = f"@{repo(rng)}/{pkg}:{task}: "
        lines = [prefix + line for line in [f"> node {script}", "", *body]]
        lines += [
            f"{prefix}ERROR: command finished with error: command ({wd}/apps/{pkg}) "
            f"/usr/local/bin/npm run {task} exited (1)",
            f"@{repo(rng)}/{pkg}#{task}: command ({wd}/apps/{pkg}) /usr/local/bin/npm run {task} exited (1)",
            "",
            f" Tasks:    {rng.randint(1, 9)} successful, {rng.randint(10, 20)} total",
            f" Failed:    @{repo(rng)}/{pkg}#{task}",
        ]
        command = f"npx turbo run {task}"
    elif tool == 1:
        lines = [
            f"> nx run {pkg}:{task}",
            "",
            *body,
            "",
            f" NX   Running target {task} for project {pkg} failed",
        ]
        command = f"npx nx run-many -t {task}"
    else:
        lines = [f"@{repo(rng)}/{pkg}: {line}" for line in body]
        lines += [f"lerna ERR! npm run {task} exited 1 in '@{repo(rng)}/{pkg}'"]
        command = f"npx lerna run {task}"
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("Build", "Build all", "Prerender")), command
    )


def _haskell_stack_error(rng: random.Random, eco: str) -> Failure:
    exe = f"{repo(rng)}-{pick(rng, ('gen', 'migrate', 'site'))}"
    src = f"src/{camel(rng)}.hs"
    message = pick(
        rng,
        (
            ["Prelude.head: empty list"],
            ["Map.!: given key is not an element in the map"],
            [
                f"{pick(rng, NOUNS)}: not found",
                "CallStack (from HasCallStack):",
                f"  error, called at {src}:{rng.randint(10, 200)}:{rng.randint(5, 30)} in main:{camel(rng)}",
            ],
            [
                "Maybe.fromJust: Nothing",
                "CallStack (from HasCallStack):",
                f"  fromJust, called at {src}:{rng.randint(10, 200)}:{rng.randint(5, 30)} in main:Main",
            ],
        ),
    )
    lines = [f"{exe}: {message[0]}", *message[1:]]
    if rng.random() < 0.5:
        lines.insert(0, f"Running {exe} with {pick(rng, ('--all', 'build', 'migrate up'))}")
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Generate site", "Run migrations", "Run tool")),
        f"stack exec {exe}",
        1,
        tags=("haskell",),
    )


def _sbt_run_exception(rng: random.Random, eco: str) -> Failure:
    pkg = pick(rng, JAVA_PKGS)
    cls = camel(rng)
    exc = pick(
        rng,
        (
            f"java.util.NoSuchElementException: key not found: {pick(rng, NOUNS)}",
            "scala.MatchError: null",
            f"java.lang.IllegalArgumentException: requirement failed: {pick(rng, NOUNS)} must be positive",
            "java.util.NoSuchElementException: None.get",
        ),
    )
    frames = [
        f"[error] \tat {pkg}.{cls}$.{ident(rng).replace('_', '')}({cls}.scala:{rng.randint(10, 300)})"
        for _ in range(rng.randint(2, 4))
    ]
    lines = [
        f"[info] running {pkg}.{cls}",
        f"[error] {exc}",
        *frames,
        f"[error] \tat {pkg}.Main$.main(Main.scala:{rng.randint(5, 40)})",
        f"[error] \tat {pkg}.Main.main(Main.scala)",
        "[error] Nonzero exit code returned from runner: 1",
        "[error] (Compile / run) Nonzero exit code returned from runner: 1",
        f"[error] Total time: {rng.randint(3, 120)} s, completed {pick(rng, ('Mar', 'Jun', 'Oct'))} {rng.randint(1, 28)}, 2026, {rng.randint(1, 12)}:{rng.randint(10, 59)}:{rng.randint(10, 59)} PM",
    ]
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Generate", "Run", "Migrate")),
        f'sbt "runMain {pkg}.{cls}"',
        1,
        tags=("sbt",),
    )


def _logged_then_traceback(rng: random.Random, eco: str) -> Failure:
    """A logger's one-line summary first, the details it attaches after."""
    wd = workdir(rng)
    name = repo(rng)
    what = f"{pick(rng, ('release', 'sync', 'export', 'publish'))} {pick(rng, NOUNS)}"
    if eco == "node" or (eco not in ("python", "go") and rng.random() < 0.5):
        err = pick(
            rng,
            (
                f"Cannot read properties of undefined (reading '{pick(rng, NOUNS)}')",
                f"{pick(rng, NOUNS)}.map is not a function",
            ),
        )
        lines = [
            '{"level":50,"time":'
            + str(rng.randint(1_700_000_000_000, 1_800_000_000_000))
            + ',"pid":'
            + str(rng.randint(1000, 9000))
            + ',"hostname":"fv-az'
            + str(rng.randint(100, 999))
            + '","msg":"'
            + what
            + ' failed","err":{"type":"TypeError","message":"'
            + err
            + '","stack":"TypeError: '
            + err
            + "\\n    at "
            + ident(rng)
            + " ("
            + wd
            + "/src/jobs/"
            + pick(rng, NOUNS)
            + ".js:"
            + str(rng.randint(10, 200))
            + ":"
            + str(rng.randint(5, 40))
            + ')"}}',
        ]
        command = f"node src/jobs/{pick(rng, ('release', 'sync', 'export'))}.js"
    elif eco == "go":
        lines = [
            '{"level":"fatal","ts":'
            + f"{rng.uniform(1.7e9, 1.8e9):.4f}"
            + ',"caller":"cmd/'
            + name
            + "/main.go:"
            + str(rng.randint(20, 200))
            + '","msg":"'
            + what
            + ' failed","error":"'
            + pick(
                rng,
                (
                    "unexpected end of JSON input",
                    f'invalid {pick(rng, NOUNS)} id \\"\\"',
                    "reflect: call of reflect.Value.Elem on zero Value",
                ),
            )
            + '"}',
        ]
        command = f"go run ./cmd/{name}"
    else:
        src, exc = pick(
            rng,
            (
                (
                    f'    return rows[0]["{pick(rng, NOUNS)}"]',
                    "IndexError: list index out of range",
                ),
                (
                    f"    return {pick(rng, NOUNS)}.strip()",
                    "AttributeError: 'NoneType' object has no attribute 'strip'",
                ),
                (
                    f"    json.loads({pick(rng, NOUNS)})",
                    "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
                ),
            ),
        )
        module = f"{name.replace('-', '_')}.{pick(rng, ('jobs', 'release', 'cli'))}"
        lines = [
            f"{rng.randint(2025, 2026)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 0{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)},{rng.randint(100, 999)} ERROR {module}: {what} failed",
            "Traceback (most recent call last):",
            f'  File "{wd}/src/{module.replace(".", "/")}.py", line {rng.randint(20, 200)}, in run',
            f"    {ident(rng)}()",
            f'  File "{wd}/src/{module.replace(".", "/")}.py", line {rng.randint(20, 200)}, in {ident(rng)}',
            src,
            exc,
        ]
        command = f"python -m {module}"
    return Failure(
        LABEL, progress(rng, eco, 1, 3) + lines, pick(rng, ("Release", "Sync", "Export")), command
    )


def _native_signal_terse(rng: random.Random, eco: str) -> Failure:
    binary = f"./{pick(rng, ('build', 'bin', 'out'))}/{repo(rng)}"
    signal, code = pick(
        rng,
        (
            ("Illegal instruction (core dumped)", 132),
            ("Bus error (core dumped)", 135),
            ("Floating point exception (core dumped)", 136),
            ("Trace/breakpoint trap (core dumped)", 133),
        ),
    )
    shell = pick(
        rng,
        (
            signal,
            f"/home/runner/work/_temp/{hexstr(rng, 8)}.sh: line {rng.randint(1, 4)}: {rng.randint(1800, 9000)} {signal.replace(' (core dumped)', '')}  (core dumped) {binary}",
        ),
    )
    lines = [shell]
    if rng.random() < 0.4:
        lines.insert(0, f"{binary} {pick(rng, ('--bake', '--index', 'gen'))}")
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("Run", "Generate", "Index")), binary, code
    )


FAMILIES: list[Family] = [
    Family(f"{LABEL}/php-fatal-error", LABEL, PHP_LIKE, _php_fatal),
    Family(f"{LABEL}/elixir-mix-task-crash", LABEL, ELIXIR_LIKE, _elixir_mix_crash),
    Family(f"{LABEL}/swift-fatal-error", LABEL, NATIVE_LIKE, _swift_fatal),
    Family(f"{LABEL}/dart-unhandled-exception", LABEL, FLUTTER_LIKE, _dart_unhandled),
    Family(f"{LABEL}/powershell-terminating-error", LABEL, ALL, _powershell_exception),
    Family(f"{LABEL}/monorepo-task-crash", LABEL, ("node",), _monorepo_task_crash),
    Family(f"{LABEL}/haskell-runtime-error", LABEL, NATIVE_LIKE, _haskell_stack_error),
    Family(f"{LABEL}/sbt-run-exception", LABEL, ("java",), _sbt_run_exception),
    Family(
        f"{LABEL}/logged-error-then-details",
        LABEL,
        ("python", "node", "go", "docker"),
        _logged_then_traceback,
    ),
    Family(f"{LABEL}/native-signal-terse", LABEL, ("cpp", "rust", "go"), _native_signal_terse),
]
