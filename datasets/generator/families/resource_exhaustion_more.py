"""More families of ``resource_exhaustion``: other tools and layers that report a lack of memory,
disk, shared memory, GPU memory or process slots.

Same rules as ``resource_exhaustion.py``: a kill by the OOM killer (signal 9, exit 137,
``OOMKilled``) is resource exhaustion however it is re-reported (by make, npm, a container
runtime or a kernel log printed after the fact). Exhausted thread or process slots and GPU
memory count as finite resources. PHP jobs run in the ``php`` container image (declared
``docker``); Windows toolchains use ``D:\\a\\...`` paths.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c
from . import _common_b2 as c2

LABEL = "resource_exhaustion"

_failure = partial(c2.failure, LABEL)
_family = partial(c2.family, LABEL)


def kubernetes_oomkilled(rng: random.Random, eco: str) -> Failure:
    """A pod or job container OOM-killed, as ``kubectl`` reports it (language-independent)."""
    app = c.repo(rng)
    pod = f"{app}-{c.hexid(rng, 10)}-{c.hexid(rng, 5)}"
    limit = rng.choice(("256Mi", "512Mi", "1Gi", "2Gi"))
    if rng.random() < 0.5:
        lines = [
            f"job.batch/{app}-migrate created",
            f"Waiting for job {app}-migrate to complete...",
            f"NAME{' ' * 30}READY   STATUS      RESTARTS      AGE",
            f"{pod}   0/1     OOMKilled   {rng.randint(1, 5)} (12s ago)   {rng.randint(40, 300)}s",
            f"error: job {app}-migrate failed: BackoffLimitExceeded",
        ]
        cmd = f"kubectl apply -f k8s/{app}-migrate.yaml && kubectl wait --for=condition=complete job/{app}-migrate"
        return _failure(c.pad(rng, lines, "deploy"), "Run migrations", cmd, 1, "kubectl")
    lines = [
        f"Name:             {pod}",
        f"Namespace:        {rng.choice(('ci', 'staging', 'default'))}",
        "Containers:",
        f"  {app}:",
        "    State:          Waiting",
        "      Reason:       CrashLoopBackOff",
        "    Last State:     Terminated",
        "      Reason:       OOMKilled",
        "      Exit Code:    137",
        f"    Restart Count:  {rng.randint(2, 9)}",
        "    Limits:",
        f"      memory:  {limit}",
        f"Error: pod {pod} did not become ready: container {app} terminated (OOMKilled)",
    ]
    return _failure(lines, "Verify deployment", f"./scripts/verify.sh {app}", 1, "kubectl")


def compose_container_oomkilled(rng: random.Random, eco: str) -> Failure:
    svc = rng.choice(("api", "worker", "tests", "web", "indexer"))
    project = c.repo(rng)
    lines = [
        f" Container {project}-db-1  Started",
        f" Container {project}-{svc}-1  Started",
        f"Attaching to {project}-{svc}-1",
    ]
    lines += [f"{svc}-1  | {row}" for row in c.passing_tests(rng, eco, rng.randint(2, 8))]
    lines.append(f"{svc}-1 exited with code 137")
    if rng.random() < 0.6:
        lines += [
            "Aborting on container exit...",
            f"$ docker inspect {project}-{svc}-1 --format '{{{{json .State}}}}'",
            '{"Status":"exited","Running":false,"Paused":false,"Restarting":false,'
            '"OOMKilled":true,"Dead":false,"Pid":0,"ExitCode":137,"Error":""}',
        ]
    cmd = f"docker compose up --abort-on-container-exit --exit-code-from {svc}"
    return _failure(lines, "Integration tests", cmd, 137, "compose")


def php_memory_limit(rng: random.Random, eco: str) -> Failure:
    """PHP's ``memory_limit`` under Composer, PHPStan or a script (``docker``, php image)."""
    wd = c2.php_workdir(rng)
    size = rng.choice((134217728, 268435456, 536870912, 1610612736))
    tried = rng.choice((20480, 32768, 4096, 65536, 2097160))
    variant = rng.randrange(3)
    if variant == 0:
        lines = [
            "Loading composer repositories with package information",
            "Updating dependencies",
            f"PHP Fatal error:  Allowed memory size of {size} bytes exhausted (tried to allocate "
            f"{tried} bytes) in phar:///usr/bin/composer/src/Composer/DependencyResolver/"
            f"RuleSetGenerator.php on line {rng.randint(60, 300)}",
        ]
        if rng.random() < 0.6:
            lines.append(
                "Check https://getcomposer.org/doc/articles/troubleshooting.md#memory-limit-errors "
                "for more info on how to handle out of memory errors."
            )
        return _failure(
            lines, "Install dependencies", "composer update --no-interaction", 255, "composer"
        )
    if variant == 1:
        limit = rng.choice(("128M", "256M", "512M"))
        lines = [
            f" {rng.randint(100, 900)}/{rng.randint(900, 3000)} [▓▓▓▓▓▓▓░░░░░░░░░░░░░░░░░░░░░]  {rng.randint(10, 60)}%",
            f"PHPStan process crashed because it reached configured PHP memory limit: {limit}",
            "Increase your memory limit in php.ini or run PHPStan with --memory-limit CLI option.",
        ]
        return _failure(lines, "Static analysis", "vendor/bin/phpstan analyse", 1, "phpstan")
    lines = [
        f"Fatal error: Allowed memory size of {size} bytes exhausted (tried to allocate {tried} "
        f"bytes) in {wd}/src/{c.camel(rng.choice(c.MODULES))}/Report.php on line {rng.randint(20, 300)}",
    ]
    return _failure(c.pad(rng, lines, "shell"), "Build report", "php bin/report.php", 255, "php")


