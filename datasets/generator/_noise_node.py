"""Passing-step noise for Node.js jobs: setup-node, npm/yarn/pnpm, builds, eslint, jest, vitest."""

from __future__ import annotations

from datasets.generator._job import Step
from datasets.generator._noise import Ctx, Ecosystem, scaled_count
from datasets.generator._vocab import WORDS, hexstr, ident, pick, seconds, version

NPM_PACKAGES = tuple(
    [
        "react",
        "react-dom",
        "express",
        "lodash",
        "axios",
        "webpack",
        "typescript",
        "eslint",
        "@types/node",
        "@babel/core",
        "next",
        "vite",
        "vue",
        "jest",
        "ts-node",
        "dayjs",
        "zod",
        "@testing-library/react",
        "rxjs",
        "graphql",
        "prisma",
        "fastify",
        "redux",
        "pino",
        "uuid",
        "chalk",
        "commander",
        "yargs",
        "semver",
        "glob",
        "minimatch",
        "debug",
        "ms",
        "ws",
        "dotenv",
        "cross-env",
        "rimraf",
        "esbuild",
        "rollup",
        "postcss",
        "autoprefixer",
        "tailwindcss",
    ]
)
DEPRECATED_NPM = tuple(
    [
        "inflight@1.0.6",
        "glob@7.2.3",
        "rimraf@3.0.2",
        "abab@2.0.6",
        "domexception@4.0.0",
        "@humanwhocodes/config-array@0.11.14",
        "sourcemap-codec@1.4.8",
        "w3c-hr-time@1.0.2",
    ]
)


def _node_setup(ctx: Ctx) -> list[Step]:
    rng = ctx.rng
    ver = f"{rng.choice((18, 20, 20, 22))}.{rng.randint(0, 19)}.{rng.randint(0, 9)}"
    lines = (
        [f"Found in cache @ /opt/hostedtoolcache/node/{ver}/x64"]
        if rng.random() < 0.6
        else [
            f"Attempting to download {ver.split('.')[0]}.x...",
            f"Acquiring {ver} - x64 from https://github.com/actions/node-versions/releases/download/"
            f"{ver}-{rng.randint(10**9, 10**10)}/node-{ver}-linux-x64.tar.gz",
            "Extracting ...",
            f"[command]/usr/bin/tar xz --strip 1 --warning=no-unknown-keyword --overwrite -C "
            f"/home/runner/work/_temp/{hexstr(rng, 8)}",
            "Adding to the cache ...",
        ]
    )
    lines += [
        "##[group]Environment details",
        f"node: v{ver}",
        f"npm: 10.{rng.randint(2, 9)}.0",
        f"yarn: 1.22.{rng.randint(19, 22)}",
        "##[endgroup]",
    ]
    if rng.random() < 0.5:
        lines += [
            "[command]/usr/local/bin/npm config get cache",
            "/home/runner/.npm",
            f"Cache hit for: node-cache-Linux-x64-npm-{hexstr(rng, 64)}"
            if rng.random() < 0.6
            else "npm cache is not found",
        ]
    return [
        Step(
            "Setup Node",
            "",
            lines,
            kind="action",
            uses="actions/setup-node@v4",
            with_=[
                ("node-version", ver.split(".")[0]),
                ("cache", "npm"),
                ("always-auth", "false"),
                ("check-latest", "false"),
                ("token", "***"),
            ],
            seconds=rng.uniform(0.3, 6),
        )
    ]


