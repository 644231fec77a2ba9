"""Name pools and small builders for the timeout, resource, network, auth and rate-limit families.

Everything here draws from the caller's ``random.Random`` so a family stays deterministic. The
builders write the routine output a step prints *before* it fails (passing tests, compiler
progress, successful downloads): real failures are rarely the first line of a step, and the
classifier must learn to look past that output.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from datasets.generator._types import ECOSYSTEMS, Failure, Family

ALL_ECOSYSTEMS: tuple[str, ...] = ECOSYSTEMS
"""Runner-level failures (job limits, git, cloud CLIs) can happen in any ecosystem."""

HUB_IMAGES: tuple[tuple[str, str], ...] = (
    ("node", "20-alpine"),
    ("python", "3.12-slim"),
    ("golang", "1.22"),
    ("ruby", "3.3"),
    ("rust", "1.77"),
    ("nginx", "1.25-alpine"),
    ("postgres", "16"),
    ("redis", "7-alpine"),
)
"""Docker Hub official images as (repository, tag)."""

APT_HOSTS: tuple[str, ...] = (
    "azure.archive.ubuntu.com",
    "archive.ubuntu.com",
    "security.ubuntu.com",
    "deb.debian.org",
    "ppa.launchpadcontent.net",
)

ORGS: tuple[str, ...] = (
    "acme",
    "northwind",
    "octo-labs",
    "bluefin",
    "tidepool",
    "grainhouse",
    "kestrel-io",
    "lumen-dev",
    "parcelworks",
    "quarry",
    "redwood-eng",
    "saltmarsh",
)
REPOS: tuple[str, ...] = (
    "api",
    "web",
    "billing-service",
    "ingest",
    "toolkit",
    "data-pipeline",
    "gateway",
    "docs-site",
    "sdk",
    "scheduler",
    "search",
    "mobile-backend",
    "infra",
    "notifier",
)
MODULES: tuple[str, ...] = (
    "auth",
    "billing",
    "cache",
    "client",
    "config",
    "export",
    "ingest",
    "parser",
    "queue",
    "router",
    "scheduler",
    "session",
    "storage",
    "sync",
    "users",
    "webhooks",
)
BEHAVIOURS: tuple[str, ...] = (
    "handles_empty_input",
    "retries_on_failure",
    "parses_headers",
    "returns_not_found",
    "streams_large_payload",
    "rejects_invalid_token",
    "merges_config",
    "closes_connections",
    "paginates_results",
    "renders_template",
    "reconnects_after_drop",
    "flushes_buffer",
    "orders_events",
    "computes_totals",
)

PACKAGES: dict[str, tuple[str, ...]] = {
    "python": (
        "requests",
        "numpy",
        "pandas",
        "pydantic",
        "urllib3",
        "cryptography",
        "grpcio",
        "scipy",
        "boto3",
        "sqlalchemy",
        "httpx",
        "lxml",
        "pyarrow",
    ),
    "node": (
        "react",
        "lodash",
        "typescript",
        "@babel/core",
        "webpack",
        "esbuild",
        "next",
        "express",
        "axios",
        "@types/node",
        "eslint",
        "vite",
        "zod",
    ),
    "java": (
        "org.springframework.boot:spring-boot-starter-web",
        "com.fasterxml.jackson.core:jackson-databind",
        "com.google.guava:guava",
        "org.apache.commons:commons-lang3",
        "io.netty:netty-handler",
        "org.junit.jupiter:junit-jupiter",
        "org.postgresql:postgresql",
        "io.grpc:grpc-netty-shaded",
    ),
    "go": (
        "github.com/stretchr/testify",
        "golang.org/x/net",
        "google.golang.org/grpc",
        "github.com/spf13/cobra",
        "github.com/prometheus/client_golang",
        "go.uber.org/zap",
        "github.com/aws/aws-sdk-go-v2",
        "k8s.io/client-go",
    ),
    "rust": (
        "serde",
        "tokio",
        "syn",
        "regex",
        "reqwest",
        "clap",
        "hyper",
        "rustls",
        "anyhow",
        "tracing",
    ),
    "cpp": ("boost", "fmt", "openssl", "zlib", "protobuf", "abseil", "gtest", "spdlog"),
    "dotnet": (
        "Newtonsoft.Json",
        "Microsoft.Extensions.Logging",
        "Serilog",
        "xunit",
        "Moq",
        "Dapper",
        "Polly",
        "AutoMapper",
        "Grpc.Net.Client",
    ),
    "ruby": (
        "rails",
        "nokogiri",
        "rspec-core",
        "pg",
        "puma",
        "sidekiq",
        "rubocop",
        "faraday",
        "activesupport",
    ),
}

TEST_COMMANDS: dict[str, tuple[str, ...]] = {
    "python": ("python -m pytest -q", "pytest -n auto tests/", "tox -e py311", "pytest -v tests"),
    "node": ("npm test", "npx jest --ci", "yarn test", "pnpm test", "npx mocha"),
    "java": ("mvn -B verify", "./gradlew test", "./mvnw -B test", "./gradlew check --no-daemon"),
    "go": ("go test ./...", "go test -race -v ./...", "make test"),
    "rust": ("cargo test --workspace", "cargo nextest run", "cargo test --all-features"),
    "cpp": ("ctest --output-on-failure", "make check", "ctest --test-dir build -j2"),
    "dotnet": ("dotnet test", "dotnet test --no-build -c Release"),
    "ruby": ("bundle exec rspec", "bundle exec rake test"),
    "docker": ("docker compose run --rm tests", "docker run --rm app:ci make test"),
}
BUILD_COMMANDS: dict[str, tuple[str, ...]] = {
    "python": ("python -m build", "pip wheel . -w dist", "python setup.py bdist_wheel"),
    "node": ("npm run build", "yarn build", "pnpm run build", "npx next build"),
    "java": ("mvn -B package -DskipTests", "./gradlew assemble", "./gradlew build -x test"),
    "go": ("go build ./...", "make build", "go build -o bin/server ./cmd/server"),
    "rust": ("cargo build --release", "cargo build --workspace --locked"),
    "cpp": ("cmake --build build -j2", "make -j2", "ninja -C build"),
    "dotnet": ("dotnet build -c Release", "dotnet publish -c Release -o out"),
    "ruby": ("bundle exec rake build", "bundle exec rails assets:precompile"),
    "docker": ("docker build -t app:ci .", "docker buildx build --load -t app:ci ."),
}
INSTALL_COMMANDS: dict[str, tuple[str, ...]] = {
    "python": ("pip install -r requirements.txt", "python -m pip install -e .[test]"),
    "node": ("npm ci", "yarn install --frozen-lockfile", "pnpm install --frozen-lockfile"),
    "java": ("mvn -B dependency:go-offline", "./gradlew dependencies --refresh-dependencies"),
    "go": ("go mod download", "go mod download -x"),
    "rust": ("cargo fetch --locked", "cargo build --locked"),
    "cpp": (
        "sudo apt-get install -y libssl-dev libboost-all-dev",
        "conan install . --build=missing",
    ),
    "dotnet": ("dotnet restore", "dotnet restore --locked-mode"),
    "ruby": ("bundle install --jobs 4", "bundle install"),
    "docker": ("docker pull $IMAGE", "docker compose pull"),
}


def failure(
    label: str,
    lines: list[str],
    step: str,
    command: str,
    exit_code: int | None,
    tool: str,
    runner_errors: tuple[str, ...] = (),
) -> Failure:
    """A ``Failure`` tagged with the tool that printed it."""
    return Failure(label, lines, step, command, exit_code, runner_errors, tags=(tool,))


def family(
    label: str,
    slug: str,
    ecosystems: tuple[str, ...],
    make: Callable[[random.Random, str], Failure],
) -> Family:
    """A ``Family`` whose id is ``<label>/<slug>``."""
    return Family(f"{label}/{slug}", label, ecosystems, make)


def org(rng: random.Random) -> str:
    return rng.choice(ORGS)


def repo(rng: random.Random) -> str:
    return rng.choice(REPOS)


def slug(rng: random.Random) -> str:
    """An ``org/repo`` pair."""
    return f"{org(rng)}/{repo(rng)}"


def workdir(rng: random.Random, name: str) -> str:
    """The checkout directory, on a hosted runner or inside a container job."""
    if rng.random() < 0.8:
        return f"/home/runner/work/{name}/{name}"
    return f"/__w/{name}/{name}"


def service_host(rng: random.Random) -> str:
    """A third-party or in-house HTTP API a CI script talks to."""
    return rng.choice(
        (
            f"api.{org(rng)}.io",
            "uploader.codecov.io",
            "sentry.io",
            f"docs-upload.{org(rng)}.dev",
            "hooks.slack.com",
        )
    )


def hexid(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(length))


def ipv4(rng: random.Random) -> str:
    first = rng.choice((13, 20, 40, 52, 104, 140, 151, 185, 199))
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def version(rng: random.Random) -> str:
    return f"{rng.randint(0, 6)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def go_version(rng: random.Random) -> str:
    """A module version without a major-version suffix (v0 or v1)."""
    return f"v{rng.randint(0, 1)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def package(rng: random.Random, eco: str) -> str:
    return rng.choice(PACKAGES.get(eco, PACKAGES["python"]))


def test_name(rng: random.Random) -> str:
    return f"test_{rng.choice(BEHAVIOURS)}"


def camel(snake: str) -> str:
    """``retries_on_failure`` -> ``RetriesOnFailure``."""
    return "".join(part.capitalize() for part in snake.split("_"))


def lower_camel(snake: str) -> str:
    text = camel(snake)
    return text[:1].lower() + text[1:]


def command(rng: random.Random, table: dict[str, tuple[str, ...]], eco: str) -> str:
    return rng.choice(table.get(eco, table["python"]))


def runner_name(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"GitHub Actions {rng.randint(1, 60)}"
    return f"{rng.choice(('ci', 'build', 'gpu', 'linux'))}-runner-{hexid(rng, 5)}"


def passing_tests(rng: random.Random, eco: str, count: int, total: int | None = None) -> list[str]:
    """Lines a test runner prints for tests that pass, in that ecosystem's usual format."""
    lines: list[str] = []
    total = total if total is not None else count + rng.randint(0, 40)
    for index in range(count):
        mod = rng.choice(MODULES)
        name = rng.choice(BEHAVIOURS)
        ms = rng.randint(1, 900)
        if eco == "python":
            pct = int(100 * (index + 1) / total)
            lines.append(f"tests/test_{mod}.py::test_{name} PASSED{'':>10}[{pct:3d}%]")
        elif eco == "node":
            lines.append(f" PASS  src/{mod}/{lower_camel(name)}.test.ts ({ms / 100:.1f} s)")
        elif eco == "java":
            lines.append(
                f"[INFO] Tests run: {rng.randint(1, 30)}, Failures: 0, Errors: 0, Skipped: 0, "
                f"Time elapsed: {ms / 100:.3f} s -- in com.{org(rng).replace('-', '')}."
                f"{mod}.{camel(mod)}Test"
            )
        elif eco == "go":
            lines.append(f"ok  \tgithub.com/{slug(rng)}/internal/{mod}\t{ms / 100:.3f}s")
        elif eco == "rust":
            lines.append(f"test {mod}::tests::{name} ... ok")
        elif eco == "cpp":
            lines.append(
                f"{index + 1:3d}/{total} Test #{index + 1:2d}: {mod}_{name} "
                f"{'.' * rng.randint(8, 30)}   Passed    {ms / 1000:.2f} sec"
            )
        elif eco == "dotnet":
            lines.append(f"  Passed {camel(mod)}.Tests.{camel(name)} [{ms} ms]")
        elif eco == "ruby":
            lines.append(f"  {mod.capitalize()} {name.replace('_', ' ')}")
        else:
            step = rng.randint(5, 18)
            lines.append(f"#{step} {ms / 10:.2f} ok {mod}/{name}")
    return lines


