"""More families of ``dependency_install``: other package managers and other wordings.

Same decisions as ``dependency_install``: the label is the install or resolution that fails, also
when a wrapper (tox, pre-commit, nox, docker build) re-reports it. Languages without their own
runner set-up in ``ECOSYSTEMS`` are mapped onto the closest one: PHP, Elixir and Haskell onto
``docker`` (their CI jobs mostly build in the language's official image), Swift onto ``cpp`` (a
native toolchain on a macOS runner), Dart/Flutter and Scala onto ``java`` (Flutter's Android build
and sbt both need setup-java)."""

from __future__ import annotations

import random

from datasets.generator._types import ECOSYSTEMS, Failure, Family
from datasets.generator.families import _common_a as c
from datasets.generator.families import _common_a2 as c2

LABEL = "dependency_install"


def composer_unsatisfiable(rng: random.Random, eco: str) -> Failure:
    """PHP Composer cannot find an installable set, or the lock file is out of sync (PHP → docker)."""
    pkg, other = rng.sample(c2.PHP_PACKAGES, 2)
    want = f"^{rng.randint(8, 12)}.{rng.randint(0, 4)}"
    have = ", ".join(c.versions_below(rng, rng.randint(2, 6)))
    php = f"8.{rng.randint(0, 1)}.{rng.randint(1, 20)}"
    problem = c.pick(
        rng,
        (
            f"    - Root composer.json requires {pkg} {want}, found {pkg}[{have}] but it does not "
            "match the constraint.",
            f"    - Root composer.json requires {pkg} {want} -> satisfiable by {pkg}[v{want[1:]}.0]."
            f"\n    - {pkg} v{want[1:]}.0 requires php ^8.{rng.randint(2, 4)} -> your php version "
            f"({php}) does not satisfy that requirement.",
            f"    - {other} v{c.version(rng)} requires {pkg} <{rng.randint(3, 7)}.0 -> found "
            f"{pkg}[{have}] but these were not loaded, likely because it conflicts with another "
            "require.",
        ),
    )
    if rng.random() < 0.35:
        lines = [
            "Installing dependencies from lock file (including require-dev)",
            "Verifying lock file contents can be installed on current platform.",
            "Warning: The lock file is not up to date with the latest changes in composer.json. "
            "You may be getting outdated dependencies. It is recommended that you run "
            "`composer update` or `composer update <package name>`.",
            "Your lock file does not contain a compatible set of packages. Please run composer "
            "update.",
            "",
            "  Problem 1",
            *problem.splitlines(),
        ]
    else:
        lines = [
            "Loading composer repositories with package information",
            "Updating dependencies",
            "Your requirements could not be resolved to an installable set of packages.",
            "",
            "  Problem 1",
            *problem.splitlines(),
        ]
        if rng.random() < 0.5:
            lines += [
                "",
                "Use the option --with-all-dependencies (-W) to allow upgrades, downgrades and "
                "removals for packages currently locked to specific versions.",
            ]
    cmd = c.pick(
        rng, ("composer install --prefer-dist --no-progress", "composer update", "composer install")
    )
    code = 2
    return c2.finish_mapped(
        rng, eco, LABEL, lines, "Install Composer dependencies", cmd, stack="php", code=code
    )


