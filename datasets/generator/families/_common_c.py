"""Name pools and small builders shared by the workflow, file, crash, host and unknown families.

Everything here draws from the ``random.Random`` it is given, so a family built on these helpers
stays deterministic per seed. The ordinary-output templates describe what healthy tools print
before a failure; they carry no error wording so that they never decide a label on their own.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

ORGS: tuple[str, ...] = (
    "acme",
    "northwind",
    "lumen-labs",
    "fjordsoft",
    "tidepool",
    "quarkio",
    "bramble",
    "kestrel-dev",
    "oakmoss",
    "vantage-eng",
    "plover",
    "meridian-io",
    "corvid",
    "saltmarsh",
)
REPOS: tuple[str, ...] = (
    "api-server",
    "billing",
    "webapp",
    "ledger",
    "inventory",
    "gateway",
    "scheduler",
    "docs-site",
    "mobile-backend",
    "etl-pipeline",
    "search",
    "notifier",
    "core-lib",
    "cli",
    "dashboard",
    "payments",
    "auth-service",
    "geo-tiles",
    "reporting",
    "sdk",
)
NOUNS: tuple[str, ...] = (
    "config",
    "release",
    "manifest",
    "schema",
    "user",
    "order",
    "invoice",
    "bundle",
    "asset",
    "tenant",
    "region",
    "channel",
    "payload",
    "report",
    "version",
    "artifact",
    "route",
    "plugin",
    "index",
    "record",
    "entry",
    "token",
    "settings",
    "target",
    "package",
    "feature",
    "locale",
)
VERBS: tuple[str, ...] = (
    "load",
    "build",
    "render",
    "parse",
    "resolve",
    "publish",
    "collect",
    "apply",
    "generate",
    "merge",
    "upload",
    "sync",
    "compute",
    "prepare",
    "emit",
    "read",
    "write",
    "normalize",
)
RUNNER_HOSTS: tuple[str, ...] = (
    "gha-runner-",
    "ci-linux-",
    "build-agent-",
    "runner-x64-",
    "sh-runner-",
    "k8s-runner-",
)
SERVICE_IMAGES: tuple[str, ...] = (
    "postgres:16",
    "postgres:15-alpine",
    "mysql:8.0",
    "redis:7",
    "mongo:7",
    "rabbitmq:3-management",
    "elasticsearch:8.12.2",
    "mariadb:11",
    "localstack/localstack:3",
    "minio/minio:latest",
)
PY_PACKAGES: tuple[str, ...] = (
    "requests",
    "pydantic",
    "numpy",
    "click",
    "rich",
    "attrs",
    "urllib3",
    "idna",
    "jinja2",
    "pyyaml",
    "sqlalchemy",
    "httpx",
    "packaging",
    "certifi",
    "charset-normalizer",
)
NODE_PACKAGES: tuple[str, ...] = (
    "react",
    "lodash",
    "typescript",
    "vite",
    "esbuild",
    "zod",
    "express",
    "dayjs",
    "axios",
    "@types/node",
    "eslint",
    "rollup",
    "chalk",
    "commander",
)
CRATES: tuple[str, ...] = (
    "serde",
    "tokio",
    "syn",
    "quote",
    "proc-macro2",
    "anyhow",
    "clap",
    "regex",
    "libc",
    "rand",
    "bytes",
    "futures-util",
    "tracing",
    "hashbrown",
)
GO_MODULES: tuple[str, ...] = (
    "github.com/spf13/cobra",
    "golang.org/x/sys",
    "github.com/stretchr/testify",
    "google.golang.org/grpc",
    "github.com/google/uuid",
    "go.uber.org/zap",
    "golang.org/x/net",
    "github.com/prometheus/client_golang",
)
GEMS: tuple[str, ...] = (
    "rake",
    "rspec-core",
    "nokogiri",
    "rack",
    "puma",
    "activesupport",
    "json",
    "bundler",
    "zeitwerk",
    "i18n",
    "thor",
    "concurrent-ruby",
)
NUGETS: tuple[str, ...] = (
    "Newtonsoft.Json",
    "Serilog",
    "xunit",
    "Microsoft.Extensions.Logging",
    "Dapper",
    "Polly",
    "FluentAssertions",
    "AutoMapper",
)
JAVA_PKGS: tuple[str, ...] = (
    "com.acme.build",
    "io.northwind.codegen",
    "org.fjordsoft.tools",
    "dev.kestrel.release",
    "com.tidepool.migrate",
    "net.quarkio.gen",
)


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One element of ``items`` (a thin alias that reads better in templates)."""
    return items[rng.randrange(len(items))]


def hexstr(rng: random.Random, n: int) -> str:
    """``n`` random lowercase hex digits."""
    return "".join(pick(rng, "0123456789abcdef") for _ in range(n))


def semver(rng: random.Random) -> str:
    return f"{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}"


def repo(rng: random.Random) -> str:
    return pick(rng, REPOS)


def org_repo(rng: random.Random) -> str:
    return f"{pick(rng, ORGS)}/{repo(rng)}"