def gradle_daemon_disappeared(rng: random.Random, eco: str) -> Failure:
    mod = rng.choice(("app", "core", rng.choice(c.MODULES)))
    task = rng.choice(
        ("mergeDexRelease", "minifyReleaseWithR8", "compileReleaseKotlin", "lintVitalRelease")
    )
    lines = [
        f"> Task :{mod}:{t}"
        for t in ("preBuild", "compileReleaseAidl", "generateReleaseResources")[: rng.randint(1, 3)]
    ]
    lines += [
        f"> Task :{mod}:{task}",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Gradle build daemon disappeared unexpectedly (it may have been killed or may have crashed)",
        "",
        "* Try:",
        "> Run with --stacktrace option to get the stack trace.",
        "> Run with --info or --debug option to get more log output.",
    ]
    if rng.random() < 0.5:
        lines.insert(
            -5,
            "The message received from the daemon indicates that the daemon has disappeared.",
        )
    lines += ["", f"BUILD FAILED in {rng.randint(1, 25)}m {rng.randint(0, 59)}s"]
    cmd = rng.choice(
        ("./gradlew assembleRelease", "./gradlew bundleRelease --no-daemon", "./gradlew build")
    )
    return _failure(lines, "Build APK", cmd, 1, "gradle-android")


def windows_compiler_memory(rng: random.Random, eco: str) -> Failure:
    """MSVC, rustc and the .NET SDK on a Windows runner running out of heap or paging file."""
    name = c.repo(rng)
    wd = c2.win_workdir(name)
    mod = rng.choice(c.MODULES)
    if eco == "rust":
        crate = c.package(rng, "rust")
        lines = [
            f"   Compiling {crate} v{c.version(rng)}",
            f"   Compiling {name} v0.{rng.randint(1, 9)}.0 ({wd})",
        ]
        lines += [
            "error: could not compile `" + crate + "` (lib)",
            "",
            "Caused by:",
            "  could not execute process `C:\\Users\\runneradmin\\.rustup\\toolchains\\"
            "stable-x86_64-pc-windows-msvc\\bin\\rustc.exe --crate-name "
            f"{crate} --edition=2021` (never executed)",
            "",
            "Caused by:",
            "  The paging file is too small for this operation to complete. (os error 1455)",
        ]
        return _failure(lines, "Build (windows)", "cargo build --release", 101, "rustc-windows")
    if eco == "dotnet":
        lines = [
            f"  {c.camel(mod)} -> {wd}\\src\\{c.camel(mod)}\\bin\\Release\\net8.0\\{c.camel(mod)}.dll",
            "CSC : error CS8103: Combined length of user strings used by the program exceeds "
            "allowed limit. Try to decrease use of string literals."
            if rng.random() < 0.2
            else "CSC : error CS0041: Unexpected error writing debug information -- 'Not enough "
            "memory resources are available to process this command.'",
            f"{wd}\\src\\Api\\Api.csproj : error MSB4018: System.OutOfMemoryException: "
            "Insufficient memory to continue the execution of the program.",
        ]
        return _failure(lines, "Build (windows)", "dotnet build -c Release", 1, "msbuild-windows")
    lines = [f"{mod}.cpp"]
    lines.append(
        rng.choice(
            (
                f"{wd}\\src\\{mod}.cpp(1): fatal error C1060: compiler is out of heap space",
                f"{wd}\\include\\{mod}.hpp({rng.randint(10, 900)}): fatal error C1002: compiler "
                "is out of heap space in pass 2",
                "LINK : fatal error LNK1102: out of memory",
                "c1xx: fatal error C1076: compiler limit: internal heap limit reached",
            )
        )
    )
    lines.append(
        f"  {wd}\\build\\{mod}.vcxproj exited with code 2"
        if rng.random() < 0.5
        else "ninja: build stopped: subcommand failed."
    )
    return _failure(lines, "Build (windows)", "cmake --build build --config Release", 1, "msvc")