def mix_deps(rng: random.Random, eco: str) -> Failure:
    """Elixir's mix and Hex fail to resolve or fetch dependencies (Elixir → docker)."""
    dep, other = rng.sample(c2.HEX_PACKAGES, 2)
    kind = c.pick(rng, ("resolution", "unchecked", "lock"))
    if kind == "resolution":
        lines = [
            "Resolving Hex dependencies...",
            f"Resolution completed in {rng.uniform(0.05, 2):.3f}s",
            "Because every version of "
            f'"{other}" depends on "{dep} ~> {rng.randint(1, 3)}.{rng.randint(0, 9)}" and "mix.exs" '
            f'specifies "{dep} ~> 0.{rng.randint(1, 20)}", "{other}" is forbidden.',
            f'So, because "mix.exs" depends on "{other} ~> {c.version(rng, 2)}", version '
            "solving failed.",
            "** (Mix) Hex dependency resolution failed",
        ]
        cmd = "mix deps.get"
    elif kind == "unchecked":
        lines = [f"Unchecked dependencies for environment {c.pick(rng, ('test', 'dev', 'prod'))}:"]
        for name in rng.sample(c2.HEX_PACKAGES, rng.randint(1, 3)):
            lines += [
                f"* {name} (Hex package)",
                c.pick(
                    rng,
                    (
                        '  the dependency is not available, run "mix deps.get"',
                        f'  the dependency does not match the requirement "~> {c.version(rng, 3)}", '
                        f'got "{c.version(rng, 3)}"',
                        "  lock mismatch: the dependency is out of date. To fetch locked version run "
                        '"mix deps.get"',
                    ),
                ),
            ]
        lines.append("** (Mix) Can't continue due to errors on dependencies")
        cmd = c.pick(rng, ("mix test", "mix compile --warnings-as-errors"))
    else:
        ghost = f"{dep}_{c.pick(rng, ('ex', 'core', 'client'))}"
        lines = [
            "Resolving Hex dependencies...",
            f"** (Mix) No package with name {ghost} (from: mix.exs) in registry"
            if rng.random() < 0.5
            else f"** (Mix) Unknown package {ghost} in lockfile",
        ]
        cmd = "mix deps.get --only test"
    return c2.finish_mapped(rng, eco, LABEL, lines, "Install dependencies", cmd, stack="elixir")


def swiftpm_resolve(rng: random.Random, eco: str) -> Failure:
    """SwiftPM or xcodebuild cannot resolve package dependencies (Swift → cpp, macOS runner)."""
    pkg, other = rng.sample(c2.SWIFT_PACKAGES, 2)
    lo, hi = rng.randint(1, 4), rng.randint(5, 9)
    why = (
        f"Dependencies could not be resolved because root depends on '{pkg.lower()}' "
        f"{lo}.{rng.randint(0, 9)}.0..<{lo + 1}.0.0 and root depends on '{other.lower()}' "
        f"{c.version(rng, 3)}..<{hi}.0.0.\n'{other.lower()}' >= {lo}.0.0 practically depends on "
        f"'{pkg.lower()}' {hi}.0.0..<{hi + 1}.0.0."
    )
    if rng.random() < 0.3:
        why = (
            f"Dependencies could not be resolved because no versions of '{pkg.lower()}' match the "
            f"requirement {hi}.{rng.randint(0, 9)}.0..<{hi + 1}.0.0 and root depends on "
            f"'{pkg.lower()}' {hi}.{rng.randint(0, 9)}.0..<{hi + 1}.0.0."
        )
    if rng.random() < 0.5:
        lines = [
            f"Fetching https://github.com/{c.pick(rng, ('apple', 'vapor', 'pointfreeco'))}/{pkg}.git",
            f"Fetched https://github.com/apple/{other}.git from cache ({rng.uniform(0.2, 4):.2f}s)",
            *[f"error: {ln}" if i == 0 else ln for i, ln in enumerate(why.splitlines())],
        ]
        cmd = c.pick(rng, ("swift build -c release", "swift package resolve", "swift test"))
    else:
        scheme = c.pascal(rng, 1)
        lines = [
            "Command line invocation:",
            f"    /Applications/Xcode_15.{rng.randint(0, 4)}.app/Contents/Developer/usr/bin/xcodebuild "
            f"-scheme {scheme} -destination platform=iOS\\ Simulator,name=iPhone\\ 15 build",
            "",
            "Resolve Package Graph",
            "xcodebuild: error: Could not resolve package dependencies:",
            *[f"  {ln}" for ln in why.splitlines()],
        ]
        cmd = f"xcodebuild -scheme {scheme} build"
    return Failure(LABEL, lines, "Resolve packages", cmd)


