"""``infrastructure``: the CI host or its services failed, not the code.

Labelling choices: a runner that stops (lost, shut down, never provisioned) is infrastructure
even when the runner then prints ``The operation was canceled.``, which alone would suggest a
timeout. A Docker daemon that cannot be reached, a container runtime that cannot create a
container for reasons of the host (cgroups, mounts, a port held by another process) and a
service container that never becomes healthy are infrastructure. A container whose entrypoint
file is absent is ``missing_file``; a DNS or connection failure to some remote host is
``network``; a runner out of memory or disk is ``resource_exhaustion``.
"""

from __future__ import annotations

import random

from .._types import ECOSYSTEMS, Failure, Family
from ._common_c import (
    SERVICE_IMAGES,
    build_command,
    hexstr,
    pick,
    progress,
    repo,
    runner_name,
    step_name,
)

LABEL = "infrastructure"
_ALL = tuple(ECOSYSTEMS)


def _partial_output(rng: random.Random, eco: str) -> list[str]:
    """Ordinary output of a step that was cut off mid-way."""
    return progress(rng, eco, 3, 12)


def _runner_lost(rng: random.Random, eco: str) -> Failure:
    if rng.random() < 0.6:
        error = (
            f"The self-hosted runner: {runner_name(rng)} lost communication with the server. "
            "Verify the machine is running and has a healthy network connection. Anything in "
            "your workflow that terminates the runner process, starves it for CPU/Memory, or "
            "blocks its network access can cause this error."
        )
    else:
        error = (
            f"The hosted runner: GitHub Actions {rng.randint(2, 999)} lost communication with the "
            "server. Anything in your workflow that terminates the runner process, starves it "
            "for CPU/Memory, or blocks its network access can cause this error."
        )
    return Failure(
        LABEL, _partial_output(rng, eco), step_name(rng), build_command(rng, eco), None, (error,)
    )


def _runner_shutdown(rng: random.Random, eco: str) -> Failure:
    errors = [
        "The runner has received a shutdown signal. This can happen when the runner service is "
        "stopped, or a manually started runner is canceled."
    ]
    if rng.random() < 0.7:
        errors.append("The operation was canceled.")
    lines = _partial_output(rng, eco)
    if rng.random() < 0.3:
        lines.append("Terminated")
    return Failure(LABEL, lines, step_name(rng), build_command(rng, eco), None, tuple(errors))


def _docker_daemon_unreachable(rng: random.Random, eco: str) -> Failure:
    image = f"{repo(rng)}:{hexstr(rng, 7)}"
    socket = pick(
        rng,
        (
            "unix:///var/run/docker.sock",
            "tcp://docker:2375",
            "tcp://docker:2376",
            "unix:///run/user/1001/docker.sock",
        ),
    )
    lines = progress(rng, eco, 0, 3)
    choice = rng.randrange(3)
    if choice == 0:
        lines.append(
            f"Cannot connect to the Docker daemon at {socket}. Is the docker daemon running?"
        )
        command = f"docker build -t {image} ."
    elif choice == 1:
        lines += [
            "ERROR: Cannot connect to the Docker daemon at "
            f"{socket}. Is the docker daemon running?",
            "errors pretty printing info",
        ]
        command = "docker info"
    else:
        lines.append(
            f'error during connect: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.{rng.randint(41, 46)}/'
            'containers/json": dial unix /var/run/docker.sock: connect: no such file or directory'
        )
        command = "docker ps"
    return Failure(
        LABEL, lines, pick(rng, ("Build image", "Start services", "Docker info")), command
    )


def _health_command(image: str) -> str:
    for prefix, command in (
        ("postgres", "pg_isready"),
        ("mysql", "mysqladmin ping"),
        ("mariadb", "healthcheck.sh --connect"),
        ("redis", "redis-cli ping"),
        ("mongo", "mongosh --quiet --eval db.adminCommand('ping')"),
        ("rabbitmq", "rabbitmq-diagnostics -q ping"),
    ):
        if image.startswith(prefix):
            return command
    return "curl -f http://localhost:9000/health || exit 1"


def _service_unhealthy(rng: random.Random, eco: str) -> Failure:
    image = pick(rng, SERVICE_IMAGES)
    cid = hexstr(rng, 64)
    api = f"1.{rng.randint(41, 46)}"
    lines = [
        "Checking docker version",
        "/usr/bin/docker version --format '{{.Server.APIVersion}}'",
        f"'{api}'",
        f"Docker daemon API version: '{api}'",
        "Clean up resources from previous jobs",
        "Create local container network",
        f"/usr/bin/docker network create --label {hexstr(rng, 6)} github_network_{hexstr(rng, 32)}",
        "Starting service container",
        f"/usr/bin/docker pull {image}",
        f"/usr/bin/docker create --name {hexstr(rng, 32)}_{image.split(':')[0].replace('/', '')}_{hexstr(rng, 5)} "
        f'--health-cmd "{_health_command(image)}" --health-interval 10s --health-timeout 5s --health-retries 5 '
        f"{image}",
        cid,
        f"/usr/bin/docker start {cid}",
        cid,
        "Waiting for all services to be ready",
    ]
    retries = rng.randint(3, 8)
    for attempt in range(retries):
        lines.append(
            f'/usr/bin/docker inspect --format="{{{{if .Config.Healthcheck}}}}{{{{print .State.Health.Status}}}}{{{{end}}}}" {cid}'
        )
        lines.append("starting" if attempt < retries - 1 else "unhealthy")
        if attempt < retries - 1:
            lines.append(
                f"{image.split(':')[0]} service is starting, waiting {2**attempt} seconds before checking again."
            )
    errors = (f"Failed to initialize container {image}", "One or more containers failed to start.")
    return Failure(LABEL, lines, "Initialize containers", "", None, errors)