def build_progress(rng: random.Random, eco: str, count: int) -> list[str]:
    """Lines a build prints while it makes progress."""
    lines: list[str] = []
    total = count + rng.randint(2, 30)
    for index in range(count):
        mod = rng.choice(MODULES)
        if eco == "cpp":
            pct = int(100 * (index + 1) / total)
            lines.append(f"[{pct:3d}%] Building CXX object src/CMakeFiles/core.dir/{mod}.cpp.o")
        elif eco == "rust":
            lines.append(f"   Compiling {package(rng, 'rust')} v{version(rng)}")
        elif eco == "java":
            lines.append(f"> Task :{mod}:compileJava")
        elif eco == "go":
            lines.append(f"github.com/{slug(rng)}/internal/{mod}")
        elif eco == "node":
            lines.append(f"  {mod}/index.js  {rng.randint(1, 900)}.{rng.randint(0, 9)} kB")
        elif eco == "dotnet":
            lines.append(f"  {camel(mod)} -> /src/{camel(mod)}/bin/Release/net8.0/{camel(mod)}.dll")
        elif eco == "docker":
            lines.append(f"#{index + 4} [build {index + 2}/{total + 2}] COPY {mod}/ ./{mod}/")
            lines.append(f"#{index + 4} DONE {rng.randint(1, 90) / 10:.1f}s")
        elif eco == "ruby":
            lines.append(f"I, [pid #{rng.randint(1000, 9999)}]  INFO -- : Writing {mod}.js")
        else:
            lines.append(f"copying {repo(rng).replace('-', '_')}/{mod}.py -> build/lib")
    return lines