def dart_pub_solve(rng: random.Random, eco: str) -> Failure:
    """``dart pub get`` / ``flutter pub get`` version solving fails (Flutter → java)."""
    app, (a, b) = c.pick(rng, c.PROJECTS).replace("-", "_"), rng.sample(c2.DART_PACKAGES, 2)
    major = rng.randint(1, 6)
    lines = ["Resolving dependencies..."]
    cause = c.pick(rng, ("conflict", "sdk", "missing"))
    if cause == "conflict":
        lines += [
            f"Because {a} >={major}.0.0 depends on {b} ^{major + 1}.0.0 and {app} depends on "
            f"{b} ^{major}.{rng.randint(0, 9)}.0, {a} >={major}.0.0 is forbidden.",
            f"So, because {app} depends on {a} ^{major}.{rng.randint(0, 9)}.0, version solving "
            "failed.",
        ]
    elif cause == "sdk":
        lines += [
            f"The current Dart SDK version is 3.{rng.randint(0, 3)}.{rng.randint(0, 5)}.",
            "",
            f"Because {app} depends on {a} >={major}.0.0 which requires SDK version "
            f">=3.{rng.randint(4, 7)}.0 <4.0.0, version solving failed.",
        ]
    else:
        ghost = f"{a}_{c.pick(rng, c.WORDS)}"
        lines += [
            f"Because {app} depends on {ghost} any which doesn't exist (could "
            f"not find package {ghost} at https://pub.dev), version solving "
            "failed.",
        ]
    flutter = rng.random() < 0.6
    if flutter and rng.random() < 0.5:
        lines += [
            "",
            "pub get failed",
            f'command: "/opt/hostedtoolcache/flutter/stable-3.{rng.randint(10, 24)}.0-x64/bin/cache/dart-sdk/bin/dart __deprecated_pub --color --directory . get --example"',
            'pub env: {"FLUTTER_ROOT": "/opt/hostedtoolcache/flutter", "PUB_ENVIRONMENT": "flutter_cli:get"}',
            "exit code: 1",
        ]
    cmd = "flutter pub get" if flutter else "dart pub get"
    return Failure(LABEL, lines, c.pick(rng, ("Install dependencies", "flutter pub get")), cmd, 1)


def sbt_unresolved(rng: random.Random, eco: str) -> Failure:
    """sbt / coursier cannot resolve a library for the Scala version (Scala → java)."""
    (org, art), scala = c.pick(rng, c2.SCALA_LIBS), c.pick(rng, ("2.13", "3", "2.12"))
    ver = f"{rng.randint(1, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    coord = f"{org}:{art}_{scala}:{ver}"
    path = f"{org.replace('.', '/')}/{art}_{scala}/{ver}/{art}_{scala}-{ver}.pom"
    lines = [
        f"[info] welcome to sbt 1.{rng.randint(8, 10)}.{rng.randint(0, 9)} (Eclipse Adoptium Java 17)",
        f"[info] loading settings for project {c.pick(rng, c.PROJECTS)}-build from plugins.sbt ...",
        f"[info] loading project definition from {c.workdir(rng)}/project",
        f"[info] Updating {c.pick(rng, c.WORDS)}",
    ]
    if rng.random() < 0.5:
        lines += [
            f"[error] sbt.librarymanagement.ResolveException: Error downloading {coord}",
            "[error]   Not found",
            "[error]   Not found",
            f"[error]   not found: /home/runner/.ivy2/local/{org}/{art}_{scala}/{ver}/ivys/ivy.xml",
            f"[error]   not found: https://repo1.maven.org/maven2/{path}",
        ]
    else:
        lines += [
            f"[error] (update) sbt.librarymanagement.ResolveException: Error downloading {coord}",
            f"[error]   not found: https://repo1.maven.org/maven2/{path}",
            f"[error]   not found: https://oss.sonatype.org/content/repositories/releases/{path}",
        ]
    lines += [
        f"[error] Total time: {rng.randint(3, 90)} s, completed "
        f"{c.pick(rng, ('Mar', 'Jun', 'Oct'))} {rng.randint(1, 28)}, 2026, {rng.randint(1, 12)}:"
        f"{rng.randint(10, 59)}:{rng.randint(10, 59)} PM"
    ]
    cmd = c.pick(rng, ("sbt -v +test", "sbt compile", "sbt update"))
    return c.finish(rng, eco, LABEL, lines, "Build and test", cmd, stack="java")