def _hosted_runner_error(rng: random.Random, eco: str) -> Failure:
    kind = pick(rng, ("Disconnect", "InternalError", "Unknown"))
    if rng.random() < 0.5:
        error = (
            f"The hosted runner encountered an error while running your job. (Error Type: {kind})."
        )
        return Failure(
            LABEL,
            _partial_output(rng, eco),
            step_name(rng),
            build_command(rng, eco),
            None,
            (error,),
        )
    error = f"An error occurred while provisioning resources (Error Type: {kind})."
    lines = [
        "Requested labels: "
        + pick(rng, ("ubuntu-latest", "ubuntu-22.04", "windows-latest", "ubuntu-24.04"))
    ]
    lines.append(
        f"Job defined at: {pick(rng, ('acme', 'corvid'))}/{repo(rng)}/.github/workflows/ci.yml@refs/heads/main"
    )
    lines.append("Waiting for a runner to pick up this job...")
    return Failure(LABEL, lines, "Set up job", "", None, (error,), job_level=True)


def _oci_runtime_failure(rng: random.Random, eco: str) -> Failure:
    image = pick(rng, (*SERVICE_IMAGES, f"{repo(rng)}:ci"))
    detail = pick(
        rng,
        (
            "failed to create shim task: OCI runtime create failed: runc create failed: unable to "
            "start container process: error during container init: error setting cgroup config "
            f"for procHooks process: openat2 /sys/fs/cgroup/system.slice/docker-{hexstr(rng, 64)}.scope/"
            "cpu.max: no such file or directory: unknown",
            f"error creating overlay mount to /var/lib/docker/overlay2/{hexstr(rng, 64)}/merged: "
            "invalid argument",
            f"driver failed programming external connectivity on endpoint {repo(rng)}-db-1 "
            f"({hexstr(rng, 64)}): Error starting userland proxy: listen tcp4 0.0.0.0:"
            f"{pick(rng, ('5432', '6379', '3306', '8080'))}: bind: address already in use",
            "failed to create task for container: failed to create shim task: OCI runtime create "
            "failed: runc create failed: unable to start container process: unable to apply "
            "cgroup configuration: failed to write 0: openat2 /sys/fs/cgroup/cgroup.procs: "
            "permission denied: unknown",
            "failed to create endpoint on network bridge: failed to add the host "
            f"(veth{hexstr(rng, 7)}) <=> sandbox (veth{hexstr(rng, 7)}) pair interfaces: "
            "operation not supported",
        ),
    )
    lines = progress(rng, "docker", 0, 3)
    lines.append(f"docker: Error response from daemon: {detail}.")
    if rng.random() < 0.4:
        lines.append("Run 'docker run --help' for more information")
    return Failure(LABEL, lines, "Start services", f"docker run -d {image}", 125)


def _gitlab_system_failure(rng: random.Random, eco: str) -> Failure:
    reason = pick(
        rng,
        (
            "prepare environment: exit status 1. Check https://docs.gitlab.com/runner/shells/"
            "index.html#shell-profile-loading for more information",
            f'pod "runner-{hexstr(rng, 8)}-project-{rng.randint(10, 9999)}-concurrent-0" status is '
            '"Failed"',
            "Error response from daemon: Cannot connect to the Docker daemon at "
            "unix:///var/run/docker.sock. Is the docker daemon running? (docker.go:958:0s)",
            f'failed to pull image "registry.gitlab.com/{repo(rng)}/ci-helper:latest" with '
            "specified policies [always]: error during connect: context deadline exceeded",
            "prepare environment: setting up build pod: context deadline exceeded",
        ),
    )
    executor = "kubernetes" if "pod" in reason else "docker"
    lines = [
        f'Preparing the "{executor}" executor',
        f"Using {executor.capitalize()} executor with image {repo(rng)}-ci:latest ...",
    ]
    for _ in range(rng.randint(1, 3)):
        lines += [f"ERROR: Preparation failed: {reason}", "Will be retried in 3s ..."]
    errors = (reason,)
    return Failure(LABEL, lines, "prepare_executor", "", None, errors, job_level=True)


