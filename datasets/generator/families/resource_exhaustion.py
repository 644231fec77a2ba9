"""Families of ``resource_exhaustion``: the runner ran out of memory, disk or another finite resource.

Labelling rules: exit code 137 with ``Killed`` (the kernel's OOM killer) is resource exhaustion,
not a timeout, even when the step ran for a long time. ``No space left on device`` during a
package install is resource exhaustion, not ``dependency_install``: the root cause is the disk.
Exhausted file descriptors and inotify watchers count as finite resources.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c

LABEL = "resource_exhaustion"


_failure = partial(c.failure, LABEL)
_family = partial(c.family, LABEL)


def shell_killed(rng: random.Random, eco: str) -> Failure:
    cmd = c.command(rng, c.TEST_COMMANDS, eco)
    lines = c.passing_tests(rng, eco, rng.randint(3, 30))
    if rng.random() < 0.5:
        lines.append(
            f"{c.temp_script(rng)}: line 1: {rng.randint(1500, 9999)} Killed{' ' * 18}{cmd}"
        )
    else:
        lines.append("Killed")
    return _failure(lines, "Run tests", cmd, 137, "kernel-oom")


def compiler_killed(rng: random.Random, eco: str) -> Failure:
    lines = c.build_progress(rng, "cpp", rng.randint(3, 30))
    obj = f"src/CMakeFiles/core.dir/{rng.choice(c.MODULES)}.cpp.o"
    if rng.random() < 0.6:
        lines += [
            f"{rng.choice(('c++', 'g++', 'x86_64-linux-gnu-g++'))}: fatal error: Killed signal "
            "terminated program cc1plus",
            "compilation terminated.",
            f"make[2]: *** [src/CMakeFiles/core.dir/build.make:{rng.randint(70, 900)}: {obj}] "
            "Error 1",
        ]
    else:
        lines += [
            f"[100%] Linking CXX executable {rng.choice(c.MODULES)}_server",
            "collect2: fatal error: ld terminated with signal 9 [Killed]",
            "compilation terminated.",
            f"make[2]: *** [CMakeFiles/server.dir/build.make:{rng.randint(90, 400)}: server] "
            "Error 1",
        ]
    lines += [
        f"make[1]: *** [CMakeFiles/Makefile2:{rng.randint(100, 900)}: all] Error 2",
        "make: *** [Makefile:146: all] Error 2",
    ]
    if eco == "python":
        lines.append("error: command '/usr/bin/gcc' failed with exit code 2")
        return _failure(lines, "Build wheels", "pip wheel . -w dist", 1, "gcc")
    return _failure(lines, "Build", "make -j4", 2, "gcc")


def rustc_sigkill(rng: random.Random, eco: str) -> Failure:
    crate = c.package(rng, "rust")
    lines = c.build_progress(rng, "rust", rng.randint(5, 40))
    toolchain = "/home/runner/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc"
    lines += [
        f"error: could not compile `{crate}` (lib)",
        "",
        "Caused by:",
        f"  process didn't exit successfully: `{toolchain} --crate-name {crate} --edition=2021 "
        f"src/lib.rs --error-format=json --crate-type lib -C opt-level=3 -C embed-bitcode=no` "
        "(signal: 9, SIGKILL: kill)",
    ]
    if rng.random() < 0.4:
        lines.append("warning: build failed, waiting for other jobs to finish...")
    return _failure(lines, "Build", c.command(rng, c.BUILD_COMMANDS, "rust"), 101, "cargo")


def node_heap_oom(rng: random.Random, eco: str) -> Failure:
    pid = rng.randint(1800, 9000)
    addr = c.hexid(rng, 7)
    heap = rng.choice((2048, 4096, 4096, 8192))
    lines = [
        rng.choice(
            (
                "Creating an optimized production build ...",
                "webpack compiling...",
                "> tsc -p tsconfig.build.json",
                "vite v5.2.8 building for production...",
            )
        )
    ]
    lines += ["", "<--- Last few GCs --->", ""]
    ms = rng.randint(40_000, 400_000)
    for _ in range(rng.randint(1, 3)):
        used = heap - rng.randint(20, 120)
        ms += rng.randint(1500, 5000)
        lines.append(
            f"[{pid}:0x{addr}]   {ms} ms: Mark-Compact {used}.{rng.randint(0, 9)} "
            f"({heap + rng.randint(30, 90)}.5) -> {used - rng.randint(1, 20)}.1 "
            f"({heap + rng.randint(30, 90)}.2) MB, {rng.randint(900, 4000)}.24 / 0.00 ms  "
            f"(average mu = 0.{rng.randint(10, 300):03d}, current mu = 0.0{rng.randint(10, 99)}) "
            "allocation failure; scavenge might not succeed"
        )
    reason = rng.choice(("Reached heap limit", "Ineffective mark-compacts near heap limit"))
    lines += [
        "",
        "",
        "<--- JS stacktrace --->",
        "",
        f"FATAL ERROR: {reason} Allocation failed - JavaScript heap out of memory",
        " 1: 0xb8d0a3 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]",
        " 2: 0xf06250 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, "
        "v8::OOMDetails const&) [node]",
        " 3: 0x1118105  [node]",
        "Aborted (core dumped)",
    ]
    return _failure(lines, "Build", c.command(rng, c.BUILD_COMMANDS, "node"), 134, "node")


def jvm_out_of_memory(rng: random.Random, eco: str) -> Failure:
    kind = rng.choice(("Java heap space", "GC overhead limit exceeded", "Metaspace"))
    mod = rng.choice(c.MODULES)
    if rng.random() < 0.5:
        lines = c.downloads(rng, "java", rng.randint(0, 3))
        lines += [
            "[INFO] --- compiler:3.13.0:compile (default-compile) @ " + mod + " ---",
            f"[INFO] Compiling {rng.randint(100, 3000)} source files with javac [debug release "
            f"{rng.choice((11, 17, 21))}] to target/classes",
            f"[ERROR] {kind} -> [Help 1]",
            f"java.lang.OutOfMemoryError: {kind}",
            "    at java.base/java.util.Arrays.copyOf(Arrays.java:3541)",
            "    at java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal"
            "(AbstractStringBuilder.java:242)",
        ]
        return _failure(lines, "Build with Maven", "mvn -B package", 1, "maven")
    task = f":{mod}:{rng.choice(('compileKotlin', 'compileJava', 'test', 'kaptKotlin'))}"
    lines = [
        f"> Task {task}",
        f"e: java.lang.OutOfMemoryError: {kind}"
        if "Kotlin" in task
        else f'Exception in thread "main" java.lang.OutOfMemoryError: {kind}',
    ]
    if rng.random() < 0.4:
        lines.append("Expiring Daemon because JVM heap space is exhausted")
    lines += [
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task '{task}'.",
        f"> java.lang.OutOfMemoryError: {kind}",
        "",
        f"BUILD FAILED in {rng.randint(1, 30)}m {rng.randint(0, 59)}s",
    ]
    return _failure(lines, "Build", "./gradlew build --no-daemon", 1, "gradle")


def _disk_install_lines(rng: random.Random, eco: str) -> tuple[list[str], int]:
    pkg = c.package(rng, eco)
    ver = c.version(rng)
    if eco == "python":
        return [
            "Installing collected packages: "
            + ", ".join(rng.sample(c.PACKAGES["python"], rng.randint(2, 6))),
            "ERROR: Could not install packages due to an OSError: [Errno 28] No space left "
            "on device",
        ], 1
    if eco == "node":
        return [
            "npm ERR! code ENOSPC",
            "npm ERR! syscall write",
            "npm ERR! errno -28",
            "npm ERR! nospc ENOSPC: no space left on device, write",
            "npm ERR! nospc There appears to be insufficient space on your system to finish.",
            "npm ERR! nospc Clear up some disk space and try again.",
        ], 228
    if eco == "ruby":
        return [
            f"Installing {pkg} {ver} with native extensions",
            f"Errno::ENOSPC: No space left on device @ io_write - /home/runner/work/vendor/"
            f"bundle/ruby/3.3.0/gems/{pkg}-{ver}/ext/{pkg}/Makefile",
            f"An error occurred while installing {pkg} ({ver}), and Bundler cannot continue.",
        ], 5
    if eco == "rust":
        src = f"/home/runner/.cargo/registry/src/index.crates.io-{c.hexid(rng, 16)}"
        return [
            f"error: failed to unpack package `{pkg} v{ver}`",
            "",
            "Caused by:",
            f"  failed to unpack entry at `{pkg}-{ver}/src/lib.rs`",
            "",
            "Caused by:",
            f"  failed to unpack `{src}/{pkg}-{ver}/src/lib.rs`",
            "",
            "Caused by:",
            "  No space left on device (os error 28)",
        ], 101
    if eco == "dotnet":
        return [
            f"/usr/share/dotnet/sdk/8.0.{rng.randint(100, 400)}/NuGet.targets(156,5): "
            f"error : No space left on device : '/home/runner/.nuget/packages/"
            f"{pkg.lower()}/{ver}/{pkg.lower()}.{ver}.nupkg' [/src/App.sln]"
        ], 1
    deb = rng.choice(("libboost-dev", "libssl-dev", "clang-17", "libllvm17"))
    return [
        f"Unpacking {deb} ({ver}-1ubuntu1) ...",
        f"dpkg: error processing archive /var/cache/apt/archives/{deb}_{ver}_amd64.deb (--unpack):",
        f" cannot copy extracted data for './usr/lib/x86_64-linux-gnu/{deb}.so' to "
        f"'/usr/lib/x86_64-linux-gnu/{deb}.so.dpkg-new': failed to write (No space left on "
        "device)",
        "E: Sub-process /usr/bin/dpkg returned an error code (1)",
    ], 100


def disk_full_install(rng: random.Random, eco: str) -> Failure:
    lines = c.downloads(rng, eco, rng.randint(2, 12))
    tail, code = _disk_install_lines(rng, eco)
    step = rng.choice(("Install dependencies", "Setup", "Restore packages"))
    return _failure(lines + tail, step, c.command(rng, c.INSTALL_COMMANDS, eco), code, "disk")


def _df_lines(rng: random.Random, inodes: bool) -> list[str]:
    if inodes:
        total = rng.randint(4_000_000, 9_000_000)
        return [
            "Filesystem       Inodes   IUsed IFree IUse% Mounted on",
            f"/dev/root      {total} {total}     0  100% /",
        ]
    size = rng.choice((73, 84, 145))
    return [
        "Filesystem      Size  Used Avail Use% Mounted on",
        f"/dev/root        {size}G   {size}G     0 100% /",
    ]


def disk_full_build(rng: random.Random, eco: str) -> Failure:
    lines = c.build_progress(rng, eco, rng.randint(2, 15))
    cmd = c.command(rng, c.BUILD_COMMANDS, eco)
    if rng.random() < 0.3:
        lines += _df_lines(rng, rng.random() < 0.3)
    runner: tuple[str, ...] = ()
    code: int | None = 1
    if eco == "docker":
        lines.append(
            rng.choice(
                (
                    "ERROR: failed to solve: failed to copy files: copy file range failed: no space left "
                    "on device",
                    f"ERROR: failed to solve: write /var/lib/docker/tmp/GetImageBlob{rng.randint(10**8, 10**9)}"
                    ": no space left on device",
                    f"failed to register layer: write /usr/lib/{rng.choice(c.MODULES)}.so: no space left "
                    "on device",
                )
            )
        )
    elif eco == "go":
        lines.append(
            f"compile: writing output: write $WORK/b{rng.randint(100, 999)}/_pkg_.a: "
            "no space left on device"
        )
    elif eco in ("cpp", "rust"):
        lines += [
            "/usr/bin/ld: final link failed: No space left on device",
            "collect2: error: ld returned 1 exit status",
        ]
    elif rng.random() < 0.5:
        lines += [
            f"tar: {rng.choice(('node_modules', '.gradle', 'vendor'))}/.cache/"
            f"{c.hexid(rng, 12)}: Cannot write: No space left on device",
            "tar: Exiting with failure status due to previous errors",
        ]
        code = 2
    else:
        code = None
        runner = (
            f"No space left on device : '/home/runner/runners/2.3{rng.randint(10, 30)}.0/"
            f"_diag/pages/{c.hexid(rng, 8)}-{c.hexid(rng, 4)}_1.log'",
        )
    return _failure(lines, "Build", cmd, code, "disk", runner)


def python_memory_error(rng: random.Random, eco: str) -> Failure:
    wd = c.workdir(rng, c.repo(rng))
    script = rng.choice(("build_index", "train", "featurize", "export_report"))
    rows, cols = rng.choice((10**5, 2 * 10**5, 5 * 10**5)), rng.choice((10**4, 5 * 10**4, 10**5))
    gib = rows * cols * 8 / 2**30
    lines = [
        f"Loaded {rng.randint(1000, 90000)} records from data/{script}.parquet",
        "Traceback (most recent call last):",
        f'  File "{wd}/scripts/{script}.py", line {rng.randint(60, 300)}, in <module>',
        "    main()",
        f'  File "{wd}/scripts/{script}.py", line {rng.randint(20, 59)}, in main',
        "    matrix = np.zeros((n_rows, n_cols))",
    ]
    if rng.random() < 0.6:
        lines.append(
            f"numpy.core._exceptions._ArrayMemoryError: Unable to allocate {gib:.1f} GiB "
            f"for an array with shape ({rows}, {cols}) and data type float64"
        )
    else:
        lines.append("MemoryError")
    return _failure(
        c.pad(rng, lines, "shell"), "Generate data", f"python scripts/{script}.py", 1, "python"
    )


def too_many_open_files(rng: random.Random, eco: str) -> Failure:
    wd = c.workdir(rng, c.repo(rng))
    path = f"{wd}/{rng.choice(('fixtures', 'data', 'tmp'))}/{rng.choice(c.MODULES)}.json"
    lines = c.passing_tests(rng, eco, rng.randint(1, 8))
    if eco == "node":
        lines += [
            f"Error: EMFILE: too many open files, open '{path}'",
            "    at Object.openSync (node:fs:573:18)",
            "  errno: -24,",
            "  syscall: 'open',",
            "  code: 'EMFILE',",
            f"  path: '{path}'",
        ]
    elif eco == "python":
        lines += [f"E   OSError: [Errno 24] Too many open files: '{path}'"]
    elif eco == "go":
        port = rng.choice((8080, 9090, 50051))
        lines += [
            f"http: Accept error: accept tcp [::]:{port}: accept4: too many open files; "
            "retrying in 5ms",
            f"panic: open {path}: too many open files",
        ]
    elif eco == "java":
        lines += [
            f"java.nio.file.FileSystemException: {path}: Too many open files",
            "\tat java.base/sun.nio.fs.UnixException.translateToIOException"
            "(UnixException.java:100)",
        ]
    elif eco == "rust":
        lines += [
            f"thread 'main' panicked at src/{rng.choice(c.MODULES)}.rs:{rng.randint(10, 99)}:"
            f"{rng.randint(5, 40)}:",
            f"failed to open {path}: Too many open files (os error 24)",
        ]
    else:
        lines += [f"Errno::EMFILE: Too many open files @ rb_sysopen - {path}"]
    return _failure(lines, "Run tests", c.command(rng, c.TEST_COMMANDS, eco), 1, "fd-limit")


def inotify_limit(rng: random.Random, eco: str) -> Failure:
    wd = c.workdir(rng, c.repo(rng))
    if eco == "dotnet":
        lines = [
            "Unhandled exception. System.IO.IOException: The configured user limit "
            f"({rng.choice((128, 256))}) on the number of inotify instances has been reached, "
            "or the per-process limit on the number of open file descriptors has been "
            "reached.",
            "   at System.IO.FileSystemWatcher.StartRaisingEvents()",
            "   at Microsoft.Extensions.FileProviders.Physical.PhysicalFilesWatcher"
            ".TryEnableFileSystemWatcher()",
        ]
        return _failure(
            c.pad(rng, lines, "shell"),
            "Integration tests",
            "dotnet run --project src/Api",
            134,
            "inotify",
        )
    path = f"{wd}/{rng.choice(('src', 'node_modules', 'public'))}/{rng.choice(c.MODULES)}"
    lines = [
        rng.choice(
            ("> next dev -p 3000", "> webpack serve --mode development", "> vite --port 5173")
        ),
        "node:internal/fs/watchers:247",
        "    throw error;",
        "    ^",
        "",
        f"Error: ENOSPC: System limit for number of file watchers reached, watch '{path}'",
        "    at FSWatcher.<computed> (node:internal/fs/watchers:247:19)",
        "  errno: -28,",
        "  syscall: 'watch',",
        "  code: 'ENOSPC',",
        f"  path: '{path}',",
    ]
    return _failure(c.pad(rng, lines, "shell"), "Start dev server", "npm run dev", 1, "inotify")


_DOCKER_RUNS: tuple[tuple[str, str], ...] = (
    ("node", "npm run build"),
    ("python", "pip install -r requirements.txt"),
    ("rust", "cargo build --release"),
    ("java", "./gradlew bootJar"),
    ("go", "go build -o /out/app ./cmd/app"),
    ("cpp", "cmake --build build -j8"),
)


def docker_build_137(rng: random.Random, eco: str) -> Failure:
    inner_eco, run = rng.choice(_DOCKER_RUNS)
    n = rng.randint(6, 16)
    stage = f"[build {rng.randint(3, 8)}/9] RUN {run}"
    lines = [f"#{n} {stage}", f"#{n} {rng.randint(0, 9)}.{rng.randint(100, 999)} > {run}"]
    lines += [
        f"#{n} {rng.randint(10, 200)}.{rng.randint(10, 99)} {row}"
        for row in c.build_progress(rng, inner_eco, rng.randint(0, 4))
    ]
    lines.append(f"#{n} {rng.randint(200, 900)}.{rng.randint(10, 99)} Killed")
    if rng.random() < 0.7:
        err = f'process "/bin/sh -c {run}" did not complete successfully: exit code: 137'
        lines += [
            f"#{n} ERROR: {err}",
            "------",
            f" > {stage}:",
            "------",
            f"ERROR: failed to solve: {err}",
        ]
    else:
        lines = [
            f"Step {rng.randint(4, 9)}/12 : RUN {run}",
            f" ---> Running in {c.hexid(rng, 12)}",
            "Killed",
            f"The command '/bin/sh -c {run}' returned a non-zero code: 137",
        ]
    return _failure(lines, "Build image", "docker build -t app:ci .", 1, "docker")


def go_out_of_memory(rng: random.Random, eco: str) -> Failure:
    go = f"/opt/hostedtoolcache/go/1.2{rng.randint(1, 3)}.{rng.randint(0, 9)}/x64"
    lines = c.build_progress(rng, "go", rng.randint(1, 10))
    variant = rng.randrange(3)
    if variant == 0:
        lines += [
            "fatal error: runtime: out of memory",
            "",
            "runtime stack:",
            f"runtime.throw({{0x{c.hexid(rng, 6)}?, 0x{rng.randint(1, 9)}000?}})",
            f"\t{go}/src/runtime/panic.go:1023 +0x5c",
            f"runtime.sysMap(0xc{c.hexid(rng, 9)}, 0x{c.hexid(rng, 7)}, 0x{c.hexid(rng, 7)})",
            f"\t{go}/src/runtime/mem_linux.go:{rng.randint(150, 190)} +0x{c.hexid(rng, 3)}",
        ]
    elif variant == 1:
        pkg = f"github.com/{c.slug(rng)}/internal/{rng.choice(c.MODULES)}"
        lines += [f"# {pkg}", f"{go}/pkg/tool/linux_amd64/compile: signal: killed"]
    else:
        lines += [
            f"go: github.com/{c.slug(rng)}@v{c.version(rng)}: fork/exec /usr/bin/git: "
            "cannot allocate memory"
        ]
    return _failure(lines, "Build", c.command(rng, c.BUILD_COMMANDS, "go"), 1, "go")


def dotnet_out_of_memory(rng: random.Random, eco: str) -> Failure:
    lines = c.build_progress(rng, "dotnet", rng.randint(1, 10))
    if rng.random() < 0.5:
        lines += [
            "Unhandled exception. System.OutOfMemoryException: Exception of type "
            "'System.OutOfMemoryException' was thrown.",
            "   at System.Text.StringBuilder.ExpandByABlock(Int32 minBlockCharCount)",
            f"   at {c.camel(rng.choice(c.MODULES))}.Exporter.Render() in /src/Exporter.cs:"
            f"line {rng.randint(20, 400)}",
        ]
        return _failure(lines, "Generate report", "dotnet run -c Release", 134, "dotnet")
    node = rng.randint(2, 8)
    lines += [
        f'MSBUILD : error MSB4166: Child node "{node}" exited prematurely. Shutting down. '
        f'Diagnostic information may be found in files in "/tmp/MSBuildTemp/" and will be '
        f"named MSBuild_*.failure.txt.",
        "",
        "Build FAILED.",
        "    0 Warning(s)",
        "    1 Error(s)",
    ]
    if rng.random() < 0.5:
        lines.insert(
            -3,
            f"/usr/share/dotnet/sdk/8.0.{rng.randint(100, 400)}/Roslyn/"
            'Microsoft.CSharp.Core.targets(80,5): error MSB6006: "csc.dll" exited with '
            "code 137.",
        )
    return _failure(lines, "Build", "dotnet build -c Release", 1, "msbuild")


def git_malloc_failed(rng: random.Random, eco: str) -> Failure:
    objects = rng.randint(200_000, 3_000_000)
    name = c.repo(rng)
    lines = [
        f"Cloning into '{name}'...",
        f"remote: Enumerating objects: {objects}, done.",
        f"remote: Counting objects: 100% ({objects // 10}/{objects // 10}), done.",
        f"remote: Total {objects} (delta {objects // 3}), reused {objects // 4} (delta "
        f"{objects // 5}), pack-reused {objects - objects // 4}",
    ]
    if rng.random() < 0.6:
        lines += [
            f"fatal: Out of memory, malloc failed (tried to allocate "
            f"{rng.choice((536870912, 1073741824, 2147483648))} bytes)",
            "fatal: fetch-pack: invalid index-pack output",
        ]
    else:
        lines += ["error: index-pack died of signal 9", "fatal: index-pack failed"]
    cmd = f"git clone https://github.com/{c.org(rng)}/{name}.git"
    return _failure(lines, "Fetch monorepo", cmd, 128, "git")


FAMILIES: list[Family] = [
    _family("shell-killed-oom", ("python", "node", "java", "go", "dotnet", "ruby"), shell_killed),
    _family("compiler-killed-signal", ("cpp", "python"), compiler_killed),
    _family("rustc-sigkill", ("rust",), rustc_sigkill),
    _family("node-heap-out-of-memory", ("node",), node_heap_oom),
    _family("jvm-out-of-memory", ("java",), jvm_out_of_memory),
    _family(
        "disk-full-install", ("python", "node", "ruby", "rust", "dotnet", "cpp"), disk_full_install
    ),
    _family(
        "disk-full-build",
        ("docker", "go", "cpp", "rust", "java", "node", "python"),
        disk_full_build,
    ),
    _family("python-memory-error", ("python",), python_memory_error),
    _family(
        "too-many-open-files", ("node", "python", "go", "java", "rust", "ruby"), too_many_open_files
    ),
    _family("inotify-limit", ("node", "dotnet"), inotify_limit),
    _family("docker-build-exit-137", ("docker",), docker_build_137),
    _family("go-out-of-memory", ("go",), go_out_of_memory),
    _family("dotnet-out-of-memory", ("dotnet",), dotnet_out_of_memory),
    _family("git-malloc-failed", c.ALL_ECOSYSTEMS, git_malloc_failed),
]
