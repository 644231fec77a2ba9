"""``runtime_error``: a program or script crashed outside the test suite.

Labelling choices: the crash decides, not the words in its message. An exception whose text
mentions a connection (``'NoneType' object has no attribute 'connection'``) is still a crash
in the code, not a network failure; a database migration that fails on a SQL error (duplicate
table, missing column) is a crash of the migration, not infrastructure. Some instances print
an earlier, handled traceback (logged and retried) before the real one, as noise.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import JAVA_PKGS, NOUNS, VERBS, camel, hexstr, ident, pick, progress, repo, workdir

LABEL = "runtime_error"
_SCRIPTS = (
    "release",
    "deploy",
    "build_docs",
    "bump_version",
    "gen_changelog",
    "sync_assets",
    "publish",
    "make_manifest",
    "render_site",
    "upload_symbols",
)


def _py_exception(rng: random.Random) -> tuple[str, str]:
    """``(source line, exception line)`` of a plausible bug."""
    noun, other = pick(rng, NOUNS), pick(rng, NOUNS)
    return pick(
        rng,
        (
            (f'    tag = data["{noun}"]["{other}"]', f"KeyError: '{other}'"),
            (
                f"    total = sum(r.{noun}_count for r in rows) + {noun}",
                "TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'",
            ),
            (
                f"    major, minor, patch = {noun}.split('.')",
                "ValueError: not enough values to unpack (expected 3, got 2)",
            ),
            (
                f"    return self.{noun}.connection.execute(query)",
                "AttributeError: 'NoneType' object has no attribute 'connection'",
            ),
            (f"    first = {noun}s[0]", "IndexError: list index out of range"),
            (
                f"    port = int(settings['{noun}_port'])",
                f"ValueError: invalid literal for int() with base 10: '{noun}'",
            ),
            (
                f"    dsn = build_dsn(**{noun})",
                "TypeError: build_dsn() got an unexpected keyword argument 'connection_timeout'",
            ),
            (
                f"    {noun}.update({other})",
                "AttributeError: 'str' object has no attribute 'update'",
            ),
            (f"    assert {noun}, 'empty {noun}'", f"AssertionError: empty {noun}"),
        ),
    )


def _python_script_traceback(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    script = f"scripts/{pick(rng, _SCRIPTS)}.py"
    lines = progress(rng, "python", 1, 6)
    if rng.random() < 0.3:
        # A handled error, logged with its traceback and retried, before the real crash.
        lines += [
            f"WARNING:{repo(rng)}:attempt 1 failed, retrying",
            "Traceback (most recent call last):",
            f'  File "{wd}/{script}", line {rng.randint(20, 60)}, in _with_retry',
            "    return fn()",
            "TimeoutError: timed out",
            f"INFO:{repo(rng)}:attempt 2 succeeded",
        ]
    lines += [
        "Traceback (most recent call last):",
        f'  File "{wd}/{script}", line {rng.randint(150, 260)}, in <module>',
        "    sys.exit(main())",
        "             ^^^^^^",
    ]
    for _ in range(rng.randint(1, 3)):
        lines += [
            f'  File "{wd}/{script}", line {rng.randint(20, 149)}, in {ident(rng)}',
            f"    {ident(rng)}({pick(rng, NOUNS)})",
        ]
    src, exc = _py_exception(rng)
    lines += [f'  File "{wd}/{script}", line {rng.randint(20, 149)}, in {ident(rng)}', src, exc]
    step = pick(rng, ("Release", "Deploy", "Build docs", "Prepare release", "Publish"))
    return Failure(LABEL, lines, step, f"python {script}")


def _node_script_crash(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    script = (
        f"scripts/{pick(rng, ('build', 'generate-routes', 'prerender', 'release', 'icons'))}.mjs"
    )
    prop = pick(rng, ("map", "length", "forEach", "name", "split", "then", "version"))
    line, col = rng.randint(10, 200), rng.randint(5, 40)
    errors = (
        f"TypeError: Cannot read properties of undefined (reading '{prop}')",
        f"TypeError: Cannot read properties of null (reading '{prop}')",
        f"TypeError: {pick(rng, NOUNS)}.{prop} is not a function",
        f"ReferenceError: {pick(rng, NOUNS)}Config is not defined",
        "RangeError: Invalid time value",
        "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON",
    )
    lines = [
        *progress(rng, "node", 1, 5),
        f"file://{wd}/{script}:{line}",
        f"  const items = {pick(rng, ('pages', 'routes', 'entries', 'posts', 'icons'))}.{prop}((x) => x.{pick(rng, NOUNS)});",
        " " * rng.randint(16, 30) + "^",
        "",
        pick(rng, errors),
        f"    at {ident(rng)} (file://{wd}/{script}:{line}:{col})",
        f"    at async Promise.all (index {rng.randint(0, 9)})",
        f"    at async main (file://{wd}/{script}:{line + rng.randint(5, 40)}:3)",
        "",
        f"Node.js v{pick(rng, ('18.20.4', '20.15.1', '20.11.1', '22.4.1'))}",
    ]
    return Failure(LABEL, lines, pick(rng, ("Build", "Prerender", "Generate")), f"node {script}")


def _node_unhandled_rejection(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    script = f"scripts/{pick(rng, ('deploy', 'seed', 'sync', 'publish'))}.js"
    reason = pick(
        rng,
        (
            f"Error: {pick(rng, NOUNS)} not initialised",
            f"Error: invalid {pick(rng, NOUNS)} id: undefined",
            "Error: Invariant failed",
        ),
    )
    lines = [
        *progress(rng, "node", 1, 4),
        f"{wd}/{script}:{rng.randint(20, 99)}",
        f"    throw new Error(`invalid ${{{pick(rng, NOUNS)}}}`);",
        "          ^",
        "",
        reason,
        f"    at {camel(rng)}.{ident(rng)} ({wd}/{script}:{rng.randint(20, 99)}:{rng.randint(5, 30)})",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        "",
        "Node.js v20.15.1",
    ]
    if rng.random() < 0.5:
        lines = [
            *progress(rng, "node", 1, 4),
            "node:internal/process/promises:289",
            "            triggerUncaughtException(err, true /* fromPromise */);",
            "            ^",
            "",
            f'[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "{reason}".] {{',
            "  code: 'ERR_UNHANDLED_REJECTION'",
            "}",
            "",
            "Node.js v18.20.4",
        ]
    return Failure(LABEL, lines, pick(rng, ("Deploy", "Seed data", "Publish")), f"node {script}")


def _segfault(rng: random.Random, eco: str) -> Failure:
    lines = progress(rng, eco, 1, 6)
    if eco == "python" and rng.random() < 0.6:
        wd = workdir(rng)
        lines += [
            "Fatal Python error: Segmentation fault",
            "",
            f"Current thread 0x0000{hexstr(rng, 8)} (most recent call first):",
            f'  File "{wd}/.venv/lib/python3.11/site-packages/{pick(rng, ("lxml", "_cffi_ext", "fastavro"))}/__init__.py", line {rng.randint(40, 400)} in {ident(rng)}',
            f'  File "{wd}/scripts/{pick(rng, _SCRIPTS)}.py", line {rng.randint(10, 90)} in {ident(rng)}',
            f'  File "{wd}/scripts/{pick(rng, _SCRIPTS)}.py", line {rng.randint(90, 120)} in <module>',
            "",
            "Extension modules: "
            + ", ".join(
                rng.sample(
                    ("numpy.core._multiarray_umath", "lxml.etree", "yaml._yaml", "_cffi_backend"), 2
                )
            )
            + " (total: 2)",
            f"/home/runner/work/_temp/{hexstr(rng, 8)}.sh: line 1: {rng.randint(1800, 9000)} Segmentation fault      (core dumped) python scripts/gen.py",
        ]
        return Failure(LABEL, lines, "Generate", "python scripts/gen.py", 139)
    binary = f"./build/{pick(rng, ('bin/', ''))}{repo(rng)}"
    args = pick(rng, ("--generate-assets", "--self-check", "codegen schema.json", "pack data/"))
    shell = pick(
        rng,
        (
            "Segmentation fault (core dumped)",
            f"line 1: {rng.randint(1800, 9000)} Segmentation fault      (core dumped) {binary} {args}",
        ),
    )
    lines.append(shell)
    if rng.random() < 0.4:
        lines.append(f"make: *** [Makefile:{rng.randint(20, 90)}: assets] Error 139")
    return Failure(
        LABEL,
        lines,
        pick(rng, ("Generate assets", "Run tool", "Smoke run")),
        f"{binary} {args}",
        139,
    )


def _go_panic(rng: random.Random, eco: str) -> Failure:
    mod = f"github.com/{pick(rng, ('acme', 'northwind', 'corvid'))}/{repo(rng)}"
    tool = pick(rng, ("gen", "migrate", "seed", "bundle", "release"))
    n = rng.randint(0, 9)
    kind = rng.randrange(3)
    if kind == 0:
        head = [f"panic: runtime error: index out of range [{n + 1}] with length {n + 1}"]
    elif kind == 1:
        head = [
            "panic: runtime error: invalid memory address or nil pointer dereference",
            f"[signal SIGSEGV: segmentation violation code=0x1 addr=0x{hexstr(rng, 2)} pc=0x{hexstr(rng, 6)}]",
        ]
    else:
        head = [
            f"panic: {pick(rng, ('unknown ' + pick(rng, NOUNS) + ' kind', 'assignment to entry in nil map', 'unreachable'))}"
        ]
    wd = workdir(rng)
    lines = (
        progress(rng, "go", 0, 4)
        + head
        + [
            "",
            "goroutine 1 [running]:",
            f"main.{ident(rng).title().replace('_', '')}(...)",
            f"\t{wd}/tools/{tool}/main.go:{rng.randint(20, 300)}",
            "main.main()",
            f"\t{wd}/tools/{tool}/main.go:{rng.randint(20, 300)} +0x{hexstr(rng, 3)}",
            "exit status 2",
        ]
    )
    return Failure(
        LABEL,
        lines,
        pick(rng, ("Generate", "Migrate", "Run tool")),
        f"go run {mod}/tools/{tool}",
        1,
    )


def _rust_panic(rng: random.Random, eco: str) -> Failure:
    binary = pick(rng, ("xtask", "codegen", "release", "bundler", "schema-gen"))
    src = pick(rng, ("xtask/src/main.rs", f"src/bin/{binary}.rs", f"tools/{binary}/src/main.rs"))
    msg = pick(
        rng,
        (
            "called `Option::unwrap()` on a `None` value",
            "called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }",
            f"index out of bounds: the len is {rng.randint(0, 8)} but the index is {rng.randint(9, 20)}",
            f"{pick(rng, NOUNS)} table must not be empty",
            "attempt to subtract with overflow",
        ),
    )
    lines = [
        *progress(rng, "rust", 1, 5),
        f"     Running `target/debug/{binary} {pick(rng, ('codegen', 'dist', 'bundle'))}`",
        f"thread 'main' panicked at {src}:{rng.randint(10, 400)}:{rng.randint(5, 60)}:",
        msg,
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
        f"error: process didn't exit successfully: `target/debug/{binary}` (exit status: 101)",
    ]
    return Failure(
        LABEL,
        lines,
        pick(rng, ("Codegen", "Package", "Run xtask")),
        f"cargo run --bin {binary}",
        101,
    )


def _jvm_exception(rng: random.Random, eco: str) -> Failure:
    pkg = pick(rng, JAVA_PKGS)
    cls = camel(rng)
    kotlin = rng.random() < 0.3
    head = pick(
        rng,
        (
            f'java.lang.NullPointerException: Cannot invoke "String.length()" because "<local{rng.randint(1, 6)}>" is null',
            f"java.lang.IllegalStateException: {pick(rng, NOUNS)} already registered: {pick(rng, NOUNS)}",
            f"java.lang.ArrayIndexOutOfBoundsException: Index {rng.randint(1, 9)} out of bounds for length {rng.randint(0, 1)}",
            f'java.lang.NumberFormatException: For input string: "{pick(rng, NOUNS)}"',
            "java.lang.ClassCastException: class java.lang.String cannot be cast to class java.util.Map",
        ),
    )
    if kotlin:
        head = pick(
            rng,
            (
                f"kotlin.UninitializedPropertyAccessException: lateinit property {pick(rng, NOUNS)} has not been initialized",
                "kotlin.KotlinNullPointerException",
                "java.util.NoSuchElementException: Collection is empty.",
            ),
        )
    ext = "kt" if kotlin else "java"
    frames = [
        f"\tat {pkg}.{cls}.{ident(rng).replace('_', '')}({cls}.{ext}:{rng.randint(20, 400)})"
        for _ in range(rng.randint(2, 5))
    ]
    frames.append(f"\tat {pkg}.Main.main(Main.{ext}:{rng.randint(10, 60)})")
    lines = [*progress(rng, "java", 1, 5), f'Exception in thread "main" {head}', *frames]
    if rng.random() < 0.5:
        task = pick(rng, ("generateSources", "generateGrammar", "buildIndex", "assembleDocs"))
        lines += [
            "",
            f"> Task :{repo(rng)}:{task} FAILED",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            f"Execution failed for task ':{repo(rng)}:{task}'.",
            "> Process 'command '/usr/lib/jvm/temurin-21-jdk-amd64/bin/java'' finished with non-zero exit value 1",
        ]
        return Failure(LABEL, lines, "Build", "./gradlew build")
    return Failure(LABEL, lines, "Generate sources", f"java -jar tools/{repo(rng)}-codegen.jar")


def _dotnet_unhandled(rng: random.Random, eco: str) -> Failure:
    app = repo(rng).title().replace("-", "")
    exc = pick(
        rng,
        (
            "System.InvalidOperationException: Sequence contains no elements",
            "System.NullReferenceException: Object reference not set to an instance of an object.",
            f"System.ArgumentException: An item with the same key has already been added. Key: {pick(rng, NOUNS)}",
            "System.FormatException: The input string 'v1.2' was not in a correct format.",
            f"System.Collections.Generic.KeyNotFoundException: The given key '{pick(rng, NOUNS)}' was not present in the dictionary.",
        ),
    )
    lines = [*progress(rng, "dotnet", 1, 5), f"Unhandled exception. {exc}"]
    if "Sequence" in exc:
        lines.append("   at System.Linq.ThrowHelper.ThrowNoElementsException()")
    for _ in range(rng.randint(1, 3)):
        cls = camel(rng)
        lines.append(
            f"   at {app}.Tools.{cls}.{pick(rng, VERBS).capitalize()}() in /home/runner/work/{app}/{app}/tools/{cls}.cs:line {rng.randint(10, 300)}"
        )
    lines.append(
        f"   at {app}.Tools.Program.Main(String[] args) in /home/runner/work/{app}/{app}/tools/Program.cs:line {rng.randint(5, 60)}"
    )
    return Failure(
        LABEL,
        lines,
        pick(rng, ("Generate", "Package", "Seed")),
        "dotnet run --project tools -c Release",
        134,
    )


def _ruby_rake_error(rng: random.Random, eco: str) -> Failure:
    meth = pick(rng, ("fetch", "each", "strip", "[]", "map", "split", "name"))
    wd = workdir(rng)
    task = pick(
        rng, ("assets:build", "release:prepare", "docs:generate", "data:import", "sitemap:refresh")
    )
    new_style = rng.random() < 0.5
    exc = (
        f"undefined method '{meth}' for nil (NoMethodError)"
        if new_style
        else f"undefined method `{meth}' for nil:NilClass"
    )
    lines = [*progress(rng, "ruby", 1, 4), "rake aborted!"]
    if new_style:
        lines.append(
            f"{wd}/lib/tasks/{task.split(':')[0]}.rake:{rng.randint(5, 80)}:in 'block (2 levels) in <top (required)>': {exc}"
        )
    else:
        lines += [
            f"NoMethodError: {exc}",
            f"{wd}/lib/tasks/{task.split(':')[0]}.rake:{rng.randint(5, 80)}:in `block (2 levels) in <top (required)>'",
        ]
    lines += [
        f"{wd}/vendor/bundle/ruby/3.3.0/gems/rake-13.2.1/exe/rake:27:in '<top (required)>'",
        f"Tasks: TOP => {task}",
        "(See full trace by running task with --trace)",
    ]
    return Failure(LABEL, lines, "Build", f"bundle exec rake {task}")


def _native_abort(rng: random.Random, eco: str) -> Failure:
    binary = f"./build/{repo(rng)}"
    msg = pick(
        rng,
        (
            ["double free or corruption (out)"],
            ["free(): invalid pointer"],
            ["malloc(): corrupted top size"],
            [
                "terminate called after throwing an instance of 'std::out_of_range'",
                f"  what():  vector::_M_range_check: __n (which is {rng.randint(3, 9)}) >= this->size() (which is {rng.randint(0, 2)})",
            ],
            [
                "terminate called after throwing an instance of 'std::runtime_error'",
                f"  what():  {pick(rng, NOUNS)} table corrupted",
            ],
            [
                f"{repo(rng)}: src/{pick(rng, NOUNS)}.c:{rng.randint(20, 400)}: {ident(rng)}: Assertion `n > 0' failed."
            ],
        ),
    )
    lines = progress(rng, "cpp", 1, 6) + msg + ["Aborted (core dumped)"]
    return Failure(
        LABEL,
        lines,
        pick(rng, ("Generate data", "Run benchmark", "Smoke run")),
        f"{binary} --run",
        134,
    )


def _migration_crash(rng: random.Random, eco: str) -> Failure:
    table, col = (
        pick(rng, ("users", "orders", "invoices", "accounts", "events")),
        pick(rng, NOUNS) + "_id",
    )
    rev = hexstr(rng, 12)
    if eco == "python":
        lines = [
            "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.",
            "INFO  [alembic.runtime.migration] Will assume transactional DDL.",
            f"INFO  [alembic.runtime.migration] Running upgrade {hexstr(rng, 12)} -> {rev}, add {col} to {table}",
            "Traceback (most recent call last):",
            '  File "/home/runner/work/app/app/.venv/bin/alembic", line 8, in <module>',
            "    sys.exit(main())",
            f'  File "/home/runner/work/app/app/migrations/versions/{rev}_add_{col}.py", line {rng.randint(15, 40)}, in upgrade',
            f'    op.create_index("ix_{table}_{col}", "{table}", ["{col}"])',
            f'sqlalchemy.exc.ProgrammingError: (psycopg.errors.UndefinedColumn) column "{col}" does not exist',
            f"[SQL: CREATE INDEX ix_{table}_{col} ON {table} ({col})]",
            "(Background on this error at: https://sqlalche.me/e/20/f405)",
        ]
        return Failure(LABEL, lines, "Migrate database", "alembic upgrade head")
    if eco == "ruby":
        lines = [
            f"== {rng.randint(2023, 2025)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}120000 Create{table.title()}: migrating ===",
            f"-- create_table(:{table})",
            "bin/rails aborted!",
            "StandardError: An error has occurred, this and all later migrations canceled: (StandardError)",
            "",
            f'PG::DuplicateTable: ERROR:  relation "{table}" already exists',
            "Tasks: TOP => db:migrate",
            "(See full trace by running task with --trace)",
        ]
        return Failure(LABEL, lines, "Migrate database", "bin/rails db:migrate")
    if eco == "java":
        lines = [
            "Flyway OSS Edition 10.10.0 by Redgate",
            "Successfully validated 7 migrations (execution time 00:00.031s)",
            f'Migrating schema "public" to version "{rng.randint(3, 9)} - add {col}"',
            'ERROR: Migration of schema "public" to version "7 - add index" failed! Changes successfully rolled back.',
            f"ERROR: Migration V7__add_{col}.sql failed",
            "-----------------------------------",
            "SQL State  : 42703",
            "Error Code : 0",
            f'Message    : ERROR: column "{col}" does not exist',
            f"Location   : db/migration/V7__add_{col}.sql",
        ]
        return Failure(LABEL, lines, "Migrate database", "flyway migrate")
    lines = [
        "Prisma schema loaded from prisma/schema.prisma",
        'Datasource "db": PostgreSQL database "app", schema "public" at "localhost:5432"',
        "",
        f"Applying migration `{rng.randint(2023, 2025)}0612_add_{col}`",
        "Error: P3018",
        "",
        "A migration failed to apply. New migrations cannot be applied before the error is recovered from.",
        f"Migration name: {rng.randint(2023, 2025)}0612_add_{col}",
        "Database error code: 42P07",
        f'Database error: ERROR: relation "{table}_{col}_idx" already exists',
    ]
    return Failure(LABEL, lines, "Migrate database", "npx prisma migrate deploy")


FAMILIES: list[Family] = [
    Family(
        f"{LABEL}/python-script-traceback", LABEL, ("python", "docker"), _python_script_traceback
    ),
    Family(f"{LABEL}/node-script-crash", LABEL, ("node", "docker"), _node_script_crash),
    Family(f"{LABEL}/node-unhandled-rejection", LABEL, ("node",), _node_unhandled_rejection),
    Family(f"{LABEL}/segmentation-fault", LABEL, ("cpp", "python", "rust", "go"), _segfault),
    Family(f"{LABEL}/go-panic", LABEL, ("go",), _go_panic),
    Family(f"{LABEL}/rust-panic", LABEL, ("rust",), _rust_panic),
    Family(f"{LABEL}/jvm-uncaught-exception", LABEL, ("java",), _jvm_exception),
    Family(f"{LABEL}/dotnet-unhandled-exception", LABEL, ("dotnet",), _dotnet_unhandled),
    Family(f"{LABEL}/ruby-rake-aborted", LABEL, ("ruby",), _ruby_rake_error),
    Family(f"{LABEL}/native-abort", LABEL, ("cpp", "rust"), _native_abort),
    Family(
        f"{LABEL}/database-migration-crash",
        LABEL,
        ("python", "ruby", "java", "node"),
        _migration_crash,
    ),
]