def shm_exhausted(rng: random.Random, eco: str) -> Failure:
    wd = c.workdir(rng, c.repo(rng))
    if rng.random() < 0.6:
        lines = [
            f"Epoch 1/{rng.randint(2, 20)}",
            "ERROR: Unexpected bus error encountered in worker. This might be caused by "
            "insufficient shared memory (shm).",
            "Traceback (most recent call last):",
            f'  File "{wd}/train.py", line {rng.randint(40, 300)}, in <module>',
            "    for batch in loader:",
            "RuntimeError: DataLoader worker (pid(s) "
            f"{rng.randint(1000, 9000)}) exited unexpectedly",
        ]
        return _failure(lines, "Train smoke model", "python train.py --epochs 1", 1, "pytorch")
    size = rng.choice(("64M", "64M", "32M"))
    lines = [
        "Filesystem      Size  Used Avail Use% Mounted on",
        f"shm              {size}   {size}     0 100% /dev/shm",
        f"OSError: [Errno 28] No space left on device: '/dev/shm/psm_{c.hexid(rng, 8)}'",
    ]
    return _failure(
        c.pad(rng, lines, "shell"), "Run tests", "docker run --rm app:ci pytest -n 4", 1, "shm"
    )


def cuda_out_of_memory(rng: random.Random, eco: str) -> Failure:
    gib = rng.choice((14.58, 15.77, 22.05, 23.68))
    tried = rng.choice(("512.00 MiB", "1.95 GiB", "2.00 GiB", "768.00 MiB"))
    free = f"{rng.randint(10, 900)}.{rng.randint(10, 99)} MiB"
    wd = c.workdir(rng, c.repo(rng))
    lines = [
        "Traceback (most recent call last):",
        f'  File "{wd}/scripts/evaluate.py", line {rng.randint(30, 200)}, in <module>',
        "    logits = model(**batch).logits",
        rng.choice(("torch.OutOfMemoryError", "torch.cuda.OutOfMemoryError"))
        + f": CUDA out of memory. Tried to allocate {tried}. GPU 0 has a total capacity of "
        f"{gib} GiB of which {free} is free. Process {rng.randint(1000, 99999)} has {gib - 0.5:.2f} GiB memory in use. Of the "
        f"allocated memory {gib - 1.9:.2f} GiB is allocated by PyTorch, and {rng.randint(10, 900)}.{rng.randint(10, 99)} MiB is reserved by "
        "PyTorch but unallocated.",
    ]
    if rng.random() < 0.4:
        lines = [
            f"Loading checkpoint shards: 100%|██████████| {rng.randint(2, 8)}/{rng.randint(2, 8)}",
            "RuntimeError: CUDA error: out of memory",
            "CUDA kernel errors might be asynchronously reported at some other API call, so the "
            "stacktrace below might be incorrect.",
            "For debugging consider passing CUDA_LAUNCH_BLOCKING=1.",
        ]
    return _failure(lines, "GPU tests", "python scripts/evaluate.py --device cuda", 1, "cuda")