def workdir(rng: random.Random, name: str | None = None) -> str:
    """The checkout directory of a GitHub-hosted runner for repository ``name``."""
    name = name or repo(rng)
    return f"/home/runner/work/{name}/{name}"


def ident(rng: random.Random) -> str:
    """A snake_case function name such as ``load_manifest``."""
    return f"{pick(rng, VERBS)}_{pick(rng, NOUNS)}"


def camel(rng: random.Random) -> str:
    """A CamelCase name such as ``ReleaseBuilder``."""
    return pick(rng, NOUNS).capitalize() + pick(
        rng, ("Builder", "Loader", "Service", "Generator", "Resolver", "Writer", "Registry")
    )


def runner_name(rng: random.Random) -> str:
    return f"{pick(rng, RUNNER_HOSTS)}{rng.randint(1, 64):02d}-{hexstr(rng, 5)}"


def seconds(rng: random.Random, low: float = 0.1, high: float = 90.0) -> str:
    return f"{rng.uniform(low, high):.{pick(rng, (1, 2))}f}"


# Ordinary progress output per ecosystem, in the order a tool prints it. A leading "*" marks a
# line the tool repeats (one per package, crate, file...). Placeholders are filled per line,
# except the project ({mod}, {Mod}, {wd}, {org}) which stays the same within one call, and {k},
# a counter (BuildKit step numbers).
_PROGRESS: dict[str, tuple[str, ...]] = {
    "python": (
        "*Collecting {pkg}=={ver}",
        "*  Downloading {pkg}-{ver}-py3-none-any.whl ({n} kB)",
        "*Requirement already satisfied: {pkg} in ./.venv/lib/python3.11/site-packages ({ver})",
        "Installing collected packages: {pkg}, {pkg2}",
        "Successfully installed {pkg}-{ver} {pkg2}-{ver}",
        "running build_py",
        "*copying src/{mod_}/{m}.py -> build/lib/{mod_}",
        "Building wheel for {mod} (pyproject.toml): finished with status 'done'",
        "*INFO: {m}: processed {n} items in {t}s",
    ),
    "node": (
        "added {n} packages, and audited {n} packages in {t}s",
        "found 0 vulnerabilities",
        "> {mod}@{ver} build",
        "> tsc -p tsconfig.json && vite build",
        "vite v5.{m2}.{m3} building for production...",
        "*transforming ({n}) src/{m}.ts",
        "*dist/assets/{m}-{h}.js   {n}.42 kB | gzip: {m3}.10 kB",
    ),
    "java": (
        "[INFO] Scanning for projects...",
        "[INFO] Building {mod} {ver}-SNAPSHOT",
        "[INFO] --- resources:3.3.1:resources (default-resources) @ {mod} ---",
        "[INFO] Copying {n} resources from src/main/resources to target/classes",
        "*> Task :{mod}:{task} UP-TO-DATE",
        "> Task :{mod}:processResources",
        "> Task :{mod}:classes",
    ),
    "go": (
        "*go: downloading {gomod} v{ver}",
        "*ok  \tgithub.com/{org}/{mod}/internal/{m}\t{t}s",
        "*?   \tgithub.com/{org}/{mod}/cmd/{m}\t[no test files]",
        "go build -o bin/{mod} ./cmd/{mod}",
    ),
    "rust": (
        "    Updating crates.io index",
        "*  Downloaded {crate} v{ver}",
        "*   Compiling {crate} v{ver}",
        "   Compiling {mod} v{ver} ({wd})",
        "    Finished `release` profile [optimized] target(s) in {t}s",
    ),
    "cpp": (
        "-- The CXX compiler identification is GNU 13.2.0",
        "-- Detecting CXX compile features - done",
        "-- Configuring done ({t}s)",
        "-- Generating done (0.0s)",
        "-- Build files have been written to: {wd}/build",
        "*[{pct}%] Building CXX object src/CMakeFiles/{mod_}.dir/{m}.cpp.o",
        "[{pct}%] Linking CXX static library lib{mod_}.a",
    ),
    "dotnet": (
        "  Determining projects to restore...",
        "*  Restored {wd}/src/{Mod}.{M}/{Mod}.{M}.csproj (in {t} sec).",
        "*  {Mod}.{M} -> {wd}/src/{Mod}.{M}/bin/Release/net8.0/{Mod}.{M}.dll",
    ),
    "ruby": (
        "Fetching gem metadata from https://rubygems.org/.........",
        "Resolving dependencies...",
        "*Using {gem} {ver}",
        "*Fetching {gem} {ver}",
        "*Installing {gem} {ver}",
        "Bundle complete! {n2} Gemfile dependencies, {n} gems now installed.",
    ),
    "docker": (
        "#{k} [internal] load build definition from Dockerfile",
        "#{k} transferring dockerfile: {n}B done",
        "#{k} [internal] load metadata for docker.io/library/{base}",
        "#{k} [1/9] FROM docker.io/library/{base}@sha256:{sha}",
        "#{k} [2/9] WORKDIR /app",
        "#{k} CACHED",
        "#{k} [3/9] RUN apt-get update && apt-get install -y --no-install-recommends curl",
        "#{k} DONE {t}s",
    ),
}
_BASES = (
    "python:3.12-slim",
    "node:20-bookworm",
    "golang:1.22",
    "debian:bookworm-slim",
    "alpine:3.20",
)
_TASKS = ("compileJava", "compileKotlin", "processResources", "jar", "compileTestJava")