def downloads(rng: random.Random, eco: str, count: int) -> list[str]:
    """Lines a package manager prints for downloads that succeed."""
    lines: list[str] = []
    for _ in range(count):
        pkg = package(rng, eco)
        ver = version(rng)
        if eco == "python":
            lines.append(f"Collecting {pkg}=={ver}")
            lines.append(f"  Downloading {pkg}-{ver}-py3-none-any.whl ({rng.randint(12, 900)} kB)")
        elif eco == "node":
            lines.append(
                f"npm http fetch GET 200 https://registry.npmjs.org/{pkg} {rng.randint(20, 900)}ms"
            )
        elif eco == "java":
            group, artifact = pkg.split(":")
            path = f"{group.replace('.', '/')}/{artifact}/{ver}/{artifact}-{ver}.jar"
            lines.append(f"Downloading from central: https://repo.maven.apache.org/maven2/{path}")
            lines.append(
                f"Downloaded from central: https://repo.maven.apache.org/maven2/{path} "
                f"({rng.randint(10, 900)} kB at {rng.randint(1, 20)}.{rng.randint(0, 9)} MB/s)"
            )
        elif eco == "go":
            lines.append(f"go: downloading {pkg} {go_version(rng)}")
        elif eco == "rust":
            lines.append(f"  Downloaded {pkg} v{ver}")
        elif eco == "dotnet":
            lines.append(f"  Installed {pkg} {ver} from https://api.nuget.org/v3/index.json")
        elif eco == "ruby":
            lines.append(f"Fetching {pkg} {ver}")
            lines.append(f"Installing {pkg} {ver}")
        else:
            name = rng.choice(("curl", "git", "libssl3", "ca-certificates", "make", "zlib1g"))
            lines.append(
                f"Get:{rng.randint(1, 40)} http://archive.ubuntu.com/ubuntu jammy/main amd64 "
                f"{name} amd64 {version(rng)} [{rng.randint(20, 900)} kB]"
            )
    return lines


