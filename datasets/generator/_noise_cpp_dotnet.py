"""Passing-step noise for C/C++ (apt, CMake, make/ninja, ctest) and .NET jobs."""

from __future__ import annotations

from datasets.generator._job import Step
from datasets.generator._noise import Ctx, Ecosystem, scaled_count
from datasets.generator._vocab import camel, hexstr, ident, pick, seconds, version


def _apt_install(ctx: Ctx) -> Step:
    rng = ctx.rng
    pkgs = pick(
        rng,
        (
            "ninja-build",
            "libssl-dev",
            "libboost-all-dev",
            "libfmt-dev",
            "zlib1g-dev",
            "libcurl4-openssl-dev",
            "clang-tidy",
            "lcov",
            "libgtest-dev",
        ),
        rng.randint(2, 6),
    )
    lines = [
        "Reading package lists...",
        "Building dependency tree...",
        "Reading state information...",
        "The following NEW packages will be installed:",
        "  " + " ".join(pkgs),
        f"0 upgraded, {len(pkgs)} newly installed, 0 to remove and {rng.randint(0, 60)} not "
        "upgraded.",
    ]
    for i, p in enumerate(pkgs, 1):
        lines.append(
            f"Get:{i} http://azure.archive.ubuntu.com/ubuntu noble/universe amd64 {p} "
            f"amd64 {version(rng, (1, 3))}-{rng.randint(1, 4)} [{rng.randint(20, 900)} kB]"
        )
    lines.append(
        f"Fetched {rng.randint(200, 9000):,} kB in {rng.randint(1, 5)}s "
        f"({rng.randint(900, 9000):,} kB/s)"
    )
    for p in pkgs:
        lines += [
            f"Selecting previously unselected package {p}.",
            f"Setting up {p} ({version(rng, (1, 3))}) ...",
        ]
    lines.append("Processing triggers for man-db (2.12.0-4build2) ...")
    return Step(
        "Install dependencies",
        "sudo apt-get update\nsudo apt-get install -y " + " ".join(pkgs),
        lines,
        seconds=rng.uniform(5, 60),
    )


def _cmake_build(ctx: Ctx) -> Step:
    rng = ctx.rng
    clang = rng.random() < 0.4
    comp = f"Clang 18.1.{rng.randint(0, 8)}" if clang else f"GNU 13.{rng.randint(1, 3)}.0"
    ninja = rng.random() < 0.5
    lines = [
        f"-- The C compiler identification is {comp}",
        f"-- The CXX compiler identification is {comp}",
        "-- Detecting C compiler ABI info",
        "-- Detecting C compiler ABI info - done",
        "-- Check for working C compiler: /usr/bin/cc - skipped",
        "-- Detecting CXX compiler ABI info",
        "-- Detecting CXX compiler ABI info - done",
        "-- Performing Test CMAKE_HAVE_LIBC_PTHREAD",
        "-- Performing Test CMAKE_HAVE_LIBC_PTHREAD - Success",
        "-- Found Threads: TRUE",
    ]
    if rng.random() < 0.5:
        lines.append("-- Could NOT find Doxygen (missing: DOXYGEN_EXECUTABLE)")
    lines += [
        f"-- Configuring done ({seconds(rng, 0.2, 4)}s)",
        "-- Generating done (0.0s)",
        f"-- Build files have been written to: {ctx.workdir}/build",
    ]
    srcs = [
        f"src/{rng.choice(('error_code', 'errors')) if rng.random() < 0.04 else ident(rng)}.cpp"
        for _ in range(scaled_count(ctx, 6, 60))
    ]
    total = len(srcs) + 2
    for i, src in enumerate(srcs, 1):
        obj = f"src/CMakeFiles/core.dir/{src.split('/')[1]}.o"
        lines.append(
            f"[{i}/{total}] Building CXX object {obj}"
            if ninja
            else f"[{i * 100 // total:3d}%] Building CXX object {obj}"
        )
        if rng.random() < 0.04:
            lines += [
                f"{ctx.workdir}/{src}:{rng.randint(5, 300)}:{rng.randint(3, 30)}: warning: "
                f"unused variable 'rc' [-Wunused-variable]",
                "   int rc = 0;",
                "       ^~",
            ]
    lines.append(
        f"[{total}/{total}] Linking CXX executable {ctx.package}"
        if ninja
        else f"[100%] Linking CXX executable {ctx.package}"
    )
    if not ninja:
        lines.append(f"[100%] Built target {ctx.package}")
    gen = "-G Ninja " if ninja else ""
    cmd = f"cmake -S . -B build {gen}-DCMAKE_BUILD_TYPE=Release\ncmake --build build -j 4"
    return Step("Build", cmd, lines, seconds=rng.uniform(10, 300))


def _ctest(ctx: Ctx) -> Step:
    rng = ctx.rng
    n = scaled_count(ctx, 3, 40)
    lines = [f"Test project {ctx.workdir}/build"]
    for i in range(1, n + 1):
        name = f"{ident(rng)}_test" if rng.random() > 0.1 else "error_paths_test"
        lines.append(f"      Start {i:2d}: {name}")
        lines.append(
            f"{i:2d}/{n} Test #{i:2d}: {name} {'.' * max(3, 40 - len(name))}   Passed    "
            f"{seconds(rng, 0, 5)} sec"
        )
    lines += [
        "",
        f"100% tests passed, 0 tests failed out of {n}",
        "",
        f"Total Test time (real) = {seconds(rng, 0.5, 60)} sec",
    ]
    return Step(
        "Test", "ctest --test-dir build --output-on-failure", lines, seconds=rng.uniform(2, 60)
    )