def haskell_build_plan(rng: random.Random, eco: str) -> Failure:
    """cabal's solver or Stack's build plan fails (Haskell → docker, the GHC image)."""
    app, (dep, other) = c.pick(rng, c.PROJECTS), rng.sample(c2.HACKAGE_PACKAGES, 2)
    v1 = f"{rng.randint(1, 2)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.0"
    if rng.random() < 0.5:
        lines = [
            "Resolving dependencies...",
            "Error: cabal: Could not resolve dependencies:",
            f"[__0] trying: {app}-0.1.0.0 (user goal)",
            f"[__1] next goal: {dep} (dependency of {app})",
            f"[__1] rejecting: {dep}-{v1} (conflict: {app} => {dep}>={rng.randint(3, 5)}.0)",
            f"[__1] skipping: {dep}-{c.version(rng, 2)}.0 (has the same characteristics that "
            "caused the previous version to fail: excluded by constraint)",
            f"[__1] fail (backjumping, conflict set: {app}, {dep})",
            "After searching the rest of the dependency tree exhaustively, these were the goals "
            f"I've had most trouble fulfilling: {dep}, {app}",
        ]
        cmd = c.pick(
            rng, ("cabal build all", "cabal test --enable-tests", "cabal build --only-dependencies")
        )
    else:
        lines = [
            "Error: [S-4804]",
            "       Stack failed to construct a build plan.",
            "",
            "       While constructing the build plan, Stack encountered the following errors:",
            "",
            f"       In the dependencies for {app}-0.1.0:",
            f"         * {dep} must match >={rng.randint(3, 5)}.0, but {dep}-{v1} is in the "
            f"Stack configuration (latest matching version is {rng.randint(3, 5)}.{rng.randint(0, 9)}.0.0).",
            f"         * {other} must match <{rng.randint(1, 2)}.0, but the Stack configuration "
            "has no specified version.",
            f"       The above is/are needed since {app} is a build target.",
        ]
        cmd = "stack build --test --no-run-tests"
    return c2.finish_mapped(rng, eco, LABEL, lines, "Build dependencies", cmd, stack="haskell")


def infra_dependencies(rng: random.Random, eco: str) -> Failure:
    """``terraform init`` cannot select providers, or Helm's chart dependencies are missing."""
    tool = c.pick(rng, ("tf-constraint", "tf-lock", "helm-repo", "helm-missing"))
    prov = c.pick(rng, c2.TF_PROVIDERS)
    chart, repo = c.pick(rng, c2.HELM_CHARTS)
    if tool == "tf-constraint":
        major = rng.randint(3, 6)
        lines = [
            "Initializing the backend...",
            "Initializing provider plugins...",
            f'- Finding {prov} versions matching "~> {major}.0, >= {major + 1}.2.0"...',
            "╷",
            "│ Error: Failed to query available provider packages",
            "│ ",
            f"│ Could not retrieve the list of available versions for provider {prov}: no "
            f"available releases match the given constraints ~> {major}.0, >= {major + 1}.2.0",
            "╵",
        ]
        cmd = "terraform init -input=false"
    elif tool == "tf-lock":
        lines = [
            "Initializing provider plugins...",
            f"- Reusing previous version of {prov} from the dependency lock file",
            "╷",
            "│ Error: Inconsistent dependency lock file",
            "│ ",
            "│ The following dependency selections recorded in the lock file are inconsistent "
            "with the current configuration:",
            f"│   - provider registry.terraform.io/{prov}: locked version selection "
            f"{c.version(rng, 5)} doesn't match the updated version constraints \"~> "
            f'{rng.randint(5, 7)}.0"',
            "│ ",
            "│ To update the locked dependency selections to match a changed configuration, run:",
            "│   terraform init -upgrade",
            "╵",
        ]
        cmd = "terraform init -lockfile=readonly"
    elif tool == "helm-repo":
        lines = [
            f"Error: no repository definition for {repo}. Please add the missing repos via "
            "'helm repo add'",
        ]
        lines.insert(0, "Hang tight while we grab the latest from your chart repositories...")
        if rng.random() < 0.6:
            lines.insert(
                1,
                f'...Successfully got an update from the "{c.pick(rng, c.WORDS)}" chart repository',
            )
        cmd = f"helm dependency build charts/{c.pick(rng, c.PROJECTS)}"
    else:
        app = c.pick(rng, c.PROJECTS)
        lines = [
            f"==> Linting charts/{app}",
            f"Error: found in Chart.yaml, but missing in charts/ directory: {chart}",
        ]
        if rng.random() < 0.5:
            lines = [
                f'Release "{app}" does not exist. Installing it now.',
                f"Error: An error occurred while checking for chart dependencies. You may "
                f"need to run `helm dependency build` to fetch missing dependencies: found "
                f"in Chart.yaml, but missing in charts/ directory: {chart}",
            ]
        cmd = f"helm upgrade --install {app} charts/{app} --dry-run"
    step = (
        "Terraform init"
        if tool.startswith("tf")
        else c.pick(rng, ("Helm dependencies", "Deploy (dry run)"))
    )
    return Failure(LABEL, lines, step, cmd, 1, tags=(tool,))


