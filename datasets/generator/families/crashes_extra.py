"""More ``resource_exhaustion``, ``timeout`` and ``runtime_error`` families.

Allocation failures that look like crashes (C++'s ``std::bad_alloc``, Rust's failed allocation,
Ruby's ``NoMemoryError``) are resource exhaustion. Deadlines that surface as a traceback or a
build tool's task failure (``subprocess.TimeoutExpired``, a wait-for-server helper, a Gradle
task timeout) are timeouts. Scripts that crash under other runtimes (Deno/Bun, an Erlang
escript, a plain Ruby script) are runtime errors.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import NOUNS, camel, ident, pick, repo, workdir

_RES = "resource_exhaustion"
_TIME = "timeout"
_RUN = "runtime_error"


def _cpp_bad_alloc(rng: random.Random, eco: str) -> Failure:
    binary = f"./build/{pick(rng, ('bench', 'indexer', 'import_tool', repo(rng)))}"
    lines = [
        f"Loading {rng.randint(2, 90)} shards from data/{pick(rng, NOUNS)}",
        "terminate called after throwing an instance of 'std::bad_alloc'",
        "  what():  std::bad_alloc",
        f"{pick(rng, ('Aborted (core dumped)', 'Aborted'))}",
    ]
    return Failure(_RES, lines, pick(rng, ("Benchmark", "Run indexer")), binary, 134)


def _rust_alloc_failed(rng: random.Random, eco: str) -> Failure:
    size = rng.choice((2**31, 2**32, 3 * 2**30, 17179869184))
    bin_name = pick(rng, ("ingest", "replay", "bench", repo(rng)))
    lines = [
        f"     Running `target/release/{bin_name} --input data/{pick(rng, NOUNS)}.bin`",
        f"memory allocation of {size} bytes failed",
    ]
    if rng.random() < 0.6:
        lines.append("Aborted (core dumped)")
    return Failure(
        _RES, lines, pick(rng, ("Run", "Replay")), f"cargo run --release --bin {bin_name}", 134
    )


def _ruby_no_memory(rng: random.Random, eco: str) -> Failure:
    script = f"script/{ident(rng)}.rb"
    lines = [
        f"{script}:{rng.randint(5, 90)}:in `pack': failed to allocate memory (NoMemoryError)",
        f"\tfrom {script}:{rng.randint(5, 90)}:in `block in <main>'",
        f"\tfrom {script}:{rng.randint(5, 90)}:in `each'",
        f"\tfrom {script}:{rng.randint(5, 90)}:in `<main>'",
    ]
    return Failure(
        _RES, lines, pick(rng, ("Export", "Build fixtures")), f"bundle exec ruby {script}"
    )


def _subprocess_timeout_expired(rng: random.Random, eco: str) -> Failure:
    tool = pick(rng, ("./bin/migrate", "npm run e2e", "docker compose up --wait", "make seed"))
    limit = pick(rng, (60, 120, 300, 600, 900))
    script = f"scripts/{ident(rng)}.py"
    lines = [
        "Traceback (most recent call last):",
        f'  File "{workdir(rng)}/{script}", line {rng.randint(10, 200)}, in <module>',
        "    main()",
        f'  File "{workdir(rng)}/{script}", line {rng.randint(10, 200)}, in main',
        f"    subprocess.run({tool.split()!r}, check=True, timeout={limit})",
        '  File "/usr/lib/python3.12/subprocess.py", line 550, in run',
        "    stdout, stderr = process.communicate(input, timeout=timeout)",
        f"subprocess.TimeoutExpired: Command '{tool.split()!r}' timed out after {limit} seconds",
    ]
    return Failure(_TIME, lines, pick(rng, ("Integration", "Run e2e", "Seed")), f"python {script}")


def _wait_on_server(rng: random.Random, eco: str) -> Failure:
    port = pick(rng, (3000, 4173, 5173, 8080, 8000))
    ms = pick(rng, (60000, 120000, 30000))
    if rng.random() < 0.5:
        lines = [
            '1: starting server using command "npm run start"',
            f"and when url \"[ 'http://localhost:{port}' ]\" is responding with HTTP status code 200",
            f"Error: Timed out while waiting for: http://localhost:{port}",
        ]
        cmd = "npx start-server-and-test start http://localhost:3000 cy:run"
    else:
        lines = [
            f"wait-for-it.sh: waiting {ms // 1000} seconds for {pick(rng, ('db', 'postgres', 'redis', 'api'))}:{port}",
            f"wait-for-it.sh: timeout occurred after waiting {ms // 1000} seconds for "
            f"{pick(rng, ('db', 'postgres', 'redis', 'api'))}:{port}",
        ]
        cmd = f"./wait-for-it.sh db:{port} -t {ms // 1000} -- npm test"
    return Failure(_TIME, lines, pick(rng, ("E2E", "Wait for services")), cmd, 1)


def _playwright_global_timeout(rng: random.Random, eco: str) -> Failure:
    limit = pick(rng, (900, 1800, 3600))
    spec = f"tests/e2e/{pick(rng, NOUNS)}.spec.ts"
    lines = [
        f"Running {rng.randint(40, 400)} tests using {pick(rng, (1, 2, 4))} workers",
        f"  {rng.randint(30, 300)} passed",
        "",
        f"Timed out waiting {limit}s for the test suite to run",
        "",
        "  1 interrupted",
        f"    [chromium] › {spec}:{rng.randint(5, 200)}:{rng.randint(3, 9)} › "
        f"{pick(rng, ('checkout', 'login', 'export'))} flow",
        f"  {rng.randint(5, 80)} did not run",
    ]
    return Failure(_TIME, lines, pick(rng, ("E2E", "Playwright")), "npx playwright test")


def _deno_bun_uncaught(rng: random.Random, eco: str) -> Failure:
    script = f"scripts/{ident(rng)}.ts"
    prop = pick(rng, ("id", "items", "token", "data"))
    runtime = pick(rng, ("deno", "bun"))
    if runtime == "deno":
        lines = [
            f"error: Uncaught (in promise) TypeError: Cannot read properties of undefined (reading '{prop}')",
            f"    at {ident(rng)} (file://{workdir(rng)}/{script}:{rng.randint(5, 90)}:{rng.randint(3, 30)})",
            f"    at async file://{workdir(rng)}/{script}:{rng.randint(5, 90)}:1",
        ]
        cmd = f"deno run -A {script}"
    else:
        lines = [
            f"{rng.randint(5, 90)} |   const {ident(rng)} = payload.{prop}.map((x) => x);",
            "                                   ^",
            f"TypeError: undefined is not an object (evaluating 'payload.{prop}.map')",
            f"      at {ident(rng)} ({workdir(rng)}/{script}:{rng.randint(5, 90)}:{rng.randint(3, 30)})",
            "",
            f"Bun v1.{rng.randint(0, 2)}.{rng.randint(0, 30)} (Linux x64)",
        ]
        cmd = f"bun run {script}"
    return Failure(_RUN, lines, pick(rng, ("Generate", "Sync data", "Run script")), cmd)


def _erlang_escript(rng: random.Random, eco: str) -> Failure:
    mod = f"{pick(rng, NOUNS)}_{pick(rng, ('tool', 'gen', 'release'))}"
    lines = [
        f"escript: exception error: no match of right hand side value {{error,{pick(rng, ('enoent', 'badarg', 'timeout', 'not_found'))}}}",
        f"  in function  {mod}:main/1 (src/{mod}.erl, line {rng.randint(10, 200)})",
        "  in call from escript:run/2 (escript.erl, line 750)",
        "  in call from escript:start/1 (escript.erl, line 277)",
        "  in call from init:start_em/1",
    ]
    return Failure(_RUN, lines, pick(rng, ("Release", "Run tool")), f"./_build/default/bin/{mod}")


def _ruby_script_crash(rng: random.Random, eco: str) -> Failure:
    script = f"bin/{ident(rng)}"
    method = ident(rng)
    lines = [
        f"{script}:{rng.randint(5, 90)}:in `block in <main>': undefined method `{method}' for "
        f"nil (NoMethodError)",
        "",
        f"  {pick(rng, NOUNS)}.{method}",
        "  " + " " * rng.randint(2, 10) + "^" * len(method),
        f"\tfrom {script}:{rng.randint(5, 90)}:in `each'",
        f"\tfrom {script}:{rng.randint(5, 90)}:in `<main>'",
    ]
    return Failure(
        _RUN, lines, pick(rng, ("Sync", "Generate docs", "Run script")), f"ruby {script}"
    )


def _java_main_class_exception(rng: random.Random, eco: str) -> Failure:
    cls = f"com.{repo(rng).replace('-', '')}.{camel(rng)}"
    lines = [
        f'Exception in thread "main" java.lang.IllegalStateException: {pick(rng, NOUNS)} '
        f"{pick(rng, ('not initialised', 'already closed', 'missing'))}",
        f"\tat {cls}.{ident(rng).replace('_', '')}({camel(rng)}.java:{rng.randint(10, 300)})",
        f"\tat {cls}.main({camel(rng)}.java:{rng.randint(10, 300)})",
    ]
    return Failure(
        _RUN, lines, pick(rng, ("Run tool", "Generate")), f"java -cp build/classes {cls}"
    )


_ELIXIR_LIKE = ("ruby",)

FAMILIES: list[Family] = [
    Family(f"{_RES}/cpp-bad-alloc", _RES, ("cpp",), _cpp_bad_alloc),
    Family(f"{_RES}/rust-allocation-failed", _RES, ("rust",), _rust_alloc_failed),
    Family(f"{_RES}/ruby-no-memory", _RES, ("ruby",), _ruby_no_memory),
    Family(f"{_TIME}/subprocess-timeout-expired", _TIME, ("python",), _subprocess_timeout_expired),
    Family(f"{_TIME}/wait-for-server", _TIME, ("node", "docker", "python"), _wait_on_server),
    Family(f"{_TIME}/playwright-global-timeout", _TIME, ("node",), _playwright_global_timeout),
    Family(f"{_RUN}/deno-bun-uncaught", _RUN, ("node",), _deno_bun_uncaught),
    Family(f"{_RUN}/erlang-escript-crash", _RUN, _ELIXIR_LIKE, _erlang_escript),
    Family(f"{_RUN}/ruby-script-crash", _RUN, ("ruby",), _ruby_script_crash),
    Family(f"{_RUN}/java-main-exception", _RUN, ("java",), _java_main_class_exception),
]