def _jenkins_agent_offline(rng: random.Random, eco: str) -> Failure:
    agent = pick(rng, ("linux-agent-", "build-node-", "ec2-fleet-", "docker-agent-")) + str(
        rng.randint(1, 40)
    )
    lines = progress(rng, eco, 2, 8)
    if rng.random() < 0.5:
        lines += [
            f"Cannot contact {agent}: java.lang.InterruptedException",
            f"Agent {agent} went offline during the build",
        ]
    else:
        lines += [
            "FATAL: command execution failed",
            'hudson.remoting.ChannelClosedException: Channel "hudson.remoting.Channel@'
            f'{hexstr(rng, 8)}:{agent}": Remote call on {agent} failed. The channel is closing '
            "down or has closed down",
            f"\tat hudson.remoting.Channel.call(Channel.java:{rng.randint(990, 1110)})",
            "\tat hudson.Launcher$RemoteLauncher.launch(Launcher.java:1125)",
            "Caused by: java.nio.channels.ClosedChannelException",
            "\tat org.jenkinsci.remoting.protocol.NetworkLayer.onRecvClosed(NetworkLayer.java:155)",
        ]
    lines += [
        "ERROR: Issue with creating launcher for agent "
        + agent
        + ". The agent is being disconnected",
    ]
    return Failure(LABEL, lines, "sh", build_command(rng, eco), None)


def _azure_agent_lost(rng: random.Random, eco: str) -> Failure:
    agent = pick(rng, (f"Azure Pipelines {rng.randint(1, 40)}", "Hosted Agent", runner_name(rng)))
    error = (
        f"We stopped hearing from agent {agent}. Verify the agent machine is running and has a "
        "healthy network connection. Anything that terminates an agent process, starves it for "
        "CPU, or blocks its network access can cause this error. For more information, see: "
        "https://go.microsoft.com/fwlink/?linkid=846610"
    )
    return Failure(
        LABEL, _partial_output(rng, eco), step_name(rng), build_command(rng, eco), None, (error,)
    )


def _container_job_init(rng: random.Random, eco: str) -> Failure:
    image = pick(
        rng,
        (
            "node:20-bookworm",
            "python:3.12-slim",
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "rust:1.79",
            "golang:1.22",
            "eclipse-temurin:21-jdk",
            "ruby:3.3",
        ),
    )
    cid = hexstr(rng, 64)
    lines = [
        "Checking docker version",
        "Create local container network",
        "Starting job container",
        f"/usr/bin/docker pull {image}",
        f"{image.split(':')[-1]}: Pulling from library/{image.split(':')[0].split('/')[-1]}",
        f"Digest: sha256:{hexstr(rng, 64)}",
        f"Status: Image is up to date for {image}",
        f"/usr/bin/docker create --name {hexstr(rng, 32)} --label {hexstr(rng, 6)} --workdir /__w/{repo(rng)}/{repo(rng)} "
        f'--network github_network_{hexstr(rng, 32)} --entrypoint "tail" {image} "-f" "/dev/null"',
        cid,
        f"/usr/bin/docker start {cid}",
        pick(
            rng,
            (
                "Error response from daemon: failed to create task for container: failed to create shim task: "
                "OCI runtime create failed: runc create failed: unable to start container process: "
                'error during container init: error mounting "/var/run/docker.sock" to rootfs at '
                '"/var/run/docker.sock": mount /var/run/docker.sock:/var/run/docker.sock (via /proc/self/fd/6), '
                "flags: 0x5000: not a directory: unknown",
                "Error response from daemon: container is marked for removal and cannot be started",
                "Error response from daemon: mkdir /var/lib/docker/overlay2/"
                + hexstr(rng, 64)
                + "/merged: read-only file system",
            ),
        ),
    ]
    errors = ("Docker start fail with exit code 1",)
    return Failure(LABEL, lines, "Initialize containers", "", None, errors)


FAMILIES: list[Family] = [
    Family(f"{LABEL}/runner-lost-communication", LABEL, _ALL, _runner_lost),
    Family(f"{LABEL}/runner-shutdown-signal", LABEL, _ALL, _runner_shutdown),
    Family(f"{LABEL}/docker-daemon-unreachable", LABEL, _ALL, _docker_daemon_unreachable),
    Family(f"{LABEL}/service-container-unhealthy", LABEL, _ALL, _service_unhealthy),
    Family(f"{LABEL}/hosted-runner-error", LABEL, _ALL, _hosted_runner_error),
    Family(f"{LABEL}/container-runtime-host-failure", LABEL, _ALL, _oci_runtime_failure),
    Family(f"{LABEL}/gitlab-runner-system-failure", LABEL, _ALL, _gitlab_system_failure),
    Family(f"{LABEL}/jenkins-agent-offline", LABEL, _ALL, _jenkins_agent_offline),
    Family(f"{LABEL}/azure-agent-lost", LABEL, _ALL, _azure_agent_lost),
    Family(f"{LABEL}/container-job-start-failed", LABEL, _ALL, _container_job_init),
]