def bazel_external_deps(rng: random.Random, eco: str) -> Failure:
    """Bazel (bzlmod or rules_jvm_external / rules_python) cannot resolve an external module."""
    target = f"//{c.pick(rng, ('app', 'src', 'services'))}/{c.pick(rng, c.WORDS)}:{c.pick(rng, ('server', 'lib', 'cli'))}"
    rule = c.pick(
        rng,
        ("rules_go", "rules_jvm_external", "rules_python", "abseil-cpp", "protobuf", "rules_cc"),
    )
    ver = f"{rng.randint(0, 9)}.{rng.randint(0, 60)}.{rng.randint(0, 9)}"
    kind = c.pick(rng, ("registry", "maven", "pip"))
    lines = [f"INFO: Invocation ID: {rng.getrandbits(128):032x}"[:60]]
    if kind == "registry":
        lines += [
            f"ERROR: Error computing the main repository mapping: in module dependency chain "
            f"<root> -> {rule}@{ver}: module not found in registries: {rule}@{ver}",
        ]
    elif kind == "maven":
        org, art = c.pick(rng, c.MAVEN_ARTIFACTS)
        lines += [
            "ERROR: An error occurred during the fetch of repository 'maven':",
            "Error in fail: Error while fetching artifact with coursier: Resolution error: "
            f"Error downloading {org}:{art}:{c.version(rng)}",
            f"  not found: https://repo1.maven.org/maven2/{org.replace('.', '/')}/{art}/",
        ]
    else:
        pkg = c.pick(rng, c.PY_PACKAGES)
        lines += [
            f"ERROR: {c.workdir(rng)}/{target[2:].split(':')[0]}/BUILD.bazel:{rng.randint(3, 40)}:"
            f"{rng.randint(3, 20)}: no such package '@@rules_python~~pip~pypi//{pkg}': "
            f"The repository '@@rules_python~~pip~pypi' could not be resolved: no matching "
            f"distribution for {pkg}=={c.version(rng)}",
        ]
    lines += [
        f"ERROR: Analysis of target '{target}' failed; build aborted: "
        + c.pick(rng, ("Analysis failed", f"no such package '@{rule}//'")),
        f"INFO: Elapsed time: {rng.uniform(0.5, 40):.3f}s",
        "INFO: 0 processes.",
        "ERROR: Build did NOT complete successfully",
    ]
    cmd = c.pick(
        rng, (f"bazel build {target}", "bazel test //...", f"bazelisk build --config=ci {target}")
    )
    return Failure(
        LABEL, lines, c.pick(rng, ("Build", "Bazel build")), cmd, 1, tags=("bazel", kind)
    )


def pip_hashes_and_python(rng: random.Random, eco: str) -> Failure:
    """pip's hash checking and ``Requires-Python`` refusals (not a missing version)."""
    pkg, ver = c.pick(rng, c.PY_PACKAGES), c.version(rng, 4)
    kind = c.pick(rng, ("hash", "unpinned", "python"))
    if kind == "hash":
        lines = [
            f"Collecting {pkg}=={ver} (from -r requirements.lock (line {rng.randint(2, 300)}))",
            "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you "
            "have updated the package versions, please update the hashes. Otherwise, examine the "
            "package contents carefully; someone may have tampered with them.",
            f"    {pkg}=={ver} from https://files.pythonhosted.org/packages/{rng.getrandbits(16):04x}"
            f"/{pkg}-{ver}-py3-none-any.whl:",
            f"        Expected sha256 {rng.getrandbits(256):064x}",
            f"             Got        {rng.getrandbits(256):064x}",
        ]
    elif kind == "unpinned":
        lines = [
            "ERROR: In --require-hashes mode, all requirements must have their versions pinned "
            "with ==. These do not:",
            f"    {pkg}>={ver} from https://files.pythonhosted.org/packages/"
            f"{rng.getrandbits(16):04x}/{pkg}-{ver}.tar.gz (from -r requirements.txt (line "
            f"{rng.randint(2, 60)}))",
        ]
    else:
        py, need = f"3.{rng.randint(7, 9)}.{rng.randint(1, 18)}", f">=3.{rng.randint(10, 12)}"
        lines = [
            f"Processing ./dist/{c.pick(rng, c.PROJECTS).replace('-', '_')}-{ver}-py3-none-any.whl",
            f"ERROR: Package '{pkg}' requires a different Python: {py} not in '{need}'",
        ]
    cmd = c.pick(
        rng,
        (
            "pip install --require-hashes -r requirements.lock",
            "pip install --no-deps -r requirements.txt",
            "python -m pip install dist/*.whl",
        ),
    )
    return c.finish(rng, eco, LABEL, lines, "Install dependencies", cmd, stack="python")