def _npm_ci(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = []
    for dep in pick(rng, DEPRECATED_NPM, rng.randint(0, 4)):
        lines.append(
            f"npm warn deprecated {dep}: This version is no longer maintained; "
            "upgrade to the latest release."
        )
    if rng.random() < 0.08:
        lines.append("npm warn retry will retry, error on last attempt: Error: socket hang up")
    if rng.random() < 0.2:
        lines.append(
            "npm warn optional SKIPPING OPTIONAL DEPENDENCY: fsevents@2.3.3 "
            "(node_modules/fsevents): unsupported platform for fsevents@2.3.3"
        )
    n = scaled_count(ctx, 200, 1400)
    lines += [
        "",
        f"added {n} packages, and audited {n + 1} packages in {rng.randint(4, 60)}s",
        "",
        f"{rng.randint(40, 220)} packages are looking for funding",
        "  run `npm fund` for details",
        "",
    ]
    lines.append(
        "found 0 vulnerabilities"
        if rng.random() < 0.6
        else f"{rng.randint(1, 9)} moderate severity vulnerabilities"
    )
    return Step("Install dependencies", "npm ci", lines, seconds=rng.uniform(5, 80))


def _yarn_install(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = [
        f"yarn install v1.22.{rng.randint(19, 22)}",
        "[1/4] Resolving packages...",
        "[2/4] Fetching packages...",
    ]
    if rng.random() < 0.1:
        lines.append("info There appears to be trouble with your network connection. Retrying...")
    lines.append("[3/4] Linking dependencies...")
    for pkg in pick(rng, NPM_PACKAGES, scaled_count(ctx, 0, 6)):
        lines.append(
            f'warning " > {pkg}@{version(rng, (1, 9))}" has unmet peer dependency '
            f'"{rng.choice(NPM_PACKAGES)}@^{rng.randint(1, 18)}.0.0".'
        )
    lines += ["[4/4] Building fresh packages...", f"Done in {seconds(rng, 4, 90)}s."]
    return Step(
        "Install dependencies", "yarn install --frozen-lockfile", lines, seconds=rng.uniform(5, 90)
    )


def _pnpm_install(ctx: Ctx) -> Step:
    rng = ctx.rng
    n = scaled_count(ctx, 200, 1200)
    lines = [
        "Lockfile is up to date, resolution step is skipped",
        f"Packages: +{n}",
        "+" * min(n // 10, 120),
        f"Progress: resolved {n}, reused {n - 12}, downloaded 12, added {n}, done",
        "",
        "dependencies:",
    ]
    lines += [f"+ {p} {version(rng, (1, 18))}" for p in pick(rng, NPM_PACKAGES, 8)]
    lines += ["", f"Done in {seconds(rng, 2, 30)}s"]
    return Step(
        "Install dependencies", "pnpm install --frozen-lockfile", lines, seconds=rng.uniform(3, 40)
    )


def _node_build(ctx: Ctx) -> Step:
    rng = ctx.rng
    name = ctx.project
    lines = [
        "",
        f"> {name}@{version(rng)} build",
        "> tsc -p tsconfig.build.json && vite build",
        "",
        f"vite v5.{rng.randint(0, 4)}.{rng.randint(0, 9)} building for production...",
        "transforming...",
        f"✓ {rng.randint(40, 2500)} modules transformed.",
        "rendering chunks...",
        "computing gzip size...",
    ]
    for _ in range(scaled_count(ctx, 2, 10)):
        kb = rng.uniform(0.4, 400)
        lines.append(
            f"dist/assets/{rng.choice(WORDS)}-{hexstr(rng, 8)}.js  {kb:8.2f} kB │ "
            f"gzip: {kb / 3.2:7.2f} kB"
        )
    if rng.random() < 0.3:
        lines.append("(!) Some chunks are larger than 500 kB after minification.")
    lines.append(f"✓ built in {seconds(rng, 1, 40)}s")
    return Step("Build", "npm run build", lines, seconds=rng.uniform(5, 120), coloured=True)


def _eslint(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = [
        "",
        f"> {ctx.project}@{version(rng)} lint",
        "> eslint . --ext .ts,.tsx --no-error-on-unmatched-pattern",
        "",
    ]
    n = rng.randint(0, 5)
    for _ in range(n):
        lines.append(
            f"{ctx.workdir}/src/{rng.choice(WORDS)}/{rng.choice(('errors', 'index', 'api'))}.ts"
        )
        lines.append(
            f"  {rng.randint(2, 300)}:{rng.randint(1, 40)}  warning  "
            f"'{rng.choice(WORDS)}' is assigned a value but never used  "
            "@typescript-eslint/no-unused-vars"
        )
        lines.append("")
    if n:
        lines.append(f"✖ {n} problems (0 errors, {n} warnings)")
    return Step("Lint", "npm run lint", lines, seconds=rng.uniform(3, 40))


def _jest(ctx: Ctx) -> Step:
    rng = ctx.rng
    n_files = scaled_count(ctx, 4, 40)
    lines: list[str] = []
    tests = 0
    for _ in range(n_files):
        folder = rng.choice(("src", "src/components", "src/api", "src/utils", "lib"))
        base = (
            rng.choice(("ErrorBoundary", "errors", "retry", "timeout"))
            if rng.random() < 0.15
            else ident(rng, "")
        )
        took = f" ({seconds(rng, 1, 9)} s)" if rng.random() < 0.3 else ""
        lines.append(f"PASS {folder}/{base}.test.{rng.choice(('ts', 'tsx', 'js'))}{took}")
        k = rng.randint(1, 20)
        tests += k
        if rng.random() < 0.08:
            lines += [
                "  ● Console",
                "",
                "    console.error",
                "      Error: Network request failed",
                f"          at fetch{ident(rng, '')} ({folder}/{base}.ts:{rng.randint(5, 99)}:11)",
                "",
            ]
    suites = n_files
    lines += [
        "",
        f"Test Suites: {suites} passed, {suites} total",
        f"Tests:       {tests} passed, {tests} total",
        f"Snapshots:   {rng.randint(0, 30)} passed, {rng.randint(30, 40)} total",
        f"Time:        {seconds(rng, 2, 90)} s",
        "Ran all test suites.",
    ]
    return Step(
        "Test",
        rng.choice(("npm test", "npx jest --ci", "yarn test --ci")),
        lines,
        seconds=rng.uniform(5, 200),
        coloured=True,
    )


def _vitest(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = ["", f" RUN  v2.{rng.randint(0, 1)}.{rng.randint(0, 9)} {ctx.workdir}", ""]
    files = scaled_count(ctx, 4, 40)
    tests = 0
    for _ in range(files):
        k = rng.randint(1, 30)
        tests += k
        lines.append(f" ✓ src/{ident(rng, '')}.test.ts ({k} tests) {rng.randint(2, 900)}ms")
    lines += [
        "",
        f" Test Files  {files} passed ({files})",
        f"      Tests  {tests} passed ({tests})",
        f"   Start at  {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        f"   Duration  {seconds(rng, 1, 40)}s (transform {seconds(rng, 0, 3)}s, setup 0ms, "
        f"collect {seconds(rng, 0, 5)}s, tests {seconds(rng, 0, 9)}s)",
    ]
    return Step("Test", "npx vitest run", lines, seconds=rng.uniform(3, 60), coloured=True)


NODE = Ecosystem(
    image=lambda rng: f"node:{rng.choice((18, 20, 22))}{rng.choice(('', '-alpine', '-bookworm'))}",
    setup=_node_setup,
    stages={
        "install": [_npm_ci, _npm_ci, _yarn_install, _pnpm_install],
        "build": [_node_build],
        "lint": [_eslint],
        "test": [_jest, _jest, _vitest],
    },
    env=lambda rng: [("CI", "true")] if rng.random() < 0.4 else [],
)