CPP = Ecosystem(
    image=lambda rng: rng.choice(("gcc:13", "ubuntu:24.04", "silkeh/clang:18")),
    setup=lambda ctx: [],
    stages={"install": [_apt_install], "build": [_cmake_build], "test": [_ctest]},
    env=lambda rng: [("BUILD_TYPE", "Release")] if rng.random() < 0.5 else [],
)


def _dotnet_setup(ctx: Ctx) -> list[Step]:
    rng = ctx.rng
    ver = f"{rng.choice((6, 8, 8, 9))}.0.{rng.randint(100, 420)}"
    lines = [
        "[command]/home/runner/work/_actions/actions/setup-dotnet/v4/externals/install-dotnet.sh "
        "--skip-non-versioned-files --runtime dotnet --channel LTS",
        "dotnet-install: Attempting to download using primary link https://dotnetcli.azureedge.net/"
        f"dotnet/Sdk/{ver}/dotnet-sdk-{ver}-linux-x64.tar.gz",
        f"dotnet-install: Extracting archive from https://dotnetcli.azureedge.net/dotnet/Sdk/{ver}/",
        f"dotnet-install: Installed version is {ver}",
        "dotnet-install: Installation finished successfully.",
    ]
    return [
        Step(
            "Setup .NET",
            "",
            lines,
            kind="action",
            uses="actions/setup-dotnet@v4",
            with_=[("dotnet-version", ver[:3] + ".x"), ("cache", "false")],
            env_after=[("DOTNET_ROOT", "/usr/share/dotnet")],
            seconds=rng.uniform(2, 20),
        )
    ]


def _dotnet_restore(ctx: Ctx) -> Step:
    rng = ctx.rng
    projs = [camel(rng) for _ in range(rng.randint(1, 5))]
    lines = ["  Determining projects to restore..."]
    lines += [
        f"  Restored {ctx.workdir}/src/{p}/{p}.csproj (in {seconds(rng, 0.1, 9)} sec)."
        for p in projs
    ]
    return Step("Restore", "dotnet restore", lines, seconds=rng.uniform(2, 40))


def _dotnet_build(ctx: Ctx) -> Step:
    rng = ctx.rng
    projs = [camel(rng) for _ in range(scaled_count(ctx, 1, 6))]
    lines = [
        f"MSBuild version 17.{rng.randint(8, 12)}.{rng.randint(0, 9)}+{hexstr(rng, 9)} for .NET",
        "  Determining projects to restore...",
        "  All projects are up-to-date for restore.",
    ]
    warns = 0
    for p in projs:
        if rng.random() < 0.3:
            warns += 1
            lines.append(
                f"{ctx.workdir}/src/{p}/{camel(rng)}.cs({rng.randint(5, 300)},"
                f"{rng.randint(5, 40)}): warning CS0168: The variable 'ex' is declared but "
                f"never used [{ctx.workdir}/src/{p}/{p}.csproj]"
            )
        lines.append(f"  {p} -> {ctx.workdir}/src/{p}/bin/Release/net8.0/{p}.dll")
    lines += [
        "",
        "Build succeeded.",
        f"    {warns} Warning(s)",
        "    0 Error(s)",
        "",
        f"Time Elapsed 00:00:{rng.randint(10, 59)}.{rng.randint(10, 99)}",
    ]
    return Step(
        "Build", "dotnet build --no-restore -c Release", lines, seconds=rng.uniform(10, 120)
    )


def _dotnet_test(ctx: Ctx) -> Step:
    rng = ctx.rng
    lines = []
    for p in [camel(rng) for _ in range(rng.randint(1, 4))]:
        n = scaled_count(ctx, 10, 300)
        lines += [
            f"Test run for {ctx.workdir}/tests/{p}.Tests/bin/Release/net8.0/{p}.Tests.dll "
            "(.NETCoreApp,Version=v8.0)",
            "Microsoft (R) Test Execution Command Line Tool",
            "Starting test execution, please wait...",
            "A total of 1 test files matched the specified pattern.",
            "",
            f"Passed!  - Failed:     0, Passed: {n:5d}, Skipped:     0, Total: {n:5d}, "
            f"Duration: {rng.randint(1, 40)} s - {p}.Tests.dll (net8.0)",
        ]
    return Step(
        "Test",
        "dotnet test --no-build -c Release --verbosity normal",
        lines,
        seconds=rng.uniform(5, 120),
    )


DOTNET = Ecosystem(
    image=lambda rng: f"mcr.microsoft.com/dotnet/sdk:{rng.choice(('6.0', '8.0', '9.0'))}",
    setup=_dotnet_setup,
    stages={"install": [_dotnet_restore], "build": [_dotnet_build], "test": [_dotnet_test]},
    env=lambda rng: [("DOTNET_NOLOGO", "true"), ("DOTNET_CLI_TELEMETRY_OPTOUT", "1")][
        : rng.randint(0, 2)
    ],
)