def conda_solve(rng: random.Random, eco: str) -> Failure:
    """conda / mamba / micromamba cannot solve or find a package in the channels."""
    pkg = c.pick(rng, (*c.PY_PACKAGES[:12], "cudatoolkit", "gdal", "libgdal", "pytorch-cuda"))
    ver = c.version(rng, 12)
    kind = c.pick(rng, ("notfound", "libmamba", "micromamba"))
    if kind == "notfound":
        lines = [
            "Collecting package metadata (repodata.json): done",
            "Solving environment: failed",
            "",
            "PackagesNotFoundError: The following packages are not available from current channels:",
            "",
            f"  - {pkg}=={ver}",
            "",
            "Current channels:",
            "",
            "  - https://conda.anaconda.org/conda-forge/linux-64",
            "  - https://conda.anaconda.org/conda-forge/noarch",
        ]
    elif kind == "libmamba":
        other = c.pick(rng, c.PY_PACKAGES)
        lines = [
            "Channels:",
            " - conda-forge",
            "Platform: linux-64",
            "Collecting package metadata (repodata.json): done",
            "Solving environment: failed",
            "",
            "LibMambaUnsatisfiableError: Encountered problems while solving:",
            f"  - package {pkg}-{ver}-py3{rng.randint(8, 12)}_0 requires python >=3.{rng.randint(12, 13)},<3.14.0a0, but none of the providers can be installed",
            "",
            "Could not solve for environment specs",
            "The following packages are incompatible",
            f"├─ {pkg} =={ver} * is not installable because it requires",
            f"│  └─ python >=3.{rng.randint(12, 13)},<3.14.0a0 *, which conflicts with any installable versions previously reported;",
            f"└─ python =3.{rng.randint(8, 10)} * is requested and can be installed; {other} is fine.",
        ]
    else:
        lines = [
            "error    libmamba Could not solve for environment specs",
            "    The following package could not be installed",
            f"    └─ {pkg} ={ver} * does not exist (perhaps a typo or a missing channel).",
            "critical libmamba Could not solve for environment specs",
        ]
    cmd = c.pick(
        rng,
        (
            "conda env create -f environment.yml",
            "mamba env update -n ci -f environment.yml",
            "micromamba create -y -f environment.yml",
        ),
    )
    return Failure(
        LABEL,
        lines,
        c.pick(rng, ("Set up conda environment", "Create environment")),
        cmd,
        1,
        tags=(kind,),
    )


def vcpkg_windows(rng: random.Random, eco: str) -> Failure:
    """vcpkg manifest mode on a Windows runner: a port version or a port build is missing."""
    wd, formats = c2.win_workdir(rng)
    port = c.pick(
        rng, ("fmt", "spdlog", "boost-asio", "openssl", "zlib", "gtest", "protobuf", "curl")
    )
    ver = c.version(rng, 12)
    triplet = c.pick(rng, ("x64-windows", "x64-windows-static", "arm64-windows"))
    lines = [
        f"Detecting compiler hash for triplet {triplet}...",
        "-- Running vcpkg install",
    ]
    if rng.random() < 0.5:
        lines += [
            f"error: no version database entry for {port} at {ver}",
            f"note: versions database file: C:\\vcpkg\\versions\\{port[0]}-\\{port}.json",
            f"note: while checking {wd}\\vcpkg.json",
            "-- Running vcpkg install - failed",
        ]
    else:
        lines += [
            f"Building {port}:{triplet}@{ver}...",
            f"error: building {port}:{triplet} failed with: BUILD_FAILED",
            "See https://learn.microsoft.com/vcpkg/troubleshoot/build-failures?WT.mc_id=vcpkg_inproduct_cli for more information.",
            f"Elapsed time to handle {port}:{triplet}: {rng.uniform(2, 300):.1f} s",
            "-- Running vcpkg install - failed",
        ]
    lines += [
        f"CMake Error at C:/vcpkg/scripts/buildsystems/vcpkg.cmake:{rng.randint(880, 940)} (message):",
        "  vcpkg install failed.  See logs for more information:",
        f"  {wd}\\build\\vcpkg-manifest-install.log",
        "-- Configuring incomplete, errors occurred!",
    ]
    cmd = "cmake --preset windows-release"
    failure = Failure(LABEL, lines, "Configure", cmd, 1, tags=("vcpkg", "windows"))
    return c2.with_formats(failure, formats)