# Phrasings of connection failures, shared by the network and rate-limit families.

TOOL_HOSTS: tuple[str, ...] = (
    "objects.githubusercontent.com",
    "github.com",
    "dl.google.com",
    "get.helm.sh",
    "releases.hashicorp.com",
    "download.docker.com",
    "nodejs.org",
    "storage.googleapis.com",
)


def local_port(rng: random.Random) -> str:
    return f"10.1.0.{rng.randint(2, 250)}:{rng.randint(32768, 60999)}"


def npm_reason(rng: random.Random) -> tuple[str, str, str]:
    ip = f"104.16.{rng.randint(0, 31)}.{rng.randint(1, 254)}"
    return rng.choice(
        (
            ("ECONNRESET", "read", "read ECONNRESET"),
            ("ETIMEDOUT", "connect", f"connect ETIMEDOUT {ip}:443"),
            ("EAI_AGAIN", "getaddrinfo", "getaddrinfo EAI_AGAIN registry.npmjs.org"),
            ("ECONNRESET", "read", "socket hang up"),
        )
    )


def pip_cause(rng: random.Random, host: str) -> str:
    obj = f"<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f{hexid(rng, 10)}>"
    return rng.choice(
        (
            f"NewConnectionError('{obj}: Failed to establish a new connection: [Errno -3] "
            "Temporary failure in name resolution')",
            f"NewConnectionError('{obj}: Failed to establish a new connection: [Errno 101] "
            "Network is unreachable')",
            f"ConnectTimeoutError({obj}, 'Connection to {host} timed out. (connect timeout=15)')",
            f"ReadTimeoutError(\"HTTPSConnectionPool(host='{host}', port=443): Read timed out. "
            '(read timeout=15)")',
            "ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset "
            "by peer'))",
        )
    )