def process_thread_limit(rng: random.Random, eco: str) -> Failure:
    lines = c.passing_tests(rng, eco, rng.randint(1, 6))
    if eco == "java":
        lines += [
            '[ERROR] Exception in thread "pool-' + str(rng.randint(1, 90)) + '-thread-1" '
            "java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory "
            "or process/resource limits reached",
            "\tat java.base/java.lang.Thread.start0(Native Method)",
            "\tat java.base/java.lang.Thread.start(Thread.java:809)",
        ]
    elif eco == "go":
        lines += [
            "runtime/cgo: pthread_create failed: Resource temporarily unavailable",
            "SIGABRT: abort",
            f"PC=0x{c.hexid(rng, 6)} m={rng.randint(100, 900)} sigcode=18446744073709551610",
        ]
    elif eco == "python":
        lines += [
            "E   RuntimeError: can't start new thread",
            f"FAILED tests/test_{rng.choice(c.MODULES)}.py::{c.test_name(rng)} - RuntimeError: "
            "can't start new thread",
        ]
    else:
        lines += [
            f"{c.temp_script(rng)}: fork: retry: Resource temporarily unavailable",
            f"{c.temp_script(rng)}: fork: Resource temporarily unavailable",
        ]
    return _failure(lines, "Run tests", c.command(rng, c.TEST_COMMANDS, eco), 1, "pids-limit")


def wrapper_sigkill_terse(rng: random.Random, eco: str) -> Failure:
    """A wrapper (make, npm, yarn, turbo, tox) re-reporting a child killed by signal 9."""
    variant = rng.randrange(5)
    target = rng.choice(("test", "build", "bundle", "e2e"))
    if variant == 0:
        lines = [f"make: *** [Makefile:{rng.randint(5, 90)}: {target}] Killed"]
        if rng.random() < 0.5:
            lines.insert(0, f"make[1]: *** [Makefile:{rng.randint(5, 90)}: {target}-all] Error 137")
        lines.insert(0, "Killed")
        return _failure(lines, "Build", f"make {target}", 2, "make")
    if variant == 1:
        p = rng.choice(("npm ERR!", "npm error"))
        lines = [
            f"{p} path {c.workdir(rng, c.repo(rng))}",
            f"{p} command failed",
            f"{p} signal SIGKILL",
            f"{p} command sh -c {rng.choice(('jest --coverage', 'next build', 'tsc -b && vite build'))}",
        ]
        return _failure(c2.terse(rng, lines, 2), "Build", f"npm run {target}", 1, "npm")
    if variant == 2:
        lines = ['error Command failed with signal "SIGKILL".']
        if rng.random() < 0.5:
            lines.append(
                "info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command."
            )
        lines.insert(0, f"$ {rng.choice(('webpack --mode production', 'jest -w 4', 'tsc -p .'))}")
        return _failure(lines, "Build", f"yarn {target}", 1, "yarn")
    if variant == 3:
        pkg = f"@{c.org(rng)}/{c.repo(rng)}"
        lines = [
            f"{pkg}:{target}: ERROR: command finished with error: command "
            f"({c.workdir(rng, 'repo')}/packages/{pkg.split('/')[1]}) "
            f"/usr/local/bin/pnpm run {target} exited (137)",
            f"{pkg}#{target}: command ({c.workdir(rng, 'repo')}/packages/{pkg.split('/')[1]}) "
            f"/usr/local/bin/pnpm run {target} exited (137)",
            " ERROR  run failed: command  exited (137)",
        ]
        return _failure(c2.terse(rng, lines, 2), "Build", f"npx turbo run {target}", 137, "turbo")
    env = rng.choice(("py311", "py312", "integration"))
    lines = [
        f"{env}: exit -9 (SIGKILL) ({rng.randint(30, 900)}.{rng.randint(10, 99)} seconds) "
        f"{c.workdir(rng, c.repo(rng))}> pytest -n 4 pid={rng.randint(1000, 9000)}",
        f"  {env}: FAIL code -9 ({rng.randint(30, 900)}.{rng.randint(10, 99)} seconds)",
    ]
    return _failure(lines, "Test", f"tox -e {env}", 1, "tox")