def wrapped_env_install(rng: random.Random, eco: str) -> Failure:
    """tox, nox or pre-commit re-report a failed environment install, summary last."""
    pkg, ver = c.pick(rng, c.PY_PACKAGES), f"{rng.randint(5, 12)}.{rng.randint(0, 9)}"
    pip_lines = [
        f"ERROR: Could not find a version that satisfies the requirement {pkg}>={ver} (from "
        f"versions: {', '.join(c.versions_below(rng, rng.randint(1, 6)))})",
        f"ERROR: No matching distribution found for {pkg}>={ver}",
    ]
    tool = c.pick(rng, ("tox", "nox", "pre-commit"))
    if tool == "tox":
        env = c.pick(rng, ("py311", "py312", "lint", "type"))
        lines = [
            f"{env}: install_deps> python -I -m pip install -r requirements-dev.txt",
            *pip_lines,
            *c2.tox_tail(rng, env, "python -I -m pip install -r requirements-dev.txt"),
        ]
        cmd = f"tox -e {env}"
    elif tool == "nox":
        session = f"{c.pick(rng, ('tests', 'lint', 'docs'))}-3.{rng.randint(10, 12)}"
        lines = [
            f"nox > Running session {session}",
            f"nox > Creating virtual environment (virtualenv) using python3.{rng.randint(10, 12)} in .nox/{session.replace('-', '-3-')}",
            f"nox > python -m pip install {pkg}>={ver} pytest",
            *pip_lines,
            *c2.nox_tail(rng, session, "python -m pip install"),
        ]
        cmd = f"nox -s {session.split('-')[0]}"
    else:
        hook = c.pick(
            rng, ("psf/black", "pre-commit/mirrors-mypy", "PyCQA/flake8", "asottile/pyupgrade")
        )
        lines = [
            f"[INFO] Initializing environment for https://github.com/{hook}.",
            f"[INFO] Installing environment for https://github.com/{hook}.",
            "[INFO] Once installed this environment will be reused.",
            "[INFO] This may take a few minutes...",
            "An unexpected error has occurred: CalledProcessError: command: "
            f"('/home/runner/.cache/pre-commit/repo{rng.getrandbits(32):08x}/py_env-python3/bin/python', "
            f"'-mpip', 'install', '.', '{pkg}>={ver}')",
            "return code: 1",
            "stdout: (none)",
            "stderr:",
            *[f"    {ln}" for ln in pip_lines],
            "Check the log at /home/runner/.cache/pre-commit/pre-commit.log",
        ]
        cmd = "pre-commit run --all-files --show-diff-on-failure"
    return Failure(LABEL, lines, c.pick(rng, ("Run tox", "Lint", "Test")), cmd, 1, tags=(tool,))


def _family(slug: str, ecosystems: tuple[str, ...], make: c.Maker) -> Family:
    return Family(f"{LABEL}/{slug}", LABEL, ecosystems, make)


FAMILIES: list[Family] = [
    _family("composer-unsatisfiable", ("docker",), composer_unsatisfiable),
    _family("mix-hex-deps", ("docker",), mix_deps),
    _family("swiftpm-resolve", ("cpp",), swiftpm_resolve),
    _family("dart-pub-solve", ("java",), dart_pub_solve),
    _family("sbt-unresolved", ("java",), sbt_unresolved),
    _family("haskell-build-plan", ("docker",), haskell_build_plan),
    _family("infra-dependencies", ECOSYSTEMS, infra_dependencies),
    _family("bazel-external-deps", ("cpp", "java", "go", "python"), bazel_external_deps),
    _family("pip-hashes-and-python", ("python", "docker"), pip_hashes_and_python),
    _family("conda-solve", ("python",), conda_solve),
    _family("vcpkg-windows", ("cpp",), vcpkg_windows),
    _family("wrapped-env-install", ("python",), wrapped_env_install),
]