def java_reason(rng: random.Random, host: str) -> str:
    ip = f"151.101.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return rng.choice(
        (
            f"Connect to {host}:443 [{host}/{ip}] failed: Connect timed out",
            f"Connect to {host}:443 [{host}/{ip}] failed: Connection timed out",
            "Connection reset",
            "Remote host terminated the handshake",
            f"{host}: Temporary failure in name resolution",
            "Read timed out",
            f"status code: {rng.choice((502, 503))}, reason phrase: "
            f"{rng.choice(('Bad Gateway', 'Service Unavailable'))}",
        )
    )


def crate_index_path(name: str) -> str:
    if len(name) <= 2:
        return f"{len(name)}/{name}"
    if len(name) == 3:
        return f"3/{name[0]}/{name}"
    return f"{name[:2]}/{name[2:4]}/{name}"


# GitHub API phrasings, shared by the auth and rate-limit families.


def temp_script(rng: random.Random) -> str:
    """The script file the runner writes for a ``run:`` step."""
    uuid = "-".join(hexid(rng, n) for n in (8, 4, 4, 4, 12))
    return f"/home/runner/work/_temp/{uuid}.sh"


def github_api_url(rng: random.Random, name: str) -> str:
    path = rng.choice(("releases", "issues/{n}/comments", "pulls", "statuses/{sha}", "dispatches"))
    return f"https://api.github.com/repos/{name}/" + path.format(
        n=rng.randint(1, 900), sha=hexid(rng, 40)
    )


def octokit_error(rng: random.Random, message: str, status: int, url: str) -> list[str]:
    """How actions/github-script prints an unhandled Octokit ``HttpError``."""
    version = rng.choice(("v6", "v7"))
    return [
        f"RequestError [HttpError]: {message}",
        f"    at /home/runner/work/_actions/actions/github-script/{version}/dist/index.js:"
        f"{rng.randint(9000, 9999)}:21",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        f"    at async eval (eval at callAsyncFunction, <anonymous>:{rng.randint(2, 30)}:1) {{",
        f"  status: {status},",
        "  response: {",
        f"    url: '{url}',",
        f"    status: {status},",
        "    data: {",
        f"      message: '{message}',",
        "      documentation_url: 'https://docs.github.com/rest',",
        f"      status: '{status}'",
        "    }",
        "  },",
    ]


def github_json_body(message: str, status: int) -> list[str]:
    """The JSON body the REST API answers with, as ``curl`` prints it."""
    return [
        "{",
        f'  "message": "{message}",',
        '  "documentation_url": "https://docs.github.com/rest",',
        f'  "status": "{status}"',
        "}",
    ]


def preamble(rng: random.Random, topic: str) -> list[str]:
    """Two or three lines a CI script echoes before the command that fails."""
    app = repo(rng)
    sha = hexid(rng, 7)
    if topic == "deploy":
        pool = [
            f"Deploying {app} ({sha}) to {rng.choice(('production', 'staging', 'preview'))}",
            f"Region: {rng.choice(('us-east-1', 'eu-west-1', 'europe-west4', 'westeurope'))}",
            f"Artifact: dist/{app}-{version(rng)}.zip ({rng.randint(2, 90)}.{rng.randint(0, 9)} MB)",
            f"Release channel: {rng.choice(('stable', 'canary', 'beta'))}",
        ]
    elif topic == "github":
        pool = [
            f"Repository: {slug(rng)}",
            f"Event: {rng.choice(('pull_request', 'push', 'schedule', 'workflow_dispatch'))}",
            f"Ref: refs/heads/{rng.choice(('main', 'develop', 'release/' + version(rng)))}",
            f"Head SHA: {hexid(rng, 40)}",
        ]
    else:
        pool = [
            f"+ cd {workdir(rng, app)}",
            f"+ export VERSION={version(rng)}",
            f"+ echo 'building {app} at {sha}'",
            f"building {app} at {sha}",
        ]
    count = rng.randint(2, 3)
    return pool[:count] if topic == "shell" else rng.sample(pool, count)


def pad(rng: random.Random, lines: list[str], topic: str) -> list[str]:
    """Prefix a ``preamble`` always when the output is very short, sometimes otherwise."""
    if len(lines) < 3 or rng.random() < 0.3:
        return [*preamble(rng, topic), *lines]
    return lines
