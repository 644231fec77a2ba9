"""Name pools and small writers shared by the build-and-check families.

Used by the families of ``dependency_install``, ``compilation``, ``test_failure``,
``lint_format`` and ``schema_validation``. Every function takes the caller's ``rng`` so an
example is reproducible from its seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from datasets.generator._types import Failure

T = TypeVar("T")
Maker = Callable[[random.Random, str], Failure]
"""The type of ``Family.make``."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS: tuple[str, ...] = _words(
    "account order invoice user session cache report ledger payment widget token schedule "
    "upload metric profile catalog queue event tenant price shipment inventory webhook "
    "batch config parser route client handler record export import sync audit plugin "
    "channel"
)
"""Domain words; identifiers and file names are built from them."""

PROJECTS: tuple[str, ...] = _words(
    "orion billing-service acme-api datapipe ledgerly kestrel helios inventory webapp "
    "atlas tern nimbus quarry lumen fjord ingest"
)

PY_PACKAGES: tuple[str, ...] = _words(
    "requests numpy pandas flask django fastapi pydantic sqlalchemy boto3 celery redis "
    "httpx scipy pyyaml cryptography psycopg2 pillow lxml grpcio protobuf torch "
    "tensorflow matplotlib aiohttp jinja2 click uvicorn orjson structlog alembic "
    "marshmallow attrs"
)
PY_IMPORT_NAMES: dict[str, str] = {"pyyaml": "yaml", "pillow": "PIL", "psycopg2": "psycopg2"}

NPM_PACKAGES: tuple[str, ...] = _words(
    "react react-dom express lodash axios webpack typescript eslint @types/node "
    "@babel/core next vite vue jest ts-node dayjs zod @testing-library/react @nestjs/core "
    "rxjs graphql prisma fastify @angular/core styled-components redux mongoose pino uuid "
    "chalk"
)

MAVEN_ARTIFACTS: tuple[tuple[str, str], ...] = (
    ("org.springframework.boot", "spring-boot-starter-web"),
    ("com.fasterxml.jackson.core", "jackson-databind"),
    ("org.apache.commons", "commons-lang3"),
    ("com.google.guava", "guava"),
    ("io.netty", "netty-all"),
    ("org.junit.jupiter", "junit-jupiter"),
    ("org.postgresql", "postgresql"),
    ("io.micrometer", "micrometer-core"),
    ("org.jetbrains.kotlinx", "kotlinx-coroutines-core"),
    ("software.amazon.awssdk", "s3"),
    ("org.mockito", "mockito-core"),
    ("ch.qos.logback", "logback-classic"),
)

GO_MODULES: tuple[str, ...] = _words(
    "github.com/spf13/cobra github.com/stretchr/testify go.uber.org/zap "
    "github.com/gin-gonic/gin google.golang.org/grpc github.com/jackc/pgx/v5 "
    "github.com/prometheus/client_golang golang.org/x/sync github.com/google/uuid "
    "github.com/redis/go-redis/v9 k8s.io/client-go github.com/rs/zerolog"
)

CRATES: tuple[str, ...] = _words(
    "serde tokio reqwest clap anyhow thiserror tracing hyper axum sqlx rand regex chrono "
    "futures bytes serde_json tonic uuid"
)

GEMS: tuple[str, ...] = _words(
    "rails nokogiri pg puma sidekiq rspec-rails devise activesupport redis faraday "
    "dry-validation grpc mysql2 bootsnap rack sassc"
)

NUGET_PACKAGES: tuple[str, ...] = _words(
    "Newtonsoft.Json Serilog.AspNetCore Microsoft.EntityFrameworkCore AutoMapper Polly "
    "Dapper FluentValidation MediatR xunit Microsoft.Extensions.Http Npgsql "
    "Swashbuckle.AspNetCore Moq"
)