def _fill(rng: random.Random, template: str, eco: str, fixed: dict[str, str], k: int) -> str:
    values = {
        **fixed,
        "pct": f"{min(99, k * 4):3d}",
        "pkg": pick(rng, PY_PACKAGES if eco == "python" else NODE_PACKAGES),
        "pkg2": pick(rng, PY_PACKAGES),
        "ver": semver(rng),
        "n": str(rng.randint(12, 980)),
        "n2": str(rng.randint(2, 99)),
        "m": pick(rng, NOUNS),
        "M": pick(rng, NOUNS).capitalize(),
        "m2": str(rng.randint(0, 4)),
        "m3": str(rng.randint(1, 9)),
        "t": seconds(rng, 0.2, 60.0),
        "h": hexstr(rng, 8),
        "sha": hexstr(rng, 64),
        "gomod": pick(rng, GO_MODULES),
        "crate": pick(rng, CRATES),
        "gem": pick(rng, GEMS),
        "task": pick(rng, _TASKS),
        "k": str(k),
    }
    return template.format(**values)


def progress(rng: random.Random, eco: str, low: int = 2, high: int = 8) -> list[str]:
    """Between ``low`` and ``high`` lines of healthy output a tool of ``eco`` might print.

    The lines are a contiguous stretch of one plausible run of the tool, about one project.
    """
    count = rng.randint(low, high)
    if count == 0:
        return []
    templates = _PROGRESS.get(eco, _PROGRESS["python"])
    mod = repo(rng)
    fixed = {
        "mod": mod,
        "mod_": mod.replace("-", "_"),
        "Mod": mod.replace("-", " ").title().replace(" ", ""),
        "wd": workdir(rng, mod),
        "org": pick(rng, ORGS),
        "base": pick(rng, _BASES),
    }
    sequence: list[str] = []
    while len(sequence) < count:
        for template in templates:
            if template.startswith("*"):
                sequence += [template[1:]] * rng.randint(1, 5)
            elif rng.random() < 0.85:
                sequence.append(template)
    start = rng.randint(0, len(sequence) - count)
    first_step = rng.randint(1, 12)
    return [
        _fill(rng, template, eco, fixed, first_step + i // 2)
        for i, template in enumerate(sequence[start : start + count])
    ]


_SETUP_ACTIONS: dict[str, tuple[str, str, str]] = {
    # ecosystem: (action, version input name, version value)
    "python": ("actions/setup-python", "python-version", "3.12"),
    "node": ("actions/setup-node", "node-version", "20"),
    "java": ("actions/setup-java", "java-version", "21"),
    "go": ("actions/setup-go", "go-version", "1.22"),
    "rust": ("dtolnay/rust-toolchain", "toolchain", "stable"),
    "cpp": ("lukka/get-cmake", "cmakeVersion", "3.28.3"),
    "dotnet": ("actions/setup-dotnet", "dotnet-version", "8.0.x"),
    "ruby": ("ruby/setup-ruby", "ruby-version", "3.3"),
    "docker": ("docker/setup-buildx-action", "version", "latest"),
}


def setup_action(eco: str) -> tuple[str, str, str]:
    """``(action, version input, a plausible version)`` used to set up ``eco``'s toolchain."""
    return _SETUP_ACTIONS.get(eco, _SETUP_ACTIONS["python"])


_BUILD_COMMANDS: dict[str, tuple[str, ...]] = {
    "python": ("python -m build", "tox -e py311", "make ci", "python scripts/ci.py"),
    "node": ("npm run build", "pnpm run ci", "yarn build", "npm run release"),
    "java": ("./gradlew build", "mvn -B verify", "./mvnw -B package", "./gradlew assemble"),
    "go": ("make build", "go run ./tools/gen", "./scripts/ci.sh", "go build ./..."),
    "rust": ("cargo xtask ci", "cargo build --release", "make release", "./ci/run.sh"),
    "cpp": ("cmake --build build -j2", "make -j2", "./ci/build.sh", "ninja -C build"),
    "dotnet": ("dotnet build -c Release", "dotnet publish -c Release", "./build.sh", "dotnet pack"),
    "ruby": ("bundle exec rake build", "bin/ci", "bundle exec rake release", "make ci"),
    "docker": ("docker build -t app:ci .", "docker compose build", "make image", "./docker/build"),
}


def build_command(rng: random.Random, eco: str) -> str:
    """A command that builds a project of ``eco``."""
    return pick(rng, _BUILD_COMMANDS.get(eco, _BUILD_COMMANDS["python"]))


def step_name(rng: random.Random, *choices: str) -> str:
    """A step display name from ``choices`` (or a generic build step name)."""
    return pick(rng, choices or ("Build", "Run build", "CI", "Build and package"))
