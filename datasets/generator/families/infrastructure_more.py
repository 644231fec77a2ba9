"""More ``infrastructure`` families: build daemons, local clusters, containers and hosts.

Labelling choices, in line with ``infrastructure``: a BuildKit builder that dies mid-build, a
kind or minikube cluster that cannot start its node on the runner, a test suite whose
Testcontainers find no Docker, a Compose dependency that never turns healthy, a runner whose
disk turns read-only, a Windows container host that fails to start a container and a job the
service never hands to a runner are failures of the host or its services, not of the code.
A test run that fails only because of them is still ``infrastructure``: the tests never ran.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import (
    JAVA_PKGS,
    SERVICE_IMAGES,
    camel,
    hexstr,
    ident,
    pick,
    progress,
    repo,
    workdir,
)
from ._common_c2 import ALL, WINDOWS_CI, pad, uuid

LABEL = "infrastructure"
NOUNS_GO = ("db", "queue", "cache", "store", "broker", "repo")


def _buildkit_died(rng: random.Random, eco: str) -> Failure:
    lines = progress(rng, "docker", 3, 9)
    step = rng.randint(4, 9)
    lines += [
        f"#{step + 5} [{step}/9] RUN {pick(rng, ('npm ci', 'pip install -r requirements.txt', 'go build ./...', 'cargo build --release', 'dotnet publish -c Release'))}",
        f"#{step + 5} {rng.uniform(1, 80):.3f} {pick(rng, ('added', 'Collecting', 'Compiling', 'Restored'))} ...",
    ]
    detail = pick(
        rng,
        (
            "failed to receive status: rpc error: code = Unavailable desc = error reading from "
            "server: EOF",
            "failed to solve: Canceled: grpc: the client connection is closing",
            "failed to solve: rpc error: code = Unavailable desc = connection error: desc = "
            '"transport: Error while dialing: dial unix /run/buildkit/buildkitd.sock: connect: '
            'connection refused"',
        ),
    )
    lines.append(f"ERROR: {detail}")
    if rng.random() < 0.5:
        errors: tuple[str, ...] = (f"buildx failed with: ERROR: {detail}",)
        return Failure(
            LABEL, pad(rng, eco, lines), "Build and push", "docker/build-push-action@v6", 1, errors
        )
    return Failure(
        LABEL, pad(rng, eco, lines), "Build image", f"docker buildx build -t {repo(rng)}:ci .", 1
    )


def _job_not_acquired(rng: random.Random, eco: str) -> Failure:
    if rng.random() < 0.6:
        kind = pick(rng, ("hosted", "self-hosted"))
        error = f"The job was not acquired by Runner of type {kind} even after multiple attempts"
    else:
        error = f"Internal server error. Correlation ID: {uuid(rng)}"
    labels = pick(rng, ("ubuntu-latest", "ubuntu-24.04", "windows-latest", "macos-14"))
    lines = [f"Requested labels: {labels}", "Waiting for a runner to pick up this job..."]
    if rng.random() < 0.5:
        lines = lines[:1]
    return Failure(
        LABEL, lines, "Set up job", "", None, (error,), True, formats=("github_actions",)
    )


def _testcontainers_no_docker(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    if eco == "java":
        cls = f"{pick(rng, JAVA_PKGS)}.{camel(rng)}IT"
        lines = [
            f"[INFO] Running {cls}",
            f"{rng.randint(10, 23)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}.{rng.randint(100, 999)} [main] ERROR "
            "org.testcontainers.dockerclient.DockerClientProviderStrategy -- Could not find a "
            "valid Docker environment. Please check configuration. Attempted configurations were:",
            "\tUnixSocketClientProviderStrategy: failed with exception InvalidConfigurationException "
            "(Could not find unix domain socket). Root cause NoSuchFileException (/var/run/docker.sock)",
            f"[ERROR] Tests run: {(n := rng.randint(2, 30))}, Failures: 0, Errors: {n}, Skipped: 0, "
            f"Time elapsed: {rng.uniform(0.5, 9):.3f} s <<< FAILURE! -- in {cls}",
            f"[ERROR] {cls}.{ident(rng).replace('_', '')} -- Time elapsed: 0.002 s <<< ERROR!",
            "java.lang.IllegalStateException: Could not find a valid Docker environment. Please "
            "see logs and check configuration",
        ]
        return Failure(
            LABEL, pad(rng, eco, lines), "Integration tests", "mvn -B verify -Pintegration"
        )
    if eco == "python":
        lines = [
            f"ERROR tests/integration/test_{pick(rng, ('db', 'queue', 'cache', 'api'))}.py::"
            f"test_{ident(rng)} - docker.errors.DockerException: Error while fetching server API "
            "version: ('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))",
            f"=========== {rng.randint(1, 40)} errors in {rng.uniform(0.5, 9):.2f}s ===========",
        ]
        return Failure(
            LABEL, pad(rng, eco, lines), "Integration tests", "pytest tests/integration -q"
        )
    if eco == "dotnet":
        lines = [
            f"  Failed {repo(rng).title().replace('-', '')}.Tests.{camel(rng)}Tests [1 ms]",
            "  Error Message:",
            "   DotNet.Testcontainers.Builders.DockerUnavailableException : Docker is either not "
            "running or misconfigured. Please ensure that Docker is running and that the "
            "endpoint is properly configured.",
        ]
        return Failure(
            LABEL, pad(rng, eco, lines), "Integration tests", "dotnet test tests/Integration"
        )
    if eco == "go":
        lines = [
            f"--- FAIL: Test{camel(rng)} (0.00s)",
            f"    {pick(rng, NOUNS_GO)}_test.go:{rng.randint(10, 90)}: failed to start container: "
            "create container: failed to create Docker provider: Cannot connect to the Docker "
            "daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
            "FAIL",
        ]
        return Failure(
            LABEL, pad(rng, eco, lines), "Integration tests", "go test -tags integration ./..."
        )
    lines = [
        f" FAIL  test/{pick(rng, NOUNS_GO)}.int.test.ts",
        "  ● Test suite failed to run",
        "",
        "    Could not find a working container runtime strategy",
        "",
        f"      at getContainerRuntimeClient ({wd}/node_modules/testcontainers/build/"
        "container-runtime/clients/client.js:62:11)",
    ]
    return Failure(
        LABEL, pad(rng, eco, lines), "Integration tests", "npx jest -c jest.int.config.js"
    )


def _local_cluster_failed(rng: random.Random, eco: str) -> Failure:
    version = f"v1.{rng.randint(27, 31)}.{rng.randint(0, 6)}"
    if rng.random() < 0.6:
        name = pick(rng, ("kind", "ci", "chart-testing", repo(rng)))
        lines = [
            f'Creating cluster "{name}" ...',
            f" ✓ Ensuring node image (kindest/node:{version}) 🖼",
            " ✗ Preparing nodes 📦" if rng.random() < 0.5 else " ✓ Preparing nodes 📦",
        ]
        if "✗" in lines[-1]:
            lines.append(
                "ERROR: failed to create cluster: could not find a log line that matches "
                '"Reached target .*Multi-User System.*|detected cgroup v1"'
            )
        else:
            lines += [
                " ✓ Writing configuration 📜",
                " ✗ Starting control-plane 🕹️",
                'ERROR: failed to create cluster: failed to init node with kubeadm: command "docker '
                f"exec --privileged {name}-control-plane kubeadm init --skip-phases=preflight "
                '--config=/kind/kubeadm.conf --skip-token-print --v=6" failed with error: exit '
                "status 1",
            ]
        command = f"kind create cluster --name {name} --wait 120s"
    else:
        lines = [
            f"😄  minikube v1.{rng.randint(31, 34)}.{rng.randint(0, 2)} on Ubuntu 22.04",
            "✨  Using the docker driver based on user configuration",
            '👍  Starting "minikube" primary control-plane node in "minikube" cluster',
            "🔥  Creating docker container (CPUs=2, Memory=6000MB) ...",
            "❌  Exiting due to GUEST_PROVISION: error provisioning guest: Failed to start host: "
            "creating host: create: creating: setting up container node: creating volume for "
            "minikube container: docker volume create minikube --label name.minikube.sigs.k8s.io"
            "=minikube --label created_by.minikube.sigs.k8s.io=true: exit status 1",
        ]
        command = f"minikube start --kubernetes-version={version}"
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        pick(rng, ("Create cluster", "Set up kind", "Start minikube")),
        command,
    )


def _compose_dependency(rng: random.Random, eco: str) -> Failure:
    project = repo(rng)
    image = pick(rng, SERVICE_IMAGES).split(":")[0].split("/")[-1]
    db = f"{project}-{image}-1"
    app = f"{project}-{pick(rng, ('api', 'app', 'web', 'worker'))}-1"
    if rng.random() < 0.7:
        lines = [
            f" Network {project}_default  Creating",
            f" Network {project}_default  Created",
            f" Container {db}  Creating",
            f" Container {db}  Created",
            f" Container {app}  Creating",
            f" Container {app}  Created",
            f" Container {db}  Starting",
            f" Container {db}  Started",
            f" Container {db}  Waiting",
            f" Container {db}  Error",
            f"dependency failed to start: container {db} is unhealthy",
        ]
        command = "docker compose up -d --wait"
    else:
        lines = [
            f'Creating network "{project}_default" with the default driver',
            f"Creating {project}_{image}_1 ... done",
            f"Creating {project}_app_1 ... ",
            "",
            f'ERROR: for app  Container "{hexstr(rng, 12)}" is unhealthy.',
            "ERROR: Encountered errors while bringing up the project.",
        ]
        command = "docker-compose up -d"
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("Start services", "Compose up")), command, 1
    )


def _read_only_host(rng: random.Random, eco: str) -> Failure:
    wd = workdir(rng)
    # The package manager's own wording where the ecosystem has one, else a shell or git step.
    native = {"node": 2, "python": 3}.get(eco)
    choice = native if native is not None and rng.random() < 0.6 else rng.randrange(2)
    if choice == 0:
        lines = [
            f"mkdir: cannot create directory '/home/runner/work/_temp/{hexstr(rng, 8)}': "
            "Read-only file system"
        ]
        command = f"mkdir -p $RUNNER_TEMP/{hexstr(rng, 8)}"
    elif choice == 1:
        lines = [
            f"fatal: Unable to create '{wd}/.git/index.lock': Read-only file system",
        ]
        command = "git add -A && git commit -m 'chore: update generated files'"
    elif choice == 2:
        lines = [
            "npm error code EROFS",
            "npm error syscall mkdir",
            "npm error path /home/runner/.npm/_cacache",
            "npm error errno -30",
            "npm error rofs EROFS: read-only file system, mkdir '/home/runner/.npm/_cacache'",
            "npm error rofs",
            "npm error rofs Often virtualized file systems, or other file systems",
            "npm error rofs that don't support symlinks, give this error.",
        ]
        command = "npm ci"
    else:
        lines = [
            f"ERROR: Could not install packages due to an OSError: [Errno 30] Read-only file "
            f"system: '{wd}/.venv/lib/python3.12/site-packages/{pick(rng, ('numpy', 'yaml', 'idna'))}'",
        ]
        command = "pip install -r requirements.txt"
    lines = progress(rng, eco, 0, 4) + lines
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("Install", "Build", "Prepare")), command, 1
    )


def _windows_container_host(rng: random.Random, eco: str) -> Failure:
    cid = hexstr(rng, 64)
    detail = pick(
        rng,
        (
            f"container {cid} encountered an error during hcs::System::Start: failure in a "
            "Windows system call: The virtual machine or container exited unexpectedly. "
            "(0xc0370106)",
            f"hcsshim::CreateComputeSystem {cid}: The requested resource is in use.",
            "re-exec error: exit status 1: output: hcsshim::ImportLayer - failed failed in "
            "Win32: The system cannot find the path specified. (0x3)",
        ),
    )
    image = pick(
        rng,
        (
            "mcr.microsoft.com/dotnet/framework/sdk:4.8",
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022",
        ),
    )
    lines = [f"docker: Error response from daemon: {detail}."]
    if rng.random() < 0.5:
        lines.insert(0, f"Status: Image is up to date for {image}")
    command = f"docker run --rm -v ${{PWD}}:C:\\src {image} powershell -File C:\\src\\build.ps1"
    return Failure(
        LABEL, pad(rng, eco, lines), "Build in container", command, 125, formats=WINDOWS_CI
    )


FAMILIES: list[Family] = [
    Family(f"{LABEL}/buildkit-builder-died", LABEL, ("docker",), _buildkit_died),
    Family(f"{LABEL}/job-not-acquired-by-runner", LABEL, ALL, _job_not_acquired),
    Family(
        f"{LABEL}/testcontainers-no-docker",
        LABEL,
        ("java", "python", "dotnet", "go", "node"),
        _testcontainers_no_docker,
    ),
    Family(f"{LABEL}/local-cluster-create-failed", LABEL, ALL, _local_cluster_failed),
    Family(f"{LABEL}/compose-dependency-unhealthy", LABEL, ALL, _compose_dependency),
    Family(f"{LABEL}/runner-filesystem-read-only", LABEL, ALL, _read_only_host),
    Family(
        f"{LABEL}/windows-container-host-failure",
        LABEL,
        ("dotnet", "docker"),
        _windows_container_host,
    ),
]