APT_PACKAGES: tuple[str, ...] = _words(
    "libssl-dev libpq-dev libxml2-dev libffi-dev libsqlite3-dev libcurl4-openssl-dev "
    "libboost-all-dev libprotobuf-dev protobuf-compiler libyaml-dev libjpeg-dev "
    "zlib1g-dev libgtest-dev libfmt-dev libspdlog-dev ninja-build"
)


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One element of ``items``."""
    return items[rng.randrange(len(items))]


def ident(rng: random.Random, parts: int = 2) -> str:
    """A snake_case identifier such as ``order_cache``."""
    return "_".join(pick(rng, WORDS) for _ in range(parts))


def camel(rng: random.Random, parts: int = 2) -> str:
    """A camelCase identifier such as ``orderCache``."""
    first, *rest = [pick(rng, WORDS) for _ in range(parts)]
    return first + "".join(w.capitalize() for w in rest)


def pascal(rng: random.Random, parts: int = 2) -> str:
    """A PascalCase identifier such as ``OrderCache``."""
    return "".join(pick(rng, WORDS).capitalize() for _ in range(parts))


def version(rng: random.Random, major_max: int = 9) -> str:
    """A semantic version such as ``2.31.0``."""
    return f"{rng.randint(0, major_max)}.{rng.randint(0, 40)}.{rng.randint(0, 12)}"


def versions_below(rng: random.Random, count: int) -> list[str]:
    """An ascending list of ``count`` plausible released versions."""
    major, minor, out = rng.randint(0, 2), rng.randint(0, 5), []
    for _ in range(count):
        out.append(f"{major}.{minor}.{rng.randint(0, 4)}")
        if rng.random() < 0.3:
            major, minor = major + 1, 0
        else:
            minor += rng.randint(1, 2)
    return sorted(set(out), key=lambda v: tuple(int(p) for p in v.split(".")))


def workdir(rng: random.Random) -> str:
    """The checkout directory of a GitHub-hosted runner."""
    repo = pick(rng, PROJECTS)
    return f"/home/runner/work/{repo}/{repo}"


def seconds(rng: random.Random, low: float, high: float) -> str:
    """A duration in seconds with two decimals."""
    return f"{rng.uniform(low, high):.2f}"


def py_module(rng: random.Random) -> str:
    """A dotted module path of the project, such as ``orion.billing.invoice``."""
    return f"{pick(rng, PROJECTS).replace('-', '_')}.{pick(rng, WORDS)}.{pick(rng, WORDS)}"


def caret_line(gutter: int, col: int, width: int, note: str = "") -> str:
    """The ``   |     ^^^^ note`` line under a source excerpt (rustc/ruff style)."""
    tail = f" {note}" if note else ""
    return f"{' ' * gutter} | {' ' * (col - 1)}{'^' * max(width, 1)}{tail}"


_DOCKER_COPIES: dict[str, tuple[str, ...]] = {
    "python": ("COPY requirements.txt .", "COPY pyproject.toml poetry.lock ./"),
    "node": ("COPY package*.json ./", "COPY package.json yarn.lock ./"),
    "java": ("COPY pom.xml .", "COPY src ./src"),
    "go": ("COPY go.mod go.sum ./",),
    "rust": ("COPY Cargo.toml Cargo.lock ./", "COPY src ./src"),
    "cpp": ("COPY CMakeLists.txt .", "COPY src ./src"),
    "dotnet": ("COPY *.sln ./", "COPY src/ ./src/"),
    "ruby": ("COPY Gemfile Gemfile.lock ./",),
}
_DOCKER_BASES: dict[str, str] = {
    "python": "python:3.12-slim",
    "node": "node:20-alpine",
    "java": "maven:3.9-eclipse-temurin-21",
    "go": "golang:1.22",
    "rust": "rust:1.78",
    "cpp": "gcc:13",
    "dotnet": "mcr.microsoft.com/dotnet/sdk:8.0",
    "ruby": "ruby:3.3",
    "alpine": "alpine:3.19",
}


def docker_build(
    rng: random.Random, stack: str, run_cmd: str, inner: list[str], code: int = 1
) -> list[str]:
    """``docker build`` output where the ``RUN run_cmd`` instruction printed ``inner`` and failed.

    BuildKit (plain progress) and the legacy builder print the same failure very differently;
    both still appear in CI logs.
    """
    base = _DOCKER_BASES.get(stack, "ubuntu:22.04")
    ref = base if "/" in base else f"docker.io/library/{base}"
    copy = pick(rng, ("COPY . .", *_DOCKER_COPIES.get(stack, ())))
    total = rng.randint(6, 10)
    idx = rng.randint(4, total - 1)
    if rng.random() < 0.25:
        out = [
            f"Sending build context to Docker daemon  {rng.randint(2, 900)}.{rng.randint(1, 99)}kB",
            f"Step 1/{total} : FROM {base}",
            f" ---> {rng.getrandbits(48):012x}",
            f"Step 2/{total} : WORKDIR /app",
            " ---> Using cache",
            f" ---> {rng.getrandbits(48):012x}",
            f"Step {idx - 1}/{total} : {copy}",
            f" ---> {rng.getrandbits(48):012x}",
            f"Step {idx}/{total} : RUN {run_cmd}",
            f" ---> Running in {rng.getrandbits(48):012x}",
            *inner,
            f"The command '/bin/sh -c {run_cmd}' returned a non-zero code: {code}",
        ]
        return out
    n = idx + 3
    shown = inner[-rng.randint(6, 12) :]
    t = rng.uniform(0.3, 2.0)
    body = []
    for line in inner:
        t += rng.uniform(0.0, 0.4)
        body.append(f"#{n} {t:.3f} {line}")
    err = f'process "/bin/sh -c {run_cmd}" did not complete successfully: exit code: {code}'
    lineno = rng.randint(6, 20)
    return [
        f'#0 building with "{pick(rng, ("default", "builder-1", "ci"))}" instance using '
        f"{pick(rng, ('docker', 'docker-container'))} driver",
        "",
        "#1 [internal] load build definition from Dockerfile",
        f"#1 transferring dockerfile: {rng.randint(300, 2400)}B done",
        "#1 DONE 0.0s",
        "",
        f"#2 [internal] load metadata for {ref}",
        f"#2 DONE {rng.uniform(0.3, 2.5):.1f}s",
        "",
        f"#3 [1/{total}] FROM {ref}@sha256:{rng.getrandbits(256):064x}",
        "#3 CACHED",
        "",
        f"#{n - 1} [{idx - 1}/{total}] {copy}",
        f"#{n - 1} DONE {rng.uniform(0.0, 0.5):.1f}s",
        "",
        f"#{n} [{idx}/{total}] RUN {run_cmd}",
        *body,
        f"#{n} ERROR: {err}",
        "------",
        f" > [{idx}/{total}] RUN {run_cmd}:",
        *shown,
        "------",
        f"Dockerfile:{lineno}",
        "--------------------",
        f"  {lineno - 1:>2} |     {copy}",
        f"  {lineno:>2} | >>> RUN {run_cmd}",
        f"  {lineno + 1:>2} |     {pick(rng, ('COPY . .', 'EXPOSE 8080', 'USER app', ''))}",
        "--------------------",
        f"ERROR: failed to solve: {err}",
    ]


def finish(
    rng: random.Random,
    eco: str,
    label: str,
    lines: list[str],
    step: str,
    command: str,
    *,
    stack: str,
    code: int = 1,
    tags: tuple[str, ...] = (),
) -> Failure:
    """Wrap a tool's output in a ``Failure``; in the docker ecosystem the tool runs in a
    Dockerfile ``RUN`` and the step is the image build (the label stays the root cause)."""
    if eco == "docker":
        # Inside the image the sources live in /app, not in the runner's checkout.
        lines = [re.sub(r"/home/runner/work/[^/\s]+/[^/\s]+", "/app", ln) for ln in lines]
        inner = docker_build(rng, stack, command, lines, code)
        build = pick(
            rng,
            (
                "docker buildx build --progress=plain -t app:ci .",
                "docker build -t app:ci-$GITHUB_SHA .",
                "docker buildx build --load --progress plain -f Dockerfile .",
            ),
        )
        step_name = pick(rng, ("Build image", "Build Docker image", "docker build", "Build"))
        return Failure(label, inner, step_name, build, 1, tags=(*tags, "docker"))
    return Failure(label, lines, step, command, code, tags=tags)


def render(template: str, **values: object) -> list[str]:
    """The lines of ``template`` with ``{name}`` fields filled in (``str.format`` rules)."""
    return template.format(**values).splitlines()


def pytest_header(rng: random.Random, wd: str, collected: str) -> list[str]:
    """The banner pytest prints before running anything."""
    py = f"3.{rng.randint(9, 12)}.{rng.randint(1, 12)}"
    lines = [
        banner("test session starts"),
        f"platform linux -- Python {py}, pytest-{rng.randint(7, 8)}.{rng.randint(0, 4)}."
        f"{rng.randint(0, 3)}, pluggy-1.{rng.randint(0, 5)}.0",
        f"rootdir: {wd}",
        f"configfile: {pick(rng, ('pyproject.toml', 'pytest.ini', 'setup.cfg'))}",
    ]
    if rng.random() < 0.6:
        plugins = rng.sample(
            (
                "cov-5.0.0",
                "xdist-3.6.1",
                "asyncio-0.23.7",
                "mock-3.14.0",
                "timeout-2.3.1",
                "anyio-4.4.0",
                "django-4.8.0",
            ),
            rng.randint(1, 4),
        )
        lines.append(f"plugins: {', '.join(plugins)}")
    lines.append(collected)
    return lines


def banner(text: str, fill: str = "=", width: int = 80) -> str:
    """pytest's ``===== text =====`` separator line."""
    side = max((width - len(text) - 2) // 2, 3)
    line = f"{fill * side} {text} {fill * side}"
    return line + fill * (width - len(line)) if len(line) < width else line


def names(rng: random.Random) -> dict[str, str]:
    """Random identifiers for source-code templates: ``{v}`` variable, ``{f}`` field,
    ``{m}`` method, ``{T}`` type, ``{U}`` another type, ``{mod}`` module, ``{n}`` a number."""
    return {
        "v": ident(rng, 1 + rng.randrange(2)),
        "w": pick(rng, WORDS),
        "f": ident(rng, 1),
        "m": ident(rng, 2),
        "cm": camel(rng),
        "T": pascal(rng),
        "U": pascal(rng, 1),
        "mod": pick(rng, WORDS),
        "n": str(rng.randint(2, 64)),
    }


def src_file(rng: random.Random, root: str, ext: str, case: str = "snake") -> str:
    """A source path such as ``src/network/client.rs``; ``network`` and ``http`` appear on
    purpose so that file names alone never decide the label."""
    dirs = ("", "network/", "api/", "internal/", "core/", "http/", "db/", "services/", "util/")
    base = pick(rng, (*WORDS, "network", "timeout", "connection"))
    if case == "pascal":
        base = pascal(rng, 1) + pick(rng, ("Service", "Controller", "Client", "Repository", ""))
    elif case == "camel":
        base = camel(rng)
    return f"{root}{pick(rng, dirs)}{base}.{ext}"


def find_col(code: str, target: str) -> int:
    """1-based column of ``target`` in ``code`` (1 when absent)."""
    return code.find(target) + 1 if target in code else 1


def rust_excerpt(path: str, line: int, code: str, target: str, note: str) -> list[str]:
    """rustc's ``-->`` location and gutter excerpt (also used by ruff and clippy)."""
    col, pad = find_col(code, target), " " * len(str(line))
    return [
        f"{pad}--> {path}:{line}:{col}",
        f"{pad} |",
        f"{line} | {code}",
        f"{pad} | {' ' * (col - 1)}{'^' * max(len(target), 1)} {note}".rstrip(),
    ]


def gcc_excerpt(line: int, code: str, target: str) -> list[str]:
    """GCC 9+'s numbered excerpt with the ``^~~~`` marker."""
    col = find_col(code, target)
    return [f"{line:>5} | {code}", f"{'':>5} | {' ' * (col - 1)}^{'~' * max(len(target) - 1, 0)}"]
