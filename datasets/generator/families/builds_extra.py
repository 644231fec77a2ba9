"""More ``dependency_install`` and ``missing_file`` families: other package managers and build
systems.

Resolution failures of package managers not covered elsewhere (dnf/yum, CocoaPods, Bun, Go's
``go.sum``, pnpm) are ``dependency_install``. A build system that cannot find an input it was
told about (Ninja, CMake's source list, a jar to run, a bundler's entry file, a tar or zip
input) is ``missing_file``, even when the line reads like a compiler's.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import NOUNS, camel, ident, pick, repo, semver, workdir

_DEP = "dependency_install"
_FILE = "missing_file"


def _dnf_no_match(rng: random.Random, eco: str) -> Failure:
    pkgs = rng.sample(
        (
            "libpq-devel",
            "openssl3-devel",
            "protobuf-compiler",
            "libxml2-devel",
            "python3.12-devel",
            "cmake3",
            "libffi-devel",
            "gcc-toolset-13",
        ),
        2,
    )
    tool = pick(rng, ("dnf", "yum", "microdnf"))
    lines = [
        f"Last metadata expiration check: 0:0{rng.randint(1, 9)}:{rng.randint(10, 59)} ago.",
        f"No match for argument: {pkgs[0]}",
        "Error: Unable to find a match: " + " ".join(pkgs[:1]),
    ]
    if rng.random() < 0.5:
        lines.insert(2, f"No match for argument: {pkgs[1]}")
        lines[-1] = "Error: Unable to find a match: " + " ".join(pkgs)
    return Failure(
        _DEP,
        lines,
        pick(rng, ("Install system packages", "Prepare image")),
        f"{tool} install -y " + " ".join(pkgs),
    )


def _cocoapods(rng: random.Random, eco: str) -> Failure:
    pod = pick(rng, ("Firebase/Analytics", "Alamofire", "GoogleSignIn", "Sentry", "SnapKit"))
    want, have = semver(rng), semver(rng)
    lines = [
        "Analyzing dependencies",
        '[!] CocoaPods could not find compatible versions for pod "' + pod + '":',
        "  In Podfile:",
        f"    {pod} (~> {want})",
        "",
        f"None of your spec sources contain a spec satisfying the dependency: `{pod} (~> {want})`.",
        "",
        "You have either:",
        " * out-of-date source repos which you can update with `pod repo update` or with "
        "`pod install --repo-update`.",
        f" * mistyped the name or version (latest is {have}).",
    ]
    return Failure(_DEP, lines, pick(rng, ("Pods", "Install pods")), "pod install")


def _bun_resolve(rng: random.Random, eco: str) -> Failure:
    pkg = pick(rng, ("@acme/ui", "left-pad-ng", "zod", "@internal/config", "vite-plugin-x"))
    lines = [
        f"bun install v1.{rng.randint(0, 2)}.{rng.randint(0, 30)} ({''.join(pick(rng, 'abcdef0123456789') for _ in range(8))})",
        f'error: No version matching "^{semver(rng)}" found for specifier "{pkg}"',
        f"error: {pkg}@^{semver(rng)} failed to resolve",
    ]
    return Failure(
        _DEP, lines, pick(rng, ("Install", "bun install")), "bun install --frozen-lockfile"
    )


def _go_sum_missing(rng: random.Random, eco: str) -> Failure:
    mods = [f"github.com/{repo(rng)}/{pick(rng, NOUNS)}" for _ in range(rng.randint(1, 3))]
    own = f"github.com/{repo(rng)}/{repo(rng)}"
    lines = []
    for mod in mods:
        pkg = f"{own}/internal/{pick(rng, NOUNS)}"
        lines += [
            f"{pkg[len(own) + 1 :]}/{ident(rng)}.go:{rng.randint(3, 20)}:2: missing go.sum entry "
            f"for module providing package {mod} (imported by {pkg}); to add:",
            f"\tgo get {pkg}",
        ]
    return Failure(
        _DEP, lines, pick(rng, ("Build", "Vet")), pick(rng, ("go build ./...", "go vet ./..."))
    )


def _pnpm_no_matching(rng: random.Random, eco: str) -> Failure:
    pkg = pick(rng, ("@types/node", "eslint-config-acme", "@acme/tokens", "undici", "pino"))
    lines = [
        "Lockfile is up to date, resolution step is skipped",
        f" ERR_PNPM_NO_MATCHING_VERSION  No matching version found for {pkg}@{semver(rng)}",
        "",
        f"This error happened while installing a direct dependency of {workdir(rng)}",
        "",
        f'The latest release of {pkg} is "{semver(rng)}".',
    ]
    return Failure(_DEP, lines, pick(rng, ("Install dependencies", "pnpm install")), "pnpm install")


def _ninja_missing_input(rng: random.Random, eco: str) -> Failure:
    src = f"src/{pick(rng, NOUNS)}/{ident(rng)}.{pick(rng, ('c', 'cc', 'cpp', 'h'))}"
    lines = [
        "ninja: Entering directory `build'",
        f"ninja: error: '../{src}', needed by "
        f"'CMakeFiles/{repo(rng)}.dir/{src}.o', missing and no known rule to make it",
    ]
    return Failure(_FILE, lines, pick(rng, ("Build", "Compile")), "ninja -C build")


def _cmake_source_missing(rng: random.Random, eco: str) -> Failure:
    target = repo(rng).replace("-", "_")
    src = f"src/{pick(rng, NOUNS)}/{ident(rng)}.cpp"
    line = rng.randint(5, 90)
    lines = [
        f"-- The CXX compiler identification is GNU 13.{rng.randint(1, 3)}.0",
        "-- Configuring done (0.4s)",
        f"CMake Error at CMakeLists.txt:{line} (add_{pick(rng, ('executable', 'library'))}):",
        "  Cannot find source file:",
        "",
        f"    {src}",
        "",
        "",
        f"CMake Error at CMakeLists.txt:{line} (add_executable):",
        f"  No SOURCES given to target: {target}",
        "",
        "-- Generating done (0.0s)",
        "CMake Generate step failed.  Build files cannot be regenerated correctly.",
    ]
    return Failure(_FILE, lines, pick(rng, ("Configure", "CMake configure")), "cmake -S . -B build")


def _jarfile_missing(rng: random.Random, eco: str) -> Failure:
    jar = f"build/libs/{repo(rng)}-{semver(rng)}{pick(rng, ('', '-all', '-SNAPSHOT'))}.jar"
    lines = [
        pick(rng, (f"Starting {camel(rng)} smoke test", f"+ java -jar {jar} --version")),
        f"Error: Unable to access jarfile {jar}",
    ]
    return Failure(
        _FILE, lines, pick(rng, ("Smoke test", "Run app", "Start service")), f"java -jar {jar}"
    )


def _bundler_entry_missing(rng: random.Random, eco: str) -> Failure:
    entry = pick(rng, ("src/main.ts", "src/index.tsx", "index.html", "src/app/main.js"))
    tool = pick(rng, ("vite", "rollup", "parcel"))
    if tool == "vite":
        lines = [
            f"vite v5.{rng.randint(0, 4)}.{rng.randint(0, 9)} building for production...",
            "error during build:",
            f'Could not resolve entry module "{entry}".',
        ]
    elif tool == "rollup":
        lines = [
            f'[!] RollupError: Could not resolve entry module "{entry}".',
            "Error: Could not resolve entry module.",
        ]
    else:
        lines = [
            "🚨 Build failed.",
            "",
            f"@parcel/core: Entry {workdir(rng)}/{entry} does not exist",
        ]
    return Failure(_FILE, lines, pick(rng, ("Build", "Bundle")), f"npx {tool} build")


def _archive_input_missing(rng: random.Random, eco: str) -> Failure:
    path = pick(rng, ("dist", "build/out", "target/release", "public", "site"))
    name = f"{repo(rng)}-{semver(rng)}"
    if rng.random() < 0.5:
        lines = [
            f"tar: {path}/{name}: Cannot stat: No such file or directory",
            "tar: Exiting with failure status due to previous errors",
        ]
        cmd = f"tar -czf {name}.tar.gz -C {path} {name}"
    else:
        lines = [
            f"\tzip warning: name not matched: {path}/{name}",
            "",
            "zip error: Nothing to do! (" + f"{name}.zip)",
        ]
        cmd = f"zip -r {name}.zip {path}/{name}"
    return Failure(
        _FILE, lines, pick(rng, ("Package", "Archive release")), cmd, pick(rng, (1, 2, 12))
    )


_ALL = ("python", "node", "java", "go", "rust", "cpp", "dotnet", "ruby", "docker")

FAMILIES: list[Family] = [
    Family(f"{_DEP}/dnf-no-match", _DEP, ("docker", "cpp", "python"), _dnf_no_match),
    Family(f"{_DEP}/cocoapods-incompatible", _DEP, ("cpp",), _cocoapods),
    Family(f"{_DEP}/bun-resolve", _DEP, ("node",), _bun_resolve),
    Family(f"{_DEP}/go-sum-missing", _DEP, ("go",), _go_sum_missing),
    Family(f"{_DEP}/pnpm-no-matching-version", _DEP, ("node",), _pnpm_no_matching),
    Family(f"{_FILE}/ninja-missing-input", _FILE, ("cpp",), _ninja_missing_input),
    Family(f"{_FILE}/cmake-source-missing", _FILE, ("cpp",), _cmake_source_missing),
    Family(f"{_FILE}/jarfile-missing", _FILE, ("java",), _jarfile_missing),
    Family(f"{_FILE}/bundler-entry-missing", _FILE, ("node",), _bundler_entry_missing),
    Family(f"{_FILE}/archive-input-missing", _FILE, _ALL, _archive_input_missing),
]