def dmesg_oom_killer(rng: random.Random, eco: str) -> Failure:
    """A terse failure first, the kernel's verdict later from a diagnostics command."""
    pid = rng.randint(2000, 60000)
    proc = rng.choice(("java", "node", "cc1plus", "python3", "rustc", "dotnet", "ruby", "go"))
    rss = rng.randint(3_000_000, 7_500_000)
    clock = rng.randint(100, 9000)
    stamp = f"[{clock}.{rng.randint(100000, 899999)}]"
    lines = [
        rng.choice(
            (
                f"Error: The process '{proc}' exited with signal 9",
                f"{proc} terminated by signal SIGKILL (Forced quit)",
                "Build step exited with code 137",
            )
        ),
        "--- diagnostics: last kernel messages ---",
        f"{stamp} oom-kill:constraint=CONSTRAINT_NONE,"
        f"nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/"
        f"runner-provisioner.service,task={proc},pid={pid},uid=1001",
        f"{stamp} Out of memory: Killed process "
        f"{pid} ({proc}) total-vm:{rss + rng.randint(10**5, 10**6)}kB, anon-rss:{rss}kB, "
        f"file-rss:{rng.randint(0, 9000)}kB, shmem-rss:0kB, UID:1001 pgtables:{rng.randint(8000, 16000)}kB oom_score_adj:0",
    ]
    if rng.random() < 0.5:
        lines.insert(
            2,
            f"{stamp} {proc} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
        )
    cmd = f"{c.command(rng, c.BUILD_COMMANDS, eco)} || (sudo dmesg | tail -n 20; exit 1)"
    return _failure(lines, "Build", cmd, 1, "kernel-oom")


FAMILIES: list[Family] = [
    _family("kubernetes-oomkilled", c.ALL_ECOSYSTEMS, kubernetes_oomkilled),
    _family("compose-container-oomkilled", c.ALL_ECOSYSTEMS, compose_container_oomkilled),
    _family("php-memory-limit", ("docker",), php_memory_limit),
    _family("gradle-daemon-disappeared", ("java",), gradle_daemon_disappeared),
    _family("windows-compiler-memory", ("cpp", "rust", "dotnet"), windows_compiler_memory),
    _family("shm-exhausted", ("python", "docker"), shm_exhausted),
    _family("cuda-out-of-memory", ("python",), cuda_out_of_memory),
    _family(
        "process-thread-limit",
        ("java", "go", "python", "ruby", "node", "cpp"),
        process_thread_limit,
    ),
    _family(
        "wrapper-sigkill-terse",
        ("node", "python", "go", "rust", "cpp", "java"),
        wrapper_sigkill_terse,
    ),
    _family("dmesg-oom-killer", c.ALL_ECOSYSTEMS, dmesg_oom_killer),
]
