"""Passing-step noise for Go and Rust jobs: toolchains, module downloads, cargo, tests."""

from __future__ import annotations

from datasets.generator._job import Step
from datasets.generator._noise import Ctx, Ecosystem, cache_action, scaled_count
from datasets.generator._vocab import WORDS, camel, hexstr, ident, pick, seconds, version

GO_MODULES = (
    "github.com/stretchr/testify",
    "golang.org/x/sync",
    "golang.org/x/net",
    "google.golang.org/grpc",
    "github.com/spf13/cobra",
    "github.com/prometheus/client_golang",
    "go.uber.org/zap",
    "github.com/google/uuid",
    "github.com/jackc/pgx/v5",
    "gopkg.in/yaml.v3",
    "golang.org/x/sys",
    "github.com/gorilla/mux",
    "go.opentelemetry.io/otel",
    "github.com/rs/zerolog",
)
CRATES = tuple(
    [
        "serde",
        "serde_json",
        "tokio",
        "proc-macro2",
        "quote",
        "syn",
        "libc",
        "once_cell",
        "bytes",
        "futures",
        "hyper",
        "tracing",
        "regex",
        "memchr",
        "anyhow",
        "thiserror",
        "clap",
        "rand",
        "itoa",
        "log",
        "cfg-if",
        "smallvec",
        "parking_lot",
        "mio",
        "pin-project-lite",
        "slab",
        "socket2",
        "http",
        "url",
    ]
)


def _go_setup(ctx: Ctx) -> list[Step]:
    rng = ctx.rng
    ver = f"1.{rng.randint(21, 24)}.{rng.randint(0, 9)}"
    lines = [
        f"Setup go version spec {ver[:4]}",
        f"Found in cache @ /opt/hostedtoolcache/go/{ver}/x64",
        "Added go to the path",
        f"Successfully set up Go version {ver[:4]}",
        "[command]/opt/hostedtoolcache/go/" + ver + "/x64/bin/go env GOMODCACHE",
        "[command]/opt/hostedtoolcache/go/" + ver + "/x64/bin/go env GOCACHE",
        "/home/runner/go/pkg/mod",
        "/home/runner/.cache/go-build",
    ]
    if rng.random() < 0.4:
        lines.append("Cache is not found")
    else:
        lines += [
            f"Cache Size: ~{rng.randint(30, 600)} MB",
            "Cache restored successfully",
            f"Cache restored from key: setup-go-Linux-x64-ubuntu24-go-{ver}-{hexstr(rng, 64)}",
        ]
    lines += [
        f"go version go{ver} linux/amd64",
        "",
        "##[group]go env",
        "GO111MODULE=''",
        "GOARCH='amd64'",
        "GOFLAGS=''",
        "GOOS='linux'",
        "##[endgroup]",
    ]
    return [
        Step(
            "Set up Go",
            "",
            lines,
            kind="action",
            uses="actions/setup-go@v5",
            with_=[
                ("go-version-file", "go.mod"),
                ("check-latest", "false"),
                ("token", "***"),
                ("cache", "true"),
            ],
            seconds=rng.uniform(1, 15),
        )
    ]


def _go_mod(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = [
        f"go: downloading {m} v{version(rng, (0, 3))}"
        for m in pick(rng, GO_MODULES, scaled_count(ctx, 3, 14))
    ]
    return Step(
        "Download modules",
        "go mod download -x" if rng.random() < 0.3 else "go mod download",
        lines,
        seconds=rng.uniform(1, 30),
    )


def _go_build(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = [f"go: downloading {m} v{version(rng, (0, 3))}" for m in pick(rng, GO_MODULES, 3)]
    return Step(
        "Build",
        "go build -v ./...",
        lines + [f"github.com/{ctx.owner}/{ctx.project}/internal/{w}" for w in pick(rng, WORDS, 8)],
        seconds=rng.uniform(3, 60),
    )


def _go_lint(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = [
        f'level=info msg="golangci-lint has version {version(rng, (1, 1), 60)} built with '
        f'go1.23.0"',
        'level=info msg="[config_reader] Config search paths: [./ /home/runner]"',
        f'level=info msg="[lintersdb] Active {rng.randint(8, 30)} linters: [errcheck gosimple '
        'govet ineffassign staticcheck unused]"',
        f'level=info msg="Execution took {seconds(rng, 2, 60)}s"',
        "0 issues.",
    ]
    return Step(
        "golangci-lint", "golangci-lint run --timeout=5m", lines, seconds=rng.uniform(5, 90)
    )


def _go_test(ctx: Ctx) -> Step:
    rng = ctx.rng
    mod = f"github.com/{ctx.owner}/{ctx.project}"
    verbose = rng.random() < 0.35
    lines: list[str] = []
    for pkg in pick(rng, WORDS, scaled_count(ctx, 3, 20)):
        if rng.random() < 0.15:
            lines.append(f"?   \t{mod}/cmd/{pkg}\t[no test files]")
            continue
        if verbose:
            for _ in range(rng.randint(1, 10)):
                name = f"Test{camel(rng)}" if rng.random() > 0.2 else "TestErrorWrapping"
                lines.append(f"=== RUN   {name}")
                if rng.random() < 0.1:
                    lines.append(
                        f"    {pkg}_test.go:{rng.randint(10, 300)}: got expected error: "
                        "connection refused"
                    )
                lines.append(f"--- PASS: {name} ({seconds(rng, 0, 2)}s)")
            lines.append("PASS")
        cov = f"\tcoverage: {rng.uniform(30, 95):.1f}% of statements" if rng.random() < 0.5 else ""
        lines.append(f"ok  \t{mod}/internal/{pkg}\t{rng.uniform(0.005, 9):.3f}s{cov}")
    cmd = "go test -race -v ./..." if verbose else "go test -race ./..."
    return Step("Test", cmd, lines, seconds=rng.uniform(5, 200))


GO = Ecosystem(
    image=lambda rng: f"golang:1.{rng.randint(21, 24)}{rng.choice(('', '-alpine', '-bookworm'))}",
    setup=_go_setup,
    stages={"install": [_go_mod], "build": [_go_build], "lint": [_go_lint], "test": [_go_test]},
    env=lambda rng: [("CGO_ENABLED", "1")] if rng.random() < 0.3 else [],
)


def _rust_setup(ctx: Ctx) -> list[Step]:
    rng = ctx.rng
    minor = rng.randint(78, 88)
    lines = [
        "info: syncing channel updates for 'stable-x86_64-unknown-linux-gnu'",
        f"info: latest update on 2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}, rust version "
        f"1.{minor}.0 ({hexstr(rng, 9)} 2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)})",
        "info: downloading component 'cargo'",
        "info: downloading component 'clippy'",
        "info: downloading component 'rust-std'",
        "info: downloading component 'rustc'",
        "info: installing component 'cargo'",
        "info: installing component 'rustc'",
        f"  stable-x86_64-unknown-linux-gnu installed - rustc 1.{minor}.0",
    ]
    steps = [
        Step(
            "Install Rust",
            "",
            lines,
            kind="action",
            uses="dtolnay/rust-toolchain@stable",
            with_=[("toolchain", "stable"), ("components", "clippy, rustfmt")],
            env_after=[
                ("CARGO_HOME", "/home/runner/.cargo"),
                ("CARGO_INCREMENTAL", "0"),
                ("CARGO_TERM_COLOR", "always"),
            ],
            seconds=rng.uniform(3, 30),
        )
    ]
    if rng.random() < 0.5:
        steps.append(cache_action(ctx, "v0-rust-test-Linux-x64", "~/.cargo/registry"))
    return steps


def _cargo_compile_lines(ctx: Ctx, verb: str) -> list[str]:
    rng = ctx.rng
    crates = pick(rng, CRATES, scaled_count(ctx, 6, 30))
    lines = ["    Updating crates.io index"]
    if rng.random() < 0.06:
        lines.append(
            "warning: spurious network error (3 tries remaining): [28] Timeout was "
            "reached (Operation timed out after 30000 milliseconds with 0 bytes received)"
        )
    lines += [f"  Downloaded {c} v{version(rng, (0, 2))}" for c in crates]
    lines.append(
        f"  Downloaded {len(crates)} crates ({rng.uniform(1, 40):.1f} MB) in "
        f"{seconds(rng, 0.3, 5)}s"
    )
    lines += [f"   {verb} {c} v{version(rng, (0, 2))}" for c in crates]
    if rng.random() < 0.3:
        lines += [
            "warning: unused import: `std::fmt`",
            f" --> src/{rng.choice(WORDS)}.rs:{rng.randint(1, 9)}:5",
            "  |",
            "3 | use std::fmt;",
            "  |     ^^^^^^^^",
            "  |",
            "  = note: `#[warn(unused_imports)]` on by default",
            "",
            f"warning: `{ctx.project}` (lib) generated 1 warning",
        ]
    lines.append(f"   {verb} {ctx.project} v{version(rng)} ({ctx.workdir})")
    return lines


def _cargo_build(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = _cargo_compile_lines(ctx, "Compiling")
    lines.append(
        f"    Finished `dev` profile [unoptimized + debuginfo] target(s) in {seconds(rng, 5, 200)}s"
    )
    return Step(
        "Build",
        "cargo build --all-targets --locked",
        lines,
        seconds=rng.uniform(10, 200),
        coloured=True,
    )


def _clippy(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = _cargo_compile_lines(ctx, "Checking")
    lines.append(
        f"    Finished `dev` profile [unoptimized + debuginfo] target(s) in {seconds(rng, 5, 90)}s"
    )
    return Step(
        "Clippy",
        "cargo clippy --all-targets -- -D warnings",
        lines,
        seconds=rng.uniform(10, 120),
        coloured=True,
    )


def _cargo_test(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = _cargo_compile_lines(ctx, "Compiling")
    lines.append(
        f"    Finished `test` profile [unoptimized + debuginfo] target(s) in {seconds(rng, 5, 200)}s"
    )
    for target in ("unittests src/lib.rs", f"tests/{rng.choice(WORDS)}.rs"):
        n = scaled_count(ctx, 2, 30)
        lines += [
            f"     Running {target} (target/debug/deps/{ctx.package}-{hexstr(rng, 16)})",
            "",
            f"running {n} tests",
        ]
        for _ in range(n):
            lines.append(f"test {rng.choice(WORDS)}::tests::{ident(rng)} ... ok")
        if rng.random() < 0.15:
            lines.append(
                f"test {rng.choice(WORDS)}::tests::rejects_bad_input - should panic ... ok"
            )
        lines += [
            "",
            f"test result: ok. {n} passed; 0 failed; 0 ignored; 0 measured; 0 filtered "
            f"out; finished in {seconds(rng, 0, 9)}s",
            "",
        ]
    lines += [
        f"   Doc-tests {ctx.package}",
        "",
        "running 0 tests",
        "",
        "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; "
        "finished in 0.00s",
    ]
    return Step(
        "Test", "cargo test --all-features", lines, seconds=rng.uniform(10, 300), coloured=True
    )


RUST = Ecosystem(
    image=lambda rng: f"rust:1.{rng.randint(78, 88)}{rng.choice(('', '-slim', '-bookworm'))}",
    setup=_rust_setup,
    stages={"build": [_cargo_build], "lint": [_clippy], "test": [_cargo_test]},
    env=lambda rng: [("RUST_BACKTRACE", "1"), ("RUSTFLAGS", "-Dwarnings")][: rng.randint(0, 2)],
)
